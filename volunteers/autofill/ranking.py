"""The coordinator's candidate list for one shift: who fits best, with their load.

Eligible people (qualified on the shift's date, available, not on leave,
no overlapping duty) come first, ranked by how little they already do
relative to their pledge this month — so the work spreads out instead of
falling on the few who always say yes. Each row shows hours this week and
month against the pledge, and the load warnings taking the shift would
raise; among those shown, anyone the shift would push over a warning or
critical threshold goes below everyone it would not. Ineligible people
come with their reasons, on request.

A fixed number of queries whatever the organisation's size; load warnings
are judged for the eligible people shown (``limit``), all at once.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from volunteers.autofill.assign import would_be_warnings_for
from volunteers.core.models import Organisation
from volunteers.core.timeutil import Month, local_date, week_bounds, zone
from volunteers.people.models import Membership
from volunteers.rota.candidates import load_candidates, open_shift_for
from volunteers.rota.domain.eligibility import EligibilityIndex, OpenShift, Reason, check
from volunteers.rota.domain.fair_order import fairness_key, month_pledge
from volunteers.rota.member_hours import hours_by_member
from volunteers.rota.models import Shift
from volunteers.wellbeing import LoadWarning

_SEVERITY_RANK = {"warning": 1, "critical": 2}
#: eligible people shown (and assessed for load warnings) unless all are asked for
DEFAULT_LIMIT = 12


@dataclass
class CandidateRow:
    """One person in the list."""

    membership_id: int
    name: str
    pledge_week: float | None
    week_hours: float
    month_hours: float
    pledge_month: float | None
    reasons: list[Reason] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def load_ratio(self) -> float | None:
        """Month hours over the month's pledge; None without a pledge."""
        if not self.pledge_month:
            return None
        return self.month_hours / self.pledge_month

    @property
    def worst_warning(self) -> str | None:
        order = {"notice": 1, "warning": 2, "critical": 3}
        return max((w.severity for w in self.warnings), key=lambda s: order.get(s, 0), default=None)


@dataclass
class CandidateList:
    shift: Shift
    open_shift: OpenShift
    eligible: list[CandidateRow]
    ineligible: list[CandidateRow]
    more: int = 0  #: eligible people not shown (ask for all)
    #: the open interval of instants (POSIX seconds) around ``now`` over which the shown rows' warnings hold on
    #: ``now``'s local date (None: not known): the list holds as long, its other parts not depending on ``now``
    steady: tuple[float, float] | None = (float("-inf"), float("inf"))


def _first(item: tuple[Any, ...]) -> Any:
    return item[0]


def candidate_list(
    org: Organisation, shift: Shift, now: datetime, *, include_ineligible: bool = False,
    limit: int | None = DEFAULT_LIMIT, assigned: Iterable[int] | None = None,
) -> CandidateList:
    """Return the ranked candidates for ``shift`` (see the module docstring).

    ``assigned``: the membership ids of the shift's live places, when the caller has read them (the panel).
    """
    tz = zone(org.timezone)
    day = local_date(shift.starts_at, tz)
    week = week_bounds(day, tz)
    month = Month.of(day).bounds(tz)
    open_shift = open_shift_for(org, shift, assigned)
    members: dict[int, Any] = {}
    candidates = load_candidates(org, None, shift.starts_at, shift.ends_at, members_out=members)
    hours = hours_by_member(org, min(week[0], month[0]), max(week[1], month[1]), {"week": week, "month": month})
    on_shift = set(open_shift.assigned)
    # without "show all" nobody ineligible is shown: who may take the shift is all the list asks, and the
    # domain's index answers that as check() does without writing each refusal's reasons (a fifth of the
    # people, whose availability sentence was most of checking everyone)
    may_take = None if include_ineligible else set(
        EligibilityIndex(list(candidates.values()), tz).assess(open_shift).eligible)
    # a row is made for the eligible shown (and every ineligible one, with "show all"): the others are ranked
    # by their key alone, to be counted in ``more`` (a row each was most of the list's own work)
    ranked: list[tuple[tuple[bool, float, float, str], int, Any, float, float, float | None]] = []
    ineligible: list[CandidateRow] = []
    pledges: dict[float | None, float | None] = {}  # month_pledge of each weekly pledge (a pure function)
    nothing = {"week": 0.0, "month": 0.0}
    for member_id, candidate in candidates.items():
        if candidate.id in on_shift or may_take is not None and candidate.id not in may_take:
            continue
        pledge = candidate.pledged_hours_per_week
        totals = hours.get(member_id, nothing)
        if pledge in pledges:
            pledge_month = pledges[pledge]
        else:
            pledge_month = pledges[pledge] = month_pledge(pledge, day)
        reasons = [] if may_take is not None else check(candidate, open_shift, tz)
        if reasons:
            ineligible.append(CandidateRow(
                membership_id=member_id, name=candidate.name, pledge_week=pledge, week_hours=totals["week"],
                month_hours=totals["month"], pledge_month=pledge_month, reasons=reasons))
            continue
        month_hours = totals["month"]
        ranked.append((fairness_key(month_hours, pledge_month, candidate.name), member_id, candidate,
                       totals["week"], month_hours, pledge_month))
    ranked.sort(key=_first)  # stable: equal keys keep the candidates' order, as sorting the rows did
    shown = [CandidateRow(membership_id=member_id, name=candidate.name, pledge_week=candidate.pledged_hours_per_week,
                          week_hours=week_hours, month_hours=month_hours, pledge_month=pledge_month)
             for _, member_id, candidate, week_hours, month_hours, pledge_month in (
                 ranked if limit is None else ranked[:limit])]
    steady = _attach_warnings(org, shift, shown, now, members)
    # someone the shift would push over a load threshold goes below those it would not
    shown.sort(key=lambda r: _SEVERITY_RANK.get(r.worst_warning or "", 0))
    ineligible.sort(key=lambda r: r.name.lower())
    return CandidateList(shift, open_shift, shown, ineligible if include_ineligible else [],
                         more=len(ranked) - len(shown), steady=steady)


def _attach_warnings(org: Organisation, shift: Shift, rows: list[CandidateRow], now: datetime,
                     members: dict[int, Any]) -> tuple[float, float] | None:
    """Give each row its would-be warnings; return where they all hold (:attr:`CandidateList.steady`)."""
    if not rows:
        return float("-inf"), float("inf")
    # the members' rows read with the candidates stand in for their memberships: a load check reads only
    # id, pledged_hours_per_week, last_supervised_on, limits and caseload_limit of each (no statement of its own)
    people = cast(list[Membership], [members[r.membership_id] for r in rows])
    holds: list[tuple[float, float] | None] = []
    warnings = would_be_warnings_for(org, people, [shift], now, holds)
    for row in rows:
        row.warnings = warnings.get(row.membership_id, [])
    if len(holds) != len(rows) or any(interval is None for interval in holds):
        return None
    intervals = cast(list[tuple[float, float]], holds)
    return max((a for a, _ in intervals), default=float("-inf")), min((b for _, b in intervals), default=float("inf"))
