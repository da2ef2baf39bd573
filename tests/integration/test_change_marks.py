"""Each organisation's change mark changes with every write to its data, and only then (core.change_marks)."""
from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on, utc
from volunteers.core import change_marks, unit_of_work
from volunteers.core.models import ORGANISATION_CHANGES
from volunteers.extensions import db as _db
from volunteers.wellbeing.models import LoadRecheck


def mark(org_id: int) -> int | None:
    with _db.engine.connect() as conn:  # another connection: what other requests see (committed only)
        return change_marks.mark_of(conn, ORGANISATION_CHANGES, org_id)


def _triggers(conn: Connection) -> set[str]:
    if conn.dialect.name == "sqlite":
        return {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return {r[0] for r in conn.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}


def _expected(dialect: str) -> set[str]:
    return change_marks.trigger_names(dialect, change_marks.watched(_db.metadata))


def test_every_organisations_table_is_watched_or_named_unwatched(db) -> None:
    owned = {t.name for t in db.metadata.tables.values() if "organisation_id" in t.c} - {"organisation_changes"}
    assert set(change_marks.watched(db.metadata)) == owned - change_marks.UNWATCHED
    assert owned >= change_marks.UNWATCHED  # no stale name: each one still exists and is an organisation's
    with db.engine.connect() as conn:
        assert _expected(conn.dialect.name) <= _triggers(conn)


def test_a_new_organisation_has_a_mark_and_its_writes_change_it(db) -> None:
    org = make_org()
    db.session.commit()
    seen = [mark(org.id)]
    assert seen[0] is not None
    member = make_member(org, "ann@example.org", name="Ann")
    db.session.commit()
    seen.append(mark(org.id))
    shift = make_shift(org, make_role(org), make_site(org), date(2027, 1, 4))
    db.session.commit()
    seen.append(mark(org.id))
    place = put_on(shift, member)
    db.session.commit()
    seen.append(mark(org.id))
    place.status = "cancelled"
    db.session.commit()
    seen.append(mark(org.id))
    db.session.delete(place)
    db.session.commit()
    seen.append(mark(org.id))
    member.person.name = "Ann Other"  # people: no organisation_id of its own
    db.session.commit()
    seen.append(mark(org.id))
    org.timezone = "Europe/Dublin"  # the organisation's own row
    db.session.commit()
    seen.append(mark(org.id))
    assert len(set(seen)) == len(seen), seen


def test_another_organisations_writes_and_unwatched_tables_leave_the_mark(db) -> None:
    org, other = make_org(), make_org("elsewhere")
    db.session.commit()
    before = mark(org.id)
    make_member(other, "bob@example.org")
    db.session.commit()
    assert mark(org.id) == before
    member = make_member(org, "cal@example.org")
    db.session.commit()
    before = mark(org.id)
    db.session.add(LoadRecheck(organisation_id=org.id, membership_id=member.id, due_at=utc(2027, 1, 1)))
    db.session.commit()
    assert mark(org.id) == before


def test_a_person_in_two_organisations_changes_both_marks(db) -> None:
    org, other = make_org(), make_org("elsewhere")
    member = make_member(org, "cat@example.org", name="Cat")
    db.session.flush()
    make_member(other, "cat@example.org")
    db.session.commit()
    before = (mark(org.id), mark(other.id))
    member.person.name = "Catherine"
    db.session.commit()
    after = (mark(org.id), mark(other.id))
    assert after[0] != before[0] and after[1] != before[1]


def test_a_rolled_back_write_leaves_the_mark_and_its_mark_never_comes_back(db) -> None:
    org = make_org()
    db.session.commit()
    before = mark(org.id)
    make_member(org, "dan@example.org")
    db.session.flush()
    # inside the transaction: its own (uncommitted) mark on SQLite; PostgreSQL's waits for COMMIT
    inside = change_marks.mark_of(db.session.connection(), ORGANISATION_CHANGES, org.id)
    db.session.rollback()
    assert mark(org.id) == before
    make_member(org, "dan@example.org")
    db.session.commit()
    assert mark(org.id) not in (before, inside)


def test_the_mark_is_read_in_one_statement(db) -> None:
    from tests.querycount import statements_run

    org = make_org()
    db.session.commit()
    org_id = org.id
    with db.engine.connect() as conn, statements_run() as statements:
        change_marks.mark_of(conn, ORGANISATION_CHANGES, org_id)
    assert len(statements) == 1


@pytest.mark.postgres
def test_postgresql_changes_a_mark_at_commit_once_a_transaction(db) -> None:
    org = make_org()
    role, site = make_role(org), make_site(org)
    db.session.commit()
    before = mark(org.id)
    for day in range(1, 6):
        make_shift(org, role, site, date(2027, 1, day))
    db.session.flush()
    conn = db.session.connection()
    assert change_marks.mark_of(conn, ORGANISATION_CHANGES, org.id) == before == mark(org.id)  # at COMMIT
    db.session.commit()
    assert mark(org.id) != before
    # the triggers fired at once (SET CONSTRAINTS ... IMMEDIATE): the first write changes the mark, later ones of
    # the same transaction leave it as they find it, and COMMIT keeps it
    before = mark(org.id)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
        conn.exec_driver_sql("UPDATE roles SET name = 'Till' WHERE id = %s", (role.id,))
        first = change_marks.mark_of(conn, ORGANISATION_CHANGES, org.id)
        conn.exec_driver_sql("UPDATE sites SET name = 'Shop' WHERE id = %s", (site.id,))
        conn.exec_driver_sql("UPDATE roles SET name = 'Counter' WHERE id = %s", (role.id,))
        assert change_marks.mark_of(conn, ORGANISATION_CHANGES, org.id) == first != before
        conn.commit()
    assert mark(org.id) == first


@pytest.mark.postgres
def test_postgresql_writes_after_the_triggers_fired_mid_transaction_still_change_marks(db) -> None:
    """SET CONSTRAINTS ALL IMMEDIATE fires the deferred triggers before COMMIT: an organisation written after
    that, in the same transaction, still gets its new mark, whether its triggers fire at once or at COMMIT."""
    first, second, third = make_org("first"), make_org("second"), make_org("third")
    roles = [make_role(org) for org in (first, second, third)]
    db.session.commit()
    before = {org.id: mark(org.id) for org in (first, second, third)}
    with db.engine.connect() as conn:
        conn.exec_driver_sql("UPDATE roles SET name = 'Till' WHERE id = %s", (roles[0].id,))
        conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
        assert change_marks.mark_of(conn, ORGANISATION_CHANGES, first.id) != before[first.id]
        conn.exec_driver_sql("UPDATE roles SET name = 'Till' WHERE id = %s", (roles[1].id,))  # fires at once
        assert change_marks.mark_of(conn, ORGANISATION_CHANGES, second.id) != before[second.id]
        conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
        conn.exec_driver_sql("UPDATE roles SET name = 'Till' WHERE id = %s", (roles[2].id,))  # fires at COMMIT
        assert change_marks.mark_of(conn, ORGANISATION_CHANGES, third.id) == before[third.id]
        inside = {org.id: change_marks.mark_of(conn, ORGANISATION_CHANGES, org.id) for org in (first, second)}
        conn.commit()
    assert all(mark(org.id) != before[org.id] for org in (first, second, third))
    assert {org.id: mark(org.id) for org in (first, second)} == inside  # once a transaction


def _wait_for_a_lock(engine: Engine, pid: int) -> None:
    """Until the backend ``pid`` waits for a lock (pg_stat_activity, read afresh each time), at most 10 s."""
    with engine.connect() as watcher:
        for _ in range(1000):
            found = watcher.exec_driver_sql("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,))
            waits = found.scalar()
            watcher.rollback()  # a new snapshot of the statistics next time
            if waits == "Lock":
                return
            time.sleep(0.01)
    raise AssertionError(f"backend {pid} never waited for a lock")


@pytest.mark.postgres
def test_postgresql_transactions_writing_organisations_in_opposite_orders_do_not_deadlock(db) -> None:
    """T1 writes A then B, T2 B then A (different rows). Marks locked in the order a transaction first wrote its
    organisations deadlock here: with A's mark held by H, T1's COMMIT waits for A; T2's takes B and waits for
    A; H lets go, T1 takes A and waits for B, held by T2 — and PostgreSQL aborts one. Locked in
    organisation_id order, T2 waits for A behind T1 holding nothing, and both commit."""
    a_org, b_org = make_org("a-org"), make_org("b-org")
    a_role, b_role, a_site, b_site = make_role(a_org), make_role(b_org), make_site(a_org), make_site(b_org)
    db.session.commit()
    a, b = a_org.id, b_org.id
    assert a < b
    before = (mark(a), mark(b))
    engine, failures = db.engine, list[BaseException]()
    with engine.connect() as t1, engine.connect() as t2, engine.connect() as holder:
        pids = []
        for conn in (t1, t2):
            conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")  # should it wait for good: a failure, not a hang
            pids.append(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar())
        t1.exec_driver_sql("UPDATE roles SET name = 'Till' WHERE id = %s", (a_role.id,))
        t1.exec_driver_sql("UPDATE roles SET name = 'Till' WHERE id = %s", (b_role.id,))
        t2.exec_driver_sql("UPDATE sites SET name = 'Hall' WHERE id = %s", (b_site.id,))
        t2.exec_driver_sql("UPDATE sites SET name = 'Hall' WHERE id = %s", (a_site.id,))
        holder.exec_driver_sql("SELECT 1 FROM organisation_changes WHERE organisation_id = %s FOR UPDATE", (a,))

        def commit(conn: Connection) -> None:
            try:
                conn.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)

        committers = [threading.Thread(target=commit, args=(conn,)) for conn in (t1, t2)]
        for committer, pid in zip(committers, pids, strict=True):
            committer.start()
            _wait_for_a_lock(engine, pid)  # T1 waits for A (H holds it) before T2 commits, then T2 waits too
        try:  # B's mark is free: T2 waits for A before it takes B
            with engine.connect() as probe:
                probe.exec_driver_sql("SELECT 1 FROM organisation_changes WHERE organisation_id = %s "
                                      "FOR UPDATE NOWAIT", (b,))
            b_was_free = True
        except OperationalError:
            b_was_free = False
        holder.rollback()
        for committer in committers:
            committer.join(30)
    assert not any(committer.is_alive() for committer in committers)
    assert not failures, failures
    assert b_was_free
    assert mark(a) != before[0] and mark(b) != before[1]


@pytest.mark.postgres
def test_postgresql_writers_of_one_organisation_do_not_wait_on_its_mark_mid_transaction(db) -> None:
    """Two transactions changing different rows of one organisation: neither waits for the other before
    COMMIT (an immediate trigger would hold the mark's row from the first change, and two such writers could
    deadlock on it and the rows they go on to change)."""
    org = make_org()
    role, site = make_role(org), make_site(org)
    first, second = make_shift(org, role, site, date(2027, 1, 4)), make_shift(org, role, site, date(2027, 1, 5))
    db.session.commit()
    ids, engine = (first.id, second.id), db.engine
    failures: list[BaseException] = []
    with db.engine.connect() as one:
        one.exec_driver_sql("UPDATE shifts SET needed = needed + 1 WHERE id = %s", (ids[0],))

        def other() -> None:
            try:
                with engine.connect() as two:
                    two.exec_driver_sql("SET lock_timeout = '2s'")
                    two.exec_driver_sql("UPDATE shifts SET needed = needed + 1 WHERE id = %s", (ids[1],))
                    two.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)

        worker = threading.Thread(target=other)
        worker.start()
        worker.join(10)
        one.commit()
    assert not failures
    assert not worker.is_alive()



_JOIN = ("INSERT INTO memberships (organisation_id, person_id, role, status, limits, preferences, no_show_count, "
         "created_at) VALUES (%s, %s, 'volunteer', 'active', '{}', '{}', 0, now())")


def _page(org_id: int) -> tuple[int | None, list[str]]:
    """What a page of the organisation's members kept by mark is made of: its mark, read first, then the rows."""
    kept_at = mark(org_id)
    with _db.engine.connect() as conn:
        names = conn.exec_driver_sql("SELECT p.name FROM memberships m JOIN people p ON p.id = m.person_id "
                                     "WHERE m.organisation_id = %s ORDER BY p.name", (org_id,))
        return kept_at, [row[0] for row in names]


def _in_a_thread(engine: Engine, work: Any) -> tuple[threading.Thread, list[BaseException]]:
    """``work(conn)`` on a connection of its own, in a thread, until it waits for a lock or is done."""
    failures: list[BaseException] = []
    pids: list[int] = []

    def run() -> None:
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SET lock_timeout = '20s'")  # should it wait for good: a failure, not a hang
                pids.append(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
                work(conn)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failures.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    with engine.connect() as watcher:
        for _ in range(1000):
            if not worker.is_alive():
                break
            if pids:
                waits = watcher.exec_driver_sql("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                                                (pids[0],)).scalar()
                watcher.rollback()
                if waits == "Lock":
                    break
            time.sleep(0.01)
    return worker, failures


def _two_organisations_and_ann() -> tuple[int, int, int]:
    """A and B, Ann a member of A only (her name "Old"), Bob of B."""
    org, other = make_org(), make_org("elsewhere")
    ann = make_member(org, "ann@example.org", name="Old")
    make_member(other, "bob@example.org", name="Bob")
    _db.session.commit()
    return org.id, other.id, ann.person.id


@pytest.mark.postgres
@pytest.mark.parametrize("fired", [False, True], ids=["before-it-commits", "after-its-triggers-fired"])
def test_postgresql_a_rename_reaches_an_organisation_the_person_joins_meanwhile(db, fired: bool) -> None:
    """T1 renames Ann (a member of A), T2 makes her a member of B and commits while T1 has not: a page of B made
    meanwhile (mark, then rows: Ann as "Old") is not served once T1 commits. Looked up as her row changed, her
    organisations were A alone and B's mark stayed; now T2 waits for T1 (it holds Ann's row FOR SHARE), and
    its COMMIT changes B's mark after hers. ``fired``: T1's triggers fired (its organisations looked up, A's mark
    changed) before T2 joins B; T2 still waits for T1."""
    a, b, ann = _two_organisations_and_ann()
    with db.engine.connect() as t1:
        t1.exec_driver_sql("UPDATE people SET name = 'New' WHERE id = %s", (ann,))
        if fired:
            t1.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")

        def join(t2: Connection) -> None:
            t2.exec_driver_sql(_JOIN, (b, ann))
            t2.commit()

        t2, failures = _in_a_thread(db.engine, join)
        kept_at, rows = _page(b)
        t1.commit()
        t2.join(30)
    assert not t2.is_alive() and not failures, failures
    assert _page(b)[1] == ["Bob", "New"]
    assert mark(b) != kept_at, f"{rows} kept at {kept_at}, B's mark now"


@pytest.mark.postgres
def test_postgresql_a_rename_waits_for_a_membership_made_before_it_and_reaches_its_organisation(db) -> None:
    """T2 makes Ann a member of B, then T1 renames her: T1 waits for T2, and once T2 has committed (B's mark
    changed, Ann "Old" in B), T1's COMMIT changes B's mark too."""
    a, b, ann = _two_organisations_and_ann()
    with db.engine.connect() as t2:
        t2.exec_driver_sql(_JOIN, (b, ann))
        renamed = threading.Event()

        def rename(t1: Connection) -> None:
            t1.exec_driver_sql("UPDATE people SET name = 'New' WHERE id = %s", (ann,))
            renamed.set()
            assert release.wait(30)
            t1.commit()

        release = threading.Event()
        t1, failures = _in_a_thread(db.engine, rename)
        t2.commit()
        assert renamed.wait(30)
        kept_at, rows = _page(b)
        release.set()
        t1.join(30)
    assert not t1.is_alive() and not failures, failures
    assert rows == ["Bob", "Old"]
    assert mark(b) != kept_at, f"{rows} kept at {kept_at}, B's mark now"


def _cat_in_two_of_three() -> tuple[tuple[int, int, int], int]:
    """Three organisations, Cat a member of the first two (Dot of the third): their ids, and Cat's person's."""
    org, other, third = make_org(), make_org("elsewhere"), make_org("third")
    member = make_member(org, "cat@example.org", name="Cat")
    _db.session.flush()
    make_member(other, "cat@example.org")
    make_member(third, "dot@example.org")
    _db.session.commit()
    return (org.id, other.id, third.id), member.person.id


@pytest.mark.postgres
def test_postgresql_a_person_changes_each_of_their_organisations_marks_once_a_transaction(db) -> None:
    """Renamed twice, their triggers fired in between (SET CONSTRAINTS ALL IMMEDIATE), renamed again: each of
    their organisations' marks changes once, and another organisation's not at all."""
    ids, person = _cat_in_two_of_three()
    before = [mark(i) for i in ids]
    with db.engine.connect() as conn:
        conn.exec_driver_sql("UPDATE people SET name = 'Cath' WHERE id = %s", (person,))
        conn.exec_driver_sql("UPDATE people SET name = 'Catherine' WHERE id = %s", (person,))
        conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
        inside = [change_marks.mark_of(conn, ORGANISATION_CHANGES, i) for i in ids]
        conn.exec_driver_sql("UPDATE people SET name = 'Kate' WHERE id = %s", (person,))
        assert [change_marks.mark_of(conn, ORGANISATION_CHANGES, i) for i in ids] == inside
        conn.commit()
    after = [mark(i) for i in ids]
    assert after == inside
    assert after[0] != before[0] and after[1] != before[1] and after[2] == before[2]


def test_deleting_a_person_changes_each_of_their_organisations_marks(db) -> None:
    ids, person = _cat_in_two_of_three()
    before = [mark(i) for i in ids]
    with db.engine.connect() as conn:
        conn.exec_driver_sql("DELETE FROM people WHERE id = %s" if conn.dialect.name == "postgresql"
                             else "DELETE FROM people WHERE id = ?", (person,))
        conn.commit()
    after = [mark(i) for i in ids]
    assert after[0] != before[0] and after[1] != before[1] and after[2] == before[2]


def test_a_transaction_that_wrote_keeps_nothing_by_a_mark(db) -> None:
    """Its own changes are under no mark yet (PostgreSQL changes the mark at COMMIT; it may yet roll back)."""
    org = make_org()
    db.session.commit()
    assert change_marks.mark_to_keep_by(db.session, ORGANISATION_CHANGES, org.id) == mark(org.id)
    make_member(org, "eve@example.org")
    assert change_marks.mark_to_keep_by(db.session, ORGANISATION_CHANGES, org.id) is None
    db.session.rollback()
    assert change_marks.mark_to_keep_by(db.session, ORGANISATION_CHANGES, org.id) == mark(org.id)


def test_importing_the_models_does_not_import_flask() -> None:
    import subprocess
    import sys

    code = "import sys, volunteers.core.models; assert 'flask' not in sys.modules, 'flask imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_marks_note_of_a_write_is_the_unit_of_works() -> None:
    assert change_marks.WROTE == unit_of_work.WROTE
