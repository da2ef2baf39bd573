"""Warnings follow the rota at commit time: taking or giving up places re-judges those people."""
from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from tests.factories import make_member, make_org, make_role, make_shift, make_site
from volunteers.core.timeutil import utcnow
from volunteers.rota.places import release_place, take_place
from volunteers.wellbeing.models import LoadWarning


def _nights(db):  # type: ignore[no-untyped-def]
    org = make_org("surestart")
    role = make_role(org, "Helpline on call", on_call=True)
    site = make_site(org, "Helpline (remote)")
    first = utcnow().date() + timedelta(days=10)
    shifts = [make_shift(org, role, site, first + timedelta(days=i), time(23), time(7), needed=1) for i in range(3)]
    leanne = make_member(org, "leanne@example.org", password=None, pledge=3)
    db.session.commit()
    return org, shifts, leanne


def _open_rules(db, membership_id: int) -> set[str]:  # type: ignore[no-untyped-def]
    return set(db.session.scalars(
        select(LoadWarning.rule).where(LoadWarning.membership_id == membership_id, LoadWarning.status == "open")
    ))


def test_third_night_on_call_raises_a_warning_at_commit(db) -> None:  # type: ignore[no-untyped-def]
    org, shifts, leanne = _nights(db)
    for shift in shifts[:2]:
        take_place(org, shift.id, leanne.id, source="coordinator", now=utcnow())
    db.session.commit()
    assert "consecutive_nights" not in _open_rules(db, leanne.id)
    third = take_place(org, shifts[2].id, leanne.id, source="coordinator", now=utcnow())
    db.session.commit()
    assert "consecutive_nights" in _open_rules(db, leanne.id)
    release_place(org, third, utcnow())
    db.session.commit()
    assert "consecutive_nights" not in _open_rules(db, leanne.id)


def test_a_rolled_back_change_rescans_no_one(db) -> None:  # type: ignore[no-untyped-def]
    org, shifts, leanne = _nights(db)
    for shift in shifts:
        take_place(org, shift.id, leanne.id, source="coordinator", now=utcnow())
    db.session.rollback()
    db.session.commit()
    assert db.session.scalar(select(LoadWarning.id)) is None
