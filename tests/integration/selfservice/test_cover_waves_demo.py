"""On the demo, a late cancellation asks at most five people, none of whom taking it would give a warning.

Before waves it e-mailed everyone eligible (42 people for a Tackley shop shift) and reached Margaret Hartley,
a key driver far over her pledge, whose acceptance was then refused.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select

from tests.demo_db import demo_app
from volunteers.core.models import Organisation
from volunteers.extensions import db as _db
from volunteers.people.models import Membership, Person
from volunteers.rota.cover_models import CoverAsk
from volunteers.rota.models import Assignment, Role, Shift
from volunteers.selfservice import cover_waves
from volunteers.selfservice.messages import eligible_members
from volunteers.selfservice.services import cancel
from volunteers.wellbeing import services as wellbeing

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo() -> Iterator[SQLAlchemy]:
    """The demo loaded once, in an in-memory database of its own."""
    with demo_app(NOW):
        yield _db


def _shop_shift_within_two_days(org: Organisation) -> tuple[Shift, Assignment]:
    """The next shop-counter shift held by someone, starting inside the 48-hour notice."""
    row = _db.session.execute(
        select(Shift, Assignment).join(Assignment, Assignment.shift_id == Shift.id).join(Role, Role.id == Shift.role_id)
        .where(Shift.organisation_id == org.id, Role.name == "Shop counter", Shift.starts_at > NOW + timedelta(hours=3),
               Shift.starts_at < NOW + timedelta(hours=48), Assignment.status.in_(("assigned", "confirmed")))
        .order_by(Shift.starts_at, Assignment.id).limit(1)).first()
    assert row is not None
    return row[0], row[1]


def test_a_late_cancellation_on_the_demo_asks_at_most_five_none_of_whom_it_would_warn(demo) -> None:
    org = demo.session.scalar(select(Organisation).where(Organisation.slug == "tackley"))
    shift, place = _shop_shift_within_two_days(org)
    giver = place.membership
    everyone = eligible_members(org, shift, exclude=[giver.id])
    assert len(everyone) > 5  # what the old call e-mailed
    outcome = cancel(org, giver, place.id, NOW)
    assert outcome.status == "requested" and 1 <= outcome.asked_to_cover <= 5
    asked = list(demo.session.scalars(select(Membership).join(CoverAsk, CoverAsk.membership_id == Membership.id)))
    assert len(asked) == outcome.asked_to_cover and giver not in asked
    warnings = wellbeing.prospective_warnings_for(org, asked, [shift], NOW)
    assert all(w.severity == "notice" for found in warnings.values() for w in found), warnings
    # a key driver the shift would warn (Margaret, far over her pledge) is never among them, in any wave
    margaret = demo.session.scalar(select(Membership).join(Person).where(
        Membership.organisation_id == org.id, Person.name == "Margaret Hartley"))
    assert margaret is not None and margaret in everyone and margaret not in asked
    assert {w.severity for w in wellbeing.prospective_warnings(org, margaret, [shift], NOW)} & {"warning", "critical"}
    for minutes in (30, 60, 90):
        cover_waves.send_due_waves(NOW + timedelta(minutes=minutes))
    later = list(demo.session.scalars(select(Membership).join(CoverAsk, CoverAsk.membership_id == Membership.id)))
    assert len(later) <= 20 and margaret not in later
    late_warnings = wellbeing.prospective_warnings_for(org, later, [shift], NOW)
    assert all(w.severity == "notice" for found in late_warnings.values() for w in found)
    demo.session.rollback()
