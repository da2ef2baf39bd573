"""The board's HTML (and the series list's) stays byte for byte what it was when its fast paths came in (issue 13).

The week and month boards (and the print sheet) of both demo organisations'
coordinators, with and without filters ("gaps only", each site, a role), a
week paged by day and a month whose busy days are summed per role, are
rendered at the demo's fixed instant and compared with the SHA-256 digests in
``board_same_bytes.json``, recorded from the pages as they were drawn before
(the Jinja card macro era's output, kept by every later change). A change
meant to alter the board's markup records the digests again:

    RECORD_BOARD_BYTES=1 .venv/bin/python -m pytest -q tests/integration/rota/test_board_same_bytes.py

On a mismatch the page drawn is written to ``tmp_path`` for a diff.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from volunteers.core.models import Organisation
from volunteers.demo.data import PASSWORD, load_demo
from volunteers.rota import board_views
from volunteers.rota.models import Role, Shift, Site

DIGESTS = Path(__file__).with_name("board_same_bytes.json")
HX = {"HX-Request": "true"}  # the board alone, without the site's header and menu (other packages' markup)
WEEKS = ("2026-09-07", "2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28", "2027-01-25")
MONTHS = ("2026-09", "2026-10", "2026-11", "2026-12", "2027-01")


def _filters(db, org: Organisation) -> list[str]:
    """No filter, gaps only, each site (and with gaps), the first two roles."""
    sites = db.session.scalars(select(Site.id).where(Site.organisation_id == org.id).order_by(Site.id)).all()
    roles = db.session.scalars(select(Role.id).where(Role.organisation_id == org.id).order_by(Role.id)).all()
    return ["", "&gaps=1", *(f"&site={s}" for s in sites), *(f"&site={s}&gaps=1" for s in sites),
            *(f"&role={r}" for r in roles[:2]), f"&role={roles[0]}&gaps=1"]


def _pages(client, db, slug: str) -> dict[str, bytes]:
    org = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    pages = {}
    for extra in _filters(db, org):
        for week in WEEKS:
            pages[f"{slug} week {week}{extra}"] = f"/rota?week={week}{extra}"
        for month in MONTHS:
            pages[f"{slug} month {month}{extra}"] = f"/rota?view=month&month={month}{extra}"
    pages[f"{slug} this week"] = "/rota"
    pages[f"{slug} this month"] = "/rota?view=month"
    pages[f"{slug} unreadable"] = "/rota?view=month&month=13-2026"
    for week in WEEKS[1:5]:
        pages[f"{slug} print {week}"] = f"/rota/print?week={week}"
    drawn = {name: _page(client, url) for name, url in pages.items()}
    # the series list is a page of its own (no partial): its table, without the site's header and menu
    series = client.get("/rota/series").data
    drawn[f"{slug} series"] = series[series.index(b'<div class="overflow-auto">'):series.index(b"</table></div>")]
    return drawn


def _page(client, url: str) -> bytes:
    response = client.get(url, headers=HX)
    assert response.status_code == 200, url
    # the session's CSRF token differs per sign-in: the only bytes that may
    return re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token" value=""', response.data)


def _paged(client) -> dict[str, bytes]:
    """Weeks paged by day and months summing days of more than two shifts: the limits lowered to the demo's size."""
    pages = {}
    for extra in ("", "&gaps=1", "&day=2026-12-09", "&day=2026-12-09&gaps=1", "&day=2026-12-20"):
        pages[f"paged week 2026-12-07{extra}"] = f"/rota?week=2026-12-07{extra}"
        pages[f"paged week 2026-12-14{extra}"] = f"/rota?week=2026-12-14{extra}"
        pages[f"paged month 2026-12{extra}"] = f"/rota?view=month&month=2026-12{extra}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(board_views, "WEEK_CARDS_PER_PAGE", 10)
        patch.setattr("volunteers.rota.board_period.MONTH_CARDS_PER_DAY", 2)
        return {name: _page(client, url) for name, url in pages.items()}


def test_the_board_draws_the_bytes_it_drew_before(client, auth, db, clock, tmp_path) -> None:
    load_demo(clock.now)  # the demo's Monday, 30 Nov 2026 (tests.clock)
    # a few days of drafts: the demo publishes every shift
    db.session.execute(update(Shift).where(Shift.local_date.between(date(2026, 12, 14), date(2026, 12, 16)))
                       .values(published_at=None))
    db.session.commit()
    drawn: dict[str, bytes] = {}
    for slug in ("tackley", "surestart"):
        auth.login(f"coordinator@{slug}.example", PASSWORD)
        drawn |= _pages(client, db, slug)
        if slug == "tackley":
            drawn |= _paged(client)
        auth.logout()
    digests = {name: hashlib.sha256(body).hexdigest() for name, body in drawn.items()}
    if os.environ.get("RECORD_BOARD_BYTES"):
        DIGESTS.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    expected = json.loads(DIGESTS.read_text())
    changed = sorted(name for name in expected if digests.get(name) != expected[name])
    for name in changed:
        (tmp_path / (re.sub(r"\W+", "_", name) + ".html")).write_bytes(drawn[name])
    assert not changed, f"{len(changed)} pages differ (written to {tmp_path}): {changed[:8]}"
    assert set(digests) == set(expected)
    assert any(b"to fill" in body for body in drawn.values()) and any(b"is away" in body for body in drawn.values())
