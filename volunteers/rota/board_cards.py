"""A shift's card on the board, as HTML: a link opening its panel; gaps stand out (colour, border and words).

Made in Python, not by a Jinja macro: a month of a large rota has hundreds of
cards and the macro's attribute lookups and escaping per card were a third of
the month page. The markup is the macro's, character for character (the
templates call ``board_cards(items, shifts_url)`` once a day); every value is escaped.
"""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from volunteers.rota.board_reads import BoardCard, BoardShift, OnShift, RoleRef, SiteRef
from volunteers.rota.domain.away import Away

_ON_CALL = ' <span class="badge">on call</span>'
_DRAFT = ' <span class="badge draft" title="Not published yet">draft</span>'


# a role's, a site's and the panel URL's escaped markup, made once (a board has a handful, drawn on every card)
@lru_cache(maxsize=1024)
def _role_html(role: RoleRef) -> str:
    return f'{escape(role.name)}{_ON_CALL if role.on_call else ""}'


@lru_cache(maxsize=1024)
def _site_line(site: SiteRef, role: RoleRef) -> str:
    return f'<br><span class="muted">{escape(site.name)}</span>' if site.name != role.name else ""


@lru_cache(maxsize=64)
def _escaped(text: str) -> str:
    return str(escape(text))


def card_html(item: BoardShift, shifts_url: str, compact: bool = False) -> Markup:
    """Return the card of one shift; ``shifts_url`` is the panel's URL without the id (``/rota/shifts/``)."""
    return _card(item.shift, item.filled, tuple(item.people), tuple(item.away), shifts_url, compact)


# a pure function of everything a card shows (the key holds each value drawn), remembered: a board drawn
# again (every reload, every "rota-changed" refresh) mostly redraws the cards it drew; ~0.5 KB a card
@lru_cache(maxsize=2048)
def _card(s: BoardCard, filled: int, on_shift: tuple[OnShift, ...], away_on: tuple[Away, ...], shifts_url: str,
          compact: bool) -> Markup:
    role = s.role
    url = f"{_escaped(shifts_url)}{s.id}"  # an int's digits need no escaping
    gap = s.needed - filled if s.needed > filled else 0
    classes = "shift" + (" has-gap" if gap else "") + (" compact" if compact else "")
    site_line = "" if compact else _site_line(s.site, role)
    gap_text = f' <span class="gap">{gap} to fill</span>' if gap else ""
    people = ("<ul>" + "".join(f"<li>{escape(m.name)}</li>" for m in on_shift) + "</ul>"
              if on_shift and not compact else "")
    away = "".join(f'<br><span class="badge warn away">{escape(a.sentence)}</span>' for a in away_on)
    return Markup(
        f'\n<a class="{classes}" id="shift-{s.id}"\n'
        f'   href="{url}" hx-get="{url}" hx-target="#panel" hx-swap="innerHTML show:#panel:top" hx-push-url="true">\n'
        f'  <strong>{s.start_time}\u2013{s.end_time}</strong> {_role_html(role)}\n'  # times: digits and a colon
        f'  {site_line}\n'
        f'  <br><span class="fill">{filled}/{s.needed}</span>{gap_text}\n'
        f'  {"" if s.published_at else _DRAFT}\n'
        f'  {people}\n'
        f'  {away}\n'
        f'</a>'
    )


def cards_html(items: list[BoardShift], shifts_url: str, compact: bool = False) -> Markup:
    """Return a day's cards, one after another: one template call per day, not one per card."""
    return Markup("".join([card_html(item, shifts_url, compact) for item in items]))
