"""A month's report page kept (``reports.report_page``) is the page made afresh, after every change it shows.

Each view of a kept page is compared with the same view made after the kept pages are dropped and rendered
without a frame: a draft of a month that is over (with its issue form), an entry added to it, the "as of"
minute moving, the month issued, another month, and another organisation's report of the same month.
"""
from __future__ import annotations

import re
from datetime import time, timedelta
from decimal import Decimal

from tests.factories import utc
from tests.integration.reports import dataset
from tests.integration.reports.helpers import make_ledger_org
from volunteers.contributions.models import Contribution
from volunteers.core.timeutil import Month, local_to_utc
from volunteers.reports import report_page
from volunteers.reports import services as reports

_TOKENS = re.compile(r'(?<=csrf_token" value=")[^"]+|(?<=csrf-token" content=")[^"]+|(?<="X-CSRFToken": ")[^"]+')
_MADE_AT = re.compile(r'(?<=rendered-at" content=")[^"]+"[^>]*')
NOW = utc(2026, 11, 3, 9, 30)


def _masked(response) -> str:
    assert response.status_code == 200
    return _MADE_AT.sub("T", _TOKENS.sub("TOKEN", response.get_data(as_text=True)))


def _same_kept_and_afresh(app, client, url: str = "/reports/monthly/2026-10") -> str:
    served = [_masked(client.get(url)) for _ in range(2)]
    assert report_page.PAGES.texts(), "nothing was kept"
    report_page.forget()
    app.jinja_env.auto_reload = True  # rendered as always: no frame
    try:
        afresh = _masked(client.get(url))
    finally:
        app.jinja_env.auto_reload = False
    assert served == [afresh, afresh]
    return afresh


def test_the_kept_page_follows_the_report(app, client, auth, db, ledger, clock) -> None:
    clock.now = NOW
    dataset.build(ledger)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    draft = _same_kept_and_afresh(app, client)
    assert "Issue the report now" in draft and "<title>Report 2026-10 · volunteers</title>" in draft
    assert "as of 3 Nov 2026, 09:30" in draft
    client.get("/reports/monthly/2026-10")
    db.session.add(Contribution(
        organisation_id=ledger.org.id, membership_id=ledger.ann.id, kind="time", stage="delivery",
        hours=Decimal("100"), amount=Decimal(0), occurred_at=local_to_utc(Month(2026, 10).first_day, time(10),
                                                                           "Europe/London"),
        occurred_on=Month(2026, 10).first_day, status="approved", decided_at=NOW - timedelta(days=1)))
    db.session.commit()
    more = _masked(client.get("/reports/monthly/2026-10"))
    assert more != draft and more == _same_kept_and_afresh(app, client)
    client.get("/reports/monthly/2026-10")
    clock.now = NOW + timedelta(minutes=1)
    later = _masked(client.get("/reports/monthly/2026-10"))
    assert "as of 3 Nov 2026, 09:31" in later and later == _same_kept_and_afresh(app, client)
    client.get("/reports/monthly/2026-10")
    reports.issue_report(ledger.org, Month(2026, 10), clock.now, None)
    db.session.commit()
    issued = _masked(client.get("/reports/monthly/2026-10"))
    assert "Issue the report now" not in issued and "Issued 3 Nov 2026" in issued
    assert issued == _same_kept_and_afresh(app, client)
    assert "Issue the report now" not in _same_kept_and_afresh(app, client, "/reports/monthly/2026-11")


def test_each_organisation_has_its_own_report(app, client, auth, db, ledger, clock) -> None:
    clock.now = NOW
    dataset.build(ledger)
    other = make_ledger_org("surestart", "Sure Start")
    db.session.commit()
    auth.login("coordinator@tackley.example")
    assert "Tackley Village Shop" in _same_kept_and_afresh(app, client)
    client.get("/reports/monthly/2026-10")
    auth.logout()
    auth.login("coordinator@surestart.example")
    page = _masked(client.get("/reports/monthly/2026-10"))
    assert "Sure Start" in page and "Tackley" not in page
    assert page == _same_kept_and_afresh(app, client)
    assert other.org.id
