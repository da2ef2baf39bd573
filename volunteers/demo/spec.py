"""Plain descriptions of a demo organisation, before anything touches the database.

The organisation modules (:mod:`.tackley`, :mod:`.surestart`) fill these in;
:mod:`.planner` puts people on shifts; :mod:`.builder` writes the rows.
Keeping the description as data makes the demo easy to read and to change.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from volunteers.people.domain.availability import WeeklyWindow
from volunteers.rota.domain.bank_holidays import DEFAULT_NATION, bank_holidays
from volunteers.rota.domain.recurrence import build_rrule


@dataclass(frozen=True)
class QualificationSpec:
    """A qualification the organisation records, with its usual validity."""

    name: str
    validity_months: int | None
    #: training, check (DBS/PVG), first_aid or other
    kind: str = "training"


@dataclass(frozen=True)
class RoleSpec:
    """A duty: intensity, the qualification it needs, whether it is stand-by."""

    name: str
    intensity: Decimal = Decimal("1.0")
    requires: str | None = None
    on_call: bool = False
    priority: int = 1


@dataclass(frozen=True)
class PatternSpec:
    """A series: "Mon–Sat 08:00–13:00, Shop counter at the Village hall shop, 2 people"."""

    key: str
    role: str
    site: str
    days: tuple[int, ...]
    start: time
    end: time
    needed: int = 1
    interval_weeks: int = 1
    #: monthly on the one day in ``days``: 1 = the first of the month, -1 the last (None: weekly)
    month_position: int | None = None
    #: no shift on the organisation's bank holidays (the series' ``on_bank_holidays="skip"``)
    skip_bank_holidays: bool = False

    @property
    def rrule(self) -> str:
        return build_rrule(self.days, self.interval_weeks, month_position=self.month_position)

    def skipped(self, first: date, last: date) -> set[date]:
        """Return the bank holidays (England's: the demo's organisations are English) the series skips."""
        return set(bank_holidays(DEFAULT_NATION, first, last)) if self.skip_bank_holidays else set()


@dataclass(frozen=True)
class FixedDuty:
    """A regular duty someone always does: the series' dates on ``days`` in ``[first, last]``."""

    pattern: str
    days: tuple[int, ...]
    first: date | None = None
    last: date | None = None


@dataclass
class PersonSpec:
    """A member as the demo describes them.

    ``quals`` maps a qualification name to ``(obtained_on, expires_on)``.
    People with ``in_pool`` are placed on open shifts by the planner within
    their pledge; ``fixed`` duties are placed first, whatever the pledge
    (that is how key drivers end up far above it).
    """

    email: str
    name: str
    phone: str | None = None
    role: str = "volunteer"
    status: str = "active"
    pledge: Decimal | None = None
    joined_on: date | None = None
    quals: dict[str, tuple[date | None, date | None]] = field(default_factory=dict)
    availability: tuple[WeeklyWindow, ...] = ()
    leave: list[tuple[date, date, str]] = field(default_factory=list)
    last_supervised_on: date | None = None
    no_show_rate: float = 0.03
    login: bool = False
    in_pool: bool = True
    fixed: list[FixedDuty] = field(default_factory=list)
    notes: str | None = None


@dataclass(frozen=True)
class ExtraContribution:
    """A ledger entry that is not an attended shift: gifts, money, meetings, self-logged hours."""

    occurred_on: date
    kind: str
    stage: str
    status: str
    hours: Decimal = Decimal("0")
    amount: Decimal = Decimal("0")
    email: str | None = None
    contributor_name: str | None = None
    contributor_type: str = "volunteer"
    note: str | None = None
    #: local start time, for the instant ``occurred_at``
    at: time = time(10, 0)


@dataclass
class OrgSpec:
    """Everything the demo creates for one organisation."""

    slug: str
    name: str
    timezone: str
    coproduction_mode: str
    qualifications: list[QualificationSpec]
    roles: list[RoleSpec]
    sites: list[str]
    patterns: list[PatternSpec]
    people: list[PersonSpec]
    extras: list[ExtraContribution]
    #: e-mail of the member who approves hours
    approver: str
    #: e-mails the demo points at in its summary
    key_drivers: list[str] = field(default_factory=list)
    night_heavy: list[str] = field(default_factory=list)
    #: run after the organisation's rows are written: (organisation, e-mail → membership, now) → counts
    post_build: list[Callable[..., dict[str, int]]] = field(default_factory=list)


def random_pledge(rng: random.Random, weights: dict[int, int]) -> Decimal:
    """Return a weekly pledge in whole hours drawn from ``{hours: weight}``."""
    hours = rng.choices(list(weights), weights=list(weights.values()))[0]
    return Decimal(hours)


def random_availability(rng: random.Random, days: tuple[int, ...],
                        parts: tuple[tuple[time, time], ...], count: int) -> tuple[WeeklyWindow, ...]:
    """Return ``count`` weekly windows on distinct days, each one of ``parts`` of the day."""
    chosen = sorted(rng.sample(days, count))
    return tuple(WeeklyWindow(day, *rng.choice(parts)) for day in chosen)
