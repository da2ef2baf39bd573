"""Outbound webhooks: the endpoints an organisation registers and the deliveries queued for them.

A delivery row is written in the same transaction as the change it reports
(the outbox pattern), so a rolled-back change never sends and a committed one
always queues. ``(organisation_id, endpoint_id, event_id)`` is unique: one event reaches one
endpoint at most once, however often the job runs or however many race.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from volunteers.core.models import Base, _now, org_fk

#: every event type an endpoint may subscribe to (docs/DESIGN.md, "Outbound webhooks")
EVENT_TYPES = ("shift.created", "shift.updated", "shift.cancelled", "assignment.created", "assignment.removed",
               "warning.raised", "warning.worsened", "report.issued")
DELIVERY_STATUSES = ("pending", "sending", "delivered", "failed")


class WebhookEndpoint(Base):
    """A URL an organisation's coordinators registered to hear of some events."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    #: the subscribed event types (a list of EVENT_TYPES)
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the HMAC key; shown once when registered (the receiver must keep it to verify)
    secret: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=_now)
    #: removed endpoints get nothing new; their past deliveries stay visible
    removed_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("organisation_id", "id"),)


class WebhookDelivery(Base):
    """One event for one endpoint: its signed body, its tries and the last answer."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    endpoint_id: Mapped[int]
    #: the event's id (``evt_…``), the same for every endpoint it goes to
    event_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(40))
    #: the exact JSON body sent (and signed)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=_now)
    last_attempt_at: Mapped[datetime | None]
    #: the HTTP status of the last answer (None: no answer — refused, timed out)
    last_status_code: Mapped[int | None]
    #: the first characters of the last answer's body, or the error
    last_response: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        org_fk(["endpoint_id"], "webhook_endpoints", ondelete="CASCADE"),
        # one event reaches one endpoint once (organisation_id leads: Citus keeps uniqueness within a shard)
        UniqueConstraint("organisation_id", "endpoint_id", "event_id"),
        UniqueConstraint("organisation_id", "id"),
        CheckConstraint("status in ('pending', 'sending', 'delivered', 'failed')", name="status_known"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_org_created", "organisation_id", "created_at"),
    )
