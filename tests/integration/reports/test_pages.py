"""Report pages: coordinators only (volunteers 403, other organisations 404), downloads, issuing, statements."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
from sqlalchemy import select

from tests.factories import make_member, utc
from tests.integration.reports import dataset
from tests.integration.reports.helpers import make_ledger_org
from volunteers.core.timeutil import Month
from volunteers.people.services import membership_for_email
from volunteers.reports import services as reports
from volunteers.reports.models import MonthlyReport

DESIGN_KEYS = {"organisation", "month", "hours", "value", "active_volunteers", "places_needed", "places_filled",
               "by_volunteer", "by_role", "by_site", "by_kind", "by_stage"}


@pytest.fixture()
def october(db, ledger):
    built = dataset.build(ledger)
    reports.issue_report(ledger.org, Month(2026, 10), utc(2026, 11, 1, 6), None)
    db.session.commit()
    return built


def test_the_coordinator_reads_the_monthly_report(client, auth, october) -> None:
    auth.login("coordinator@tackley.example")
    page = client.get("/reports/monthly/2026-10")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "contributions in October 2026" in text and "<strong>29.5</strong> hours given" in text and "£473.00" in text
    assert text.count("<svg") == 3 and "Issued 1 Nov 2026" in text
    assert client.get("/reports").status_code == 200


def test_volunteers_get_403_and_other_organisations_404(client, auth, db, october) -> None:
    make_ledger_org("surestart", "Sure Start")
    db.session.commit()
    auth.login("ann@tackley.example")
    assert client.get("/reports/monthly/2026-10").status_code == 403
    assert client.get("/reports/monthly/2026-10.json").status_code == 403
    assert client.get("/reports").status_code == 403
    auth.logout()
    auth.login("coordinator@surestart.example")
    assert client.get("/reports/monthly/2026-10?org=tackley").status_code == 404
    assert client.get("/reports/monthly/2026-10.csv?org=tackley").status_code == 404
    mine = client.get("/reports/monthly/2026-10.json").get_json()
    assert mine["organisation"] == "surestart" and mine["hours"] == 0


def test_a_coordinator_of_two_organisations_chooses_one_by_slug(client, auth, db, october) -> None:
    other = make_ledger_org("surestart", "Sure Start")
    make_member(other.org, "coordinator@tackley.example", role="coordinator")
    db.session.commit()
    auth.login("coordinator@tackley.example")
    assert client.get("/reports/monthly/2026-10.json?org=surestart").get_json()["organisation"] == "surestart"
    assert client.get("/reports/monthly/2026-10.json?org=tackley").get_json()["hours"] == 29.5


def test_downloads_in_every_format(client, auth, october) -> None:
    auth.login("coordinator@tackley.example")
    as_json = client.get("/reports/monthly/2026-10.json")
    assert as_json.content_type == "application/json" and set(as_json.get_json()) >= DESIGN_KEYS
    assert as_json.get_json()["by_volunteer"][0] == {"email": "ann@tackley.example", "name": "Ann Archer",
                                                     "hours": 13.5}
    as_csv = client.get("/reports/monthly/2026-10.csv")
    assert as_csv.headers["Content-Disposition"] == 'attachment; filename="tackley-2026-10.csv"'
    lines = as_csv.get_data(as_text=True).splitlines()
    assert lines[0] == "section,item,detail,value" and "summary,hours,,29.5" in lines
    assert "by_volunteer,Ann Archer,ann@tackley.example,13.5" in lines
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/monthly/2026-10.xlsx").data))
    assert book["By role"]["A1"].value == "Role" and book["Summary"]["A1"].value == "Figure"
    html = client.get("/reports/monthly/2026-10.html")
    assert html.content_type.startswith("text/html") and b"<svg" in html.data and b"csrf" not in html.data


def test_a_bad_month_is_404(client, auth, october) -> None:
    auth.login("coordinator@tackley.example")
    assert client.get("/reports/monthly/2026-13").status_code == 404
    assert client.get("/reports/monthly/october.csv").status_code == 404


def test_issuing_a_finished_month_from_the_page(client, auth, db, ledger) -> None:
    auth.login("coordinator@tackley.example")
    assert client.post("/reports/monthly/2026-09/issue", data={"confirm": "1"}).status_code == 302
    stored = db.session.scalar(select(MonthlyReport))
    assert stored.month == "2026-09" and stored.issued_by_person_id == ledger.coordinator.person_id
    assert client.post("/reports/monthly/2999-01/issue", data={"confirm": "1"}).status_code == 303
    assert db.session.scalars(select(MonthlyReport.month)).all() == ["2026-09"]


def test_report_recipients_are_saved_and_checked(client, auth, db, ledger) -> None:
    auth.login("coordinator@tackley.example")
    client.post("/reports/recipients", data={"recipients": "Chair@Tackley.example, treasurer@tackley.example"})
    db.session.refresh(ledger.org)
    assert ledger.org.setting("report_recipients") == ["chair@tackley.example", "treasurer@tackley.example"]
    refused = client.post("/reports/recipients", data={"recipients": "not an address"})
    assert refused.status_code == 400 and 'id="recipients-error"' in refused.get_data(as_text=True)
    db.session.refresh(ledger.org)
    assert reports.report_recipients(ledger.org) == ["chair@tackley.example", "treasurer@tackley.example"]


def test_a_volunteer_reads_their_own_statement(client, auth, october) -> None:
    auth.login("ann@tackley.example")
    page = client.get("/me/statement?month=2026-10")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Ann Archer" in text and "<strong>13.5</strong> hours given" in text
    assert "£171.59" in text  # 13.5 h × £12.71 (171.585, rounded per entry: 50.84 + 88.97 + 31.78)
    year = client.get("/me/statement?year=2026").get_data(as_text=True)
    assert "Volunteering statement: Ann Archer" in year and "· 2026" in year and "<strong>13.5</strong> hours" in year
    other = october.ledger.bob.id
    assert client.get(f"/me/statement?month=2026-10&member={other}").status_code == 403


def test_a_coordinator_opens_anyones_statement_in_their_organisation_only(client, auth, db, october) -> None:
    stranger = make_ledger_org("surestart", "Sure Start")
    db.session.commit()
    auth.login("coordinator@tackley.example")
    bob = client.get(f"/me/statement?month=2026-10&member={october.ledger.bob.id}").get_data(as_text=True)
    assert "Bob Baker" in bob and "<strong>4</strong> hours given" in bob and "3 hours are waiting for approval" in bob
    assert client.get(f"/me/statement?month=2026-10&member={stranger.ann.id}").status_code == 404
    assert client.get("/me/statement?month=2026-99").status_code == 404


def test_the_reversed_entry_is_left_out_of_the_statement(client, auth, october) -> None:
    auth.login("coordinator@tackley.example")
    member = membership_for_email(october.ledger.org, "dan@tackley.example")
    text = client.get(f"/me/statement?month=2026-10&member={member.id}").get_data(as_text=True)
    assert "<strong>3.5</strong> hours given" in text
    assert all(f'<td class="num">{sign}2</td>' not in text for sign in ("", "−", "-"))


def test_the_admin_sees_figures_summed_across_organisations_by_mode(client, auth, db, october) -> None:
    october.ledger.org.coproduction_mode = "community_delivery_coplanned"
    admin_org = make_ledger_org("surestart", "Sure Start")
    admin_org.org.coproduction_mode = "user_codelivery_professional_design"
    make_member(admin_org.org, "admin@council.example", role="admin")
    make_member(october.ledger.org, "admin@council.example", role="admin")
    stranger = make_ledger_org("elsewhere", "Elsewhere")
    make_member(stranger.org, "admin@council.example", role="volunteer")
    db.session.commit()
    auth.login("admin@council.example")
    figures = client.get("/reports/network/2026-10?format=json").get_json()
    assert [o["organisation"] for o in figures["organisations"]] == ["surestart", "tackley"]
    assert figures["total"]["hours"] == 29.5 and figures["total"]["organisations"] == 2
    assert figures["by_mode"]["community_delivery_coplanned"]["hours"] == 29.5
    assert figures["by_mode"]["user_codelivery_professional_design"]["hours"] == 0
    assert "User co-delivery" in client.get("/reports/network/2026-10").get_data(as_text=True)
    auth.logout()
    auth.login("coordinator@tackley.example")
    assert client.get("/reports/network/2026-10").status_code == 403
    assert json.dumps(figures)
