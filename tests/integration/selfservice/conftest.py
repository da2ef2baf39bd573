"""Fixtures for self-service tests: one organisation with roles, a coordinator and three volunteers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from tests.factories import make_member, make_org, make_role, make_site
from volunteers.core.models import Organisation
from volunteers.core.timeutil import local_date
from volunteers.extensions import db as _db
from volunteers.people import services as people
from volunteers.people.models import Membership
from volunteers.rota.models import Role, Shift, Site


@dataclass
class World:
    org: Organisation
    shop: Role
    post_office: Role
    hall: Site
    coordinator: Membership
    ann: Membership
    bob: Membership
    cat: Membership


def shift_at(org: Organisation, role: Role, site: Site, starts_at: datetime, hours: float = 4, needed: int = 2,
             published: bool = True) -> Shift:
    """A shift starting at an exact instant (published two months before it, so visible to volunteers)."""
    shift = Shift(
        organisation_id=org.id, role_id=role.id, site_id=site.id, starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours), local_date=local_date(starts_at, org.timezone),
        needed=needed, filled=0, status="planned",
        published_at=starts_at - timedelta(days=60) if published else None,
    )
    _db.session.add(shift)
    _db.session.flush()
    return shift


def make_world(slug: str = "tackley", prefix: str = "") -> World:
    org = make_org(slug)
    training = people.qualification_named(org, "Post Office training")
    assert training is not None
    shop = make_role(org, "Shop counter")
    post_office = make_role(org, "Post Office counter", requires=(training.id,))
    hall = make_site(org, "Village hall shop")
    coordinator = make_member(org, f"{prefix}coord@example.org", role="coordinator", name=f"{prefix}Helen")
    ann = make_member(org, f"{prefix}ann@example.org", name=f"{prefix}Ann")
    bob = make_member(org, f"{prefix}bob@example.org", name=f"{prefix}Bob")
    cat = make_member(org, f"{prefix}cat@example.org", name=f"{prefix}Cat")
    return World(org, shop, post_office, hall, coordinator, ann, bob, cat)


@pytest.fixture()
def world(db) -> World:
    made = make_world()
    db.session.commit()
    return made
