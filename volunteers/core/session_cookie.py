"""Flask's signed-cookie sessions, with the serializer built once and a cookie already read not read again.

Flask's ``SecureCookieSessionInterface`` builds a new ``URLSafeTimedSerializer``
(key list, signer settings) to read the session cookie on every request and
again to write it: ~0.015 ms a request, for an object that depends only on
the secret key and its fallbacks. This one keeps it while those stay the same
(a test or a key rotation that changes ``SECRET_KEY`` gets a new one). The
cookie, its signature and its checks are Flask's own.

A signed-in person's browser sends the same cookie with every request until
the session changes, and checking its signature and decoding it (HMAC,
base64, zlib, tagged JSON) was ~0.08 ms of every signed-in request. So the
data of a cookie whose signature checked is kept, by the cookie's exact
text, with the second it was signed: the next request with that cookie gets
a copy of the data after the same age check ``itsdangerous`` makes (not
older than the session lifetime, not from the future); anything else
(a new, changed, expired or forged cookie) goes through Flask's reading.
Only sessions whose values are all plain scalars are kept, so no request can
change a kept value in place (flashed messages are a list: never kept). The
kept cookies are forgotten with the serializer when the key changes, and
there are at most :data:`KEPT_COOKIES` of them. Ending a session is the
server's (``people.sessions``): a kept cookie is no more trusted than the
cookie itself was.

Writing the session back, Flask asks for seven cookie settings and parses the
``Vary`` header into a set to add ``Cookie`` to it (~0.006 ms) on every
request, though most only read an unchanged session and write no cookie: for
those, :meth:`RememberingSessionInterface.save_session` only sets ``Vary:
Cookie`` when the session was read, as Flask does; a session to write, delete
or refresh is saved by Flask's own code.

Flask-Login's session protection, too, hashed the client's address and user
agent (SHA-512) on every request to compare with the session's ``_id``:
:func:`browser_identifier` is Flask-Login's own identifier, remembered for
the addresses and user agents seen lately (``volunteers.app`` makes it the
login manager's identifier generator).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer

#: how many cookies' data a process keeps (a cookie is ~0.2 KB, its data a small dict of short strings)
KEPT_COOKIES = 512
#: the values a kept session may hold: immutable, so the copy each request gets shares nothing mutable
_SCALARS = (str, int, float, bool, type(None))


class RememberingSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie sessions; the signing serializer kept per secret key and fallbacks, read cookies kept."""

    def __init__(self) -> None:
        #: the keys, their serializer and the cookies read with it (text -> (the second it was signed, its data)):
        #: one tuple, so a request that began under old keys never keeps what it read among the new keys' cookies
        self._kept: tuple[Any, URLSafeTimedSerializer | None, dict[str, tuple[int, dict[str, Any]]]] | None = None
        #: (cookie name, Cookie header) -> the session cookie's text in it: what ``request.cookies`` gave
        self._texts: dict[tuple[str, str], str] = {}

    def _current(self, app: Flask) -> tuple[Any, URLSafeTimedSerializer | None, dict[str, tuple[int, dict[str, Any]]]]:
        fallbacks = app.config.get("SECRET_KEY_FALLBACKS")  # Flask 3.1's setting; absent before it
        keys = (app.secret_key, tuple(fallbacks) if fallbacks else None)
        kept = self._kept
        if kept is None or kept[0] != keys:
            kept = self._kept = (keys, super().get_signing_serializer(app), {})  # new keys: every cookie read again
        return kept

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        return self._current(app)[1]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Flask's ``open_session``, answering a cookie already read from what it held."""
        _, serializer, read_before = self._current(app)
        if serializer is None:
            return None
        text = self._session_cookie(app, request)
        if not text:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        read = read_before.get(text)
        if read is not None and 0 <= int(time.time()) - read[0] <= max_age:
            return self.session_class(read[1])  # a copy: the session is a dict of its own
        try:
            data, signed = serializer.loads(text, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(isinstance(value, _SCALARS) for value in data.values()):
            self._keep(read_before, text, int(signed.timestamp()), data)
        return self.session_class(data)

    def _session_cookie(self, app: Flask, request: Request) -> str | None:
        """The session cookie's text, as ``request.cookies`` has it, remembered by the ``Cookie`` header it came in.

        A browser sends the same header with every request until a cookie changes;
        parsing it into ``request.cookies`` was ~0.008 ms of every request. The
        answer is Werkzeug's own, kept by the header's exact text (what Werkzeug
        parses) and the cookie's name; ``request.cookies`` is still parsed for
        whoever asks for it.
        """
        header = request.environ.get("HTTP_COOKIE")
        if not header:
            return None  # Werkzeug parses nothing into nothing
        name = self.get_cookie_name(app)
        key = (name, header)
        text = self._texts.get(key)
        if text is None:
            text = request.cookies.get(name) or ""  # "": the header holds no session cookie
            if len(self._texts) >= KEPT_COOKIES:
                self._texts.clear()  # start again
            self._texts[key] = text
        return text or None

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Flask's ``save_session``; for a session neither changed nor to be refreshed, only its ``Vary: Cookie``."""
        # dict.get: a Flask before 3.1.3 marked a session read by its own get(), and Flask reads `accessed` first
        if session.modified or (dict.get(session, "_permanent", False)  # type: ignore[call-overload]
                                and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            super().save_session(app, session, response)  # a cookie to write, delete or refresh: Flask's way
        elif session.accessed:  # Flask's response.vary.add("Cookie") without parsing the header into a set
            headers = response.headers
            if "Vary" in headers:
                response.vary.add("Cookie")
            else:
                headers["Vary"] = "Cookie"

    def _keep(self, read: dict[str, tuple[int, dict[str, Any]]], text: str, signed: int, data: dict[str, Any]) -> None:
        """Keep a cookie's data in ``read``, the dict of the keys it was checked with (emptied when full)."""
        if len(read) >= KEPT_COOKIES:
            read.clear()  # start again
        read[text] = (signed, dict(data))


def remembered_identifier(generator: Callable[[], Any]) -> Callable[[], str]:
    """Return Flask-Login's identifier of the browser making the request (its session protection compares it
    with the one the session was signed in with), remembered by what it is made of: the ``X-Forwarded-For``
    header, else the client's address, and the ``User-Agent`` header (a SHA-512 per request otherwise).

    ``generator`` is the login manager's own (``LoginManager._session_identifier_generator``), taken from it
    rather than imported: a Flask-Login that moves it leaves its own in place (``volunteers.app``). Wrapping a
    wrapper made here wraps its original, so an app made again does not stack them.
    """
    original = getattr(generator, "original", generator)

    @lru_cache(maxsize=KEPT_COOKIES)
    def made_of(forwarded_for: str | None, address: str | None, user_agent: str | None) -> str:
        return str(original())  # reads exactly these three of the current request

    def browser_identifier() -> str:
        environ = request.environ
        return made_of(environ.get("HTTP_X_FORWARDED_FOR"), environ.get("REMOTE_ADDR"),
                       environ.get("HTTP_USER_AGENT"))

    browser_identifier.original = original  # type: ignore[attr-defined]
    browser_identifier.cache_clear = made_of.cache_clear  # type: ignore[attr-defined]
    return browser_identifier
