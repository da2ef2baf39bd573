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

from flask import current_app, render_template
from markupsafe import Markup, escape

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


#: rendered report bodies by (figures text, issue line, hash): a draft's "as of" is put in per view
_BODIES: dict[tuple[str, str | None, str], str] = {}
_BODIES_KEPT = 32
_AS_OF_MARK = "\x00as-of\x00"


def body_html(report: Any) -> Markup:
    """Return ``reports/_monthly_body.html`` rendered for ``report``, as including it would.

    The body is a function of the figures' text, the issue record and the draft's "as of" alone, so
    it is rendered once per text (the page's templating was half its time) and the "as of" put in.
    Keyed by the whole text, never by organisation or month: equal texts render equal bodies.
    """
    issued_at = _when(report.issued.issued_at, _zone_of(report)) if report.issued else None
    key = (report.text, issued_at, report.sha256)
    body = _BODIES.get(key)
    if body is None:
        body = current_app.jinja_env.get_template("reports/_monthly_body.html").render(
            body_context(report, as_of=_AS_OF_MARK))
        if len(_BODIES) >= _BODIES_KEPT:
            _BODIES.clear()  # a few months of a few organisations: start again rather than track use
        _BODIES[key] = body
    return Markup(body.replace(_AS_OF_MARK, str(escape(_when(report.as_of, _zone_of(report))))))


def _zone_of(report: Any) -> str:
    return report.figures.get("timezone") or "Europe/London"


def _when(instant: datetime, tz: str) -> str:
    return f"{to_local(instant, tz):%-d %b %Y, %H:%M} ({tz})"


def body_context(report: Any, as_of: str | None = None) -> dict[str, Any]:
    """Return what ``reports/_monthly_body.html`` needs: figures, charts, formatters, issue record."""
    issued, tz = report.issued, _zone_of(report)
    return {
        "f": report.figures, "charts": charts.all_charts(report.figures), "fmt": FORMATTERS,
        "issued_at": _when(issued.issued_at, tz) if issued else None,
        "figures_hash": report.sha256, "as_of": _when(report.as_of, tz) if as_of is None else as_of,
    }

