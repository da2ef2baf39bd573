"""Turn a person's rows into the download's files: ``data.json`` and one CSV per table.

Values become JSON's types (instants and dates as ISO 8601 text, amounts as
decimal text so no hour is rounded); CSV cells go through
:func:`volunteers.core.spreadsheets.safe_cell`, so a name typed as a formula
stays text in a spreadsheet.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from volunteers.core.spreadsheets import safe_cell

Row = dict[str, Any]


def plain(value: Any) -> Any:
    """Return ``value`` as JSON data (recursively for lists and dicts)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def plain_row(row: Mapping[str, Any]) -> Row:
    return {key: plain(value) for key, value in row.items()}


def _cell(value: Any) -> Any:
    """Return one CSV cell: numbers as numbers (a reversal's -2.5 stays -2.5), text made inert."""
    if isinstance(value, dict | list | tuple):  # nested data (preferences, evidence) as one JSON cell
        return safe_cell(json.dumps(plain(value), sort_keys=True, ensure_ascii=False))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    return safe_cell(plain(value))


def columns_of(rows: Sequence[Row], default: Sequence[str] = ()) -> list[str]:
    """Return every key used by ``rows``, in first-seen order (``default`` when there are none)."""
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen) or list(default)


def csv_text(rows: Sequence[Row], columns: Sequence[str]) -> str:
    """Return one table as CSV text: a header row, then each row's cells made spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue()


def json_text(document: Mapping[str, Any]) -> str:
    """Return the whole download as readable JSON (UTF-8 text, keys in a stable order)."""
    return json.dumps(plain(document), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def csv_name(table: str) -> str:
    return f"{table}.csv"


def files(document: Mapping[str, Any], tables: Iterable[str], defaults: Mapping[str, Sequence[str]]
          ) -> Iterable[tuple[str, str]]:
    """Yield ``(file name, text)``: ``data.json``, then one CSV for each table in ``tables``.

    ``document[table]`` is a list of rows for each table (``person`` is a
    single row); ``defaults`` names the header of a table with no rows.
    """
    yield "data.json", json_text(document)
    for table in tables:
        value = document.get(table)
        rows = [dict(value)] if isinstance(value, Mapping) else [dict(r) for r in value or []]
        yield csv_name(table), csv_text(rows, columns_of(rows, defaults.get(table, ())))
