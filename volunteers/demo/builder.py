"""Write one planned demo organisation to the database.

People, qualifications and availability go through the people services
(few rows, and the services keep the rules); the thousands of shifts,
assignments and ledger entries go in as bulk INSERTs with RETURNING, in
foreign-key order, with one statement per table instead of a flush per row.
Every timestamp is derived from ``now``, so one ``now`` always gives the same data.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from volunteers.contributions.models import Contribution
from volunteers.core.models import Organisation
from volunteers.core.timeutil import local_to_utc
from volunteers.demo.planner import PlannedShift
from volunteers.demo.spec import OrgSpec
from volunteers.extensions import db
from volunteers.people import services
from volunteers.people.models import Leave, Membership, Qualification
from volunteers.rota.models import Assignment, Role, RoleQualification, Shift, ShiftSeries, Site

CENT = Decimal("0.01")


class OrgBuilder:
    """Create one organisation's rows from its spec and plan."""

    def __init__(self, spec: OrgSpec, now: datetime, password_hash: str) -> None:
        self.spec = spec
        self.now = now
        self.password_hash = password_hash
        self.org: Organisation
        self.members: dict[str, Membership] = {}
        self.roles: dict[str, Role] = {}
        self.sites: dict[str, Site] = {}
        self.series: dict[str, ShiftSeries] = {}

    def build_setup(self) -> Organisation:
        """Create the organisation, its qualifications, roles, sites and members."""
        spec = self.spec
        self.org = services.create_organisation(
            spec.slug, spec.name, spec.timezone, coproduction_mode=spec.coproduction_mode,
            created_at=self.now - timedelta(days=400))
        quals: dict[str, Qualification] = {}
        for q in spec.qualifications:
            qualification = services.qualification_named(self.org, q.name)
            assert qualification is not None  # asked to create it when missing (the default), so never None
            qualification.validity_months = q.validity_months
            qualification.kind = q.kind
            quals[q.name] = qualification
        for r in spec.roles:
            self.roles[r.name] = Role(
                organisation_id=self.org.id, name=r.name, intensity=r.intensity, on_call=r.on_call,
                priority=r.priority, qualification_links=[
                    RoleQualification(organisation_id=self.org.id, qualification_id=quals[name].id)
                    for name in [r.requires] if name])
        self.sites = {name: Site(organisation_id=self.org.id, name=name) for name in spec.sites}
        db.session.add_all([*self.roles.values(), *self.sites.values()])
        db.session.flush()
        for person in spec.people:
            membership = services.add_member(
                self.org, email=person.email, name=person.name, phone=person.phone, role=person.role,
                pledged_hours_per_week=person.pledge, joined_on=person.joined_on, status=person.status)
            membership.last_supervised_on = person.last_supervised_on
            membership.notes = person.notes
            membership.created_at = membership.person.created_at = self.now - timedelta(days=300)
            if person.login and membership.person.password_hash is None:
                membership.person.password_hash = self.password_hash
            self.members[person.email] = membership
            for name, (obtained, expires) in person.quals.items():
                services.set_qualification(self.org, membership, quals[name], expires, obtained)
            if person.availability:
                services.set_availability(self.org, membership, person.availability)
            for first, last, reason in person.leave:
                db.session.add(Leave(organisation_id=self.org.id, membership_id=membership.id,
                                     starts_on=first, ends_on=last, reason=reason))
        db.session.flush()
        return self.org

    def build_series(self, first: date, materialised_until: date) -> None:
        for p in self.spec.patterns:
            self.series[p.key] = ShiftSeries(
                organisation_id=self.org.id, role_id=self.roles[p.role].id, site_id=self.sites[p.site].id,
                rrule=p.rrule, starts_on=first, start_time=p.start, end_time=p.end,
                needed=p.needed, exdates=[], materialised_until=materialised_until,
                on_bank_holidays="skip" if p.skip_bank_holidays else "flag",
                created_at=self.now - timedelta(days=120))
        db.session.add_all(self.series.values())
        db.session.flush()

    def build_rota(self, shifts: list[PlannedShift]) -> dict[str, int]:
        """Insert the shifts, their assignments and the attended hours; return row counts."""
        org_id, now = self.org.id, self.now
        shift_rows = []
        for s in shifts:
            o = s.occurrence
            published = _published_at(o.start_utc, now)
            shift_rows.append(dict(
                organisation_id=org_id, series_id=self.series[s.pattern.key].id,
                role_id=self.roles[s.role.name].id, site_id=self.sites[s.pattern.site].id,
                starts_at=o.start_utc, ends_at=o.end_utc, local_date=o.local_date, needed=s.pattern.needed,
                filled=s.active, status="planned", published_at=published,
                created_at=published - timedelta(days=7), updated_at=published))
        shift_ids = _insert(Shift, shift_rows)

        assignment_rows, attended = [], []
        for shift_id, s in zip(shift_ids, shifts, strict=True):
            o = s.occurrence
            published = _published_at(o.start_utc, now)
            for p in s.placements:
                cancelled = p.status == "cancelled"
                changed = now - timedelta(days=1) if cancelled else published
                assignment_rows.append(dict(
                    organisation_id=org_id, shift_id=shift_id, membership_id=self.members[p.email].id,
                    status=p.status, source=p.source, sequence=1 if cancelled else 0,
                    created_at=published - timedelta(days=3), updated_at=changed,
                    cancelled_at=changed if cancelled else None, notified_at=published))
                attended.append((s, p.status == "attended"))
        assignment_ids = _insert(Assignment, assignment_rows)

        approver = self.members[self.spec.approver].person_id
        contribution_rows = []
        for assignment_id, row, (s, was_attended) in zip(assignment_ids, assignment_rows, attended, strict=True):
            if not was_attended:
                continue
            o = s.occurrence
            contribution_rows.append(dict(
                organisation_id=org_id, membership_id=row["membership_id"], contributor_type="volunteer",
                kind="time", stage="delivery", hours=o.hours.quantize(CENT), amount=Decimal("0.00"),
                occurred_at=o.start_utc, occurred_on=o.local_date, role_id=self.roles[s.role.name].id,
                site_id=self.sites[s.pattern.site].id, assignment_id=assignment_id, status="approved",
                approved_by_person_id=approver, decided_at=min(o.end_utc + timedelta(days=1), now),
                recorded_at=o.end_utc))
        if contribution_rows:
            _insert(Contribution, contribution_rows)
        self._count_no_shows(assignment_rows)
        return {"shifts": len(shift_rows), "assignments": len(assignment_rows),
                "attended_contributions": len(contribution_rows)}

    def _count_no_shows(self, assignment_rows: list[dict[str, Any]]) -> None:
        by_id = {m.id: m for m in self.members.values()}
        for row in assignment_rows:
            if row["status"] == "no_show":
                by_id[row["membership_id"]].no_show_count += 1

    def build_extras(self) -> int:
        """Insert gifts, money, meetings and self-logged hours; return how many."""
        approver = self.members[self.spec.approver].person_id
        rows = []
        for e in self.spec.extras:
            occurred_at = local_to_utc(e.occurred_on, e.at, self.spec.timezone)
            decided = e.status != "pending"
            rows.append(dict(
                organisation_id=self.org.id, membership_id=self.members[e.email].id if e.email else None,
                contributor_name=e.contributor_name, contributor_type=e.contributor_type, kind=e.kind,
                stage=e.stage, hours=e.hours, amount=e.amount, occurred_at=occurred_at, occurred_on=e.occurred_on,
                status=e.status, approved_by_person_id=approver if decided else None,
                decided_at=min(occurred_at + timedelta(days=2), self.now) if decided else None,
                note=e.note, recorded_at=min(occurred_at + timedelta(hours=12), self.now)))
        _insert(Contribution, rows)
        return len(rows)


def _published_at(starts_at: datetime, now: datetime) -> datetime:
    """Rotas go out three weeks ahead; everything up to next month is already out."""
    return min(starts_at - timedelta(days=21), now - timedelta(days=2))


def _insert(model: type[Shift | Assignment | Contribution], rows: list[dict[str, Any]]) -> list[int]:
    """Bulk-insert ``rows`` and return their new ids in the same order."""
    if not rows:
        return []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt, rows))
