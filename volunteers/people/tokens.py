"""Signed, expiring, single-use links for invitations and password resets.

A token carries the person's id and a fingerprint of their current password
hash. Setting a password changes the hash, so a used link no longer
verifies (single use) without a table of spent tokens; the signature's
timestamp makes it expire.
"""
from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from volunteers.people.models import Person


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"volunteers.{purpose}")


def _fingerprint(person: Person) -> str:
    return hashlib.sha256((person.password_hash or "no-password").encode()).hexdigest()[:16]


def make_token(secret_key: str, purpose: str, person: Person) -> str:
    """Return a URL-safe token for ``purpose`` (``invite`` or ``reset``)."""
    return _serializer(secret_key, purpose).dumps({"p": person.id, "f": _fingerprint(person)})


def read_token(secret_key: str, purpose: str, token: str, max_age: int) -> tuple[int, str] | None:
    """Return (person id, fingerprint) from a valid, unexpired token, else None."""
    try:
        data = _serializer(secret_key, purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or "p" not in data or "f" not in data:
        return None
    return int(data["p"]), str(data["f"])


def token_matches(person: Person, fingerprint: str) -> bool:
    """True while the person's password is still the one the token was made for."""
    return _fingerprint(person) == fingerprint
