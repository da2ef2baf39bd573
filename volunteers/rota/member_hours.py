"""Each member's hours in named windows (a week, a month), summed by the database in one query.

Read by the coordinator's candidate list (``autofill.ranking``) and by cover
requests in waves (``selfservice.cover_waves``): both rank people by how
much they already do this month against their pledge
(``rota.domain.fair_order``).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, case, func, select

from volunteers.core.compiled_sql import rows_of
from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.sql_lists import one_of
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift
from volunteers.rota.sql_hours import seconds_between


@cache
def _statement(windows: int) -> Select:
    """The statement of :func:`hours_by_member` for this many windows, built once (run with ``org``, ``start``,
    ``end`` and each window's ``lo<n>``/``hi<n>``): building it anew was a tenth of its time on the shift panel.
    The live statuses are written in (``sql_lists.one_of``), so that it compiles to one SQL text."""
    length = seconds_between(Shift.starts_at, Shift.ends_at)
    sums = [func.sum(case(((Shift.starts_at >= bindparam(f"lo{n}")) & (Shift.starts_at < bindparam(f"hi{n}")), length),
                          else_=0))
            for n in range(windows)]
    return (
        select(Assignment.membership_id, *sums)
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .where(Assignment.organisation_id == bindparam("org"), one_of(Assignment.status, ACTIVE_ASSIGNMENT_STATUSES),
               Shift.status == "planned", Shift.starts_at >= bindparam("start"), Shift.starts_at < bindparam("end"))
        .group_by(Assignment.membership_id)
    )


def hours_by_member(
    org: Organisation, start: datetime, end: datetime, windows: dict[str, tuple[datetime, datetime]]
) -> dict[int, dict[str, float]]:
    """Return each member's live hours per named window (shifts counted where they start), in one query.

    Summed by the database, one row per member (see :mod:`.sql_hours`); ``start``/``end`` bound every window.
    Run as SQL compiled once (``core.compiled_sql``): ``execute`` made the statement's cache key and result again
    on every call.
    """
    totals: dict[int, dict[str, float]] = defaultdict(lambda: {name: 0.0 for name in windows})
    params: dict[str, Any] = {"org": org.id, "start": start, "end": end}
    for n, (lo, hi) in enumerate(windows.values()):
        params[f"lo{n}"], params[f"hi{n}"] = lo, hi
    rows = rows_of(reading_connection(), _statement, (len(windows),), params)
    for member_id, *seconds in rows:
        totals[member_id] = {name: (s or 0) / 3600 for name, s in zip(windows, seconds, strict=True)}
    return totals
