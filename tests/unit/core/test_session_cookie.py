"""The session interface answers a cookie it has read before exactly as Flask's reading answers it, and saving a
session leaves the response's headers as Flask's saving leaves them."""
from __future__ import annotations

import re
import time
from typing import Any

import pytest
from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface

from volunteers.core import session_cookie
from volunteers.core.session_cookie import RememberingSessionInterface

LIFETIME = 3600


def _app(key: str = "first key") -> Flask:
    app = Flask(__name__)
    app.secret_key = key
    app.config["PERMANENT_SESSION_LIFETIME"] = LIFETIME
    app.session_interface = RememberingSessionInterface()
    return app


def _cookie(app: Flask, data: dict[str, Any]) -> str:
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return serializer.dumps(data)


def _open(app: Flask, cookie: str, interface: SecureCookieSessionInterface | None = None) -> Any:
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        return (interface or app.session_interface).open_session(app, request)  # type: ignore[arg-type]


SIGNED_IN = {"_user_id": "4:0", "_fresh": True, "_id": "ab" * 64, "csrf_token": "t" * 40, "org_id": 1}


@pytest.mark.parametrize("data", [SIGNED_IN, {}, {"org_id": None, "ratio": 0.5},
                                  {"_flashes": [("info", "Saved.")], "_user_id": "4:0"}])
def test_a_cookie_read_again_gives_what_flask_gives(data: dict[str, Any]) -> None:
    app = _app()
    cookie = _cookie(app, data)
    flask_reads = _open(app, cookie, SecureCookieSessionInterface())
    first, again = _open(app, cookie), _open(app, cookie)
    assert dict(first) == dict(again) == dict(flask_reads)
    assert type(again) is type(flask_reads) and not again.modified and not again.accessed
    assert again is not first


def test_only_plain_values_are_kept_and_a_kept_session_is_a_copy() -> None:
    app = _app()
    interface = app.session_interface
    assert isinstance(interface, RememberingSessionInterface)
    flashed = _cookie(app, {"_flashes": [("info", "Saved.")]})
    _open(app, flashed)["_flashes"].append(("info", "changed in place"))
    assert _open(app, flashed)["_flashes"] == [("info", "Saved.")]
    assert flashed not in interface._kept[2]
    plain = _cookie(app, SIGNED_IN)
    _open(app, plain)["org_id"] = 2
    assert _open(app, plain)["org_id"] == 1 and plain in interface._kept[2]


def test_an_expired_or_future_cookie_is_refused_though_it_was_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    app = _app()
    cookie = _cookie(app, SIGNED_IN)
    assert dict(_open(app, cookie)) == SIGNED_IN
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + LIFETIME + 2)
    assert dict(_open(app, cookie)) == {} == dict(_open(app, cookie, SecureCookieSessionInterface()))
    monkeypatch.setattr(time, "time", lambda: now - 5)
    assert dict(_open(app, cookie)) == {} == dict(_open(app, cookie, SecureCookieSessionInterface()))


def test_a_forged_or_changed_cookie_is_refused() -> None:
    app = _app()
    cookie = _cookie(app, SIGNED_IN)
    _open(app, cookie)
    forged = cookie[:-3] + ("AAA" if not cookie.endswith("AAA") else "BBB")
    assert dict(_open(app, forged)) == {}
    assert dict(_open(app, _cookie(_app("another key"), SIGNED_IN))) == {}


def test_a_new_key_forgets_the_kept_cookies() -> None:
    app = _app()
    cookie = _cookie(app, SIGNED_IN)
    assert dict(_open(app, cookie)) == SIGNED_IN
    app.secret_key = "a new key"
    assert dict(_open(app, cookie)) == {}
    app.config["SECRET_KEY_FALLBACKS"] = ["first key"]  # the old key as a fallback: its cookies read again
    assert dict(_open(app, cookie)) == SIGNED_IN


def test_at_most_so_many_cookies_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_cookie, "KEPT_COOKIES", 3)
    app = _app()
    interface = app.session_interface
    assert isinstance(interface, RememberingSessionInterface)
    for number in range(7):
        _open(app, _cookie(app, {**SIGNED_IN, "org_id": number}))
        assert len(interface._kept[2]) <= 3


def test_a_cookie_read_while_the_key_changes_is_not_kept_among_the_new_keys_cookies() -> None:
    app = _app()
    cookie = _cookie(app, SIGNED_IN)
    interface = app.session_interface
    assert isinstance(interface, RememberingSessionInterface)
    serializer = interface._current(app)[1]
    assert serializer is not None
    loads = serializer.loads

    def key_changes_meanwhile(*args: Any, **kwargs: Any) -> Any:
        app.secret_key = "a new key"
        interface._current(app)  # another thread's request sees the new key first
        return loads(*args, **kwargs)

    serializer.loads = key_changes_meanwhile  # type: ignore[method-assign]
    # pushing the request context reads the cookie (with the keys it began under, as the key changes); read
    # again under the new key it is checked again, and refused, not answered from what that first read kept
    assert dict(_open(app, cookie)) == {}


def _saved(app: Flask, interface: SecureCookieSessionInterface, data: dict[str, Any], accessed: bool,
           modified: bool, vary: str | None) -> tuple[list[tuple[str, str]], bool]:
    """The headers ``interface`` leaves on a response for a session so used, and whether it read the session."""
    session = interface.session_class(data)
    session.accessed, session.modified = accessed, modified
    response = Response("x", headers={"Vary": vary} if vary is not None else None)
    with app.test_request_context("/"):
        interface.save_session(app, session, response)
    expires = re.compile(r"Expires=[^;]+")  # a permanent cookie's expiry is now + its lifetime, to the second
    return [(name, expires.sub("Expires=…", value)) for name, value in response.headers], session.accessed


@pytest.mark.parametrize("vary", [None, "Accept-Encoding", "cookie", "Accept-Encoding, Cookie"])
@pytest.mark.parametrize("data", [SIGNED_IN, {}, dict(SIGNED_IN, _permanent=True)])
@pytest.mark.parametrize(("accessed", "modified"), [(False, False), (True, False), (True, True), (False, True)])
@pytest.mark.parametrize("refresh", [True, False])
def test_saving_a_session_leaves_the_headers_flask_leaves(monkeypatch: pytest.MonkeyPatch, vary: str | None,
                                                          data: dict[str, Any], accessed: bool, modified: bool,
                                                          refresh: bool) -> None:
    monkeypatch.setattr(time, "time", lambda: 1_796_000_000.5)  # the cookie's signature: the same second
    app = _app()
    app.config["SESSION_REFRESH_EACH_REQUEST"] = refresh
    ours = _saved(app, app.session_interface, data, accessed, modified, vary)  # type: ignore[arg-type]
    assert ours == _saved(app, SecureCookieSessionInterface(), data, accessed, modified, vary)


@pytest.mark.parametrize("header", ["session={cookie}", "theme=dark; session={cookie}; lang=cy",
                                    'session="{cookie}"', "session={cookie}; session=second", "other=1", ""])
def test_a_cookie_header_seen_before_is_not_parsed_again_and_answers_as_flask(header: str,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from werkzeug.sansio import request as sansio_request

    app = _app()
    cookie = _cookie(app, SIGNED_IN)
    sent = header.format(cookie=cookie)
    parsed: list[str] = []
    parse = sansio_request.parse_cookie

    def spy(text: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(text)
        return parse(text, *args, **kwargs)

    monkeypatch.setattr(sansio_request, "parse_cookie", spy)

    def opened(interface: Any) -> dict[str, Any]:
        with app.test_request_context("/", headers={"Cookie": sent} if sent else {}):
            return dict(interface.open_session(app, request))

    flask_reads = opened(SecureCookieSessionInterface())
    parsed.clear()
    assert opened(app.session_interface) == opened(app.session_interface) == flask_reads
    assert len(parsed) <= 1  # at most the first time
