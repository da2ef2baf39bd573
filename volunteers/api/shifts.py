"""The coordinator's shifts: the board's list by date range, site, role and gaps (ETag for polling screens)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Response

from volunteers.api.auth import coordinator_call, current_membership, current_organisation
from volunteers.api.base import bp
from volunteers.api.caching import FOREVER, kept_json, request_key
from volunteers.api.errors import field_problem
from volunteers.api.paging import page
from volunteers.api.schemas.shifts import BoardArgs, BoardPageSchema
from volunteers.core.change_marks import as_loaded
from volunteers.core.timeutil import MAX_YEAR, MIN_YEAR, day_bounds, local_date, utcnow
from volunteers.rota import queries
from volunteers.rota.queries import BoardFilter, BoardShift

#: the longest range one call lists (a quarter): the board never shows more
MAX_DAYS = 92


@bp.arguments(BoardArgs, location="query", as_kwargs=True)
@bp.response(200, BoardPageSchema)
@bp.alt_response(304, description="Not modified: the list is the one your If-None-Match names.")
@coordinator_call
def list_shifts(start: date | None, end: date | None, site_id: int | None, role_id: int | None, gaps: bool,
                limit: int, cursor: str | None) -> Response:
    """Planned shifts starting on the local dates `from` to `to` (inclusive; a week by default), with who is on."""
    org = current_organisation()
    now = utcnow()
    start = start or local_date(now, org.timezone)
    last = end or start + timedelta(days=6)
    if last < start:
        raise field_problem("to", "must not be before `from`")
    if (last - start).days >= MAX_DAYS:
        raise field_problem("to", f"at most {MAX_DAYS} days after `from`")
    if not (start.year > MIN_YEAR and last.year < MAX_YEAR):
        raise field_problem("from", f"a date between {MIN_YEAR + 1} and {MAX_YEAR - 1}")
    viewer = current_membership()
    begin = day_bounds(start, org.timezone)[0]
    finish = day_bounds(last, org.timezone)[1]

    def make() -> tuple[dict[str, Any], datetime]:
        days = queries.board(org, begin, finish, BoardFilter(site_id=site_id, role_id=role_id, gaps_only=gaps),
                             viewer=viewer)  # a coordinator limited to some sites: theirs, as the board
        rows = [item for day in sorted(days) for item in days[day]]
        result = page(rows, lambda i: (i.shift.starts_at.isoformat(), i.shift.id), limit, cursor)
        result["items"] = [_board_json(item) for item in result["items"]]
        return BoardPageSchema().dump(result), FOREVER  # the shifts of given dates: no instant changes them

    # the dates, not the arguments alone: with no `from` the week starts today
    key = (*request_key(), org.id, begin, finish, *as_loaded(org, viewer))
    return kept_json(key, org.id, now, make)


def _board_json(item: BoardShift) -> dict[str, Any]:
    card = item.shift
    return {"id": card.id, "starts_at": card.starts_at, "ends_at": card.ends_at, "date": card.local_date,
            "role": card.role.name, "role_id": card.role.id, "site": card.site.name, "site_id": card.site.id,
            "needed": card.needed, "filled": len(item.people), "open_places": item.gap, "status": "planned",
            "published": card.published_at is not None,
            "people": [{"membership_id": p.membership_id, "name": p.name} for p in item.people]}
