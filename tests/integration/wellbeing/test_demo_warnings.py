"""The demo's key drivers and night-heavy counsellor show up on /warnings with evidence; healthy people do not."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from config import TestingConfig
from tests.clock import Clock, freeze
from volunteers.app import create_app
from volunteers.core.models import Organisation
from volunteers.demo.data import PASSWORD, load_demo
from volunteers.extensions import db as _db
from volunteers.people.models import Membership, Person
from volunteers.wellbeing import max_severity
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.services import load_note, scan

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
KEY_DRIVERS = ("margaret.hartley@tackley.example", "richard.bayliss@tackley.example",
               "donna.charlton@surestart.example")
NIGHTS = "leanne.dodds@surestart.example"
HEALTHY = ("volunteer@tackley.example", "counsellor@surestart.example", "jo.lambert@tackley.example")


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[Flask, dict[str, dict[str, str]]]]:
    """The demo loaded and scanned once, in an in-memory database of its own; email → rule → severity."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        freeze(patch, Clock(NOW))  # the re-judging at each commit judges at NOW too
        _db.create_all()
        load_demo(NOW)
        for org in _db.session.scalars(select(Organisation)):
            scan(org, NOW)
        _db.session.commit()
        found: dict[str, dict[str, str]] = {}
        for email, rule, severity in _db.session.execute(
                select(Person.email, LoadWarning.rule, LoadWarning.severity)
                .join(Membership, Membership.id == LoadWarning.membership_id)
                .join(Person, Person.id == Membership.person_id).where(LoadWarning.status == "open")):
            rules = found.setdefault(email, {})
            rules[rule] = max_severity([rules.get(rule), severity]) or severity
        yield app, found
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def test_key_drivers_are_over_their_pledge(demo) -> None:
    _, found = demo
    for email in KEY_DRIVERS:
        assert found[email]["over_pledge"] == "critical", email
    assert found["margaret.hartley@tackley.example"]["long_duty"] == "warning"  # 09:00–18:00 Wednesdays


def test_the_night_heavy_counsellor_has_nights_rest_and_supervision_warnings(demo) -> None:
    _, found = demo
    assert found[NIGHTS]["consecutive_nights"] == "critical"  # four helpline nights on call in a row
    assert found[NIGHTS]["short_rest"] == "critical"  # 07:00 off the phone, 10:00 on the ward
    assert found[NIGHTS]["supervision_due"] == "critical"


def test_healthy_volunteers_have_no_warnings(demo) -> None:
    _, found = demo
    for email in HEALTHY:
        assert email not in found, (email, found.get(email))
    assert len(found) <= 12  # a few people of a hundred, not everyone


def _page(app: Flask, email: str, monkeypatch: pytest.MonkeyPatch) -> str:
    freeze(monkeypatch, Clock(NOW))
    client = app.test_client()
    with app.app_context():
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        response = client.get("/warnings")
        assert response.status_code == 200
        return response.get_data(as_text=True)


def test_tackley_coordinator_sees_the_key_drivers_with_evidence(demo, monkeypatch) -> None:
    app, _ = demo
    html = _page(app, "coordinator@tackley.example", monkeypatch)
    assert "Margaret Hartley" in html and "Richard Bayliss" in html
    assert "against a pledge of 24 (6 a week)" in html and "Pledged hours in 4 weeks" in html
    assert "Window</dt><dd>Sun 27 Sep – Sat 24 Oct 2026" in html  # 28 whole local days
    assert "Post Office counter" in html and "Sam Tolley" not in html
    assert "Leanne Dodds" not in html  # another organisation's people


def test_surestart_coordinator_sees_the_night_run_and_the_key_driver(demo, monkeypatch) -> None:
    app, _ = demo
    html = _page(app, "coordinator@surestart.example", monkeypatch)
    assert "Leanne Dodds" in html and "Night duties on 4 consecutive dates" in html
    assert "23:00–07:00 (next day)" in html and "Helpline on call" in html
    assert "Donna Charlton" in html and "Key drivers" in html
    assert "Kelly Robson" not in html


def test_volunteers_get_a_kind_note_only_when_it_is_due(demo) -> None:
    app, _ = demo
    with app.app_context():
        def note(email: str) -> str | None:
            membership = _db.session.scalar(select(Membership).join(Person).where(Person.email == email))
            return load_note(membership.organisation, membership, NOW)

        assert note("volunteer@tackley.example") is None
        margaret = note("margaret.hartley@tackley.example")
        assert margaret is not None and "well beyond your 6 h — thank you; it's fine to say no." in margaret
        assert "well beyond your 6 h" in (note(NIGHTS) or "")
