"""Cover requests sent in waves, and who was asked in which wave (``selfservice.cover_waves`` writes them).

A ``CoverRequest`` is one call for cover of a place: a late cancellation
(``offer_id``, the ShiftOffer of kind ``cancel_request``) or an open place
nobody on the waiting list could take (no offer). ``CoverAsk`` rows say
who was asked, in which wave (0: by a coordinator, by hand), when and by
which channel; a person is asked once per request (the unique key). Both
carry ``organisation_id`` in their keys and foreign keys (docs/SCALING.md).
The models live in rota (beside ShiftOffer) so the shift panel, one level
below self-service, can show the waves.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteers.core.models import Base, _now, org_fk
from volunteers.people.models import Membership

#: why a cover request stopped: the place was taken, the request decided or withdrawn, the shift began
STOP_REASONS = ("taken", "decided", "withdrawn", "started", "cancelled")


class CoverRequest(Base):
    """One call for cover of a place, asked in waves until it is taken."""

    __tablename__ = "cover_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    shift_id: Mapped[int] = mapped_column()
    #: the late cancellation this covers; None for an open place (the waiting list found nobody)
    offer_id: Mapped[int | None] = mapped_column()
    #: people a wave asks, and minutes between waves, as set when the request began
    wave_size: Mapped[int] = mapped_column()
    wave_minutes: Mapped[int] = mapped_column()
    #: waves that asked somebody so far
    waves_sent: Mapped[int] = mapped_column(default=0)
    #: when the job sends the next wave (None once stopped)
    next_wave_at: Mapped[datetime | None] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(default=_now)
    stopped_at: Mapped[datetime | None] = mapped_column()
    #: one of STOP_REASONS once stopped
    stop_reason: Mapped[str | None] = mapped_column(String(20))

    asks: Mapped[list[CoverAsk]] = relationship(
        back_populates="request", order_by="(CoverAsk.wave, CoverAsk.asked_at, CoverAsk.id)",
        primaryjoin="and_(CoverAsk.cover_request_id == CoverRequest.id, "
                    "CoverAsk.organisation_id == CoverRequest.organisation_id)",
        foreign_keys="[CoverAsk.cover_request_id, CoverAsk.organisation_id]", viewonly=True,
    )

    __table_args__ = (
        org_fk(["shift_id"], "shifts", name="fk_cover_requests_shift", ondelete="CASCADE"),
        org_fk(["offer_id"], "shift_offers", name="fk_cover_requests_offer", ondelete="CASCADE"),
        UniqueConstraint("organisation_id", "id"),  # the primary key once sharded by organisation
        UniqueConstraint("organisation_id", "offer_id", name="uq_cover_requests_offer"),  # one call per request
        CheckConstraint("wave_size > 0 and wave_minutes > 0", name="waves_positive"),
        CheckConstraint(
            "stop_reason is null or stop_reason in ('taken', 'decided', 'withdrawn', 'started', 'cancelled')",
            name="stop_reason_known"),
        Index("ix_cover_requests_due", "next_wave_at"),
        Index("ix_cover_requests_org_shift", "organisation_id", "shift_id"),
    )


class CoverAsk(Base):
    """One person asked to cover, in one wave (0: by a coordinator), at one time, by one channel."""

    __tablename__ = "cover_asks"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    cover_request_id: Mapped[int] = mapped_column()
    membership_id: Mapped[int] = mapped_column()
    #: 1, 2, … for the waves; 0 when a coordinator asked them by hand
    wave: Mapped[int] = mapped_column()
    asked_at: Mapped[datetime] = mapped_column()
    #: ``sms`` or ``email``: how the request went
    channel: Mapped[str] = mapped_column(String(10))
    #: the coordinator who asked by hand (None for a wave)
    asked_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    request: Mapped[CoverRequest] = relationship(
        back_populates="asks",
        primaryjoin="and_(CoverAsk.cover_request_id == CoverRequest.id, "
                    "CoverAsk.organisation_id == CoverRequest.organisation_id)",
        foreign_keys="[CoverAsk.cover_request_id, CoverAsk.organisation_id]", viewonly=True,
    )
    membership: Mapped[Membership] = relationship(
        foreign_keys=[membership_id], primaryjoin="CoverAsk.membership_id == Membership.id", viewonly=True)

    __table_args__ = (
        org_fk(["cover_request_id"], "cover_requests", name="fk_cover_asks_request", ondelete="CASCADE"),
        org_fk(["membership_id"], "memberships", name="fk_cover_asks_membership", ondelete="CASCADE"),
        UniqueConstraint("organisation_id", "id"),
        UniqueConstraint("organisation_id", "cover_request_id", "membership_id", name="uq_cover_asks_once"),
        CheckConstraint("wave >= 0", name="wave_not_negative"),
        CheckConstraint("channel in ('sms', 'email')", name="channel_known"),
        # the foreign keys' own indexes: a parent's delete or update finds its rows without a scan
        Index("ix_cover_asks_org_member", "organisation_id", "membership_id"),
        Index("ix_cover_asks_asked_by", "asked_by_person_id"),
    )
