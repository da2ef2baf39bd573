"""Two-factor sign-in, the pure part: time-based codes, recovery codes, who must enrol.

Codes are TOTP (RFC 6238): 6 digits from a 30-second time step, and a code
from the step before or after is accepted too (phones drift; people type
slowly). A code is accepted only for a step *after* the last one accepted
for that person, so a code seen over a shoulder or replayed from a log is
refused even within its 30 seconds (RFC 6238 section 5.2).

Recovery codes are for the day the phone is lost: 16 characters from a
31-letter alphabet with nothing easily misread (no 0/o, 1/l/i), about 79
bits of randomness each. They are stored as a SHA-256 hash: a slow
password hash (argon2) is there to make guessing *chosen* passwords
expensive; a code of 79 random bits cannot be guessed from its hash in any
amount of time, and a plain hash can be looked up directly.

Nothing here reads the clock: ``now`` is passed in.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp

STEP_S = 30
DIGITS = 6
#: steps either side of now whose code is still accepted
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 16
#: roles that an organisation can require two-factor sign-in of
COORDINATOR_ROLES = ("coordinator", "admin")
#: the organisation setting that requires it
REQUIRE_SETTING = "require_two_factor_for_coordinators"


def new_secret() -> str:
    """A fresh base32 secret (160 bits) for an authenticator app."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The ``otpauth://`` address a QR code carries, for authenticator apps to scan."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S).provisioning_uri(name=account, issuer_name=issuer)


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, easier to type by hand into an app."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def time_step(now: datetime) -> int:
    """The number of the 30-second step ``now`` falls in (``now`` must carry its time zone)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return int(now.timestamp()) // STEP_S


def normalise_totp(text: str | None) -> str | None:
    """The six digits typed (spaces and hyphens allowed between them), or None if it isn't such a code."""
    if text is None:
        return None
    digits = "".join(ch for ch in text if ch not in " -\t")
    if len(digits) != DIGITS or not digits.isascii() or not digits.isdecimal():
        return None
    return digits


def code_at(secret: str, step: int) -> str:
    """The code an authenticator app shows during ``step``."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_S).at(step * STEP_S)


def accepted_step(secret: str, text: str | None, now: datetime, last_step: int | None) -> int | None:
    """The time step the typed code belongs to, if it is accepted now; else None.

    Accepted: the code of a step within ``VALID_WINDOW`` of now's, and later
    than ``last_step`` (the last accepted for this person: no replays).
    """
    code = normalise_totp(text)
    if code is None or not secret:
        return None
    current = time_step(now)
    found = None
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        # compare every candidate, in constant time, whatever matched before
        if hmac.compare_digest(code_at(secret, step), code) and (last_step is None or step > last_step):
            found = step
    return found


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Fresh recovery codes, as shown to the person: ``abcd-efgh-jkmn-pqrs``."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append("-".join(raw[i:i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4)))
    return codes


def normalise_recovery_code(text: str | None) -> str | None:
    """The code as stored (lower case, no spaces or hyphens), or None if it can't be a recovery code."""
    if text is None:
        return None
    raw = "".join(ch for ch in text.strip().lower() if ch not in " -\t")
    if len(raw) != RECOVERY_CODE_LENGTH or any(ch not in RECOVERY_ALPHABET for ch in raw):
        return None
    return raw


def hash_recovery_code(text: str) -> str | None:
    """SHA-256 (hex) of the normalised code; None if ``text`` is not a recovery code."""
    raw = normalise_recovery_code(text)
    if raw is None:
        return None
    return hashlib.sha256(raw.encode("ascii")).hexdigest()


def enrolment_required(role: str, org_requires: bool, enabled: bool) -> bool:
    """Whether a member must turn two-factor sign-in on before using the coordinator pages.

    Only coordinators and admins of an organisation that requires it; for
    volunteers two-factor sign-in is always a choice.
    """
    return org_requires and role in COORDINATOR_ROLES and not enabled
