"""Two-factor sign-in: enrolment, checking a code at sign-in, recovery codes, switching it off.

The rules (what a code is, which are accepted, recovery code format) are in
``people.domain.two_factor``; this module keeps them in the database and
writes the audit entries. Nothing here commits: the request or command does.
"""
from __future__ import annotations

import base64
import io
import logging
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import CursorResult, Result, delete, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from volunteers.extensions import db
from volunteers.people.account_audit import record_for_person
from volunteers.people.domain import two_factor as rules
from volunteers.people.models import Person, RecoveryCode
from volunteers.people.sessions import end_all_sessions
from volunteers.people.totp_secrets import seal, unseal

log = logging.getLogger(__name__)

#: how a sign-in's second step was passed, as the audit trail says it
TOTP, RECOVERY_CODE = "totp", "recovery_code"


def secret_of(person: Person) -> str | None:
    """The person's TOTP secret in clear (it is stored encrypted: ``people.totp_secrets``).

    :raises ValueError: when no configured key opens it.
    """
    return unseal(person.totp_secret, current_app.config) if person.totp_secret else None


def start_enrolment(person: Person) -> str:
    """Return the secret to show while two-factor sign-in is being set up (a new one unless one waits)."""
    if person.two_factor_enabled:
        raise ValueError("two-factor sign-in is already on")
    waiting = secret_of(person)
    if waiting:
        return waiting
    secret = rules.new_secret()
    person.totp_secret = seal(secret, current_app.config)
    return secret


def qr_data_uri(person: Person, issuer: str) -> str:
    """The enrolment QR code as an SVG ``data:`` address for an ``<img>`` (no inline markup)."""
    secret = secret_of(person)
    if not secret:
        raise ValueError("no enrolment started")
    import segno  # only enrolment draws a QR code: not loaded by every web worker (test_heavy_imports)

    uri = rules.provisioning_uri(secret, person.email, issuer)
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=5, border=4, dark="#000", light="#fff",
                                    xmldecl=False, svgns=True, title="QR code for your authenticator app")
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def confirm_enrolment(person: Person, code: str, now: datetime) -> list[str] | None:
    """Switch two-factor sign-in on if ``code`` matches the waiting secret; return the recovery codes to show once."""
    secret = secret_of(person)
    if person.two_factor_enabled or not secret:
        return None
    step = rules.accepted_step(secret, code, now, None)
    if step is None:
        return None
    person.totp_enabled_at = now
    person.totp_last_step = step
    codes = _replace_recovery_codes(person, now)
    record_for_person(person, "auth.two_factor_enabled", actor_person_id=person.id, now=now)
    return codes


def regenerate_recovery_codes(person: Person, now: datetime) -> list[str]:
    """Replace every recovery code (used or not) with new ones; return them to show once."""
    if not person.two_factor_enabled:
        raise ValueError("two-factor sign-in is off")
    codes = _replace_recovery_codes(person, now)
    record_for_person(person, "auth.recovery_codes_regenerated", actor_person_id=person.id, now=now)
    return codes


def unused_recovery_codes(person: Person) -> int:
    return len(db.session.scalars(
        select(RecoveryCode.id).where(RecoveryCode.person_id == person.id, RecoveryCode.used_at.is_(None))
    ).all())


def check_code(person: Person, typed: str, now: datetime) -> bool:
    """Whether ``typed`` is this person's current code (and not one already used); remembers its step."""
    if not person.two_factor_enabled or person.totp_secret is None:
        return False
    try:
        secret = unseal(person.totp_secret, current_app.config)
    except ValueError:  # SECRET_KEY changed with no TOTP_ENCRYPTION_KEYS kept: only a recovery code opens it
        log.error("person %s: the two-factor secret cannot be decrypted with the configured keys", person.id)
        return False
    step = rules.accepted_step(secret, typed, now, person.totp_last_step)
    if step is None:
        return False
    # claim the step in the database: of two requests racing with one code, only one moves it on
    claimed = db.session.execute(
        update(Person)
        .where(Person.id == person.id, or_(Person.totp_last_step.is_(None), Person.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if _rowcount(claimed) != 1:
        return False
    set_committed_value(person, "totp_last_step", step)
    return True


def verify_second_factor(person: Person, typed: str, now: datetime) -> str | None:
    """Check the second step of a sign-in: a current code or an unused recovery code.

    Return how it was passed (:data:`TOTP` or :data:`RECOVERY_CODE`), or None.
    A recovery code is used up here.
    """
    if not person.two_factor_enabled:
        return None
    if rules.normalise_totp(typed) is not None:
        return TOTP if check_code(person, typed, now) else None
    digest = rules.hash_recovery_code(typed)
    if digest is None:
        return None
    used = db.session.execute(  # spent in one statement: two requests racing with one code cannot both pass
        update(RecoveryCode)
        .where(RecoveryCode.person_id == person.id, RecoveryCode.code_hash == digest, RecoveryCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return RECOVERY_CODE if _rowcount(used) == 1 else None


def disable(person: Person, now: datetime, *, actor_person_id: int | None, action: str = "auth.two_factor_disabled",
            **details: str) -> None:
    """Switch two-factor sign-in off and forget the secret and every recovery code."""
    person.totp_secret = None
    person.totp_enabled_at = None
    person.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.person_id == person.id))
    record_for_person(person, action, actor_person_id=actor_person_id, now=now, **details)


def reset_by_sysadmin(person: Person, now: datetime) -> None:
    """The way back in for someone who lost their phone and their recovery codes (``person two-factor-reset``):
    two-factor sign-in off, recovery codes gone, every session ended."""
    end_all_sessions(person)
    disable(person, now, actor_person_id=None, action="auth.two_factor_reset", via="command line")


def _rowcount(result: Result[Any]) -> int:
    """How many rows an UPDATE changed (``Session.execute`` types its answer as a plain ``Result``)."""
    return result.rowcount if isinstance(result, CursorResult) else 0


def _replace_recovery_codes(person: Person, now: datetime) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.person_id == person.id))
    codes = rules.new_recovery_codes()
    for code in codes:
        digest = rules.hash_recovery_code(code)
        if digest is None:  # cannot happen: new codes are made of the alphabet they are checked against
            raise ValueError("generated an invalid recovery code")
        db.session.add(RecoveryCode(person_id=person.id, code_hash=digest, created_at=now))
    db.session.flush()
    return codes
