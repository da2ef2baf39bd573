"""Warnings follow the rota at commit time.

Places, shifts, roles, people and policy changed re-judge those concerned.
"""
from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from sqlalchemy import select

from tests.factories import make_member, make_org, make_role, make_shift, make_site
from volunteers.rota.places import release_place, take_place
from volunteers.wellbeing.models import LoadWarning


def _nights(db, clock):
    org = make_org("surestart")
    role = make_role(org, "Helpline on call", on_call=True)
    site = make_site(org, "Helpline (remote)")
    first = clock.now.date() + timedelta(days=10)
    shifts = [make_shift(org, role, site, first + timedelta(days=i), time(23), time(7), needed=1) for i in range(3)]
    leanne = make_member(org, "leanne@example.org", password=None, pledge=3)
    db.session.commit()
    return org, shifts, leanne


def _open_rules(db, membership_id: int) -> set[str]:
    return set(db.session.scalars(
        select(LoadWarning.rule).where(LoadWarning.membership_id == membership_id, LoadWarning.status == "open")
    ))


def test_third_night_on_call_raises_a_warning_at_commit(db, clock) -> None:
    org, shifts, leanne = _nights(db, clock)
    for shift in shifts[:2]:
        take_place(org, shift.id, leanne.id, source="coordinator", now=clock.now)
    db.session.commit()
    assert "consecutive_nights" not in _open_rules(db, leanne.id)
    third = take_place(org, shifts[2].id, leanne.id, source="coordinator", now=clock.now)
    db.session.commit()
    assert "consecutive_nights" in _open_rules(db, leanne.id)
    release_place(org, third, clock.now)
    db.session.commit()
    assert "consecutive_nights" not in _open_rules(db, leanne.id)


def test_a_rolled_back_change_rescans_no_one(db, clock) -> None:
    org, shifts, leanne = _nights(db, clock)
    for shift in shifts:
        take_place(org, shift.id, leanne.id, source="coordinator", now=clock.now)
    db.session.rollback()
    db.session.commit()
    assert db.session.scalar(select(LoadWarning.id)) is None


def test_moving_a_shift_rejudges_its_people_at_commit(db, clock) -> None:
    org, shifts, leanne = _nights(db, clock)
    for shift in shifts:
        take_place(org, shift.id, leanne.id, source="coordinator", now=clock.now)
    db.session.commit()
    assert "consecutive_nights" in _open_rules(db, leanne.id)
    last = shifts[2]
    last.starts_at, last.ends_at = last.starts_at + timedelta(days=2), last.ends_at + timedelta(days=2)
    db.session.commit()  # no service call: the flush notices the shift moved
    assert "consecutive_nights" not in _open_rules(db, leanne.id)


def test_a_role_made_intense_rejudges_everyone_in_it_at_commit(db, clock) -> None:
    org = make_org("shop")
    role = make_role(org, "Shop counter")
    site = make_site(org, "Shop")
    first = clock.now.date() + timedelta(days=3)
    members = [make_member(org, f"p{k}@example.org", password=None, pledge=None) for k in range(2)]
    for k, member in enumerate(members):
        shift = make_shift(org, role, site, first + timedelta(days=k), time(8), time(13), needed=1)
        take_place(org, shift.id, member.id, source="coordinator", now=clock.now)
    db.session.commit()
    assert not any(_open_rules(db, m.id) for m in members)  # five hours of shop work
    role.intensity = Decimal("1.5")
    db.session.commit()
    assert all("long_duty" in _open_rules(db, m.id) for m in members)  # over 4.5 h at intensity 1.5


def test_a_policy_change_rejudges_everyone_and_a_bad_one_is_still_saved(db, clock, monkeypatch) -> None:
    org, shifts, leanne = _nights(db, clock)
    for shift in shifts:
        take_place(org, shift.id, leanne.id, source="coordinator", now=clock.now)
    db.session.commit()
    org.settings = {"load_policy": {"consecutive_nights": {"enabled": False}}}
    db.session.commit()
    assert "consecutive_nights" not in _open_rules(db, leanne.id)
    judged: list[object] = []
    monkeypatch.setattr("volunteers.wellbeing.scan.scan", lambda *args, **kwargs: judged.append(args))
    org.settings = {**org.settings, "report_recipients": ["treasurer@example.org"]}
    db.session.commit()
    assert judged == []  # settings beyond the policy re-judge no one
    monkeypatch.undo()
    org.settings = {"load_policy": {"weekly_load": {"warning": "lots"}}}
    db.session.commit()  # the settings page refuses this; a change made elsewhere must not fail the commit
    assert org.settings["load_policy"]["weekly_load"]["warning"] == "lots"


def test_recording_supervision_resolves_supervision_due_at_commit(db, clock) -> None:
    org = make_org("surestart")
    ward = make_role(org, "Hospital ward visit", intensity=Decimal("1.5"))
    site = make_site(org, "Ward")
    donna = make_member(org, "donna@example.org", password=None, pledge=None)
    donna.last_supervised_on = clock.now.date() - timedelta(days=100)
    shift = make_shift(org, ward, site, clock.now.date() - timedelta(days=2), time(10), time(12), needed=1)
    take_place(org, shift.id, donna.id, source="coordinator", now=clock.now - timedelta(days=3))
    db.session.commit()
    assert "supervision_due" in _open_rules(db, donna.id)
    donna.last_supervised_on = clock.now.date()
    db.session.commit()
    assert "supervision_due" not in _open_rules(db, donna.id)
