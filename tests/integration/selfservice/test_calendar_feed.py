"""The calendar feed: valid RFC 5545 (parsed with icalendar), right instants across the October clock change,
cancellations and sequence numbers, every organisation of the person, and a revocable secret URL."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from tests.factories import make_member, make_shift, put_on, utc
from tests.integration.selfservice.conftest import make_world
from volunteers.extensions import db as _db
from volunteers.rota.places import release_place
from volunteers.selfservice import calendar_feed

NOW = utc(2026, 10, 20, 12)


@pytest.fixture()
def feed(world, clock):
    """Ann's shifts around the clock change (25 Oct 2026, London), a cancelled one, one elsewhere; her token."""
    clock.now = NOW
    org = world.org
    saturday = put_on(make_shift(org, world.shop, world.hall, date(2026, 10, 24), time(9), time(13)), world.ann)
    night = put_on(make_shift(org, world.shop, world.hall, date(2026, 10, 25), time(0), time(6)), world.ann)
    monday = put_on(make_shift(org, world.shop, world.hall, date(2026, 10, 26), time(9), time(13)), world.ann)
    dropped = put_on(make_shift(org, world.shop, world.hall, date(2026, 10, 27), time(9), time(13)), world.ann)
    release_place(org, dropped, NOW)
    put_on(make_shift(org, world.shop, world.hall, date(2026, 10, 28), time(9), time(13)), world.bob)
    put_on(make_shift(org, world.shop, world.hall, date(2026, 9, 1), time(9), time(13)), world.ann)  # too old
    other = make_world("surestart", prefix="ss-")
    elsewhere = put_on(make_shift(other.org, other.shop, other.hall, date(2026, 11, 2), time(18), time(21)),
                       make_member(other.org, "ann@example.org"))
    token = calendar_feed.regenerate_token(world.ann.person)
    _db.session.commit()
    return {"token": token, "saturday": saturday, "night": night, "monday": monday, "dropped": dropped,
            "elsewhere": elsewhere}


def _events(client, token: str) -> dict[str, object]:
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_feed_parses_and_has_one_event_per_assignment(client, feed) -> None:
    events = _events(client, feed["token"])
    expected = {f"assignment-{feed[k].id}@volunteers" for k in ("saturday", "night", "monday", "dropped", "elsewhere")}
    assert set(events) == expected  # Bob's shift and the one two months ago are not there
    saturday = events[f"assignment-{feed['saturday'].id}@volunteers"]
    assert str(saturday["SUMMARY"]) == "Shop counter" and str(saturday["LOCATION"]) == "Village hall shop"
    assert str(saturday["STATUS"]) == "CONFIRMED" and int(saturday["SEQUENCE"]) == 0


def test_times_are_right_across_the_october_clock_change(client, feed) -> None:
    events = _events(client, feed["token"])

    def span(key: str) -> tuple[datetime, datetime]:
        event = events[f"assignment-{feed[key].id}@volunteers"]
        return event["DTSTART"].dt, event["DTEND"].dt

    assert span("saturday") == (utc(2026, 10, 24, 8), utc(2026, 10, 24, 12))  # 09:00 BST
    assert span("monday") == (utc(2026, 10, 26, 9), utc(2026, 10, 26, 13))  # 09:00 GMT
    start, end = span("night")  # 00:00-06:00 local on the night the clocks go back
    assert (start, end) == (utc(2026, 10, 24, 23), utc(2026, 10, 25, 6))
    assert end - start == timedelta(hours=7)
    assert all(dt.utcoffset() == timedelta(0) for dt in (start, end))


def test_a_cancelled_place_stays_with_status_cancelled_and_a_higher_sequence(client, feed) -> None:
    dropped = _events(client, feed["token"])[f"assignment-{feed['dropped'].id}@volunteers"]
    assert str(dropped["STATUS"]) == "CANCELLED" and int(dropped["SEQUENCE"]) == 1


def test_the_other_organisations_shift_names_it(client, feed) -> None:
    event = _events(client, feed["token"])[f"assignment-{feed['elsewhere'].id}@volunteers"]
    assert "Surestart" in str(event["DESCRIPTION"])
    assert event["DTSTART"].dt == datetime(2026, 11, 2, 18, tzinfo=UTC)


def test_a_new_link_revokes_the_old_one_and_switching_off_revokes_all(client, auth, feed) -> None:
    old = feed["token"]
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    auth.login("ann@example.org")
    assert old in client.get("/me/shifts").get_data(as_text=True)
    assert client.post("/me/calendar").status_code == 302
    _db.session.expire_all()
    new = _db.session.merge(feed["saturday"]).membership.person.calendar_token
    assert new != old and len(new) >= 43  # 32 random bytes
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert client.post("/me/calendar/revoke").status_code == 302
    assert client.get(f"/calendar/{new}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert "Create my calendar link" in client.get("/me/shifts").get_data(as_text=True)


def test_feed_links_point_where_the_app_is_served(app, client, feed) -> None:
    # BASE_URL unset: the request's own address (another port, another host)
    response = client.get(f"/calendar/{feed['token']}.ics", base_url="http://rota.example:8081")
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["URL"]) == "http://rota.example:8081/me/shifts"
    # BASE_URL set: it wins whatever the request's host
    app.config["BASE_URL"] = "https://rota.tackley.example/"
    try:
        again = client.get(f"/calendar/{feed['token']}.ics", base_url="http://rota.example:8081")
        assert str(Calendar.from_ical(again.data).walk("VEVENT")[0]["URL"]) == \
            "https://rota.tackley.example/me/shifts"
    finally:
        app.config["BASE_URL"] = None


def test_with_trusted_hosts_a_forged_host_is_refused_not_copied_into_links(app, client, feed) -> None:
    app.config["TRUSTED_HOSTS"] = ["rota.example"]
    try:
        assert client.get(f"/calendar/{feed['token']}.ics", base_url="http://evil.example").status_code == 400
        good = client.get(f"/calendar/{feed['token']}.ics", base_url="http://rota.example")
        assert str(Calendar.from_ical(good.data).walk("VEVENT")[0]["URL"]) == "http://rota.example/me/shifts"
    finally:
        app.config["TRUSTED_HOSTS"] = None
