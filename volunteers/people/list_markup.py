"""The markup of /people's rows and sortable headings, written in Python: what ``people/_rows.html`` wrote.

The template's loop escaped each member's values through Jinja's autoescape and
looked every attribute up through the environment, and its heading macro called
``url_for`` five times: together more than half of the page's own work for 50
members (200 on a page of 200). Here every value is escaped once (:func:`text`, as
``{{ }}`` escapes it), and the bytes are the template's
(tests/integration/test_people_markup.py compares them with the template's own).
"""
from __future__ import annotations

from urllib.parse import urlencode

from markupsafe import Markup, escape

from volunteers.people.queries import PersonRow

#: the columns /people sorts by, in the table's order: heading and sort key
HEADINGS = (("Name", "name"), ("Contact", "email"), ("Role", "role"), ("Status", "status"), ("Pledge", "pledge"))
#: the characters Werkzeug leaves unquoted in a query's values (``werkzeug.urls._urlencode``)
SAFE = "!$'()*,/:;?@"
NOBODY = '\n    <tr><td colspan="6">Nobody matches these filters.</td></tr>\n  '


def _replace(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


try:  # what markupsafe.escape runs on a str before wrapping it in a Markup: C, four times the replaces' speed
    from markupsafe._speedups import _escape_inner as _inner
except ImportError:  # pragma: no cover - markupsafe without its C speedups (or a version that moved it)
    _inner = _replace


def text(value: str) -> str:
    """``value`` escaped as :func:`markupsafe.escape` escapes a ``str`` (``&<>"'``), as a plain ``str``.

    ``escape`` makes a ``Markup`` of every value (a Python-level ``__new__``): for the few hundred
    values of a page of rows that was most of writing them. Only for ``str`` values (never ``Markup``).
    """
    return _inner(value)


def people_rows(members: list[PersonRow], person_url: str) -> Markup:
    """The ``<tr>`` of each member (``person_url`` + id links to their page), or the row saying nobody matches."""
    if not members:
        return Markup(NOBODY)
    url = text(person_url)
    parts = []
    for m in members:
        phone = f'<br><span class="muted">{text(m.phone)}</span>' if m.phone else ""
        badges = "".join(f'\n        <span class="badge {b.state}">{text(b.text)}</span>\n      ' for b in m.badges)
        parts.append(
            f'\n    <tr>\n      <td><a href="{url}{m.id}">{text(m.name)}</a></td>\n'
            f'      <td data-label="Contact">{text(m.email)}{phone}</td>\n'
            f'      <td data-label="Role">{text(m.role)}</td>\n'
            f'      <td data-label="Status">{text(m.status)}</td>\n'
            f'      <td data-label="Pledge">{text(m.pledge)}</td>\n'
            f'      <td data-label="Qualifications">{badges}</td>\n    </tr>\n  ')
    return Markup("".join(parts))


def sort_headings(list_url: str, args: dict[str, str | int], sort: str) -> Markup:
    """The sortable ``<th>`` of the table's head: each links to the list in its order (again: the other way).

    ``args`` are the list's query arguments (its filters, order and page size); each link is what
    ``url_for(list, **dict(args, sort=...))`` writes: the arguments in their order (``sort`` in its
    place if set, else last), encoded as Werkzeug encodes a query.
    """
    current_key, descending = sort.lstrip("-"), sort.startswith("-")
    names = list(args) if "sort" in args else [*args, "sort"]
    at = names.index("sort")
    before = urlencode([(name, args[name]) for name in names[:at]], safe=SAFE)
    after = urlencode([(name, args[name]) for name in names[at + 1:]], safe=SAFE)
    head, tail = escape(f"{list_url}?{before}&" if before else f"{list_url}?"), escape(f"&{after}" if after else "")
    parts = []
    for label, key in HEADINGS:
        current = key == current_key
        href = f"{head}sort={'-' if current and not descending else ''}{key}{tail}"
        if current:
            direction, arrow = ("descending", "▼") if descending else ("ascending", "▲")
            parts.append(f'<th scope="col" aria-sort="{direction}"><a href="{href}">{label}</a> '
                         f'<span aria-hidden="true">{arrow}</span></th>')
        else:
            parts.append(f'<th scope="col"><a href="{href}">{label}</a></th>')
    return Markup("".join(parts))
