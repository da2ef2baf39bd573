"""The /warnings figures kept between views: never another organisation's, never older than the rota.

Run against the in-process store and, when ``TEST_REDIS_URL`` names one, a
Redis (keys under a prefix of this test's own, removed afterwards).
"""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from tests.integration.wellbeing.conftest import MONDAY, NOW
from tests.querycount import statements_run
from volunteers.rota.models import Assignment
from volunteers.wellbeing import kept_page, org_figures_cache
from volunteers.wellbeing.queries import organisation_summary


def _active(html: str) -> int:
    found = re.search(r"<strong>(\d+)</strong> active volunteers", html)
    assert found, "no figures on the page"
    return int(found.group(1))


@pytest.fixture()
def two_orgs(db, helpline, member, clock):
    """Sure Start: two volunteers with places last month; Tackley beside it: one. A coordinator each."""
    clock.now = NOW
    member("janet@example.org", role="coordinator")
    for k in range(2):
        helpline.weekly(member(f"p{k}@example.org"), MONDAY - timedelta(weeks=5), 3, "09:00", "12:00")
    other = make_org("tackley", "Tackley")
    role, site = make_role(other), make_site(other)
    make_member(other, "olive@example.org", role="coordinator")
    tom = make_member(other, "tom@example.org")
    put_on(make_shift(other, role, site, MONDAY - timedelta(days=10)), tom, status="attended")
    db.session.commit()
    return helpline, other


def test_each_organisation_sees_its_own_figures(client, auth, db, cached, two_orgs) -> None:
    helpline, other = two_orgs
    auth.login("janet@example.org")
    assert _active(client.get("/warnings").get_data(as_text=True)) == 2
    auth.logout()
    auth.login("olive@example.org")
    assert _active(client.get("/warnings").get_data(as_text=True)) == 1  # kept per organisation
    auth.logout()
    auth.login("janet@example.org")
    assert _active(client.get("/warnings").get_data(as_text=True)) == 2

    # an entry found under one organisation's key that says it is another's is not served
    [raw] = cached.get_many([f"figures:org:{helpline.org.id}"])
    assert raw is not None
    cached.put(f"figures:org:{other.id}", raw, 60)
    assert json.loads(raw)["org"] == helpline.org.id
    assert org_figures_cache.organisation_summary_cached(other, NOW) == organisation_summary(other, NOW)


def test_a_second_view_reads_the_kept_figures(client, auth, db, cached, two_orgs) -> None:
    auth.login("janet@example.org")
    with statements_run() as first:
        made = client.get("/warnings").get_data(as_text=True)
    with statements_run() as second:
        kept = client.get("/warnings").get_data(as_text=True)
    assert _active(kept) == _active(made) == 2
    # no hours, names or window bounds read again, nor the warnings (the same change mark: kept_page.rows_at)
    assert len(second) == len(first) - 4, "\n".join(second)


def test_forget_all_makes_the_kept_figures_stale(client, auth, db, cached, two_orgs) -> None:
    """``flask restore`` calls it: a restore replaces every table without the session seeing a write."""
    auth.login("janet@example.org")
    with statements_run() as first:
        client.get("/warnings")
    with client.application.app_context():
        org_figures_cache.forget_all()
        kept_page.forget()  # the warnings read again too, as the first view read them
    with statements_run() as again:
        client.get("/warnings")
    assert len(again) == len(first), "\n".join(again)  # read afresh


def test_a_rota_change_is_seen_at_the_next_view(client, auth, db, cached, two_orgs, member) -> None:
    helpline, _ = two_orgs
    auth.login("janet@example.org")
    assert _active(client.get("/warnings").get_data(as_text=True)) == 2
    newcomer = member("new@example.org")
    helpline.place(newcomer, MONDAY - timedelta(days=3), "09:00", "12:00", status="attended")
    db.session.commit()  # a place taken through the session
    assert _active(client.get("/warnings").get_data(as_text=True)) == 3

    db.session.execute(update(Assignment).where(Assignment.membership_id == newcomer.id)
                       .values(status="cancelled"))
    db.session.commit()  # a bulk statement, no objects flushed
    assert _active(client.get("/warnings").get_data(as_text=True)) == 2


def test_a_place_starting_since_the_last_view_is_counted(client, auth, db, cached, two_orgs, member,
                                                         clock) -> None:
    helpline, _ = two_orgs
    soon = member("soon@example.org")
    helpline.place(soon, MONDAY, "12:02", "15:00")  # starts two minutes after NOW
    db.session.commit()
    auth.login("janet@example.org")
    assert _active(client.get("/warnings").get_data(as_text=True)) == 2
    clock.now = NOW + timedelta(minutes=3)  # nothing written: only time has passed
    assert _active(client.get("/warnings").get_data(as_text=True)) == 3


def test_a_place_leaving_the_window_is_dropped(db, app, cached, two_orgs, clock) -> None:
    _, other = two_orgs  # Tom's one place, 09:00 ten days before NOW: it leaves the window 90 days later
    leaves = NOW - timedelta(days=10, hours=3) + timedelta(days=90)
    before, after = leaves - timedelta(minutes=5), leaves + timedelta(minutes=1)
    assert org_figures_cache.organisation_summary_cached(other, before)[0]["volunteers"] == 1
    assert org_figures_cache.organisation_summary_cached(other, after)[0]["volunteers"] == 0
    assert org_figures_cache.organisation_summary_cached(other, after) == organisation_summary(other, after)


def test_figures_are_kept_in_the_hours_before_a_place_leaves_the_window(db, app, cached, two_orgs, clock) -> None:
    _, other = two_orgs  # no clock change near Tom's place or its leaving: the entry holds until it leaves
    leaves = NOW - timedelta(days=10, hours=3) + timedelta(days=90)
    soon = leaves - timedelta(minutes=5)  # (entries live ten minutes at most)
    assert org_figures_cache.valid_until(other, soon) == leaves
    assert org_figures_cache.organisation_summary_cached(other, soon)[0]["volunteers"] == 1
    with statements_run() as kept:
        assert org_figures_cache.organisation_summary_cached(other, leaves - timedelta(seconds=1))[0]["volunteers"] == 1
    assert kept == []
    assert org_figures_cache.organisation_summary_cached(other, leaves + timedelta(seconds=1)) == \
        organisation_summary(other, leaves + timedelta(seconds=1))
