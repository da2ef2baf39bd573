"""Fixtures for the crafted-input probes: the organisation they probe (a coordinator, a volunteer, a role, a site)."""
from __future__ import annotations

import pytest

from tests.factories import make_member, make_org, make_role, make_site
from volunteers.core.models import Organisation


@pytest.fixture()
def org(db) -> Organisation:
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@tackley.example", role="coordinator", name="Cora Ordinator")
    make_member(org, "ann@example.org", name="Ann Archer")
    make_role(org, "Shop counter")
    make_site(org, "Village hall shop")
    db.session.commit()
    return org
