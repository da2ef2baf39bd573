"""The monthly report as a workbook for people: words for every code, numbers with number formats.

The CSV and JSON keep the report's codes (``top20_share``, ``in_kind``,
``previous_month``): scripts read them. A workbook is opened by a treasurer
or a funder, so here every header, figure and code-named item is written
in words (``reports.formatting``'s labels, the same as the report page),
and every number stays a number with a spreadsheet number format: hours
``#,##0.0#`` (29.5, never 29.50), counts ``#,##0`` (51, never 51.00),
shares ``0%``, money ``£#,##0.00``, an index ``0.00``. Months and weeks are
dates or their names, not ``2026-10``.

Same bytes every time for the same figures: fixed timestamps in the
workbook and in its zip entries.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from volunteers.core import numbers
from volunteers.core.spreadsheets import safe_cell
from volunteers.reports.formatting import figure_label, label, month_name
from volunteers.reports.tables import sections

#: each table's columns as people name them (the tables' own headers are the codes)
HEADERS = {
    "summary": ["Figure", "Value"],
    "by_volunteer": ["Name", "E-mail", "Hours"],
    "by_role": ["Role", "Hours"], "by_site": ["Site", "Hours"], "by_kind": ["Kind", "Hours"],
    "by_stage": ["Stage", "Hours"], "by_contributor_type": ["Contributor type", "Hours"],
    "value_by_kind": ["Kind", "Value"], "by_week": ["Week commencing", "Hours"],
    "comparisons": ["Compared with", "Month", "Figure", "Then", "Change", "Change (%)"],
    "new_volunteers": ["Name", "E-mail"], "lapsed_volunteers": ["Name", "E-mail"],
    "adjustments": ["Month", "Entries", "Hours", "Value"],
    "thank_you": ["Name"],
    "peer_support": ["Figure", "Mode", "Number"],
}
#: the breakdowns: their items (kinds, stages, ``unspecified``; role and site names as typed) read as on the page
CODED_ITEMS = ("by_role", "by_site", "by_kind", "by_stage", "by_contributor_type", "value_by_kind")
#: the ``peer_support`` block's figures in words (the page says the same)
PEER_SUPPORT_LABELS = {
    "registered": "Supported people registered", "ward_visit_due": "Ward visits due",
    "ward_visit_done": "Ward visits done in their window", "follow_up_due": "20-week follow-ups due",
    "follow_up_done": "20-week follow-ups done in their window",
    "contacts": "Contacts", "contact_hours": "Contact hours",
}
#: the summary's figures that are not hours: counts, shares or an index; words and codes are text
SUMMARY_KINDS = {
    "active_volunteers": "count", "places_needed": "count", "places_filled": "count", "no_shows": "count",
    "new_volunteers": "count", "lapsed_volunteers": "count", "load_warnings_raised": "count",
    "load_warnings_resolved": "count", "fill_rate": "percent", "no_show_rate": "percent", "top20_share": "percent",
    "gini": "ratio", "organisation": "text", "organisation_name": "text", "month": "text", "currency": "text",
}
#: a change in percent (stored as 12.5 for +12.5%), written as a share with its sign
SIGNED_PERCENT = "+0.0%;-0.0%;0.0%"
DATE = "d mmm yyyy"
_FIXED = datetime(2000, 1, 1)

Row = list[Any]


def _format(kind: str, money: str) -> str:
    """Return the number format of a kind of figure: ``money``, ``hours``, ``count``, ``percent``, ``ratio``."""
    if kind == "money":
        return money
    return "General" if kind == "text" else numbers.XLSX_FORMATS[kind]


def _summary_row(row: Row, money: str) -> tuple[Row, list[str]]:
    code, value = row
    kind = "money" if code == "value" else SUMMARY_KINDS.get(code, "hours")
    if code == "month" and value:
        value = month_name(value)
    return [figure_label(code), value], ["General", _format(kind, money)]


def _comparison_row(row: Row, money: str) -> tuple[Row, list[str]]:
    which, month, metric, base, change, percent = row
    form = _format("money" if metric == "value" else SUMMARY_KINDS.get(metric, "hours"), money)
    share = None if percent is None else percent / 100
    return ([figure_label(which), month_name(month) if month else month, figure_label(metric), base, change, share],
            ["General", "General", "General", form, form, SIGNED_PERCENT])


def _peer_support_row(row: Row, money: str) -> tuple[Row, list[str]]:
    code, mode, number = row
    form = _format("hours" if code == "contact_hours" else "count", money)
    return [PEER_SUPPORT_LABELS.get(code, label(code)), label(mode) if mode else mode, number], \
        ["General", "General", form]


def _plain_row(key: str) -> Callable[[Row, str], tuple[Row, list[str]]]:
    """Rows whose columns are formatted by their header: hours, money, counts; coded items in words."""
    header = HEADERS.get(key, [])

    def person_row(row: Row, money: str) -> tuple[Row, list[str]]:
        cells = list(row)
        if key in CODED_ITEMS and isinstance(cells[0], str):
            cells[0] = label(cells[0])
        elif key == "by_week" and cells[0]:
            cells[0] = date.fromisoformat(cells[0])
        elif key == "adjustments" and cells[0]:
            cells[0] = month_name(cells[0])
        forms = [{"Hours": _format("hours", money), "Value": money, "Entries": _format("count", money),
                  "Week commencing": DATE}.get(name, "General") for name in header]
        return cells, forms

    return person_row


_ROWS: dict[str, Callable[[Row, str], tuple[Row, list[str]]]] = {
    "summary": _summary_row, "comparisons": _comparison_row, "peer_support": _peer_support_row,
}


def xlsx_bytes(f: dict[str, Any]) -> bytes:
    """Return the report as a workbook, one sheet per table, headers and figures in words (same bytes each time).

    Cells hold numbers with number formats, never numbers written as text;
    text typed by people is quoted against formulas (``core.spreadsheets``).
    openpyxl (which brings numpy) is imported here, on the first export, not by every web worker.
    """
    from openpyxl import Workbook  # heavy: imported on first use (tests/unit/architecture/test_heavy_imports.py)
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    money = numbers.currency_format(f.get("currency") or "GBP")
    book = Workbook()
    blank = book.active  # a new workbook comes with one empty sheet; the report's sheets replace it
    if blank is not None:
        book.remove(blank)
    for key, header, rows in sections(f):
        sheet = book.create_sheet(key.replace("_", " ").capitalize()[:31])
        sheet.append(HEADERS.get(key) or [label(name) for name in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        person_row = _ROWS.get(key) or _plain_row(key)
        for row in rows:
            values, forms = person_row(row, money)
            sheet.append(["" if v is None else safe_cell(v) for v in values])
            for cell, form in zip(sheet[sheet.max_row], forms, strict=False):
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, even if it looks like a formula or an error code
                else:
                    cell.number_format = form
        for column, width in zip("ABCDEF", (34, 28, 24, 14, 14, 14), strict=False):
            sheet.column_dimensions[column].width = width
    book.properties.creator = "volunteers"
    book.properties.created = book.properties.modified = _FIXED
    return _fixed_zip(book, ExcelWriter)


def _fixed_zip(book: Any, writer: Any) -> bytes:
    """Return the workbook's bytes with every zip entry dated 1980-01-01 (they carry the time written)."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        writer(book, archive).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return fixed.getvalue()
