"""Every response carries the security headers (issue 12): CSP, nosniff, framing, referrer;
HSTS in production only; signed-in pages are never stored; templates hold no inline script."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from config import ProductionConfig
from tests.factories import make_member, make_org
from volunteers.core.headers import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)


@pytest.fixture()
def tackley(db):
    org = make_org("tackley", "Tackley Village Shop")
    make_member(org, "coordinator@tackley.example", role="coordinator")
    make_member(org, "volunteer@tackley.example")
    db.session.commit()
    return org


def assert_security_headers(response) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp == CONTENT_SECURITY_POLICY
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_anonymous_pages_errors_and_health_check_carry_the_headers(client, db) -> None:
    for path, status in (("/login", 200), ("/no/such/page", 404), ("/healthz", 200), ("/", 302)):
        response = client.get(path)
        assert response.status_code == status, path
        assert_security_headers(response)
        assert "Strict-Transport-Security" not in response.headers  # not production


def test_signed_in_pages_and_downloads_carry_the_headers_and_are_never_stored(
        client, auth, tackley, clock) -> None:
    auth.login("coordinator@tackley.example")
    for path in ("/rota", "/people", "/me/shifts", "/reports/monthly/2026-10",
                 "/reports/monthly/2026-10.csv", "/no/such/page"):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_security_headers(response)
        assert response.headers["Cache-Control"] == "no-store", path
    assert client.get("/reports/monthly/2026-10.csv").mimetype == "text/csv"


def test_pages_about_people_are_never_stored_even_when_signed_out(client, db) -> None:
    for path in ("/me/shifts", "/people", "/reports"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path


def test_static_files_stay_cacheable_and_carry_the_headers(client, auth, tackley) -> None:
    auth.login("volunteer@tackley.example")
    response = client.get("/static/app.js")
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_strict_transport_security_only_in_production(make_app, client) -> None:
    class Production(ProductionConfig):
        SECRET_KEY = "a-production-secret"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SCHEDULER_ENABLED = False
        RATELIMIT_ENABLED = False

    production = make_app(Production).test_client()
    for path in ("/healthz", "/login", "/no/such/page"):
        response = production.get(path)
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000", path
        assert_security_headers(response)
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_welcome_does_not_tell_an_anonymous_visitor_they_are_signed_in(client, db) -> None:
    response = client.get("/welcome")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert "signed in" not in client.get("/welcome", follow_redirects=True).get_data(as_text=True)


def test_welcome_is_for_people_without_an_organisation(client, auth, tackley, db) -> None:
    auth.login("volunteer@tackley.example")
    assert client.get("/welcome").headers["Location"].endswith("/")
    left = make_member(tackley, "left@tackley.example")
    left.status = "left"
    db.session.commit()
    auth.logout()
    auth.login("left@tackley.example")
    page = client.get("/welcome")
    assert page.status_code == 200
    assert "not a member of any organisation" in page.get_data(as_text=True)


def test_no_template_has_an_inline_handler_or_inline_script() -> None:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in INLINE_HANDLER.finditer(text):
            found.append(f"{path.relative_to(TEMPLATES)}: inline handler {match.group().strip()}")
        for match in SCRIPT_TAG.finditer(text):
            if "src=" not in match.group():
                found.append(f"{path.relative_to(TEMPLATES)}: inline <script>")
        if "javascript:" in text or "hx-on" in text:
            found.append(f"{path.relative_to(TEMPLATES)}: javascript: URL or hx-on")
    assert found == []
