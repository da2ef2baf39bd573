"""The series list's rows, as HTML written in Python: the template's loop cost more than the page's statement.

The markup is what ``rota/series_list.html``'s loop drew, character for character
(``tests/integration/rota/test_board_same_bytes.py`` holds both demo
organisations' tables); every value is escaped with ``markupsafe.escape``, as the
template's autoescaping did. A row is a pure function of the values it shows, so it
is remembered (a small bounded cache: a list is redrawn far more often than edited).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from markupsafe import Markup, escape

from volunteers.rota.series import SeriesRow


def series_rows(rows: list[SeriesRow], series_url: str, describe: Callable[[str], str]) -> Markup:
    """Return the list's ``<tr>`` rows; ``series_url`` is ``url_for('rota.list_series') + '/'``."""
    return Markup("".join([_row(row._replace(exdates=tuple(row.exdates or ())), series_url, describe)
                           for row in rows]))


@lru_cache(maxsize=256)
def _row(s: SeriesRow, series_url: str, describe: Callable[[str], str]) -> str:
    skips = (f'<br><small class="muted">skips {escape(", ".join(map(str, s.exdates)))}</small>'
             if s.exdates else "")
    until = s.materialised_until.strftime("%a %-d %b %Y") if s.materialised_until else ""  # nice_date's format
    starts = s.starts_on.strftime("%a %-d %b %Y") if s.starts_on else ""
    return (f'\n    <tr><td><a href="{escape(series_url + str(s.id))}">{escape(describe(s.rrule))}</a>{skips}</td>'
            f"\n      <td>{escape(s.times)}</td>"
            f"\n      <td>{escape(s.role)}</td><td>{escape(s.site)}</td><td>{escape(s.needed)}</td>"
            f"\n      <td>{escape(starts)}</td><td>{escape(until)}</td></tr>\n  ")
