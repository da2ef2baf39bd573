"""The request's CSRF token from core.csrf_tokens is the very token Flask-WTF's ``generate_csrf`` makes, and
Flask-WTF checks it as before; a form's CSRF field and the templates' ``csrf_token()`` carry it. Only requests of
the methods Flask-WTF checks reach its check."""
from __future__ import annotations

import pytest
from flask import Flask, g, request, session
from flask_wtf.csrf import CSRFProtect, generate_csrf, validate_csrf
from wtforms import ValidationError

from config import TestingConfig
from volunteers.app import create_app
from volunteers.core import csrf_tokens
from volunteers.core.widgets import FastForm
from volunteers.extensions import db

SECOND = 1_796_000_000  # a fixed instant: both sides sign in the same second


@pytest.fixture()
def frozen(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """``time.time`` held at a second the test moves (itsdangerous and core.csrf_tokens both read it)."""
    now = [SECOND + 0.25]
    monkeypatch.setattr("time.time", lambda: now[0])
    return now


def _app(secret_key: str | bytes = "s3cret-key-" + "x" * 40, **config: object) -> Flask:
    app = Flask(__name__)
    app.secret_key = secret_key
    app.config.update(WTF_CSRF_ENABLED=True, **config)
    return app


def _flask_wtf_s(field_name: str = "csrf_token") -> str:
    """What Flask-WTF makes for this request, from scratch."""
    g.pop(field_name, None)
    return str(generate_csrf())


@pytest.mark.parametrize("secret_key", ["s3cret-key-" + "x" * 40, b"\x00\xffbytes-key", "é-unicode-key"])
@pytest.mark.parametrize("raw", ["0" * 40, "3f786850e387550fdab836ed7e6dc881de23001b", "odd but \"a string\""])
def test_the_token_is_flask_wtf_s_own(frozen: list[float], secret_key: str | bytes, raw: str) -> None:
    app = _app(secret_key)
    for second in (0, 1, 86_400):
        frozen[0] = SECOND + second + 0.5
        with app.test_request_context():
            session["csrf_token"] = raw
            ours = csrf_tokens.request_token()
            assert g.csrf_token == ours  # kept where Flask-WTF keeps it
            assert ours == _flask_wtf_s()
            validate_csrf(ours)  # and checked by Flask-WTF as before


def test_a_token_of_another_second_is_signed_anew(frozen: list[float]) -> None:
    app = _app()
    tokens = []
    for second in (0, 1):
        frozen[0] = SECOND + second
        with app.test_request_context():
            session["csrf_token"] = "a" * 40
            tokens.append(csrf_tokens.request_token())
    assert tokens[0] != tokens[1]


def test_without_a_raw_token_flask_wtf_makes_and_stores_one(frozen: list[float]) -> None:
    with _app().test_request_context():
        ours = csrf_tokens.request_token()
        raw = session["csrf_token"]
        assert len(raw) == 40 and session.modified
        assert ours == _flask_wtf_s()


def test_the_csrf_secret_key_and_field_name_settings_are_followed(frozen: list[float]) -> None:
    app = _app(WTF_CSRF_SECRET_KEY="another-key-for-forms", WTF_CSRF_FIELD_NAME="token_here")
    with app.test_request_context():
        session["token_here"] = "b" * 40
        ours = csrf_tokens.request_token()
        assert g.token_here == ours and ours == _flask_wtf_s("token_here")
        validate_csrf(ours)


def test_a_new_secret_key_signs_with_the_new_key(frozen: list[float]) -> None:
    first, second = _app("first-key-" + "y" * 30), _app("second-key-" + "z" * 30)
    for app in (first, second, first):
        with app.test_request_context():
            session["csrf_token"] = "c" * 40
            assert csrf_tokens.request_token() == _flask_wtf_s()


def test_a_token_signed_with_another_key_or_for_another_session_is_refused(frozen: list[float]) -> None:
    with _app("one-key-" + "q" * 30).test_request_context():
        session["csrf_token"] = "d" * 40
        foreign = csrf_tokens.request_token()
    with _app("other-key-" + "r" * 30).test_request_context():
        session["csrf_token"] = "d" * 40
        with pytest.raises(ValidationError):
            validate_csrf(foreign)
        with pytest.raises(ValidationError):
            validate_csrf(_other_sessions_token())


def _other_sessions_token() -> str:
    """A token signed with this app's key for another session's raw token."""
    g.pop("csrf_token", None)
    raw = session["csrf_token"]
    session["csrf_token"] = "f" * 40
    token = csrf_tokens.request_token()
    session["csrf_token"] = raw
    return token


def test_the_payloads_kept_are_bounded(frozen: list[float], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csrf_tokens, "KEPT_PAYLOADS", 2)
    app = _app()
    for n in range(5):
        with app.test_request_context():
            session["csrf_token"] = f"{n:040d}"
            assert csrf_tokens.request_token() == _flask_wtf_s()
    assert len(csrf_tokens._signer(app.secret_key)._payloads) <= 2


def test_a_form_s_csrf_field_carries_the_request_s_token_and_checks_as_before(frozen: list[float]) -> None:
    app = _app()
    with app.test_request_context():
        session["csrf_token"] = "9" * 40
        form = FastForm(meta={"csrf": True})
        assert form.csrf_token.current_token == _flask_wtf_s()
    with app.test_request_context(method="POST", data={"csrf_token": form.csrf_token.current_token}):
        session["csrf_token"] = "9" * 40
        assert FastForm(meta={"csrf": True}).validate()
    with app.test_request_context(method="POST", data={"csrf_token": "forged"}):
        session["csrf_token"] = "9" * 40
        assert not FastForm(meta={"csrf": True}).validate()


def test_only_the_methods_checked_look_up_exemptions_and_a_post_is_checked_as_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(TestingConfig, WTF_CSRF_ENABLED=True)
    hooks = [f"{hook.__module__}.{hook.__name__}" for hook in app.before_request_funcs[None]]
    assert hooks[0] == "volunteers.core.csrf_tokens.csrf_protect"  # where Flask-WTF's own hook was
    assert "flask_wtf.csrf.csrf_protect" not in hooks
    looked_up: list[str] = []
    is_exempt = CSRFProtect._is_exempt
    monkeypatch.setattr(CSRFProtect, "_is_exempt", lambda self: looked_up.append(request.method) or is_exempt(self))
    try:
        with app.test_client() as client:
            assert client.get("/login").status_code == 200
            assert client.head("/login").status_code == 200
            assert looked_up == []  # a GET or HEAD: nothing to check, nothing looked up
            refused = client.post("/login", data={"email": "a@example.org", "password": "x"})
            assert refused.status_code == 400 and "CSRF" in refused.text  # Flask-WTF's check, as before
            assert looked_up == ["POST"]
    finally:
        with app.app_context():
            db.engine.dispose()
