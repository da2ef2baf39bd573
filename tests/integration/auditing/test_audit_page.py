"""``/audit``: admins read their organisation's trail, filtered and paginated, and download it as CSV."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from tests.querycount import statements_run
from volunteers.core import audit
from volunteers.extensions import db

from .conftest import entries, only

BASE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _add(org, actor, action, target_type="membership", target_id=1, at=BASE, reason=None, **details):
    audit.record(org, actor, action, target_type, target_id, reason, now=at, **details)


@pytest.fixture()
def admin(client, auth, trail):
    auth.login("ada@tackley.example")
    return trail


def _rows(client, query: str = "") -> list[str]:
    """The ``<code>action</code>`` of each row shown, top to bottom."""
    page = client.get(f"/audit{query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return [part.split("</code>")[0] for part in html.split("<code>")[1:]]


def test_admins_see_their_organisations_entries_newest_first(client, admin) -> None:
    t = admin
    _add(t.org, t.coordinator.person_id, "people.create", at=BASE, role="volunteer")
    _add(t.org, t.admin.person_id, "rota.role_update", "role", 7, at=BASE + timedelta(hours=1),
         changes={"intensity": ["1.0", "1.5"], "name": ["Shop", "Shop counter"]})
    _add(t.org, None, "people.import", "organisation", t.org.id, at=BASE + timedelta(hours=2), source="cli")
    _add(t.other, t.other_admin.person_id, "people.create", at=BASE + timedelta(hours=3), reason="gateshead only")
    db.session.commit()
    html = client.get("/audit?action=people.").get_data(as_text=True)
    assert "gateshead only" not in html and "Gail Gateshead" not in html
    assert _rows(client, "?action=people.") == ["people.import", "people.create"]
    assert _rows(client, "?action=rota.") == ["rota.role_update"]
    html = client.get("/audit").get_data(as_text=True)
    assert "Cora Ordinator" in html and "added a person" in html and "the system" in html
    assert "intensity: 1.0 → 1.5" in html and "edited a role" in html
    assert "2026-11-02 09:00" in html  # Europe/London, GMT in November


def test_only_admins_open_the_trail(client, auth, trail) -> None:
    assert client.get("/audit").status_code == 302  # to the sign-in page
    auth.login("cora@tackley.example")
    assert client.get("/audit").status_code == 403
    assert client.get("/audit.csv").status_code == 403
    auth.logout()
    auth.login("ann@example.org")
    assert client.get("/audit").status_code == 403


def test_another_organisations_admin_never_sees_these_entries(client, auth, trail) -> None:
    _add(trail.org, trail.admin.person_id, "people.update", target_id=trail.volunteer.id, reason="tackley secret")
    db.session.commit()
    auth.login("gail@gateshead.example")
    html = client.get(f"/audit?target_type=membership&target_id={trail.volunteer.id}").get_data(as_text=True)
    assert "tackley secret" not in html and "Ada Admin" not in html
    csv_text = client.get("/audit.csv").get_data(as_text=True)
    assert "tackley secret" not in csv_text and "people.update" not in csv_text


def test_filters_by_actor_target_and_local_dates(client, admin) -> None:
    t = admin
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST)
    _add(t.org, t.coordinator.person_id, "shifts.create", "shift", 5, at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    _add(t.org, t.coordinator.person_id, "shifts.update", "shift", 6, at=datetime(2026, 6, 30, 22, 30, tzinfo=UTC))
    _add(t.org, t.admin.person_id, "shifts.cancel_shift", "shift", 5, at=datetime(2026, 7, 2, 12, tzinfo=UTC))
    db.session.commit()
    assert _rows(client, "?action=shifts.&from=2026-07-01&to=2026-07-01") == ["shifts.create"]
    assert _rows(client, "?action=shifts.&to=2026-06-30") == ["shifts.update"]
    assert _rows(client, "?action=shifts.&from=2026-07-01") == ["shifts.cancel_shift", "shifts.create"]
    assert _rows(client, f"?actor={t.coordinator.person_id}") == ["shifts.create", "shifts.update"]
    assert _rows(client, "?target_type=shift&target_id=5") == ["shifts.cancel_shift", "shifts.create"]
    assert _rows(client, "?action=shifts.create") == ["shifts.create"]
    # the action is a start of text, not a pattern: % and _ match themselves
    assert _rows(client, "?action=shifts_") == [] and _rows(client, "?action=%25") == []


def test_pages_of_fifty_with_a_constant_number_of_queries(client, admin) -> None:
    t = admin

    def queries_for(url: str) -> int:
        with statements_run() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    _add(t.org, t.coordinator.person_id, "people.update", target_id=0, at=BASE)
    db.session.commit()
    one = queries_for("/audit")
    people = [t.admin, t.coordinator, t.volunteer]
    for i in range(1, 120):
        _add(t.org, people[i % 3].person_id, "people.update", target_id=i, at=BASE + timedelta(minutes=i))
    db.session.commit()
    assert queries_for("/audit") == one
    first = client.get("/audit?action=people.").get_data(as_text=True)
    assert first.count("<code>people.update</code>") == 50 and "page=2" in first and "page=0" not in first
    assert "membership #119" in first and "membership #69" not in first
    last = client.get("/audit?action=people.&page=3").get_data(as_text=True)
    assert last.count("<code>people.update</code>") == 20 and "membership #0<" in last
    assert "page=4" not in last and "page=2" in last
    assert "No entries" in client.get("/audit?action=people.&page=4").get_data(as_text=True)


@pytest.mark.parametrize("query", [
    "from=2026-13-01", "from=30/11/2026", "to=9999-12-31", "from=2026-12-01&to=2026-11-01", "page=0",
    "page=99999999999999999999", "page=-1", "page=abc", "actor=abc", "actor=99999999999999999999",
    "target_id=-1", "target_id=1e3", "action=" + "x" * 81, "target_type=" + "y" * 41,
])
def test_crafted_filters_are_a_400_not_a_500(client, admin, query) -> None:
    assert client.get(f"/audit?{query}").status_code == 400
    if not query.startswith("page="):  # the download has no pages
        assert client.get(f"/audit.csv?{query}").status_code == 400


def test_the_csv_holds_the_filtered_entries_safely_and_is_itself_audited(client, admin, clock) -> None:
    t = admin
    _add(t.org, t.coordinator.person_id, "contributions.reverse", "contribution", 3, reason="=HYPERLINK(\"x\")",
         hours="2.50")
    _add(t.org, t.coordinator.person_id, "rota.publish", "organisation", t.org.id, shifts=4)
    db.session.commit()
    response = client.get("/audit.csv?action=contributions.")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["when", "actor_id", "actor", "action"]
    assert len(rows) == 2
    assert rows[1][2:4] == ["Cora Ordinator", "contributions.reverse"]
    assert rows[1][7] == "'=HYPERLINK(\"x\")" and '"hours": "2.50"' in rows[1][8]
    export = only(t.org, "audit.export")
    assert export.actor_person_id == t.admin.person_id and export.created_at == clock.now
    assert export.details == {"entries": 1, "filters": {"action": "contributions."}}


def test_the_trail_has_no_way_to_change_an_entry(app) -> None:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("auditing.")]
    assert {r.rule for r in rules} == {"/audit", "/audit.csv"}
    assert all(r.methods is not None and r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules)


def test_the_admin_menu_links_to_the_trail(client, admin) -> None:
    assert 'href="/audit"' in client.get("/rota").get_data(as_text=True)
    assert entries(admin.org, "audit.") == []  # reading the page writes nothing
