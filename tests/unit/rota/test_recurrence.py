"""Weekly series: RRULE strings, descriptions and expansion in local wall-clock time."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from volunteers.rota.domain.recurrence import (
    Occurrence,
    WeeklyRule,
    build_rrule,
    describe,
    occurrences,
    parse_rrule,
)

LONDON = ZoneInfo("Europe/London")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def expand(rule: str, first: date, start: time, end: time, frm: date, to: date,
           exdates: frozenset[date] = frozenset()) -> list[Occurrence]:
    return occurrences(rule, first, start, end, LONDON, frm, to, exdates)


# -- build / parse / describe ------------------------------------------------

def test_build_rrule_writes_canonical_strings() -> None:
    assert build_rrule({TUE, THU}) == "FREQ=WEEKLY;BYDAY=TU,TH"
    assert build_rrule([THU, TUE, TUE]) == "FREQ=WEEKLY;BYDAY=TU,TH"
    assert build_rrule({SUN}, 2) == "FREQ=WEEKLY;INTERVAL=2;WKST=MO;BYDAY=SU"
    assert build_rrule({MON}, until=date(2026, 12, 31)) == "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231"


@pytest.mark.parametrize("days, interval, until, message", [
    (set(), 1, None, "at least one weekday"),
    ({7}, 1, None, "0 \\(Monday\\) to 6"),
    ({-1}, 1, None, "0 \\(Monday\\) to 6"),
    ({True}, 1, None, "0 \\(Monday\\) to 6"),
    ({"TU"}, 1, None, "0 \\(Monday\\) to 6"),
    ({MON}, 0, None, "interval_weeks"),
    ({MON}, 1.5, None, "interval_weeks"),
    ({MON}, 1, datetime(2026, 1, 1), "until must be a date"),
])
def test_build_rrule_rejects_bad_input(days: set, interval: object, until: object,
                                       message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_rrule(days, interval, until)


def test_parse_rrule_reads_what_build_writes_and_common_variants() -> None:
    assert parse_rrule("FREQ=WEEKLY;BYDAY=TU,TH") == WeeklyRule(frozenset({TUE, THU}), 1, None)
    assert parse_rrule("RRULE:byday=su;freq=weekly;interval=2;until=20261231T235959Z") == \
        WeeklyRule(frozenset({SUN}), 2, date(2026, 12, 31))


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("FREQ=DAILY;BYDAY=MO", "FREQ=WEEKLY"),
    ("FREQ=WEEKLY", "needs BYDAY"),
    ("FREQ=WEEKLY;BYDAY=1MO", "BYDAY value"),
    ("FREQ=WEEKLY;BYDAY=MO;COUNT=3", "unsupported RRULE part"),
    ("FREQ=WEEKLY;BYDAY=MO;BYDAY=TU", "given twice"),
    ("FREQ=WEEKLY;BYDAY=MO;INTERVAL=0", "INTERVAL"),
    ("FREQ=WEEKLY;BYDAY=MO;UNTIL=2026-12-31", "UNTIL"),
    ("FREQ=WEEKLY;BYDAY=MO;UNTIL=20261340", "UNTIL"),
    ("FREQ=WEEKLY;BYDAY=MO;WKST=SU", "WKST=MO"),
    ("FREQ=WEEKLY;BYDAY", "malformed"),
])
def test_parse_rrule_rejects_what_it_does_not_understand(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_rrule(text)


@pytest.mark.parametrize("rule, words", [
    ("FREQ=WEEKLY;BYDAY=TU,TH", "Every Tuesday and Thursday"),
    ("FREQ=WEEKLY;BYDAY=WE", "Every Wednesday"),
    ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "Every Monday, Wednesday and Friday"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "Every day"),
    ("FREQ=WEEKLY;INTERVAL=2;WKST=MO;BYDAY=SU", "Every other Sunday"),
    ("FREQ=WEEKLY;INTERVAL=4;BYDAY=SA", "Every 4 weeks on Saturday"),
    ("FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231", "Every Monday, until Thu 31 Dec 2026"),
])
def test_describe_reads_like_a_rota(rule: str, words: str) -> None:
    assert describe(rule) == words


@given(st.sets(st.integers(0, 6), min_size=1), st.integers(1, 8),
       st.none() | st.dates(date(2000, 1, 1), date(2100, 1, 1)))
def test_build_then_parse_round_trips(days: set[int], interval: int, until: date | None) -> None:
    assert parse_rrule(build_rrule(days, interval, until)) == WeeklyRule(frozenset(days), interval, until)


# -- expansion ---------------------------------------------------------------

def test_every_tuesday_and_thursday_in_november() -> None:
    got = expand("FREQ=WEEKLY;BYDAY=TU,TH", date(2026, 11, 1), time(9), time(12),
                 date(2026, 11, 1), date(2026, 11, 30))
    assert [o.local_date.day for o in got] == [3, 5, 10, 12, 17, 19, 24, 26]
    assert got[0] == Occurrence(date(2026, 11, 3), utc(2026, 11, 3, 9), utc(2026, 11, 3, 12))
    assert all(o.hours == 3 for o in got)


def test_sunday_night_shift_stays_midnight_local_and_lasts_real_length_across_both_changes() -> None:
    rule = build_rrule({SUN})
    spring = expand(rule, date(2026, 1, 4), time(0), time(6), date(2026, 3, 22), date(2026, 4, 5))
    assert [(o.local_date, o.start_utc, o.hours) for o in spring] == [
        (date(2026, 3, 22), utc(2026, 3, 22, 0), 6),
        (date(2026, 3, 29), utc(2026, 3, 29, 0), 5),  # clocks go forward at 01:00
        (date(2026, 4, 5), utc(2026, 4, 4, 23), 6),  # 00:00 BST
    ]
    autumn = expand(rule, date(2026, 1, 4), time(0), time(6), date(2026, 10, 18), date(2026, 11, 1))
    assert [(o.local_date, o.start_utc, o.hours) for o in autumn] == [
        (date(2026, 10, 18), utc(2026, 10, 17, 23), 6),
        (date(2026, 10, 25), utc(2026, 10, 24, 23), 7),  # clocks go back at 02:00
        (date(2026, 11, 1), utc(2026, 11, 1, 0), 6),
    ]


def test_shift_crossing_midnight_belongs_to_its_start_date() -> None:
    got = expand("FREQ=WEEKLY;BYDAY=SA", date(2026, 10, 1), time(22), time(6),
                 date(2026, 10, 24), date(2026, 10, 24))
    assert got == [Occurrence(date(2026, 10, 24), utc(2026, 10, 24, 21), utc(2026, 10, 25, 6))]
    assert got[0].hours == 9


def test_exdates_are_skipped() -> None:
    got = expand("FREQ=WEEKLY;BYDAY=TU", date(2026, 12, 1), time(9), time(12),
                 date(2026, 12, 1), date(2026, 12, 31), frozenset({date(2026, 12, 22), date(2026, 12, 29)}))
    assert [o.local_date for o in got] == [date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)]


def test_until_is_inclusive_and_dtstart_bounds_the_start() -> None:
    got = expand("FREQ=WEEKLY;BYDAY=TU;UNTIL=20261117", date(2026, 11, 5), time(9), time(12),
                 date(2026, 10, 1), date(2026, 12, 31))
    assert [o.local_date for o in got] == [date(2026, 11, 10), date(2026, 11, 17)]


def test_fortnightly_counts_weeks_from_the_first_date() -> None:
    rule = build_rrule({WED}, 2)
    got = expand(rule, date(2026, 11, 4), time(18), time(20), date(2026, 11, 1), date(2026, 12, 31))
    assert [o.local_date for o in got] == [date(2026, 11, d) for d in (4, 18)] + \
        [date(2026, 12, d) for d in (2, 16, 30)]
    # a window starting mid-series keeps the same rhythm
    later = expand(rule, date(2026, 11, 4), time(18), time(20), date(2026, 11, 25), date(2026, 12, 10))
    assert [o.local_date for o in later] == [date(2026, 12, 2)]


def test_fortnightly_on_two_days_keeps_both_days_in_on_weeks() -> None:
    got = expand(build_rrule({MON, FRI}, 2), date(2026, 11, 4), time(10), time(11),
                 date(2026, 11, 1), date(2026, 11, 30))
    # first week is Mon 2 Nov - Sun 8 Nov (dtstart Wed 4 Nov): Mon 2 is before dtstart
    assert [o.local_date.day for o in got] == [6, 16, 20, 30]


def test_same_window_gives_same_occurrences_and_windows_compose() -> None:
    args = ("FREQ=WEEKLY;BYDAY=MO,TH", date(2026, 1, 1), time(9), time(17))
    whole = expand(*args, date(2026, 1, 1), date(2026, 12, 31))
    assert whole == expand(*args, date(2026, 1, 1), date(2026, 12, 31))
    parts = expand(*args, date(2026, 1, 1), date(2026, 6, 30)) + \
        expand(*args, date(2026, 7, 1), date(2026, 12, 31))
    assert parts == whole
    assert len({o.local_date for o in whole}) == len(whole) == 2 * 52 + 1  # 2026 has 53 Thursdays


@given(st.sets(st.integers(0, 6), min_size=1), st.integers(1, 4),
       st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.integers(0, 120), st.integers(0, 60))
def test_expansion_properties(days: set[int], interval: int, first: date, offset: int,
                              length: int) -> None:
    frm = first + timedelta(days=offset - 30)
    to = frm + timedelta(days=length)
    got = expand(build_rrule(days, interval), first, time(23, 30), time(1, 30), frm, to)
    dates = [o.local_date for o in got]
    assert dates == sorted(set(dates))
    for o in got:
        assert max(frm, first) <= o.local_date <= to
        assert o.local_date.weekday() in days
        assert o.start_utc.astimezone(LONDON).time() == time(23, 30)
        assert o.start_utc.astimezone(LONDON).date() == o.local_date
        assert o.hours in (1, 2, 3)  # 2 h, or 1 h / 3 h across a clock change
        weeks = ((o.local_date - timedelta(days=o.local_date.weekday()))
                 - (first - timedelta(days=first.weekday()))).days // 7
        assert weeks % interval == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"window_from": date(2026, 2, 1), "window_to": date(2026, 1, 1)}, "before it starts"),
    ({"window_to": date(2030, 1, 1)}, "window longer"),
    ({"tz": "Mars/Olympus"}, "unknown time zone"),
    ({"start": "09:00"}, "start must be"),
    ({"end": time(12, tzinfo=UTC)}, "end must be"),
    ({"window_from": datetime(2026, 1, 1)}, "window_from must be a date"),
    ({"rrule": "FREQ=YEARLY;BYDAY=MO"}, "FREQ=WEEKLY"),
    ({"rrule": "FREQ=MONTHLY;BYDAY=MO"}, "BYSETPOS"),
])
def test_occurrences_validates_inputs(kwargs: dict, message: str) -> None:
    args = {"rrule": "FREQ=WEEKLY;BYDAY=MO", "dtstart_local_date": date(2026, 1, 1),
            "start": time(9), "end": time(12), "tz": LONDON, "window_from": date(2026, 1, 1),
            "window_to": date(2026, 1, 31)}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        occurrences(**args)
