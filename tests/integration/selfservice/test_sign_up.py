"""Signing up: one POST takes a place through the guarded UPDATE; full, foreign and ineligible shifts are refused."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from tests.factories import put_on
from tests.integration.selfservice.conftest import make_world, shift_at
from volunteers.core.timeutil import utcnow
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.rota.models import Assignment, Shift, ShiftOffer
from volunteers.wellbeing import services as wellbeing_services


def _live(shift_id: int) -> int:
    return _db.session.scalar(select(func.count()).select_from(Assignment).where(
        Assignment.shift_id == shift_id, Assignment.status != "cancelled"))


def test_sign_up_takes_a_place_as_self(world, client, auth) -> None:
    shift = shift_at(world.org, world.shop, world.hall, utcnow() + timedelta(days=5))
    _db.session.commit()
    auth.login("ann@example.org")
    response = client.post(f"/me/shifts/{shift.id}/sign-up")
    assert response.status_code == 302 and response.location.endswith("/me/shifts")
    assignment = _db.session.scalar(select(Assignment).where(Assignment.shift_id == shift.id))
    assert assignment.membership_id == world.ann.id and assignment.source == "self"
    assert _db.session.get(Shift, shift.id).filled == 1
    page = client.get("/me/shifts").get_data(as_text=True)
    assert "You&#39;re on: Shop counter" in page and "Your next shift" in page


def test_a_full_shift_is_refused_cleanly(world, client, auth) -> None:
    shift = shift_at(world.org, world.shop, world.hall, utcnow() + timedelta(days=5), needed=1)
    put_on(shift, world.bob)
    _db.session.commit()
    auth.login("ann@example.org")
    response = client.post(f"/me/shifts/{shift.id}/sign-up")
    assert response.status_code == 409
    assert "already full" in response.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(Shift, shift.id).filled == 1 and _live(shift.id) == 1


def test_the_last_place_goes_to_one_of_two(world, client, auth) -> None:
    """Two volunteers see one free place; the second POST is refused and nothing is overbooked."""
    shift = shift_at(world.org, world.shop, world.hall, utcnow() + timedelta(days=5), needed=1)
    _db.session.commit()
    auth.login("ann@example.org")
    assert client.post(f"/me/shifts/{shift.id}/sign-up").status_code == 302
    auth.logout()
    auth.login("bob@example.org")
    assert client.post(f"/me/shifts/{shift.id}/sign-up").status_code == 409
    _db.session.expire_all()
    assert _db.session.get(Shift, shift.id).filled == 1 and _live(shift.id) == 1


def test_another_organisations_shift_is_not_found(world, client, auth) -> None:
    other = make_world("surestart", prefix="ss-")
    theirs = shift_at(other.org, other.shop, other.hall, utcnow() + timedelta(days=5))
    _db.session.commit()
    auth.login("ann@example.org")
    assert client.post(f"/me/shifts/{theirs.id}/sign-up").status_code == 404
    assert client.post("/me/shifts/999999/sign-up").status_code == 404
    assert _live(theirs.id) == 0


def test_an_unpublished_shift_cannot_be_taken(world, client, auth) -> None:
    draft = shift_at(world.org, world.shop, world.hall, utcnow() + timedelta(days=5), published=False)
    _db.session.commit()
    auth.login("ann@example.org")
    assert client.post(f"/me/shifts/{draft.id}/sign-up").status_code == 404


def test_an_ineligible_volunteer_is_told_why(world, client, auth) -> None:
    shift = shift_at(world.org, world.post_office, world.hall, utcnow() + timedelta(days=5))
    _db.session.commit()
    auth.login("ann@example.org")
    response = client.post(f"/me/shifts/{shift.id}/sign-up")
    assert response.status_code == 409
    assert "has no Post Office training" in response.get_data(as_text=True)
    assert _live(shift.id) == 0


@dataclass(frozen=True)
class FakeWarning:
    rule: str
    severity: str
    message: str


def test_a_warning_asks_the_volunteer_to_confirm_first(world, client, auth, monkeypatch) -> None:
    shift = shift_at(world.org, world.shop, world.hall, utcnow() + timedelta(days=5))
    _db.session.commit()
    monkeypatch.setattr(wellbeing_services, "prospective_warnings",
                        lambda org, m, shifts, now: [FakeWarning("weekly_load", "warning", "17 h in 7 days")])
    auth.login("ann@example.org")
    first = client.post(f"/me/shifts/{shift.id}/sign-up")
    assert first.status_code == 200 and "17 h in 7 days" in first.get_data(as_text=True)
    assert _live(shift.id) == 0
    confirmed = client.post(f"/me/shifts/{shift.id}/sign-up", data={"confirmed": "1"})
    assert confirmed.status_code == 302
    assignment = _db.session.scalar(select(Assignment).where(Assignment.shift_id == shift.id))
    assert "weekly_load (warning)" in assignment.override_reason


def test_a_critical_warning_becomes_a_request_for_the_coordinator(world, client, auth, monkeypatch) -> None:
    shift = shift_at(world.org, world.shop, world.hall, utcnow() + timedelta(days=5))
    _db.session.commit()
    monkeypatch.setattr(wellbeing_services, "prospective_warnings",
                        lambda org, m, shifts, now: [FakeWarning("weekly_load", "critical", "26 h in 7 days")])
    auth.login("ann@example.org")
    assert client.post(f"/me/shifts/{shift.id}/sign-up", data={"confirmed": "1"}).status_code == 302
    assert _live(shift.id) == 0
    offer = _db.session.scalar(select(ShiftOffer))
    assert offer.kind == "signup_request" and offer.taken_by_membership_id == world.ann.id
    assert offer.warnings[0]["message"] == "26 h in 7 days"
    assert _db.session.scalar(select(OutboxMessage.to_address)) == "coord@example.org"
    auth.logout()
    auth.login("coord@example.org")
    assert "26 h in 7 days" in client.get("/rota/requests").get_data(as_text=True)
    assert client.post(f"/rota/requests/{offer.id}/approve").status_code == 302
    _db.session.expire_all()
    assert _live(shift.id) == 1


def test_with_the_real_load_rules_a_very_long_shift_needs_the_coordinator(world, client, auth) -> None:
    """A 13-hour duty is critical by the load policy (long_duty > 12 h): the sign-up becomes a request."""
    shift = shift_at(world.org, world.shop, world.hall, utcnow() + timedelta(days=3), hours=13)
    _db.session.commit()
    auth.login("ann@example.org")
    response = client.post(f"/me/shifts/{shift.id}/sign-up", data={"confirmed": "1"})
    assert response.status_code == 302 and _live(shift.id) == 0
    offer = _db.session.scalar(select(ShiftOffer))
    assert offer.kind == "signup_request" and offer.warnings[0]["rule"] == "long_duty"
    assert "asked your coordinator first" in client.get("/me/shifts").get_data(as_text=True)


def test_my_shifts_shows_the_kind_note_about_my_load(world, client, auth) -> None:
    put_on(shift_at(world.org, world.shop, world.hall, utcnow() + timedelta(days=3), hours=13), world.ann)
    _db.session.commit()
    auth.login("ann@example.org")
    page = client.get("/me/shifts").get_data(as_text=True)
    assert 'aria-label="About your load"' in page and "13 h" in page
