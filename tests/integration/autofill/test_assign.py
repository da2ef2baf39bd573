"""Assigning by hand: ranked candidates with their load, eligibility overrides, load-warning accepts.

Also removing someone from a shift and cancelling a shift.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_member, make_role, make_shift, put_on, utc
from volunteers.autofill import assign as assigning
from volunteers.autofill.ranking import candidate_list
from volunteers.core.errors import ServiceError
from volunteers.core.models import AuditLogEntry
from volunteers.mail.models import OutboxMessage
from volunteers.people import services as people
from volunteers.people.domain.availability import parse_availability
from volunteers.people.models import Leave
from volunteers.rota import services
from volunteers.rota.models import Assignment, Shift
from volunteers.rota.places import PlaceError

NOW = utc(2026, 11, 2, 8)
DAY = date(2026, 11, 10)  # a Tuesday


@dataclass(frozen=True)
class FakeWarning:
    rule: str
    severity: str
    message: str


@pytest.fixture()
def warnings_for(monkeypatch):
    """Make wellbeing's prospective warnings return the given warnings per membership id."""
    import volunteers.wellbeing.services as wellbeing

    table: dict[int, list[FakeWarning]] = {}

    def fake(org, memberships, shifts, now, steady=None):  # ``steady`` left empty: faked answers are not kept
        assert all(isinstance(s, Shift) for s in shifts)
        return {m.id: table.get(m.id, []) for m in memberships}

    monkeypatch.setattr(wellbeing, "prospective_warnings_for", fake)
    return table


def test_candidates_are_ranked_by_load_against_pledge_with_their_hours(rota, db) -> None:
    shift = make_shift(rota.org, rota.role, rota.site, DAY, needed=2)
    busy = make_shift(rota.org, rota.role, rota.site, DAY - timedelta(days=1), time(9), time(17), needed=1)
    put_on(busy, rota.ann)  # 8 h this week and month against a 4 h pledge
    result = candidate_list(rota.org, shift, NOW)
    names = [r.name for r in result.eligible]
    # nothing done yet first (by name), then Ann (8 h of a 4 h pledge), then no pledge at all
    assert names == ["Bob Baker", "Cora Ordinator", "Ann Archer", "Cat Carter"]
    ann = result.eligible[2]
    assert (ann.week_hours, ann.month_hours, ann.pledge_week) == (8.0, 8.0, 4.0)
    assert round(ann.pledge_month, 2) == round(4 * 30 / 7, 2)


def test_ineligible_people_are_listed_with_reasons_only_when_asked(rota, db) -> None:
    dbs = people.qualification_named(rota.org, "DBS check")
    role = make_role(rota.org, "Post Office counter", requires=(dbs.id,))
    people.set_qualification(rota.org, rota.ann, dbs, date(2026, 11, 9))  # expired the day before
    people.set_qualification(rota.org, rota.bob, dbs, None)
    db.session.add(Leave(organisation_id=rota.org.id, membership_id=rota.cat.id, starts_on=DAY, ends_on=DAY))
    shift = make_shift(rota.org, role, rota.site, DAY)
    short = candidate_list(rota.org, shift, NOW)
    assert [r.name for r in short.eligible] == ["Bob Baker"] and short.ineligible == []  # Cora has no DBS
    full = candidate_list(rota.org, shift, NOW, include_ineligible=True)
    reasons = {r.name: [x.message for x in r.reasons] for r in full.ineligible}
    assert reasons["Ann Archer"] == ["DBS check expired on 9 Nov 2026"]
    assert "on leave 10 Nov 2026" in reasons["Cat Carter"]


def test_people_already_on_the_shift_or_on_an_overlapping_one_are_not_offered(rota, db) -> None:
    shift = make_shift(rota.org, rota.role, rota.site, DAY)
    put_on(shift, rota.ann)
    clash = make_shift(rota.org, rota.role, rota.site, DAY, time(12), time(14))
    put_on(clash, rota.bob)
    result = candidate_list(rota.org, shift, NOW, include_ineligible=True)
    assert "Ann Archer" not in [r.name for r in result.eligible + result.ineligible]
    assert [r.reasons[0].code for r in result.ineligible if r.name == "Bob Baker"] == ["overlap"]


def test_the_short_list_offers_exactly_whom_the_full_list_finds_eligible(rota, db) -> None:
    # without "show all" eligibility is answered by rota's index, not check(): the same people, order and count
    dbs = people.qualification_named(rota.org, "DBS check")
    role = make_role(rota.org, "Post Office counter", requires=(dbs.id,))
    for n, member in enumerate([rota.ann, rota.bob, rota.cat, rota.coordinator]):
        people.set_qualification(rota.org, member, dbs, None if n else date(2026, 11, 9))  # Ann's expired
    for n in range(5):
        extra = make_member(rota.org, f"p{n}@example.org", name=f"Pat {n}", pledge=n or None)
        people.set_qualification(rota.org, extra, dbs, None if n != 1 else DAY)  # Pat 1's lasts the day
        if n == 2:
            people.set_availability(rota.org, extra, parse_availability("Mon 08:00-14:00"))  # not on Tuesdays
        if n == 3:
            db.session.add(Leave(organisation_id=rota.org.id, membership_id=extra.id, starts_on=DAY, ends_on=DAY))
        if n == 4:
            put_on(make_shift(rota.org, rota.role, rota.site, DAY, time(12), time(14)), extra)
    put_on(make_shift(rota.org, rota.role, rota.site, DAY - timedelta(days=1), time(9), time(17), needed=1), rota.bob)
    shift = make_shift(rota.org, role, rota.site, DAY, needed=3)
    put_on(shift, rota.cat)
    for limit in (2, None):
        short = candidate_list(rota.org, shift, NOW, limit=limit)
        full = candidate_list(rota.org, shift, NOW, limit=limit, include_ineligible=True)
        assert [(r.membership_id, r.week_hours, r.month_hours, r.pledge_month, r.warnings) for r in short.eligible] \
            == [(r.membership_id, r.week_hours, r.month_hours, r.pledge_month, r.warnings) for r in full.eligible]
        assert short.more == full.more and short.ineligible == []
    assert sorted(r.name for r in full.eligible) == ["Bob Baker", "Cora Ordinator", "Pat 0", "Pat 1"]
    assert sorted(r.name for r in full.ineligible) == ["Ann Archer", "Pat 2", "Pat 3", "Pat 4"]


def test_assigning_an_eligible_person_takes_a_place_with_an_ordinary_audit_entry(rota, db) -> None:
    shift = make_shift(rota.org, rota.role, rota.site, DAY)
    outcome = assigning.assign(rota.org, shift.id, rota.bob.id, actor_person_id=rota.coordinator.person_id, now=NOW)
    assert outcome.needs is None and outcome.assignment.source == "coordinator"
    assert outcome.assignment.override_reason is None
    assert db.session.get(Shift, shift.id).filled == 1
    entry = db.session.scalar(select(AuditLogEntry))
    assert (entry.action, entry.target_id, entry.reason) == ("rota.assign", outcome.assignment.id, None)


def test_assigning_an_ineligible_person_needs_a_reason_and_is_audited(rota, db) -> None:
    db.session.add(Leave(organisation_id=rota.org.id, membership_id=rota.ann.id, starts_on=DAY, ends_on=DAY))
    shift = make_shift(rota.org, rota.role, rota.site, DAY)
    refused = assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW)
    assert refused.needs == "override" and refused.assignment is None
    assert refused.reasons[0].code == "on_leave"
    assert db.session.get(Shift, shift.id).filled == 0
    done = assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=rota.coordinator.person_id, now=NOW,
                           override_reason="  Came back early, asked to help  ")
    assert done.assignment.override_reason == "Came back early, asked to help"
    entry = db.session.scalar(select(AuditLogEntry))
    assert entry.action == "rota.assign_override" and entry.target_id == done.assignment.id
    assert entry.reason == "Came back early, asked to help" and entry.details["ineligible"] == ["on leave 10 Nov 2026"]


def test_a_warning_level_load_warning_needs_one_click(rota, db, warnings_for) -> None:
    warnings_for[rota.ann.id] = [FakeWarning("weekly_load", "warning", "16 h of load in 7 days")]
    shift = make_shift(rota.org, rota.role, rota.site, DAY)
    assert candidate_list(rota.org, shift, NOW).eligible[0].worst_warning is None  # Bob first, no warnings
    listed = {r.name: r for r in candidate_list(rota.org, shift, NOW).eligible}
    assert listed["Ann Archer"].worst_warning == "warning"
    first = assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW)
    assert first.needs == "accept" and first.warnings[0].rule == "weekly_load"
    done = assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW, accept_warnings=True)
    assert done.assignment.override_reason == "Load warning accepted: weekly_load (warning)"
    assert db.session.scalar(select(AuditLogEntry.details)).get("warnings")[0]["rule"] == "weekly_load"


def test_a_critical_load_warning_needs_a_typed_reason(rota, db, warnings_for) -> None:
    warnings_for[rota.ann.id] = [FakeWarning("short_rest", "critical", "6 h rest")]
    shift = make_shift(rota.org, rota.role, rota.site, DAY)
    assert assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW).needs == "reason"
    clicked = assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW, accept_warnings=True)
    assert clicked.needs == "reason"
    done = assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW,
                           override_reason="Only trained person free")
    assert done.assignment.override_reason == "Only trained person free"


def test_notices_do_not_stop_an_assignment(rota, db, warnings_for) -> None:
    warnings_for[rota.bob.id] = [FakeWarning("over_pledge", "notice", "a little over")]
    shift = make_shift(rota.org, rota.role, rota.site, DAY)
    assert assigning.assign(rota.org, shift.id, rota.bob.id, actor_person_id=None, now=NOW).needs is None


def test_a_full_shift_refuses_and_someone_already_on_is_told(rota, db) -> None:
    shift = make_shift(rota.org, rota.role, rota.site, DAY, needed=1)
    assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW)
    with pytest.raises(PlaceError) as already:
        assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW)
    assert already.value.code == "already_on"
    with pytest.raises(PlaceError) as full:
        assigning.assign(rota.org, shift.id, rota.bob.id, actor_person_id=None, now=NOW)
    assert full.value.code == "full"


def test_removing_someone_frees_their_place(rota, db) -> None:
    shift = make_shift(rota.org, rota.role, rota.site, DAY, needed=1)
    outcome = assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW)
    services.remove_assignment(rota.org, outcome.assignment.id, NOW, rota.coordinator.person_id)
    assert db.session.get(Shift, shift.id).filled == 0
    assert assigning.assign(rota.org, shift.id, rota.bob.id, actor_person_id=None, now=NOW).assignment is not None


def test_cancelling_a_shift_tells_everyone_on_it(rota, db) -> None:
    shift = make_shift(rota.org, rota.role, rota.site, DAY)
    put_on(shift, rota.ann), put_on(shift, rota.bob)
    told = services.cancel_shift(rota.org, shift, NOW, rota.coordinator.person_id, "Hall flooded")
    assert told == 2 and shift.status == "cancelled" and shift.filled == 0
    assert {a.status for a in db.session.scalars(select(Assignment))} == {"cancelled"}
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.to_address)).all()
    assert [m.to_address for m in messages] == ["ann@example.org", "bob@example.org"]
    assert "Hall flooded" in messages[0].body_text and "Tue 10 Nov, 09:00–13:00" in messages[0].body_text
    assert services.cancel_shift(rota.org, shift, NOW, None) == 0  # twice is harmless


def test_needed_cannot_drop_below_the_people_on_the_shift(rota, db) -> None:
    shift = make_shift(rota.org, rota.role, rota.site, DAY, needed=2)
    put_on(shift, rota.ann), put_on(shift, rota.bob)
    with pytest.raises(ServiceError):
        services.set_needed(rota.org, shift, 1)
    services.set_needed(rota.org, shift, 3)
    assert shift.needed == 3


def test_a_one_off_shift_across_midnight_lasts_its_real_length(rota, db) -> None:
    spec = services.ShiftSpec(date(2026, 10, 24), time(22), time(6), rota.role.id, rota.site.id)
    shift = services.create_shift(rota.org, spec)
    assert shift.hours == 9 and shift.series_id is None


def _run_of_days(rota, member, days: int) -> None:
    """Put ``member`` on a 2-hour shift on each of the ``days`` days before DAY."""
    for n in range(days, 0, -1):
        shift = make_shift(rota.org, rota.role, rota.site, DAY - timedelta(days=n), time(10), time(12), needed=1)
        put_on(shift, member)


def test_the_real_load_rules_ask_for_a_click_at_six_days_in_a_row(rota, db) -> None:
    _run_of_days(rota, rota.ann, 5)
    shift = make_shift(rota.org, rota.role, rota.site, DAY)
    listed = {r.name: r for r in candidate_list(rota.org, shift, NOW).eligible}
    assert listed["Ann Archer"].worst_warning == "warning"
    assert [w.rule for w in listed["Ann Archer"].warnings] == ["consecutive_days"]
    assert listed["Bob Baker"].warnings == []
    assert [r.name for r in candidate_list(rota.org, shift, NOW).eligible][-1] == "Ann Archer"
    outcome = assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW)
    assert outcome.needs == "accept"
    done = assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW, accept_warnings=True)
    assert done.assignment.override_reason == "Load warning accepted: consecutive_days (warning)"


def test_the_real_load_rules_ask_for_a_reason_at_seven_days_in_a_row(rota, db) -> None:
    _run_of_days(rota, rota.ann, 6)
    shift = make_shift(rota.org, rota.role, rota.site, DAY)
    outcome = assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=None, now=NOW, accept_warnings=True)
    assert outcome.needs == "reason" and outcome.warnings[0].severity == "critical"
    done = assigning.assign(rota.org, shift.id, rota.ann.id, actor_person_id=rota.coordinator.person_id, now=NOW,
                           override_reason="Last week before her holiday; she asked")
    entry = db.session.scalar(select(AuditLogEntry))
    assert entry.reason == "Last week before her holiday; she asked"
    assert entry.details["warnings"][0] == {"rule": "consecutive_days", "severity": "critical",
                                            "message": done.warnings[0].message}
