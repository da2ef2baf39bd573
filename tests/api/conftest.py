"""Fixtures for the API tests: Tackley (a coordinator, two volunteers, published shifts) and Gateshead beside it.

Each person gets a write token (and the volunteer a read one too) made
through the service, as /me/tokens would make them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from volunteers.api import tokens
from volunteers.api.errors import PROBLEM_TYPES
from volunteers.contributions import services as contributions
from volunteers.contributions.models import Contribution
from volunteers.core.models import Organisation
from volunteers.peersupport import casework
from volunteers.peersupport.models import SupportedPerson
from volunteers.people import services as people
from volunteers.people.models import Leave, Membership
from volunteers.rota.models import Assignment, Shift, ShiftOffer
from volunteers.selfservice import leave as leaves
from volunteers.selfservice import swaps
from volunteers.wellbeing.models import LoadWarning


@dataclass
class World:
    org: Organisation
    coordinator: Membership
    volunteer: Membership
    colleague: Membership
    shift: Shift  #: published, two places, in four days
    later: Shift  #: published, one place, in eleven days
    place: Assignment  #: the volunteer's place on a shift in a week
    other: Organisation
    other_coordinator: Membership
    other_shift: Shift
    other_place: Assignment
    warning: LoadWarning  #: an open warning about the colleague (no shift of theirs changes: it stays open)
    other_warning: LoadWarning
    entry: Contribution  #: hours the colleague logged, pending
    other_entry: Contribution
    offer: ShiftOffer  #: the coordinator offers their place on a full shift in nine days to anyone
    other_offer: ShiftOffer
    coordinator_token: str
    volunteer_token: str
    volunteer_read_token: str
    colleague_token: str
    other_token: str
    case: SupportedPerson | None = None  #: a mother the volunteer supports (no contact yet)
    other_case: SupportedPerson | None = None
    leave: Leave | None = None  #: the colleague's leave next month
    other_leave: Leave | None = None
    qualification_id: int = 0  #: the colleague's first-aid record
    other_qualification_id: int = 0


def token_for(membership: Membership, now: Any, scope: str = "write", days: int = 30) -> str:
    return tokens.create_token(membership.organisation, membership, f"{scope} test", scope, days, now).token


@pytest.fixture()
def world(db, clock) -> World:
    now = clock.now
    today = date(2026, 11, 30)
    org = make_org("tackley", "Tackley Village Shop")
    coordinator = make_member(org, "cora@tackley.example", role="coordinator", name="Cora Ordinator")
    volunteer = make_member(org, "ann@example.org", name="Ann Archer", pledge=None)
    colleague = make_member(org, "bob@example.org", name="Bob Baker", pledge=None)
    role, site = make_role(org), make_site(org)
    shift = make_shift(org, role, site, today + timedelta(days=4), needed=2)
    later = make_shift(org, role, site, today + timedelta(days=11), needed=1)
    placed = make_shift(org, role, site, today + timedelta(days=7), needed=2)
    for s in (shift, later, placed):
        s.published_at = now - timedelta(days=1)
    place = put_on(placed, volunteer)
    other = make_org("gateshead", "Sure Start Gateshead")
    other_coordinator = make_member(other, "gail@gateshead.example", role="coordinator", name="Gail Gateshead")
    other_volunteer = make_member(other, "olly@gateshead.example", name="Olly Other")
    other_role, other_site = make_role(other, "Counsellor"), make_site(other, "Children's centre")
    other_shift = make_shift(other, other_role, other_site, today + timedelta(days=4), needed=2)
    other_shift.published_at = now - timedelta(days=1)
    other_place = put_on(other_shift, other_volunteer)
    warnings = [LoadWarning(organisation_id=m.organisation_id, membership_id=m.id, rule="weekly_load",
                            episode_key="weekly_load:1", severity="warning", status="open",
                            window_start=now - timedelta(days=7), window_end=now, value=16, threshold=15,
                            message="16 h of load in 7 days", evidence={}) for m in (colleague, other_volunteer)]
    db.session.add_all(warnings)
    db.session.flush()
    entries = [contributions.log_hours(m.organisation, m, today - timedelta(days=2), "2", None, None, now)
               for m in (colleague, other_volunteer)]
    swap_shift = make_shift(org, role, site, today + timedelta(days=9), needed=1)
    swap_shift.published_at = now - timedelta(days=1)
    offers = [swaps.offer_place(org, coordinator, put_on(swap_shift, coordinator).id, now),
              swaps.offer_place(other, other_volunteer, other_place.id, now)]
    world = World(org, coordinator, volunteer, colleague, shift, later, place, other, other_coordinator,
                  other_shift, other_place, *warnings, *entries, *offers, token_for(coordinator, now),
                  token_for(volunteer, now), token_for(volunteer, now, "read"), token_for(colleague, now),
                  token_for(other_coordinator, now))
    cases = []
    for place_org, supporter, actor in ((org, volunteer, coordinator), (other, other_volunteer, other_coordinator)):
        new = casework.NewCase(f"REF-{place_org.slug}", "Mia", today - timedelta(days=20), "Ward 3", None, None,
                               None, None, supporter.id)
        cases.append(casework.register(place_org, new, now=now, actor=actor))
    world.case, world.other_case = cases
    world.leave, world.other_leave = (leaves.add_leave(m.organisation, m, today + timedelta(days=40),
                                                       today + timedelta(days=42), None, today)
                                      for m in (colleague, other_volunteer))
    for m in (colleague, other_volunteer):
        first_aid = people.qualification_named(m.organisation, "First aid")
        assert first_aid is not None
        people.set_qualification(m.organisation, m, first_aid, today + timedelta(days=300))
        if m is colleague:
            world.qualification_id = first_aid.id
        else:
            world.other_qualification_id = first_aid.id
    db.session.commit()
    return world


class Caller:
    """Calls the API with a bearer token (or none)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def __call__(self, method: str, path: str, token: str | None = None, **kw: Any) -> TestResponse:
        headers = dict(kw.pop("headers", {}))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(path, method=method, headers=headers, **kw)


@pytest.fixture()
def call(client: FlaskClient) -> Caller:
    return Caller(client)


def assert_problem(response: TestResponse, status: int) -> dict[str, Any]:
    """Assert an RFC 9457 problem with this status; return its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    code = body["type"].rsplit("#problem-", 1)[-1]
    assert code in PROBLEM_TYPES or status == 405, f"{code}: describe it in api.errors.PROBLEM_TYPES (the docs)"
    return body
