"""The registry of load rules, one function per rule code of DESIGN.md.

Each rule takes a :class:`~.timeline.Timeline` (one person, judged at
``as_of`` in one zone under one policy) and returns its warnings, one per
episode. Add a rule by writing the function and naming it here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from volunteers.wellbeing.domain import messages as say
from volunteers.wellbeing.domain.duty_rules import (
    consecutive_days,
    consecutive_nights,
    early_starts,
    long_duty,
    short_rest,
)
from volunteers.wellbeing.domain.model import LoadWarning
from volunteers.wellbeing.domain.policy import grade
from volunteers.wellbeing.domain.timeline import Timeline
from volunteers.wellbeing.domain.window_rules import (
    intense_hours,
    load_spike,
    over_pledge,
    weekly_load,
)


def supervision_due(tl: Timeline) -> list[LoadWarning]:
    """Warn when a person doing intense work has not been supervised for over 61 days (critical 92).

    Judged once, at ``as_of``: only for people with an intense shift
    (intensity > 1.0, not on call) starting in the 28 days (real time)
    before ``as_of``. Days are counted between local dates. With no
    ``last_supervised_on`` the count starts at the person's first intense
    shift on record, so a counsellor never supervised is not missed.
    """
    policy, as_of_ts = tl.policy, tl.as_of_ts
    widest = policy.settings("supervision_due", policy.limited_roles("supervision_due") & tl.roles)
    since_ts = as_of_ts - float(widest["recent_days"]) * 86400
    intense = [i for i, load in enumerate(tl.loads) if load.intense_hours > 0 and load.start_ts < as_of_ts]
    recent = [i for i in intense if tl.loads[i].start_ts >= since_ts]
    roles = frozenset(tl.loads[i].span.role for i in recent)
    settings = policy.settings("supervision_due", roles)
    recent = [i for i in recent if tl.loads[i].start_ts >= as_of_ts - float(settings["recent_days"]) * 86400]
    if not recent:
        return []
    as_of_local = tl.as_of.astimezone(tl.tz)
    last = tl.schedule.last_supervised_on
    if last is not None:
        since, basis = last, f"since supervision on {say.day(last)}"
    else:
        since = tl.loads[intense[0]].local_start.date()
        if tl.schedule.first_intense_on is not None:
            since = min(since, tl.schedule.first_intense_on)
        basis = f"with no supervision recorded since the first intense shift on {say.day(since)}"
    elapsed = as_of_local.toordinal() - since.toordinal()
    graded = grade(elapsed, policy.levels("supervision_due", roles), ">")
    if graded is None:
        return []
    severity, threshold = graded
    message = (f"{say.plural(elapsed, 'day')} {basis}, with intense shifts in the "
               f"{say.number(settings['recent_days'])} days before {say.day(as_of_local.date())}, "
               f"{say.level(severity, threshold, '>', 'days')}")
    # to the end of the local day judged, so the warning reads the same all day
    span = (tl.midnight(since.toordinal()), tl.midnight(as_of_local.toordinal() + 1))
    return [tl.warning("supervision_due", severity, float(elapsed), threshold, message, window=span,
                       episode=span, worst=recent, behind=recent,
                       details={"days": elapsed, "last_supervised_on": last.isoformat() if last else None,
                                "counted_from": since.isoformat()})]


#: the episode key of ``caseload``: one warning per person, reopened if it comes back
CASELOAD_KEY = "open-cases"


def caseload(tl: Timeline) -> list[LoadWarning]:
    """Warn when a person supports more open cases than their caseload limit (critical above 1.5 ×).

    The value is open cases ÷ ``caseload_limit``, judged at ``as_of``; a
    person with no limit (``None`` or 0) or no count of open cases is not
    judged. The cases are not shifts, so no shift stands behind the warning
    and it is never prospective; its window is the local day judged, and it
    keeps one episode key, so while the caseload stays high the same
    warning is updated rather than raised again.
    """
    limit, cases = tl.schedule.caseload_limit, tl.schedule.open_cases
    if not limit or limit <= 0 or cases is None:
        return []
    ratio = cases / limit
    graded = grade(ratio, tl.policy.levels("caseload"), ">")
    if graded is None:
        return []
    severity, threshold = graded
    message = (f"{say.plural(cases, 'open case')} against a caseload limit of {limit}: "
               f"{say.measured(ratio, threshold, 2)} times the limit, {say.level(severity, threshold, '>')}")
    day = tl.as_of.astimezone(tl.tz).toordinal()
    span = (tl.midnight(day), tl.midnight(day + 1))
    return [tl.warning("caseload", severity, ratio, threshold, message, window=span, episode=span,
                       worst=(), behind=(), key=CASELOAD_KEY,
                       details={"open_cases": cases, "caseload_limit": limit, "ratio": round(ratio, 4)})]


Rule = Callable[[Timeline], list[LoadWarning]]

#: Every rule code of DESIGN.md's table, in its order.
RULES: Mapping[str, Rule] = MappingProxyType({
    "over_pledge": over_pledge,
    "weekly_load": weekly_load,
    "long_duty": long_duty,
    "short_rest": short_rest,
    "consecutive_days": consecutive_days,
    "consecutive_nights": consecutive_nights,
    "early_starts": early_starts,
    "intense_hours": intense_hours,
    "load_spike": load_spike,
    "supervision_due": supervision_due,
    "caseload": caseload,
})
#: rules judged on the state at ``as_of`` rather than on shifts: no shift is behind their warnings
STANDING: frozenset[str] = frozenset({"caseload"})
