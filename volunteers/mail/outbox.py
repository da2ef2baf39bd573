"""Queue e-mails and text messages in the outbox; a job sends them (see mail.sender).

Queueing is part of the caller's unit of work: if the request rolls back, no
message is queued. ``dedupe_key`` makes queueing idempotent — a reminder for
an assignment is queued once however often the reminder job runs.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template
from sqlalchemy import select

from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.mail.quiet import Hold


def enqueue(
    *,
    dedupe_key: str,
    now: datetime,
    to: str,
    subject: str,
    template: str,
    organisation_id: int | None = None,
    attachments: list[dict[str, Any]] | None = None,
    **context: Any,
) -> OutboxMessage | None:
    """Render ``email/<template>.txt`` and ``.html`` and queue them; None if already queued.

    The message is due at ``now`` — the caller's clock, never the wall clock, so
    a job or test running at a fixed instant sends what it queued.
    """
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return None
    message = OutboxMessage(
        organisation_id=organisation_id,
        dedupe_key=dedupe_key,
        to_address=to,
        subject=subject,
        body_text=render_template(f"email/{template}.txt", **context),
        body_html=render_template(f"email/{template}.html", **context),
        attachments=attachments or [],
        created_at=now,
        next_attempt_at=now,
    )
    db.session.add(message)
    db.session.flush()
    return message


def enqueue_text(
    *,
    dedupe_key: str,
    now: datetime,
    to: str,
    text: str,
    organisation_id: int | None = None,
    send_at: datetime | None = None,
    hold: Hold | None = None,
) -> OutboxMessage | None:
    """Queue one text message to the E.164 number ``to``; None if already queued.

    ``send_at`` (the end of the person's quiet hours, from
    ``selfservice.domain.channels.text_send_at``) holds it back; default ``now``.
    ``hold`` (the same quiet hours) is kept with it so a retry after back-off
    is held to their end too; without it retries go whenever they fall due.
    """
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return None
    message = OutboxMessage(
        organisation_id=organisation_id, dedupe_key=dedupe_key, channel="sms", to_address=to,
        subject=text[:60], body_text=text, body_html=None, attachments=[], created_at=now,
        next_attempt_at=send_at or now, quiet_hours=hold.to_stored() if hold is not None else None,
    )
    db.session.add(message)
    db.session.flush()
    return message
