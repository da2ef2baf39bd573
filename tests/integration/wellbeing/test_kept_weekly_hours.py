"""/warnings' sparkline hours kept between views with the figures: never another organisation's, never stale.

Run against the in-process store and, when ``TEST_REDIS_URL`` names one, a Redis (the ``cached`` fixture).
"""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from tests.integration.wellbeing.conftest import MONDAY, NOW
from tests.querycount import statements_run
from volunteers.wellbeing import org_figures_cache
from volunteers.wellbeing.queries import computed
from volunteers.wellbeing.services import scan
from volunteers.wellbeing.weeks import sparkline_weeks


def _this_week(html: str) -> str:
    found = re.search(r"<small>([^<]*) this week</small>", html)
    assert found, "no sparkline on the page"
    return found.group(1)


@pytest.fixture()
def warned(db, helpline, member, clock):
    """Leanne and Sam with helpline nights this week (warned), scanned; Janet the coordinator."""
    clock.now = NOW
    member("janet@example.org", role="coordinator")
    people = [member("leanne@example.org", pledge=6), member("sam@example.org", pledge=4)]
    for person in people:
        helpline.nights(person, MONDAY + timedelta(days=1), 3)
    scan(helpline.org, NOW)
    db.session.commit()
    return people


def test_a_second_view_reads_the_kept_hours(client, auth, cached, warned) -> None:
    auth.login("janet@example.org")
    with statements_run() as first:
        made = client.get("/warnings").get_data(as_text=True)
    with statements_run() as second:
        kept = client.get("/warnings").get_data(as_text=True)
    assert kept == made and _this_week(made) == "24 h"
    # no places, hours, names or window bounds read, nor the warnings (the same change mark: kept_page.rows_at)
    assert len(second) == len(first) - 5, "\n".join(second)


def test_a_rota_change_is_in_the_next_views_hours(client, auth, db, cached, helpline, warned) -> None:
    auth.login("janet@example.org")
    assert _this_week(client.get("/warnings").get_data(as_text=True)) == "24 h"
    helpline.place(warned[0], MONDAY + timedelta(days=5), "09:00", "12:00")
    db.session.commit()
    assert _this_week(client.get("/warnings").get_data(as_text=True)) == "27 h"


def _places_read(statements: list[str]) -> int:
    return sum(1 for s in statements if "FROM assignments JOIN shifts" in s and "membership_id IN" in s)


def test_the_hours_are_read_again_in_a_new_week(db, app, cached, helpline, warned) -> None:
    org, ids = helpline.org, [p.id for p in warned]
    sunday_night = NOW + timedelta(days=6, hours=11, minutes=55)  # 23:55 GMT, five minutes before the week ends
    this_week = sparkline_weeks(org, sunday_night)
    assert org_figures_cache.kept_for_page(org, sunday_night, ids, this_week) == computed(org, sunday_night, ids,
                                                                                          this_week)
    with statements_run() as kept:
        org_figures_cache.kept_for_page(org, sunday_night + timedelta(minutes=4), ids, this_week)
    assert _places_read(kept) == 0
    monday = sunday_night + timedelta(minutes=6)
    next_week = sparkline_weeks(org, monday)
    with statements_run() as again:
        hours = org_figures_cache.kept_for_page(org, monday, ids, next_week)[1]
    assert _places_read(again) == 1 and hours == computed(org, monday, ids, next_week)[1]
    assert hours[ids[0]][7] == 24  # this week's nights are last week's now


def test_the_hours_are_kept_ten_minutes_at_most(db, app, cached, helpline, warned) -> None:
    """Writes the session never sees (a raw connection's) are seen at the latest when the entry ends."""
    org, ids = helpline.org, [p.id for p in warned]
    org_figures_cache.kept_for_page(org, NOW, ids, sparkline_weeks(org, NOW))
    later = NOW + timedelta(seconds=org_figures_cache.ENTRY_TTL_S)
    with statements_run() as again:
        org_figures_cache.kept_for_page(org, later, ids, sparkline_weeks(org, later))
    assert _places_read(again) == 1


def test_people_missing_from_the_entry_are_read_and_added(db, app, cached, helpline, warned) -> None:
    org, (leanne, sam) = helpline.org, warned
    weeks = sparkline_weeks(org, NOW)
    expected = computed(org, NOW, [leanne.id, sam.id], weeks)[1]
    org_figures_cache.kept_for_page(org, NOW, [leanne.id], weeks)
    with statements_run() as added:
        assert org_figures_cache.kept_for_page(org, NOW, [leanne.id, sam.id], weeks)[1] == expected
    assert len(added) == 1, added  # Sam's places only
    with statements_run() as none:
        assert org_figures_cache.kept_for_page(org, NOW, [sam.id], weeks)[1] == {sam.id: expected[sam.id]}
    assert none == []


def test_another_organisations_entry_is_not_served(db, app, cached, helpline, warned) -> None:
    org = helpline.org
    weeks = sparkline_weeks(org, NOW)
    ids = [p.id for p in warned]
    org_figures_cache.kept_for_page(org, NOW, ids, weeks)
    [raw] = cached.get_many([f"figures:weeks:{org.id}"])
    entry = json.loads(raw)
    entry["org"] = org.id + 1
    cached.put(f"figures:weeks:{org.id}", json.dumps({**entry, "hours": {str(i): [99.0] * 12 for i in ids}}), 60)
    assert org_figures_cache.kept_for_page(org, NOW, ids, weeks) == computed(org, NOW, ids, weeks)
