"""Checks and training that keep themselves current: reminders, the expiring list, supervision sessions."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from tests.factories import make_member, make_org, make_role, make_shift, make_site, utc
from tests.querycount import statements_run
from volunteers.core.timeutil import local_date
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.people import services, supervision
from volunteers.people.models import PersonQualification, QualificationReminder, SupervisionSession
from volunteers.people.qualification_reminders import send_all, send_expiry_reminders
from volunteers.rota.places import take_place
from volunteers.wellbeing.models import LoadWarning

NOW = utc(2026, 11, 30, 8)


def _messages() -> list[tuple[str, str]]:
    return [(m.to_address, m.subject) for m in _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def _care(db):
    org = make_org("surestart", "Sure Start")
    make_member(org, "janet@surestart.example", role="coordinator", name="Janet Milburn")
    dbs = services.qualification_named(org, "DBS check")
    dbs.kind = "check"
    course = services.qualification_named(org, "Peer counsellor course")
    today = local_date(NOW, org.timezone)
    people = {}
    for email, name, qualification, ahead in (("kelly@x.example", "Kelly Robson", dbs, 60),
                                              ("leanne@x.example", "Leanne Dodds", course, 25),
                                              ("jo@x.example", "Jo Lambert", course, 61),
                                              ("gone@x.example", "Gone Away", course, 7)):
        member = make_member(org, email, name=name)
        services.set_qualification(org, member, qualification, today + timedelta(days=ahead))
        people[name] = member
    people["Gone Away"].status = "left"
    db.session.commit()
    return org, people, dbs, course


def test_reminders_go_once_per_record_and_threshold_to_the_person_and_the_coordinators(db, app) -> None:
    org, people, dbs, course = _care(db)
    assert send_expiry_reminders(org, NOW) == 2
    sent = _messages()
    assert ("kelly@x.example", "Your DBS check expires on 29 January 2027") in sent
    assert ("leanne@x.example", "Your Peer counsellor course expires on 25 December 2026") in sent
    assert ("janet@surestart.example", "2 qualifications expiring soon") in sent
    assert len(sent) == 3  # Jo is 61 days away; whoever left is not reminded
    digest = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "janet@surestart.example"))
    assert "Kelly Robson: DBS check expires Fri 29 Jan 2027 (60 days)" in digest.body_text
    assert "/people/expiring" in digest.body_text
    # the same day again, and the next: nothing new (Jo crosses 60 the next day)
    assert send_expiry_reminders(org, NOW) == 0 and len(_messages()) == 3
    assert send_expiry_reminders(org, NOW + timedelta(days=1)) == 1
    assert _messages()[-2][0] == "jo@x.example"
    # 30 days on, Kelly's DBS reaches 30 days: one more reminder, not a second 60-day one
    assert send_expiry_reminders(org, NOW + timedelta(days=30)) >= 1
    thresholds = _db.session.scalars(select(QualificationReminder.threshold_days).where(
        QualificationReminder.person_qualification_id == _record(people["Kelly Robson"]).id)).all()
    assert sorted(thresholds) == [30, 60]


def _record(member) -> PersonQualification:
    return _db.session.scalar(select(PersonQualification).where(PersonQualification.membership_id == member.id))


def test_a_renewed_record_is_reminded_afresh(db, app) -> None:
    org, people, dbs, course = _care(db)
    send_expiry_reminders(org, NOW)
    today = local_date(NOW, org.timezone)
    services.set_qualification(org, people["Leanne Dodds"], course, today + timedelta(days=20))
    assert send_expiry_reminders(org, NOW) == 1  # a new expiry date: its 30-day reminder is new


def test_the_job_runs_once_per_organisations_local_day_even_across_the_clock_change(db, app) -> None:
    org, people, dbs, course = _care(db)
    # 23:30 UTC on 29 March 2026 is 00:30 on the 30th in London (BST): the local day decides
    spring = datetime(2026, 3, 29, 23, 30, tzinfo=NOW.tzinfo)
    record = _record(people["Jo Lambert"])
    record.expires_on = date(2026, 4, 29)  # 30 days from the local date, 31 from the UTC one
    db.session.commit()
    assert send_all(spring) == {"surestart": 1}
    assert send_all(spring + timedelta(minutes=20)) == {}
    assert _db.session.scalar(select(QualificationReminder.threshold_days)) == 30


def test_the_expiring_list_shows_soon_and_lately_lapsed_records_of_active_members(db, client, auth, clock) -> None:
    clock.now = NOW
    org, people, dbs, course = _care(db)
    lapsed = _record(people["Jo Lambert"])
    lapsed.expires_on = date(2026, 11, 1)
    lapsed.certificate_number = "001234567890"
    other = make_org("elsewhere")
    stranger = make_member(other, "s@elsewhere.example", name="Sam Stranger")
    services.set_qualification(other, stranger, services.qualification_named(other, "DBS check"), date(2026, 12, 5))
    db.session.commit()
    auth.login("janet@surestart.example")
    assert 'href="/people/expiring"' in client.get("/people").get_data(as_text=True)
    page = client.get("/people/expiring").get_data(as_text=True)
    assert page.index("Jo Lambert") < page.index("Leanne Dodds") < page.index("Kelly Robson")
    assert "expired 29 days ago" in page and "001234567890" in page and "DBS/PVG check" in page
    assert "Gone Away" not in page and "Sam Stranger" not in page


def test_supervision_sessions_set_last_supervised_on_and_the_person_form_cannot_undo_it(
        db, client, auth, clock) -> None:
    clock.now = NOW
    org, people, dbs, course = _care(db)
    janet = _db.session.scalar(select(SupervisionSession.id))  # none yet
    assert janet is None
    leanne = people["Leanne Dodds"]
    leanne.last_supervised_on = date(2026, 8, 1)  # came with the seed
    db.session.commit()
    auth.login("janet@surestart.example")
    coordinator_id = supervision.supervisors(org)[0][0]
    client.post(f"/people/{leanne.id}/supervision", data={"held_on": "2026-11-20", "supervisor_id": coordinator_id,
                                                          "note": "Nights: agreed a break"})
    client.post(f"/people/{leanne.id}/supervision", data={"held_on": "2026-10-02", "supervisor_id": "0"})
    _db.session.expire_all()
    assert _db.session.get(type(leanne), leanne.id).last_supervised_on == date(2026, 11, 20)
    page = client.get(f"/people/{leanne.id}").get_data(as_text=True)
    assert "Nights: agreed a break" in page and "Janet Milburn" in page
    refused = client.post(f"/people/{leanne.id}/supervision", data={"held_on": "2026-12-25"},
                          follow_redirects=True).get_data(as_text=True)
    assert "in the future" in refused
    latest = _db.session.scalar(select(SupervisionSession).where(SupervisionSession.held_on == date(2026, 11, 20)))
    client.post(f"/people/{leanne.id}/supervision/{latest.id}/remove")
    _db.session.expire_all()
    assert _db.session.get(type(leanne), leanne.id).last_supervised_on == date(2026, 10, 2)
    # someone else's session, or another organisation's, is a 404
    kelly = people["Kelly Robson"]
    earlier = _db.session.scalar(select(SupervisionSession))
    assert client.post(f"/people/{kelly.id}/supervision/{earlier.id}/remove").status_code == 404
    assert _db.session.scalar(select(func.count()).select_from(SupervisionSession)) == 1


def test_a_check_records_its_certificate_and_update_service_date(db, client, auth, clock) -> None:
    clock.now = NOW
    org, people, dbs, course = _care(db)
    auth.login("janet@surestart.example")
    kelly = people["Kelly Robson"]
    client.post(f"/people/{kelly.id}/qualifications", data={
        "qualification": "DBS check", "expires_on": "2029-11-01", "certificate_number": "001122334455",
        "update_service_checked_on": "2026-11-28"})
    record = _record(kelly)
    _db.session.refresh(record)
    assert record.certificate_number == "001122334455" and record.update_service_checked_on == date(2026, 11, 28)
    page = client.get(f"/people/{kelly.id}").get_data(as_text=True)
    assert "Update Service checked" in page and "DBS/PVG check" in page


def test_a_recorded_session_resolves_supervision_due_as_the_date_did(db, clock) -> None:
    org = make_org("surestart")
    ward = make_role(org, "Hospital ward visit", intensity=Decimal("1.5"))
    donna = make_member(org, "donna@example.org", password=None, pledge=None)
    donna.last_supervised_on = clock.now.date() - timedelta(days=100)
    shift = make_shift(org, ward, make_site(org, "Ward"), clock.now.date() - timedelta(days=2), time(10), time(12),
                       needed=1)
    take_place(org, shift.id, donna.id, source="coordinator", now=clock.now - timedelta(days=3))
    db.session.commit()
    open_rules = lambda: set(_db.session.scalars(select(LoadWarning.rule).where(  # noqa: E731
        LoadWarning.membership_id == donna.id, LoadWarning.status == "open")))
    assert "supervision_due" in open_rules()
    supervision.record_session(org, donna, clock.now.date() - timedelta(days=1), None, "Monthly group supervision",
                               clock.now.date())
    db.session.commit()
    assert donna.last_supervised_on == clock.now.date() - timedelta(days=1)
    assert "supervision_due" not in open_rules()


def test_the_expiring_page_and_a_person_with_sessions_cost_the_same_statements_for_more_rows(
        db, client, auth, clock) -> None:
    clock.now = NOW
    org, people, dbs, course = _care(db)
    auth.login("janet@surestart.example")
    leanne = people["Leanne Dodds"]

    def count(url: str) -> int:
        with statements_run() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    few = (count("/people/expiring"), count(f"/people/{leanne.id}"))
    today = local_date(NOW, org.timezone)
    for k in range(12):
        member = make_member(org, f"m{k}@x.example", name=f"Member {k}")
        services.set_qualification(org, member, dbs, today + timedelta(days=k))
        supervision.record_session(org, leanne, today - timedelta(days=k), None, f"session {k}", today)
    db.session.commit()
    assert (count("/people/expiring"), count(f"/people/{leanne.id}")) == few
