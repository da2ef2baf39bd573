"""A page of the board: a week (or, for the API and print sheet, a month) of shifts with its totals and neighbours.

``board_view`` turns the local period asked for into UTC instants and reads it
with ``board_reads.board``; the month board itself is drawn from
``board_month.month_view``, which sums the busy days in SQL.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cached_property

from volunteers.core.models import Organisation
from volunteers.core.timeutil import local_to_utc
from volunteers.people.models import Membership
from volunteers.rota.board_reads import BoardFilter, BoardRows, BoardShift, NamedDays, board_rows


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class RoleDay:
    """One role's shifts on one day, summed."""

    role_id: int
    name: str
    shifts: int
    filled: int
    needed: int

    @property
    def gap(self) -> int:
        return max(self.needed - self.filled, 0)


#: a month-view day with more shifts than this shows one line per role instead
MONTH_CARDS_PER_DAY = 8


@dataclass
class BoardView:
    """One page of the board: a week or a month of shifts, with its totals and neighbours."""

    kind: str  #: ``week`` or ``month``
    first: date  #: first local date of the period (a Monday, or the 1st)
    last: date  #: last local date, inclusive
    dates: list[date]  #: the dates shown (a month shows whole weeks around it)
    days: dict[date, list[BoardShift]]
    filters: BoardFilter
    previous: date
    next: date

    @property
    def weeks(self) -> list[list[date]]:
        return [self.dates[i:i + 7] for i in range(0, len(self.dates), 7)]

    @cached_property
    def items(self) -> list[BoardShift]:
        return [item for d in self.dates if self.first <= d <= self.last for item in self.days.get(d, [])]

    # the page reads each total more than once: summed once
    @cached_property
    def needed(self) -> int:
        return sum(item.shift.needed for item in self.items)

    @cached_property
    def filled(self) -> int:
        return sum(item.filled for item in self.items)

    @cached_property
    def gaps(self) -> int:
        return sum(item.gap for item in self.items)

    def drafts(self, day: date) -> int:
        """Return how many of a day's shifts are not published yet (a day summed per role says so)."""
        return sum(1 for item in self.days.get(day, ()) if item.shift.published_at is None)

    def by_role(self, day: date) -> list[RoleDay]:
        """Return a day's shifts summed per role: a busy day in the month view reads as a few lines."""
        totals: dict[int, list] = {}  # role id → [name, shifts, filled, needed]: one RoleDay per role, not per shift
        for item in self.days.get(day, []):
            role = item.shift.role
            sums = totals.get(role.id)
            if sums is None:
                sums = totals[role.id] = [role.name, 0, 0, 0]
            sums[1] += 1
            sums[2] += item.filled
            sums[3] += item.shift.needed
        return sorted((RoleDay(role_id, *sums) for role_id, sums in totals.items()), key=lambda r: r.name)

    @property
    def param(self) -> str:
        """The query-string value naming this period: a date for a week, YYYY-MM for a month."""
        return f"{self.first:%Y-%m}" if self.kind == "month" else self.first.isoformat()


def board_view(org: Organisation, kind: str, anchor: date, filters: BoardFilter,
               named_days: NamedDays | None = None, viewer: Membership | None = None) -> BoardView:
    """Return the week (Monday–Sunday) or month holding ``anchor``, in a fixed number of queries.

    A month names the people of the days it shows as cards (at most :data:`MONTH_CARDS_PER_DAY`
    shifts) and counts the places of the days it sums per role; ``named_days`` overrides that.
    """
    return period_rows(org, kind, anchor, filters, named_days, viewer).view()


@dataclass(frozen=True)
class PeriodRows:
    """A page of the board as read (:func:`board_reads.board_rows`), before its cards are made: :meth:`view`."""

    kind: str
    first: date
    last: date
    dates: list[date]
    filters: BoardFilter
    previous: date
    next: date
    rows: BoardRows

    def view(self) -> BoardView:
        return BoardView(self.kind, self.first, self.last, self.dates, self.rows.board(), self.filters,
                         self.previous, self.next)


def period_rows(org: Organisation, kind: str, anchor: date, filters: BoardFilter,
                named_days: NamedDays | None = None, viewer: Membership | None = None) -> PeriodRows:
    """:func:`board_view`'s statements run: the period and its rows, its cards not made yet."""
    if named_days is None and kind == "month":
        named_days = busy_days_counted
    if kind == "month":
        first = anchor.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        shown_from, shown_to = week_start(first), week_start(last) + timedelta(days=6)
        previous, following = (first - timedelta(days=1)).replace(day=1), last + timedelta(days=1)
    else:
        first = week_start(anchor)
        last = first + timedelta(days=6)
        shown_from, shown_to = first, last
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    start = local_to_utc(first, time(0), org.timezone)
    end = local_to_utc(last + timedelta(days=1), time(0), org.timezone)
    dates = [shown_from + timedelta(days=i) for i in range((shown_to - shown_from).days + 1)]
    return PeriodRows(kind, first, last, dates, filters, previous, following,
                      board_rows(org, start, end, filters, named_days, viewer))


def busy_days_counted(per_day: dict[date, int]) -> set[date]:
    """The month's rule: a day with more shifts than :data:`MONTH_CARDS_PER_DAY` is summed, so only counted."""
    return {day for day, n in per_day.items() if n <= MONTH_CARDS_PER_DAY}
