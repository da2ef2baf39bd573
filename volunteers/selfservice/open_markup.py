"""The rows of /me/shifts/open drawn in one Python pass each (issue 13).

A page holds up to 30 open shifts and, beside them, every full shift of the
same stretch (80-140 on the demo volunteer); Jinja escaped each row's values
once per use (the time three times, the role twice, the id three times) and
looked each attribute up through the environment, about a third of the page's
time. Here each value is escaped once (``markupsafe.escape``, as ``{{ }}``
does) and the row's markup is written with the same bytes the templates wrote:
``templates/me/open.html`` and ``templates/me/_full_shifts.html`` call these
in place of their loops, so ids stay unique and every button keeps its label.
"""
from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from volunteers.selfservice.open_list import FullRow, OpenRow


def open_rows(items: Iterable[OpenRow], csrf_field: str, many: bool) -> Markup:
    """The open shifts' articles, as the loop of ``me/open.html`` drew them."""
    out: list[str] = []
    for item in items:
        when, role = escape(item.when), escape(item.role)
        places = item.places_left
        out.append(
            f'\n<article class="open-shift" id="shift-{escape(item.id)}">\n'
            f'  <h2 class="when">{when}</h2>\n'
            f"  <p><strong>{role}</strong>{f' at {escape(item.site)}' if item.site != item.role else ''}"
            f"""{f' <span class="badge org">{escape(item.org)}</span>' if many else ''}</p>\n"""
            f'  <p class="muted">{escape(places)} {"place" if places == 1 else "places"} left</p>\n'
            f'  <form method="post" action="{escape(item.action)}">{csrf_field}\n'
            f'    <button type="submit" aria-label="Sign up: {role}, {when}">Sign up</button>\n'
            "  </form>\n</article>\n")
    return Markup("".join(out))


def full_rows(full: Iterable[FullRow], csrf_field: str, my_shifts: str, many: bool) -> Markup:
    """The full shifts' articles, as the loop of ``me/_full_shifts.html`` drew them."""
    my_shifts = escape(my_shifts)
    out: list[str] = []
    for item in full:
        ident, when, role = escape(item.id), escape(item.when), escape(item.role)
        head = (f'\n  <article class="open-shift full" id="full-{ident}" aria-labelledby="full-{ident}-when">\n'
                f'    <h3 id="full-{ident}-when" class="when">{when}</h3>\n'
                f"    <p><strong>{role}</strong>{f' at {escape(item.site)}' if item.site != item.role else ''}"
                f"""{f' <span class="badge org">{escape(item.org)}</span>' if many else ''}</p>\n    """)
        if item.entry_id:
            status = (f'A place is being held for you: see <a href="{my_shifts}#waiting">your shifts</a>.'
                      if item.entry_status == "offered"
                      else f"You're number {escape(item.position)} on the waiting list.")
            body = (f'\n    <p class="muted">{status}</p>\n'
                    f'    <form method="post" action="{escape(item.action)}">{csrf_field}\n'
                    f'      <button type="submit" class="secondary outline" aria-label="Leave the waiting list: '
                    f'{role}, {when}">Leave the waiting list</button></form>\n    ')
        else:
            body = (f'\n    <form method="post" action="{escape(item.action)}">{csrf_field}\n'
                    f'      <button type="submit" class="secondary" aria-label="Join the waiting list: '
                    f'{role}, {when}">Join the waiting list</button></form>\n    ')
        out.append(f"{head}{body}\n  </article>\n  ")
    return Markup("".join(out))
