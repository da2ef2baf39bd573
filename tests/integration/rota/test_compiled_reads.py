"""The shift panel's reads run as SQL compiled once (``core.compiled_sql``) give ``execute``'s rows, types and
zones included, one statement each, on the demo data of both organisations (issue 13).

Every statement of ``load_candidates`` (each kind of call), ``hours_by_member``, ``places_on``, ``leave_of``
(plain parameters and the expanding list past the bound), ``cover_views`` and ``panel_entries``; the panel's
places are also compared with the Assignment objects the ORM loaded before.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import product
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager

from tests.querycount import statements_run
from tests.rows import typed
from volunteers.core.compiled_sql import compiled, rows_of
from volunteers.core.models import Organisation
from volunteers.core.sql_lists import bound
from volunteers.demo.data import load_demo
from volunteers.extensions import db as _db
from volunteers.people.models import Membership, Person
from volunteers.rota import cover_queries, leave_notes, member_hours, queries
from volunteers.rota.candidates import _candidate_read, load_candidates
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift
from volunteers.selfservice import waiting_list_pages

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture()
def demo(app: Flask, db: Any) -> Any:
    load_demo(NOW)
    db.session.commit()
    with statements_run() as seen:
        yield db.session.connection(), seen


def _same(conn: Any, seen: list[str], read: Any, shape: tuple[Any, ...], params: dict[str, Any],
          compiled_once: bool = True) -> int:
    """Assert ``rows_of`` gives ``execute``'s rows in one statement; return how many."""
    old = conn.execute(read(*shape), params).all()
    seen.clear()
    new = rows_of(conn, read, shape, params)
    assert len(seen) == 1 and typed(new) == typed(old), (read, shape)
    assert (compiled(read, shape, conn.dialect) is not None) == compiled_once, (read, shape)
    return len(new)


def test_the_candidates_statements_give_executes_rows(demo: Any) -> None:
    conn, seen = demo
    sqlite = conn.dialect.name == "sqlite"
    found = 0
    orgs = sorted({m.organisation_id for m in conn.execute(select(Membership.organisation_id)).all()})
    for org, hours, active_only, load_fields in product(orgs, (-24 * 30, 0, 24 * 5, 24 * 20), (True, False),
                                                      (True, False)):
        start = NOW + timedelta(hours=hours)
        params = {"org": org, "first_day": (start - timedelta(days=3)).date(),
                  "last_day": (start + timedelta(days=3)).date(), "start": start - timedelta(days=1),
                  "end": start + timedelta(days=2)}
        for which in (0, 1, 2):
            found += _same(conn, seen, _candidate_read, (which, False, active_only, sqlite, load_fields), params)
        # by ids: an expanding list, left to execute
        ids = [row[0] for row in conn.execute(select(Membership.id).where(Membership.organisation_id == org))][:7]
        for which in (0, 1, 2):
            _same(conn, seen, _candidate_read, (which, True, active_only, sqlite, load_fields), {**params, "ids": ids},
                  compiled_once=False)
    assert found > 500


def test_hours_places_leave_covers_and_waiting_lists_give_executes_rows(demo: Any) -> None:
    conn, seen = demo
    shifts = conn.execute(select(Shift.id, Shift.organisation_id).order_by(Shift.id)).all()
    assert len(shifts) > 300
    found = 0
    for org in sorted({org for _, org in shifts}):
        for days, windows in product((-40, 0, 10), (1, 2)):
            lo = NOW + timedelta(days=days)
            params = {"org": org, "start": lo, "end": lo + timedelta(days=31)}
            for n in range(windows):
                params[f"lo{n}"], params[f"hi{n}"] = lo + timedelta(days=7 * n), lo + timedelta(days=7 * n + 9)
            found += _same(conn, seen, member_hours._statement, (windows,), params)
        members = [row[0] for row in conn.execute(select(Membership.id).where(Membership.organisation_id == org))]
        for listed in (0, 1, 3, 16):
            for first in (date(2026, 11, 1), date(2026, 12, 10)):
                params = {"org": org, "first": first, "last": first + timedelta(days=40),
                          **bound("id", members[:listed])}
                found += _same(conn, seen, leave_notes._leave_of, (listed,), params)
        params = {"org": org, "first": date(2026, 11, 1), "last": date(2027, 1, 31), "ids": members}
        found += _same(conn, seen, leave_notes._leave_of, (None,), params, compiled_once=False)
    for shift_id, org in shifts:
        params = {"org": org, "shift_id": shift_id}
        found += _same(conn, seen, queries._places_on, (), params)
        found += _same(conn, seen, waiting_list_pages._panel_entries, (), params)
        found += _same(conn, seen, cover_queries._requests_and_asks, (1, 0), {"org": org, **bound("shift", [shift_id])})
    assert found > 1000


def test_covers_read_by_shifts_and_offers_in_each_shape(demo: Any) -> None:
    conn, seen = demo
    shifts = conn.execute(select(Shift.id, Shift.organisation_id).order_by(Shift.id)).all()
    for org in sorted({org for _, org in shifts}):
        ids = [shift_id for shift_id, of in shifts if of == org]
        for listed_shifts, listed_offers in ((0, 0), (0, 3), (5, 2), (16, 16)):
            params = {"org": org, **bound("shift", ids[:listed_shifts]), **bound("offer", range(listed_offers))}
            _same(conn, seen, cover_queries._requests_and_asks, (listed_shifts, listed_offers), params)
        _same(conn, seen, cover_queries._requests_and_asks, (None, None),
              {"org": org, "shift_ids": ids, "offer_ids": [1, 2]}, compiled_once=False)


def test_the_panels_places_are_those_the_orm_loaded(demo: Any) -> None:
    conn, _ = demo
    orm = (select(Assignment)
           .join(Membership, (Membership.id == Assignment.membership_id)
                 & (Membership.organisation_id == Assignment.organisation_id))
           .join(Person, Person.id == Membership.person_id)
           .where(Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))
           .options(contains_eager(Assignment.membership).contains_eager(Membership.person))
           .order_by(Person.name, Assignment.id))
    _db.session.execute(update(Assignment).where(Assignment.id % 7 == 0).values(override_reason="Needed"))
    compared = 0
    for shift in _db.session.scalars(select(Shift).order_by(Shift.id)):
        old = _db.session.scalars(orm.where(Assignment.organisation_id == shift.organisation_id,
                                           Assignment.shift_id == shift.id)).all()
        org = _db.session.get(Organisation, shift.organisation_id)
        assert org is not None
        new = queries.places_on(org, shift.id)
        assert [(a.id, a.membership_id, a.override_reason, a.membership.id, a.membership.person.name) for a in old] \
            == [(p.id, p.membership_id, p.override_reason, p.membership.id, p.membership.person.name) for p in new]
        compared += len(new)
    assert compared > 500


def test_the_members_rows_given_out_are_executes(demo: Any) -> None:
    """``members_out``'s rows (their limits decoded when read) hold the values and types ``execute``'s rows held."""
    conn, _ = demo
    sqlite = conn.dialect.name == "sqlite"
    one = _db.session.scalars(select(Membership).where(Membership.status == "active").limit(1)).one()
    one.limits = {"weekly_load": {"warning": 12}}  # limits of one's own, beside the demo's
    _db.session.flush()
    compared = 0
    for org in _db.session.scalars(select(Organisation)):
        out: dict[int, Any] = {}
        load_candidates(org, None, NOW, NOW + timedelta(hours=4), members_out=out)
        old = conn.execute(_candidate_read(0, False, True, sqlite, True), {"org": org.id}).all()
        assert list(out) == [row.id for row in old]
        for row in old:
            got = out[row.id]
            assert typed([(got.id, got.name, got.pledged_hours_per_week, got.last_supervised_on, got.limits,
                            got.caseload_limit)]) == typed([tuple(row)])
            assert got.limits is got.limits  # decoded once
            compared += 1
    assert compared > 50 and out  # both organisations' active members
