"""The demo's mothers: realistic ward visits and follow-ups, caseloads, and a November report that matches a hand count.

The hand count reads the demo's rows with plain SQL and counts in plain
Python from DESIGN.md's words ("Peer support"), independently of the
report's own statements and of ``peersupport.domain``.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from tests.demo_db import demo_app
from volunteers.extensions import db as _db

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the demo tests' Monday
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)
MODES = ("ward", "home", "phone", "group", "helpline")


@pytest.fixture(scope="module")
def demo() -> Iterator[Flask]:
    """The demo loaded once with the clock at ``NOW``, in an in-memory database of its own."""
    with demo_app(NOW, frozen=True) as (app, _):
        yield app


def _rows(sql: str) -> list[Any]:
    return list(_db.session.execute(text(sql)))


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _cases() -> dict[int, dict[str, Any]]:
    rows = _rows("SELECT sp.id, sp.born_on, sp.status, sp.closed_on, sp.supporter_membership_id "
                 "FROM supported_people sp JOIN organisations o ON o.id = sp.organisation_id "
                 "WHERE o.slug = 'surestart'")
    return {r[0]: {"born": _day(r[1]), "status": r[2], "closed": _day(r[3]) if r[3] else None, "supporter": r[4]}
            for r in rows}


def _contacts() -> list[dict[str, Any]]:
    rows = _rows("SELECT c.supported_person_id, c.contact_on, c.mode, c.minutes, c.membership_id "
                 "FROM contacts c JOIN organisations o ON o.id = c.organisation_id WHERE o.slug = 'surestart'")
    return [{"case": r[0], "on": _day(r[1]), "mode": r[2], "minutes": r[3], "by": r[4]} for r in rows]


def test_about_120_mothers_over_six_months_visited_on_the_ward_by_counsellors_on_a_round(demo) -> None:
    cases, contacts = _cases(), _contacts()
    today = NOW.date()
    assert 110 <= len(cases) <= 130
    assert all(today - timedelta(days=183) <= c["born"] < today for c in cases.values())
    rounds = {(_day(day), member) for day, member in _rows(
        "SELECT s.local_date, a.membership_id FROM shifts s JOIN assignments a ON a.shift_id = s.id "
        "JOIN roles r ON r.id = s.role_id WHERE r.name = 'Hospital ward visit' AND a.status = 'attended'")}
    first_round = min(day for day, _ in rounds)
    ward = [c for c in contacts if c["mode"] == "ward"]
    assert len(ward) >= 0.85 * len(cases)  # most mothers are seen on the ward
    for visit in ward:
        case = cases[visit["case"]]
        assert 0 <= (visit["on"] - case["born"]).days <= 2
        assert case["supporter"] == visit["by"]  # the counsellor who visited supports her
        if visit["on"] >= first_round:
            assert (visit["on"], visit["by"]) in rounds  # on a ward round she attended that day


def test_follow_ups_are_done_due_and_overdue_and_two_counsellors_are_near_their_limit(demo) -> None:
    runner = demo.test_cli_runner()
    result = runner.invoke(args=["cases", "due", "--org", "surestart", "--on", "2026-11-30", "--format", "json"])
    assert result.exit_code == 0, result.output
    due = Counter((item["step"], item["status"]) for item in json.loads(result.output))
    assert due[("follow_up_20w", "due")] >= 2 and 1 <= due[("follow_up_20w", "overdue")] <= 8
    assert 1 <= due[("ward_visit", "overdue")] <= 10
    closed = Counter(c["status"] for c in _cases().values())
    assert closed["closed"] >= 5 and closed["open"] >= 90
    done_follow_ups = [c for c in _contacts() if c["mode"] in ("phone", "home")
                       and (c["on"] - _cases()[c["case"]]["born"]).days >= 126]
    assert len(done_follow_ups) >= 5
    loads = _rows("SELECT m.caseload_limit, COUNT(sp.id) FROM memberships m JOIN supported_people sp "
                  "ON sp.supporter_membership_id = m.id AND sp.status = 'open' GROUP BY m.id, m.caseload_limit")
    ratios = sorted((count / limit for limit, count in loads), reverse=True)
    assert all(limit is not None for limit, _ in loads)
    assert 1.0 < ratios[0] <= 1.25 and ratios[1] == 1.0 and ratios[2] < 1.0  # one a case over, one at it


def test_the_november_report_matches_a_hand_count(demo) -> None:
    cases, contacts = _cases(), _contacts()

    def step(opens_done_from: int, closes: int, modes_ok: Any) -> tuple[int, int]:
        due = [cid for cid, c in cases.items()
               if FIRST <= c["born"] + timedelta(days=closes) <= LAST
               and (c["closed"] is None or c["closed"] >= c["born"] + timedelta(days=closes))]
        done = [cid for cid in due if any(
            k["case"] == cid and modes_ok(k["mode"])
            and cases[cid]["born"] + timedelta(days=opens_done_from) <= k["on"]
            <= cases[cid]["born"] + timedelta(days=closes) for k in contacts)]
        return len(due), len(done)

    ward_due, ward_done = step(0, 2, lambda mode: mode == "ward")
    follow_due, follow_done = step(126, 154, lambda mode: mode not in ("ward", "group"))
    in_month = [k for k in contacts if FIRST <= k["on"] <= LAST]
    expected = {
        "registered": sum(FIRST <= c["born"] <= LAST for c in cases.values()),
        "ward_visit_due": ward_due, "ward_visit_done": ward_done,
        "follow_up_due": follow_due, "follow_up_done": follow_done,
        "contacts": {mode: sum(k["mode"] == mode for k in in_month) for mode in MODES},
        "contact_hours": {mode: round(sum(k["minutes"] for k in in_month if k["mode"] == mode) / 60, 2)
                          for mode in MODES},
    }
    assert expected["registered"] >= 10 and expected["ward_visit_due"] >= 10 and expected["follow_up_due"] >= 3
    result = demo.test_cli_runner().invoke(
        args=["report", "monthly", "--org", "surestart", "--month", "2026-11", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["peer_support"] == expected
