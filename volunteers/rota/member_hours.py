"""Each member's hours in named windows (a week, a month), summed by the database in one query.

Read by the coordinator's candidate list (``autofill.ranking``) and by cover
requests in waves (``selfservice.cover_waves``): both rank people by how
much they already do this month against their pledge
(``rota.domain.fair_order``).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import case, func

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift
from volunteers.rota.sql_hours import seconds_between


def hours_by_member(
    org: Organisation, start: datetime, end: datetime, windows: dict[str, tuple[datetime, datetime]]
) -> dict[int, dict[str, float]]:
    """Return each member's live hours per named window (shifts counted where they start), in one query.

    Summed by the database, one row per member (see :mod:`.sql_hours`); ``start``/``end`` bound every window.
    """
    totals: dict[int, dict[str, float]] = defaultdict(lambda: {name: 0.0 for name in windows})
    length = seconds_between(Shift.starts_at, Shift.ends_at)
    sums = [func.sum(case(((Shift.starts_at >= lo) & (Shift.starts_at < hi), length), else_=0))
            for lo, hi in windows.values()]
    rows = db.session.execute(
        scoped(Assignment, org, Assignment.membership_id, *sums)
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .where(Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES), Shift.status == "planned",
               Shift.starts_at >= start, Shift.starts_at < end)
        .group_by(Assignment.membership_id)
    )
    for member_id, *seconds in rows:
        totals[member_id] = {name: (s or 0) / 3600 for name, s in zip(windows, seconds, strict=True)}
    return totals
