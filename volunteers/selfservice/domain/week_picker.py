"""The weekly availability picker: one form row per window (day, from, to), read into weekly windows.

The page posts ``day-N``, ``start-N`` and ``end-N`` for N = 0, 1, …; a row
with no day and no times is blank and skipped (the page always offers a
few blank rows, so it works without JavaScript). Each filled row becomes
one entry of the CSV ``availability`` contract (``Mon 09:00-13:00``) and is
read by :func:`volunteers.people.domain.availability.parse_availability`,
so the picker and the text format (kept for imports and the CLI) mean
exactly the same: an end at or before the start runs past midnight, and
00:00 to 00:00 is the whole day.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from volunteers.people.domain.availability import WEEKDAYS, WeeklyWindow, parse_availability

#: rows read at most (a week of windows is a handful; anything past this is ignored)
MAX_ROWS = 60
#: blank rows the page offers below the saved ones
BLANK_ROWS = 3
_TIME = re.compile(r"^\d{1,2}:\d{2}$")


@dataclass
class Row:
    """One row as the form shows it: the weekday index as text ("" = none), times as HH:MM."""

    day: str = ""
    start: str = ""
    end: str = ""
    error: str | None = None

    @property
    def blank(self) -> bool:
        return not (self.day or self.start or self.end)


@dataclass
class Picked:
    rows: list[Row] = field(default_factory=list)
    windows: tuple[WeeklyWindow, ...] = ()

    @property
    def errors(self) -> list[str]:
        return [r.error for r in self.rows if r.error]


def rows_for(windows: Sequence[WeeklyWindow], blank: int = BLANK_ROWS) -> list[Row]:
    """Return the rows showing ``windows``, then ``blank`` empty rows."""
    rows = [Row(str(w.weekday), f"{w.start:%H:%M}", f"{w.end:%H:%M}") for w in windows]
    return rows + [Row() for _ in range(blank)]


def read_rows(form: Mapping[str, str]) -> Picked:
    """Read the posted rows; a row in error carries its message and no windows are returned."""
    indexes = sorted({int(key.split("-", 1)[1]) for key in form
                      if re.fullmatch(r"(day|start|end)-\d{1,3}", key)})[:MAX_ROWS]
    picked = Picked([Row((form.get(f"day-{i}") or "").strip(), (form.get(f"start-{i}") or "").strip(),
                         (form.get(f"end-{i}") or "").strip()) for i in indexes])
    entries: list[str] = []
    for number, row in enumerate(picked.rows, start=1):
        if row.blank:
            continue
        if row.day not in {str(i) for i in range(7)}:
            row.error = f"Row {number}: choose a day."
        elif not (_TIME.match(row.start) and _TIME.match(row.end)):
            row.error = f"Row {number}: give both times as HH:MM."
        else:
            entry = f"{WEEKDAYS[int(row.day)]} {row.start}-{row.end}"
            try:
                parse_availability(entry)
            except ValueError:
                row.error = f"Row {number}: {row.start} to {row.end} is not a time of day (00:00 to 23:59)."
            else:
                entries.append(entry)
    if not picked.errors:
        picked.windows = parse_availability(";".join(entries))
    return picked
