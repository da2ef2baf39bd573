"""The append-only contributions ledger and the rate card that values it."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from volunteers.core.models import Base, _now, org_fk

KINDS = ("time", "money", "in_kind", "expertise")
STAGES = ("planning", "design", "commissioning", "management", "delivery", "monitoring", "evaluation")
CONTRIBUTOR_TYPES = ("volunteer", "service_user", "community_group", "professional")


class Contribution(Base):
    """One ledger entry. Corrections are new reversing entries, never edits.

    Only a pending entry's status may change (to approved or rejected); the
    amounts, dates and people of an entry never change once written.
    """

    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    #: the member who gave it; None for a named group, service user or professional
    membership_id: Mapped[int | None] = mapped_column()
    #: name shown in reports when there is no member (e.g. "Tackley WI")
    contributor_name: Mapped[str | None] = mapped_column(String(200))
    contributor_type: Mapped[str] = mapped_column(String(20), default="volunteer")
    kind: Mapped[str] = mapped_column(String(20), default="time")
    stage: Mapped[str] = mapped_column(String(20), default="delivery")
    #: hours given (time and expertise); negative only in a reversing entry
    hours: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"))
    #: face value of money or stated value of in-kind gifts, in the organisation's currency
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    #: when it happened (for a shift: its start); the month it counts in is local
    occurred_at: Mapped[datetime]
    occurred_on: Mapped[date]
    role_id: Mapped[int | None] = mapped_column()
    site_id: Mapped[int | None] = mapped_column()
    assignment_id: Mapped[int | None] = mapped_column()
    #: the entry this one reverses
    reverses_id: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="pending")
    #: who approved (or rejected) it; None for entries approved by the system (imports)
    approved_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    #: when it was approved or rejected; for entries approved on entry, when it was written
    decided_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=_now)

    __table_args__ = (
        UniqueConstraint("organisation_id", "id"),
        org_fk(["membership_id"], "memberships"),
        org_fk(["role_id"], "roles"),
        org_fk(["site_id"], "sites"),
        org_fk(["assignment_id"], "assignments"),
        org_fk(["reverses_id"], "contributions", name="fk_contributions_reverses"),
        CheckConstraint("kind in ('time', 'money', 'in_kind', 'expertise')", name="kind_known"),
        CheckConstraint(
            "stage in ('planning', 'design', 'commissioning', 'management', 'delivery', 'monitoring', 'evaluation')",
            name="stage_known",
        ),
        CheckConstraint(
            "contributor_type in ('volunteer', 'service_user', 'community_group', 'professional')",
            name="contributor_type_known",
        ),
        CheckConstraint("status in ('pending', 'approved', 'rejected')", name="status_known"),
        CheckConstraint("membership_id is not null or contributor_name is not null", name="has_contributor"),
        #: an approved or rejected entry says when it was decided: reports freeze on it
        CheckConstraint("status = 'pending' or decided_at is not null", name="decided_has_time"),
        #: an entry is reversed at most once (attendance undone twice writes two reversals of two entries)
        UniqueConstraint("organisation_id", "reverses_id"),
        Index("ix_contributions_org_occurred", "organisation_id", "occurred_at"),
        #: finds entries approved after a report was issued (adjustments) without scanning the ledger
        Index("ix_contributions_org_decided", "organisation_id", "decided_at"),
        Index("ix_contributions_org_status", "organisation_id", "status"),
        #: a member's entries in time order (statements; "gave before" in reports)
        Index("ix_contributions_org_member", "organisation_id", "membership_id", "occurred_at"),
        Index("ix_contributions_org_assignment", "organisation_id", "assignment_id"),
        # the foreign keys' own indexes: a parent's delete or update finds its rows without a scan
        Index("ix_contributions_org_role", "organisation_id", "role_id"),
        Index("ix_contributions_org_site", "organisation_id", "site_id"),
        Index("ix_contributions_approved_by", "approved_by_person_id"),
    )


class RateCardEntry(Base):
    """Value per hour of given time, by role or by kind, from a date on."""

    __tablename__ = "rate_card_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    #: a kind (``time``, ``expertise``) when role_id is None
    kind: Mapped[str | None] = mapped_column(String(20))
    role_id: Mapped[int | None] = mapped_column()
    value_per_hour: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    effective_from: Mapped[date]
    note: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        org_fk(["role_id"], "roles"),
        CheckConstraint("value_per_hour >= 0", name="value_not_negative"),
        CheckConstraint("(kind is null) != (role_id is null)", name="kind_or_role"),
        UniqueConstraint("organisation_id", "kind", "role_id", "effective_from"),
        UniqueConstraint("organisation_id", "id"),  # the primary key once sharded by organisation (docs/SCALING.md)
    )


# The database refuses edits and deletions (triggers for SQLite and PostgreSQL).
from volunteers.contributions import append_only as _append_only  # noqa: E402

_append_only.attach(Contribution.__table__)
