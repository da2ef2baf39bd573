"""Fixtures for the rota tests: an organisation with a role, a site and people."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories import make_member, make_org, make_role, make_site
from volunteers.core.models import Organisation
from volunteers.people.models import Membership
from volunteers.rota.models import Role, Site


@dataclass
class RotaOrg:
    org: Organisation
    role: Role
    site: Site
    coordinator: Membership
    ann: Membership
    bob: Membership
    cat: Membership


@pytest.fixture()
def rota(db) -> RotaOrg:
    org = make_org("tackley", "Tackley Village Shop")
    role, site = make_role(org), make_site(org)
    coordinator = make_member(org, "coordinator@tackley.example", role="coordinator", name="Cora Ordinator")
    ann = make_member(org, "ann@example.org", name="Ann Archer", pledge=4)
    bob = make_member(org, "bob@example.org", name="Bob Baker", pledge=4)
    cat = make_member(org, "cat@example.org", name="Cat Carter", pledge=None)
    db.session.commit()
    return RotaOrg(org, role, site, coordinator, ann, bob, cat)
