"""/warnings: evidence a coordinator understands, decisions with notes, scoping and a fixed number of queries."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_member, make_org
from tests.integration.wellbeing.conftest import MONDAY, NOW
from tests.querycount import statements_run
from volunteers.core.models import AuditLogEntry
from volunteers.wellbeing import kept_page
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.services import scan


@pytest.fixture()
def nights(db, helpline, member, clock):
    """Leanne with three helpline nights on call this week, scanned; Janet the coordinator signed in."""
    member("janet@example.org", role="coordinator")
    leanne = member("leanne@example.org", pledge=6)
    helpline.nights(leanne, MONDAY + timedelta(days=2), 3)
    scan(helpline.org, NOW)
    db.session.commit()
    return leanne


def test_open_warnings_show_numbers_window_shifts_and_a_sparkline(client, auth, nights) -> None:
    auth.login("janet@example.org")
    page = client.get("/warnings")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Leanne" in html and "Nights in a row" in html
    assert "Night duties on 3 consecutive dates, 2–4 Dec 2026" in html
    assert "Measured</dt><dd>3 nights" in html
    assert "warning level: at or above 3 nights" in html
    assert "Window</dt><dd>Wed 2 Dec, 23:00 – Sat 5 Dec, 07:00" in html
    assert "Wed 2 Dec, 23:00–07:00 (next day)" in html and "Helpline on call" in html
    assert '<svg class="sparkline"' in html and "pledge 6 h a week" in html
    assert "How evenly the work is spread" in html and "Bus factor" in html


def test_volunteers_get_403_and_strangers_go_to_login(client, auth, nights) -> None:
    assert client.get("/warnings").status_code == 302
    auth.login("leanne@example.org")
    assert client.get("/warnings").status_code == 403
    row = client.application.extensions["sqlalchemy"].session.scalar(select(LoadWarning))
    assert client.post(f"/warnings/{row.id}/acknowledge").status_code == 403


def test_another_organisations_warning_is_a_404(db, client, auth, nights) -> None:
    other = make_org("other")
    make_member(other, "olive@example.org", role="coordinator")
    db.session.commit()
    row = db.session.scalar(select(LoadWarning))
    auth.login("olive@example.org")
    assert client.post(f"/warnings/{row.id}/acknowledge", data={f"ack{row.id}-note": "x"}).status_code == 404
    assert client.post(f"/warnings/{row.id}/snooze", data={f"snooze{row.id}-until": "2026-12-05"}).status_code == 404
    assert "Leanne" not in client.get("/warnings").get_data(as_text=True)


def test_acknowledging_with_a_note_is_recorded(db, client, auth, nights) -> None:
    row = db.session.scalar(select(LoadWarning))
    auth.login("janet@example.org")
    response = client.post(f"/warnings/{row.id}/acknowledge",
                           data={f"ack{row.id}-note": "Spoke to Leanne; Thu swapped."})
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(LoadWarning, row.id)
    assert (row.status, row.acknowledged_note) == ("acknowledged", "Spoke to Leanne; Thu swapped.")
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "wellbeing.acknowledge"))
    assert entry.reason == "Spoke to Leanne; Thu swapped." and entry.target_id == row.id
    html = client.get("/warnings").get_data(as_text=True)
    assert "Acknowledged or snoozed (1 person)" in html and "No open warnings" in html


def test_a_too_long_note_is_shown_on_the_field_and_nothing_changes(db, client, auth, nights) -> None:
    row = db.session.scalar(select(LoadWarning))
    auth.login("janet@example.org")
    response = client.post(f"/warnings/{row.id}/acknowledge", data={f"ack{row.id}-note": "x" * 2001})
    assert response.status_code == 400
    assert f'id="ack{row.id}-note-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(LoadWarning, row.id).status == "open"


def test_snoozing_needs_a_date_in_the_next_90_days(db, client, auth, nights) -> None:
    row = db.session.scalar(select(LoadWarning))
    auth.login("janet@example.org")
    past = client.post(f"/warnings/{row.id}/snooze", data={f"snooze{row.id}-until": "2026-11-01"})
    assert past.status_code == 400 and "within the next 90 days" in past.get_data(as_text=True)
    missing = client.post(f"/warnings/{row.id}/snooze", data={f"snooze{row.id}-until": ""})
    assert missing.status_code == 400 and "Choose a date." in missing.get_data(as_text=True)
    done = client.post(f"/warnings/{row.id}/snooze", data={f"snooze{row.id}-until": "2026-12-07",
                                                          f"snooze{row.id}-note": "After her holiday"})
    assert done.status_code == 302
    db.session.expire_all()
    snoozed = db.session.get(LoadWarning, row.id)
    assert snoozed.snoozed_until.isoformat() == "2026-12-07T00:00:00+00:00"
    assert "snoozed until Mon 7 Dec" in client.get("/warnings").get_data(as_text=True)


def test_the_page_costs_the_same_queries_for_many_people(db, client, auth, helpline, member, clock) -> None:
    member("janet@example.org", role="coordinator")
    people = [member(f"p{k}@example.org", pledge=3) for k in range(8)]
    for person in people[:2]:
        helpline.nights(person, MONDAY + timedelta(days=2), 3)
    scan(helpline.org, NOW)
    db.session.commit()
    auth.login("janet@example.org")
    client.get("/warnings")
    kept_page.forget()  # both views below make the page (a view of a kept page reads no rows)
    with statements_run() as few:
        assert client.get("/warnings").status_code == 200
    for person in people[2:]:
        helpline.nights(person, MONDAY + timedelta(days=2), 4)
        helpline.weekly(person, MONDAY - timedelta(weeks=6), 6, "09:00", "16:00", status="attended")
    scan(helpline.org, NOW)
    db.session.commit()
    kept_page.forget()
    with statements_run() as many:
        html = client.get("/warnings").get_data(as_text=True)
    assert html.count('class="load-person') == 8
    assert len(many) == len(few)


def test_filtering_by_severity(client, auth, nights) -> None:
    auth.login("janet@example.org")
    assert "Leanne" not in client.get("/warnings?severity=critical").get_data(as_text=True)
    assert "Leanne" in client.get("/warnings?severity=warning").get_data(as_text=True)


def test_blank_decision_forms_are_plain_html_with_the_names_the_views_read(db, client, auth, nights,
                                                                            monkeypatch) -> None:
    import re

    from volunteers.wellbeing import views

    def no_form_objects(*args, **kwargs):
        raise AssertionError("a blank form is written as HTML, not built as a form object")

    auth.login("janet@example.org")
    with monkeypatch.context() as patched:
        patched.setattr(views, "AcknowledgeForm", no_form_objects)
        patched.setattr(views, "SnoozeForm", no_form_objects)
        html = client.get("/warnings").get_data(as_text=True)

    ids = re.findall(r'<(?:textarea|input)[^>]* id="((?:ack|snooze)\d+-\w+)"', html)
    assert ids and len(ids) == len(set(ids))  # unique per warning
    assert all(f'<label for="{id_}">' in html for id_ in ids)  # every field labelled
    assert all(re.search(f'id="{id_}"[^>]* name="{id_}"', html) for id_ in ids)
    assert 'maxlength="2000"' in html and re.search(r'name="snooze\d+-until" required type="date"', html)
    row = db.session.scalar(select(LoadWarning))
    token_fields = re.findall(r'name="csrf_token" value="([^"]*)"', html)
    assert len(set(token_fields)) == 1
    done = client.post(f"/warnings/{row.id}/snooze", data={f"snooze{row.id}-until": "2026-12-07",
                                                          f"snooze{row.id}-note": "After her holiday"})
    assert done.status_code == 302
