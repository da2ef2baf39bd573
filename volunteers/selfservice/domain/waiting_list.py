"""The waiting list's rules: who is offered a freed place next, for how long, and on which place.

Pure values (stdlib only), ``now`` passed in. A full shift keeps a queue
of volunteers in the order they joined. When a place frees, the first
person in the queue who may take the shift (the caller says who is
eligible: qualification, availability, leave, no overlap) is offered it
for a limited time — by default two hours, but never past two hours
before the start, whichever comes sooner. An offer holds one numbered
*slot* (1 … free places): two offers can never hold the same slot, so
two people are never offered one place at once.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

#: organisation settings (``Organisation.settings``), read here and written by ``volunteers.settings``
HOLD_SETTING = "waiting_list_offer_hours"
STOP_SETTING = "waiting_list_stop_hours_before_start"
#: how long an offer is held for the person offered (hours)
DEFAULT_HOLD_HOURS = 2
#: offers end this many hours before the start (the place then goes to the cover requests)
DEFAULT_STOP_HOURS = 2
#: the bounds a coordinator may set, in whole hours
HOLD_BOUNDS = (1, 72)
STOP_BOUNDS = (0, 72)

WAITING = "waiting"
OFFERED = "offered"
#: statuses that are still on the list (one such entry per person and shift)
ON_LIST = (WAITING, OFFERED)
#: how an entry leaves the list
ACCEPTED, LEFT, DECLINED, EXPIRED, CLOSED = "accepted", "left", "declined", "expired", "closed"
STATUSES = (WAITING, OFFERED, ACCEPTED, LEFT, DECLINED, EXPIRED, CLOSED)


@dataclass(frozen=True)
class QueuedPerson:
    """One entry on a shift's list, as the rules see it."""

    entry_id: int
    membership_id: int
    joined_at: datetime
    status: str  #: WAITING or OFFERED
    slot: int | None = None  #: the place an open offer holds


def hours_setting(value: object, default: int, bounds: tuple[int, int]) -> int:
    """Read a stored whole-hours setting; anything unreadable or out of bounds is the default."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        return default
    low, high = bounds
    return int(value) if low <= int(value) <= high else default


def offer_deadline(now: datetime, starts_at: datetime, *, hold_hours: float = DEFAULT_HOLD_HOURS,
                   stop_hours: float = DEFAULT_STOP_HOURS) -> datetime | None:
    """Return when an offer made ``now`` lapses, or None when it is too late to offer the place at all.

    The sooner of ``now + hold_hours`` and ``stop_hours`` before the start.
    Counted in UTC, so an offer across a clock change lasts its real length
    (two hours are two hours on 25 October): Python adds a timedelta to a
    zoned datetime by the wall clock, which would make it three.
    """
    now, starts_at = now.astimezone(UTC), starts_at.astimezone(UTC)
    deadline = min(now + timedelta(hours=hold_hours), starts_at - timedelta(hours=stop_hours))
    return deadline if deadline > now else None


def free_slots(needed: int, filled: int, held: Iterable[int]) -> list[int]:
    """Return the place numbers (1 … free places) no open offer holds, lowest first."""
    free = max(0, needed - filled)
    taken = set(held)
    return [slot for slot in range(1, free + 1) if slot not in taken]


def surplus_offers(needed: int, filled: int, queue: Sequence[QueuedPerson]) -> list[QueuedPerson]:
    """Return the open offers on slots above the free places (filled since by someone else), latest first.

    They are withdrawn and their people go back to waiting in their place.
    """
    free = max(0, needed - filled)
    return sorted((p for p in queue if p.status == OFFERED and (p.slot or 0) > free),
                  key=lambda p: (p.slot or 0), reverse=True)


def in_order(queue: Iterable[QueuedPerson]) -> list[QueuedPerson]:
    """Return the queue in the order people joined (earliest first; the entry id breaks ties)."""
    return sorted(queue, key=lambda p: (p.joined_at, p.entry_id))


def next_in_line(queue: Sequence[QueuedPerson], eligible: set[int], count: int) -> list[QueuedPerson]:
    """Return up to ``count`` people to offer places to: the first *waiting* people who are eligible.

    People already holding an offer are skipped; an ineligible person keeps
    their position and is passed over only for now (they are asked once eligible).
    """
    chosen: list[QueuedPerson] = []
    for person in in_order(queue):
        if len(chosen) >= count:
            break
        if person.status == WAITING and person.membership_id in eligible:
            chosen.append(person)
    return chosen


def position(queue: Sequence[QueuedPerson], entry_id: int) -> int | None:
    """Return the 1-based place of ``entry_id`` among the people still on the list, or None."""
    for number, person in enumerate(in_order(queue), start=1):
        if person.entry_id == entry_id:
            return number
    return None
