"""Who on a shift is away on declared leave, in the words the board and the shift panel show (pure).

Adding leave does not take anyone off the shifts they already hold (see
``selfservice.leave``), so a coordinator must see it where those places are:
"Kelly Robson is away 21–28 Dec". Leave is inclusive local dates and blocks
every local date a shift touches, as eligibility (``rota.domain.eligibility``)
judges it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: inclusive local (first, last) dates of one leave entry
LeaveSpan = tuple[date, date]


@dataclass(frozen=True)
class Away:
    """A person holding a place on a shift that falls in their leave."""

    membership_id: int
    name: str
    first: date
    last: date

    @property
    def span(self) -> str:
        """The leave as people read it: ``21 Dec``, ``21–28 Dec``, ``30 Nov – 2 Dec``, ``30 Dec 2026 – 2 Jan 2027``."""
        return leave_span(self.first, self.last)

    @property
    def sentence(self) -> str:
        return f"{self.name} is away {self.span}"


def leave_span(first: date, last: date) -> str:
    """Return inclusive dates ``first``–``last`` shortly, naming a month or year once when both share it."""
    if first == last:
        return f"{first.day} {_MONTHS[first.month - 1]}"
    if first.year != last.year:
        return (f"{first.day} {_MONTHS[first.month - 1]} {first.year} – "
                f"{last.day} {_MONTHS[last.month - 1]} {last.year}")
    if first.month != last.month:
        return f"{first.day} {_MONTHS[first.month - 1]} – {last.day} {_MONTHS[last.month - 1]}"
    return f"{first.day}–{last.day} {_MONTHS[last.month - 1]}"


def leave_touching(leaves: Iterable[LeaveSpan], first_day: date, last_day: date) -> LeaveSpan | None:
    """Return the first leave (by start) covering any local date from ``first_day`` to ``last_day``."""
    for leave in sorted(leaves):
        if leave[0] <= last_day and first_day <= leave[1]:
            return leave
    return None


def away_on(people: Iterable[tuple[int, str]], leave: dict[int, list[LeaveSpan]],
            first_day: date, last_day: date) -> list[Away]:
    """Return who among ``people`` (membership id, name) is on leave on a shift from ``first_day`` to ``last_day``."""
    found = []
    for membership_id, name in people:
        span = leave_touching(leave.get(membership_id, ()), first_day, last_day)
        if span is not None:
            found.append(Away(membership_id, name, *span))
    return found
