"""Two-factor secrets are kept encrypted: a copy of the database (a backup, a dump) does not give away codes.

Each TOTP secret is stored as ``f1:`` followed by a Fernet token
(AES-128-CBC with an HMAC-SHA256 tag, from ``cryptography``). The keys come
from the configuration, never from the database:

* ``TOTP_ENCRYPTION_KEYS`` — optional, comma-separated Fernet keys
  (``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``);
  the first encrypts, every one decrypts, so a new key can be put first
  without anyone enrolling again (keep the old ones listed: a secret stays
  encrypted with the key it was written with).
* always last, a key derived from ``SECRET_KEY`` (HKDF-SHA256): what is
  used when no dedicated key is set. Changing ``SECRET_KEY`` without first
  setting ``TOTP_ENCRYPTION_KEYS`` to the old derived key would turn
  everyone's two-factor sign-in off in effect (README says so).

A stored value without the prefix is a secret written before encryption
(the migration encrypts those); it is still read, so nobody is locked out.
"""
from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

PREFIX = "f1:"

# ``cryptography``'s Rust bindings cost a web worker about 9 MB of RSS, and only enrolling in two-factor
# sign-in and checking its codes open a secret, so each function imports what it uses
# (tests/unit/architecture/test_heavy_imports.py).


def derived_key(secret_key: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"volunteers: two-factor secrets")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


def _box(config: Mapping[str, Any]) -> MultiFernet:
    from cryptography.fernet import Fernet, MultiFernet

    dedicated = [key.strip() for key in str(config.get("TOTP_ENCRYPTION_KEYS") or "").split(",") if key.strip()]
    return MultiFernet([Fernet(key) for key in dedicated] + [Fernet(derived_key(str(config["SECRET_KEY"])))])


def seal(secret: str, config: Mapping[str, Any]) -> str:
    """The stored form of ``secret``."""
    return PREFIX + _box(config).encrypt(secret.encode()).decode("ascii")


def unseal(stored: str, config: Mapping[str, Any]) -> str:
    """The secret kept as ``stored``; a value from before encryption is returned as it is.

    :raises ValueError: when none of the configured keys opens it (a changed ``SECRET_KEY``).
    """
    if not stored.startswith(PREFIX):
        return stored
    from cryptography.fernet import InvalidToken

    try:
        return _box(config).decrypt(stored[len(PREFIX):].encode("ascii")).decode()
    except InvalidToken as error:
        raise ValueError("no configured key opens this two-factor secret (was SECRET_KEY changed?)") from error


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)
