"""Whether a volunteer may take each of many shifts, and each one's time as the page prints it (issue 13).

/me/shifts/open judges up to two hundred shifts for one volunteer on every
view: the open ones and the full ones beside them. ``rota.domain.eligibility
.check`` answers for one shift with the reasons a coordinator reads: an
``OpenShift`` built and validated, the sentences of every reason written. The
page asks only yes or no, so :class:`Judge` asks the same four questions —
qualifications valid on the local start date, stated availability, leave, a
clash with a duty — without the sentences, and remembers what many shifts
share: a role's qualifications (one answer per role) and a weekly window's
answer for a start and end time (one per weekly slot). Its answers are
``not check(...)``'s: tests/integration/selfservice/test_open_judge_same_answers.py
holds them to it for every demo member and shift.

:func:`span_text` is ``core.timeutil.format_span`` for local times already
converted (each instant is converted once, for judging and printing alike),
with each day's text made once.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from volunteers.core.timeutil import format_day
from volunteers.people.domain.availability import covers
from volunteers.rota.domain.eligibility import Candidate

_TICK = timedelta(microseconds=1)
#: "HH:MM" of each minute of the day (formatting two numbers per time was most of ``span_text``)
_CLOCK = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60))
_MIDNIGHT = time()


class Judge:
    """``not check(candidate, shift, tz)`` for one candidate's many shifts, given local start and end times."""

    def __init__(self, candidate: Candidate) -> None:
        self.candidate = candidate
        self._windows = candidate.availability
        self._leave = candidate.leave
        # the duties sorted by start, and the latest end among the first k of them: a shift clashes when a
        # duty starting before its end ends after its start, found by one bisection rather than a scan
        busy = sorted(candidate.busy)
        self._busy_starts = [busy_start for busy_start, _ in busy]
        self._ends_by: list[datetime] = []
        for _, busy_end in busy:
            self._ends_by.append(max(self._ends_by[-1], busy_end) if self._ends_by else busy_end)
        self._until: dict[tuple[str, ...], date | None | bool] = {}
        self._covered: dict[tuple[int, time, timedelta, timedelta | None, timedelta | None], bool] = {}

    def valid_until(self, names: tuple[str, ...]) -> date | None | bool:
        """The last local date on which I hold every qualification named (None: no end), False if I lack one."""
        found = self._until.get(names, True)
        if found is True:
            held = self.candidate.qualifications
            if any(name not in held for name in names):
                found = False
            else:
                ends = [expiry for expiry in map(held.__getitem__, names) if expiry is not None]
                found = min(ends) if ends else None
            self._until[names] = found
        return found

    def may_take(self, names: tuple[str, ...], start: datetime, end: datetime, local_start: datetime,
                 local_end: datetime) -> bool:
        """Whether ``check`` finds nothing against a shift needing ``names`` from ``start`` to ``end``
        (aware), ``local_start``/``local_end`` the same instants in the organisation's zone."""
        first = local_start.date()
        until = self.valid_until(names) if names else None
        if until is False or (until is not None and until < first):  # type: ignore[operator]
            return False
        if self._windows and not self._covers(local_start, local_end, first):
            return False
        if self._leave:
            last = (local_end - _TICK).date()
            for leave_from, leave_to in self._leave:
                if leave_from <= last and first <= leave_to:
                    return False
        before_end = bisect_left(self._busy_starts, end)  # the duties starting before the shift ends
        return not (before_end and self._ends_by[before_end - 1] > start)

    def _covers(self, local_start: datetime, local_end: datetime, first: date) -> bool:
        """``covers`` for the shift's wall-clock times: the same for every week's shift of a weekly slot."""
        start = local_start.replace(tzinfo=None)
        end = local_end.replace(tzinfo=None)
        # the offsets too: across the hour the clocks go back the same wall-clock times last longer
        key = (first.weekday(), start.time(), end - datetime.combine(first, _MIDNIGHT), local_start.utcoffset(),
               local_end.utcoffset())
        found = self._covered.get(key)
        if found is None:
            # aware times: across the hour the clocks go back, the end can be before the start on the wall clock
            found = self._covered[key] = covers(self._windows, local_start, local_end)
        return found


class Days:
    """Each local date's text (``"Tue 3 Nov"``) made once."""

    def __init__(self) -> None:
        self._text: dict[date, str] = {}

    def text(self, day: date) -> str:
        found = self._text.get(day)
        if found is None:
            found = self._text[day] = format_day(day)
        return found


def span_text(local_start: datetime, local_end: datetime, days: Days) -> str:
    """``format_span`` of two instants already in the organisation's zone: ``"Tue 3 Nov, 09:00–12:00"``."""
    first, last = local_start.date(), local_end.date()
    head = f"{days.text(first)}, {_CLOCK[local_start.hour * 60 + local_start.minute]}"
    tail = _CLOCK[local_end.hour * 60 + local_end.minute]
    apart = (last - first).days
    if apart == 0:
        return f"{head}–{tail}"
    if apart == 1:
        return f"{head}–{tail} (next day)"
    return f"{head} – {days.text(last)}, {tail}"


def names_of(ids: Iterable[int], held: dict[int, str]) -> tuple[str, ...] | None:
    """The names of the qualifications a role needs (by id), or None when I hold not every one of them."""
    ids = list(ids)
    if any(ident not in held for ident in ids):
        return None
    return tuple(sorted(held[ident] for ident in ids))
