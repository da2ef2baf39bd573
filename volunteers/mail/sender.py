"""Send due outbox messages (SMTP, or a text through mail.sms), with retries and back-off, never twice.

A message is moved from ``pending`` to ``sending`` by a guarded UPDATE and that
is committed before the SMTP conversation: two senders can never both take
it. On PostgreSQL each claim takes the first due row no other sender holds
(``FOR UPDATE SKIP LOCKED``), so the senders of two scheduler processes share
the queue between them instead of walking the same first hundred rows, one
sending while the other finds every row taken (and the rest of the queue
waiting a minute). SQLite has one writer at a time: there the batch is read
once and each row claimed by the guarded UPDATE. After the server accepts
it the message is ``sent``. If the process dies between the two, the
message stays ``sending`` and is not retried — a missed e-mail is better
than a duplicate for reminders and reports; the outbox page shows it.
"""
from __future__ import annotations

import base64
import logging
import re
import smtplib
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy import Select, select, update

from volunteers.core.dml import rows_matched
from volunteers.extensions import db
from volunteers.mail import receipts, sms
from volunteers.mail.models import OutboxMessage
from volunteers.mail.quiet import Hold, held_until

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BATCH = 100
#: why a text was not sent when it fell due too late to be of use (``Hold.void_at``) and its hold gave no words
TOO_LATE = "Not sent: it would have gone too late"


def backoff(attempts: int) -> timedelta:
    """Wait 1, 2, 4, 8, 16 … minutes between tries (capped at 4 h)."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 240))


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """Return a multipart message: text, HTML alternative, attachments."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@volunteers>"
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    for item in message.attachments or []:
        maintype, _, subtype = item["content_type"].partition("/")
        email.add_attachment(
            base64.b64decode(item["data_b64"]), maintype=maintype, subtype=subtype, filename=item["filename"]
        )
    return email


def _deliver(email: EmailMessage, config: dict[str, Any]) -> None:
    backend = config.get("MAIL_BACKEND", "smtp")
    if backend == "console":
        plain = email.get_body(("plain",))  # build_email always sets one; None only for a hand-made message
        print(f"--- e-mail to {email['To']}: {email['Subject']}\n{plain.get_content() if plain is not None else ''}")
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(email)


def _due(now: datetime) -> Select[int]:
    return (select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id))


def _claims(now: datetime) -> Iterator[int]:
    """Yield up to :data:`BATCH` due messages, each marked ``sending`` (one more attempt) and committed first."""
    if db.session.get_bind().dialect.name == "postgresql":
        for _ in range(BATCH):
            # one statement: the row is locked from the moment it is chosen until it is marked, and a
            # row another sender has locked is passed over, not waited for or taken a second time
            message_id = db.session.scalar(
                update(OutboxMessage)
                .where(OutboxMessage.id == _due(now).limit(1).with_for_update(skip_locked=True).scalar_subquery())
                .values(status="sending", attempts=OutboxMessage.attempts + 1)
                .returning(OutboxMessage.id)
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
            if message_id is None:
                return
            yield message_id
        return
    for message_id in db.session.scalars(_due(now).limit(BATCH)).all():
        taken = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending")
            .values(status="sending", attempts=OutboxMessage.attempts + 1)
        )
        db.session.commit()
        if rows_matched(taken) == 1:
            yield message_id


#: a run of digits long enough to be a phone number ("+447700900123", "07700 900123"): providers' errors
#: name the number they refused (Twilio's 21211 "The 'To' number +44… is not a valid phone number")
_NUMBER = re.compile(r"\+?\d[\d ()-]{5,}\d")


def loggable(error: Exception) -> str:
    """A failed send's error as the log may keep it: no e-mail address or phone number in it."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):  # its text is the refused addresses
        return type(error).__name__
    return _NUMBER.sub("[number]", str(error))


def send_due(now: datetime) -> int:
    """Send every pending message whose time has come; return how many were sent."""
    config = current_app.config
    if config.get("MAIL_BACKEND") == "none":
        return 0
    receipts.apply_waiting(now)  # receipts that came while a sender was storing their text's id
    db.session.commit()
    sent = 0
    for message_id in _claims(now):
        message = db.session.get(OutboxMessage, message_id)
        assert message is not None
        hold = Hold.from_stored(message.quiet_hours) if message.channel == "sms" else None
        if hold is not None and hold.void(now):  # due only after its shift began (the sender was behind)
            message.status, message.last_error = "failed", hold.void_reason or TOO_LATE
            db.session.commit()
            continue
        try:
            if message.channel == "sms":
                message.provider_ref = sms.send_text(message.to_address, message.body_text, config,
                                                     reference=f"outbox-{message.id}")
            else:
                _deliver(build_email(message, config["MAIL_DEFAULT_SENDER"]), config)
        except Exception as error:  # whatever a provider raises, the message goes back to the queue or fails:
            # it is never left "sending" (nothing takes those back), and the rest of the batch still goes
            if not isinstance(error, smtplib.SMTPException | OSError | sms.SmsError):
                log.exception("mail %s: unexpected error from the %s backend", message.id, message.channel)
            refused = isinstance(error, smtplib.SMTPRecipientsRefused) or getattr(error, "permanent", False)
            permanent = refused or message.attempts >= MAX_ATTEMPTS
            message.status = "failed" if permanent else "pending"
            # a text held by quiet hours at first is held by them on every retry
            message.next_attempt_at = held_until(now + backoff(message.attempts), hold)
            message.last_error = str(error)[:1000]
            if not permanent and hold is not None and hold.void(message.next_attempt_at):
                # the retry would go after the shift began: it is not sent, and the outbox says why
                message.status, message.last_error = "failed", hold.void_reason or TOO_LATE
            # the message's id finds its address in the outbox; the log (kept longer and more widely
            # than the outbox) names no address or phone number, and a refusal's text lists addresses
            log.warning("mail %s (%s) failed: %s", message.id, message.channel, loggable(error))
        else:
            message.status = "sent"
            message.sent_at = now
            sent += 1
        ref = message.provider_ref
        db.session.commit()
        if ref is not None and receipts.apply_waiting(now, ref):
            db.session.commit()  # the provider called back before its id was stored here
    return sent
