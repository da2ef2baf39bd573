"""The rules of an announcement (``selfservice.domain.announcements``): lengths, audience, expiry, SMS length."""
from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from volunteers.selfservice.domain.announcements import (
    BODY_MAX,
    MAX_SEGMENTS,
    TITLE_MAX,
    Audience,
    check_draft,
    is_current,
    local_expiry,
    sms_segments,
    sms_text,
)

LONDON = "Europe/London"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # Tue 1 Dec 2026, GMT
EVERYONE = Audience("everyone")


def _check(title: str = "Closed on Boxing Day", body: str = "The shop is shut on the 26th.",
           audience: Audience = EVERYONE, expires_on: date | None = date(2026, 12, 27),
           expires_time: time | None = time(18, 0), now: datetime = NOW):
    return check_draft(title, body, audience, expires_on, expires_time, LONDON, now)


def test_a_good_draft_expires_at_the_local_time_given() -> None:
    draft, errors = _check()
    assert errors == {} and draft is not None
    assert draft.expires_at == datetime(2026, 12, 27, 18, 0, tzinfo=UTC)  # GMT in December
    summer, _ = _check(expires_on=date(2027, 2, 27), now=datetime(2026, 12, 31, 9, tzinfo=UTC))
    assert summer is not None and summer.expires_at == datetime(2027, 2, 27, 18, 0, tzinfo=UTC)


def test_lengths_are_checked_and_each_field_named() -> None:
    draft, errors = _check(title="x" * (TITLE_MAX + 1), body="y" * (BODY_MAX + 1))
    assert draft is None
    assert errors == {"title": f"Keep the title to {TITLE_MAX} characters (it has {TITLE_MAX + 1}).",
                      "body": f"Keep the message to {BODY_MAX} characters (it has {BODY_MAX + 1})."}
    _, blank = _check(title="   ", body="")
    assert set(blank) == {"title", "body"}


@pytest.mark.parametrize(("audience", "field"), [
    (Audience("nobody"), "audience"),
    (Audience("role"), "role_id"),
    (Audience("site"), "site_id"),
    (Audience("date"), "on"),
    (Audience("date", on=date(2026, 11, 30)), "on"),  # yesterday, local
    (Audience("date", on=date(2027, 6, 1)), "on"),  # more than 90 days ahead
])
def test_an_incomplete_audience_names_its_field(audience: Audience, field: str) -> None:
    draft, errors = _check(audience=audience)
    assert draft is None and list(errors) == [field]


def test_a_date_audience_of_today_is_fine_even_late_in_the_evening() -> None:
    late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    draft, errors = _check(audience=Audience("date", on=date(2026, 12, 1)), now=late, expires_on=date(2026, 12, 2))
    assert errors == {} and draft is not None


@pytest.mark.parametrize(("day", "at", "message"), [
    (date(2026, 12, 1), time(9, 59), "That is already past: choose a later day or time."),
    (date(2026, 12, 1), time(10, 0), "That is already past: choose a later day or time."),  # expiry is exclusive
    (date(2027, 3, 2), time(10, 1), "An announcement can show for at most 90 days."),
])
def test_an_expiry_must_be_ahead_and_within_ninety_days(day: date, at: time, message: str) -> None:
    draft, errors = _check(expires_on=day, expires_time=at)
    assert draft is None and errors == {"expires_on": message}


def test_a_missing_expiry_day_or_time_is_named() -> None:
    assert _check(expires_on=None)[1] == {"expires_on": "Give the last day it shows."}
    assert _check(expires_time=None)[1] == {"expires_time": "Give the time it stops showing."}


def test_expiry_follows_the_clock_changes_in_london() -> None:
    # the same wall-clock 18:00 is 18:00 UTC in winter and 17:00 UTC in summer
    assert local_expiry(date(2027, 3, 27), time(18), LONDON) == datetime(2027, 3, 27, 18, tzinfo=UTC)
    assert local_expiry(date(2027, 3, 28), time(18), LONDON) == datetime(2027, 3, 28, 17, tzinfo=UTC)
    # 01:30 happens twice on 25 Oct 2026: the first (BST) is meant
    assert local_expiry(date(2026, 10, 25), time(1, 30), LONDON) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # 01:30 never happens on 28 Mar 2027: read with the winter offset, an hour after the jump
    assert local_expiry(date(2027, 3, 28), time(1, 30), LONDON) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_an_announcement_is_current_until_it_expires_or_is_withdrawn() -> None:
    expires = datetime(2026, 12, 27, 18, tzinfo=UTC)
    assert is_current(expires, None, NOW)
    assert not is_current(expires, None, expires)
    assert not is_current(expires, NOW, NOW)


def test_sms_segments_count_as_the_networks_do() -> None:
    assert [sms_segments("a" * n) for n in (1, 160, 161, 306, 307)] == [1, 1, 2, 2, 3]
    assert sms_segments("€" * 80) == 1 and sms_segments("€" * 81) == 2  # an extension character takes two
    assert [sms_segments("é—" * n) for n in (35, 36)] == [1, 2]  # a dash is not GSM: 70 UCS-2 units
    assert sms_segments("🙂" * 35) == 1 and sms_segments("🙂" * 36) == 2  # an emoji is two units


def test_an_announcement_is_texted_only_when_it_fits() -> None:
    assert sms_text("Tackley Village Shop", "Closed on Boxing Day", "The shop is shut on the 26th.") == \
        "Tackley Village Shop: Closed on Boxing Day. The shop is shut on the 26th."
    assert sms_text("Tackley", "Closed!", "Back on the 27th.") == "Tackley: Closed! Back on the 27th."
    fits = "x" * (306 - len("Tackley: Title. "))
    assert sms_text("Tackley", "Title", fits) is not None
    assert sms_text("Tackley", "Title", fits + "x") is None and MAX_SEGMENTS == 2
