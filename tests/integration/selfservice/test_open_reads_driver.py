"""/me/shifts/open's statements (the candidate's too) run as SQL compiled once (``core.compiled_sql.rows_of``) give
``execute``'s rows, types included, on the demo data of both organisations at several times (issue 13)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import product
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.querycount import statements_run
from tests.rows import typed
from volunteers.core.compiled_sql import rows_of
from volunteers.core.sql_lists import bound
from volunteers.demo.data import load_demo
from volunteers.people.models import Membership
from volunteers.selfservice.open_candidate import _candidate_read
from volunteers.selfservice.open_pages import _choices
from volunteers.selfservice.open_reads import full_read, open_read

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_rows_of_gives_executes_rows(app: Flask, db: Any) -> None:
    load_demo(NOW)
    db.session.commit()
    conn = db.session.connection()
    sqlite = conn.dialect.name == "sqlite"
    members = list(db.session.scalars(select(Membership).where(Membership.status == "active")))
    with statements_run() as seen:
        _compare(conn, sqlite, members, seen)


def _compare(conn: Any, sqlite: bool, members: list[Membership], seen: list[str]) -> None:
    compared = rows_found = 0
    for member, hours in product(members, (-24 * 7, 0, 30, 24 * 5)):
        now = NOW + timedelta(hours=hours)
        base = {"now": now, "end": now + timedelta(days=28), "member": member.id, "role": None, "site": None}
        org = member.organisation_id
        for forward, cursor, day in product((True, False), (False, True), (False, True)):
            shape: tuple[Any, ...] = (org, forward, cursor, False, False, day, False, sqlite)
            params = {**base, "day": date(2026, 12, 2), "batch": 7, "when": now + timedelta(days=3), "ident": 40}
            old = conn.execute(open_read(*shape), params).all()
            seen.clear()
            new = rows_of(conn, open_read, shape, params)
            assert len(seen) == 1 and typed(new) == typed(old)
            compared, rows_found = compared + 1, rows_found + len(new)
        params = {"member": member.id, "first": (now - timedelta(days=2)).date(),
                  "last": (now + timedelta(days=30)).date(), "start": now - timedelta(days=1),
                  "end": now + timedelta(days=29)}
        old = conn.execute(_candidate_read(org), params).all()
        seen.clear()
        new = rows_of(conn, _candidate_read, (org,), params)
        assert len(seen) == 1 and typed(new) == typed(old)
        compared, rows_found = compared + 1, rows_found + len(new)
        for since, until in product((None, now + timedelta(days=2)), (None, now + timedelta(days=9))):
            shape = (org, since is not None, until is not None, False, False, sqlite)
            params = {**base, "since": since, "until": until}
            old = conn.execute(full_read(*shape), params).all()
            seen.clear()
            new = rows_of(conn, full_read, shape, params)
            assert len(seen) == 1 and typed(new) == typed(old)
            compared, rows_found = compared + 1, rows_found + len(new)
    one, two = sorted({member.organisation_id for member in members})
    for ids in ([one], [two], [one, two], [two, one, two]):  # the filters' roles and sites of one or more
        old = conn.execute(_choices(len(ids)), bound("ids", ids)).all()
        seen.clear()
        new = rows_of(conn, _choices, (len(ids),), bound("ids", ids))
        assert len(seen) == 1 and typed(new) == typed(old) and old
    assert compared > 100 and rows_found > 1000
