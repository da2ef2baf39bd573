"""A shift's card on the board, as HTML: a link opening its panel; gaps stand out (colour, border and words).

Made in Python, not by a Jinja macro: a month of a large rota has hundreds of
cards and the macro's attribute lookups and escaping per card were a third of
the month page. The markup is the macro's, character for character (the
templates call ``board_card(item, shifts_url)``); every value is escaped.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from volunteers.rota.queries import BoardShift

_ON_CALL = ' <span class="badge">on call</span>'
_DRAFT = ' <span class="badge draft" title="Not published yet">draft</span>'


def card_html(item: BoardShift, shifts_url: str, compact: bool = False) -> Markup:
    """Return the card of one shift; ``shifts_url`` is the panel's URL without the id (``/rota/shifts/``)."""
    s = item.shift
    role, site = s.role, s.site
    url = escape(f"{shifts_url}{s.id}")
    gap = item.gap
    classes = "shift" + (" has-gap" if gap else "") + (" compact" if compact else "")
    site_line = f'<br><span class="muted">{escape(site.name)}</span>' if not compact and site.name != role.name else ""
    gap_text = f' <span class="gap">{gap} to fill</span>' if gap else ""
    people = ("<ul>" + "".join(f"<li>{escape(m.name)}</li>" for m in item.people) + "</ul>"
              if item.people and not compact else "")
    away = "".join(f'<br><span class="badge warn away">{escape(a.sentence)}</span>' for a in item.away)
    return Markup(
        f'\n<a class="{classes}" id="shift-{s.id}"\n'
        f'   href="{url}" hx-get="{url}" hx-target="#panel" hx-swap="innerHTML show:#panel:top" hx-push-url="true">\n'
        f'  <strong>{escape(s.start_time)}\u2013{escape(s.end_time)}</strong> {escape(role.name)}'
        f'{_ON_CALL if role.on_call else ""}\n'
        f'  {site_line}\n'
        f'  <br><span class="fill">{item.filled}/{s.needed}</span>{gap_text}\n'
        f'  {"" if s.published_at else _DRAFT}\n'
        f'  {people}\n'
        f'  {away}\n'
        f'</a>'
    )
