"""The outbox: messages queued in the database and sent by a job."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from volunteers.core.models import Base


class OutboxMessage(Base):
    """One e-mail or text message to one address; ``dedupe_key`` makes enqueueing idempotent.

    The sender job marks a message ``sending`` before talking SMTP and ``sent``
    after, so a message is never sent twice; failures back off exponentially.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None for messages outside any organisation (password reset)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    #: e.g. ``reminder:assignment:42`` — the same key is never queued twice
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    #: ``email`` (``to_address`` an e-mail address) or ``sms`` (``to_address`` an E.164 number, ``body_text`` the text)
    channel: Mapped[str] = mapped_column(String(10), default="email", server_default="email")
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    #: [{"filename", "content_type", "data_b64"}]
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    #: pending, sending, sent, failed
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    #: set by ``enqueue`` from the caller's ``now``, never from the wall clock
    next_attempt_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    #: a text's id at the SMS provider (Notify's notification id, Twilio's SM… sid): receipts find it by this
    provider_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    #: the provider's last delivery receipt for a text, as it says it (``delivered``, ``permanent-failure`` …)
    delivery_status: Mapped[str | None] = mapped_column(String(40))
    #: a text's quiet hours (``mail.quiet.Hold``): a retry is held by them as the first try was; None: never held
    quiet_hours: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]

    __table_args__ = (
        CheckConstraint("status in ('pending', 'sending', 'sent', 'failed')", name="status_known"),
        Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),
        #: an organisation's latest messages (/requests/outbox); also the organisation foreign key's index
        Index("ix_outbox_messages_org_created", "organisation_id", "created_at"),
    )


class WaitingReceipt(Base):
    """A delivery receipt that came before its text's ``provider_ref`` was stored (mail.receipts).

    A provider may call back before the sender has committed the id it was
    given; the receipt waits here, holding only the provider's id and status,
    until the text it is about carries that id, and is dropped after a day.
    """

    __tablename__ = "sms_waiting_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_ref: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime]
