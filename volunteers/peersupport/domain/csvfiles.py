"""Read DESIGN's two peer-support CSVs: cases and contacts (pure: no organisation, no database).

``cases``: ``reference,first_name,born_on,area,phone,language,supporter[,closed_on,closed_reason]``;
``contacts``: ``reference,date,supporter,mode,minutes,outcome``. Header row
required (names matched case-insensitively, any order, extra columns
ignored), UTF-8, commas. Every problem is reported at once, each naming its
line and field (:class:`~volunteers.core.csv_errors.CsvImportError`), so an
import takes the whole file or nothing. Whether a reference or an e-mail
exists in the organisation is the service's check.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from volunteers.core.csv_errors import CsvImportError, RowError
from volunteers.core.params import NUL, nul_line, parse_date, shown
from volunteers.core.spreadsheets import unquote_cell
from volunteers.peersupport.domain.plan import MODES

CASE_COLUMNS = ("reference", "first_name", "born_on", "area", "phone", "language", "supporter", "closed_on",
                "closed_reason")
CASE_OPTIONAL = frozenset({"closed_on", "closed_reason"})
CONTACT_COLUMNS = ("reference", "date", "supporter", "mode", "minutes", "outcome")
CLOSED_REASONS = ("moved_away", "declined", "plan_complete", "other")
MAX_MINUTES = 12 * 60
_LIMITS = {"reference": 60, "first_name": 100, "area": 100, "phone": 40, "language": 60, "outcome": 2000}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class CaseRow:
    line: int
    reference: str
    first_name: str
    born_on: date
    area: str
    phone: str
    language: str
    supporter: str | None
    closed_on: date | None
    closed_reason: str | None


@dataclass(frozen=True)
class ContactRow:
    line: int
    reference: str
    on: date
    supporter: str
    mode: str
    minutes: int
    outcome: str


def _decode(data: str | bytes) -> str:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _Fatal(RowError(line, "file", f"is not UTF-8 text (byte 0x{data[exc.start]:02x})")) from None
    else:
        text = data.removeprefix("\ufeff")
    at = nul_line(text)
    if at is not None:
        raise _Fatal(RowError(at, "file", NUL))
    return text


class _Fatal(Exception):
    def __init__(self, error: RowError) -> None:
        self.error = error


def _read(data: str | bytes, filename: str, columns: Sequence[str], optional: frozenset[str],
          parse: Callable[[int, dict[str, str], list[RowError]], object]) -> list[object]:
    errors: list[RowError] = []
    try:
        text = _decode(data)
    except _Fatal as fatal:
        raise CsvImportError(filename, [fatal.error], columns) from None
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[object] = []
    try:
        header = next(records, None)
        if header is None or not any(h.strip() for h in header):
            raise CsvImportError(filename, [RowError(1, "header", "header row required: " + ",".join(columns))])
        names = [h.strip().lower() for h in header]
        for name in sorted({n for n in names if n in columns and names.count(n) > 1}):
            errors.append(RowError(1, name, "column appears more than once"))
        errors += [RowError(1, n, "missing column") for n in columns if n not in names and n not in optional]
        if errors:
            raise CsvImportError(filename, errors, columns)
        index = {name: names.index(name) for name in columns if name in names}
        for line, record in enumerate(records, start=2):
            if not any(cell.strip() for cell in record):
                continue
            cells = {name: unquote_cell(record[i].strip()) if i < len(record) else ""
                     for name, i in index.items()}
            for name in columns:
                cells.setdefault(name, "")
            for name, limit in _LIMITS.items():
                if name in cells and len(cells[name]) > limit:
                    errors.append(RowError(line, name, f"must be at most {limit} characters"))
            row = parse(line, cells, errors)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        errors.append(RowError(records.line_num, "file", f"malformed CSV: {exc}"))
    if errors:
        raise CsvImportError(filename, errors, columns)
    return rows


def _date(line: int, field: str, raw: str, errors: list[RowError]) -> date | None:
    try:
        return parse_date(raw)
    except ValueError as error:
        errors.append(RowError(line, field, str(error)))
        return None


def _email(line: int, field: str, raw: str, errors: list[RowError]) -> str | None:
    if not raw:
        return None
    if not _EMAIL.match(raw):
        errors.append(RowError(line, field, f"must be an e-mail address, got {shown(raw)}"))
    return raw.lower()


def _case(line: int, cells: dict[str, str], errors: list[RowError]) -> CaseRow | None:
    before = len(errors)
    if not cells["reference"]:
        errors.append(RowError(line, "reference", "must not be empty"))
    if not cells["first_name"]:
        errors.append(RowError(line, "first_name", "must not be empty"))
    born_on = _date(line, "born_on", cells["born_on"], errors)
    supporter = _email(line, "supporter", cells["supporter"], errors)
    closed_on = _date(line, "closed_on", cells["closed_on"], errors) if cells["closed_on"] else None
    reason = cells["closed_reason"].lower() or None
    if reason is not None and reason not in CLOSED_REASONS:
        errors.append(RowError(line, "closed_reason", f"must be one of {', '.join(CLOSED_REASONS)}, "
                                                      f"got {shown(cells['closed_reason'])}"))
    if reason is not None and not cells["closed_on"]:
        errors.append(RowError(line, "closed_on", "a closed case needs the date it closed"))
    if closed_on is not None and reason is None:
        reason = "other"
    if born_on is not None and closed_on is not None and closed_on < born_on:
        errors.append(RowError(line, "closed_on", "must be on or after born_on"))
    if len(errors) > before or born_on is None:
        return None
    return CaseRow(line, cells["reference"], cells["first_name"], born_on, cells["area"], cells["phone"],
                   cells["language"], supporter, closed_on, reason)


def _contact(line: int, cells: dict[str, str], errors: list[RowError]) -> ContactRow | None:
    before = len(errors)
    if not cells["reference"]:
        errors.append(RowError(line, "reference", "must not be empty"))
    on = _date(line, "date", cells["date"], errors)
    supporter = _email(line, "supporter", cells["supporter"], errors)
    if supporter is None and not cells["supporter"]:
        errors.append(RowError(line, "supporter", "must be the e-mail of the member who made the contact"))
    mode = cells["mode"].lower()
    if mode not in MODES:
        errors.append(RowError(line, "mode", f"must be one of {', '.join(MODES)}, got {shown(cells['mode'])}"))
    minutes = 0
    if not re.fullmatch(r"[0-9]{1,6}", cells["minutes"]):
        errors.append(RowError(line, "minutes", f"must be a whole number of minutes, got {shown(cells['minutes'])}"))
    else:
        minutes = int(cells["minutes"])
        if minutes == 0:
            errors.append(RowError(line, "minutes", "must be more than 0"))
        elif minutes > MAX_MINUTES:
            errors.append(RowError(line, "minutes", f"a contact of more than 12 hours ({MAX_MINUTES} minutes) "
                                                    f"is refused, got {minutes}"))
    if len(errors) > before or on is None or supporter is None:
        return None
    return ContactRow(line, cells["reference"], on, supporter, mode, minutes, cells["outcome"])


def parse_cases_csv(data: str | bytes, filename: str = "<cases.csv>") -> list[CaseRow]:
    """Parse a cases CSV; a reference twice in the file is an error on its second line.

    :raises CsvImportError: listing every problem.
    """
    rows = [r for r in _read(data, filename, CASE_COLUMNS, CASE_OPTIONAL, _case) if isinstance(r, CaseRow)]
    seen: dict[str, int] = {}
    errors = []
    for row in rows:
        key = row.reference
        if key in seen:
            errors.append(RowError(row.line, "reference", f"{shown(row.reference)} is already on line {seen[key]}"))
        else:
            seen[key] = row.line
    if errors:
        raise CsvImportError(filename, errors, CASE_COLUMNS)
    return rows


def parse_contacts_csv(data: str | bytes, filename: str = "<contacts.csv>") -> list[ContactRow]:
    """Parse a contacts CSV.

    :raises CsvImportError: listing every problem.
    """
    return [r for r in _read(data, filename, CONTACT_COLUMNS, frozenset({"outcome"}), _contact)
            if isinstance(r, ContactRow)]
