"""No page served under the Content-Security-Policy relies on anything inline (issue 12).

The policy refuses inline scripts, ``on…=`` handlers, ``<style>`` blocks and
``style=`` attributes (``style-src 'self'``, no ``'unsafe-inline'``). A page
that used one would still load, only slightly wrong: a button without its
margin, a chart without its colours. So this crawls every page a demo user
can reach — each demo login of both organisations, following the links,
``hx-get`` partials and GET forms of what it is served, plus every GET route
without parameters — and reads each HTML answer for anything the browser would
refuse. The standalone report document is the one page with its own
``<style>``; its policy allows exactly that text by hash.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.crawl import USERS, read
from tests.crawl import crawl as walk
from tests.crawl import demo_app as _demo_app
from tests.crawl import seeds as _seeds
from volunteers.core.headers import CONTENT_SECURITY_POLICY
from volunteers.demo.data import LOGINS, PASSWORD

#: the same endpoint with other ids or filters renders the same template: a few of each are enough
PER_ENDPOINT = 4
MAX_PAGES = 200
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


@pytest.fixture(scope="module")
def demo_app() -> Iterator[Flask]:
    """The demo loaded once, on its own in-memory database, with the clock at ``NOW`` for every request."""
    with _demo_app() as app:
        yield app


def crawl(app: Flask, client: FlaskClient, seeds: list[str]) -> tuple[dict[str, list[str]], Counter[str]]:
    """Visit what ``seeds`` lead to (same site, GET); return what the CSP would refuse (by URL), pages per endpoint."""
    problems: dict[str, list[str]] = {}
    visits, per_endpoint = walk(app, client, seeds, per_endpoint=PER_ENDPOINT, max_pages=MAX_PAGES)
    for visit in visits:
        if visit.status >= 500:
            problems[visit.url] = [f"status {visit.status}"]
            continue
        if visit.mimetype != "text/html":
            continue
        found = _header_problems(visit.headers.get("Content-Security-Policy", ""), visit.endpoint)
        found += visit.page.refused if visit.endpoint != "reports.download" else []
        if found:
            problems[visit.url] = found
    return problems, per_endpoint


def _header_problems(csp: str, endpoint: str) -> list[str]:
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        return [f"policy allows too much: {csp}"]
    if endpoint != "reports.download" and csp != CONTENT_SECURITY_POLICY:
        return [f"not the site's policy: {csp}"]
    return []


def test_the_policy_allows_no_inline_style_or_script() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["style-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("email", USERS)
def test_every_page_a_demo_user_reaches_relies_on_nothing_inline(demo_app: Flask, email: str) -> None:
    assert email in LOGINS
    client = demo_app.test_client()
    with demo_app.app_context():
        signed_in = client.post("/login", data={"email": email, "password": PASSWORD})
    assert signed_in.status_code == 302, email

    problems, pages = crawl(demo_app, client, _seeds(demo_app))

    assert problems == {}
    # the crawl did walk the signed-in site, not a sign-in page over and over
    assert pages["me.shifts"] >= 1, pages
    assert len(pages) >= 12, pages
    if "coordinator" in email:
        for endpoint in ("rota.board", "shifts.show_shift", "shifts.show_shift (htmx)", "rota.print_week",
                         "reports.monthly",
                         "wellbeing.list_warnings", "contributions.attendance", "people.edit_person"):
            assert pages[endpoint] >= 1, (endpoint, sorted(pages))


def test_signed_out_pages_rely_on_nothing_inline(demo_app: Flask) -> None:
    client = demo_app.test_client()
    problems, pages = crawl(demo_app, client, [*_seeds(demo_app), "/password/reset/not-a-token",
                                               "/invite/not-a-token"])
    assert problems == {}
    assert pages["auth.login"] >= 1 and pages["auth.forgot_password"] >= 1


def test_the_report_document_brings_one_style_its_policy_allows_by_hash(demo_app: Flask) -> None:
    client = demo_app.test_client()
    with demo_app.app_context():
        client.post("/login", data={"email": "coordinator@tackley.example", "password": PASSWORD})
        response = client.get("/reports/monthly/2026-10.html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(styles) == 1 and html.count("<style") == 1  # the charts inside bring none of their own
    assert ".pygal-chart .color-0" in styles[0] and ".report .headline" in styles[0]
    digest = base64.b64encode(hashlib.sha256(styles[0].encode("utf-8")).digest()).decode()
    directives = dict(d.strip().split(" ", 1) for d in response.headers["Content-Security-Policy"].split(";"))
    assert directives["style-src"] == f"'self' 'sha256-{digest}'"
    assert directives["script-src"] == "'self'"
    # the rest of the page obeys the policy: no style attribute, no handler, no script
    page = read(html)
    assert page.refused == ["<style> element"]
    assert not INLINE_HANDLER.search(html.replace(styles[0], ""))
    # every other response keeps the site's policy
    with demo_app.app_context():
        assert client.get("/reports/monthly/2026-10").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_no_template_served_under_the_policy_has_a_style_attribute_or_element() -> None:
    """What the crawl may miss (a branch the demo never shows) is caught in the source: only e-mails
    (never served) keep inline styles, and the report document its one hashed ``<style>``."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    found = []
    for path in sorted(templates.rglob("*.html")):
        name = path.relative_to(templates).as_posix()
        if name.startswith("email/"):
            continue
        text = path.read_text(encoding="utf-8")
        if name == "reports/monthly_document.html":
            text = text.replace("<style>{{ document_css }}</style>", "", 1)
        found += [f"{name}: style attribute" for _ in re.finditer(r"\sstyle\s*=", text)]
        found += [f"{name}: <style> element" for _ in re.finditer(r"<style\b", text)]
        found += [f"{name}: {m.group().strip()} handler" for m in INLINE_HANDLER.finditer(text)]
    assert found == []
