"""Walk every page a demo user can reach: shared by the CSP crawl and the browser accessibility crawl.

A crawl starts from the home page and every GET route without parameters,
follows the links, ``hx-get`` partials and GET forms of each HTML answer
(same site only) and gives back what it visited. The same endpoint with other
ids or filters renders the same template, so only a few of each are visited.
"""
from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import ChainableUndefined
from werkzeug.exceptions import HTTPException

from config import TestingConfig
from tests.clock import DEFAULT_NOW, Clock, freeze
from volunteers.app import create_app
from volunteers.demo.data import load_demo
from volunteers.extensions import db as _db

NOW = DEFAULT_NOW  # Monday 30 November 2026: the demo's quarter before it, its rota after
#: a demo login per role of each organisation, and the network admin
USERS = ("coordinator@tackley.example", "volunteer@tackley.example", "coordinator@surestart.example",
         "counsellor@surestart.example", "admin@volunteers.example")
#: never followed: leaves the session, answers with a file rather than a page, or answers a probe
#: (/readyz says 503 where the test database was made without migrations; /metrics is for scrapers)
SKIP_ENDPOINTS = {"static", "wellbeing.static", "calendar.feed", "core.healthz", "operations.readyz",
                  "operations.show_metrics"}


@contextmanager
def demo_app(database_uri: str = "sqlite://") -> Iterator[Flask]:
    """The demo loaded once on its own database, with the clock at ``NOW`` for every request (any thread)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        freeze(monkeypatch, Clock(NOW))
        app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_uri)
        with app.app_context():
            _db.create_all()
            load_demo(NOW)
            _db.session.commit()
            _db.session.remove()
        yield app
        with app.app_context():
            _db.session.remove()
            _db.drop_all()
            _db.engine.dispose()


class Page(HTMLParser):
    """What the CSP would refuse in one HTML answer, and where it leads (links, partials, GET forms)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refused: list[str] = []
        #: (url, asked by htmx): an ``hx-get`` is fetched as htmx fetches it, for its partial
        self.leads: list[tuple[str, bool]] = []
        self._script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, _ in attrs:
            if name == "style":
                self.refused.append(f"style attribute on <{tag}>")
            elif name.startswith("on"):
                self.refused.append(f"{name} handler on <{tag}>")
            elif name == "hx-on" or name.startswith(("hx-on:", "hx-on-")):
                self.refused.append(f"{name} on <{tag}>")
        if tag == "style":
            self.refused.append("<style> element")
        if tag == "script":
            self._script_without_src = not names.get("src")
        for name in ("href", "hx-get"):
            if names.get(name):
                self.leads.append((str(names[name]), name == "hx-get"))
        if tag == "a" and (names.get("href") or "").startswith("javascript:"):
            self.refused.append("javascript: link")
        if tag == "form" and (names.get("method") or "get").lower() == "get":
            self.leads.append((str(names.get("action") or ""), False))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_without_src = False

    def handle_data(self, data: str) -> None:
        if self._script_without_src and data.strip():
            self.refused.append("inline <script>")


def read(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def endpoint_of(app: Flask, path: str) -> str | None:
    try:
        endpoint, _ = app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return None
    return str(endpoint)


@dataclass
class Visit:
    """One answer the crawl fetched."""

    url: str
    endpoint: str
    htmx: bool
    status: int
    mimetype: str
    headers: dict[str, str]
    html: str
    #: the page that led here (for an htmx partial: the page it is loaded into)
    came_from: str | None = None
    page: Page = field(default_factory=Page)


def crawl(app: Flask, client: FlaskClient, seeds: list[str], *, per_endpoint: int = 4,
          max_pages: int = 200, keep: Callable[[str], bool] | None = None) -> tuple[list[Visit], Counter[str]]:
    """Visit what ``seeds`` lead to (same site, GET); return the visits and pages per endpoint.

    ``keep(endpoint)`` (optional) leaves endpoints it refuses unvisited.
    """
    visits: list[Visit] = []
    seen: set[tuple[str, bool]] = set()
    counts: Counter[str] = Counter()
    queue: deque[tuple[str, bool, str | None]] = deque((seed, False, None) for seed in seeds)
    while queue and sum(counts.values()) < max_pages:
        url, htmx, came_from = queue.popleft()
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or (url, htmx) in seen:
            continue
        seen.add((url, htmx))
        endpoint = endpoint_of(app, parts.path)
        key = f"{endpoint} (htmx)" if htmx else str(endpoint)
        if endpoint is None or endpoint in SKIP_ENDPOINTS or counts[key] >= per_endpoint:
            continue
        if keep is not None and not keep(endpoint):
            continue
        counts[key] += 1
        with app.app_context():  # one request in a context of its own, as a browser's would be
            response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
            html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
            response.close()  # downloads are sent as files
        visit = Visit(url, endpoint, htmx, response.status_code, response.mimetype or "", dict(response.headers),
                      html, came_from)
        visits.append(visit)
        if response.status_code >= 500 or response.mimetype != "text/html":
            continue
        visit.page = read(html)
        for lead, by_htmx in visit.page.leads:
            target = urljoin(url, lead).split("#", 1)[0]
            queue.append((target.removeprefix("http://localhost"), by_htmx, url))
    return visits, counts


def seeds(app: Flask) -> list[str]:
    """The home page, every GET page without parameters, and an answer the app does not have (its 404 page)."""
    plain = sorted(rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in (rule.methods or ()) and not rule.arguments and rule.endpoint not in SKIP_ENDPOINTS)
    return ["/", *plain, "/no/such/page"]


#: the e-mails not rendered by :func:`email_pages`: the monthly report's body is the report document itself,
#: which the crawls fetch as ``/reports/monthly/<month>.html``
EMAILS_AS_PAGES_ELSEWHERE = {"email/monthly_report.html"}


def _email_context() -> dict[str, object]:
    """One made-up context that every e-mail template renders with: names, a shift, a list of items, a link."""
    monday = NOW.date()
    shift = {"role": "Shop counter", "site": "Village hall shop", "when": "Saturday 5 December, 09:00–13:00"}
    item = {"person": "Ann Archer", "rule": "Weekly load", "severity": "warning", "worse": True, "prospective": True,
            "message": "21 hours in the week to 6 December (pledged 4).", "name": "Mia", "reference": "SS-0042",
            "step": "Ward visit", "due_by": monday + timedelta(days=2), "days_overdue": 3, "supporter": "Jo Bloggs"}
    reminder = {"name": "Ann Archer", "qualification": "DBS check", "expires_on": monday + timedelta(days=30),
                "kind": "check"}
    return {
        "reminder": reminder, "reminders": [reminder, {**reminder, "kind": "training"}], "name": "Cora Ordinator",
        "person": {"name": "Ann Archer"}, "coordinator": {"name": "Cora Ordinator"},
        "org": {"name": "Tackley Village Shop"}, "giver": "Bob Baker", "named": True, "shift": shift,
        "before": shift, "after": {**shift, "when": "Sunday 6 December, 10:00–14:00"}, "new": [shift],
        "changed": [shift], "removed": [shift], "period": "December 2026", "reason": "The hall is closed.",
        "address": "Main Street, Tackley", "others": ["Bob Baker", "Cat Carter"], "headline": "You are now on:",
        "lines": ["A coordinator put you on this shift."], "link": "http://localhost/me/shifts",
        "link_label": "All your shifts", "days": 7, "hours": 2, "items": [item, {**item, "supporter": None}],
        "monday": monday, "sunday": monday + timedelta(days=6), "today": monday,
        "announcement": {"title": "Closed on Boxing Day", "body": "The shop is shut on the 26th."},
        "paragraphs": ["The shop is shut on the 26th.", "Back on the 27th as usual."], "until": "Sat 26 Dec, 18:00",
    }


def email_pages(app: Flask) -> list[tuple[str, str]]:
    """Every e-mail's HTML body, rendered with a made-up context and set in a page as a mail client shows it.

    The page is the mail client's: its title and heading stand for the subject (``swap_offer`` → "Swap offer").
    A value the made-up context lacks (an e-mail added since) renders empty rather than failing.
    """
    pages = []
    lenient = app.jinja_env.overlay(undefined=ChainableUndefined)
    with app.test_request_context():
        names = sorted(t for t in app.jinja_env.list_templates()
                       if t.startswith("email/") and t.endswith(".html") and t not in EMAILS_AS_PAGES_ELSEWHERE)
        for name in names:
            body = lenient.get_template(name).render(**_email_context())
            subject = name.removeprefix("email/").removesuffix(".html").replace("_", " ").capitalize()
            pages.append((name, f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{subject}'
                                f"</title></head><body><header><h1>{subject}</h1></header><main>{body}</main></body></html>"))
    return pages
