"""Prospective warnings judged around the new shifts (domain.prospect) are those of judging both schedules whole.

The candidate list judges every candidate's schedule with and without the
shift offered; since issue 13 each is judged only around the new shifts
(:class:`volunteers.wellbeing.domain.model.Focus`). Here the plain rule,
both schedules judged whole under every rule by ``evaluate_volunteer``, is
compared with it for every member of both demo organisations and many
shifts, singly and in pairs, at three moments: the demo's Monday, and the
weeks the clocks go back and forward in Europe/London. Some members are
given personal limits (one of them per role) so the role-limited grading
is compared too; the demo's counsellors carry caseloads.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tests.demo_db import demo_app
from volunteers.core.models import Organisation
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.rota.models import Role, Shift
from volunteers.wellbeing import RULES, LoadWarning, evaluate_volunteer
from volunteers.wellbeing.domain.model import Focus
from volunteers.wellbeing.domain.prospect import judge_added, with_added
from volunteers.wellbeing.domain.rules import STANDING
from volunteers.wellbeing.load_sources import extra_load
from volunteers.wellbeing.prospective import (
    AHEAD_AFTER,
    HISTORY_BEFORE,
    _spans,
    _worst_first,
    newly_raised,
    prospective_warnings_for,
)
from volunteers.wellbeing.schedules import iter_places, org_policy, org_zone, policy_for, schedule_of

MOMENTS = (
    datetime(2026, 11, 30, 12, 0, tzinfo=UTC),  # the demo's Monday (tests/integration/test_demo.py)
    datetime(2026, 10, 21, 9, 0, tzinfo=UTC),  # the Wednesday before the clocks go back (25 Oct)
    datetime(2027, 3, 24, 9, 0, tzinfo=UTC),  # the Wednesday before they go forward (28 Mar)
)
SLUGS = ("tackley", "surestart")
LIMITS = ({"weekly_load": {"warning": 9.0}, "load_spike": {"notice": 1.2}, "long_duty": {"warning": 3.0}},
          {"over_pledge": {"notice": 1.0, "min_excess_hours": 0.5}, "consecutive_days": {"warning": 3}})


@pytest.fixture(scope="module", params=MOMENTS, ids=["monday", "clocks-back", "clocks-forward"])
def demo(request: pytest.FixtureRequest) -> Iterator[tuple[SQLAlchemy, datetime]]:
    """The demo loaded at one moment, in an in-memory database of its own (as test_demo.py does)."""
    with demo_app(request.param):
        yield _db, request.param


def _org(db: SQLAlchemy, slug: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def _members(db: SQLAlchemy, org: Organisation) -> list[Membership]:
    members = list(db.session.scalars(select(Membership).where(Membership.organisation_id == org.id,
                                                               Membership.status.in_(("active", "paused")))
                                      .order_by(Membership.id)))
    roles = sorted(db.session.scalars(select(Role.name).where(Role.organisation_id == org.id)))
    for k, membership in enumerate(members):  # personal limits for some: tighter levels, one of them per role
        if k % 4 == 1:
            membership.limits = LIMITS[0]
        elif k % 4 == 3:
            membership.limits = {**LIMITS[1], "roles": {roles[k % len(roles)]: {"weekly_load": {"warning": 6.0},
                                                                              "intense_hours": {"warning": 3.0}}}}
    return members


def _shifts(db: SQLAlchemy, org: Organisation, now: datetime) -> list[Shift]:
    """Planned shifts of the next five weeks (every tenth: the whole comparison costs ~4 ms a member and shift),
    and a few worked ones (supervision looks back)."""
    shifts = list(db.session.scalars(select(Shift).where(Shift.organisation_id == org.id, Shift.status != "cancelled")
                                     .options(joinedload(Shift.role)).order_by(Shift.starts_at, Shift.id)))
    ahead = [s for s in shifts if now < s.starts_at < now + AHEAD_AFTER][::10]
    behind = [s for s in shifts if s.starts_at < now][-6::3]
    return behind + ahead


def _plain(org: Organisation, members: list[Membership], shifts: list[Shift],
           now: datetime) -> dict[int, list[LoadWarning]]:
    """The rule of prospective.py without its shortcuts: both schedules judged whole under every rule."""
    spans = _spans(org, shifts)
    refs = {span.ref for span in spans}
    since, until = min(s.start for s in spans) - HISTORY_BEFORE, max(s.end for s in spans) + AHEAD_AFTER
    held: dict[int, list] = {m.id: [] for m in members}
    for row in iter_places(org, list(held), since, until):
        if f"shift:{row.shift_id}" not in refs:
            held[row.membership_id].append(row.span())
    extra = extra_load(org, list(held), since, until)
    tz, base = org_zone(org), org_policy(org)
    found = {}
    for membership in members:
        policy = policy_for(org, membership, base=base)
        mine = extra.get(membership.id)
        after = evaluate_volunteer(schedule_of(membership, [*held[membership.id], *spans], extra=mine), now, tz,
                                   policy)
        before = evaluate_volunteer(schedule_of(membership, held[membership.id], extra=mine), now, tz, policy)
        standing = [w for w in after if w.rule in STANDING]
        found[membership.id] = _worst_first([*newly_raised(before, after, refs), *standing])
    return found


def _full(warning: LoadWarning) -> tuple:
    """Everything a warning says, its details (left out of ==) included."""
    return warning, dict(warning.details)


@pytest.mark.parametrize("slug", SLUGS)
def test_prospective_warnings_are_those_of_judging_both_schedules_whole(demo, slug) -> None:
    db, now = demo
    org = _org(db, slug)
    members = _members(db, org)
    shifts = _shifts(db, org, now)
    assert members and len(shifts) > 10
    offers = [[shift] for shift in shifts] + [list(pair) for pair in zip(shifts[3::6], shifts[4::6], strict=False)]
    raised = 0
    try:
        for offer in offers:
            fast, plain = prospective_warnings_for(org, members, offer, now), _plain(org, members, offer, now)
            for membership in members:
                assert [_full(w) for w in fast[membership.id]] == [_full(w) for w in plain[membership.id]], (
                    membership.id, [s.id for s in offer])
                raised += len(fast[membership.id])
    finally:
        db.session.rollback()  # the limits given above
    assert raised > len(offers)  # warnings are raised: the comparison is not of empty lists


@pytest.mark.parametrize("slug", SLUGS)
def test_a_focus_keeps_exactly_what_it_asks_of_the_whole_judgement(demo, slug) -> None:
    """evaluate_volunteer with a focus is the whole judgement filtered, for shifts and for spans of time."""
    db, now = demo
    org = _org(db, slug)
    members = _members(db, org)
    tz, base = org_zone(org), org_policy(org)
    shifts = _shifts(db, org, now)[::2]
    since, until = min(s.starts_at for s in shifts) - HISTORY_BEFORE, max(s.ends_at for s in shifts) + AHEAD_AFTER
    held: dict[int, list] = {m.id: [] for m in members}
    for row in iter_places(org, list(held), since, until):
        held[row.membership_id].append(row.span())
    kept = 0
    try:
        for membership in members:
            policy = policy_for(org, membership, base=base)
            schedule = schedule_of(membership, held[membership.id])
            whole = evaluate_volunteer(schedule, now, tz, policy)
            for span in schedule.shifts[::3]:
                for focus in (Focus(refs=frozenset({span.label})),
                              Focus(spans=((span.start, span.end),), whole=STANDING)):
                    expected = [_full(w) for w in whole if focus.keeps(w)]
                    assert [_full(w) for w in evaluate_volunteer(schedule, now, tz, policy, focus=focus)] == expected
                    kept += len(expected)
            for warning in whole[::2]:
                focus = Focus(spans=((warning.episode_start, warning.episode_end),))
                assert [_full(w) for w in evaluate_volunteer(schedule, now, tz, policy, focus=focus)] == [
                    _full(w) for w in whole if focus.keeps(w)]
    finally:
        db.session.rollback()
    assert kept


def test_judge_added_is_the_whole_judgement_of_both_schedules_filtered(demo) -> None:
    db, now = demo
    org = _org(db, "tackley")
    members = _members(db, org)
    tz, base = org_zone(org), org_policy(org)
    offer = _shifts(db, org, now)[-6:-3]
    spans = _spans(org, offer)
    refs = frozenset(span.label for span in spans)
    since, until = min(s.start for s in spans) - HISTORY_BEFORE, max(s.end for s in spans) + AHEAD_AFTER
    held: dict[int, list] = {m.id: [] for m in members}
    for row in iter_places(org, list(held), since, until):
        if row.span().start not in {s.start for s in spans}:
            held[row.membership_id].append(row.span())
    try:
        for membership in members:
            policy = policy_for(org, membership, base=base)
            schedule = schedule_of(membership, held[membership.id])
            after, before = judge_added(schedule, spans, now, tz, policy)
            whole_after = evaluate_volunteer(with_added(schedule, spans), now, tz, policy)
            raised = [w for w in whole_after if not refs.isdisjoint(w.shift_refs)]
            assert [_full(w) for w in after] == [_full(w) for w in whole_after
                                                 if w.rule in STANDING or w in raised]
            behind = {w.rule for w in raised}
            whole_before = evaluate_volunteer(schedule, now, tz, policy, rules=[r for r in RULES if r in behind])
            assert [_full(w) for w in before] == ([_full(w) for w in whole_before] if raised else [])
    finally:
        db.session.rollback()
