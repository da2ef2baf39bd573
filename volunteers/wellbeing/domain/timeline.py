"""One person's schedule prepared once for all rules: shift loads, duties, days.

Building a :class:`Timeline` does the time-zone work (one conversion per
shift and per duty end, cached night bounds); the rules then work on
timestamps, day indices and prefix sums.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from volunteers.wellbeing.domain.duties import Duty, ShiftLoad, local_time, merge_duties, shift_load
from volunteers.wellbeing.domain.model import Focus, LoadWarning, LoggedTime, VolunteerSchedule
from volunteers.wellbeing.domain.policy import Policy


@lru_cache(maxsize=65536)
def midnight(tz: ZoneInfo, ordinal: int) -> datetime:
    """Return the local start of date ``ordinal`` in ``tz``."""
    return datetime.combine(date.fromordinal(ordinal), time(0), tzinfo=tz)


@dataclass
class Timeline:
    """A person's shifts sorted by start, with their loads, duties, logged time and day frame.

    Day index ``i`` is the local date ``first_day + i``; ``n_days`` runs to
    the last date with a shift start or logged time.
    """

    schedule: VolunteerSchedule
    tz: ZoneInfo
    as_of: datetime
    policy: Policy
    loads: list[ShiftLoad]
    first_day: int
    n_days: int
    #: every role the person has a shift in
    roles: frozenset[str]
    #: ``as_of`` as a timestamp: shifts starting at or after it are planned
    as_of_ts: float
    #: the local date ordinal the person's record starts on (their first shift, on record or here)
    history_day: int
    #: the first local date ordinal from which every shift is here (None: all of them are)
    complete_day: int | None
    #: the time logged outside the rota, by date
    logged: list[LoggedTime]
    _days: list[int] = field(repr=False)
    _logged_days: list[int] = field(repr=False)
    _daily: dict[str, list[float]] = field(default_factory=dict, repr=False)
    #: the warnings asked about (None: all); rules may leave out the others (see :class:`~.model.Focus`)
    focus: Focus | None = None
    #: with a focus: the local date ordinals a kept window episode must include, sorted
    focus_days: list[int] = field(default_factory=list, repr=False)
    #: with a focus: the load indices of its shifts (``refs``)
    focus_loads: frozenset[int] = frozenset()
    #: with a focus: timestamp spans a kept duty episode must touch (its shifts', and its ``spans``)
    focus_ranges: list[tuple[float, float]] = field(default_factory=list, repr=False)

    @classmethod
    def build(cls, schedule: VolunteerSchedule, as_of: datetime, tz: ZoneInfo, policy: Policy, *,
              focus: Focus | None = None, loads: Iterable[ShiftLoad] | None = None) -> Timeline:
        """Return the timeline of ``schedule`` judged at ``as_of`` in ``tz``.

        The day frame runs from the first to the last date with a shift or
        logged time; the person's record (``history_day``) starts with their
        first shift, as logged time is not a duty. ``loads`` are the
        :func:`~.duties.shift_load` of ``schedule.shifts`` in ``tz``, one each
        in order, when the caller has them (a prospective check judges a
        schedule with and without new shifts).
        """
        ordered = sorted(loads if loads is not None else (shift_load(span, tz) for span in schedule.shifts),
                         key=lambda load: load.start_ts)
        days = [load.day for load in ordered]
        logged = sorted(schedule.logged, key=lambda entry: entry.on)
        logged_days = [entry.on.toordinal() for entry in logged]
        first_shift = days[0] if days else as_of.astimezone(tz).toordinal()
        bounds = ([days[0], days[-1]] if days else []) + ([logged_days[0], logged_days[-1]] if logged else [])
        first = min(bounds) if bounds else first_shift
        on_record = schedule.first_shift_on
        complete = schedule.complete_since
        return cls(schedule=schedule, tz=tz, as_of=as_of, policy=policy, loads=ordered,
                   first_day=first,
                   n_days=(max(bounds) - first + 1) if bounds else 0,
                   roles=frozenset(span.role for span in schedule.shifts), as_of_ts=as_of.timestamp(),
                   history_day=min(first_shift, on_record.toordinal()) if on_record else first_shift,
                   complete_day=complete.toordinal() if complete else None,
                   logged=logged, _days=days, _logged_days=logged_days, **_focus_frame(focus, ordered, tz))

    @cached_property
    def duties(self) -> list[Duty]:
        """Return the person's duties (:func:`~.duties.merge_duties`), merged when a rule first asks."""
        return merge_duties(self.loads, self.tz)

    def focus_misses(self, behind: Callable[[ShiftLoad], bool]) -> bool:
        """Return whether a focus asks only about its shifts and none of them could be ``behind`` a warning.

        A rule whose warnings stand only on some shifts (intense ones, say)
        then has nothing to say to the focus: judging no window at all is the same answer.
        """
        focus = self.focus
        return focus is not None and not focus.spans and not any(behind(self.loads[i]) for i in self.focus_loads)

    def in_focus(self, start_ts: float, end_ts: float, loads: Iterable[int] = ()) -> bool:
        """Return whether a duty episode from ``start_ts`` to ``end_ts`` with ``loads`` behind it may be kept.

        Always true without a focus. Generous by a second at each end: the
        exact test (:meth:`Focus.keeps`) comes after.
        """
        if self.focus is None or not self.focus_loads.isdisjoint(loads):
            return True
        return any(start - 1 <= end_ts and start_ts <= end + 1 for start, end in self.focus_ranges)

    def daily(self, what: str) -> list[float]:
        """Return the sum of a :class:`ShiftLoad` attribute per day index (by local start date)."""
        values = self._daily.get(what)
        if values is None:
            values = [0.0] * self.n_days
            for load in self.loads:
                values[load.day - self.first_day] += getattr(load, what)
            self._daily[what] = values
        return values

    def daily_given(self, what: str) -> list[float]:
        """Return :meth:`daily` of ``hours`` or ``weighted`` with the logged time added on its dates.

        Logged time is daytime at intensity 1.0: its weighted hours are its hours.
        """
        if what not in ("hours", "weighted"):
            raise ValueError(f"logged time has no {what!r}")
        if not self.logged:
            return self.daily(what)
        key = f"given:{what}"
        values = self._daily.get(key)
        if values is None:
            values = list(self.daily(what))
            for entry, day in zip(self.logged, self._logged_days, strict=True):
                values[day - self.first_day] += entry.hours
            self._daily[key] = values
        return values

    def logged_on(self, first_day: int, last_day: int) -> list[LoggedTime]:
        """Return the logged time on local date ordinals ``first_day..last_day``."""
        return self.logged[bisect_left(self._logged_days, first_day):bisect_right(self._logged_days, last_day)]

    def loads_on(self, first_day: int, last_day: int) -> range:
        """Return the indices of the loads whose local start date is in ``first_day..last_day``."""
        return range(bisect_left(self._days, first_day), bisect_right(self._days, last_day))

    def midnight(self, ordinal: int) -> datetime:
        """Return the local start of date ``ordinal``."""
        return midnight(self.tz, ordinal)

    def local(self, timestamp: float) -> datetime:
        """Return a timestamp as a local datetime."""
        return local_time(self.tz, timestamp)

    def warning(self, rule: str, severity: str, value: float, threshold: float, message: str, *,
                window: tuple[datetime, datetime], episode: tuple[datetime, datetime],
                worst: Iterable[int], behind: Sequence[int], kind: str = "",
                details: dict | None = None, key: str | None = None) -> LoadWarning:
        """Return a :class:`LoadWarning` of this person.

        ``worst`` are the load indices of the worst window/event, ``behind``
        those of the whole episode; the warning is prospective when any of
        ``behind`` starts at or after ``as_of``. ``key`` replaces the episode
        key made of ``kind`` and the episode's first date (a rule judged on
        the state at ``as_of``, like ``caseload``, keeps one key).
        """
        as_of_ts = self.as_of_ts
        key_day = episode[0].date().isoformat()
        return LoadWarning(
            volunteer=self.schedule.id, rule=rule, severity=severity, window_start=window[0],
            window_end=window[1], value=value, threshold=threshold,
            prospective=any(self.loads[i].start_ts >= as_of_ts for i in behind), message=message,
            shift_refs=tuple(self.loads[i].span.label for i in behind),
            episode_key=key or (f"{kind}:{key_day}" if kind else key_day),
            episode_start=episode[0], episode_end=episode[1],
            shifts=tuple(self.loads[i].span for i in worst), details=details or {},
            last_start=max((self.loads[i].span.start for i in behind), default=None))


def _focus_frame(focus: Focus | None, loads: Sequence[ShiftLoad], tz: ZoneInfo) -> dict:
    """Return the :class:`Timeline` fields that say where a ``focus`` lies: its days, loads and time ranges.

    A window episode is kept only if a focus shift starts on one of its
    dates or it overlaps a focus span, so the days are those shifts' start
    dates and every date a span touches, a day either side for safety.
    """
    if focus is None:
        return {}
    found = frozenset(i for i, load in enumerate(loads) if load.span.label in focus.refs) if focus.refs \
        else frozenset()
    days = {loads[i].day for i in found}
    ranges = [(loads[i].start_ts, loads[i].end_ts) for i in sorted(found)]
    for start, end in focus.spans:
        days.update(range(start.astimezone(tz).toordinal() - 1, end.astimezone(tz).toordinal() + 2))
        ranges.append((start.timestamp(), end.timestamp()))
    return {"focus": focus, "focus_days": sorted(days), "focus_loads": found, "focus_ranges": ranges}
