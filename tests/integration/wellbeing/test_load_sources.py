"""Peer-support work counts as load: the registered source, re-judging at commit, the scan and the candidate list.

Wellbeing cannot import peersupport (it sits below it); peersupport
registers a load source in ``app.register_reactions``, and every place that
builds schedules — the scan, the prospective checks, the candidate list —
reads it.
"""
from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from volunteers.autofill.ranking import candidate_list
from volunteers.peersupport.casework import hand_over
from volunteers.peersupport.load import SOURCE, contact_load
from volunteers.peersupport.models import Contact, SupportedPerson
from volunteers.people.models import Membership
from volunteers.wellbeing import load_sources
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.scan import judge, scan


def _cases(db, org, counsellor: Membership, count: int, born_on: date, start: int = 0) -> list[SupportedPerson]:
    cases = [SupportedPerson(organisation_id=org.id, reference=f"M{start + k:03d}", first_name=f"Mum {start + k}",
                             born_on=born_on, supporter_membership_id=counsellor.id) for k in range(count)]
    db.session.add_all(cases)
    db.session.flush()
    return cases


def _open(db, membership_id: int) -> dict[str, LoadWarning]:
    return {w.rule: w for w in db.session.scalars(
        select(LoadWarning).where(LoadWarning.membership_id == membership_id, LoadWarning.status != "resolved"))}


def test_create_app_registers_the_peer_support_source(app) -> None:
    assert SOURCE in load_sources.registered()


def test_cases_above_the_limit_raise_caseload_at_commit_and_closing_one_resolves_it(db, clock) -> None:
    org = make_org("surestart")
    kim = make_member(org, "kim@example.org", password=None)
    kim.caseload_limit = 4
    cases = _cases(db, org, kim, 5, clock.now.date() - timedelta(days=30))
    db.session.commit()  # no shift at all: her cases alone are judged
    warning = _open(db, kim.id)["caseload"]
    assert (warning.severity, float(warning.value), float(warning.threshold)) == ("warning", 1.25, 1.0)
    assert warning.message.startswith("5 open cases against a caseload limit of 4")
    assert warning.evidence["open_cases"] == 5 and warning.evidence["shifts"] == []
    cases[0].status, cases[0].closed_on, cases[0].closed_reason = "closed", clock.now.date(), "moved_away"
    db.session.commit()
    assert "caseload" not in _open(db, kim.id)
    resolved = db.session.get(LoadWarning, warning.id)
    assert (resolved.status, resolved.resolved_reason) == ("resolved", "fell_back")


def test_lowering_a_caseload_limit_re_judges_at_commit(db, clock) -> None:
    org = make_org("surestart")
    kim = make_member(org, "kim@example.org", password=None)
    kim.caseload_limit = 10
    _cases(db, org, kim, 5, clock.now.date() - timedelta(days=30))
    db.session.commit()
    assert "caseload" not in _open(db, kim.id)
    kim.caseload_limit = 3  # the limit is the only change: the commit must judge her again
    db.session.commit()
    assert _open(db, kim.id)["caseload"].severity == "critical"  # 5 / 3 > 1.5


def test_a_contact_logged_counts_in_weekly_load_at_commit(db, clock) -> None:
    org = make_org("surestart")
    role, site = make_role(org, "Ward visits"), make_site(org, "Maternity ward")
    kim = make_member(org, "kim@example.org", password=None, pledge=None)
    monday = clock.now.date() - timedelta(days=7)
    for k in range(3):  # 12 hours of ward shifts in last week: under the weekly warning of 15
        put_on(make_shift(org, role, site, monday + timedelta(days=k), time(9), time(13), needed=1), kim)
    (case,) = _cases(db, org, kim, 1, monday)
    db.session.commit()
    assert "weekly_load" not in _open(db, kim.id)
    db.session.add(Contact(organisation_id=org.id, supported_person_id=case.id, contact_on=monday + timedelta(days=3),
                           mode="home", minutes=240, membership_id=kim.id))
    db.session.commit()  # the contact's flush announces her: judged again before the commit
    warning = _open(db, kim.id)["weekly_load"]
    assert float(warning.value) == 16.0
    assert warning.evidence["logged_hours"] == 4.0 and warning.evidence["logged"][0]["source"] == "contact"
    assert "4 of those hours were logged (contact), not rostered" in warning.message


def test_the_source_reads_a_window_and_other_organisations_never(db, clock) -> None:
    org, other = make_org("surestart"), make_org("tackley")
    kim = make_member(org, "kim@example.org", password=None)
    stranger = make_member(other, "s@example.org", password=None)
    (case,) = _cases(db, org, kim, 1, date(2026, 10, 1))
    (theirs,) = _cases(db, other, stranger, 1, date(2026, 10, 1))
    for on in (date(2026, 10, 1), date(2026, 11, 2)):
        db.session.add(Contact(organisation_id=org.id, supported_person_id=case.id, contact_on=on, mode="phone",
                               minutes=30, membership_id=kim.id))
    db.session.add(Contact(organisation_id=other.id, supported_person_id=theirs.id, contact_on=date(2026, 11, 2),
                           mode="phone", minutes=30, membership_id=stranger.id))
    db.session.flush()
    since = clock.now - timedelta(days=40)  # 21 Oct 2026
    found = contact_load(org, None, since, None)
    assert list(found) == [kim.id]
    assert [(e.on, e.hours) for e in found[kim.id].logged] == [(date(2026, 11, 2), 0.5)]
    assert found[kim.id].open_cases == 1
    assert judge(org, None, clock.now).judged == {kim.id}


def test_the_candidate_list_shows_a_counsellor_over_her_caseload_below_the_others(db, clock) -> None:
    org = make_org("surestart")
    role, site = make_role(org, "Ward visits"), make_site(org, "Maternity ward")
    kim = make_member(org, "kim@example.org", name="Kim", password=None)
    amy = make_member(org, "amy@example.org", name="Amy", password=None)
    kim.caseload_limit = amy.caseload_limit = 3
    _cases(db, org, kim, 4, clock.now.date() - timedelta(days=20))
    _cases(db, org, amy, 3, clock.now.date() - timedelta(days=20), start=10)  # at her limit, not above
    shift = make_shift(org, role, site, clock.now.date() + timedelta(days=2), time(9), time(13), needed=1)
    db.session.commit()
    rows = candidate_list(org, shift, clock.now).eligible
    by_name = {row.name: row for row in rows}
    assert [w.rule for w in by_name["Kim"].warnings] == ["caseload"]
    assert by_name["Kim"].warnings[0].severity == "warning"
    assert by_name["Amy"].warnings == []
    assert [row.name for row in rows] == ["Amy", "Kim"]  # a warning puts her below


def test_a_full_scan_judges_people_with_cases_but_no_places(db, clock) -> None:
    org = make_org("surestart")
    kim = make_member(org, "kim@example.org", password=None)
    kim.caseload_limit = 2
    _cases(db, org, kim, 4, clock.now.date() - timedelta(days=20))
    db.session.flush()
    db.session.execute(LoadWarning.__table__.delete())
    result = scan(org, clock.now)
    assert result.new == 1 and _open(db, kim.id)["caseload"].severity == "critical"
    again = scan(org, clock.now + timedelta(days=3))  # the same episode: updated in place, not raised again
    assert again.new == 0 and _open(db, kim.id)["caseload"].episode_key == "open-cases"


def test_the_warnings_page_names_a_caseload_warning_and_its_numbers(db, clock, client, auth) -> None:
    org = make_org("surestart")
    make_member(org, "janet@example.org", role="coordinator", pledge=None)
    kim = make_member(org, "kim@example.org", name="Kim Bell", password=None)
    kim.caseload_limit = 4
    _cases(db, org, kim, 5, clock.now.date() - timedelta(days=30))
    db.session.commit()
    auth.login("janet@example.org")
    page = client.get("/warnings")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kim Bell" in html and "More open cases than their limit" in html
    assert "Open cases" in html and "Caseload limit" in html and "× caseload limit" in html


def test_a_hand_over_re_judges_both_caseloads_at_commit(db, clock) -> None:
    org = make_org("surestart")
    janet = make_member(org, "janet@example.org", role="coordinator", pledge=None)
    amy = make_member(org, "amy@example.org", password=None)
    kim = make_member(org, "kim@example.org", password=None)
    amy.caseload_limit, kim.caseload_limit = 3, 2
    _cases(db, org, amy, 4, clock.now.date() - timedelta(days=20))
    db.session.commit()
    assert _open(db, amy.id)["caseload"].severity == "warning" and "caseload" not in _open(db, kim.id)
    assert hand_over(org, amy.id, kim.id, now=clock.now, actor=janet) == 4
    db.session.commit()
    assert "caseload" not in _open(db, amy.id)
    assert _open(db, kim.id)["caseload"].severity == "critical"  # 4 of 2: twice her limit
