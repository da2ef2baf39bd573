"""What one shift adds to a person's load, and the limits the auto-rota keeps.

The auto-rota must never propose a shift that raises a load warning of
severity "warning" or above (DESIGN.md, "Load policy and warnings"). The
rules that are linear in the assignment (hours in a window, consecutive
dates, pairs of shifts too close together) are built into the model from the
numbers here; the canonical rules in ``volunteers.wellbeing`` check the
result afterwards (see ``postcheck``). All numbers are whole minutes so
that CP-SAT can use them; weighted minutes round *up*, so the model errs on
the safe side.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from volunteers.wellbeing.domain.duties import (
    EARLY_BEFORE,
    LATE_END,
    MERGE_GAP_SECONDS,
    NIGHT_DUTY_SECONDS,
    ShiftSpan,
)
from volunteers.wellbeing.domain.duties import shift_load as wellbeing_load
from volunteers.wellbeing.domain.policy import Policy

MERGE_GAP = timedelta(seconds=MERGE_GAP_SECONDS)  #: shifts closer than this are one duty


@dataclass(frozen=True)
class ShiftFacts:
    """The load facts of one shift, in local calendar terms for one time zone."""

    start: datetime  #: UTC
    end: datetime  #: UTC
    day: int  #: local start date as a proleptic ordinal: hours count on this day
    weekday: int
    start_time: time  #: local wall-clock start
    minutes: int  #: real length, whole minutes rounded up
    weighted: int  #: weighted load minutes (WLH × 60), rounded up
    weighted_low: int  #: the same rounded down (for sums that must not be over-counted)
    intense: int  #: minutes that count as intense hours, rounded up
    night: bool  #: a night duty on its own
    early: bool  #: starts before 07:00 local
    needs_rest: bool  #: ends ≥ 19:00, crosses midnight or is a night duty
    on_call: bool
    intensity: float
    role: str


def _up(value: float) -> int:
    """Return ``value`` rounded up to a whole number, ignoring float noise."""
    return math.ceil(value - 1e-6)


def shift_facts(start: datetime, end: datetime, *, tz: ZoneInfo, intensity: float = 1.0,
               on_call: bool = False, role: str = "") -> ShiftFacts:
    """Return the load facts of a shift, from the canonical ``wellbeing`` arithmetic.

    Lengths are real (a night across a clock change included); minutes
    round up so the model never under-counts a load (``weighted_low``
    rounds down, for the chronic side of ``load_spike``).
    """
    facts = wellbeing_load(ShiftSpan(start, end, role, intensity, on_call), tz)
    local_end = end.astimezone(tz)
    minutes = facts.hours * 60
    is_night = facts.night_hours * 3600 >= NIGHT_DUTY_SECONDS - 1e-6
    return ShiftFacts(
        start=start.astimezone(UTC), end=end.astimezone(UTC), day=facts.day,
        weekday=facts.local_start.weekday(), start_time=facts.local_start.time().replace(tzinfo=None),
        minutes=_up(minutes), weighted=_up(facts.weighted * 60),
        weighted_low=math.floor(facts.weighted * 60 + 1e-6),
        intense=_up(facts.intense_hours * 60), night=is_night,
        early=facts.local_start.time() < EARLY_BEFORE,
        needs_rest=(local_end.time() >= LATE_END or local_end.date() > facts.local_start.date()
                    or is_night),
        on_call=on_call, intensity=intensity, role=role)


@dataclass(frozen=True)
class Limits:
    """The most a person may carry without a warning; ``None`` where a rule is off."""

    weekly_weighted: int | None = 15 * 60  #: weekly_load: WLH (minutes) in any 7 days
    pledge_ratio: float | None = 1.5  #: over_pledge: raw hours ÷ (4 × pledge) in any 28 days
    pledge_grace: int = 2 * 60  #: over_pledge is silent below this excess
    intense: int | None = 8 * 60  #: intense_hours (minutes) in any 7 days
    consecutive_days: int | None = 5  #: most consecutive dates with a duty start
    consecutive_nights: int | None = 2
    nights_in_28_days: int | None = 4
    early_starts: int | None = 2
    min_rest: int | None = 11 * 60  #: short_rest after a late, overnight or night duty
    long_duty: int | None = 6 * 60
    long_intense_duty: int | None = 270  #: 4.5 h when intensity ≥ 1.5
    intense_duty_from: float = 1.5
    spike_ratio: float | None = 2.0  #: load_spike: acute WLH above this × chronic …
    spike_history_days: int = 35  #: … judged from this many days after the first shift
    spike_min_chronic: int = 60  #: … with chronic (minutes a week) at least this
    spike_min_rise: int = 240  #: … and acute at least this many minutes above chronic

    @cached_property
    def count_limits(self) -> tuple[tuple[str, int, int], ...]:
        """Return ``(which duties, run of dates, most allowed in the run)`` for each count rule that is on.

        ``which`` is ``"any"``, ``"night"`` or ``"early"``: consecutive dates,
        nights and early starts cap ``most`` in any ``most + 1`` dates; nights
        also cap ``nights_in_28_days`` in any 28.
        """
        found = []
        for which, run, most in (
                ("any", None if self.consecutive_days is None else self.consecutive_days + 1, self.consecutive_days),
                ("night", None if self.consecutive_nights is None else self.consecutive_nights + 1,
                 self.consecutive_nights),
                ("night", 28, self.nights_in_28_days),
                ("early", None if self.early_starts is None else self.early_starts + 1, self.early_starts)):
            if run is not None and most is not None:
                found.append((which, run, most))
        return tuple(found)

    def pledge_cap(self, pledged_hours_per_week: float | None) -> int | None:
        """Return the most raw minutes in 28 days that raise no over_pledge warning."""
        if self.pledge_ratio is None or not pledged_hours_per_week or pledged_hours_per_week <= 0:
            return None
        base = 4 * pledged_hours_per_week * 60
        # A warning needs both ratio > threshold and an excess of at least the grace.
        return max(math.floor(base * self.pledge_ratio + 1e-9),
                   math.ceil(base + self.pledge_grace - 1e-9) - 1)

    def duty_cap(self, intensity: float) -> int | None:
        """Return the longest duty (minutes) that raises no long_duty warning."""
        if intensity >= self.intense_duty_from and self.long_intense_duty is not None:
            return self.long_intense_duty
        return self.long_duty


def _minutes(hours: float | None) -> int | None:
    return None if hours is None else round(hours * 60)


def _whole(value: float | None) -> int | None:
    return None if value is None else math.floor(value)


def _most(at_least: float | None) -> int | None:
    """Return the most allowed when ``at_least`` of something raises a warning."""
    return None if at_least is None else math.ceil(at_least) - 1


def limits_from_policy(policy: Mapping[str, Any] | Policy | None, roles: Iterable[str] = ()) -> Limits:
    """Return the model's limits under an organisation's policy overrides.

    ``policy`` is DESIGN.md's JSON form (rule code → settings; ``{}`` for the
    defaults) or a ``Policy`` already built from it. Role limits in it only tighten, so the limits for a person are
    those of every role in ``roles`` (the roles they may work in the range).

    :raises ValueError: for a policy the wellbeing rules would refuse.
    """
    effective = policy if isinstance(policy, Policy) else Policy.from_overrides(policy or {})
    roles = tuple(roles)

    def warning(rule: str, key: str = "warning") -> float | None:
        settings = effective.settings(rule, roles)
        if not settings.get("enabled", True):
            return None
        return settings.get(key)

    pledge = effective.settings("over_pledge", roles)
    duty = effective.settings("long_duty", roles)
    spike = effective.settings("load_spike", roles)
    return Limits(
        weekly_weighted=_minutes(warning("weekly_load")),
        pledge_ratio=warning("over_pledge"),
        pledge_grace=round(pledge.get("min_excess_hours", 2.0) * 60),
        intense=_minutes(warning("intense_hours")),
        consecutive_days=_most(warning("consecutive_days")),
        consecutive_nights=_most(warning("consecutive_nights")),
        nights_in_28_days=_whole(warning("consecutive_nights", "max_in_28_days")),
        early_starts=_most(warning("early_starts")),
        min_rest=_minutes(warning("short_rest")),
        long_duty=_minutes(warning("long_duty")),
        long_intense_duty=_minutes(warning("long_duty", "intense_warning")),
        intense_duty_from=duty.get("intense_from", 1.5),
        spike_ratio=warning("load_spike"),
        spike_history_days=int(spike.get("min_history_days", 35)),
        spike_min_chronic=round(spike.get("min_chronic_hours", 1.0) * 60),
        spike_min_rise=round(spike.get("min_rise_hours", 4.0) * 60),
    )
