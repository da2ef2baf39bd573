"""Fixtures for the audit trail tests: Tackley with an admin, a coordinator and a volunteer; Gateshead beside it."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.factories import make_member, make_org
from volunteers.core.models import AuditLogEntry, Organisation
from volunteers.extensions import db as _db
from volunteers.people.models import Membership


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
