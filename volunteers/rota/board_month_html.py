"""The month board's table, as HTML: six weeks of day cells written in Python, not by a Jinja loop.

A month is 35 or 42 cells, each with a link, its cards or its roles summed;
the template's loop (attribute lookups, ``url`` joins and autoescaping per
cell) was a third of the month page. The markup is what ``rota/_month.html``
drew, character for character (``tests/integration/rota/test_board_same_bytes.py``);
every value from the data or a URL is escaped with ``markupsafe.escape``, as
the template's autoescaping did.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from markupsafe import Markup, escape

from volunteers.rota.board_cards import cards_html
from volunteers.rota.board_month import MonthView

_HEAD = ("<thead><tr>" + "".join(f'<th scope="col">{name}</th>' for name in (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")) + "</tr></thead>")
_DRAFTS = '<span class="badge draft" title="Not published yet">{} draft</span>'


def month_table(view: MonthView, today: date, holidays: Mapping[date, str] | None, board_url: str,
                filtered_url: str) -> Markup:
    """Return the month's ``<div class="overflow-auto">`` table.

    ``board_url`` is ``url_for('rota.board')``; ``filtered_url`` the same with the filters (site, role,
    gaps), whose query each day's link to its week carries.
    """
    shifts_url = board_url + "/shifts/"
    board_path, _, filter_query = filtered_url.partition("?")
    tail = "&" + filter_query if filter_query else ""
    month, summed, days = view.first.month, view.summed, view.days
    out = ['<div class="overflow-auto">\n<table class="month">\n  <caption class="visually-hidden">Shifts in ',
           str(escape(view.first.strftime("%B %Y"))), ", needed and filled</caption>\n  ", _HEAD,
           "\n  <tbody>\n  \n  \n  "]
    for week in view.weeks:
        out.append("\n    <tr>")
        for d in week:
            iso = d.isoformat()
            busy = d in summed
            url = escape(f"{board_path}?week={iso}{'&day=' + iso if busy else ''}{tail}")
            out.append(
                f'\n      \n      <td class="{"outside" if d.month != month else ""}{" today" if d == today else ""}">'
                f'\n        <a class="day-link" href="{url}" hx-get="{url}" hx-target="#board" hx-push-url="true"'
                f'\n           aria-label="{escape(view.label(d))}: open the week">{d.day}</a>\n        ')
            if holidays and d in holidays:
                out.append(f'<p class="bank-holiday">Bank holiday: {escape(holidays[d])}</p>')
            out.append("\n        ")
            if not busy:
                out.append(cards_html(days.get(d, []), shifts_url, True))
                out.append("\n        ")
            else:
                drafts = view.drafts(d)
                out.append("\n          \n          ")
                if drafts:
                    out.append(_DRAFTS.format(drafts))
                out.append('\n          <ul class="role-day">')
                for r in view.by_role(d):
                    gap = r.gap
                    gap_text = f' <span class="gap">{gap} to fill</span>' if gap else ""
                    out.append(
                        f'\n            <li class="{"has-gap" if gap else ""}">{escape(r.name)}: '
                        f'<span class="fill">{r.filled}/{r.needed}</span>'
                        f"{gap_text}</li>\n          ")
                out.append("</ul>\n        ")
            out.append("\n      </td>")
        out.append("\n    </tr>\n  ")
    out.append("\n  </tbody>\n</table>\n</div>")
    return Markup("".join(out))
