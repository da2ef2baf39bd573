"""Issue 13's shortcuts give the same answers as the plain rule on the demo data.

The shift panel judges the schedule *without* the new shift only under the rules
that found something behind it, reads a role loaded with its shift instead of
again, and loads everyone's qualifications, availability, leave and duties
through the members' own statement as a subquery instead of a list of ids.
Each is checked here against the plain way, for every active member of both
demo organisations and their next open shifts.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import inspect, select
from sqlalchemy.orm import joinedload

from tests.demo_db import demo_app
from volunteers.core.models import Organisation
from volunteers.core.timeutil import zone
from volunteers.extensions import db as _db
from volunteers.people.models import Membership, Person
from volunteers.rota.candidates import _loaded, load_candidates, open_shifts_for
from volunteers.rota.domain.eligibility import check
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Role, Shift, ShiftOffer
from volunteers.rota.queries import my_places
from volunteers.selfservice import swaps
from volunteers.selfservice.me_pages import PAST_DAYS
from volunteers.selfservice.services import LIVE
from volunteers.wellbeing import ShiftSpan, evaluate_volunteer
from volunteers.wellbeing.domain.rules import STANDING
from volunteers.wellbeing.load_sources import extra_load
from volunteers.wellbeing.notes import load_notes
from volunteers.wellbeing.prospective import AHEAD_AFTER, HISTORY_BEFORE, _worst_first, newly_raised
from volunteers.wellbeing.queries import hours_by_role
from volunteers.wellbeing.schedules import (
    JUDGED_MEMBERSHIPS,
    NOT_LIVE,
    iter_places,
    org_policy,
    org_zone,
    policy_for,
    schedule_of,
)
from volunteers.wellbeing.services import prospective_warnings_for

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the demo's Monday (tests/integration/test_demo.py)
SLUGS = ("tackley", "surestart")


@pytest.fixture(scope="module")
def demo() -> Iterator[SQLAlchemy]:
    """The demo loaded once, in an in-memory database of its own (as test_demo.py does)."""
    with demo_app(NOW):
        yield _db


def _org(db: SQLAlchemy, slug: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def _members(db: SQLAlchemy, org: Organisation) -> list[Membership]:
    return list(db.session.scalars(select(Membership).where(Membership.organisation_id == org.id,
                                                            Membership.status == "active")
                                   .order_by(Membership.id)))


def _open_shifts(db: SQLAlchemy, org: Organisation, n: int) -> list[Shift]:
    return list(db.session.scalars(select(Shift).where(Shift.organisation_id == org.id, Shift.status == "planned",
                                                       Shift.starts_at > NOW, Shift.filled < Shift.needed)
                                   .order_by(Shift.starts_at, Shift.id).limit(n)))


def _plain(org: Organisation, membership: Membership, shift: Shift) -> list[tuple]:
    """The rule of prospective.py without its shortcuts: both schedules judged under every rule."""
    span = ShiftSpan(shift.starts_at, shift.ends_at, shift.role.name, float(shift.role.intensity),
                     bool(shift.role.on_call), ref=f"shift:{shift.id}")
    since, until = span.start - HISTORY_BEFORE, span.end + AHEAD_AFTER
    held = [row.span() for row in iter_places(org, [membership.id], since, until) if row.shift_id != shift.id]
    extra = extra_load(org, [membership.id], since, until).get(membership.id)
    tz, policy = org_zone(org), policy_for(org, membership, base=org_policy(org))
    after = evaluate_volunteer(schedule_of(membership, [*held, span], extra=extra), NOW, tz, policy)
    before = evaluate_volunteer(schedule_of(membership, held, extra=extra), NOW, tz, policy)
    standing = [w for w in after if w.rule in STANDING]
    raised = _worst_first([*newly_raised(before, after, {span.ref}), *standing]) \
        if any(span.ref in w.shift_refs for w in after) else standing
    return [_key(w) for w in raised]


def _key(warning) -> tuple:
    return (warning.rule, warning.severity, warning.episode_key, round(warning.value, 4), warning.shift_refs,
            warning.message)


@pytest.mark.parametrize("slug", SLUGS)
def test_would_be_warnings_are_those_of_the_plain_rule_for_every_member(demo, slug) -> None:
    org = _org(demo, slug)
    members = _members(demo, org)
    shifts = _open_shifts(demo, org, 6)
    assert members and shifts
    raised = 0
    for shift in shifts:
        demo.session.refresh(shift)  # the role loaded with the shift, as the panel has it
        assert shift.role is not None
        found = prospective_warnings_for(org, members, [shift], NOW)
        for membership in members:
            assert [_key(w) for w in found[membership.id]] == _plain(org, membership, shift), membership.id
            raised += len(found[membership.id])
    assert raised  # the demo's shifts do raise warnings for some: the comparison is not of empty lists


@pytest.mark.parametrize("slug", SLUGS)
def test_everyones_candidates_are_those_read_by_their_ids(demo, slug) -> None:
    org = _org(demo, slug)
    ids = [m.id for m in _members(demo, org)]
    for shift in _open_shifts(demo, org, 4):
        start, end = shift.starts_at - timedelta(days=3), shift.ends_at + timedelta(days=30)
        everyone = load_candidates(org, None, start, end)
        assert everyone == load_candidates(org, ids, start, end)
        assert any(c.qualifications for c in everyone.values()) and any(c.busy for c in everyone.values())
        mapped: dict[str, list[tuple]] = {}  # the duties as the mapped columns (UTCDateTime) give them
        for member_id, starts_at, ends_at in demo.session.execute(
                select(Assignment.membership_id, Shift.starts_at, Shift.ends_at)
                .join(Shift, Shift.id == Assignment.shift_id)
                .where(Assignment.organisation_id == org.id, Assignment.membership_id.in_(ids),
                       Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES), Shift.status == "planned",
                       Shift.starts_at < end + timedelta(days=1), Shift.ends_at > start - timedelta(days=1))
                .order_by(Shift.starts_at)):
            mapped.setdefault(str(member_id), []).append((starts_at, ends_at))
        for candidate in everyone.values():
            assert list(candidate.busy) == mapped.get(candidate.id, [])
            assert all(t.tzinfo is UTC for pair in candidate.busy for t in pair)


def test_a_loaded_relationship_is_told_as_sqlalchemys_unloaded_set_tells_it(demo) -> None:
    org = _org(demo, "tackley")

    def same(record: object, attribute: str) -> bool:
        return _loaded(record, attribute) == (attribute not in inspect(record).unloaded)

    demo.session.expunge_all()
    plain = _open_shifts(demo, org, 3)  # nothing loaded with them
    assert all(same(s, a) for s in plain for a in ("role", "site", "needed"))
    assert not any(_loaded(s, "site") for s in plain)
    ids = [s.id for s in plain]
    demo.session.expunge_all()
    joined = list(demo.session.scalars(select(Shift).where(Shift.id.in_(ids))
                                       .options(joinedload(Shift.role).selectinload(Role.required_qualifications),
                                                joinedload(Shift.site))).unique())
    joined[0].needed += 1  # modified: in committed_state too
    assert all(same(s, a) for s in joined for a in ("role", "site", "needed"))
    assert all(same(s.role, "required_qualifications") and _loaded(s, "role") for s in joined)
    demo.session.rollback()


@pytest.mark.parametrize("slug", SLUGS)
def test_hours_by_role_read_raw_are_those_of_the_mapped_instants(demo, slug) -> None:
    """The report's and /warnings' hours per role and person: the same floats as summed from UTCDateTime values."""
    org = _org(demo, slug)
    lo, hi = NOW - timedelta(days=90), NOW + timedelta(days=30)
    rows = demo.session.execute(
        select(Assignment.membership_id, Role.name, Shift.starts_at, Shift.ends_at)
        .join(Shift, Shift.id == Assignment.shift_id).join(Role, Role.id == Shift.role_id)
        .join(Membership, Membership.id == Assignment.membership_id)
        .where(Assignment.organisation_id == org.id, Assignment.status.not_in(NOT_LIVE),
               Shift.status != "cancelled", Membership.status.in_(JUDGED_MEMBERSHIPS),
               Shift.starts_at >= lo, Shift.starts_at < hi)
        .order_by(Assignment.membership_id, Shift.starts_at, Assignment.id))
    expected: dict[str, dict[str, float]] = {}
    for member_id, role, starts_at, ends_at in rows:
        assert starts_at.tzinfo is not None
        people = expected.setdefault(role, {})
        people[str(member_id)] = people.get(str(member_id), 0.0) + (ends_at - starts_at).total_seconds() / 3600
    assert expected and hours_by_role(org, lo, hi, JUDGED_MEMBERSHIPS) == expected


def _plain_offers(memberships: list[Membership]) -> list[tuple[int, int]]:
    """(offer id, membership id) of the offers each could take, read as before issue 13: the full load, always."""
    found = []
    for membership in memberships:
        if membership.status != "active":
            continue
        org = membership.organisation
        offers = _db.session.scalars(
            select(ShiftOffer).where(ShiftOffer.organisation_id == org.id)
            .join(Shift, (Shift.id == ShiftOffer.shift_id) & (Shift.organisation_id == ShiftOffer.organisation_id))
            .join(Assignment, (Assignment.id == ShiftOffer.assignment_id)
                  & (Assignment.organisation_id == ShiftOffer.organisation_id))
            .where(ShiftOffer.kind.in_(("swap", "cancel_request")), ShiftOffer.status == "open",
                   Shift.starts_at > NOW, Shift.status == "planned", Assignment.status.in_(LIVE),
                   Assignment.membership_id != membership.id,
                   (ShiftOffer.offered_to_membership_id.is_(None))
                   | (ShiftOffer.offered_to_membership_id == membership.id))
            .options(joinedload(ShiftOffer.shift).joinedload(Shift.role).joinedload(Role.required_qualifications))
            .order_by(Shift.starts_at, ShiftOffer.id)).unique().all()
        if not offers:
            continue
        shifts = {offer.shift.id: offer.shift for offer in offers if offer.shift is not None}
        candidate = load_candidates(org, [membership.id], NOW, max(s.ends_at for s in shifts.values())).get(
            membership.id)
        if candidate is None:
            continue
        values, tz = open_shifts_for(org, shifts.values()), zone(org.timezone)
        for offer in offers:
            value = values[offer.shift_id or 0]
            if candidate.id not in value.assigned and not check(candidate, value, tz):
                found.append((offer.id, membership.id))
    return found


def test_the_offers_open_to_each_person_are_those_of_the_full_load(demo) -> None:
    """/me/shifts asks first whether any offer is open to them (most views: none) before loading them in full."""
    people = list(demo.session.scalars(select(Person).order_by(Person.id)))

    def everyones() -> list[list[tuple[int, int]]]:
        answers = []
        for person in people:
            memberships = list(demo.session.scalars(select(Membership).where(Membership.person_id == person.id)
                                                    .order_by(Membership.id)))
            fast = [(offer.id, m.id) for offer, m in swaps.offers_open_to(memberships, NOW)]
            assert fast == _plain_offers(memberships), person.email
            answers.append(fast)
        return answers

    assert not any(everyones())  # the demo as loaded: nobody has an offer open to them
    try:
        for slug in SLUGS:
            org = _org(demo, slug)
            members = {m.id: m for m in _members(demo, org)}
            places = demo.session.execute(
                select(Assignment.id, Assignment.membership_id).join(Shift, Shift.id == Assignment.shift_id)
                .where(Assignment.organisation_id == org.id, Assignment.status == "assigned",
                       Assignment.membership_id.in_(members), Shift.starts_at > NOW + timedelta(days=1))
                .order_by(Shift.starts_at, Assignment.id).limit(12)).all()
            for k, (place_id, member_id) in enumerate(places):
                colleague = next((m for m in members if m != member_id), None) if k % 3 == 1 else None
                swaps.offer_place(org, members[member_id], place_id, NOW, to_membership_id=colleague)
        demo.session.flush()
        answers = everyones()
        assert sum(map(len, answers)) > len(people)  # offers open to many, by name and to anyone
    finally:
        demo.session.rollback()


def test_the_load_notes_from_my_places_are_those_of_their_own_week_query(demo) -> None:
    """/me/shifts sums the week's hours from the places it read (my_places) instead of reading the week again."""
    said = 0
    for person in demo.session.scalars(select(Person).order_by(Person.id)):
        memberships = list(demo.session.scalars(select(Membership).where(Membership.person_id == person.id)
                                                .order_by(Membership.id)))
        active = [(m.organisation, m) for m in memberships if m.status == "active"]
        for days in range(-1, 9):  # the demo's week from the Sunday before to the Tuesday after
            now = NOW + timedelta(days=days, hours=-5)
            places = my_places(person.id, since=now - timedelta(days=PAST_DAYS))
            notes = load_notes(active, now, places)
            assert notes == load_notes(active, now), (person.email, now)
            said += sum(1 for note in notes.values() if note and "this week" in note)
    assert said  # someone has given well beyond their pledge in some week: the hours are compared, not just nothing
