"""Shift series as RFC 5545 RRULE strings, expanded in local wall-clock time.

A series ("every Tuesday and Thursday 09:00–12:00") is stored as an RRULE
string plus a first local date, a start and an end time and the
organisation's time zone. Expansion works on *local dates* first and only
then turns each date's wall-clock times into UTC, so "every Sunday
00:00–06:00" starts at 00:00 local all year and lasts its real length across
the clock changes (7 h on 25 Oct 2026, 5 h on 29 Mar 2026 in London).

Only the subset this product writes is accepted: ``FREQ=WEEKLY`` with
``BYDAY`` (plain weekdays, no ``1MO``-style ordinals), ``INTERVAL``,
``UNTIL`` and ``WKST``; and ``FREQ=MONTHLY`` with one plain ``BYDAY`` and a
``BYSETPOS`` of 1–4 or -1 ("the first Tuesday", "the last Friday" of the
month), ``INTERVAL`` (months) and ``UNTIL``. Anything else is refused with a
``ValueError`` rather than half-understood. Weekdays are numbered as in
:meth:`date.weekday` (0 = Monday … 6 = Sunday), which is also dateutil's
numbering.

Expansion is a pure function of its arguments: the same window always gives
the same occurrences, so the materialisation job can insert only the missing
ones keyed by ``(series, local_date)`` and run as often as it likes.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from dateutil.rrule import MO, MONTHLY, WEEKLY
from dateutil.rrule import rrule as _RRule

from volunteers.core.timeutil import (
    TzLike,
    duration_hours,
    format_day,
    shift_bounds,
    zone,
)

__all__ = ["SeriesRule", "WeeklyRule", "Occurrence", "MONTH_POSITIONS", "build_rrule", "parse_rrule", "describe",
           "occurrences"]

_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_UNTIL_RE = re.compile(r"^(\d{8})(T\d{6}Z?)?$")
#: A guard against a mistyped window expanding for centuries.
MAX_WINDOW_DAYS = 3 * 366
#: BYSETPOS values of a monthly series, in words ("the first Tuesday of the month")
MONTH_POSITIONS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


@dataclass(frozen=True)
class SeriesRule:
    """The parsed form of a series' RRULE.

    Weekly: ``days`` every ``interval_weeks`` weeks. Monthly (``month_position``
    set): the ``month_position``-th of the one weekday in ``days`` (-1: the
    last), every ``interval_weeks`` *months*. ``until`` is an inclusive local
    date; a date-time UNTIL written by other software is reduced to its date.
    """

    days: frozenset[int]
    interval_weeks: int = 1
    until: date | None = None
    #: 1–4 or -1 for a monthly series; None for a weekly one
    month_position: int | None = None


#: the name of the weekly-only rule this module had first
WeeklyRule = SeriesRule


@dataclass(frozen=True, order=True)
class Occurrence:
    """One concrete shift of a series: its local date and its real UTC span."""

    local_date: date
    start_utc: datetime
    end_utc: datetime

    @property
    def hours(self) -> Decimal:
        """Return the real length in hours (7 for 00:00–06:00 on 25 Oct 2026 in London)."""
        return duration_hours(self.start_utc, self.end_utc)


def _check_days(days: Collection[int]) -> frozenset[int]:
    if isinstance(days, (str, bytes)) or not days:
        raise ValueError("a weekly series needs at least one weekday (0=Monday … 6=Sunday)")
    out = set()
    for d in days:
        if isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6:
            raise ValueError(f"weekdays are integers 0 (Monday) to 6 (Sunday), got {d!r}")
        out.add(d)
    return frozenset(out)


def _check_interval(interval_weeks: int) -> int:
    if isinstance(interval_weeks, bool) or not isinstance(interval_weeks, int) or interval_weeks < 1:
        raise ValueError(f"interval_weeks must be a whole number ≥ 1, got {interval_weeks!r}")
    return interval_weeks


def build_rrule(days: Collection[int], interval_weeks: int = 1, until: date | None = None,
                month_position: int | None = None) -> str:
    """Return the RRULE string of a series, e.g. ``"FREQ=WEEKLY;BYDAY=TU,TH"``.

    Parts come in a fixed order and days Monday-first, so equal series give
    equal strings. ``WKST=MO`` is written for fortnightly and longer rules,
    where the week start decides which weeks count; ``UNTIL`` is a DATE
    (``UNTIL=20261231``, inclusive), matching a series defined by local dates.
    With ``month_position`` the series is monthly on one weekday:
    ``"FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1"`` is the first Tuesday of each month
    (``interval_weeks`` then counts months).
    """
    day_set = _check_days(days)
    interval = _check_interval(interval_weeks)
    if month_position is not None:
        if month_position not in MONTH_POSITIONS or isinstance(month_position, bool):
            raise ValueError(f"month_position is 1–4, or -1 for the last, got {month_position!r}")
        if len(day_set) != 1:
            raise ValueError("a monthly series falls on one weekday (the first Tuesday, the last Friday)")
        parts = ["FREQ=MONTHLY"] + ([f"INTERVAL={interval}"] if interval > 1 else [])
        parts += [f"BYDAY={_CODES[min(day_set)]}", f"BYSETPOS={month_position}"]
        return ";".join(parts + _until_part(until))
    parts = ["FREQ=WEEKLY"]
    if interval > 1:
        parts += [f"INTERVAL={interval}", "WKST=MO"]
    parts.append("BYDAY=" + ",".join(_CODES[d] for d in sorted(day_set)))
    return ";".join(parts + _until_part(until))


def _until_part(until: date | None) -> list[str]:
    parts = []
    if until is not None:
        if isinstance(until, datetime) or not isinstance(until, date):
            raise ValueError(f"until must be a date, got {until!r}")
        parts.append(f"UNTIL={until:%Y%m%d}")
    return parts


def parse_rrule(text: str) -> SeriesRule:
    """Parse the weekly and monthly RRULE subset this product uses.

    Accepts an optional ``RRULE:`` prefix and parts in any order.

    :raises ValueError: naming the part that is missing, repeated or unsupported.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty RRULE")
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts: dict[str, str] = {}
    for chunk in body.split(";"):
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not name:
            raise ValueError(f"malformed RRULE part {chunk!r} in {text!r}")
        if name in parts:
            raise ValueError(f"RRULE part {name} given twice in {text!r}")
        parts[name] = value.strip().upper()
    monthly = parts.get("FREQ") == "MONTHLY"
    unsupported = set(parts) - {"FREQ", "BYDAY", "INTERVAL", "UNTIL", "WKST", *(["BYSETPOS"] if monthly else [])}
    if unsupported:
        raise ValueError(f"unsupported RRULE part(s) {', '.join(sorted(unsupported))} in {text!r}")
    if parts.get("FREQ") not in ("WEEKLY", "MONTHLY"):
        raise ValueError(f"only FREQ=WEEKLY or FREQ=MONTHLY series are supported, got {text!r}")
    if parts.get("WKST", "MO") != "MO":
        raise ValueError(f"weeks start on Monday (WKST=MO), got {text!r}")
    if "BYDAY" not in parts:
        raise ValueError(f"a {'monthly' if monthly else 'weekly'} series needs BYDAY, got {text!r}")
    days = set()
    for code in parts["BYDAY"].split(","):
        if code.strip() not in _CODES:
            raise ValueError(f"unsupported BYDAY value {code!r} in {text!r}")
        days.add(_CODES.index(code.strip()))
    interval = 1
    if "INTERVAL" in parts:
        if not parts["INTERVAL"].isdigit() or int(parts["INTERVAL"]) < 1:
            raise ValueError(f"INTERVAL must be a whole number ≥ 1 in {text!r}")
        interval = int(parts["INTERVAL"])
    until = None
    if "UNTIL" in parts:
        m = _UNTIL_RE.match(parts["UNTIL"])
        try:
            until = datetime.strptime(m.group(1), "%Y%m%d").date() if m else None
        except ValueError:
            until = None
        if until is None:
            raise ValueError(f"UNTIL must be YYYYMMDD in {text!r}")
    position = None
    if monthly:
        position = _month_position(parts.get("BYSETPOS"), text)
        if len(days) != 1:
            raise ValueError(f"a monthly series falls on one weekday, got {text!r}")
    return SeriesRule(frozenset(days), interval, until, position)


def _month_position(raw: str | None, text: str) -> int:
    try:
        position = int(raw or "")
    except ValueError:
        position = 0
    if position not in MONTH_POSITIONS:
        raise ValueError(f"a monthly series needs BYSETPOS 1–4 or -1 (the last), in {text!r}")
    return position


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe(rrule: str) -> str:
    """Return a series in words: ``"Every Tuesday and Thursday"``.

    Fortnightly reads ``"Every other Monday"``, longer intervals
    ``"Every 3 weeks on Friday"``, monthly ones ``"The first Tuesday of each
    month"`` or ``"The last Friday of every 2 months"``; an end date adds
    ``", until Thu 31 Dec 2026"``.
    """
    rule = parse_rrule(rrule)
    text = _monthly_words(rule) if rule.month_position is not None else _weekly_words(rule)
    if rule.until is not None:
        text += f", until {format_day(rule.until)} {rule.until.year}"
    return text


def _monthly_words(rule: SeriesRule) -> str:
    every = "each month" if rule.interval_weeks == 1 else f"every {rule.interval_weeks} months"
    return f"The {MONTH_POSITIONS[rule.month_position or 1]} {_NAMES[min(rule.days)]} of {every}"


def _weekly_words(rule: SeriesRule) -> str:
    if rule.days == frozenset(range(7)):
        days_text = "day"
    elif rule.days == frozenset(range(5)):
        days_text = "weekday"
    else:
        days_text = _join_names([_NAMES[d] for d in sorted(rule.days)])
    if rule.interval_weeks == 1:
        return f"Every {days_text}"
    if rule.interval_weeks == 2:
        return f"Every other {days_text}"
    return f"Every {rule.interval_weeks} weeks on {days_text}"


def occurrences(
    rrule: str,
    dtstart_local_date: date,
    start: time,
    end: time,
    tz: TzLike,
    window_from: date,
    window_to: date,
    exdates: Collection[date] = frozenset(),
) -> list[Occurrence]:
    """Return the series' shifts whose local date lies in ``[window_from, window_to]``.

    Both window ends are inclusive local dates. Dates before
    ``dtstart_local_date`` or after UNTIL never occur; ``exdates`` (local
    dates) are skipped. Fortnightly series count weeks from the Monday-start
    week that holds ``dtstart_local_date``; monthly ones ("the first Tuesday")
    count months from the month that holds it. ``end`` at or before ``start``
    means the shift ends the next day. The result is sorted by date.

    :raises ValueError: for a malformed rule, an unknown zone, a reversed or
        over-long window, or naive/aware mix-ups in the arguments.
    """
    rule = parse_rrule(rrule)
    tzinfo = zone(tz)
    for name, value in (("dtstart_local_date", dtstart_local_date),
                        ("window_from", window_from), ("window_to", window_to)):
        if isinstance(value, datetime) or not isinstance(value, date):
            raise ValueError(f"{name} must be a date, got {value!r}")
    for name, clock in (("start", start), ("end", end)):
        if not isinstance(clock, time) or clock.tzinfo is not None:
            raise ValueError(f"{name} must be a naive wall-clock time, got {clock!r}")
    if window_to < window_from:
        raise ValueError(f"window ends ({window_to}) before it starts ({window_from})")
    if (window_to - window_from).days > MAX_WINDOW_DAYS:
        raise ValueError(f"window longer than {MAX_WINDOW_DAYS} days: {window_from}–{window_to}")
    skip = set(exdates)

    # Expand over naive midnights: each result stands for a local date, and
    # the wall-clock times are applied afterwards, per date, in the zone.
    expander = _RRule(
        MONTHLY if rule.month_position is not None else WEEKLY,
        dtstart=datetime.combine(dtstart_local_date, time(0)),
        interval=rule.interval_weeks,
        wkst=MO,
        byweekday=sorted(rule.days),
        bysetpos=rule.month_position,
        until=datetime.combine(rule.until, time(0)) if rule.until else None,
        cache=False,
    )
    lo = datetime.combine(max(window_from, dtstart_local_date), time(0))
    hi = datetime.combine(window_to, time(0))
    result = []
    for moment in expander.between(lo, hi, inc=True):
        day = moment.date()
        if day in skip:
            continue
        start_utc, end_utc = shift_bounds(day, start, end, tzinfo)
        result.append(Occurrence(day, start_utc, end_utc))
    return result

