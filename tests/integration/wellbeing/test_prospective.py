"""Prospective warnings: what a place about to be given would newly raise or make worse."""
from __future__ import annotations

from datetime import timedelta

from tests.integration.wellbeing.conftest import MONDAY, NOW
from tests.querycount import statements_run
from volunteers.rota.models import Shift
from volunteers.wellbeing import ShiftSpan
from volunteers.wellbeing.services import prospective_warnings, prospective_warnings_for


def test_a_third_consecutive_helpline_night_raises_consecutive_nights(db, helpline, member) -> None:
    leanne = member("leanne@example.org", pledge=6)
    helpline.nights(leanne, MONDAY + timedelta(days=4), 2)  # Fri and Sat nights on call
    sunday_night = helpline.shift(MONDAY + timedelta(days=6), "23:00", "07:00", helpline.on_call, needed=1)
    warnings = prospective_warnings(helpline.org, leanne, [sunday_night], NOW)
    (nights,) = [w for w in warnings if w.rule == "consecutive_nights"]
    assert (nights.severity, nights.value, nights.prospective) == ("warning", 3.0, True)
    assert nights.message.startswith("Night duties on 3 consecutive dates, 4–6 Dec 2026")
    assert f"shift:{sunday_night.id}" in nights.shift_refs


def test_two_nights_are_fine_and_the_fourth_is_worse(db, helpline, member) -> None:
    leanne = member("leanne@example.org", pledge=None)
    helpline.nights(leanne, MONDAY + timedelta(days=4), 1)
    second = helpline.shift(MONDAY + timedelta(days=5), "23:00", "07:00", helpline.on_call)
    assert [w.rule for w in prospective_warnings(helpline.org, leanne, [second], NOW)] == []
    helpline.nights(leanne, MONDAY + timedelta(days=5), 2)  # Sat and Sun: already a warning
    fourth = helpline.shift(MONDAY + timedelta(days=7), "23:00", "07:00", helpline.on_call)
    (worse,) = [w for w in prospective_warnings(helpline.org, leanne, [fourth], NOW)
                if w.rule == "consecutive_nights"]
    assert worse.severity == "critical"


def test_a_healthy_14_hour_volunteer_gets_nothing_for_another_usual_shift(db, helpline, member) -> None:
    steady = member("steady@example.org", pledge=14)
    start = MONDAY - timedelta(weeks=8)
    for offset in (0, 2, 4):  # Mon, Wed, Fri 09:00–13:00
        helpline.weekly(steady, start + timedelta(days=offset), 8, "09:00", "13:00")
    helpline.weekly(steady, start + timedelta(days=5), 8, "10:00", "12:00")  # Sat
    monday = helpline.shift(MONDAY + timedelta(days=7), "09:00", "13:00")
    assert prospective_warnings(helpline.org, steady, [monday], NOW) == []


def test_an_existing_warning_no_worse_is_not_repeated(db, helpline, member) -> None:
    margaret = member("margaret@example.org", pledge=6)
    helpline.weekly(margaret, MONDAY - timedelta(weeks=4), 8, "09:00", "18:00")  # 9 h Mondays: long duty
    tuesday = helpline.shift(MONDAY + timedelta(days=1), "09:00", "10:00")
    rules = {w.rule for w in prospective_warnings(helpline.org, margaret, [tuesday], NOW)}
    assert "long_duty" not in rules


def test_a_place_already_held_is_not_counted_twice(db, helpline, member) -> None:
    leanne = member("leanne@example.org")
    held = helpline.nights(leanne, MONDAY + timedelta(days=4), 3)
    again = db.session.get(Shift, held[2].shift_id)
    nights = [w for w in prospective_warnings(helpline.org, leanne, [again], NOW) if w.rule == "consecutive_nights"]
    assert [(w.severity, w.value) for w in nights] == [("warning", 3.0)]


def test_unsaved_shifts_and_spans_are_judged_too(db, helpline, member) -> None:
    leanne = member("leanne@example.org")
    helpline.nights(leanne, MONDAY + timedelta(days=4), 2)
    saved = helpline.shift(MONDAY + timedelta(days=6), "23:00", "07:00", helpline.on_call)
    unsaved = Shift(organisation_id=helpline.org.id, role_id=helpline.on_call.id, site_id=helpline.site.id,
                    starts_at=saved.starts_at, ends_at=saved.ends_at, local_date=saved.local_date)
    (from_row,) = [w for w in prospective_warnings(helpline.org, leanne, [unsaved], NOW)
                   if w.rule == "consecutive_nights"]
    assert "new:0" in from_row.shift_refs
    span = ShiftSpan(saved.starts_at, saved.ends_at, "Helpline on call", 1.5, on_call=True)
    assert [w.rule for w in prospective_warnings(helpline.org, leanne, [span], NOW)
            if w.rule == "consecutive_nights"] == ["consecutive_nights"]


def test_personal_limits_tighten_the_policy(db, helpline, member) -> None:
    careful = member("careful@example.org", pledge=None)
    careful.limits = {"long_duty": {"warning": 3}}
    helpline.org.settings = {"load_policy": {"weekly_load": {"warning": 5}}}
    long_shift = helpline.shift(MONDAY + timedelta(days=2), "09:00", "13:00")
    rules = {w.rule: w.threshold for w in prospective_warnings(helpline.org, careful, [long_shift], NOW)}
    assert rules == {"long_duty": 3.0}
    more = [helpline.shift(MONDAY + timedelta(days=d), "09:00", "11:00") for d in (3, 4, 5)]
    rules = {w.rule for w in prospective_warnings(helpline.org, careful, [long_shift, *more], NOW)}
    assert "weekly_load" in rules


def test_the_candidate_list_costs_the_same_queries_for_many_people(db, helpline, member) -> None:
    people = [member(f"p{k}@example.org") for k in range(12)]
    for person in people:
        helpline.nights(person, MONDAY + timedelta(days=4), 2)
    target = helpline.shift(MONDAY + timedelta(days=6), "23:00", "07:00", helpline.on_call, needed=12)
    db.session.flush()
    with statements_run() as few:
        prospective_warnings_for(helpline.org, people[:2], [target], NOW)
    with statements_run() as many:
        found = prospective_warnings_for(helpline.org, people, [target], NOW)
    assert len(many) == len(few) <= 4  # roles, places, and the peer-support load source's one
    assert all(any(w.rule == "consecutive_nights" for w in found[p.id]) for p in people)


def test_other_organisations_places_do_not_count(db, helpline, member) -> None:
    from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on

    leanne = member("leanne@example.org")
    other = make_org("other")
    role, site = make_role(other, "Nights", on_call=True), make_site(other, "Elsewhere")
    elsewhere = make_member(other, "leanne@example.org")
    from datetime import time
    for k in (4, 5):
        put_on(make_shift(other, role, site, MONDAY + timedelta(days=k), time(23), time(7)), elsewhere)
    third = helpline.shift(MONDAY + timedelta(days=6), "23:00", "07:00", helpline.on_call)
    assert prospective_warnings(helpline.org, leanne, [third], NOW) == []


def test_the_candidate_list_judges_each_person_as_prospective_warnings_does(db, helpline, member, clock) -> None:
    """The candidate list judges people from the rows it read them with, not their memberships: same answers."""
    from datetime import date

    from volunteers.autofill.ranking import candidate_list

    people = [member(f"p{k}@example.org", pledge=[None, 2, 6, 14][k % 4]) for k in range(8)]
    people[1].limits = {"long_duty": {"warning": 3}}
    people[2].limits = {"consecutive_nights": {"warning": 2}}
    people[3].caseload_limit = 0
    people[4].last_supervised_on = date(2026, 6, 1)
    for k, person in enumerate(people):
        helpline.nights(person, MONDAY + timedelta(days=5 - k % 3), 1 + k % 3)
    target = helpline.shift(MONDAY + timedelta(days=6), "23:00", "07:00", helpline.on_call, needed=12)
    db.session.commit()
    rows = candidate_list(helpline.org, target, NOW, limit=None).eligible
    assert {row.membership_id for row in rows} == {p.id for p in people}
    assert any(row.warnings for row in rows)
    for row in rows:
        assert row.warnings == prospective_warnings(helpline.org, db.session.get(type(people[0]), row.membership_id),
                                                    [target], NOW), row.name
