"""Sure Start with a coordinator, two counsellors, a volunteer who supports nobody, and cases; another
organisation beside it. The clock stands at Monday 30 Nov 2026, 12:00 UTC (tests/clock.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.factories import make_member, make_org
from volunteers.core.models import Organisation
from volunteers.extensions import db as _db
from volunteers.peersupport.models import Contact, SupportedPerson
from volunteers.people.models import Membership


@dataclass
class Programme:
    org: Organisation
    coordinator: Membership
    ann: Membership
    bob: Membership
    vic: Membership
    other: Organisation
    other_coordinator: Membership
    amy: SupportedPerson
    bea: SupportedPerson
    cat: SupportedPerson


def add_case(org: Organisation, reference: str, first_name: str, born_on: date, supporter: Membership | None,
             **kw: object) -> SupportedPerson:
    case = SupportedPerson(organisation_id=org.id, reference=reference, first_name=first_name, born_on=born_on,
                           supporter_membership_id=supporter.id if supporter else None, status="open", **kw)
    _db.session.add(case)
    _db.session.flush()
    return case


@pytest.fixture()
def programme(db, clock) -> Programme:
    org = make_org("surestart", "Sure Start")
    org.settings = {"peer_support": True}
    coordinator = make_member(org, "cora@surestart.example", role="coordinator", name="Cora Ordinator")
    ann = make_member(org, "ann@example.org", name="Ann Archer")
    bob = make_member(org, "bob@example.org", name="Bob Baker")
    vic = make_member(org, "vic@example.org", name="Vic Volunteer")
    ann.preferences = {"languages": ["English"], "areas": ["Felling"]}
    bob.preferences = {"languages": ["English", "Polish"], "areas": ["Low Fell"]}
    ann.caseload_limit, bob.caseload_limit = 2, 5
    other = make_org("elsewhere", "Elsewhere")
    other_coordinator = make_member(other, "olga@elsewhere.example", role="coordinator", name="Olga Other")
    # Amy: 20-week follow-up due by 4 Dec (born 3 Jul: day 140 = 20 Nov, day 154 = 4 Dec)
    amy = add_case(org, "SS-001", "Amy", date(2026, 7, 3), ann, area="Felling", language="English",
                   phone="0191 000 0001")
    # Bea: follow-up overdue (born 20 Jun: due by 21 Nov, 9 days late on 30 Nov)
    bea = add_case(org, "SS-002", "Bea", date(2026, 6, 20), bob, area="Low Fell", language="Polish")
    # Cat: born yesterday, ward visit due by 1 Dec
    cat = add_case(org, "SS-003", "Cat", date(2026, 11, 29), ann, area="Felling", language="English")
    for case, on in ((amy, date(2026, 7, 3)), (bea, date(2026, 6, 21))):  # both visited on the ward
        _db.session.add(Contact(organisation_id=org.id, supported_person_id=case.id, contact_on=on, mode="ward",
                                minutes=30, membership_id=case.supporter_membership_id))
    _db.session.commit()
    return Programme(org, coordinator, ann, bob, vic, other, other_coordinator, amy, bea, cat)
