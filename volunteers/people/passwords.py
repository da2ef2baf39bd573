"""Password hashing with Argon2id (argon2-cffi), the current OWASP recommendation."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

#: a hash of nothing in particular, so unknown e-mails take as long as known ones
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(password_hash: str | None, password: str) -> bool:
    """Return True when the password matches; constant-ish time for unknown people."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Return why a new password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if password.strip() != password:
        return "Leave out spaces at the start and end."
    return None
