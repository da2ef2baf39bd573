"""The shift panel's candidate rows, written in Python: what ``rota/_shift_panel.html``'s loop wrote.

The template's loop looked every attribute up through the environment and
escaped each value into a ``Markup`` of its own, for each of the twelve
people shown (hundreds with "show more"): a tenth of the panel's own work
once its reads were cut. Here each value is escaped once, as a ``str``
(:func:`volunteers.people.list_markup.text`, what ``{{ }}`` does to it), and
the bytes are the loop's (tests/integration/autofill/test_panel_markup.py
renders the old loop beside it; benchmarks/shift_panel_identity.py compares
every demo panel).
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from markupsafe import Markup

from volunteers.autofill.ranking import CandidateRow
from volunteers.core import numbers
from volunteers.people.list_markup import text

_WARNED = ("warning", "critical")
#: hours as people say them (``core.numbers.hours``, a pure function of the value), each figure worked out
#: once: its Decimal formatting was most of writing a row (a few hundred figures recur: quarter hours)
hours = lru_cache(maxsize=1024)(numbers.hours)
_NO_WARNINGS = '<span class="muted">No load warnings</span>'


def _warnings(row: CandidateRow) -> str:
    if not row.warnings:
        return _NO_WARNINGS
    return "".join(f'<span class="badge sev-{text(w.severity)}">{text(w.severity)}</span> {text(w.message)}<br>'
                   for w in row.warnings)


def _of(pledge: float) -> str:
    """`` <span class="muted">of 4 h</span>``: the pledge after the hours."""
    return f' <span class="muted">of {text(hours(pledge))}</span>'


def candidate_rows(rows: Iterable[CandidateRow], assign_url: str, token: str, show_all: bool) -> Markup:
    """The ``<tr>``s of the eligible people, each with its Assign form (``assign_url``, ``token``: one for all).

    What ``{% for r in listing.eligible %}…{% endfor %}`` wrote, whitespace included. The month's pledge is
    shown rounded to whole hours (the template's ``round(0)``: Python's ``round``, a float).
    """
    url, csrf = text(assign_url), text(token)
    every = '<input type="hidden" name="all" value="1">' if show_all else ""
    parts = []
    for r in rows:
        name = text(r.name)
        warned = ' class="warned"' if r.worst_warning in _WARNED else ""
        week_of = _of(r.pledge_week) if r.pledge_week else ""
        month_of = _of(round(r.pledge_month, 0)) if r.pledge_month else ""
        parts.append(
            f'\n      <tr{warned}>\n        <th scope="row">{name}</th>\n'
            f'        <td>{text(hours(r.week_hours) or "0 h")}{week_of}</td>\n'
            f'        <td>{text(hours(r.month_hours) or "0 h")}{month_of}</td>\n'
            f"        <td>{_warnings(r)}</td>\n"
            f'        <td><form method="post" action="{url}" class="inline"\n'
            f'                  hx-post="{url}" hx-target="#panel">\n'
            f'          <input type="hidden" name="csrf_token" value="{csrf}">\n'
            f'          <input type="hidden" name="membership_id" value="{text(str(r.membership_id))}">\n'
            f"          {every}\n"
            f'          <button type="submit" class="small" aria-label="Assign {name}">Assign</button></form></td>\n'
            f"      </tr>\n    "
        )
    return Markup("".join(parts))
