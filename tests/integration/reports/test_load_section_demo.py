"""The demo's November report: a load section that matches /warnings/history, and one card per person and rule."""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.clock import Clock, freeze
from tests.demo_db import demo_app
from volunteers.core.models import Organisation
from volunteers.demo.data import PASSWORD
from volunteers.extensions import db as _db
from volunteers.wellbeing.models import LoadWarning

#: a Monday in December: November is over, and its warnings were all written by one scan today
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo() -> Iterator[Flask]:
    """The demo loaded and scanned once at NOW, in an in-memory database of its own."""
    with demo_app(NOW, frozen=True, scanned=True) as (app, _):
        yield app


@pytest.fixture()
def coordinator(demo: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    freeze(monkeypatch, Clock(NOW))
    client = demo.test_client()
    with demo.app_context():
        assert client.post("/login", data={"email": "coordinator@surestart.example",
                                           "password": PASSWORD}).status_code == 302
        yield client


def _history_counts(html: str) -> dict[str, dict[str, int]]:
    """Return rule (or "all") → count name → number, read from the history page's table."""
    found: dict[str, dict[str, int]] = {}
    for rule, cells in re.findall(r'<tr data-rule="([a-z_]+)">(.*?)</tr>', html, re.S):
        found[rule] = {name: int(n) for name, n in re.findall(r'data-count="([a-z_]+)">(\d+)<', cells)}
    return found


def test_the_november_report_load_section_matches_the_warnings_history(coordinator) -> None:
    report = json.loads(coordinator.get("/reports/monthly/2026-11.json").get_data(as_text=True))
    section = report["load_and_fairness"]
    history = _history_counts(coordinator.get("/warnings/history?month=2026-11").get_data(as_text=True))
    assert history.pop("all") == section["warnings"]
    assert history == section["by_rule"]
    # truer than "0 / 0": the night runs of November were raised and ended in November
    assert section["warnings"]["raised"] > 0 and section["warnings"]["resolved"] > 0
    assert section["by_rule"]["consecutive_nights"]["raised"] >= 3
    assert "load_warnings" in report and {"hours", "value", "by_role"} <= set(report)  # the old keys stay
    assert section["bus_factor"] and all(isinstance(n, int) for n in section["bus_factor"].values())


def test_the_report_page_shows_the_load_section(coordinator) -> None:
    html = coordinator.get("/reports/monthly/2026-11").get_data(as_text=True)
    assert "Load and fairness" in html and "Load warnings by rule" in html and "Bus factor" in html


def test_the_surestart_warnings_page_is_one_card_per_person_and_rule(coordinator) -> None:
    html = coordinator.get("/warnings").get_data(as_text=True)
    org = _db.session.scalar(select(Organisation).where(Organisation.slug == "surestart"))
    pairs = set(_db.session.execute(
        select(LoadWarning.membership_id, LoadWarning.rule)
        .where(LoadWarning.organisation_id == org.id, LoadWarning.status != "resolved")).all())
    rows = _db.session.scalar(select(_db.func.count(LoadWarning.id)).where(
        LoadWarning.organisation_id == org.id, LoadWarning.status != "resolved"))
    assert html.count('<div class="rule-card') == len(pairs) < rows  # episodes folded, not one card each
    per_person = Counter(member for member, _ in pairs)
    assert max(per_person.values()) <= 6  # a handful per person: Leanne's 14 night runs are one card
    assert "episodes for Leanne Dodds" in html or "later nights in a row episodes" in html
    assert 'href="/rota?week=2026-' in html  # a warning's shifts open the board on their week
