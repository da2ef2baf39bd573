"""Peer-support writes are in the trail with ids only (special-category data: no names, phones or notes)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD, make_member
from volunteers.extensions import db
from volunteers.peersupport.models import Contact, SupportedPerson

from .conftest import entries, expect
from .coverage import audits


def _case(org_id: int, reference: str, supporter_id: int) -> SupportedPerson:
    case = SupportedPerson(organisation_id=org_id, reference=reference, first_name="Amy", born_on=date(2026, 7, 3),
                           supporter_membership_id=supporter_id, status="open", phone="0191 000 0001")
    db.session.add(case)
    db.session.commit()
    return case


@audits("peersupport.new_case", "peersupport.reassign", "peersupport.close_case", "peersupport.hand_over")
def test_a_coordinators_casework_is_audited(client, desk, clock) -> None:
    t = desk.t
    bob = make_member(t.org, "bob@example.org", name="Bob Baker")
    db.session.commit()
    assert client.post("/cases/new", data={"reference": "SS-1", "first_name": "Dee", "born_on": "2026-11-29",
                                           "phone": "0191 000 0002", "supporter": str(t.volunteer.id)}
                       ).status_code == 302
    case = db.session.scalar(select(SupportedPerson).where(SupportedPerson.reference == "SS-1"))
    registered = expect(t.org, "peersupport.register", t.coordinator, "supported_person", case.id, clock.now)
    assert registered.details["supporter"] == t.volunteer.id and "0191" not in str(registered.details)
    assert "Dee" not in str(registered.details)
    assert client.post(f"/cases/{case.id}/reassign", data={"reassign-supporter": str(bob.id),
                                                           "reassign-reason": "closer to home"}).status_code == 302
    moved = expect(t.org, "peersupport.reassign", t.coordinator, "supported_person", case.id, clock.now)
    assert (moved.details, moved.reason) == ({"before": t.volunteer.id, "after": bob.id}, "closer to home")
    other = _case(t.org.id, "SS-2", bob.id)
    assert client.post("/cases/hand-over", data={"from_member": bob.id, "to_member": t.volunteer.id}
                       ).status_code == 302
    handed = expect(t.org, "peersupport.hand_over", t.coordinator, "membership", bob.id, clock.now)
    assert handed.details == {"to": t.volunteer.id, "cases": [case.id, other.id]}
    assert client.post(f"/cases/{case.id}/close", data={"close-reason": "declined",
                                                        "close-closed_on": "2026-11-30"}).status_code == 302
    closed = expect(t.org, "peersupport.close", t.coordinator, "supported_person", case.id, clock.now)
    assert closed.details == {"closed_on": "2026-11-30", "closed_reason": "declined"}
    assert all(e.actor_person_id == t.coordinator.person_id for e in entries(t.org, "peersupport."))


@audits("peersupport.log_contact")
def test_a_logged_contact_is_audited_without_its_note(client, trail, clock) -> None:
    case = _case(trail.org.id, "SS-3", trail.volunteer.id)
    client.post("/login", data={"email": "ann@example.org", "password": DEFAULT_PASSWORD})
    assert client.post(f"/cases/{case.id}/contacts/new", data={
        "contact_on": "2026-11-30", "mode": "home", "minutes": "40", "outcome": "Worried about weight"}
    ).status_code == 302
    contact = db.session.scalar(select(Contact))
    logged = expect(trail.org, "peersupport.log_contact", trail.volunteer, "supported_person", case.id, clock.now)
    assert logged.details == {"contact": contact.id, "date": "2026-11-30", "mode": "home", "minutes": 40}
