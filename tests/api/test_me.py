"""The volunteer's calls: my shifts (ETag), open shifts (pages), sign up (409 when full), cancel (notice rule)."""
from __future__ import annotations

import base64
import json
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import make_member, put_on
from volunteers.extensions import db
from volunteers.rota.models import Assignment
from volunteers.wellbeing.notes import load_note

from .conftest import assert_problem, token_for


def test_my_shifts_lists_my_places_here_and_answers_304_while_unchanged(world, call) -> None:
    response = call("GET", "/api/v1/me/shifts", world.volunteer_token)
    assert response.status_code == 200
    body = response.get_json()
    assert [item["assignment_id"] for item in body["items"]] == [world.place.id]
    assert body["items"][0]["role"] == "Shop counter" and body["next"] is None
    tag = response.headers["ETag"]
    again = call("GET", "/api/v1/me/shifts", world.volunteer_token, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""
    call("POST", f"/api/v1/me/shifts/{world.shift.id}/sign-up", world.volunteer_token, json={})
    changed = call("GET", "/api/v1/me/shifts", world.volunteer_token, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert len(changed.get_json()["items"]) == 2


def test_open_shifts_come_in_pages_with_a_next_link(world, call) -> None:
    seen, url, pages = [], "/api/v1/me/shifts/open?limit=1", 0
    while url:
        body = call("GET", url, world.colleague_token).get_json()
        assert len(body["items"]) <= 1
        seen += [(item["id"], item["open_places"]) for item in body["items"]]
        url, pages = body["next"], pages + 1
    assert seen == [(world.shift.id, 2), (world.place.shift_id, 1), (world.later.id, 1)]
    assert pages == 3


@pytest.mark.parametrize("text, ident", [
    ("0001-01-01T00:00:00+01:00", 1),      # before year 1 once in UTC
    ("9999-12-31T23:00:00-05:00", 1),      # after year 9999 once in UTC
    ("2026-11-02T08:00:00+00:00", 10**19),  # an id past any database's integers
    ("2026-11-02T08:00:00+00:00", -1),
    ("not a time", 1),
])
def test_a_cursor_the_api_never_wrote_is_a_400_naming_it(world, call, text, ident) -> None:
    cursor = base64.urlsafe_b64encode(json.dumps([text, ident]).encode()).decode().rstrip("=")
    body = assert_problem(call("GET", f"/api/v1/me/shifts/open?cursor={cursor}", world.colleague_token), 400)
    assert "cursor" in json.dumps(body)


def test_sign_up_takes_a_place_then_a_full_shift_is_409(world, call, clock) -> None:
    taken = call("POST", f"/api/v1/me/shifts/{world.later.id}/sign-up", world.volunteer_token)
    assert taken.status_code == 200, taken.get_data(as_text=True)
    assert taken.get_json()["status"] == "signed_up" and taken.get_json()["assignment_id"]
    full = call("POST", f"/api/v1/me/shifts/{world.later.id}/sign-up", world.colleague_token, json={})
    assert assert_problem(full, 409)["type"].endswith("full")
    again = call("POST", f"/api/v1/me/shifts/{world.later.id}/sign-up", world.volunteer_token, json={})
    assert again.status_code == 409


def test_cancel_in_time_releases_the_place(world, call) -> None:
    response = call("POST", f"/api/v1/me/places/{world.place.id}/cancel", world.volunteer_token,
                    json={"note": "Away that week"})
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    db.session.expire_all()
    assert db.session.get(Assignment, world.place.id).status == "cancelled"


def test_cancel_inside_the_notice_period_asks_the_coordinator(world, call, clock) -> None:
    cy = make_member(world.org, "cy@example.org", password=None)
    late = put_on(world.shift, cy)
    token = token_for(cy, clock.now)
    db.session.commit()
    clock.now = world.shift.starts_at - timedelta(hours=2)
    response = call("POST", f"/api/v1/me/places/{late.id}/cancel", token)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["status"] == "requested" and response.get_json()["request_id"]


def test_someone_elses_place_is_not_found(world, call) -> None:
    assert_problem(call("POST", f"/api/v1/me/places/{world.place.id}/cancel", world.colleague_token), 404)


def test_my_load_note_is_the_pages(world, call, clock) -> None:
    assert call("GET", "/api/v1/me/load-note", world.colleague_token).get_json() == {"note": None}
    world.volunteer.pledged_hours_per_week = Decimal("1")
    put_on(world.shift, world.volunteer)  # 4 hours this week against a pledge of 1
    db.session.commit()
    note = call("GET", "/api/v1/me/load-note", world.volunteer_token).get_json()["note"]
    assert note and "beyond your 1 h" in note
    assert note == load_note(world.org, world.volunteer, clock.now)


def test_offers_open_to_me_and_taking_one(world, call) -> None:
    listed = call("GET", "/api/v1/me/offers", world.volunteer_token).get_json()["items"]
    assert [(o["offer_id"], o["kind"], o["to_me"]) for o in listed] == [(world.offer.id, "swap", False)]
    assert call("GET", "/api/v1/me/offers", world.coordinator_token).get_json()["items"] == []  # not my own
    taken = call("POST", f"/api/v1/me/offers/{world.offer.id}/accept", world.volunteer_token, json={})
    assert taken.status_code == 200, taken.get_data(as_text=True)
    assert taken.get_json()["status"] in ("moved", "waiting")
    again = call("POST", f"/api/v1/me/offers/{world.offer.id}/accept", world.colleague_token, json={})
    assert again.status_code in (404, 409)
