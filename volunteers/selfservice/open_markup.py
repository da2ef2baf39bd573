"""The rows of /me/shifts/open drawn in one Python pass each (issue 13).

A page holds up to 30 open shifts and, beside them, every full shift of the
same stretch (80-140 on the demo volunteer); Jinja escaped each row's values
once per use (the time three times, the role twice, the id three times) and
looked each attribute up through the environment, about a third of the page's
time. Here each value is escaped once (``markupsafe.escape``, as ``{{ }}``
does) and the row's markup is written with the same bytes the templates wrote:
``templates/me/open.html`` and ``templates/me/_full_shifts.html`` call these
in place of their loops, so ids stay unique and every button keeps its label.
The line naming the role, site and organisation is written once per distinct
three (a page has a few roles and sites for a hundred shifts), a number is
written as ``str`` writes it (what ``escape`` of an ``int`` gives).

A row's markup is a function of the row's values alone (and of ``many``, the
link to my shifts and the CSRF field): each is kept between views, per worker,
under all of them but the CSRF field, which it is split around — a view mostly
joins kept text.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from volunteers.people.list_markup import text
from volunteers.selfservice.open_list import FullRow, OpenRow


def _who(role: str, site: str, org: str, many: bool) -> str:
    """``<strong>role</strong> at site <span class="badge org">org</span>`` as the templates wrote it."""
    return (f"<strong>{escape(role)}</strong>{f' at {escape(site)}' if site != role else ''}"
            f"""{f' <span class="badge org">{escape(org)}</span>' if many else ''}""")


class _Lines(dict[tuple[str, str, str], tuple[str, str]]):
    """The role line of each distinct (role, site, organisation) and the role, escaped once."""

    def __init__(self, many: bool) -> None:
        super().__init__()
        self.many = many

    def __missing__(self, key: tuple[str, str, str]) -> tuple[str, str]:
        found = self[key] = (_who(*key, self.many), escape(key[0]))
        return found


#: rows' markup kept, per worker: (the row, many[, my shifts' URL]) → the text before and after the CSRF field
_KEPT: dict[tuple[Any, ...], tuple[str, str]] = {}
#: dropped together past this (a page's rows are a few hundred at most; a row's ~1 KB: ~2 MB at most)
KEPT_AT_MOST = 2048


def _kept(key: tuple[Any, ...], head: str, tail: str) -> tuple[str, str]:
    if len(_KEPT) >= KEPT_AT_MOST:
        _KEPT.clear()
    found = _KEPT[key] = (head, tail)
    return found


def _made(key: tuple[Any, ...], head: str, tail: str) -> tuple[str, str]:
    return head, tail


def _plain_open(item: OpenRow) -> bool:
    """Whether the row holds only plain values (``Markup`` equals the same ``str`` but is written unescaped,
    ``True`` equals ``1``): only such rows are kept or looked up."""
    return (type(item.id) is int and type(item.when) is str and type(item.role) is str and type(item.site) is str
            and type(item.org) is str and type(item.places_left) is int and type(item.action) is str)


def _plain_full(item: FullRow) -> bool:
    return (type(item.id) is int and type(item.when) is str and type(item.role) is str and type(item.site) is str
            and type(item.org) is str and type(item.action) is str
            and (item.entry_id is None or type(item.entry_id) is int)
            and (item.entry_status is None or type(item.entry_status) is str)
            and (item.position is None or type(item.position) is int))


def _number(value: Any) -> str:
    return str(value) if type(value) is int else str(escape(value))


def open_rows(items: Iterable[OpenRow], csrf_field: str, many: bool) -> Markup:
    """The open shifts' articles, as the loop of ``me/open.html`` drew them."""
    many = bool(many)  # a key: only its truth is written
    out: list[str] = []
    lines = _Lines(many)
    kept = _KEPT
    for item in items:
        plain = _plain_open(item)
        found = kept.get((item, many)) if plain else None
        if found is None:
            when, places = text(item.when), item.places_left
            line, role = lines[item.role, item.site, item.org]
            found = (_kept if plain else _made)((item, many),
                          f'\n<article class="open-shift" id="shift-{_number(item.id)}">\n'
                          f'  <h2 class="when">{when}</h2>\n'
                          f"  <p>{line}</p>\n"
                          f'  <p class="muted">{_number(places)} {"place" if places == 1 else "places"} left</p>\n'
                          f'  <form method="post" action="{text(item.action)}">',
                          f'\n    <button type="submit" aria-label="Sign up: {role}, {when}">Sign up</button>\n'
                          "  </form>\n</article>\n")
        out.append(found[0])
        out.append(csrf_field)
        out.append(found[1])
    return Markup("".join(out))


def full_rows(full: Iterable[FullRow], csrf_field: str, my_shifts: str, many: bool) -> Markup:
    """The full shifts' articles, as the loop of ``me/_full_shifts.html`` drew them."""
    many = bool(many)
    link = escape(my_shifts)
    lines = _Lines(many)
    out: list[str] = []
    kept = _KEPT
    keeps = type(my_shifts) is str
    for item in full:
        plain = keeps and _plain_full(item)
        found = kept.get((item, many, my_shifts)) if plain else None
        if found is not None:
            out.append(found[0])
            out.append(csrf_field)
            out.append(found[1])
            continue
        ident, when = _number(item.id), text(item.when)  # a str each: escaped in C, no Markup made
        line, role = lines[item.role, item.site, item.org]
        head = (f'\n  <article class="open-shift full" id="full-{ident}" aria-labelledby="full-{ident}-when">\n'
                f'    <h3 id="full-{ident}-when" class="when">{when}</h3>\n'
                f"    <p>{line}</p>\n    ")
        if item.entry_id:
            status = (f'A place is being held for you: see <a href="{link}#waiting">your shifts</a>.'
                      if item.entry_status == "offered"
                      else f"You're number {_number(item.position)} on the waiting list.")
            before = (f'\n    <p class="muted">{status}</p>\n'
                      f'    <form method="post" action="{text(item.action)}">')
            after = (f'\n      <button type="submit" class="secondary outline" aria-label="Leave the waiting list: '
                     f'{role}, {when}">Leave the waiting list</button></form>\n    ')
        else:
            before = f'\n    <form method="post" action="{text(item.action)}">'
            after = (f'\n      <button type="submit" class="secondary" aria-label="Join the waiting list: '
                     f'{role}, {when}">Join the waiting list</button></form>\n    ')
        found = (_kept if plain else _made)((item, many, my_shifts), f"{head}{before}",
                                            f"{after}\n  </article>\n  ")
        out.append(found[0])
        out.append(csrf_field)
        out.append(found[1])
    return Markup("".join(out))
