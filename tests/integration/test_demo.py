"""The demo organisations: who is in them, a worked quarter, next month's rota with gaps."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, select

from tests.demo_db import demo_app
from volunteers.contributions.models import Contribution
from volunteers.core.models import Organisation
from volunteers.demo.cli import database_is_empty
from volunteers.demo.data import load_demo
from volunteers.extensions import db as _db
from volunteers.people.models import Membership, Person, PersonQualification, Qualification
from volunteers.people.passwords import check_password
from volunteers.people.services import create_organisation
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift, ShiftSeries

#: a Monday at noon; the quarter before it and December make up the demo
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
LOGINS = ("coordinator@tackley.example", "volunteer@tackley.example", "coordinator@surestart.example",
          "counsellor@surestart.example", "admin@volunteers.example")


@pytest.fixture(scope="module")
def loaded() -> Iterator[tuple[SQLAlchemy, dict]]:
    """The demo loaded once for the read-only tests below, in a database of their own.

    Loading takes a second or two, so the tests share one load; an app of
    their own (in-memory SQLite) keeps it apart from the per-test database
    that the other tests here empty and refill.
    """
    with demo_app(NOW) as (_, summary):
        yield _db, summary


def _org(db, slug: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def _member(db, org: Organisation, email: str) -> Membership:
    return db.session.scalar(
        select(Membership).join(Person).where(Membership.organisation_id == org.id, Person.email == email))


def _table_counts(db) -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Organisation, Person, Membership, Shift, Assignment, Contribution)}


def _hours_worked(db, membership: Membership, since: datetime, until: datetime) -> float:
    shifts = db.session.scalars(
        select(Shift).join(Assignment, Assignment.shift_id == Shift.id).where(
            Assignment.membership_id == membership.id, Assignment.status == "attended",
            Shift.starts_at >= since, Shift.starts_at < until)).all()
    return sum(s.hours for s in shifts)


def test_demo_has_both_organisations_with_fifty_members_each(loaded) -> None:
    db, demo = loaded
    tackley, surestart = _org(db, "tackley"), _org(db, "surestart")
    assert (tackley.name, tackley.timezone, tackley.coproduction_mode) == (
        "Tackley Village Shop", "Europe/London", "community_delivery_coplanned")
    assert (surestart.timezone, surestart.coproduction_mode) == ("Europe/London", "user_codelivery_professional_design")
    for org in (tackley, surestart):
        count = db.session.scalar(select(func.count()).select_from(Membership).where(
            Membership.organisation_id == org.id, Membership.status == "active"))
        assert count >= 50
    emails = db.session.scalars(select(Person.email).join(Membership).where(
        Membership.organisation_id == tackley.id)).all()
    assert sum(e.endswith("@tackley.example") for e in emails) >= 50


def test_demo_logins_accept_the_demo_password_and_one_person_is_in_both(loaded) -> None:
    db, demo = loaded
    for email in LOGINS:
        person = db.session.scalar(select(Person).where(Person.email == email))
        assert check_password(person.password_hash, "demo"), email
    roles = {(m.organisation.slug, m.person.email): m.role for m in db.session.scalars(select(Membership))}
    assert roles[("tackley", "coordinator@tackley.example")] == "coordinator"
    assert roles[("surestart", "coordinator@surestart.example")] == "coordinator"
    assert roles[("tackley", "admin@volunteers.example")] == roles[("surestart", "admin@volunteers.example")] == "admin"
    assert ("surestart", "volunteer@tackley.example") not in roles
    assert {("tackley", "jo.lambert@tackley.example"), ("surestart", "jo.lambert@tackley.example")} <= set(roles)
    # only a handful are invited; hashing passwords for everyone would make the demo slow
    assert db.session.scalar(select(func.count()).select_from(Person).where(Person.password_hash.is_(None))) > 90


def test_filled_equals_active_assignments_and_never_exceeds_needed(loaded) -> None:
    db, demo = loaded
    active = Counter(db.session.scalars(
        select(Assignment.shift_id).where(Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))).all())
    shifts = db.session.scalars(select(Shift)).all()
    assert len(shifts) > 1000
    for shift in shifts:
        assert shift.filled == active[shift.id] <= shift.needed
        assert shift.series_id is not None and shift.ends_at > shift.starts_at
    series = {s.id: s for s in db.session.scalars(select(ShiftSeries))}
    for shift in shifts[:200]:
        local = shift.starts_at.astimezone(ZoneInfo("Europe/London"))
        assert (local.date(), local.time()) == (shift.local_date, series[shift.series_id].start_time)


def test_next_month_has_gaps_and_history_is_mostly_attended(loaded) -> None:
    db, demo = loaded
    december = db.session.scalars(select(Shift).where(Shift.local_date >= datetime(2026, 12, 1).date())).all()
    assert december and max(s.local_date for s in december).isoformat() == "2026-12-31"
    for slug in ("tackley", "surestart"):
        org = _org(db, slug)
        mine = [s for s in december if s.organisation_id == org.id]
        open_places = sum(s.needed - s.filled for s in mine)
        assert 0.05 * sum(s.needed for s in mine) < open_places < 0.4 * sum(s.needed for s in mine)
    past = db.session.execute(
        select(Assignment.status, func.count()).join(Shift, Shift.id == Assignment.shift_id)
        .where(Shift.ends_at <= NOW).group_by(Assignment.status)).all()
    statuses = dict(past)
    assert set(statuses) == {"attended", "no_show"}
    assert statuses["attended"] > 20 * statuses["no_show"] > 0
    places = db.session.execute(
        select(func.sum(Shift.needed), func.sum(Shift.filled)).where(Shift.ends_at <= NOW)
    ).one()
    assert places[1] > 0.9 * places[0]
    assert db.session.scalar(select(func.min(Shift.local_date))) <= (NOW - timedelta(weeks=13)).date()


def test_every_attended_assignment_has_one_approved_contribution_of_its_real_length(loaded) -> None:
    db, demo = loaded
    attended = db.session.execute(
        select(Assignment, Shift).join(Shift, Shift.id == Assignment.shift_id).where(Assignment.status == "attended")
    ).all()
    entries = defaultdict(list)
    for entry in db.session.scalars(select(Contribution).where(Contribution.assignment_id.is_not(None))):
        entries[entry.assignment_id].append(entry)
    assert len(entries) == len(attended) > 1000
    for assignment, shift in attended:
        (entry,) = entries[assignment.id]
        assert (entry.kind, entry.stage, entry.status, entry.contributor_type) == (
            "time", "delivery", "approved", "volunteer")
        assert entry.hours == Decimal(str(round(shift.hours, 2))).quantize(Decimal("0.01"))
        assert (entry.occurred_at, entry.occurred_on) == (shift.starts_at, shift.local_date)
        assert (entry.membership_id, entry.role_id, entry.site_id) == (
            assignment.membership_id, shift.role_id, shift.site_id)
    others = db.session.scalars(select(Contribution).where(Contribution.assignment_id.is_(None))).all()
    kinds = {(c.kind, c.stage, c.status) for c in others}
    assert {("in_kind", "delivery", "approved"), ("money", "commissioning", "approved"),
            ("time", "delivery", "pending"), ("time", "management", "approved"),
            ("time", "planning", "approved")} <= kinds
    assert any(c.contributor_name == "Tackley WI" and c.amount > 0 for c in others)


def test_key_drivers_work_more_than_twice_their_pledge(loaded) -> None:
    db, demo = loaded
    drivers = [(slug, email) for slug, org in demo["organisations"].items() for email in org["key_drivers"]]
    assert ("tackley", "margaret.hartley@tackley.example") in drivers and len(drivers) >= 3
    for slug, email in drivers:
        member = _member(db, _org(db, slug), email)
        hours = _hours_worked(db, member, NOW - timedelta(days=28), NOW)
        assert hours > 2 * 4 * float(member.pledged_hours_per_week), email
    night = _member(db, _org(db, "surestart"), demo["organisations"]["surestart"]["night_heavy"][0])
    fortnight = db.session.scalars(select(Shift).join(Assignment, Assignment.shift_id == Shift.id).where(
        Assignment.membership_id == night.id, Shift.starts_at >= NOW - timedelta(days=14), Shift.starts_at < NOW)).all()
    nights = [s.local_date for s in fortnight if s.hours >= 7 and s.role.on_call]
    assert len(nights) >= 6
    assert any((b - a).days == 1 for a, b in pairwise(sorted(nights)))


def test_demo_logins_have_upcoming_shifts(loaded) -> None:
    db, demo = loaded
    for slug, email in (("tackley", "volunteer@tackley.example"), ("surestart", "counsellor@surestart.example")):
        member = _member(db, _org(db, slug), email)
        assert member.pledged_hours_per_week
        starts = sorted(db.session.scalars(select(Shift.starts_at).join(Assignment, Assignment.shift_id == Shift.id)
                                           .where(Assignment.membership_id == member.id, Shift.starts_at > NOW,
                                                  Assignment.status.in_(("assigned", "confirmed")))))
        assert starts[0] < NOW + timedelta(hours=48) and len(starts) >= 4, email


def test_qualifications_expire_soon_or_have_lapsed_and_supervision_is_overdue(loaded) -> None:
    db, demo = loaded
    today = NOW.date()
    for slug, name in (("tackley", "Post Office training"), ("surestart", "Peer counsellor course")):
        org = _org(db, slug)
        expiries = db.session.scalars(select(PersonQualification.expires_on).join(
            Qualification, Qualification.id == PersonQualification.qualification_id).where(
            PersonQualification.organisation_id == org.id, Qualification.name == name)).all()
        assert sum(today <= e <= today + timedelta(days=60) for e in expiries) >= 2
        assert sum(e < today for e in expiries) == 1
    supervised = db.session.scalars(select(Membership.last_supervised_on).where(
        Membership.organisation_id == _org(db, "surestart").id, Membership.last_supervised_on.is_not(None))).all()
    overdue = [d for d in supervised if (today - d).days > 61]
    assert 2 <= len(overdue) <= 5 and len(supervised) > 40


def test_demo_command_loads_once_and_then_changes_nothing(runner, db) -> None:
    assert database_is_empty()
    first = runner.invoke(args=["demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    for email in LOGINS:
        assert email in first.output
    assert "password: demo" in first.output and not database_is_empty()
    # the command judges everyone's load at once, so /warnings shows the key drivers straight away
    from volunteers.wellbeing.models import LoadWarning

    warned = set(db.session.scalars(
        select(Person.email).join(Membership, Membership.person_id == Person.id)
        .join(LoadWarning, LoadWarning.membership_id == Membership.id).where(LoadWarning.status == "open")))
    assert {"margaret.hartley@tackley.example", "leanne.dodds@surestart.example"} <= warned
    assert "volunteer@tackley.example" not in warned
    before = _table_counts(db)
    for args in (["demo"], ["demo", "--if-empty"]):
        again = runner.invoke(args=args)
        assert again.exit_code == 0, again.output
        assert "already" in again.output
    assert _table_counts(db) == before


def test_demo_if_empty_leaves_a_database_with_other_organisations_alone(runner, db) -> None:
    create_organisation("oxfordshire-cva", "Oxfordshire CVA")
    db.session.commit()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "not loaded" in result.output
    assert _table_counts(db)["organisations"] == 1


@pytest.mark.parametrize("now", [
    datetime(2026, 10, 24, 20, 30, tzinfo=UTC),  # Saturday evening before the clocks go back
    datetime(2027, 3, 31, 23, 30, tzinfo=UTC),  # 00:30 on 1 April in London, still March in UTC
])
def test_demo_loads_at_any_moment_with_consistent_shifts(db, now: datetime) -> None:
    summary = load_demo(now)
    db.session.flush()
    for org in summary["organisations"].values():
        assert org["next_month_open_places"] > 0 and org["history_places_filled"] > 0.9 * org["history_places"]
    over = db.session.scalar(select(func.count()).select_from(Shift).where(Shift.filled > Shift.needed))
    assert over == 0
    member = _member(db, _org(db, "tackley"), "volunteer@tackley.example")
    soon = db.session.scalar(select(func.count()).select_from(Assignment).join(Shift, Shift.id == Assignment.shift_id)
                             .where(Assignment.membership_id == member.id, Shift.starts_at > now,
                                    Shift.starts_at < now + timedelta(hours=48)))
    assert soon >= 1
