"""The scan's life cycle: new, updated in place, worse (reopened), resolved when the shifts go."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.integration.wellbeing.conftest import MONDAY, NOW
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.services import acknowledge, rescan_people, scan, snooze


def _rows(db, rule: str | None = None) -> list[LoadWarning]:
    stmt = select(LoadWarning).order_by(LoadWarning.id)
    if rule:
        stmt = stmt.where(LoadWarning.rule == rule)
    return list(db.session.scalars(stmt))


def test_one_warning_per_episode_updated_in_place_then_worse_then_resolved(db, helpline, member) -> None:
    leanne = member("leanne@example.org", pledge=None)
    nights = helpline.nights(leanne, MONDAY - timedelta(days=3), 3, status="attended")  # Fri–Sun, worked
    first = scan(helpline.org, NOW)
    (row,) = _rows(db, "consecutive_nights")
    assert (first.new, row.severity, row.status, row.prospective) == (1, "warning", "open", False)
    assert row.evidence["episode"]["shift_refs"] == [str(a.id) for a in nights]
    assert [s["role"] for s in row.evidence["shifts"]] == ["Helpline on call"] * 3

    again = scan(helpline.org, NOW + timedelta(hours=1))
    assert (again.new, again.worse, again.updated, again.resolved) == (0, 0, 0, 0)

    fourth = helpline.nights(leanne, MONDAY, 1)  # Monday night, planned
    worse = scan(helpline.org, NOW + timedelta(hours=2))
    (same,) = _rows(db, "consecutive_nights")
    assert same.id == row.id and (worse.worse, worse.new) == (1, 0)
    assert (same.severity, float(same.value), same.prospective) == ("critical", 4.0, True)

    fifth = helpline.nights(leanne, MONDAY + timedelta(days=1), 1)  # still critical, a bigger value
    updated = scan(helpline.org, NOW + timedelta(hours=3))
    run, count = _rows(db, "consecutive_nights")  # five nights in 28 days is a second episode
    assert (updated.updated, updated.worse, updated.new) == (1, 0, 1)
    assert (run.id, float(run.value), count.episode_key[:6]) == (row.id, 5.0, "count:")

    for assignment in [*nights, *fourth, *fifth]:
        assignment.status = "cancelled"
    db.session.flush()
    gone = scan(helpline.org, NOW + timedelta(hours=4))
    assert (gone.resolved, gone.open) == (2, 0)
    assert [(r.id, r.status, r.resolved_reason) for r in _rows(db, "consecutive_nights")] == [
        (row.id, "resolved", "shifts_removed"), (count.id, "resolved", "shifts_removed")]


def test_a_warning_falls_back_when_a_long_shift_is_shortened(db, helpline, member) -> None:
    donna = member("donna@example.org", pledge=None)
    (place,) = helpline.weekly(donna, MONDAY + timedelta(days=2), 1, "08:00", "16:00")
    scan(helpline.org, NOW)
    assert [r.rule for r in _rows(db)] == ["long_duty"]
    from volunteers.rota.models import Shift
    shift = db.session.get(Shift, place.shift_id)
    shift.ends_at = shift.starts_at + timedelta(hours=5)
    db.session.flush()
    scan(helpline.org, NOW)
    (row,) = _rows(db)
    assert (row.status, row.resolved_reason) == ("resolved", "fell_back")


def test_the_same_episode_keeps_its_row_as_the_nights_go_by(db, helpline, member) -> None:
    margaret = member("margaret@example.org", pledge=6)
    start = MONDAY - timedelta(weeks=12)
    for offset in (0, 2, 4):
        helpline.weekly(margaret, start + timedelta(days=offset), 16, "09:00", "14:00")
    helpline.weekly(margaret, start + timedelta(days=2), 16, "14:00", "18:00")  # Wednesdays 09:00–18:00
    scan(helpline.org, NOW)
    before = {r.rule: r.id for r in _rows(db) if r.status == "open"}
    assert {"over_pledge", "weekly_load"} <= set(before)
    for day in range(1, 15):
        result = scan(helpline.org, NOW + timedelta(days=day))
        assert result.new == 0, day
    after = {r.rule: r.id for r in _rows(db) if r.status == "open"}
    assert after["over_pledge"] == before["over_pledge"] and after["weekly_load"] == before["weekly_load"]


def test_acknowledged_stays_quiet_until_it_gets_worse(db, helpline, member) -> None:
    coordinator = member("coordinator@example.org", role="coordinator")
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY + timedelta(days=2), 3)
    scan(helpline.org, NOW)
    (row,) = _rows(db, "consecutive_nights")
    acknowledge(helpline.org, row, coordinator.person, "Talked to Leanne; she is fine with it.", NOW)
    assert scan(helpline.org, NOW + timedelta(hours=1)).worse == 0
    assert row.status == "acknowledged" and row.acknowledged_note.startswith("Talked")
    helpline.nights(leanne, MONDAY + timedelta(days=5), 1)
    assert scan(helpline.org, NOW + timedelta(hours=2)).worse == 1
    assert (row.status, row.severity) == ("open", "critical")


def test_a_snooze_ends_when_the_warning_gets_worse(db, helpline, member) -> None:
    coordinator = member("coordinator@example.org", role="coordinator")
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY + timedelta(days=2), 3)
    scan(helpline.org, NOW)
    (row,) = _rows(db, "consecutive_nights")
    snooze(helpline.org, row, coordinator.person, NOW + timedelta(days=7), "After the holidays", NOW)
    assert row.snoozed_until is not None and row.status == "open"
    helpline.nights(leanne, MONDAY + timedelta(days=5), 1)
    scan(helpline.org, NOW + timedelta(hours=2))
    assert row.snoozed_until is None and row.severity == "critical"


def test_rescanning_some_people_leaves_the_others_alone(db, helpline, member) -> None:
    one, two = member("one@example.org", pledge=None), member("two@example.org", pledge=None)
    for person in (one, two):
        helpline.nights(person, MONDAY + timedelta(days=2), 3)
    result = rescan_people(helpline.org, [one.id], NOW)
    assert (result.people, result.new) == (1, 1)
    assert {r.membership_id for r in _rows(db)} == {one.id}
    assert rescan_people(helpline.org, [], NOW).people == 0


def test_rescanning_one_person_leaves_anothers_warning_of_the_same_episode_open(db, helpline, member) -> None:
    one, two = member("one@example.org", pledge=None), member("two@example.org", pledge=None)
    for person in (one, two):  # the same nights: the same episode key
        helpline.nights(person, MONDAY + timedelta(days=2), 3)
    scan(helpline.org, NOW)
    result = rescan_people(helpline.org, [one.id], NOW + timedelta(hours=1))
    assert (result.people, result.new, result.resolved) == (1, 0, 0)
    assert [(r.membership_id, r.status) for r in _rows(db)] == [(one.id, "open"), (two.id, "open")]


def test_a_person_who_left_has_their_warnings_resolved(db, helpline, member) -> None:
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY + timedelta(days=2), 3)
    scan(helpline.org, NOW)
    leanne.status = "left"
    db.session.flush()
    assert scan(helpline.org, NOW).resolved == 1
    assert _rows(db)[0].resolved_reason == "left"


def test_episodes_that_ended_long_ago_are_history(db, helpline, member) -> None:
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY - timedelta(days=20), 3, status="attended")
    scan(helpline.org, NOW)
    assert [r.status for r in _rows(db, "consecutive_nights")] == ["open"]
    scan(helpline.org, NOW + timedelta(days=14))
    (row,) = _rows(db, "consecutive_nights")
    assert (row.status, row.resolved_reason) == ("resolved", "ended")


def test_a_resolved_episode_that_comes_back_is_reopened_as_new(db, helpline, member) -> None:
    leanne = member("leanne@example.org", pledge=None)
    nights = helpline.nights(leanne, MONDAY + timedelta(days=2), 3)
    scan(helpline.org, NOW)
    nights[2].status = "cancelled"
    db.session.flush()
    scan(helpline.org, NOW)
    helpline.nights(leanne, MONDAY + timedelta(days=4), 1)
    result = scan(helpline.org, NOW)
    (row,) = _rows(db, "consecutive_nights")
    assert (result.new, row.status, row.notified_severity) == (1, "open", None)


def test_other_organisations_are_not_touched(db, helpline, member) -> None:
    from tests.factories import make_org

    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY + timedelta(days=2), 3)
    other = make_org("other")
    assert scan(other, NOW).open == 0
    assert scan(helpline.org, NOW).open == 1


def test_a_counsellor_never_supervised_counts_from_her_first_ward_visit_on_record(db, helpline, member) -> None:
    donna = member("donna@example.org", pledge=None)  # never supervised
    helpline.weekly(donna, MONDAY - timedelta(weeks=20), 20, "10:00", "12:00", helpline.ward)
    scan(helpline.org, NOW)  # reads 63 days back; the first visit was 140 days ago
    (row,) = _rows(db, "supervision_due")
    assert (row.severity, float(row.value)) == ("critical", 140.0)
    assert row.evidence["counted_from"] == (MONDAY - timedelta(weeks=20)).isoformat()
