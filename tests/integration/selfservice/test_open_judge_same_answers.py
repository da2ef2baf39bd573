"""``domain.open_judge`` gives ``check``'s answers and ``format_span``'s text on the demo data (issue 13).

/me/shifts/open judges each shift with ``Judge.may_take`` (``check`` without
its sentences, remembering each role's qualifications and each weekly slot's
availability) and prints its time with ``span_text``. Here both are held, for
every active member of both demo organisations and every published planned
shift of the six weeks (open or full, whatever its role), to
``rota.domain.eligibility.check`` with the candidate ``load_candidates``
gives and to ``core.timeutil.format_span``.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tests.demo_db import demo_app
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import format_span, zone
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.rota.candidates import load_candidates, open_shifts_for
from volunteers.rota.domain.eligibility import check
from volunteers.rota.models import Role, Shift
from volunteers.selfservice.domain.open_judge import Days, Judge, span_text
from volunteers.selfservice.services import OPEN_SHIFT_DAYS

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the demo's Monday (tests/integration/test_demo.py)


@pytest.fixture(scope="module")
def demo() -> Iterator[Flask]:
    with demo_app(NOW) as (app, _):
        yield app


def test_every_members_answer_for_every_shift_is_checks(demo) -> None:
    end = NOW + timedelta(days=OPEN_SHIFT_DAYS)
    members = list(_db.session.scalars(select(Membership).where(Membership.status == "active")
                                       .order_by(Membership.id)))
    judged = taken = 0
    kinds: set[str] = set()
    for org in {m.organisation for m in members}:
        tz = zone(org.timezone)
        shifts = list(_db.session.scalars(
            scoped(Shift, org).where(Shift.status == "planned", Shift.starts_at > NOW, Shift.starts_at < end)
            .options(joinedload(Shift.role).joinedload(Role.required_qualifications), joinedload(Shift.site))
            .order_by(Shift.starts_at, Shift.id)).unique())
        values = open_shifts_for(org, shifts)
        days = Days()
        for shift in shifts:
            local_start, local_end = shift.starts_at.astimezone(tz), shift.ends_at.astimezone(tz)
            assert span_text(local_start, local_end, days) == format_span(shift.starts_at, shift.ends_at, tz)
        candidates = load_candidates(org, [m.id for m in members if m.organisation_id == org.id], NOW, end)
        for candidate in candidates.values():
            judge = Judge(candidate)
            for shift in shifts:
                value = values[shift.id]
                local_start, local_end = shift.starts_at.astimezone(tz), shift.ends_at.astimezone(tz)
                reasons = check(candidate, value, tz)
                assert judge.may_take(value.required_qualifications, shift.starts_at, shift.ends_at,
                                      local_start, local_end) == (not reasons), (candidate.id, shift.id, reasons)
                judged += 1
                taken += not reasons
                kinds.update("expired" if " expired on " in reason.message else reason.code for reason in reasons)
    assert judged > 10_000 and 0 < taken < judged
    # every way to be refused is met on the demo: qualifications (missing and expired), availability, leave, clashes
    assert kinds >= {"not_qualified", "expired", "unavailable", "on_leave", "overlap"}, kinds
