"""Read and write DESIGN.md's shifts CSV (``date,start,end,role,site,needed,volunteers,status``).

Coordinators live in spreadsheets, so an import must either take the whole
file or tell them every problem at once, in spreadsheet terms: the header is
line 1 and each record is one line, even when a quoted cell holds a newline.
Parsing is pure — it knows nothing of the organisation's roles, sites or
people; the import service checks those names and e-mails afterwards and
reports with the same :class:`RowError` so the messages read alike.

Export writes the import columns plus ``hours`` (real length, two decimals),
so an exported file imports again unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from volunteers.core.csv_errors import CsvImportError as BaseCsvImportError
from volunteers.core.csv_errors import RowError
from volunteers.core.params import MAX_NEEDED, NUL, nul_line, parse_count
from volunteers.core.spreadsheets import safe_cell, unquote_cell
from volunteers.core.timeutil import MAX_YEAR, MIN_YEAR, TzLike, duration_hours, shift_bounds

__all__ = [
    "COLUMNS", "EXPORT_COLUMNS", "STATUSES", "ShiftRow", "RowError", "CsvImportError",
    "parse_shifts_csv", "row_hours", "write_shifts_csv", "shifts_to_json_objects",
    "write_shifts_json",
]

COLUMNS = ("date", "start", "end", "role", "site", "needed", "volunteers", "status")
#: Columns that may be absent from the header: no volunteers yet, status planned.
OPTIONAL_COLUMNS = frozenset({"volunteers", "status"})
EXPORT_COLUMNS = (*COLUMNS, "hours")
#: Columns people type, which the export quotes if they look like a formula and the import unquotes.
_TYPED = ("role", "site", "volunteers")
STATUSES = ("planned", "attended")

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
#: the longest role or site name (their columns hold 120 characters)
MAX_NAME = 120
# A syntax check, not a deliverability check: a dot-atom local part and a
# domain of LDH labels with a letter TLD. Quoted local parts are refused.
_EMAIL_RE = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class ShiftRow:
    """One valid line of a shifts CSV, in local wall-clock terms.

    ``line`` is the spreadsheet line it came from (0 for rows built for export).
    """

    line: int
    local_date: date
    start: time
    end: time
    role: str
    site: str
    needed: int
    volunteer_emails: tuple[str, ...] = ()
    status: str = "planned"


class CsvImportError(BaseCsvImportError):
    """Every problem in a shifts file, ordered by line and then column."""

    def __init__(self, filename: str, errors: Sequence[RowError]) -> None:
        super().__init__(filename, errors, COLUMNS)


def _decode(data: str | bytes, errors: list[RowError]) -> str | None:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            errors.append(RowError(line, "file", f"is not UTF-8 text (byte 0x{data[exc.start]:02x})"))
            return None
    else:
        text = data
    at = nul_line(text)
    if at is not None:
        errors.append(RowError(at, "file", NUL))
        return None
    return text[1:] if text.startswith("\ufeff") else text


def _parse_time(raw: str) -> time | None:
    m = _TIME_RE.match(raw)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return None
    return time(int(m.group(1)), int(m.group(2)))


def _parse_record(line: int, cells: dict[str, str], errors: list[RowError]) -> ShiftRow | None:
    """Validate one record, appending every problem to ``errors``; return the row if clean."""
    before = len(errors)

    def bad(field: str, message: str) -> None:
        errors.append(RowError(line, field, message))

    raw = cells["date"]
    day = None
    if _DATE_RE.match(raw):
        with suppress(ValueError):
            day = date.fromisoformat(raw)
    if day is None:
        bad("date", f"must be a date as YYYY-MM-DD, got {raw!r}")
    elif not MIN_YEAR <= day.year <= MAX_YEAR:
        bad("date", f"must be a date between {MIN_YEAR} and {MAX_YEAR}, got {raw!r}")
        day = None
    start, end = _parse_time(cells["start"]), _parse_time(cells["end"])
    for field, value in (("start", start), ("end", end)):
        if value is None:
            bad(field, f"must be a time as HH:MM (00:00–23:59), got {cells[field]!r}")
    for field in ("role", "site"):
        if not cells[field]:
            bad(field, "must not be empty")
        elif len(cells[field]) > MAX_NAME:
            bad(field, f"must be at most {MAX_NAME} characters, got {len(cells[field])}")
    needed = None
    try:
        needed = parse_count(cells["needed"], 1, MAX_NEEDED)
    except ValueError as error:
        too_many = cells["needed"].isascii() and cells["needed"].isdigit() and cells["needed"].strip("0")
        bad("needed", str(error) if too_many else f"must be a whole number ≥ 1, got {cells['needed']!r}")
    emails: list[str] = []
    for item in cells["volunteers"].split(";"):
        email = item.strip().lower()
        if not email:
            continue
        if not _EMAIL_RE.match(email) or len(email) > 254:
            bad("volunteers", f"not an e-mail address: {item.strip()!r}")
        elif email in emails:
            bad("volunteers", f"{email!r} is listed twice")
        else:
            emails.append(email)
    if needed is not None and len(emails) > needed:
        bad("volunteers", f"{len(emails)} volunteers listed but only {needed} needed")
    status = cells["status"].lower() or "planned"
    if status not in STATUSES:
        bad("status", f"must be one of {', '.join(STATUSES)} (empty means planned), "
                      f"got {cells['status']!r}")
    # every None below has put an error on the list; naming them tells the type checker so
    if len(errors) > before or day is None or start is None or end is None or needed is None:
        return None
    return ShiftRow(line, day, start, end, cells["role"], cells["site"], needed,
                    tuple(emails), status)


def parse_shifts_csv(data: str | bytes, filename: str = "<shifts.csv>") -> list[ShiftRow]:
    """Parse a whole shifts CSV into rows, or raise one error listing every problem.

    Header names are matched case-insensitively and may come in any order;
    extra columns are ignored; ``volunteers`` and ``status`` may be absent.
    Lines that are entirely empty are skipped. Cells are stripped. Role and
    site names are kept as written (matching them is the service's job).

    :raises CsvImportError: if anything at all is wrong.
    """
    errors: list[RowError] = []
    text = _decode(data, errors)
    if text is None:
        raise CsvImportError(filename, errors)
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(records, None)
        if header is None or not any(h.strip() for h in header):
            raise CsvImportError(filename, [RowError(1, "header", "header row required: "
                                                     + ",".join(COLUMNS))])
        names = [h.strip().lower() for h in header]
        for name in sorted({n for n in names if n in COLUMNS and names.count(n) > 1}):
            errors.append(RowError(1, name, "column appears more than once"))
        for name in COLUMNS:
            if name not in names and name not in OPTIONAL_COLUMNS:
                errors.append(RowError(1, name, "missing column"))
        if errors:
            raise CsvImportError(filename, errors)
        index = {name: names.index(name) for name in COLUMNS if name in names}
        rows: list[ShiftRow] = []
        for line, record in enumerate(records, start=2):
            if not any(cell.strip() for cell in record):
                continue
            cells = {name: (record[i].strip() if i < len(record) else "")
                     for name, i in index.items()}
            cells.setdefault("volunteers", "")
            cells.setdefault("status", "")
            for name in _TYPED:  # undo the export's quoting, so an exported file imports unchanged
                cells[name] = unquote_cell(cells[name])
            row = _parse_record(line, cells, errors)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        errors.append(RowError(records.line_num, "file", f"malformed CSV: {exc}"))
    if errors:
        raise CsvImportError(filename, errors)
    return rows


# -- export -----------------------------------------------------------------

def row_hours(row: ShiftRow, tz: TzLike) -> Decimal:
    """Return the real length of a row's shift in hours (7 for 00:00–06:00 on 25 Oct 2026)."""
    return duration_hours(*shift_bounds(row.local_date, row.start, row.end, tz))


def _hours_text(hours: Decimal) -> str:
    return str(Decimal(hours).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _cells(row: ShiftRow, hours: Decimal) -> dict[str, str]:
    return {
        "date": row.local_date.isoformat(), "start": f"{row.start:%H:%M}",
        "end": f"{row.end:%H:%M}", "role": row.role, "site": row.site,
        "needed": str(row.needed), "volunteers": ";".join(row.volunteer_emails),
        "status": row.status, "hours": _hours_text(hours),
    }


def write_shifts_csv(rows_with_hours: Iterable[tuple[ShiftRow, Decimal]]) -> str:
    """Return the CSV text of ``(row, hours)`` pairs, header first, in the given order.

    ``hours`` is the real length as the caller knows it (from the stored UTC
    instants, or :func:`row_hours`), written with two decimals. Lines end in
    ``\\n``; no BOM (callers writing for Excel may prepend one). Role, site
    and volunteers are typed by people: one that looks like a formula gets a
    leading ``'`` (:func:`~volunteers.core.spreadsheets.safe_cell`), which the
    import takes off again.
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row, hours in rows_with_hours:
        cells = _cells(row, hours)
        writer.writerow({**cells, **{name: safe_cell(cells[name]) for name in _TYPED}})
    return out.getvalue()


def shifts_to_json_objects(rows_with_hours: Iterable[tuple[ShiftRow, Decimal]]) -> list[dict[str, Any]]:
    """Return the export as JSON-ready objects with the CSV's keys.

    Values keep their natural JSON types: ``needed`` an integer,
    ``volunteers`` a list of e-mails, ``hours`` a number with two decimals.
    """
    objects = []
    for row, hours in rows_with_hours:
        cells: dict[str, Any] = _cells(row, hours)
        cells["needed"] = row.needed
        cells["volunteers"] = list(row.volunteer_emails)
        cells["hours"] = float(cells["hours"])
        objects.append(cells)
    return objects


def write_shifts_json(rows_with_hours: Iterable[tuple[ShiftRow, Decimal]]) -> str:
    """Return the export as a JSON array (UTF-8 text, keys in column order)."""
    return json.dumps(shifts_to_json_objects(rows_with_hours), ensure_ascii=False, indent=2) + "\n"
