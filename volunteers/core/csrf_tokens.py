"""The request's CSRF token: Flask-WTF's ``generate_csrf``, the same token, without what never changes made again.

Every page with a form or htmx's header carries a signed CSRF token, so every
such request signed one: ``generate_csrf`` builds a ``URLSafeTimedSerializer``
(key list, signer settings), JSON-encodes the session's raw token, tries to
compress it (a 40-digit hex string never shrinks) and base64s it, then
derives the signing key from the secret (a SHA-1) before the HMAC that is the
signature: ~0.05 ms of CPU a page, for a result in which only the second
(``itsdangerous``' timestamp) and the HMAC over it change from one request to
the next. :func:`request_token` keeps the rest: per secret key, the derived key
and the encoded payload of the raw tokens seen lately, and signs as
``TimestampSigner.sign`` does — payload, ``.``, the second, ``.``, the
signature — so the token is the very string ``generate_csrf`` makes in the
same second (tests/unit/core/test_csrf_tokens.py compares them), and
Flask-WTF checks it as before (``validate_csrf``: signature, age, the
session's raw token). A request's token is kept in ``g`` under the field name,
where Flask-WTF keeps it, so either one called later answers the same.

Anything out of the ordinary (no raw token in the session yet, a raw token
that is not a string, no secret) is Flask-WTF's own ``generate_csrf``: it
makes and stores the raw token as always.

Checking a request's token stays Flask-WTF's; :func:`checked_only_where_it_can_fail`
only spares the requests it never checks (GET, HEAD, OPTIONS) its look-ups.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, request, session
from flask_wtf.csrf import generate_csrf
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode, int_to_bytes, want_bytes
from itsdangerous.signer import SigningAlgorithm

#: Flask-WTF's salt for its tokens (``flask_wtf.csrf``)
SALT = "wtf-csrf-token"
#: how many raw tokens' payloads a signer keeps (one a signed-in browser; emptied when full)
KEPT_PAYLOADS = 512


class KeptSigner:
    """Flask-WTF's token signing for one secret key, its derived key and recent payloads kept."""

    def __init__(self, secret_key: str | bytes) -> None:
        serializer = URLSafeTimedSerializer(secret_key, salt=SALT)  # exactly what generate_csrf builds
        signer = serializer.make_signer()
        self._dump = serializer.dump_payload
        self._sep: bytes = want_bytes(signer.sep)
        self._key: bytes = signer.derive_key()
        self._algorithm: SigningAlgorithm = signer.algorithm
        self._payloads: dict[str, bytes] = {}

    def sign(self, raw: str, second: int) -> str:
        """The token ``URLSafeTimedSerializer(secret_key, salt=SALT).dumps(raw)`` makes at ``second``."""
        payload = self._payloads.get(raw)
        if payload is None:
            payload = want_bytes(self._dump(raw))
            if len(self._payloads) >= KEPT_PAYLOADS:
                self._payloads.clear()
            self._payloads[raw] = payload
        sep = self._sep
        value = payload + sep + base64_encode(int_to_bytes(second))  # TimestampSigner.sign
        return (value + sep + base64_encode(self._algorithm.get_signature(self._key, value))).decode("utf-8")


_signers: dict[str | bytes, KeptSigner] = {}


def _signer(secret_key: str | bytes) -> KeptSigner:
    signer = _signers.get(secret_key)
    if signer is None:
        _signers.clear()  # a new key (a test's app, a rotation): the old one signs no more tokens here
        signer = _signers[secret_key] = KeptSigner(secret_key)
    return signer


def request_token(secret_key: str | bytes | None = None, field_name: str | None = None) -> str:
    """The request's signed CSRF token, as ``generate_csrf(secret_key, field_name)`` returns it (kept in ``g``)."""
    config = current_app.config
    if field_name is None:
        field_name = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    g_ = g._get_current_object()  # the proxy once (every page with a form pays for this)
    token = g_.get(field_name) if field_name is not None else None
    if token is not None:
        return str(token)
    if secret_key is None:
        secret_key = config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)
    raw = session.get(field_name) if field_name is not None else None
    if not (isinstance(raw, str) and isinstance(secret_key, str | bytes) and secret_key):
        return str(generate_csrf(secret_key, field_name))  # Flask-WTF makes the raw token, or says what is wrong
    token = _signer(secret_key).sign(raw, int(time.time()))
    setattr(g_, field_name, token)
    return token


def checked_only_where_it_can_fail(app: Flask) -> None:
    """Run CSRFProtect's check of every request only for the methods it checks (``WTF_CSRF_METHODS``: POST, PUT,
    PATCH, DELETE).

    Its ``before_request`` hook looked up the view's blueprint and name in its
    exemptions (an f-string and two dict look-ups, ~0.007 ms) before asking the
    method, so every GET paid for a check that then did nothing: the hook is
    wrapped, in its place among the app's hooks, to ask the method first. A
    request of another method is checked by Flask-WTF's own hook, exemptions
    and all, as before. Call it after ``csrf.init_app(app)``.
    """
    hooks = app.before_request_funcs.setdefault(None, [])
    for index, hook in enumerate(hooks):
        if getattr(hook, "__module__", "") == "flask_wtf.csrf" and hook.__name__ == "csrf_protect":
            hooks[index] = _asking_the_method_first(app, hook)


def _asking_the_method_first(app: Flask, hook: Callable[[], Any]) -> Callable[[], Any]:
    config = app.config

    def csrf_protect() -> Any:
        if request.method in config["WTF_CSRF_METHODS"]:
            return hook()
        return None

    csrf_protect.original = hook  # type: ignore[attr-defined]
    return csrf_protect
