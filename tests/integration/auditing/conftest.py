"""Fixtures for the audit trail tests: Tackley with an admin, a coordinator and a volunteer; Gateshead beside it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import select

from tests.factories import make_member, make_org, make_role, make_site
from volunteers.core.models import AuditLogEntry, Organisation
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.rota.models import Role, Site


@dataclass
class Trail:
    org: Organisation
    admin: Membership
    coordinator: Membership
    volunteer: Membership
    other: Organisation
    other_admin: Membership


@pytest.fixture()
def trail(db, clock) -> Trail:
    org = make_org("tackley", "Tackley Village Shop")
    admin = make_member(org, "ada@tackley.example", role="admin", name="Ada Admin")
    coordinator = make_member(org, "cora@tackley.example", role="coordinator", name="Cora Ordinator")
    volunteer = make_member(org, "ann@example.org", name="Ann Archer")
    other = make_org("gateshead", "Sure Start Gateshead")
    other_admin = make_member(other, "gail@gateshead.example", role="admin", name="Gail Gateshead")
    db.session.commit()
    return Trail(org, admin, coordinator, volunteer, other, other_admin)


def entries(org: Organisation, prefix: str = "") -> list[AuditLogEntry]:
    """The organisation's entries (those whose action starts with ``prefix``), oldest first."""
    _db.session.expire_all()
    return list(_db.session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.organisation_id == org.id, AuditLogEntry.action.startswith(prefix))
        .order_by(AuditLogEntry.id)))


def only(org: Organisation, action: str) -> AuditLogEntry:
    """The one entry with this action (fails when there is none or several)."""
    found = [e for e in entries(org) if e.action == action]
    assert len(found) == 1, f"{action}: {[e.action for e in entries(org)]}"
    return found[0]


def expect(org: Organisation, action: str, actor: Membership | None, target_type: str, target_id: int | None,
           now: datetime) -> AuditLogEntry:
    """The one entry with ``action``, checked: who, which record, which organisation, when (the test's now)."""
    entry = only(org, action)
    assert entry.organisation_id == org.id
    assert entry.actor_person_id == (actor.person_id if actor is not None else None), action
    assert (entry.target_type, entry.target_id) == (target_type, target_id), action
    assert entry.created_at == now, action
    return entry


@dataclass
class Desk:
    """Tackley's rota desk: the trail's people, a role and a site, the coordinator signed in."""

    t: Trail
    role: Role
    site: Site

    @property
    def org(self) -> Organisation:
        return self.t.org


@pytest.fixture()
def desk(trail, client, auth) -> Desk:
    role, site = make_role(trail.org, "Shop counter"), make_site(trail.org, "Village hall shop")
    _db.session.commit()
    auth.login("cora@tackley.example")
    return Desk(trail, role, site)
