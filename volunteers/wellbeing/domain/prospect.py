"""Judge a schedule with shifts added, only as far as a prospective warning needs (the candidate list).

A prospective check (:mod:`volunteers.wellbeing.prospective`) asks which
warnings new shifts stand behind, and how those compare with the warnings
of the same rules without the new shifts. Both schedules used to be judged
whole, for every candidate of the shift panel. Here the schedule with the
new shifts is judged with a :class:`~.model.Focus` on them, so the rules
grade only the windows and duties around them and describe only the
episodes they are in; the shifts' load facts are worked out once for both
schedules, and the duties of the schedule without them are merged only if
a rule behind a new shift asks. The answers are those of
:func:`~.assess.evaluate_volunteer` on the two schedules, filtered
(tests/integration/wellbeing/test_prospective_same_answers.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from volunteers.wellbeing.domain.assess import judge
from volunteers.wellbeing.domain.duties import ShiftSpan, shift_load
from volunteers.wellbeing.domain.model import Focus, LoadWarning, VolunteerSchedule
from volunteers.wellbeing.domain.policy import DEFAULT, Policy
from volunteers.wellbeing.domain.rules import RULES, STANDING
from volunteers.wellbeing.domain.timeline import Timeline


def with_added(schedule: VolunteerSchedule, added: Iterable[ShiftSpan]) -> VolunteerSchedule:
    """Return ``schedule`` with ``added`` among its shifts, by start (a tie: the schedule's shift first)."""
    return replace(schedule, shifts=tuple(sorted([*schedule.shifts, *added], key=lambda span: span.start)))


def judge_added(schedule: VolunteerSchedule, added: Sequence[ShiftSpan], as_of: datetime, tz: ZoneInfo,
                policy: Policy = DEFAULT) -> tuple[list[LoadWarning], list[LoadWarning]]:
    """Return ``(after, before)``: what adding ``added`` to ``schedule`` raises, and what was there.

    ``after`` are the warnings of :func:`with_added` (as
    :func:`~.assess.evaluate_volunteer` finds them, in its order) that one
    of ``added`` stands behind, with those of the standing rules
    (``caseload``), which no shift is ever behind. ``before`` are the
    warnings of ``schedule`` alone under the rules of those ``after`` that
    a new shift is behind (none when there are none), judged whole: a focus
    on the times of the ``after`` warnings' episodes, often weeks long,
    cost more than it saved. ``added`` carry refs of their own, none of
    them a ref of ``schedule``.
    """
    if as_of.tzinfo is None:
        raise ValueError("as_of must be an aware datetime (with a UTC offset)")
    refs = frozenset(span.label for span in added)
    loads = {id(span): shift_load(span, tz) for span in (*schedule.shifts, *added)}
    grown = with_added(schedule, added)
    timeline = Timeline.build(grown, as_of, tz, policy, focus=Focus(refs=refs, whole=STANDING),
                              loads=[loads[id(span)] for span in grown.shifts])
    after = judge(timeline, RULES)
    behind = {warning.rule for warning in after if not refs.isdisjoint(warning.shift_refs)}
    if not behind:
        return after, []
    # the shifts' load facts worked out once for both schedules; the duties merged only if a rule asks
    earlier = Timeline.build(schedule, as_of, tz, policy, loads=[loads[id(span)] for span in schedule.shifts])
    return after, judge(earlier, [code for code in RULES if code in behind])


def steady_between(schedule: VolunteerSchedule, added: Sequence[ShiftSpan], as_of: datetime,
                   policy: Policy = DEFAULT) -> tuple[float, float] | None:
    """Return the instants around ``as_of`` (open, as POSIX timestamps) at which :func:`judge_added` answers alike.

    The clock enters judging in few places: a shift starting before
    ``as_of`` is worked and one starting at or after it planned (a
    warning's ``prospective``, supervision's intense work done); a worked
    shift is recent for ``supervision_due`` until its ``recent_days`` have
    passed; and the local date of ``as_of`` (the supervision count, the
    caseload's day) — which this interval leaves to the caller to compare.
    So between two of those edges (each shift's start, and its start plus
    every ``recent_days`` the policy or its role limits set), on the same
    local date, judging the same schedule gives the same warnings. ``None``
    when ``as_of`` is on an edge (within a millisecond), where it may
    differ from both sides. A margin of a millisecond keeps the edges' own
    float arithmetic out of the interval.
    """
    days = {float(policy.rules["supervision_due"]["recent_days"])}
    for limits in policy.role_limits.values():
        recent = limits.get("supervision_due", {}).get("recent_days")
        if recent is not None:
            days.add(float(recent))
    offsets = (0.0, *(d * 86400 for d in days))
    now = as_of.timestamp()
    low, high = float("-inf"), float("inf")
    for span in (*schedule.shifts, *added):
        start = span.start.timestamp()
        for offset in offsets:
            edge = start + offset
            if abs(edge - now) <= _EDGE_MARGIN:
                return None
            if edge < now:
                low = max(low, edge)
            else:
                high = min(high, edge)
    return low + _EDGE_MARGIN, high - _EDGE_MARGIN


#: seconds kept clear of each edge by :func:`steady_between`
_EDGE_MARGIN = 0.001
