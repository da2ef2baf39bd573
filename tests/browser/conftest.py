"""Browser tests: the app served by a real server in a thread, driven by Debian's Chromium via Playwright.

The server (werkzeug's ``make_server`` on 127.0.0.1 and a free port)
serves an app built for these tests against a file SQLite database, with
CSRF protection on, as a browser meets it. Each test starts from empty
tables and builds its own data. The module is skipped when
/usr/bin/chromium is absent (``apt-get install -y chromium``; never
``playwright install``).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from config import TestingConfig
from tests.clock import Clock, freeze
from tests.factories import DEFAULT_PASSWORD
from volunteers.app import create_app
from volunteers.extensions import db as _db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 375, "height": 812}

def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(
                    reason="browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium)"))


class LiveServer:
    """The app on a real port, in a thread; ``url(path)`` gives an absolute URL."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.base = f"http://127.0.0.1:{self._server.server_port}"
        app.config["SERVER_NAME_FOR_LINKS"] = self.base
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-server", daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture(scope="session")
def browser_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app of its own on a file SQLite database (whatever TEST_DATABASE_URL says), CSRF on."""
    path = tmp_path_factory.mktemp("browser") / "volunteers.sqlite"

    class BrowserConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
        WTF_CSRF_ENABLED = True
        MAIL_BACKEND = "none"

    app = create_app(BrowserConfig)
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(browser_app: Flask) -> Iterator[LiveServer]:
    server = LiveServer(browser_app).start()
    yield server
    server.stop()


@pytest.fixture()
def data(browser_app: Flask, live_server: LiveServer) -> Iterator[Callable[[Callable[[], Any]], Any]]:
    """Empty tables for this test; ``data(build)`` runs ``build()`` in the app and commits what it made."""
    with browser_app.app_context():
        _db.drop_all()
        _db.create_all()
        _db.session.remove()

    def run(build: Callable[[], Any]) -> Any:
        with browser_app.app_context():
            made = build()
            _db.session.commit()
            _db.session.remove()
            return made

    yield run
    with browser_app.app_context():
        _db.session.remove()


@pytest.fixture()
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Set the app's clock (for the pages and the feed) to a fixed instant (``tests.clock``)."""
    clock = freeze(monkeypatch, Clock())

    def set_now(when: datetime) -> None:
        clock.now = when

    return set_now


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture()
def phone(browser: Any, live_server: LiveServer) -> Iterator[Callable[[], Any]]:
    """``phone()`` opens a new 375-px-wide page (own cookies); all are closed after the test."""
    contexts = []

    def open_page() -> Any:
        context = browser.new_context(viewport=PHONE, base_url=live_server.base, is_mobile=True, has_touch=True)
        context.set_default_timeout(5000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page: Any, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def open_menu(page: Any) -> None:
    """Unfold the header's menu where a phone's screen folds it away (base.html's ``<details class="menu">``)."""
    summary = page.locator("header details.menu > summary")
    if summary.count() and summary.first.is_visible() and page.locator("header details.menu[open]").count() == 0:
        summary.first.click()
