"""The sign-in read brings the viewer's organisations' change marks (``people.sessions.signed_in``), and a page kept
by its mark takes them from there (``core.kept_text.mark_to_keep_by``) only while the transaction they were read in
goes on: after the request commits writes of its own they would stand for rows it no longer sees."""
from __future__ import annotations

from flask import g
from sqlalchemy import select

from tests.factories import make_member, make_org
from tests.querycount import statements_run
from volunteers.core.kept_text import mark_to_keep_by
from volunteers.core.models import ORGANISATION_CHANGES
from volunteers.people.sessions import signed_in


def _mark_now(db, org_id: int) -> int:
    changes = ORGANISATION_CHANGES.c
    return db.session.scalar(select(changes.mark).where(changes.organisation_id == org_id))


def test_the_sign_in_read_brings_each_organisations_mark(app, db) -> None:
    shop, helpline = make_org("shop"), make_org("helpline")
    person = make_member(shop, "ann@example.org").person
    make_member(helpline, "ann@example.org")
    db.session.commit()
    marks, session_id = {org.id: _mark_now(db, org.id) for org in (shop, helpline)}, person.get_id()
    db.session.close()
    with statements_run() as statements:
        found = signed_in(session_id)
    assert found is not None and found.marks == marks and len(statements) == 1


def test_the_marks_stand_only_while_the_sign_in_read_s_transaction_goes_on(app, db) -> None:
    org = make_org("shop")
    session_id, org_id = make_member(org, "ann@example.org").person.get_id(), org.id
    db.session.commit()
    db.session.close()
    with app.test_request_context():
        found = signed_in(session_id)
        assert found is not None
        g.sign_in_marks, g.sign_in_transaction = found.marks, found.transaction
        with statements_run() as statements:
            assert mark_to_keep_by(org_id) == found.marks[org_id]
        assert statements == []  # taken from the sign-in read
        found.memberships[0].organisation.name = "Renamed"  # the request's own write, committed part-way
        db.session.commit()
        with statements_run() as statements:
            mark = mark_to_keep_by(org_id)
        assert len(statements) == 1 and mark == _mark_now(db, org_id) != found.marks[org_id]
