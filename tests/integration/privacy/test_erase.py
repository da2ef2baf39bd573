"""Erasure: what goes, what stays, sign-in and sessions, several organisations, the pages, the audit trail."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.integration.privacy.helpers import build
from volunteers.contributions.models import Contribution
from volunteers.core.errors import ServiceError
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import (
    AvailabilityWindow,
    Leave,
    Membership,
    Person,
    PersonQualification,
    RecoveryCode,
)
from volunteers.privacy.services import erase_member, plan_erasure
from volunteers.rota.models import Assignment, Shift, ShiftOffer
from volunteers.wellbeing.models import LoadWarning

PASSWORD = "correct horse battery"


def _count(model, **where) -> int:
    stmt = select(func.count()).select_from(model)
    for name, value in where.items():
        stmt = stmt.where(getattr(model, name) == value)
    return _db.session.scalar(stmt)


def _sign_in(client, email: str):
    return client.post("/login", data={"email": email, "password": PASSWORD})


def test_erasing_someone_with_one_organisation_wipes_them_and_keeps_the_ledger(db, clock) -> None:
    world = build(clock.now)
    ann = world.ann
    # Ann leaves Sure Start first: then Tackley is the only organisation she belongs to
    world.ann_there.status = "left"
    ann.person.totp_secret, ann.person.totp_enabled_at, ann.person.calendar_token = "JBSWY3DPEHPK3PXP", clock.now, "t"
    db.session.add_all([RecoveryCode(person_id=ann.person_id, code_hash=f"{n:064d}", created_at=clock.now)
                        for n in range(3)])
    db.session.commit()
    person_id, ledger_rows = ann.person_id, _count(Contribution, membership_id=ann.id)
    result = erase_member(world.tackley, ann, actor_person_id=world.coordinator.person_id,
                          reason="asked to be forgotten", now=clock.now, source="web")
    db.session.commit()
    _db.session.expire_all()

    person = _db.session.get(Person, person_id)
    assert person is not None and result.person_wiped
    assert (person.name, person.email, person.phone, person.password_hash, person.calendar_token) == (
        f"Former volunteer #{person_id}", f"erased-{person_id}@invalid", None, None, None)
    assert person.active is False and person.erased_at == clock.now and person.session_version == 1
    assert (person.totp_secret, person.totp_enabled_at, person.two_factor_enabled) == (None, None, False)
    assert _count(RecoveryCode, person_id=person_id) == 0 and result.counts["recovery_codes"] == 3
    membership = _db.session.get(Membership, ann.id)
    assert membership is not None and membership.status == "left" and membership.left_on is not None
    assert (membership.notes, membership.preferences, membership.limits, membership.last_supervised_on) == (
        None, {}, {}, None)
    for model in (PersonQualification, AvailabilityWindow, Leave):
        assert _count(model, membership_id=ann.id) == 0
    # the future place is gone and freed; the past one (attendance in the ledger) stays
    assert _db.session.get(Assignment, world.future_place.id) is None
    assert _db.session.get(Assignment, world.past_place.id) is not None
    shift = _db.session.get(Shift, world.future_shift.id)
    assert shift is not None and shift.filled == 1  # Bob's place only
    assert _count(Contribution, membership_id=ann.id) == ledger_rows
    # the records that stay keep no free text about her
    assert _db.session.get(Assignment, world.past_place.id).override_reason is None
    assert _db.session.scalars(select(ShiftOffer.note)).all() == [None]
    assert _db.session.scalars(select(LoadWarning.acknowledged_note)).all() == [None]
    assert result.counts["notes_cleared"] == 3
    assert {c.status for c in _db.session.scalars(select(Contribution).where(Contribution.membership_id == ann.id))} \
        == {"approved", "rejected"}  # the pending self-logged hours were rejected
    # unsent mail deleted, sent mail redacted, in every organisation and outside any
    messages = _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.dedupe_key for m in messages] == ["tackley:rota", "surestart:rota", "password-reset"]
    assert {(m.to_address, m.subject, m.body_text, m.body_html) for m in messages} == {
        (f"erased-{person_id}@invalid", "(erased)", "(erased)", None)}
    # the other organisation's (left) membership keeps its own records
    assert _count(PersonQualification, membership_id=world.ann_there.id) == 1


def test_the_erasure_is_audited_with_ids_and_counts_only(db, clock) -> None:
    world = build(clock.now)
    world.ann_there.status = "left"
    db.session.commit()
    erase_member(world.tackley, world.ann, actor_person_id=world.coordinator.person_id,
                 reason="asked to be forgotten", now=clock.now, source="web")
    db.session.commit()
    entry = _db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "privacy.erase"))
    assert entry is not None
    assert (entry.organisation_id, entry.actor_person_id, entry.target_type, entry.target_id, entry.created_at) == (
        world.tackley.id, world.coordinator.person_id, "membership", world.ann.id, clock.now)
    assert entry.reason == "asked to be forgotten"
    details = entry.details
    assert details["person_id"] == world.ann.person_id and details["person_wiped"] is True
    assert details["future_places"] == 1 and details["pending_rejected"] == 1 and details["qualifications"] == 1
    assert details["messages_deleted"] == 1 and details["messages_redacted"] == 3
    text = str(details)
    assert "ann@example.org" not in text and "HYPERLINK" not in text and "Carer" not in text


def test_erasing_someone_who_belongs_elsewhere_keeps_their_login_and_the_other_organisation(db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    plan = plan_erasure(world.tackley, world.ann, clock.now)
    assert not plan.scope.wipes_person and plan.scope.other_organisations == ("Sure Start",)
    result = erase_member(world.tackley, world.ann, actor_person_id=world.coordinator.person_id,
                          reason="left the village", now=clock.now, source="web")
    db.session.commit()
    _db.session.expire_all()
    person = _db.session.get(Person, world.ann.person_id)
    assert person is not None and not result.person_wiped
    assert person.email == "ann@example.org" and person.password_hash and person.active and person.erased_at is None
    assert _count(PersonQualification, membership_id=world.ann.id) == 0
    assert _count(PersonQualification, membership_id=world.ann_there.id) == 1
    assert _count(AvailabilityWindow, membership_id=world.ann_there.id) == 1
    there = _db.session.get(Membership, world.ann_there.id)
    assert there is not None and there.status == "active"
    subjects = {m.dedupe_key: m.subject for m in _db.session.scalars(select(OutboxMessage))}
    assert "tackley:reminder" not in subjects and subjects["tackley:rota"] == "(erased)"
    assert subjects["surestart:rota"] == "About your shifts (surestart:rota)"  # Sure Start's stays
    assert subjects["password-reset"] == "About your shifts (password-reset)"


def test_an_erased_person_cannot_sign_in_and_their_session_ends(app, client, db, clock) -> None:
    world = build(clock.now)
    world.ann_there.status = "left"
    db.session.commit()
    assert _sign_in(client, "ann@example.org").status_code == 302
    assert client.get("/me/shifts").status_code == 200
    erase_member(world.tackley, world.ann, actor_person_id=None, reason="retention", now=clock.now, source="job")
    db.session.commit()
    response = client.get("/me/shifts")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert _sign_in(client, "ann@example.org").status_code != 302
    assert _sign_in(client, f"erased-{world.ann.person_id}@invalid").status_code != 302


def test_erasing_twice_or_without_a_reason_is_refused(db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    with pytest.raises(ServiceError, match="why"):
        erase_member(world.tackley, world.bob, actor_person_id=None, reason="  ", now=clock.now, source="web")
    erase_member(world.tackley, world.bob, actor_person_id=None, reason="gone", now=clock.now, source="web")
    with pytest.raises(ServiceError, match="already"):
        erase_member(world.tackley, world.bob, actor_person_id=None, reason="gone",
                     now=clock.now + timedelta(days=1), source="web")
    assert _count(AuditLogEntry, action="privacy.erase") == 1


def test_a_coordinator_confirms_with_the_name_and_a_reason(client, db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    _sign_in(client, "cora@tackley.example")
    url = f"/people/{world.ann.id}/erase"
    page = client.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "They also belong to Sure Start" in text and "keep their name, e-mail address and sign-in" in text
    assert "1 pending self-logged entry will be" in text and "Their 1 place on future shifts is freed" in text
    wrong = client.post(url, data={"confirm_name": "Bob Baker", "reason": "asked"})
    assert wrong.status_code == 400 and "exactly as shown" in wrong.get_data(as_text=True)
    no_reason = client.post(url, data={"confirm_name": world.ann.person.name, "reason": ""})
    assert no_reason.status_code == 400
    assert _count(AuditLogEntry, action="privacy.erase") == 0 and _count(Leave, membership_id=world.ann.id) == 1
    done = client.post(url, data={"confirm_name": ' =hyperlink("http://evil.example","ann") ', "reason": "asked"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/people/{world.ann.id}")
    assert _count(AuditLogEntry, action="privacy.erase") == 1 and _count(Leave, membership_id=world.ann.id) == 0
    again = client.get(url)
    assert "already been erased" in again.get_data(as_text=True)
    assert client.post(url, data={"confirm_name": world.ann.person.name, "reason": "again"}).status_code == 400


def test_only_coordinators_of_the_organisation_can_erase(client, db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    _sign_in(client, "bob@tackley.example")
    assert client.get(f"/people/{world.ann.id}/erase").status_code == 403
    assert client.post(f"/people/{world.ann.id}/erase",
                       data={"confirm_name": world.ann.person.name, "reason": "x"}).status_code == 403
    client.post("/logout")
    _sign_in(client, "sam@surestart.example")
    assert client.get(f"/people/{world.bob.id}/erase").status_code == 404
    assert client.post(f"/people/{world.bob.id}/erase",
                       data={"confirm_name": "Bob Baker", "reason": "x"}).status_code == 404
    assert _count(AuditLogEntry, action="privacy.erase") == 0


def test_a_coordinator_cannot_erase_themselves(client, db, clock) -> None:
    world = build(clock.now)
    db.session.commit()
    _sign_in(client, "cora@tackley.example")
    response = client.post(f"/people/{world.coordinator.id}/erase",
                           data={"confirm_name": "Cora Ordinator", "reason": "bye"})
    assert response.status_code == 400 and "cannot erase yourself" in response.get_data(as_text=True)
    assert _count(AuditLogEntry, action="privacy.erase") == 0


def test_the_people_page_says_when_someone_was_erased(client, db, clock) -> None:
    world = build(clock.now)
    world.ann_there.status = "left"
    db.session.commit()
    erase_member(world.tackley, world.ann, actor_person_id=None, reason="retention", now=clock.now, source="job")
    db.session.commit()
    _sign_in(client, "cora@tackley.example")
    page = client.get(f"/people/{world.ann.id}").get_data(as_text=True)
    assert f"Former volunteer #{world.ann.person_id}" in page and "personal data was erased on" in page
