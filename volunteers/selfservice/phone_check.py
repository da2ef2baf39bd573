"""Confirming a phone number: a short code is texted to it and typed back on /me/messages.

Texts go only to a confirmed number (``Person.phone_confirmed_at``), so a
mistyped number never receives someone's shift details. The code is kept
as an HMAC keyed by the app's secret, lives 15 minutes and allows five
wrong tries; changing the number un-confirms it. Services only flush: the
view commits.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app

from volunteers.mail.outbox import enqueue_text
from volunteers.people.domain.phones import PhoneError, can_take_texts, to_e164
from volunteers.people.models import Person

CODE_LIFETIME = timedelta(minutes=15)
MAX_TRIES = 5


def _digest(person: Person, phone: str, code: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{person.id}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def is_confirmed(person: Person) -> bool:
    """Whether texts may go to the person's number."""
    return bool(person.phone) and person.phone_confirmed_at is not None


def code_pending(person: Person, now: datetime) -> bool:
    """Whether a code was texted and can still be typed back."""
    return (person.phone_code_hash is not None and person.phone_code_expires_at is not None
            and person.phone_code_expires_at > now and person.phone_code_tries < MAX_TRIES)


def send_code(person: Person, typed: str, now: datetime, organisation_id: int | None) -> str:
    """Store ``typed`` (in E.164, unconfirmed) and text it a new code; return the number.

    Raises :class:`PhoneError` for a malformed number or one that cannot take texts.
    """
    phone = to_e164(typed)
    if not can_take_texts(phone):
        raise PhoneError("That number cannot take text messages: give a mobile number.")
    code = f"{secrets.randbelow(1_000_000):06d}"
    person.phone = phone
    person.phone_confirmed_at = None
    person.phone_code_hash = _digest(person, phone, code)
    person.phone_code_expires_at = now + CODE_LIFETIME
    person.phone_code_tries = 0
    enqueue_text(
        dedupe_key=f"phone-code:{person.id}:{secrets.token_hex(8)}", now=now, to=phone,
        organisation_id=organisation_id,
        text=f"Your volunteering code is {code}. Type it on the Messages page within 15 minutes. "
             "If you did not ask for it, ignore this text.",
    )
    return phone


def confirm(person: Person, typed_code: str, now: datetime) -> None:
    """Confirm the number if ``typed_code`` is the code texted to it; else raise :class:`PhoneError`."""
    if not person.phone or not code_pending(person, now):
        raise PhoneError("That code has expired or was tried too often: send a new one.")
    code = "".join(ch for ch in typed_code if ch.isdigit())
    assert person.phone_code_hash is not None  # code_pending checked it
    if not hmac.compare_digest(person.phone_code_hash, _digest(person, person.phone, code)):
        person.phone_code_tries += 1
        left = MAX_TRIES - person.phone_code_tries
        raise PhoneError(f"That is not the code we sent ({left} tries left)." if left else
                         "That is not the code we sent, and it was the last try: send a new one.")
    person.phone_confirmed_at = now
    person.phone_code_hash = None
    person.phone_code_expires_at = None
    person.phone_code_tries = 0


def forget(person: Person) -> None:
    """Remove the number: no texts at all (every kind goes by e-mail)."""
    person.phone = None
    person.phone_confirmed_at = None
    person.phone_code_hash = None
    person.phone_code_expires_at = None
    person.phone_code_tries = 0
