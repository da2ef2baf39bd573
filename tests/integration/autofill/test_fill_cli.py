"""`rota fill` on the demo's Tackley month with gaps, dry runs, and bad input."""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.factories import make_member, make_org, make_role, make_shift, make_site, utc
from volunteers.core.models import Organisation
from volunteers.demo.data import load_demo
from volunteers.people.models import Membership
from volunteers.rota.candidates import load_candidates, open_shifts_for
from volunteers.rota.domain.eligibility import check
from volunteers.rota.models import Assignment, Shift
from volunteers.wellbeing import ShiftSpan, VolunteerSchedule, evaluate_volunteer, is_at_least, severity_rank
from volunteers.wellbeing.services import policy_for, schedules_for

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the demo's "today": December is next month's rota
DECEMBER = ("--from", "2026-12-01", "--to", "2026-12-31")
LONDON = ZoneInfo("Europe/London")


@pytest.fixture()
def demo(db, clock):
    load_demo(NOW)
    db.session.commit()
    clock.now = NOW
    return db.session.scalar(select(Organisation).where(Organisation.slug == "tackley"))


def _assignments(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Assignment))


def _serious(schedule: VolunteerSchedule, org: Organisation, membership) -> dict:
    return {(w.rule, w.episode_key): w for w in evaluate_volunteer(schedule, NOW, LONDON, policy_for(org, membership))
            if is_at_least(w.severity, "warning")}


def test_fill_takes_every_place_anyone_can_take_without_a_new_warning(demo, db, runner) -> None:
    org = demo
    window = (datetime(2026, 8, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC))
    before = schedules_for(org, None, *window)
    last_id = db.session.scalar(select(func.max(Assignment.id)))
    result = runner.invoke(args=["rota", "fill", "--org", "tackley", *DECEMBER, "--time-limit", "4"])
    assert result.exit_code == 0, result.output
    auto = list(db.session.scalars(select(Assignment).where(Assignment.organisation_id == org.id,
                                                             Assignment.id > last_id)))
    assert {a.source for a in auto} == {"auto"}
    assert auto and f"Saved {len(auto)} places" in result.output
    auto_ids = {str(a.id) for a in auto}
    after = schedules_for(org, None, *window)
    members = {m.id: m for m in db.session.scalars(select(Membership).where(Membership.organisation_id == org.id))}
    # No warning of severity "warning" or above that the auto places raised or made worse.
    for mid, schedule in after.items():
        old = _serious(before[mid], org, members[mid])
        for key, warning in _serious(schedule, org, members[mid]).items():
            if auto_ids & set(warning.shift_refs):
                was = old.get(key)
                assert was is not None and (severity_rank(was.severity), was.value) >= (
                    severity_rank(warning.severity), warning.value), warning.message
    # Every place still open is one nobody eligible can take without a new warning.
    start, end = datetime(2026, 12, 1, tzinfo=LONDON), datetime(2027, 1, 1, tzinfo=LONDON)
    shifts = list(db.session.scalars(select(Shift).where(Shift.organisation_id == org.id, Shift.status == "planned",
                                                         Shift.starts_at >= start, Shift.starts_at < end)))
    domain = open_shifts_for(org, shifts)
    people = load_candidates(org, None, start, end)
    left = [s for s in shifts if domain[s.id].open_places]
    for shift in left:
        for mid, person in people.items():
            membership = members[mid]
            if check(person, domain[shift.id], LONDON) or not (
                    membership.role == "volunteer" or (membership.pledged_hours_per_week or 0) > 0):
                continue
            extra = ShiftSpan(shift.starts_at, shift.ends_at, shift.role.name, float(shift.role.intensity),
                              shift.role.on_call, ref="extra")
            schedule = after[mid]
            more = VolunteerSchedule(schedule.id, schedule.pledged_hours_per_week,
                                     tuple(sorted((*schedule.shifts, extra), key=lambda s: s.start)),
                                     schedule.last_supervised_on)
            old = _serious(schedule, org, membership)
            new = [w for key, w in _serious(more, org, membership).items()
                   if "extra" in w.shift_refs and (key not in old or (severity_rank(old[key].severity), old[key].value)
                                                   < (severity_rank(w.severity), w.value))]
            assert new, f"{person.name} could take shift {shift.id} on {shift.local_date} without a warning"
    assert "Left open" in result.output or not left


def test_dry_run_prints_the_proposal_and_saves_nothing(demo, db, runner) -> None:
    count = _assignments(db)
    result = runner.invoke(args=["rota", "fill", "--org", "tackley", "--from", "2026-12-07", "--to", "2026-12-13",
                                 "--dry-run", "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    assert "dry run: nothing saved" in result.output and "Who goes where" in result.output
    assert "Hours this period against pledge" in result.output
    db.session.expire_all()
    assert _assignments(db) == count


@pytest.mark.parametrize("args, message", [
    (["--org", "nowhere", *DECEMBER], "no organisation called 'nowhere'"),
    (["--org", "tackley", "--from", "2026-12-32", "--to", "2026-12-31"], "--from: expected a date"),
    (["--org", "tackley", "--from", "2026-12-31", "--to", "2026-12-01"], "--to: 2026-12-01 is before"),
    (["--org", "tackley", *DECEMBER, "--time-limit", "0"], "--time-limit"),
])
def test_bad_input_exits_non_zero_and_saves_nothing(db, runner, clock, args, message) -> None:
    org = make_org("tackley")
    role, site = make_role(org), make_site(org)
    shift = make_shift(org, role, site, utc(2026, 12, 2).date())
    make_member(org, "ann@example.org")
    db.session.commit()
    clock.now = NOW
    result = runner.invoke(args=["rota", "fill", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert _assignments(db) == 0 and shift.filled == 0


def test_fill_saves_with_source_auto_and_explains_what_stays_open(db, runner, clock) -> None:
    org = make_org("tackley")
    role, site = make_role(org), make_site(org)
    post = make_role(org, "Post Office counter", requires=())
    day = utc(2026, 12, 2).date()
    make_shift(org, role, site, day, needed=2)
    make_shift(org, post, site, day + timedelta(days=1), needed=1)
    make_member(org, "ann@example.org")
    make_member(org, "coordinator@example.org", role="coordinator", pledge=None)
    db.session.commit()
    clock.now = NOW
    result = runner.invoke(args=["rota", "fill", "--org", "tackley", "--from", "2026-12-01", "--to", "2026-12-07",
                                 "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    saved = list(db.session.scalars(select(Assignment)))
    assert {a.source for a in saved} == {"auto"} and len(saved) == 2  # Ann on both; the coordinator runs the rota
    assert "place 2: nobody qualified" in result.output
    by_member = defaultdict(int)
    for a in saved:
        by_member[a.membership_id] += 1
    assert list(by_member.values()) == [2]
