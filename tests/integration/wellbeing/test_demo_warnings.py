"""The demo's key drivers and night-heavy counsellor show up on /warnings with evidence; healthy people do not."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from tests.clock import Clock, freeze
from tests.demo_db import demo_app
from volunteers.core.models import Organisation
from volunteers.core.timeutil import format_hours, local_date, week_bounds
from volunteers.demo.data import PASSWORD
from volunteers.extensions import db as _db
from volunteers.people.models import Membership, Person
from volunteers.wellbeing import evaluate_volunteer, is_at_least, max_severity, organisation_figures, severity_rank
from volunteers.wellbeing.domain.figures import figures_of_hours
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.notes import NEAR, THANKS, _gentle, load_notes
from volunteers.wellbeing.queries import worked_hours
from volunteers.wellbeing.schedules import org_zone, policy_for, schedules_for
from volunteers.wellbeing.services import load_note, scan

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
KEY_DRIVERS = ("margaret.hartley@tackley.example", "richard.bayliss@tackley.example",
               "donna.charlton@surestart.example")
NIGHTS = "leanne.dodds@surestart.example"
HEALTHY = ("volunteer@tackley.example", "counsellor@surestart.example", "jo.lambert@tackley.example")


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[Flask, dict[str, dict[str, str]]]]:
    """The demo loaded and scanned once, in an in-memory database of its own; email → rule → severity."""
    with demo_app(NOW, frozen=True, scanned=True) as (app, _):  # frozen: the re-judging at each commit too
        found: dict[str, dict[str, str]] = {}
        for email, rule, severity in _db.session.execute(
                select(Person.email, LoadWarning.rule, LoadWarning.severity)
                .join(Membership, Membership.id == LoadWarning.membership_id)
                .join(Person, Person.id == Membership.person_id).where(LoadWarning.status == "open")):
            rules = found.setdefault(email, {})
            rules[rule] = max_severity([rules.get(rule), severity]) or severity
        yield app, found


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


def _judged_afresh(org: Organisation, membership: Membership, now: datetime) -> str | None:
    """The note as /me/shifts made it before it read the stored verdict: the rules run on every view."""
    tz = org_zone(org)
    week_start, week_end = week_bounds(local_date(now, tz), tz)
    mine = schedules_for(org, [membership.id], min(now - timedelta(days=63), week_start),
                         max(now + NEAR, week_end))[membership.id]
    if not mine.shifts:
        return None
    policy, pledge = policy_for(org, membership), mine.pledged_hours_per_week
    week = [s for s in mine.shifts if week_start <= s.start < week_end]
    hours, worked = sum(s.hours for s in week), sum(s.hours for s in week if s.start < now)
    settings = policy.settings("over_pledge")
    if pledge and hours > pledge * float(settings["notice"]) and hours - pledge >= float(settings["min_excess_hours"]):
        verb = "You've given" if worked >= hours - 1e-9 else "You're giving"
        return f"{verb} {format_hours(round(hours, 2))} this week, well beyond your {format_hours(pledge)} — {THANKS}"
    serious = [w for w in evaluate_volunteer(mine, now, tz, policy)
               if is_at_least(w.severity, "warning") and w.episode_end > week_start
               and w.episode_start < now + NEAR and _gentle(w)]
    if not serious:
        return None
    return _gentle(max(serious, key=lambda w: (severity_rank(w.severity), w.episode_end.timestamp())))


def test_the_stored_verdict_gives_every_demo_volunteer_the_note_the_rules_give(demo) -> None:
    app, _ = demo
    with app.app_context():
        members = [(m.organisation, m) for m in _db.session.scalars(
            select(Membership).where(Membership.status == "active").order_by(Membership.id))]
        stored = load_notes(members, NOW)
        afresh = {m.id: _judged_afresh(org, m, NOW) for org, m in members}
        assert stored == afresh
        spoken = [note for note in stored.values() if note]
        assert any("well beyond your" in note for note in spoken)  # the week's hours
        assert any("this week" not in note for note in spoken)  # a finding of the rules, read from load_warnings


@pytest.mark.parametrize("days", [2, 5, 9])
def test_later_in_the_week_and_the_next_the_verdict_still_gives_the_note_the_rules_give(demo, days: int) -> None:
    app, _ = demo
    later = NOW + timedelta(days=days, hours=7)
    with app.app_context():
        try:
            for org in _db.session.scalars(select(Organisation)):
                scan(org, later)  # what the nightly scan keeps up to date; not committed
            members = [(m.organisation, m) for m in _db.session.scalars(
                select(Membership).where(Membership.status == "active").order_by(Membership.id))]
            assert load_notes(members, later) == {m.id: _judged_afresh(org, m, later) for org, m in members}
        finally:
            _db.session.rollback()


def test_the_figures_from_four_columns_are_the_figures_of_everyones_schedules(demo) -> None:
    app, _ = demo
    with app.app_context():
        for org in _db.session.scalars(select(Organisation)):
            schedules = schedules_for(org, None, NOW - timedelta(days=91), NOW)
            expected = organisation_figures(list(schedules.values()), NOW, org_zone(org))
            assert expected["volunteers"] > 5 and expected["key_drivers"]
            assert figures_of_hours(worked_hours(org, NOW)) == expected
