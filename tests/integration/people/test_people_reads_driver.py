"""The people pages' reads run as SQL compiled once (``people.compiled_reads``) give ``execute``'s rows, types
included, on the demo data of both organisations: /people's page for every filter's shape, order, viewer's
role and page; a person's page's four reads for every member and viewer's role (issue 13). Each is one
statement, seen by the engine's cursor events."""
from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import product
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.querycount import statements_run
from tests.rows import typed
from volunteers.core.models import Organisation
from volunteers.demo.data import load_demo
from volunteers.people import compiled_reads, person_page, queries, supervision
from volunteers.people.models import Membership, Qualification

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 30)


def test_compiled_reads_give_executes_rows(app: Flask, db: Any) -> None:
    load_demo(NOW)
    db.session.commit()
    with statements_run() as seen:
        _compare(db.session.connection(), seen)


def _same(conn: Any, seen: list[str], statement: Any, params: dict[str, Any]) -> int:
    """Assert the compiled read gives what ``execute`` gives (one statement); return how many rows."""
    old = [tuple(row) for row in conn.execute(statement, params).all()]
    seen.clear()
    new = compiled_reads.read(conn, statement, params)
    assert len(seen) == 1
    assert typed(new.typed()) == typed(old)
    assert len(new.rows) == len(old)
    return len(old)


def _compare(conn: Any, seen: list[str]) -> None:
    compared = rows_found = 0
    for org in conn.execute(select(Organisation.id).order_by(Organisation.id)).scalars().all():
        viewers = list(conn.execute(select(Membership.id, Membership.role, Membership.organisation_id)
                                    .where(Membership.organisation_id == org).order_by(Membership.id)))
        by_role = {role: (mid, org_id) for mid, role, org_id in viewers}  # a viewer of each role
        members = [mid for mid, *_ in viewers]
        first_qualification = conn.execute(select(Qualification.id).where(Qualification.organisation_id == org)
                                           .order_by(Qualification.id)).scalar()
        filters = [queries.PeopleFilter(), queries.PeopleFilter(search="a"), queries.PeopleFilter(status="paused"),
                   queries.PeopleFilter(role="volunteer", search="e"),
                   queries.PeopleFilter(qualification_id=first_qualification),
                   queries.PeopleFilter(status="active", expiring_soon=True)]
        for role, (viewer_id, viewer_org) in by_role.items():
            viewer = {"viewer_id": viewer_id, "viewer_org_id": viewer_org}
            for chosen, sort, number in product(filters, ("name", "-pledge", "joined", "-email"), (1, 2)):
                params = {**queries._params(_Org(org), chosen, TODAY, None), **viewer,
                          "offset": (number - 1) * 25, "limit": 25}
                statement = queries._page_statement(queries._shape(chosen), role, sort)
                rows_found += _same(conn, seen, statement, params)
                compared += 1
            for member in members:
                params = {"org_id": org, "membership_id": member, **viewer}
                rows_found += _same(conn, seen, person_page._statement(role), params)
                compared += 1
        rows_found += _same(conn, seen, queries._QUALIFICATIONS, {"org_id": org})
        for member in members:
            params = {"org_id": org, "member_id": member}
            for statement in (queries._QUALIFICATIONS_AND_RECORDS, supervision.SESSIONS, supervision.SUPERVISORS):
                rows_found += _same(conn, seen, statement, params)
                compared += 1
    assert compared > 500 and rows_found > 5000


class _Org:
    """Stands for an organisation where only its id is asked."""

    def __init__(self, org_id: int) -> None:
        self.id = org_id


def test_a_person_pages_reads_are_what_the_page_showed(app: Flask, db: Any) -> None:
    """What ``person_page`` makes of its reads is the member's values and what ``supervision``'s functions give,
    for every member; the rows it compares hold no password hash."""
    load_demo(NOW)
    db.session.commit()
    hashes = 0
    for org in db.session.scalars(select(Organisation).order_by(Organisation.id)):
        for member in db.session.scalars(select(Membership).where(Membership.organisation_id == org.id)):
            with app.test_request_context():
                reads = person_page.read_or_404(org, member.id)
                shown = person_page.shown_member(reads)
                assert (shown.id, shown.role, shown.status, shown.pledged_hours_per_week, shown.joined_on,
                        shown.last_supervised_on, shown.notes) == \
                    (member.id, member.role, member.status, member.pledged_hours_per_week, member.joined_on,
                     member.last_supervised_on, member.notes)
                assert (shown.person.name, shown.person.email, shown.person.phone, shown.person.has_password,
                        shown.person.erased_at) == \
                    (member.person.name, member.person.email, member.person.phone,
                     member.person.password_hash is not None, member.person.erased_at)
                assert person_page.sessions_of(reads) == supervision.sessions_of(org, member.id)
                assert person_page.supervisors_of(reads) == supervision.supervisors(org)
                hashed = member.person.password_hash
                assert hashed is None or hashed not in repr(reads.made_of())
                hashes += hashed is not None
    assert hashes > 3
