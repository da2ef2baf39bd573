"""Write a report's stored figures as HTML, CSV and XLSX — the same bytes every time.

Everything here is a function of the figures (JSON-shaped, as stored when
issued) and, for HTML, of the issue record: no clock, no request, no random
ids. So an issued report re-renders byte-identically, and the job can
render it without a request.

The tables come from ``reports.tables``; the workbook, in words and with
number formats for people, from ``reports.workbook``.

The standalone HTML document carries its styles in one ``<style>`` (it is
read from disk and in mail clients, where a linked stylesheet would not
load): :func:`document_css`, the very static files the report pages link.
Served by the site, it goes with a policy that allows that one text by hash
(``core.headers.allow_inline_styles``).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from flask import render_template
from markupsafe import Markup

from volunteers.core.spreadsheets import safe_cell
from volunteers.core.timeutil import to_local
from volunteers.reports import charts
from volunteers.reports.formatting import FORMATTERS, month_name
from volunteers.reports.tables import sections
from volunteers.reports.workbook import xlsx_bytes

__all__ = ["FORMATTERS", "month_name", "sections", "csv_text", "xlsx_bytes", "document_html", "document_css"]

STATIC = Path(__file__).resolve().parents[1] / "static"
#: the standalone document's stylesheets, in this order, copied into its one ``<style>``
DOCUMENT_STYLESHEETS = ("report-document.css", "report.css", "charts.css")


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
