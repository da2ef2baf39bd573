"""The waiting list's one table: a volunteer queued for a full shift, and any place offered to them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteers.core.models import Base, _now, org_fk
from volunteers.people.models import Membership
from volunteers.rota.models import Shift

_ON_LIST = text("status in ('waiting', 'offered')")
_OFFERED = text("status = 'offered'")


class WaitingListEntry(Base):
    """One person on one shift's waiting list (``selfservice.domain.waiting_list`` has the rules).

    ``waiting`` → ``offered`` (a freed place is held for them until
    ``offer_expires_at``) → ``accepted`` (they took it), or ``declined`` /
    ``expired`` (the next person is offered); ``left`` when they leave the
    list, ``closed`` when the shift starts, is cancelled or they leave the
    organisation. A person is on a shift's list once at a time (a partial
    unique index), and an open offer holds a numbered place (``offer_slot``,
    1 … free places) that no other open offer may hold: never two people
    offered one place at once, however many promotions run together.
    """

    __tablename__ = "waiting_list_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    shift_id: Mapped[int] = mapped_column()
    membership_id: Mapped[int] = mapped_column()
    #: waiting, offered, accepted, left, declined, expired, closed
    status: Mapped[str] = mapped_column(String(12), default="waiting")
    #: the queue's order (earliest first)
    joined_at: Mapped[datetime] = mapped_column(default=_now)
    offered_at: Mapped[datetime | None]
    #: the offer lapses at this instant (the sooner of the hold and the stop before the start)
    offer_expires_at: Mapped[datetime | None]
    #: which free place the open offer holds (1 … free places)
    offer_slot: Mapped[int | None]
    decided_at: Mapped[datetime | None]

    shift: Mapped[Shift] = relationship(foreign_keys=[shift_id], primaryjoin="WaitingListEntry.shift_id == Shift.id")
    membership: Mapped[Membership] = relationship(
        foreign_keys=[membership_id], primaryjoin="WaitingListEntry.membership_id == Membership.id")

    __table_args__ = (
        org_fk(["shift_id"], "shifts", name="fk_waiting_list_entries_shift", ondelete="CASCADE"),
        org_fk(["membership_id"], "memberships", name="fk_waiting_list_entries_membership", ondelete="CASCADE"),
        UniqueConstraint("organisation_id", "id"),  # the primary key once sharded by organisation
        CheckConstraint(
            "status in ('waiting', 'offered', 'accepted', 'left', 'declined', 'expired', 'closed')",
            name="status_known"),
        CheckConstraint("status != 'offered' or (offer_slot is not null and offer_expires_at is not null)",
                        name="offer_complete"),
        Index("uq_waiting_list_entries_once", "organisation_id", "shift_id", "membership_id", unique=True,
              sqlite_where=_ON_LIST, postgresql_where=_ON_LIST),
        Index("uq_waiting_list_entries_slot", "organisation_id", "shift_id", "offer_slot", unique=True,
              sqlite_where=_OFFERED, postgresql_where=_OFFERED),
        Index("ix_waiting_list_entries_status", "status", "organisation_id", "shift_id"),
        Index("ix_waiting_list_entries_member", "organisation_id", "membership_id", "status"),
    )
