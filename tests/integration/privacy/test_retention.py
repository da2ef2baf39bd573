"""Retention: who is due, the date someone left, the nightly job once per organisation-day."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on, utc
from volunteers.core.models import AuditLogEntry, JobRun
from volunteers.extensions import db as _db
from volunteers.people.models import Membership, Person
from volunteers.privacy import jobs, retention
from volunteers.scheduler import all_jobs

NOW = utc(2026, 11, 30, 3, 30)


def _left(membership: Membership, on: date | None, created: datetime | None = None) -> Membership:
    membership.status, membership.left_on = "left", on
    if created is not None:
        membership.created_at = created
    return membership


def _world():
    org = make_org("tackley", "Tackley Village Shop")
    long_gone = _left(make_member(org, "long@tackley.example", name="Long Gone"), date(2024, 10, 1))
    recent = _left(make_member(org, "recent@tackley.example", name="Recent Leaver"), date(2025, 6, 1))
    exactly = _left(make_member(org, "exact@tackley.example", name="Exactly Two Years"), date(2024, 11, 30))
    active = make_member(org, "active@tackley.example", name="Still Here")
    # left before left_on was recorded: counts from her last shift (Sept 2024), not from joining (2020)
    legacy = _left(make_member(org, "legacy@tackley.example", name="Legacy Leaver"), None, utc(2020, 1, 1))
    shift = make_shift(org, make_role(org), make_site(org), date(2024, 9, 2))
    put_on(shift, legacy, "attended")
    # left before left_on, never did anything: counts from the membership's creation
    never = _left(make_member(org, "never@tackley.example", name="Never Came"), None, utc(2025, 2, 1))
    _db.session.flush()
    return org, long_gone, recent, exactly, active, legacy, never


def test_people_who_left_more_than_24_months_ago_are_due(db) -> None:
    org, long_gone, _recent, _exactly, _active, legacy, _never = _world()
    due = retention.candidates(org, NOW)
    assert [(c.membership_id, c.left_since, c.recorded) for c in due] == [
        (legacy.id, date(2024, 9, 2), False), (long_gone.id, date(2024, 10, 1), True)]


def test_the_organisation_setting_changes_the_period(db) -> None:
    org, long_gone, recent, exactly, _active, legacy, never = _world()
    org.settings = {"retention_months_after_leaving": 6}
    assert {c.membership_id for c in retention.candidates(org, NOW)} == {
        long_gone.id, recent.id, exactly.id, legacy.id, never.id}


def test_leaving_on_the_people_page_records_the_date_and_coming_back_clears_it(client, db, clock) -> None:
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "cora@tackley.example", role="coordinator", name="Cora Ordinator")
    ann = make_member(org, "ann@tackley.example", name="Ann Archer")
    db.session.commit()
    client.post("/login", data={"email": "cora@tackley.example", "password": "correct horse battery"})
    form = {"name": "Ann Archer", "email": "ann@tackley.example", "role": "volunteer", "status": "left"}
    assert client.post(f"/people/{ann.id}", data=form).status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Membership, ann.id).left_on == date(2026, 11, 30)
    clock.now += timedelta(days=3)
    client.post(f"/people/{ann.id}", data=form)  # saved again, still left: the date stays
    _db.session.expire_all()
    assert _db.session.get(Membership, ann.id).left_on == date(2026, 11, 30)
    client.post(f"/people/{ann.id}", data=form | {"status": "active"})
    _db.session.expire_all()
    assert _db.session.get(Membership, ann.id).left_on is None


def test_the_nightly_job_erases_those_due_once_per_organisation_day(db) -> None:
    org, long_gone, recent, exactly, _active, legacy, _never = _world()
    other = make_org("surestart", "Sure Start")
    _left(make_member(other, "gone@surestart.example", name="Gone There"), date(2023, 1, 1))
    db.session.commit()
    assert any(job.id == "privacy.retention" for job in all_jobs())

    done = jobs.nightly_retention(NOW)
    assert {slug: [c.membership_id for c in erased] for slug, erased in done.items()} == {
        "tackley": [legacy.id, long_gone.id], "surestart": [done["surestart"][0].membership_id]}
    _db.session.expire_all()
    wiped = _db.session.get(Person, long_gone.person_id)
    assert wiped is not None and wiped.name == f"Former volunteer #{wiped.id}" and wiped.erased_at == NOW
    assert _db.session.get(Person, recent.person_id).name == "Recent Leaver"
    entries = _db.session.scalars(select(AuditLogEntry).where(AuditLogEntry.action == "privacy.erase")).all()
    assert len(entries) == 3 and all(e.actor_person_id is None and e.details["source"] == "job" for e in entries)

    assert jobs.nightly_retention(NOW + timedelta(hours=2)) == {}  # the same local day: nothing runs again
    runs = _db.session.scalar(select(func.count()).select_from(JobRun).where(JobRun.job == "privacy.retention"))
    assert runs == 2
    # the next night runs again: the erased are not erased twice, and who left 30 Nov 2024 is now due
    again = jobs.nightly_retention(NOW + timedelta(days=1))
    assert {slug: [c.membership_id for c in erased] for slug, erased in again.items()} == {
        "tackley": [exactly.id], "surestart": []}
    assert _db.session.scalar(select(func.count()).select_from(AuditLogEntry)
                              .where(AuditLogEntry.action == "privacy.erase")) == 4
