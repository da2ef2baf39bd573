"""A held text's retry waits for the end of the quiet hours it was queued under (mail.quiet, pure)."""
from __future__ import annotations

from datetime import UTC, datetime, time

from volunteers.mail.quiet import Hold, held_until

LONDON = Hold("Europe/London", time(21, 0), time(8, 0))


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_outside_quiet_hours_a_retry_goes_when_due() -> None:
    assert held_until(_utc(2026, 11, 30, 20, 59), LONDON) == _utc(2026, 11, 30, 20, 59)


def test_inside_quiet_hours_a_retry_waits_for_the_morning() -> None:
    assert held_until(_utc(2026, 11, 30, 23, 0), LONDON) == _utc(2026, 12, 1, 8, 0)
    assert held_until(_utc(2026, 12, 1, 2, 0), LONDON) == _utc(2026, 12, 1, 8, 0)


def test_the_morning_is_local_across_both_clock_changes() -> None:
    # the clocks went forward at 01:00 UTC on 29 March 2026: 08:00 BST is 07:00 UTC
    assert held_until(_utc(2026, 3, 29, 1, 30), LONDON) == _utc(2026, 3, 29, 7, 0)
    # they went back at 01:00 UTC on 25 October 2026: 08:00 GMT is 08:00 UTC, 21:00 BST the evening before 20:00 UTC
    assert held_until(_utc(2026, 10, 24, 20, 30), LONDON) == _utc(2026, 10, 25, 8, 0)
    assert held_until(_utc(2026, 10, 24, 19, 59), LONDON) == _utc(2026, 10, 24, 19, 59)


def test_a_hold_lifted_before_the_morning_ends_there() -> None:
    urgent_from = _utc(2026, 11, 30, 22, 0)
    hold = Hold("Europe/London", time(21, 0), time(8, 0), urgent_from)
    assert held_until(_utc(2026, 11, 30, 21, 1), hold) == urgent_from
    assert held_until(_utc(2026, 11, 30, 22, 30), hold) == _utc(2026, 11, 30, 22, 30)


def test_no_hold_and_equal_times_never_hold() -> None:
    assert held_until(_utc(2026, 11, 30, 23, 0), None) == _utc(2026, 11, 30, 23, 0)
    assert held_until(_utc(2026, 11, 30, 23, 0), Hold("Europe/London", time(9), time(9))) == _utc(2026, 11, 30, 23)


def test_the_hold_survives_the_outbox_row() -> None:
    hold = Hold("Europe/Belfast", time(22, 30), time(7, 15), _utc(2026, 11, 30, 22, 0))
    assert Hold.from_stored(hold.to_stored()) == hold
    assert Hold.from_stored(None) is None and Hold.from_stored({"zone": "Nowhere/Atlantis"}) is None
