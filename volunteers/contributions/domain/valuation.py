"""Put a money value on contributions with a dated rate card.

Funders ask "what is this volunteering worth?". The usual answer is the
replacement cost: what it would cost to pay someone for the same hours.
Money counts at face value and in-kind gifts at the value stated by the
giver; time and expertise are hours × a rate per hour that was in force on
the day the work happened, so a report for March 2026 keeps using March's
rate after April's rise.

An organisation's own rates win: a rate for the role first, then its rate
for the kind, then :data:`UK_DEFAULT_RATES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

__all__ = ["Rate", "RateCard", "UK_DEFAULT_RATES", "HOURLY_KINDS", "STATED_VALUE_KINDS"]

HOURLY_KINDS = frozenset({"time", "expertise"})
STATED_VALUE_KINDS = frozenset({"money", "in_kind"})


@dataclass(frozen=True)
class Rate:
    """A value per hour from a date on, for either one role or one kind (not both)."""

    per_hour: Decimal
    effective_from: date
    role: str | None = None
    kind: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if (self.role is None) == (self.kind is None):
            raise ValueError("a rate applies to exactly one of a role or a kind")
        if self.kind is not None and self.kind not in HOURLY_KINDS:
            raise ValueError(f"rates are for hourly kinds {sorted(HOURLY_KINDS)}, got {self.kind!r}")
        if not isinstance(self.per_hour, Decimal) or self.per_hour < 0:
            raise ValueError(f"per_hour must be a Decimal ≥ 0, got {self.per_hour!r}")


# Documented UK defaults (GBP per hour).
# * General volunteering ("time") is valued at the National Living Wage for
#   workers aged 21 and over — the least an employer could lawfully pay for
#   the same hours: £10.42 from 1 Apr 2023, £11.44 from 1 Apr 2024 (ONS,
#   "Employee earnings in the UK: 2024", which quotes both), £12.21 from
#   1 Apr 2025 and £12.71 from 1 Apr 2026 (the Low Pay Commission's
#   recommendation accepted by the Government at the November 2025 Budget).
# * Skilled or professional time ("expertise") is valued at the UK median
#   gross hourly earnings, excluding overtime, of full-time employees: £18.64
#   in April 2024 (ONS Annual Survey of Hours and Earnings 2024, published
#   29 Oct 2024). A median wage is a conservative replacement cost for
#   professional work; organisations that buy such work should set their
#   own rate per role.
UK_DEFAULT_RATES: tuple[Rate, ...] = (
    Rate(Decimal("10.42"), date(2023, 4, 1), kind="time", note="National Living Wage 2023/24"),
    Rate(Decimal("11.44"), date(2024, 4, 1), kind="time", note="National Living Wage 2024/25"),
    Rate(Decimal("12.21"), date(2025, 4, 1), kind="time", note="National Living Wage 2025/26"),
    Rate(Decimal("12.71"), date(2026, 4, 1), kind="time", note="National Living Wage 2026/27"),
    Rate(Decimal("18.64"), date(2023, 4, 1), kind="expertise",
         note="ONS ASHE 2024 median hourly pay excl. overtime, full-time"),
)


def _newest_first(rates: Iterable[Rate]) -> list[Rate]:
    """The rates latest first; a stable sort, so of two from the same day the first given wins."""
    return sorted(rates, key=lambda r: r.effective_from, reverse=True)


#: the rates that may apply to a (kind, role), most specific first: the role's, the kind's, the defaults
_Tiers = tuple[list[Rate], list[Rate], list[Rate]]


@dataclass(frozen=True)
class RateCard:
    """An organisation's rates plus the defaults behind them."""

    rates: tuple[Rate, ...] = ()
    defaults: tuple[Rate, ...] = UK_DEFAULT_RATES
    #: on-call roles: their hours are stand-by, valued at ``standby_share`` of the role's rate (the load
    #: rules weigh an on-call hour at 0.25; paying a full wage for 8 hours of a quiet night overstates it)
    standby_roles: frozenset[str] = frozenset()
    #: the share of the role's rate an on-call hour is worth (default a quarter)
    standby_share: Decimal = Decimal("0.25")
    #: the rates and the defaults, each latest first (set once, in __post_init__)
    _newest: tuple[list[Rate], list[Rate]] = field(init=False, repr=False, compare=False)
    #: (kind, role) → its tiers, filled in as they are asked for: a cache, not part of the value
    _tiers: dict[tuple[str, str | None], _Tiers] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        seen: set[tuple[str | None, str | None, date]] = set()
        for r in self.rates:
            key = (r.role, r.kind, r.effective_from)
            if key in seen:
                raise ValueError(f"two rates for {r.role or r.kind} from {r.effective_from}")
            seen.add(key)
        # sorted once, and the tiers of each (kind, role) asked about picked out once: a report asks often
        object.__setattr__(self, "_newest", (_newest_first(self.rates), _newest_first(self.defaults)))
        object.__setattr__(self, "_tiers", {})

    def _tiers_for(self, kind: str, role: str | None) -> _Tiers:
        """Return the role's rates, the kind's and the kind's defaults, each latest first."""
        tiers = self._tiers.get((kind, role))
        if tiers is None:
            rates, defaults = self._newest
            tiers = self._tiers[kind, role] = (
                [r for r in rates if role is not None and r.role == role],
                [r for r in rates if r.kind == kind],
                [r for r in defaults if r.kind == kind],
            )
        return tiers

    def rate_for(self, kind: str, role: str | None, on: date) -> Rate:
        """Return the rate in force on ``on`` for hourly work of ``kind`` in ``role``.

        :raises ValueError: for a kind without hourly rates, or a date before every rate.
        """
        if kind not in HOURLY_KINDS:
            raise ValueError(f"{kind!r} contributions have no hourly rate")
        for tier in self._tiers_for(kind, role):
            for rate in tier:
                if rate.effective_from <= on:
                    return rate
        raise ValueError(f"no rate for {kind!r} work on {on.isoformat()}")

    def value_for(self, kind: str, role: str | None, on: date, hours: Decimal,
                  stated_value: Decimal | None = None) -> Decimal:
        """Return the money value of a contribution, unrounded.

        Time and expertise: ``hours`` × the rate in force on ``on`` (negative
        hours give a negative value, as a reversal should). Money and in-kind:
        ``stated_value`` as given.

        :raises ValueError: for an unknown kind, or money/in-kind without a stated value.
        """
        if kind in STATED_VALUE_KINDS:
            if stated_value is None:
                raise ValueError(f"a {kind} contribution needs its stated value")
            return Decimal(stated_value)
        return Decimal(hours) * self.per_hour(kind, role, on)

    def per_hour(self, kind: str, role: str | None, on: date) -> Decimal:
        """Return what an hour of ``kind`` work in ``role`` on ``on`` is worth: the rate, or its stand-by share.

        :raises ValueError: as :meth:`rate_for`.
        """
        rate = self.rate_for(kind, role, on).per_hour
        return rate * self.standby_share if role is not None and role in self.standby_roles else rate
