"""Parse DESIGN.md's volunteers CSV: every error found, with its line and field.

Columns: ``name,email,phone,qualifications,pledged_hours_per_week,joined_on[,availability]``.
Header required, UTF-8 (a spreadsheet's BOM is accepted), extra columns
ignored, optional columns may be absent. Line numbers are what a spreadsheet
shows: the header is line 1.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from email_validator import EmailNotValidError, validate_email

from volunteers.core.csv_errors import CsvImportError, RowError
from volunteers.core.params import NUL, check_length, nul_line, parse_date, parse_decimal
from volunteers.people.domain.availability import WeeklyWindow, parse_availability

REQUIRED = ("name", "email")
KNOWN = ("name", "email", "phone", "qualifications", "pledged_hours_per_week", "joined_on", "availability")
#: the longest text each column's database field holds
LIMITS = {"name": 200, "email": 254, "phone": 40}
QUALIFICATION_NAME_LIMIT = 120


@dataclass(frozen=True)
class QualificationEntry:
    name: str
    expires_on: date | None


@dataclass(frozen=True)
class VolunteerRow:
    line: int
    name: str
    email: str
    phone: str | None
    qualifications: tuple[QualificationEntry, ...]
    pledged_hours_per_week: Decimal | None
    joined_on: date | None
    #: None when the column is absent (leave what is stored); () = no stated limits
    availability: tuple[WeeklyWindow, ...] | None


def normalise_email(text: str) -> str:
    """Return the e-mail lower-cased after a syntax check (no DNS look-up).

    :raises ValueError: with a plain message.
    """
    try:
        result = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(f"{text.strip()!r} is not an e-mail address ({error})") from None
    return result.normalized.lower()


def parse_qualifications(text: str) -> tuple[QualificationEntry, ...]:
    """Parse ``DBS:2027-03-31;First aid`` into entries (no date = never expires)."""
    entries = []
    for raw in text.split(";"):
        part = raw.strip()
        if not part:
            continue
        name, sep, expiry = part.partition(":")
        name = name.strip()
        if not name:
            raise ValueError(f"{part!r} has no qualification name")
        if len(name) > QUALIFICATION_NAME_LIMIT:
            raise ValueError(f"a qualification name must be at most {QUALIFICATION_NAME_LIMIT} characters")
        expires_on = None
        if sep:
            try:
                expires_on = parse_date(expiry)
            except ValueError:
                raise ValueError(f"{part!r}: expiry must be a date YYYY-MM-DD after the colon") from None
        entries.append(QualificationEntry(name, expires_on))
    names = [e.name.lower() for e in entries]
    if len(names) != len(set(names)):
        raise ValueError("the same qualification is listed twice")
    return tuple(entries)


def parse_volunteers_csv(data: bytes | str, filename: str = "volunteers.csv") -> list[VolunteerRow]:
    """Return every row, or raise CsvImportError listing every bad field."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CsvImportError(filename, [RowError(1, "", f"the file is not UTF-8 text ({error.reason})")]) from None
    else:
        text = data.lstrip("\ufeff")
    if (line := nul_line(text)) is not None:
        raise CsvImportError(filename, [RowError(line, "file", NUL)])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if not header or missing:
        problem = f"the header row must name the columns; missing: {', '.join(missing or REQUIRED)}"
        raise CsvImportError(filename, [RowError(1, "", problem)])
    reader.fieldnames = header
    rows: list[VolunteerRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for record in reader:
        values = {k: (v or "").strip() for k, v in record.items() if k is not None and isinstance(v, str)}
        if not any(values.values()):
            continue
        row = _parse_row(reader.line_num, values, "availability" in header, seen, errors)
        if row is not None:
            rows.append(row)
    if errors:
        raise CsvImportError(filename, errors)
    return rows


def _parse_row(line: int, values: dict[str, str], has_availability: bool, seen: dict[str, int],
               errors: list[RowError]) -> VolunteerRow | None:
    """Validate one non-blank record, appending every problem to ``errors``; return the row if clean.

    ``seen`` maps each e-mail met so far to its line, to report duplicates.
    """
    before = len(errors)

    def bad(field: str, message: str) -> None:
        errors.append(RowError(line, field, message))

    name = values.get("name", "")
    if not name:
        bad("name", "is empty")
    for field, limit in LIMITS.items():
        try:
            check_length(values.get(field, ""), limit)
        except ValueError as error:
            bad(field, str(error))
    email = ""
    try:
        email = normalise_email(values.get("email", ""))
    except ValueError as error:
        bad("email", str(error))
    if email and email in seen:
        bad("email", f"{email} appears twice (also on line {seen[email]})")
    elif email:
        seen[email] = line
    quals: tuple[QualificationEntry, ...] = ()
    try:
        quals = parse_qualifications(values.get("qualifications", ""))
    except ValueError as error:
        bad("qualifications", str(error))
    pledge = None
    if values.get("pledged_hours_per_week"):
        try:
            pledge = parse_decimal(values["pledged_hours_per_week"], low=0, high=168)
        except ValueError:
            bad("pledged_hours_per_week",
                f"must be a number of hours from 0 to 168, got {values['pledged_hours_per_week']!r}")
    joined = None
    if values.get("joined_on"):
        try:
            joined = parse_date(values["joined_on"])
        except ValueError:
            bad("joined_on", f"must be a date YYYY-MM-DD, got {values['joined_on']!r}")
    availability = None
    if has_availability:
        try:
            availability = parse_availability(values.get("availability", ""))
        except ValueError as error:
            bad("availability", str(error))
    if len(errors) > before:
        return None
    return VolunteerRow(line, name, email, values.get("phone") or None, quals, pledge, joined, availability)
