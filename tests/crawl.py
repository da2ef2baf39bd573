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
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
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
