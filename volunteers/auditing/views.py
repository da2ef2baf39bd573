"""``/audit``: an organisation's admins read its audit trail, filter it and download it as CSV.

Admins only (coordinators and volunteers get 403); only the current
organisation's entries are ever read. Filters come from the query string
through the bounded parsers: anything malformed is a 400 naming it, never
a 500. Nothing here edits or deletes an entry (the database refuses it).
"""
from __future__ import annotations

import csv
import io
import json
from typing import NoReturn

from flask import Response, abort, g, render_template, request
from flask.typing import ResponseReturnValue

from volunteers.auditing import labels, queries
from volunteers.core import audit
from volunteers.core.auth import admin_required
from volunteers.core.params import check_length, parse_count, parse_date
from volunteers.core.spreadsheets import safe_cell
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import utcnow
from volunteers.core.webparams import id_arg

#: the highest page number asked for (a bigger trail is narrowed by the filters)
MAX_PAGE = 10_000
CSV_HEADER = ("when", "actor_id", "actor", "action", "what", "target_type", "target_id", "reason", "details")


def _bad(name: str, error: ValueError) -> NoReturn:
    abort(400, description=f"The address is not understood: '{name}' {error}.")


def _text_arg(name: str, limit: int) -> str:
    raw = request.args.get(name, "").strip()
    try:
        return check_length(raw, limit)
    except ValueError as error:
        _bad(name, error)


def _filters() -> queries.AuditFilter:
    """Read the filters from the query string; a 400 for anything malformed."""
    dates = {}
    for name in ("from", "to"):
        raw = request.args.get(name, "").strip()
        try:
            dates[name] = parse_date(raw) if raw else None
        except ValueError as error:
            _bad(name, error)
    first, last = dates["from"], dates["to"]
    if first is not None and last is not None and last < first:
        abort(400, description="The address is not understood: 'to' is before 'from'.")
    return queries.AuditFilter(action=_text_arg("action", 80), actor_id=id_arg("actor"),
                               target_type=_text_arg("target_type", 40), target_id=id_arg("target_id"),
                               first=first, last=last)


def _page_number() -> int:
    raw = request.args.get("page", "").strip()
    try:
        return parse_count(raw, 1, MAX_PAGE) if raw else 1
    except ValueError as error:
        _bad("page", error)


@admin_required
def trail() -> ResponseReturnValue:
    """The organisation's entries, newest first, 50 a page, filtered."""
    org = current_org()
    filters = _filters()
    page = queries.entries_page(org, filters, _page_number())
    return render_template(
        "auditing/audit.html", org=org, page=page, filters=filters, actors=queries.actors(org),
        target_types=queries.target_types(org), describe=labels.describe, detail_lines=labels.detail_lines,
        local_time=queries.local_time, args=filters.as_args(),
    )


@admin_required
def download() -> ResponseReturnValue:
    """The filtered entries as CSV (every cell spreadsheet-safe); the download is itself in the trail."""
    org, now = current_org(), utcnow()
    filters = _filters()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    count = 0
    for row in queries.all_entries(org, filters):
        e = row.entry
        writer.writerow([safe_cell(v) for v in (
            queries.local_time(e.created_at, org.timezone), e.actor_person_id or "", row.actor_name or "",
            e.action, labels.describe(e.action), e.target_type, e.target_id or "", e.reason or "",
            json.dumps(e.details or {}, sort_keys=True, ensure_ascii=False))])
        count += 1
    audit.record(org, g.membership.person_id, "audit.export", "organisation", org.id, now=now,
                 entries=count, filters=filters.as_args())
    name = f"{org.slug}-audit-{now:%Y%m%d-%H%M}.csv"
    return Response(buffer.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
