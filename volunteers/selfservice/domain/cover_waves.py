"""Cover requests in waves: who is asked next, how many, and when (pure; ``now`` passed in).

When a place needs cover, the eligible people (qualified, available, not
on leave, free — ``rota.domain.eligibility``) are ranked as the board ranks
them (``rota.domain.fair_order``: least done for their pledge this month
first) and asked a few at a time. Anyone who would get a load warning of
severity ``warning`` or worse by taking the place is never asked, and no
one is asked twice for the same request. The next wave goes once the
organisation's interval has passed and the place is still not taken.

Settings (organisation, edited on /settings/rota): ``cover_wave_size``
(default 5, 1–50) and ``cover_wave_minutes`` (default 30, 5–1440). A stored
value a person could have mistyped falls back to the default rather than
breaking the job.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from volunteers.rota.domain.fair_order import fairness_key
from volunteers.wellbeing.domain.severity import is_at_least

WAVE_SIZE_SETTING = "cover_wave_size"
WAVE_MINUTES_SETTING = "cover_wave_minutes"
DEFAULT_WAVE_SIZE = 5
DEFAULT_WAVE_MINUTES = 30
WAVE_SIZE_BOUNDS = (1, 50)
WAVE_MINUTES_BOUNDS = (5, 24 * 60)
#: a load warning this bad (or worse) by taking the place keeps a person out of every wave
BLOCKING_SEVERITY = "warning"


@dataclass(frozen=True)
class Prospect:
    """An eligible person who might be asked: their month so far and what taking the place would raise."""

    membership_id: int
    name: str
    month_hours: float
    pledge_month: float | None
    #: the worst load warning taking the place would raise (None: none)
    worst_warning: str | None = None

    @property
    def blocked(self) -> bool:
        return is_at_least(self.worst_warning, BLOCKING_SEVERITY)


def whole_setting(value: Any, default: int, bounds: tuple[int, int]) -> int:
    """Return a whole number setting within ``bounds``; anything else (text, a bool, out of range) is ``default``."""
    if isinstance(value, bool):
        return default
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return default
    if not number.is_finite() or number != number.to_integral_value() or not bounds[0] <= number <= bounds[1]:
        return default
    return int(number)


def wave_size(value: Any) -> int:
    return whole_setting(value, DEFAULT_WAVE_SIZE, WAVE_SIZE_BOUNDS)


def wave_interval(value: Any) -> timedelta:
    return timedelta(minutes=whole_setting(value, DEFAULT_WAVE_MINUTES, WAVE_MINUTES_BOUNDS))


def ranked(prospects: Iterable[Prospect]) -> list[Prospect]:
    """Return ``prospects`` in the board's order (least done for their pledge this month first)."""
    return sorted(prospects, key=lambda p: (fairness_key(p.month_hours, p.pledge_month, p.name), p.membership_id))


def next_wave(order: Sequence[Prospect], asked: Iterable[int], size: int) -> list[Prospect]:
    """Return the next ``size`` people of ``order`` not asked yet and not blocked by a load warning."""
    done = set(asked)
    wave: list[Prospect] = []
    for prospect in order:
        if len(wave) >= size:
            break
        if prospect.membership_id not in done and not prospect.blocked:
            wave.append(prospect)
    return wave


def wave_due(next_wave_at: datetime | None, stopped_at: datetime | None, now: datetime) -> bool:
    """Return whether the next wave should go now: the request is live and its interval has passed."""
    return stopped_at is None and next_wave_at is not None and next_wave_at <= now


def stop_reason(*, shift_planned: bool, shift_starts_at: datetime, now: datetime, offer_status: str | None,
                offer_taken: bool, places_open: int) -> str | None:
    """Return why cover is no longer needed (one of ``rota.cover_models.STOP_REASONS``), or None while it is.

    ``offer_status`` is the late cancellation's (None: cover for an open place on
    the shift, which is taken once no place is open); ``offer_taken`` says whether
    someone took it (a web accept, a text YES, or a swap waiting for approval).
    """
    if not shift_planned:
        return "cancelled"
    if shift_starts_at <= now:
        return "started"
    if offer_status is None:
        return "taken" if places_open <= 0 else None
    if offer_status == "open":
        return None
    if offer_status == "withdrawn":
        return "withdrawn"
    if offer_status == "taken" or (offer_status == "approved" and offer_taken):
        return "taken"
    return "decided"
