"""The /warnings sparkline's weeks and each warned person's hours in them.

Why here and so: the page once found each place's week from its local date
(a zone conversion a place); a place's week is the one whose UTC bounds (the
local Mondays' midnights, as ``week_bounds`` gives them) hold its start, so
the bounds are made once and searched. The hours are summed per person in
start order, the floats the page always showed (``org_figures_cache`` keeps
them between views).
"""
from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from volunteers.core.models import Organisation
from volunteers.core.timeutil import format_day, local_date, local_to_utc
from volunteers.wellbeing.schedules import iter_places, org_zone

#: the sparkline's weeks: this many before the current one, and after it (the planned rota)
WEEKS_BEFORE, WEEKS_AFTER = 8, 3


class Weeks(NamedTuple):
    """The sparkline's local weeks around ``now``: their Mondays and the UTC instants they start (and the last ends)."""

    mondays: list[date]
    bounds: list[datetime]

    @property
    def labels(self) -> list[str]:
        return [f"week of {format_day(m)}" for m in self.mondays]


#: the weeks by zone and local Monday, kept between views (a pure function of them); dropped together past this many
WEEKS_AT_MOST = 64
_WEEKS: dict[tuple[object, date], Weeks] = {}


def sparkline_weeks(org: Organisation, now: datetime) -> Weeks:
    """Return the sparkline's weeks: :data:`WEEKS_BEFORE` before the one holding ``now``, :data:`WEEKS_AFTER` after.

    The same object for every view in a week (its lists are never changed): thirteen zone conversions a view
    were a twentieth of /warnings.
    """
    tz = org_zone(org)
    today = local_date(now, tz)
    this_monday = today - timedelta(days=today.weekday())
    key = (getattr(tz, "key", None) or tz, this_monday)  # ZoneInfo objects of one name may be made again
    weeks = _WEEKS.get(key)
    if weeks is None:
        if len(_WEEKS) >= WEEKS_AT_MOST:
            _WEEKS.clear()
        mondays = [this_monday + timedelta(weeks=k) for k in range(-WEEKS_BEFORE, WEEKS_AFTER + 2)]
        # each Monday's local midnight, as ``week_bounds`` gives a week's start and end
        weeks = _WEEKS[key] = Weeks(mondays[:-1], [local_to_utc(m, time(0), tz) for m in mondays])
    return weeks


def weekly_hours(org: Organisation, ids: list[int], weeks: Weeks) -> dict[int, list[float]]:
    """Return membership id → hours of live places per week of ``weeks`` (oldest first), for these people.

    Summed per person in start order (the floats the page always showed); a place's week is the one whose
    bounds hold its start, which is the local week of its local start date. One query (none without ids).
    """
    n = len(weeks.mondays)
    hours: dict[int, list[float]] = {i: [0.0] * n for i in ids}
    if ids:
        bounds = weeks.bounds
        for place in iter_places(org, ids, bounds[0], bounds[-1]):
            k = bisect_right(bounds, place.starts_at) - 1
            if 0 <= k < n and place.membership_id in hours:
                hours[place.membership_id][k] += (place.ends_at - place.starts_at).total_seconds() / 3600
    return hours
