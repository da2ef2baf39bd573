"""Load warnings raised for people, with their evidence and life cycle."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteers.core.models import Base, _now, org_fk
from volunteers.people.models import Membership


class LoadWarning(Base):
    """One open warning per person, rule and episode, updated in place by the scan."""

    __tablename__ = "load_warnings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column()
    #: rule code from DESIGN.md, e.g. ``weekly_load``
    rule: Mapped[str] = mapped_column(String(40))
    #: identifies the episode (e.g. the local date its first window starts)
    episode_key: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(20))
    #: open, acknowledged, resolved
    status: Mapped[str] = mapped_column(String(20), default="open")
    prospective: Mapped[bool] = mapped_column(default=False)
    #: the start of the last shift behind the episode (UTC): prospective until then
    last_shift_at: Mapped[datetime | None]
    #: the worst window or event (UTC)
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    #: the whole episode (UTC): a maximal run of windows or events over the rule's lowest level
    episode_start: Mapped[datetime | None]
    episode_end: Mapped[datetime | None]
    value: Mapped[float] = mapped_column(Numeric(10, 2))
    threshold: Mapped[float] = mapped_column(Numeric(10, 2))
    message: Mapped[str] = mapped_column(Text)
    #: numbers and the shifts behind it
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: digest of what the scan found (severity, numbers, windows, shifts): unchanged rows are not rewritten
    fingerprint: Mapped[str | None] = mapped_column(String(32))
    #: the severity last e-mailed: re-notify only when it gets worse
    notified_severity: Mapped[str | None] = mapped_column(String(20))
    raised_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now)
    resolved_at: Mapped[datetime | None]
    #: why it resolved: ``fell_back`` (metric under the threshold), ``shifts_removed``, ``ended``
    #: (the episode is older than the scan looks back), ``left`` (the person left)
    resolved_reason: Mapped[str | None] = mapped_column(String(40))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    acknowledged_note: Mapped[str | None] = mapped_column(Text)
    #: hidden from /warnings and the digest until then, unless it gets worse
    snoozed_until: Mapped[datetime | None]

    membership: Mapped[Membership] = relationship(
        foreign_keys=[membership_id], primaryjoin="LoadWarning.membership_id == Membership.id"
    )

    __table_args__ = (
        org_fk(["membership_id"], "memberships", ondelete="CASCADE"),
        UniqueConstraint("organisation_id", "membership_id", "rule", "episode_key"),
        UniqueConstraint("organisation_id", "id"),  # the primary key once sharded by organisation (docs/SCALING.md)
        CheckConstraint("severity in ('notice', 'warning', 'critical')", name="severity_known"),
        CheckConstraint("status in ('open', 'acknowledged', 'resolved')", name="status_known"),
        Index("ix_load_warnings_org_status", "organisation_id", "status"),
        Index("ix_load_warnings_acknowledged_by", "acknowledged_by_person_id"),  # the foreign key's own index
    )


class LoadRecheck(Base):
    """When the nightly scan must judge a person again though their schedule has not changed.

    Written by every scan for the people it judged (see
    :mod:`volunteers.wellbeing.domain.next_judgement`); a person with nothing that
    changes with the clock alone has no row. The nightly scan judges the
    people whose ``due_at`` has come, and people with unresolved warnings
    and no row (never judged this way), instead of everyone.
    """

    __tablename__ = "load_rechecks"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    membership_id: Mapped[int] = mapped_column(primary_key=True)
    #: the first instant (UTC) at which judging the person again may find something else
    due_at: Mapped[datetime]

    __table_args__ = (
        org_fk(["membership_id"], "memberships", ondelete="CASCADE"),
        Index("ix_load_rechecks_org_due", "organisation_id", "due_at"),
    )
