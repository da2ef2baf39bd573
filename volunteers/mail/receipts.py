"""Keeping a text's delivery receipts, whenever they arrive: before its provider id is stored, or out of order.

The sender learns a text's provider id (``provider_ref``) only when the
provider answers, and commits it after that; a provider may call back with a
receipt in between. Such a receipt is kept in ``sms_waiting_receipts`` and
applied as soon as a text carries its id: by the sender right after it
commits the id, and by every run of the sender (each minute) for a receipt
that came in while that commit was under way. One not matched within
:data:`WAIT` is about a text that is not ours and is dropped.

Receipts can arrive out of order (``delivered`` then a late ``sending``): a
final status (delivered, or a failure) is never replaced by an interim one.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage, WaitingReceipt

log = logging.getLogger(__name__)

#: how long a receipt waits for its text's provider id
WAIT = timedelta(days=1)
#: the providers' final failures (Notify's after its own retries; Twilio's)
FAILED = frozenset({"permanent-failure", "temporary-failure", "technical-failure", "failed", "undelivered"})
#: the statuses after which nothing changes
FINAL = FAILED | {"delivered"}


def apply(message: OutboxMessage, status: str) -> None:
    """Keep ``status`` on the text (a final one is not overwritten by an interim one that came late)."""
    if message.delivery_status in FINAL and status not in FINAL:
        return
    message.delivery_status = status[:40]
    if status in FAILED:
        message.status = "failed"
        message.last_error = f"provider receipt: {status}"


def record(provider_ref: str, status: str, now: datetime) -> None:
    """Keep a receipt on the text it is about, or keep it waiting for that text's id."""
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.provider_ref == provider_ref))
    if message is None:
        log.info("delivery receipt for %s (%s) came before its text's id: kept waiting", provider_ref, status)
        db.session.add(WaitingReceipt(provider_ref=provider_ref[:64], status=status[:40], received_at=now))
        return
    apply(message, status)


def apply_waiting(now: datetime, provider_ref: str | None = None) -> int:
    """Apply the waiting receipts whose text now carries their id (only ``provider_ref``'s, if given), in
    the order they came; drop those older than :data:`WAIT`. Return how many were applied. Flushes only."""
    query = (select(WaitingReceipt, OutboxMessage)
             .join(OutboxMessage, OutboxMessage.provider_ref == WaitingReceipt.provider_ref)
             .order_by(WaitingReceipt.id))
    if provider_ref is not None:
        query = query.where(WaitingReceipt.provider_ref == provider_ref)
    applied = 0
    for receipt, message in db.session.execute(query).all():
        apply(message, receipt.status)
        db.session.delete(receipt)
        applied += 1
    if provider_ref is None:
        db.session.execute(delete(WaitingReceipt).where(WaitingReceipt.received_at < now - WAIT))
    db.session.flush()
    return applied
