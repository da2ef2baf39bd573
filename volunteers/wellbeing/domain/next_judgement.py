"""When to judge a person again though their schedule has not changed.

The nightly scan must not judge every person every night: over a large
rota that is most of its cost, and for most people nothing can have changed
since they were last judged. A person's warnings change with the clock
alone in few ways. Two need no judging — a warning stops being prospective
when the last shift behind it starts (``LoadWarning.last_start``), and an
episode ages out of the report ``report`` after it ends — and the nightly
scan applies them to the stored rows directly. :func:`next_judgement`
returns the first instant at which one of the others may happen:

* the history the scan reads (:func:`history_start`, moved on weekly)
  stops reaching back to the days a reported episode rests on
  (``lookback`` before it);
* supervision: an open ``supervision_due`` counts up every day and ends
  when the last intense shift is no longer recent, and a person doing
  intense work crosses the lowest threshold on a known date;
* a rule judged on the state at ``as_of`` (``caseload``): its window is the
  day judged, so it is judged again at the weekly history move, long
  before its episode would age out.

Anything else that changes a verdict — places taken or given up, shifts
moved, the policy, a pledge, a supervision date, contacts logged, cases
opened or closed — changes the data, and the
scan re-judges the people concerned when that change is committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from volunteers.wellbeing.domain.model import LoadWarning, VolunteerSchedule
from volunteers.wellbeing.domain.policy import Policy
from volunteers.wellbeing.domain.rules import STANDING

#: the local weekday (Sunday) on whose midnight the history the scan reads moves on a week; the
#: nightly job judges everyone that night, so between two of them the history read stays put
CUT_WEEKDAY = 6

#: how far before its episode a warning's numbers may reach: the spike rule's chronic
#: baseline is the 28 days before its 7-day window; the other rules look at the day before
#: (duties merged across midnight, the rest before a duty), with a margin for the zone
LOOKBACK = {"load_spike": timedelta(days=36)}
DEFAULT_LOOKBACK = timedelta(days=3)


def history_start(now: datetime, tz: ZoneInfo, history: timedelta) -> datetime:
    """Return where the scan's reading of shifts starts: ``history`` before the latest Sunday midnight.

    The start moves a week at a time, not with every scan, so that what a
    scan finds does not change from night to night because the oldest day
    read slid by (a long episode would lose a day of evidence each night).
    """
    local = now.astimezone(tz).date()
    sunday = local - timedelta(days=(local.weekday() - CUT_WEEKDAY) % 7)
    return datetime.combine(sunday, datetime.min.time(), tzinfo=tz) - history


def _next_cut_move(after: datetime, tz: ZoneInfo) -> datetime:
    """Return the first Sunday midnight strictly after ``after``."""
    local = after.astimezone(tz)
    days = (CUT_WEEKDAY - local.weekday()) % 7 or 7
    return datetime.combine(local.date() + timedelta(days=days), datetime.min.time(), tzinfo=tz)


def next_judgement(schedule: VolunteerSchedule, reported: Iterable[LoadWarning], as_of: datetime,
                   tz: ZoneInfo, policy: Policy, *, history: timedelta) -> datetime | None:
    """Return the first instant after which judging this unchanged schedule again may find something else.

    ``reported`` are the warnings found at ``as_of`` that the scan keeps;
    ``history`` is how far back the scan reads shifts (:func:`history_start`).
    ``None``: with time alone nothing changes but prospective flags and
    ageing, which need no judging. The instant may already have passed (a
    long episode the weekly history move trims): judge again at the next scan.
    """
    due: list[datetime] = []
    supervised = False
    for warning in reported:
        if warning.rule == "supervision_due":  # its "episode" runs to as_of; it rests on recent shifts only
            supervised = True
            due.extend(_supervision_changes(schedule, as_of, tz, policy))
            continue
        if warning.rule in STANDING:  # judged on today's state: look again at the weekly move, before it ages out
            due.append(_next_cut_move(as_of, tz))
            continue
        # the history read moves past what the episode rests on (at once if it already has)
        rests_on = _utc(warning.episode_start) - LOOKBACK.get(warning.rule, DEFAULT_LOOKBACK)
        due.append(_next_cut_move(max(rests_on + history, as_of), tz))
    if not supervised and (onset := supervision_onset(schedule, as_of, tz, policy)) is not None:
        due.append(onset)
    return min(due, default=None)


def supervision_onset(schedule: VolunteerSchedule, as_of: datetime, tz: ZoneInfo,
                      policy: Policy) -> datetime | None:
    """Return when ``supervision_due`` may first fire after ``as_of`` for this schedule, if ever.

    It fires when the days since supervision exceed the lowest threshold
    while an intense shift started in the recent days. The limits of all the
    person's roles are applied together, which can only bring the date
    forward: an early look finds nothing and sets the next one.
    """
    if not policy.enabled("supervision_due"):
        return None
    intense = sorted(_utc(span.start) for span in schedule.shifts if span.is_intense)
    if not intense:
        return None
    roles = frozenset(span.role for span in schedule.shifts)
    levels = policy.levels("supervision_due", roles)
    if not levels:
        return None
    recent = timedelta(days=float(policy.settings("supervision_due", roles)["recent_days"]))
    since = schedule.last_supervised_on
    if since is None:
        firsts = [intense[0].astimezone(tz).date()]
        if schedule.first_intense_on is not None:
            firsts.append(schedule.first_intense_on)
        since = min(firsts)
    lowest = min(threshold for _, threshold in levels)
    # the local date the count of days reaches the lowest threshold (a day early when it is "over")
    crossing = datetime.combine(since + timedelta(days=int(lowest)), datetime.min.time(), tzinfo=tz)
    for start in intense:
        # while this shift is recent it qualifies: from its start to ``recent`` after it
        if start + recent < as_of or start + recent < crossing:
            continue
        return max(crossing, start, as_of)
    return None


def _supervision_changes(schedule: VolunteerSchedule, as_of: datetime, tz: ZoneInfo,
                         policy: Policy) -> list[datetime]:
    """Return when an open ``supervision_due`` may change.

    That is when its count of days goes up, when a shift stops being recent, or when one starts.
    """
    changes = [_next_midnight(as_of, tz)]
    intense = [_utc(span.start) for span in schedule.shifts if span.is_intense]
    worked = [start for start in intense if start < as_of]
    planned = [start for start in intense if start >= as_of]
    # each recent shift is in its evidence until it is no longer recent (the organisation's
    # recent_days is the shortest any limit allows)
    recent = timedelta(days=float(policy.settings("supervision_due")["recent_days"]))
    leaving = [start + recent for start in worked if start + recent > as_of]
    if leaving:
        changes.append(min(leaving))
    if planned:
        changes.append(min(planned))
    return changes


def _utc(instant: datetime) -> datetime:
    """Return ``instant`` in UTC: adding days to a local time would add wall-clock days, not real ones."""
    return instant.astimezone(UTC)


def _next_midnight(as_of: datetime, tz: ZoneInfo) -> datetime:
    local = as_of.astimezone(tz)
    return datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=tz)
