"""Roles, sites, shift series, shifts, assignments and shift offers."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteers.core.models import Base, _now, org_fk
from volunteers.people.models import Membership, Qualification

ASSIGNMENT_STATUSES = ("assigned", "confirmed", "cancelled", "attended", "no_show")
#: statuses that hold a place on the shift
ACTIVE_ASSIGNMENT_STATUSES = ("assigned", "confirmed", "attended", "no_show")
ASSIGNMENT_SOURCES = ("coordinator", "self", "auto", "import")


class Role(Base):
    """A duty, e.g. "Post Office counter", with its demand and what it requires."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    #: emotional or physical demand; 1.0 is ordinary, 1.5 demanding
    intensity: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("1.0"))
    #: stand-by duty (helpline on call): counts 0.25 per hour of load
    on_call: Mapped[bool] = mapped_column(default=False)
    #: auto-rota fills higher priorities first
    priority: Mapped[int] = mapped_column(default=1)
    archived_at: Mapped[datetime | None]

    #: every qualification the role needs (all of them), by name; written through ``qualification_links``
    required_qualifications: Mapped[list[Qualification]] = relationship(
        secondary="role_qualifications",
        primaryjoin="and_(Role.organisation_id == RoleQualification.organisation_id, "
                    "Role.id == RoleQualification.role_id)",
        secondaryjoin="and_(RoleQualification.organisation_id == Qualification.organisation_id, "
                      "RoleQualification.qualification_id == Qualification.id)",
        order_by="Qualification.name",
        viewonly=True,
    )
    qualification_links: Mapped[list[RoleQualification]] = relationship(
        foreign_keys="[RoleQualification.organisation_id, RoleQualification.role_id]",
        primaryjoin="and_(Role.organisation_id == RoleQualification.organisation_id, "
                    "Role.id == RoleQualification.role_id)",
        cascade="all, delete-orphan",
        overlaps="required_qualifications",
    )

    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        UniqueConstraint("organisation_id", "id"),
        CheckConstraint("intensity > 0", name="intensity_positive"),
    )

    @property
    def required_names(self) -> tuple[str, ...]:
        """The names of the qualifications it requires, as the eligibility rules take them."""
        return tuple(q.name for q in self.required_qualifications)


class RoleQualification(Base):
    """One qualification a role requires; a role needs every one it links (a ward visit: course and DBS).

    The key and both foreign keys include ``organisation_id`` (DESIGN's
    Scale-out rules): a role can only require its own organisation's
    qualifications, and the rows shard with the organisation.
    """

    __tablename__ = "role_qualifications"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    role_id: Mapped[int] = mapped_column(primary_key=True)
    qualification_id: Mapped[int] = mapped_column(primary_key=True)

    __table_args__ = (
        org_fk(["role_id"], "roles", ondelete="CASCADE"),
        org_fk(["qualification_id"], "qualifications", ondelete="CASCADE"),
        Index("ix_role_qualifications_org_qualification", "organisation_id", "qualification_id"),
    )


class Site(Base):
    """Where a shift happens: "Village hall shop", "Helpline (remote)"."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(300))
    archived_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        UniqueConstraint("organisation_id", "id"),
    )


class CoordinatorSite(Base):
    """One site a coordinator is limited to (Sure Start's areas, each with its own lead).

    A coordinator with no rows sees every site; with rows, their board, shift
    panel, people, warnings and requests show only those sites
    (``rota.site_scope``). Admins always see all. The key and both foreign
    keys include ``organisation_id`` (DESIGN's Scale-out rules).
    """

    __tablename__ = "coordinator_sites"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    membership_id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(primary_key=True)

    __table_args__ = (
        org_fk(["membership_id"], "memberships", ondelete="CASCADE"),
        org_fk(["site_id"], "sites", ondelete="CASCADE"),
        Index("ix_coordinator_sites_org_site", "organisation_id", "site_id"),
    )


#: what a series does on a bank holiday of the organisation's nation
BANK_HOLIDAY_CHOICES = ("flag", "skip")


class ShiftSeries(Base):
    """A recurring pattern ("every Tuesday 09:00–12:00", "the first Tuesday") stored as an RFC 5545 RRULE."""

    __tablename__ = "shift_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    role_id: Mapped[int] = mapped_column()
    site_id: Mapped[int] = mapped_column()
    #: e.g. ``FREQ=WEEKLY;BYDAY=TU`` or ``FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1``; expanded in local wall-clock time
    rrule: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date]
    until_on: Mapped[date | None]
    #: local wall-clock times; an end at or before the start ends the next day
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    needed: Mapped[int] = mapped_column(default=1)
    #: local dates skipped (bank holidays, closures), ISO strings
    exdates: Mapped[list[Any]] = mapped_column(default=list)
    #: ``flag``: make the shift and mark the day on the board; ``skip``: no shift that day
    on_bank_holidays: Mapped[str] = mapped_column(String(10), default="flag", server_default="flag")
    active: Mapped[bool] = mapped_column(default=True)
    #: shifts are materialised up to this local date
    materialised_until: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=_now)

    role: Mapped[Role] = relationship(foreign_keys=[role_id], primaryjoin="ShiftSeries.role_id == Role.id")
    site: Mapped[Site] = relationship(foreign_keys=[site_id], primaryjoin="ShiftSeries.site_id == Site.id")

    __table_args__ = (
        UniqueConstraint("organisation_id", "id"),
        org_fk(["role_id"], "roles"),
        org_fk(["site_id"], "sites"),
        CheckConstraint("needed >= 1", name="needed_positive"),
        CheckConstraint("until_on is null or until_on >= starts_on", name="until_after_start"),
        CheckConstraint("on_bank_holidays in ('flag', 'skip')", name="on_bank_holidays_known"),
        # the foreign keys' own indexes: a parent's delete or update finds its rows without a scan
        Index("ix_shift_series_org_role", "organisation_id", "role_id"),
        Index("ix_shift_series_org_site", "organisation_id", "site_id"),
    )


class Shift(Base):
    """A time span at a site for a role, needing N people; instants in UTC."""

    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column()
    role_id: Mapped[int] = mapped_column()
    site_id: Mapped[int] = mapped_column()
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    #: the local date it starts on: hours count in this day, week and month
    local_date: Mapped[date]
    needed: Mapped[int] = mapped_column(default=1)
    #: active assignments; changed only by a guarded UPDATE so it never exceeds needed
    filled: Mapped[int] = mapped_column(default=0)
    #: ``planned`` or ``cancelled``
    status: Mapped[str] = mapped_column(String(20), default="planned")
    published_at: Mapped[datetime | None]
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)

    role: Mapped[Role] = relationship(foreign_keys=[role_id], primaryjoin="Shift.role_id == Role.id")
    site: Mapped[Site] = relationship(foreign_keys=[site_id], primaryjoin="Shift.site_id == Site.id")
    series: Mapped[ShiftSeries | None] = relationship(
        foreign_keys=[series_id], primaryjoin="Shift.series_id == ShiftSeries.id"
    )

    __table_args__ = (
        UniqueConstraint("organisation_id", "id"),
        # a series materialises at most one shift per local date: the job is idempotent
        UniqueConstraint("organisation_id", "series_id", "local_date"),
        org_fk(["series_id"], "shift_series"),
        org_fk(["role_id"], "roles"),
        org_fk(["site_id"], "sites"),
        CheckConstraint("ends_at > starts_at", name="ends_after_starts"),
        CheckConstraint("needed >= 1", name="needed_positive"),
        CheckConstraint("filled >= 0 and filled <= needed", name="never_overbooked"),
        CheckConstraint("status in ('planned', 'cancelled')", name="status_known"),
        Index("ix_shifts_org_starts", "organisation_id", "starts_at"),
        # the foreign keys' own indexes: a parent's delete or update finds its rows without a scan
        Index("ix_shifts_org_role", "organisation_id", "role_id"),
        Index("ix_shifts_org_site", "organisation_id", "site_id"),
    )

    @property
    def hours(self) -> float:
        """Real length in hours (a night across a clock change is 5 or 7 h, not 6)."""
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class Assignment(Base):
    """A person on a shift; the composite keys keep both in one organisation."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    shift_id: Mapped[int] = mapped_column()
    membership_id: Mapped[int] = mapped_column()
    #: assigned, confirmed, cancelled, attended, no_show
    status: Mapped[str] = mapped_column(String(20), default="assigned")
    #: coordinator, self, auto, import
    source: Mapped[str] = mapped_column(String(20), default="coordinator")
    #: why an ineligible person or a load warning was accepted (audited)
    override_reason: Mapped[str | None] = mapped_column(Text)
    #: bumped on every change; the calendar feed's SEQUENCE
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now, onupdate=_now)
    cancelled_at: Mapped[datetime | None]
    #: the publish that told the volunteer about it; None = not yet told
    notified_at: Mapped[datetime | None]
    #: ``sequence`` when last told; a higher sequence is a change still to tell
    notified_sequence: Mapped[int | None]

    shift: Mapped[Shift] = relationship(
        foreign_keys=[shift_id], primaryjoin="Assignment.shift_id == Shift.id", backref="assignments"
    )
    membership: Mapped[Membership] = relationship(
        foreign_keys=[membership_id], primaryjoin="Assignment.membership_id == Membership.id"
    )

    __table_args__ = (
        UniqueConstraint("organisation_id", "id"),
        org_fk(["shift_id"], "shifts", ondelete="CASCADE"),
        org_fk(["membership_id"], "memberships", ondelete="CASCADE"),
        CheckConstraint(
            "status in ('assigned', 'confirmed', 'cancelled', 'attended', 'no_show')", name="status_known"
        ),
        CheckConstraint("source in ('coordinator', 'self', 'auto', 'import')", name="source_known"),
        # one live place per person per shift (cancelled ones may pile up)
        Index(
            "uq_assignments_live_place",
            "organisation_id",
            "shift_id",
            "membership_id",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
        Index("ix_assignments_org_member", "organisation_id", "membership_id"),
        Index("ix_assignments_org_shift", "organisation_id", "shift_id"),
    )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENT_STATUSES


class ShiftOffer(Base):
    """A request about a place that someone else must act on.

    ``swap``: a volunteer offers their place to a named colleague or to anyone
    eligible. ``cancel_request``: a cancellation inside the notice period,
    for the coordinator to approve (anyone eligible may also take it as
    cover). ``signup_request``: a sign-up that would raise a critical load
    warning, for the coordinator to decide (no assignment yet: ``shift_id``
    and ``taken_by_membership_id`` say who wants which shift).
    """

    __tablename__ = "shift_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    #: the place offered or to be cancelled; None for a sign-up request
    assignment_id: Mapped[int | None] = mapped_column()
    #: the shift concerned (every kind)
    shift_id: Mapped[int | None] = mapped_column()
    #: ``swap``, ``cancel_request`` or ``signup_request``
    kind: Mapped[str] = mapped_column(String(20), default="swap")
    #: None = anyone eligible
    offered_to_membership_id: Mapped[int | None] = mapped_column()
    #: who takes (or, for a sign-up request, asks for) the place
    taken_by_membership_id: Mapped[int | None] = mapped_column()
    #: open, taken (waiting for the coordinator), approved, declined, withdrawn
    status: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str | None] = mapped_column(Text)
    #: load warnings behind a sign-up request: [{"rule", "severity", "message"}]
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=_now)
    decided_at: Mapped[datetime | None]

    assignment: Mapped[Assignment | None] = relationship(
        foreign_keys=[assignment_id], primaryjoin="ShiftOffer.assignment_id == Assignment.id"
    )
    shift: Mapped[Shift | None] = relationship(foreign_keys=[shift_id], primaryjoin="ShiftOffer.shift_id == Shift.id")

    __table_args__ = (
        org_fk(["assignment_id"], "assignments", ondelete="CASCADE"),
        org_fk(["shift_id"], "shifts", name="fk_shift_offers_shift", ondelete="CASCADE"),
        org_fk(["offered_to_membership_id"], "memberships", name="fk_shift_offers_offered_to"),
        org_fk(["taken_by_membership_id"], "memberships", name="fk_shift_offers_taken_by"),
        UniqueConstraint("organisation_id", "id"),  # the primary key once sharded by organisation (docs/SCALING.md)
        CheckConstraint("kind in ('swap', 'cancel_request', 'signup_request')", name="kind_known"),
        CheckConstraint("kind = 'signup_request' or assignment_id is not null", name="has_assignment"),
        CheckConstraint(
            "status in ('open', 'taken', 'approved', 'declined', 'withdrawn')", name="status_known"
        ),
        Index("ix_shift_offers_org_status", "organisation_id", "status"),
        Index("ix_shift_offers_org_assignment", "organisation_id", "assignment_id"),  # a member's offers, /me/shifts
        # the foreign keys' own indexes: a parent's delete or update finds its rows without a scan
        Index("ix_shift_offers_org_shift", "organisation_id", "shift_id"),
        Index("ix_shift_offers_org_offered_to", "organisation_id", "offered_to_membership_id"),
        Index("ix_shift_offers_org_taken_by", "organisation_id", "taken_by_membership_id"),
    )
