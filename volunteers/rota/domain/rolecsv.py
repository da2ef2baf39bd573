"""Parse DESIGN.md's roles CSV (``name,intensity,requires,on_call``), every error at once.

Header required (UTF-8, a spreadsheet's BOM accepted), extra columns
ignored; only ``name`` is required, the rest may be absent. ``intensity``
is a number above 0 and at most 10 (default 1.0), ``requires`` empty, one
qualification name or several separated by ``;`` (all required), ``on_call`` ``true``/``false`` (also
``yes``/``no``, ``1``/``0``; default false). Errors reuse the shifts CSV's
:class:`RowError` so every import reads alike: ``FILE:LINE: field 'x': …``.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from volunteers.core.params import NUL, nul_line
from volunteers.rota.domain.shiftcsv import CsvImportError, RowError

__all__ = ["ROLE_COLUMNS", "RoleRow", "parse_roles_csv", "CsvImportError", "RowError"]

ROLE_COLUMNS = ("name", "intensity", "requires", "on_call")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0", ""}
MAX_INTENSITY = Decimal(10)


@dataclass(frozen=True)
class RoleRow:
    """One valid line of a roles CSV."""

    line: int
    name: str
    intensity: Decimal = Decimal("1.0")
    #: the qualifications the role needs, every one of them (order as written, no repeats)
    requires: tuple[str, ...] = ()
    on_call: bool = False


def _decode(data: str | bytes, filename: str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvImportError(filename, [RowError(line, "file", "is not UTF-8 text")]) from None


def _intensity(raw: str) -> Decimal | None:
    if not raw:
        return Decimal("1.0")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0 or value > MAX_INTENSITY:
        return None
    return value.quantize(Decimal("0.01"))


def _requires(raw: str) -> tuple[str, ...]:
    """Split ``"Peer counsellor course; DBS check"`` into names; blanks and case-blind repeats drop out."""
    names: dict[str, str] = {}
    for part in raw.split(";"):
        if part.strip():
            names.setdefault(part.strip().lower(), part.strip())
    return tuple(names.values())


def parse_roles_csv(data: str | bytes, filename: str = "roles.csv") -> list[RoleRow]:
    """Return every row, or raise :class:`CsvImportError` naming each bad line and field."""
    text = _decode(data, filename)
    if (line := nul_line(text)) is not None:
        raise CsvImportError(filename, [RowError(line, "file", NUL)])
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    if "name" not in header:
        raise CsvImportError(filename, [RowError(1, "name", "missing column (header row: "
                                                 + ",".join(ROLE_COLUMNS) + ")")])
    index = {name: header.index(name) for name in ROLE_COLUMNS if name in header}
    rows: list[RoleRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    try:
        for line, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            cells = {k: (record[i].strip() if i < len(record) else "") for k, i in index.items()}
            before = len(errors)
            name = cells["name"]
            if not name:
                errors.append(RowError(line, "name", "must not be empty"))
            elif len(name) > 120:
                errors.append(RowError(line, "name", "is longer than 120 characters"))
            elif name.lower() in seen:
                errors.append(RowError(line, "name", f"{name!r} appears twice (also on line {seen[name.lower()]})"))
            else:
                seen[name.lower()] = line
            intensity = _intensity(cells.get("intensity", ""))
            if intensity is None:
                errors.append(RowError(line, "intensity",
                                       f"must be a number above 0 and at most 10, got {cells['intensity']!r}"))
            requires = _requires(cells.get("requires", ""))
            if any(len(part) > 120 for part in requires):
                errors.append(RowError(line, "requires", "names a qualification longer than 120 characters"))
            flag = cells.get("on_call", "").lower()
            if flag not in _TRUE | _FALSE:
                errors.append(RowError(line, "on_call", f"must be true or false, got {cells['on_call']!r}"))
            if len(errors) == before:
                rows.append(RoleRow(line, name, intensity or Decimal("1.0"),
                                    requires, flag in _TRUE))
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, "file", f"malformed CSV: {exc}"))
    if errors:
        raise CsvImportError(filename, errors)
    return rows
