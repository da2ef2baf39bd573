"""``domain.open_steady``: until when /me/shifts/open is the same page with no row changed (issue 13)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from volunteers.selfservice.domain.open_steady import next_local_midnight, steady_until

LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")
#: Santiago's clocks spring forward at midnight (00:00 → 01:00 on 6 Sep 2026): that midnight does not exist
SANTIAGO = ZoneInfo("America/Santiago")
WEEKS_6 = timedelta(days=42)
DAY = timedelta(days=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_next_local_midnight_is_the_first_instant_of_the_next_local_date() -> None:
    assert next_local_midnight(utc(2026, 12, 6, 15), LONDON) == utc(2026, 12, 7)
    assert next_local_midnight(utc(2026, 7, 6, 15), LONDON) == utc(2026, 7, 6, 23)  # BST: midnight is 23:00 UTC
    assert next_local_midnight(utc(2026, 7, 6, 23), LONDON) == utc(2026, 7, 7, 23)  # at midnight: the next one
    assert next_local_midnight(utc(2026, 12, 6, 15), AUCKLAND) == utc(2026, 12, 7, 11)  # NZDT, +13


def test_next_local_midnight_across_londons_clock_changes() -> None:
    # Sun 29 Mar 2026: 01:00 GMT becomes 02:00 BST; the days either side start at 00:00 GMT and 23:00 UTC
    assert next_local_midnight(utc(2026, 3, 28, 12), LONDON) == utc(2026, 3, 29)
    assert next_local_midnight(utc(2026, 3, 29, 12), LONDON) == utc(2026, 3, 29, 23)
    # Sun 25 Oct 2026: 02:00 BST becomes 01:00 GMT; the 25th starts at 23:00 UTC on the 24th, the 26th at 00:00
    assert next_local_midnight(utc(2026, 10, 24, 12), LONDON) == utc(2026, 10, 24, 23)
    assert next_local_midnight(utc(2026, 10, 25, 1, 30), LONDON) == utc(2026, 10, 26)


def test_next_local_midnight_where_midnight_does_not_exist() -> None:
    # Santiago, 5 Sep 2026 at -04; the 6th begins at 00:00 -04 = 01:00 -03, the instant the clocks change
    found = next_local_midnight(utc(2026, 9, 5, 12), SANTIAGO)
    assert found == utc(2026, 9, 6, 4)
    assert (found - timedelta(microseconds=1)).astimezone(SANTIAGO).day == 5
    assert found.astimezone(SANTIAGO).day == 6


def test_steady_until_is_the_soonest_crossing() -> None:
    now = utc(2026, 12, 6, 15)
    soon = utc(2026, 12, 6, 17)
    assert steady_until(now, LONDON, WEEKS_6, DAY, [None, soon, utc(2026, 12, 6, 20)]) == soon


def test_with_no_crossing_the_page_stands_until_the_soonest_midnight_of_now_or_the_windows_ends() -> None:
    now = utc(2026, 12, 6, 15)
    # now's own midnight: 7 Dec 00:00 GMT; now − a day and now + six weeks (17 Jan) have theirs at the same time
    assert steady_until(now, LONDON, WEEKS_6, DAY, []) == utc(2026, 12, 7)


def test_the_windows_far_end_moves_date_at_its_own_midnight_across_a_clock_change() -> None:
    # 20 Feb 2026 18:00 GMT: now's midnight is 6 h away; the window's end, 3 Apr 18:00 (BST), reaches its
    # midnight (23:00 UTC) after 5 h: the page stands 5 h, not 6
    now = utc(2026, 2, 20, 18)
    assert steady_until(now, LONDON, WEEKS_6, DAY, []) == utc(2026, 2, 20, 23)
    # and a day's margin past it: 4 Apr 18:00 BST, whose midnight is 23:00 UTC too
    assert steady_until(now, LONDON, WEEKS_6, DAY, [utc(2026, 2, 21)]) == utc(2026, 2, 20, 23)


def test_the_margin_before_now_moves_date_at_its_own_midnight() -> None:
    # 30 Mar 2026 12:00 BST (11:00 UTC): now − a day is 29 Mar 11:00 UTC (12:00 BST), whose midnight is
    # 29 Mar 23:00 UTC: reached by now − a day at 30 Mar 23:00 UTC, the same as now's own midnight; the
    # far end (11 May) is BST too
    now = utc(2026, 3, 30, 11)
    assert steady_until(now, LONDON, WEEKS_6, DAY, []) == utc(2026, 3, 30, 23)
    # 29 Mar 2026 12:00 BST: now − a day is 28 Mar 11:00 GMT, whose midnight is 29 Mar 00:00 UTC (GMT):
    # reached at 30 Mar 00:00 UTC, an hour after now's own midnight (29 Mar 23:00 UTC)
    now = utc(2026, 3, 29, 11)
    assert steady_until(now, LONDON, WEEKS_6, DAY, []) == utc(2026, 3, 29, 23)
    # 25 Oct 2026 12:00 GMT: now − a day is 24 Oct 12:00 UTC (13:00 BST), whose midnight is 24 Oct 23:00 UTC,
    # reached at 25 Oct 23:00 UTC: an hour BEFORE now's own midnight (26 Oct 00:00 UTC)
    now = utc(2026, 10, 25, 12)
    assert steady_until(now, LONDON, WEEKS_6, DAY, []) == utc(2026, 10, 25, 23)


def test_the_margin_past_the_windows_end_moves_date_at_its_own_midnight() -> None:
    # 14 Feb 2026 12:00 GMT: now, now − a day and now + six weeks (28 Mar, GMT) are 12 h from their
    # midnights; now + six weeks and a day (29 Mar 13:00 BST) is 11 h from its: the page stands 11 h
    now = utc(2026, 2, 14, 12)
    assert steady_until(now, LONDON, WEEKS_6, DAY, []) == utc(2026, 2, 14, 23)
