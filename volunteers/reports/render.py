"""Write a report's stored figures as HTML, CSV and XLSX — the same bytes every time.

Everything here is a function of the figures (JSON-shaped, as stored when
issued) and, for HTML, of the issue record: no clock, no request, no random
ids. So an issued report re-renders byte-identically, and the job can
render it without a request.

The standalone HTML document carries its styles in one ``<style>`` (it is
read from disk and in mail clients, where a linked stylesheet would not
load): :func:`document_css`, the very static files the report pages link.
Served by the site, it goes with a policy that allows that one text by hash
(``core.headers.allow_inline_styles``).
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from flask import render_template
from markupsafe import Markup

from volunteers.core import numbers
from volunteers.core.spreadsheets import safe_cell
from volunteers.core.timeutil import to_local
from volunteers.reports import charts
from volunteers.reports.formatting import FORMATTERS, figure_label, month_name

__all__ = ["FORMATTERS", "month_name", "sections", "csv_text", "xlsx_bytes", "document_html", "document_css"]

Section = tuple[str, list[str], list[list[Any]]]
SUMMARY = ("organisation", "organisation_name", "month", "currency", "hours", "value", "volunteer_hours",
           "active_volunteers", "places_needed", "places_filled", "fill_rate", "no_shows", "no_show_rate",
           "median_hours", "top20_share", "gini")
BREAKDOWNS = (("by_role", "Role", "hours"), ("by_site", "Site", "hours"), ("by_kind", "Kind", "hours"),
              ("by_stage", "Stage", "hours"), ("by_contributor_type", "Contributor type", "hours"),
              ("value_by_kind", "Kind", "value"), ("by_week", "Week commencing", "hours"))
COMPARED = ("hours", "value", "active_volunteers", "places_needed", "places_filled")
#: the ``peer_support`` block's counts (DESIGN.md, "Peer support"), as its rows run
PEER_SUPPORT_COUNTS = ("registered", "ward_visit_due", "ward_visit_done", "follow_up_due", "follow_up_done")
STATIC = Path(__file__).resolve().parents[1] / "static"
#: the standalone document's stylesheets, in this order, copied into its one ``<style>``
DOCUMENT_STYLESHEETS = ("report-document.css", "report.css", "charts.css")


def _summary(f: dict[str, Any]) -> list[list[Any]]:
    rows = [[key, f.get(key)] for key in SUMMARY]
    for key in ("new_volunteers", "lapsed_volunteers"):
        rows.append([key, None if f.get(key) is None else len(f[key])])
    warnings = f.get("load_warnings") or {}
    rows += [["load_warnings_raised", warnings.get("raised")], ["load_warnings_resolved", warnings.get("resolved")]]
    return rows


def _comparisons(f: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for which, comparison in sorted((f.get("comparisons") or {}).items()):
        if comparison is None:
            continue
        for metric in COMPARED:
            c = comparison["changes"].get(metric) or {}
            rows.append([which, comparison.get("month"), metric, c.get("base"), c.get("change"), c.get("percent")])
    return rows


def sections(f: dict[str, Any]) -> list[Section]:
    """Return the report as tables ``(key, header, rows)``: the summary, one per breakdown, the lists."""
    result: list[Section] = [("summary", ["figure", "value"], _summary(f))]
    result.append(("by_volunteer", ["name", "email", "hours"],
                   [[p["name"], p["email"], p["hours"]] for p in f["by_volunteer"]]))
    for key, title, unit in BREAKDOWNS:
        result.append((key, [title.lower(), unit], [[k, v] for k, v in sorted((f.get(key) or {}).items())]))
    result.append(("comparisons", ["compared_with", "month", "figure", "base", "change", "percent"],
                   _comparisons(f)))
    for key in ("new_volunteers", "lapsed_volunteers"):
        result.append((key, ["name", "email"], [[p["name"], p["email"]] for p in f.get(key) or []]))
    result.append(("adjustments", ["month", "entries", "hours", "value"],
                   [[a["month"], a["entries"], a["hours"], a["value"]] for a in f.get("adjustments") or []]))
    result.append(("thank_you", ["name"], [[name] for name in f.get("thank_you") or []]))
    if f.get("peer_support"):
        result.append(("peer_support", ["figure", "mode", "number"], _peer_support(f["peer_support"])))
    return result


def _peer_support(block: dict[str, Any]) -> list[list[Any]]:
    """The ``peer_support`` block as rows: the counts, then contacts and their hours by mode."""
    rows: list[list[Any]] = [[key, None, block[key]] for key in PEER_SUPPORT_COUNTS]
    for key in ("contacts", "contact_hours"):
        rows += [[key, mode, value] for mode, value in block[key].items()]
    return rows


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _long_rows(f: dict[str, Any]) -> Iterator[list[Any]]:
    """Yield ``[section, item, detail, value]`` rows: one fact per row, for pivot tables."""
    for key, header, rows in sections(f):
        for row in ([_cell(v) for v in r] for r in rows):
            if key == "comparisons":
                for name, value in zip(header[3:], row[3:], strict=True):
                    yield [key, f"{row[0]}:{row[2]}", f"{row[1]}:{name}", value]
            elif key == "adjustments":
                for name, value in zip(header[1:], row[1:], strict=True):
                    yield [key, row[0], name, value]
            elif key in ("by_volunteer", "peer_support"):
                yield [key, *row]
            elif key in ("new_volunteers", "lapsed_volunteers"):
                yield [key, row[0], row[1], ""]
            elif key == "thank_you":
                yield [key, row[0], "", ""]
            else:
                yield [key, row[0], "", row[1]]


def csv_text(f: dict[str, Any]) -> str:
    """Return the report as one tidy CSV: ``section,item,detail,value`` (UTF-8, CRLF rows)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "item", "detail", "value"])
    # quoted once, here where the cell is written: names and role names are typed by people
    writer.writerows([safe_cell(value) for value in row] for row in _long_rows(f))
    return out.getvalue()


_FIXED = datetime(2000, 1, 1)
#: the summary's figures that are not hours: shown as counts, shares, an index or money in the workbook
_SUMMARY_KINDS = {
    "active_volunteers": "count", "places_needed": "count", "places_filled": "count", "no_shows": "count",
    "new_volunteers": "count", "lapsed_volunteers": "count", "load_warnings_raised": "count",
    "load_warnings_resolved": "count", "fill_rate": "percent", "no_show_rate": "percent", "top20_share": "percent",
    "gini": "ratio",
}
_COLUMN_FORMATS = {"hours": numbers.XLSX_FORMATS["hours"], "entries": numbers.XLSX_FORMATS["count"], "value": ""}


def _number_format(code: str) -> str:
    return numbers.XLSX_FORMATS[_SUMMARY_KINDS.get(code, "hours")]


def _summary_format(code: str, money: str) -> str:
    """Return the number format of one summary figure: money, hours (the rest), count, share or index."""
    if code == "value":
        return money
    if code in ("organisation", "organisation_name", "month", "currency"):
        return "General"
    return _number_format(code)



def xlsx_bytes(f: dict[str, Any]) -> bytes:
    """Return the report as a workbook, one sheet per table, with fixed timestamps (same bytes each time).

    Cells hold numbers with number formats (hours ``#,##0.0#``, counts ``#,##0``, shares ``0%``, money
    ``£#,##0.00``), never numbers written as text; the summary and comparisons name figures in words.

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
    for title, header, rows in sections(f):
        sheet = book.create_sheet(title.replace("_", " ").capitalize()[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(_cell(v)) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, even if it looks like a formula or an error code
        if title == "summary":
            for row in sheet.iter_rows(min_row=2, max_col=2):
                row[1].number_format = _summary_format(str(row[0].value), money)
                row[0].value = figure_label(str(row[0].value))  # the codes stay in the CSV and JSON
        elif title == "comparisons":
            for row in sheet.iter_rows(min_row=2):
                form = money if row[2].value == "value" else _number_format(str(row[2].value))
                for cell in row[3:5]:
                    cell.number_format = form
                row[5].number_format = "0.0"  # already in percent
                row[2].value = figure_label(str(row[2].value))
        else:
            for column, name in enumerate(header, start=1):
                if name in _COLUMN_FORMATS:
                    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                        cell.number_format = money if name == "value" else _COLUMN_FORMATS[name]
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 28
    book.properties.creator = "volunteers"
    book.properties.created = book.properties.modified = _FIXED
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    # zip entries carry the time they were written: rewrite them with a fixed one
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return fixed.getvalue()


@cache
def document_css() -> str:
    """Return the text of the standalone document's ``<style>``: :data:`DOCUMENT_STYLESHEETS`, one after another."""
    css = "\n" + "".join((STATIC / name).read_text(encoding="utf-8") for name in DOCUMENT_STYLESHEETS)
    if "<" in css:  # "</style" would end the element early; a comment naming it would be counted as one
        raise ValueError("a report stylesheet holds '<': keep tags out of the document's <style>")
    return css


def document_html(report: Any) -> str:
    """Return the standalone, print-ready HTML document (inline CSS and SVG; for e-mail and downloads).

    Its one ``<style>`` holds exactly :func:`document_css`: serve it with that text allowed by hash.
    """
    return render_template("reports/monthly_document.html", document_css=Markup(document_css()),
                           **body_context(report))


def body_context(report: Any) -> dict[str, Any]:
    """Return what ``reports/_monthly_body.html`` needs: figures, charts, formatters, issue record."""
    issued, tz = report.issued, report.figures.get("timezone") or "Europe/London"

    def when(instant: datetime) -> str:
        return f"{to_local(instant, tz):%-d %b %Y, %H:%M} ({tz})"

    return {
        "f": report.figures, "charts": charts.all_charts(report.figures), "fmt": FORMATTERS,
        "issued_at": when(issued.issued_at) if issued else None,
        "figures_hash": report.sha256, "as_of": when(report.as_of),
    }
