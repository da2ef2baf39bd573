"""Channel choice and quiet hours: texts wait till morning, urgent cover does not, clocks may change."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from volunteers.selfservice.domain.channels import (
    KINDS,
    Preferences,
    QuietHours,
    channel_for,
    text_send_at,
)

LONDON = "Europe/London"
DEFAULT = QuietHours()


def test_everything_goes_by_email_until_a_person_chooses_otherwise() -> None:
    assert {channel_for(Preferences(), kind, phone_confirmed=True) for kind in KINDS} == {"email"}


def test_texts_go_only_to_a_confirmed_number() -> None:
    prefs = Preferences({"reminders": "sms", "cover": "sms"})
    assert channel_for(prefs, "reminders", phone_confirmed=True) == "sms"
    assert channel_for(prefs, "digests", phone_confirmed=True) == "email"
    assert channel_for(prefs, "reminders", phone_confirmed=False) == "email"


def test_an_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        channel_for(Preferences(), "gossip", phone_confirmed=True)


def test_stored_preferences_round_trip_and_junk_falls_back_to_defaults() -> None:
    prefs = Preferences({"cover": "sms"}, QuietHours(time(22), time(7, 30)))
    again = Preferences.from_stored(prefs.to_stored())
    assert again.channels["cover"] == "sms" and again.channels["digests"] == "email"
    assert again.quiet == QuietHours(time(22), time(7, 30))
    junk = Preferences.from_stored({"channels": {"cover": "pigeon", "gossip": "sms"}, "quiet": {"start": "25:00"}})
    assert dict(junk.channels) == {} and junk.quiet == DEFAULT
    assert Preferences.from_stored(None) == Preferences()


@pytest.mark.parametrize("local, quiet", [
    (time(20, 59), False), (time(21, 0), True), (time(23, 30), True), (time(0, 0), True),
    (time(7, 59), True), (time(8, 0), False), (time(12, 0), False),
])
def test_default_quiet_hours_run_from_nine_at_night_to_eight_in_the_morning(local: time, quiet: bool) -> None:
    assert DEFAULT.covers(local) is quiet


def test_quiet_hours_within_one_day_and_none_at_all() -> None:
    siesta = QuietHours(time(13), time(15))
    assert siesta.covers(time(14)) and not siesta.covers(time(15)) and not siesta.covers(time(23))
    assert not QuietHours(time(0), time(0)).covers(time(3))


def test_a_text_in_the_day_goes_at_once() -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert text_send_at(now, LONDON, DEFAULT, "reminders") == now


def test_a_text_at_night_waits_for_eight_in_the_morning() -> None:
    late = datetime(2026, 11, 30, 22, 15, tzinfo=UTC)  # GMT: 22:15 local
    assert text_send_at(late, LONDON, DEFAULT, "reminders") == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    early = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    assert text_send_at(early, LONDON, DEFAULT, "announcements") == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_quiet_hours_are_in_the_organisation_s_zone_in_summer_too() -> None:
    # 20:30 UTC in July is 21:30 BST: quiet; it waits for 08:00 BST = 07:00 UTC
    now = datetime(2026, 7, 1, 20, 30, tzinfo=UTC)
    assert text_send_at(now, LONDON, DEFAULT, "reminders") == datetime(2026, 7, 2, 7, 0, tzinfo=UTC)
    assert text_send_at(now, "UTC", DEFAULT, "reminders") == now


def test_the_night_the_clocks_go_back_waits_for_eight_gmt() -> None:
    # Sat 24 Oct 2026 22:00 BST (21:00 UTC); clocks go back at 02:00 BST on Sunday; 08:00 GMT = 08:00 UTC
    now = datetime(2026, 10, 24, 21, 0, tzinfo=UTC)
    assert text_send_at(now, LONDON, DEFAULT, "changes") == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_the_night_the_clocks_go_forward_waits_for_eight_bst() -> None:
    # Sat 28 Mar 2026 23:00 GMT; clocks go forward at 01:00 GMT on Sunday; 08:00 BST = 07:00 UTC
    now = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert text_send_at(now, LONDON, DEFAULT, "changes") == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_quiet_hours_ending_inside_the_spring_gap_end_at_its_first_real_moment() -> None:
    # 00:30–01:30 local; on 29 Mar 2026 01:30 does not exist in London: it ends at 02:30 BST = 01:30 UTC
    quiet = QuietHours(time(0, 30), time(1, 30))
    now = datetime(2026, 3, 29, 0, 40, tzinfo=UTC)  # 00:40 GMT
    assert text_send_at(now, LONDON, quiet, "reminders") == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_a_cover_request_for_a_shift_within_twelve_hours_ignores_quiet_hours() -> None:
    now = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    soon = now + timedelta(hours=9)
    assert text_send_at(now, LONDON, DEFAULT, "cover", shift_starts_at=soon) == now
    assert text_send_at(now, LONDON, DEFAULT, "cover", shift_starts_at=now + timedelta(hours=12)) == now


def test_a_cover_request_for_a_later_shift_waits_like_any_text() -> None:
    now = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    later = now + timedelta(hours=12, minutes=1)
    assert text_send_at(now, LONDON, DEFAULT, "cover", shift_starts_at=later) == datetime(2026, 12, 1, 8, tzinfo=UTC)
    # only cover requests are urgent: a reminder of the same shift waits
    assert text_send_at(now, LONDON, DEFAULT, "reminders", shift_starts_at=now + timedelta(hours=1)) == \
        datetime(2026, 12, 1, 8, tzinfo=UTC)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        text_send_at(datetime(2026, 11, 30, 23, 0), LONDON, DEFAULT, "reminders")
