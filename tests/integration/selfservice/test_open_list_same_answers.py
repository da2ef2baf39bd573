"""/me/shifts/open's one-pass read gives the answers of the two reads it replaced, on the demo data (issue 13).

``open_list`` reads a page of open shifts and the full shifts of the same
stretch as rows, judged by one candidate per organisation. Here it is held,
for every active member of both demo organisations, filtered or not, paged
forward and back, to ``open_pages.open_page`` (the API's list) for the open
shifts and to the plain way of the full ones: every full shift as an entity,
judged through ``open_shifts_for`` with a candidate of its own.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tests.demo_db import demo_app
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import format_span, zone
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.rota.candidates import load_candidates, open_shifts_for
from volunteers.rota.domain.eligibility import check
from volunteers.rota.models import Role, Shift
from volunteers.selfservice import waiting_list
from volunteers.selfservice.domain import waiting_list as rules
from volunteers.selfservice.open_candidate import load_candidate
from volunteers.selfservice.open_list import open_list
from volunteers.selfservice.open_pages import Filters, Key, matches, open_page
from volunteers.selfservice.services import OPEN_SHIFT_DAYS
from volunteers.selfservice.waiting_list_models import WaitingListEntry
from volunteers.selfservice.waiting_list_pages import positions_of

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the demo's Monday (tests/integration/test_demo.py)


@pytest.fixture(scope="module")
def demo() -> Iterator[Flask]:
    """The demo loaded once, in an in-memory database of its own, with a request context for URLs."""
    with demo_app(NOW) as (app, _), app.test_request_context():
        yield app


def _plain_full(membership: Membership, since: datetime | None, until: datetime | None,
                filters: Filters) -> list[tuple]:
    """The full shifts of a stretch as the page read them before: entities, a candidate of their own."""
    org = membership.organisation
    end = NOW + timedelta(days=OPEN_SHIFT_DAYS)
    held = dict(_db.session.execute(
        scoped(WaitingListEntry, org, WaitingListEntry.shift_id, func.count())
        .where(WaitingListEntry.status == rules.OFFERED).group_by(WaitingListEntry.shift_id)).all())
    stretch = [Shift.starts_at >= since] if since is not None else []
    if until is not None:
        stretch.append(Shift.starts_at < until)
    shifts = [s for s in _db.session.scalars(
        scoped(Shift, org)
        .where(Shift.status == "planned", Shift.published_at.is_not(None), Shift.published_at <= NOW,
               Shift.starts_at > NOW, Shift.starts_at < end, *stretch,
               (Shift.filled >= Shift.needed) | Shift.id.in_(list(held)))
        .options(joinedload(Shift.role).joinedload(Role.required_qualifications), joinedload(Shift.site))
        .order_by(Shift.starts_at, Shift.id)).unique()
        if s.needed - s.filled - held.get(s.id, 0) <= 0 and matches(filters, s, org.timezone)]
    candidate = load_candidates(org, [membership.id], NOW, end).get(membership.id)
    if not shifts or candidate is None:
        return []
    mine = {e.shift_id: e for e in _db.session.scalars(scoped(WaitingListEntry, org).where(
        WaitingListEntry.membership_id == membership.id, WaitingListEntry.status.in_(rules.ON_LIST)))}
    positions = positions_of([(e.id, e.organisation_id, e.shift_id) for e in mine.values()]) if mine else {}
    by_id = {s.id: s for s in shifts}
    found = []
    for shift_id, value in open_shifts_for(org, shifts).items():
        if candidate.id in value.assigned or check(candidate, value, zone(org.timezone)):
            continue
        shift, entry = by_id[shift_id], mine.get(shift_id)
        found.append((shift.starts_at, shift.id, format_span(shift.starts_at, shift.ends_at, org.timezone),
                      shift.role.name, shift.site.name, org.name, entry.id if entry else None,
                      entry.status if entry else None, positions.get(entry.id) if entry else None))
    return found


def _same_page(memberships: list[Membership], filters: Filters, limit: int, after: Key | None = None,
               before: Key | None = None) -> tuple[Key | None, Key | None]:
    fast = open_list(memberships, NOW, after=after, before=before, filters=filters, limit=limit)
    plain = open_page(memberships, NOW, after=after, before=before, filters=filters, limit=limit)
    assert [(i.id, i.when, i.role, i.site, i.org, i.places_left) for i in fast.items] == [
        (i.shift.id, format_span(i.shift.starts_at, i.shift.ends_at, i.membership.organisation.timezone),
         i.shift.role.name, i.shift.site.name, i.membership.organisation.name, i.places_left) for i in plain.items]
    assert (fast.earlier, fast.later) == (plain.earlier, plain.later)
    assert all(i.action == f"/me/shifts/{i.id}/sign-up" for i in fast.items)
    full = sorted(row for m in memberships if m.status == "active"
                  for row in _plain_full(m, plain.since, plain.until, filters))
    assert [(r.starts_at, r.id, r.when, r.role, r.site, r.org, r.entry_id, r.entry_status, r.position)
            for r in fast.full] == full
    for row in fast.full:
        assert row.action == (f"/me/shifts/{row.id}/waiting-list" if row.entry_id is None
                              else f"/me/waiting-list/{row.entry_id}/leave")
    return fast.earlier, fast.later


def _active(slug: str | None = None) -> list[Membership]:
    stmt = select(Membership).where(Membership.status == "active").order_by(Membership.id)
    if slug is not None:
        stmt = stmt.join(Organisation, Organisation.id == Membership.organisation_id).where(Organisation.slug == slug)
    return list(_db.session.scalars(stmt))


@pytest.mark.parametrize("slug", ("tackley", "surestart"))
def test_every_members_first_page_and_full_shifts_are_the_plain_answers(demo, slug) -> None:
    for membership in _active(slug):
        _same_page([membership], Filters(), 30)


def test_pages_forward_and_back_with_filters_are_the_plain_answers(demo) -> None:
    memberships = _active()[:12]
    some = memberships[0]
    role_id = _db.session.scalar(scoped(Role, some.organisation, Role.id).order_by(Role.id))
    soon = (NOW + timedelta(days=3)).date()
    for filters in (Filters(), Filters(weekday=2), Filters(role_id=role_id), Filters(day=soon)):
        for membership in memberships:
            later = _same_page([membership], filters, 4)[1]
            if later is not None:
                earlier, _ = _same_page([membership], filters, 4, after=later)
                if earlier is not None:
                    _same_page([membership], filters, 4, before=earlier)


def test_a_person_in_both_organisations_is_given_the_plain_answers(demo) -> None:
    by_person: dict[int, list[Membership]] = {}
    for membership in _active():
        by_person.setdefault(membership.person_id, []).append(membership)
    both = next(ms for ms in by_person.values() if len(ms) > 1)
    later = _same_page(both, Filters(), 5)[1]
    assert later is not None
    earlier, _ = _same_page(both, Filters(), 5, after=later)
    _same_page(both, Filters(), 5, before=earlier or later)


def test_places_on_waiting_lists_are_the_plain_answers(demo) -> None:
    """Last (it changes the demo): two members join the lists of full shifts they may take, in turn."""
    memberships = _active("tackley")[:6]
    joined = 0
    for membership in memberships:
        full = open_list([membership], NOW, limit=30).full
        for row in full[:3]:
            waiting_list.join(membership.organisation, membership, row.id, NOW)
            joined += 1
    _db.session.flush()
    assert joined
    for membership in memberships:
        _same_page([membership], Filters(), 30)
        assert all(r.position for r in open_list([membership], NOW).full if r.entry_id is not None)
    _db.session.rollback()


def test_one_candidate_is_the_one_load_candidates_gives_for_every_member(demo) -> None:
    end = NOW + timedelta(days=OPEN_SHIFT_DAYS)
    members = _active()
    assert members
    seen = []
    for membership in members:
        org = membership.organisation
        one = load_candidate(org, membership.id, NOW, end)
        assert one == load_candidates(org, [membership.id], NOW, end)[membership.id]
        seen.append(one)
    # the demo has each kind to compare: expiring qualifications, windows, leave and duties
    assert any(v for c in seen if c for v in c.qualifications.values())
    assert all(any(getattr(c, kind) for c in seen if c) for kind in ("availability", "leave", "busy"))
