"""A few people's places read as SQL compiled once (``schedules._places_of_listed``) are the places ``execute``
of the expanding statement gives: same rows, same order, same types and zones, one statement (issue 13)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.querycount import statements_run
from tests.rows import typed
from volunteers.core import compiled_sql
from volunteers.core.models import Organisation
from volunteers.demo.data import load_demo
from volunteers.people.models import Membership
from volunteers.wellbeing import schedules

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _expanding(org: Organisation, ids: list[int], since: datetime, until: datetime) -> list[tuple]:
    """The places as iter_places read them before: ``execute`` of the statement with an expanding list."""
    connection = schedules.db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    rows = []
    for a_id, m_id, s_id, starts_at, ends_at, role, intensity, on_call in connection.execute(
            schedules._places_of_people(connection.dialect.name),
            {"org_id": org.id, "since": since, "until": until, "ids": ids}):
        if sqlite:
            starts_at, ends_at = (datetime.fromisoformat(starts_at + "+00:00"),
                                  datetime.fromisoformat(ends_at + "+00:00"))
        rows.append((a_id, m_id, s_id, starts_at, ends_at, role, intensity, bool(on_call)))
    return rows


def test_a_few_peoples_places_are_those_of_the_expanding_statement(app, db) -> None:
    load_demo(NOW)
    db.session.commit()
    with statements_run() as seen:
        compared, dialect = 0, db.engine.dialect.name
        for org in db.session.scalars(select(Organisation)):
            members = list(db.session.scalars(select(Membership.id).where(Membership.organisation_id == org.id)))
            for ids in (members[:1], members[:12], members[:schedules.MAX_LISTED], members[::-1][:5]):
                for since, until in ((NOW - timedelta(days=63), NOW + timedelta(days=35)),
                                     (NOW - timedelta(days=400), NOW + timedelta(days=400)),
                                     (NOW + timedelta(days=500), NOW + timedelta(days=501))):
                    old = _expanding(org, ids, since, until)
                    seen.clear()
                    new = [tuple(row) for row in schedules.iter_places(org, ids, since, until)]
                    assert len(seen) == 1
                    assert compiled_sql.compiled(schedules._places_of_listed, (dialect, len(ids)),
                                                 db.engine.dialect) is not None
                    assert typed(new) == typed(old)
                    compared += len(new)
        assert compared > 1000
