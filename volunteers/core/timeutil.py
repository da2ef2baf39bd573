"""Time rules of the domain: UTC instants, organisation-local calendars.

Every instant the app stores is an aware UTC ``datetime``; every calendar
question (which day, week or month, "every Tuesday at 09:00") is answered in
the organisation's time zone with :mod:`zoneinfo`. This module is the only
place that reads the clock (:func:`utcnow`), so everything else can take
``now`` as an argument and be tested with a fixed time.

Wall-clock times that do not exist or happen twice (daylight-saving changes)
are resolved one way everywhere, see :func:`local_to_utc`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "UTC", "TzLike", "Month", "MIN_YEAR", "MAX_YEAR", "utcnow", "zone", "to_local", "local_date", "local_to_utc",
    "shift_bounds", "day_bounds", "week_bounds",
    "duration_hours", "format_day", "format_time", "format_span", "format_hours",
]

#: A time zone given either as a ``tzinfo`` or as an IANA name.
TzLike = tzinfo | str

_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
                "August", "September", "October", "November", "December")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
#: the years a month or date typed in may name: every day in them has a day
#: before and after it in every time zone, so bounds and "next day" never overflow
MIN_YEAR, MAX_YEAR = 1900, 2999


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (the app's only clock read)."""
    return datetime.now(UTC)


def zone(tz: TzLike) -> tzinfo:
    """Return ``tz`` as a ``tzinfo``; a string is looked up as an IANA zone name.

    :raises ValueError: for an unknown zone name.
    """
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {tz!r}") from exc


def _require_aware(dt: datetime) -> None:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got naive {dt.isoformat()}")


def to_local(dt: datetime, tz: TzLike) -> datetime:
    """Return the aware instant ``dt`` as wall-clock time in ``tz``.

    Naive datetimes are refused rather than guessed: a naive value in this
    code base is always a bug.
    """
    _require_aware(dt)
    return dt.astimezone(zone(tz))


def local_date(dt: datetime, tz: TzLike) -> date:
    """Return the local calendar date on which the instant ``dt`` falls in ``tz``."""
    return to_local(dt, tz).date()


def local_to_utc(day: date, t: time, tz: TzLike) -> datetime:
    """Return the UTC instant of wall-clock ``t`` on ``day`` in ``tz``.

    Daylight-saving edge cases are resolved by PEP 495's ``fold=0``:

    * a time that does not exist (spring forward, 01:30 on 29 Mar 2026 in
      London) moves forward by the length of the gap (to 02:30 BST), so a
      shift set in the gap starts at the first real moment after it;
    * a time that happens twice (autumn back, 01:30 on 25 Oct 2026 in
      London) is taken at its first occurrence (01:30 BST = 00:30 UTC).
    """
    if t.tzinfo is not None:
        raise ValueError("expected a naive wall-clock time, got one with a tzinfo")
    wall = datetime.combine(day, t).replace(tzinfo=zone(tz), fold=0)
    return wall.astimezone(UTC)


def shift_bounds(day: date, start: time, end: time, tz: TzLike) -> tuple[datetime, datetime]:
    """Return ``(start_utc, end_utc)`` of a shift given in local wall-clock time.

    An ``end`` at or before ``start`` means the next day (so 22:00–06:00 is a
    night shift and 09:00–09:00 lasts a day). The span is real elapsed time:
    00:00–06:00 on 25 Oct 2026 in London lasts 7 h, on 29 Mar 2026 5 h.
    """
    end_day = day if end > start else day + timedelta(days=1)
    start_utc = local_to_utc(day, start, tz)
    end_utc = local_to_utc(end_day, end, tz)
    if end_utc <= start_utc:  # only possible when both ends fall in one DST gap/fold
        raise ValueError(
            f"shift {start:%H:%M}-{end:%H:%M} on {day.isoformat()} has no length in {tz}")
    return start_utc, end_utc


def day_bounds(day: date, tz: TzLike) -> tuple[datetime, datetime]:
    """Return the UTC half-open interval ``[start, end)`` of a local day (23–25 h)."""
    return local_to_utc(day, time(0), tz), local_to_utc(day + timedelta(days=1), time(0), tz)


def week_bounds(day: date, tz: TzLike) -> tuple[datetime, datetime]:
    """Return the UTC half-open interval of the local Monday-to-Sunday week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return local_to_utc(monday, time(0), tz), local_to_utc(monday + timedelta(days=7), time(0), tz)


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month of the organisation's calendar, such as ``2026-10``.

    Parsed once where text comes in (a URL, a CLI option) with :meth:`parse`,
    then passed around as a value, so no code further in reads or checks
    ``"YYYY-MM"`` again. ``str(month)`` gives the text back: that is what is
    stored and written to JSON. Months order as time does (year, then month).
    """

    year: int
    month: int

    def __post_init__(self) -> None:
        # date's own range (years 1-9999), so first_day and last_day always exist
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"no such month: year {self.year}, month {self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Return the month written ``"YYYY-MM"`` (surrounding spaces allowed).

        :raises ValueError: naming the text, for anything else ("2026-13", "2026-1", "10/2026",
            a year outside :data:`MIN_YEAR`–:data:`MAX_YEAR` such as "9999-12").
        """
        m = _MONTH_RE.match(text.strip()) if isinstance(text, str) else None
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"expected a month as YYYY-MM, got {text!r}")
        if not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
            raise ValueError(f"expected a month as YYYY-MM, got {text!r} (years {MIN_YEAR} to {MAX_YEAR} only)")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        """Return the month holding the calendar date ``day``."""
        return cls(day.year, day.month)

    @classmethod
    def containing(cls, dt: datetime, tz: TzLike) -> Month:
        """Return the local month in ``tz`` in which the instant ``dt`` falls."""
        return cls.of(local_date(dt, tz))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def name(self) -> str:
        """Return the month as people read it: ``"November 2026"``."""
        return f"{_MONTH_NAMES[self.month - 1]} {self.year}"

    def next(self, months: int = 1) -> Month:
        """Return the month ``months`` after this one."""
        return self.previous(-months)

    def previous(self, months: int = 1) -> Month:
        """Return the month ``months`` before this one (12 gives the same month a year before)."""
        index = self.year * 12 + (self.month - 1) - months
        return Month(index // 12, index % 12 + 1)

    def bounds(self, tz: TzLike) -> tuple[datetime, datetime]:
        """Return the UTC half-open interval ``[start, end)`` of this month in ``tz``.

        Both ends are local midnights, so a month holding a clock change is an
        hour shorter or longer than its days times 24 (October in London: 745 h).
        """
        following = date(self.year + 1, 1, 1) if self.month == 12 else date(self.year, self.month + 1, 1)
        return local_to_utc(self.first_day, time(0), tz), local_to_utc(following, time(0), tz)


def duration_hours(start: datetime, end: datetime) -> Decimal:
    """Return the elapsed hours between two aware instants, as a Decimal.

    Whole and half hours are exact; a third of an hour is 0.333… to 28
    significant digits (the Decimal context), so sums of many shifts stay
    accurate far beyond the 2 places shown. Round only for display.
    """
    _require_aware(start)
    _require_aware(end)
    delta = end - start
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return Decimal(micros) / Decimal(3_600_000_000)


# -- formatting for pages and e-mails -------------------------------------
# English names are spelt out rather than taken from strftime("%a"), which
# follows the process locale and would differ between servers.

def format_day(d: date) -> str:
    """Return ``"Tue 3 Nov"``."""
    return f"{_DAY_ABBR[d.weekday()]} {d.day} {_MONTH_ABBR[d.month - 1]}"


def format_time(dt: datetime, tz: TzLike) -> str:
    """Return the local ``"HH:MM"`` of an aware instant."""
    return f"{to_local(dt, tz):%H:%M}"


def format_span(start: datetime, end: datetime, tz: TzLike) -> str:
    """Return a shift as people read it: ``"Tue 3 Nov, 09:00–12:00"``.

    A shift ending on the next local day reads ``"Sat 24 Oct, 22:00–06:00 (next day)"``;
    a longer one names both days: ``"Sat 24 Oct, 09:00 – Mon 26 Oct, 09:00"``.
    """
    ls, le = to_local(start, tz), to_local(end, tz)
    head = f"{format_day(ls.date())}, {ls:%H:%M}"
    days = (le.date() - ls.date()).days
    if days == 0:
        return f"{head}–{le:%H:%M}"
    if days == 1:
        return f"{head}–{le:%H:%M} (next day)"
    return f"{head} – {format_day(le.date())}, {le:%H:%M}"


def format_hours(hours: Decimal | float | int) -> str:
    """Return hours for reading: ``"7 h"``, ``"2.5 h"``, ``"1.25 h"`` (at most 2 places)."""
    q = Decimal(str(hours)).quantize(Decimal("0.01"))
    return f"{f'{q:f}'.rstrip('0').rstrip('.')} h"
