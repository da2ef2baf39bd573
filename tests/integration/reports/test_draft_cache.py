"""Drafts of months that are over, kept between views: never another organisation's, never older than a write.

The tests' configuration leaves the cache off; these turn it on (the in-process store, and a Redis when
``TEST_REDIS_URL`` names one, under a prefix of this test's own).
"""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from tests.factories import utc
from tests.integration.reports import dataset
from tests.integration.reports.helpers import make_ledger_org
from tests.querycount import statements_run
from volunteers.contributions import services as contributions
from volunteers.core.timeutil import Month
from volunteers.operations.jobs import nightly_statistics
from volunteers.reports import draft_cache, render
from volunteers.reports import services as reports
from volunteers.reports.domain.canonical import canonical_json
from volunteers.reports.figures import live_figures

OCTOBER = Month(2026, 10)
LATER = utc(2026, 11, 5, 12)  # October is over, and not issued


@pytest.fixture()
def october(db, ledger):
    built = dataset.build(ledger)
    db.session.commit()
    return built


def _fresh(org, month: Month, now) -> str:
    return canonical_json(live_figures(org, month, now))


def test_a_second_view_of_an_ended_month_reads_the_kept_draft(db, cached, ledger, october) -> None:
    first = reports.monthly_report(ledger.org, OCTOBER, LATER)
    with statements_run() as statements:
        second = reports.monthly_report(ledger.org, OCTOBER, LATER + timedelta(minutes=5))
    assert len(statements) == 1  # whether the month is issued (and the compared months' figures)
    assert (second.text, second.sha256) == (first.text, first.sha256)
    assert second.text == _fresh(ledger.org, OCTOBER, LATER) and second.issued is None
    assert second.as_of == LATER + timedelta(minutes=5)  # the draft says when it was read


def test_a_write_is_seen_at_the_next_view(db, cached, ledger, october) -> None:
    before = reports.monthly_report(ledger.org, OCTOBER, LATER)
    entry = contributions.log_hours(ledger.org, ledger.cat, date(2026, 10, 20), "4", None, "late logbook",
                                    utc(2026, 11, 2))
    db.session.commit()
    assert reports.monthly_report(ledger.org, OCTOBER, LATER).text == before.text  # pending: not counted
    contributions.decide(ledger.org, [entry.id], "approved", ledger.coordinator.person_id, utc(2026, 11, 2, 1))
    db.session.commit()
    after = reports.monthly_report(ledger.org, OCTOBER, LATER)
    assert after.text != before.text
    assert after.text == _fresh(ledger.org, OCTOBER, LATER)


def test_a_restore_makes_every_kept_draft_stale_and_analyze_does_not(db, cached, ledger, october) -> None:
    """A restore writes past the session (``flask restore`` calls ``forget_all``); the nightly ANALYZE job
    writes only its own ``job_runs`` row, which no report reads."""
    reports.monthly_report(ledger.org, OCTOBER, LATER)
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    nightly_statistics(LATER)
    db.session.commit()
    assert ledger.org.name  # loaded again after the commit, outside the count
    with statements_run() as statements:
        reports.monthly_report(ledger.org, OCTOBER, LATER)
    assert len(statements) == 1  # still kept
    draft_cache.forget_all()
    with statements_run() as statements:
        again = reports.monthly_report(ledger.org, OCTOBER, LATER)
    assert len(statements) > 5 and again.text == _fresh(ledger.org, OCTOBER, LATER)


def test_each_organisation_reads_its_own_draft(db, cached, ledger, october) -> None:
    other = make_ledger_org("surestart", "Sure Start")
    db.session.commit()
    mine = reports.monthly_report(ledger.org, OCTOBER, LATER)
    theirs = reports.monthly_report(other.org, OCTOBER, LATER)
    assert json.loads(mine.text)["organisation"] == "tackley" and json.loads(mine.text)["hours"] != "0"
    assert json.loads(theirs.text)["organisation"] == "surestart"
    assert theirs.text == _fresh(other.org, OCTOBER, LATER)
    assert reports.monthly_report(ledger.org, OCTOBER, LATER).text == mine.text


def test_a_month_not_over_is_computed_at_every_view(db, cached, ledger, october) -> None:
    during = utc(2026, 10, 31, 12)
    reports.monthly_report(ledger.org, OCTOBER, during)
    with statements_run() as statements:
        again = reports.monthly_report(ledger.org, OCTOBER, during)
    assert len(statements) > 5
    assert again.text == _fresh(ledger.org, OCTOBER, during)


def test_an_issued_month_reads_its_frozen_figures(db, cached, ledger, october) -> None:
    reports.monthly_report(ledger.org, OCTOBER, LATER)  # a draft kept
    stored = reports.issue_report(ledger.org, OCTOBER, LATER, None)
    db.session.commit()
    report = reports.monthly_report(ledger.org, OCTOBER, LATER + timedelta(minutes=6))
    assert report.issued is not None and report.text == stored.figures_json


def test_a_kept_body_shows_each_view_its_own_as_of(app, db, ledger, october) -> None:
    first = reports.monthly_report(ledger.org, OCTOBER, LATER)
    later = reports.monthly_report(ledger.org, OCTOBER, LATER + timedelta(hours=1, minutes=1))
    with app.test_request_context():
        bodies = [render.body_html(r) for r in (first, later, first)]
        included = [app.jinja_env.get_template("reports/_monthly_body.html").render(render.body_context(r))
                    for r in (first, later)]
    assert bodies[0] == bodies[2] == included[0] and bodies[1] == included[1]
    assert "figures as of 5 Nov 2026, 12:00 (Europe/London)" in bodies[0]
    assert "figures as of 5 Nov 2026, 13:01 (Europe/London)" in bodies[1]
