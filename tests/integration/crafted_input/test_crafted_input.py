"""Crafted input never gives a 5xx (web) or a traceback (CLI), and never half-writes.

Each test pins one input found by probing: numbers too big for the database,
months and dates at the ends of the calendar, a number with 300 digits, a
name longer than its column. The web answers 400/404/422 with a message;
a command exits non-zero naming the file, line and field or the option.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import make_member, make_shift
from volunteers.contributions.models import Contribution
from volunteers.people.models import Person
from volunteers.rota.models import Role, Shift, Site

HUGE = "99999999999999999999"
HEADER = "date,start,end,role,site,needed,volunteers,status\n"


@pytest.fixture()
def coordinator(client, auth, org):
    auth.login("coordinator@tackley.example")
    return client


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def assert_refused(response, *statuses: int) -> str:
    assert response.status_code in (statuses or (400, 404, 422)), response.status_code
    return response.get_data(as_text=True)


# -- web ---------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    f"/people?qualification={HUGE}",
    f"/rota?role={HUGE}",
    f"/rota?site={HUGE}",
    f"/rota/print?role={HUGE}",
])
def test_a_filter_id_too_big_for_the_database_is_a_400_naming_it(coordinator, url) -> None:
    page = assert_refused(coordinator.get(url), 400)
    assert "is not understood" in page and "record number" in page


def test_a_statement_for_a_member_id_too_big_is_a_404(coordinator) -> None:
    assert_refused(coordinator.get(f"/me/statement?member={HUGE}"), 404)


def test_a_statement_for_a_year_outside_the_calendar_is_a_404(coordinator) -> None:
    for year in ("0001", "9999", HUGE):
        assert_refused(coordinator.get(f"/me/statement?year={year}"), 404)


@pytest.mark.parametrize("url", [
    "/reports/monthly/9999-12",
    "/reports/monthly/0001-01.xlsx",
    "/reports/monthly/0001-01",
])
def test_a_report_month_outside_the_calendar_is_a_404(coordinator, url) -> None:
    assert_refused(coordinator.get(url), 404)


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_network_figures_for_a_month_outside_the_calendar_are_a_404(client, auth, org, db, month) -> None:
    make_member(org, "admin@tackley.example", role="admin", name="Ada Admin")
    db.session.commit()
    auth.login("admin@tackley.example")
    assert client.get("/reports/network/2026-10").status_code == 200
    assert_refused(client.get(f"/reports/network/{month}"), 404)


def post_shifts(client, body: str):
    return client.post("/rota/import", data={"file": (_bytes(body), "shifts.csv")},
                       content_type="multipart/form-data")


def _bytes(body: str):
    import io
    return io.BytesIO(body.encode("utf-8"))


def test_a_shift_needing_a_huge_number_of_people_is_refused_by_line_and_field(coordinator, db) -> None:
    body = HEADER + f"2026-11-03,09:00,13:00,Shop counter,Village hall shop,{HUGE},,planned\n"
    page = assert_refused(post_shifts(coordinator, body), 422)
    assert "shifts.csv:2: field &#39;needed&#39;" in page and "1 to 100" in page
    assert count(db, Shift) == 0


def test_a_shift_crossing_the_end_of_the_calendar_is_refused_by_line_and_field(coordinator, db) -> None:
    body = HEADER + "9999-12-31,23:00,01:00,Shop counter,Village hall shop,1,,planned\n"
    page = assert_refused(post_shifts(coordinator, body), 422)
    assert "shifts.csv:2: field &#39;date&#39;" in page
    assert count(db, Shift) == 0


def test_a_new_shift_at_the_end_of_the_calendar_is_refused(coordinator, db) -> None:
    role, site = db.session.scalar(select(Role)), db.session.scalar(select(Site))
    response = coordinator.post("/rota/shifts/new", data={
        "day": "9999-12-31", "start_time": "23:00", "end_time": "01:00", "role_id": role.id,
        "site_id": site.id, "needed": "1"})
    assert "a date between 1900 and 2999" in assert_refused(response, 200, 400, 422)
    assert count(db, Shift) == 0


@pytest.mark.parametrize("amount", ["1e300", "NaN", "Infinity", "-1e300", "9" * 400])
def test_an_absurd_amount_on_the_ledger_is_refused(coordinator, db, amount) -> None:
    response = coordinator.post("/contributions", data={
        "contributor_type": "donor", "kind": "money", "stage": "delivery", "day": "2026-11-03",
        "contributor_name": "Village fete", "amount": amount})
    assert_refused(response, 400)
    assert count(db, Contribution) == 0


@pytest.mark.parametrize("hours", ["1e300", "NaN", "-Infinity"])
def test_absurd_hours_on_the_ledger_are_refused(coordinator, db, hours) -> None:
    response = coordinator.post("/contributions", data={
        "contributor_type": "volunteer", "kind": "time", "stage": "delivery", "day": "2026-11-03",
        "contributor_name": "Village fete", "hours": hours})
    assert_refused(response, 400)
    assert count(db, Contribution) == 0


def test_a_ledger_day_outside_the_calendar_is_refused(coordinator, db) -> None:
    response = coordinator.post("/contributions", data={
        "contributor_type": "donor", "kind": "money", "stage": "delivery", "day": "0001-01-01",
        "contributor_name": "Village fete", "amount": "5"})
    assert_refused(response, 400)
    assert count(db, Contribution) == 0


def test_a_name_longer_than_its_column_is_refused_before_the_database_sees_it(coordinator, db) -> None:
    people = count(db, Person)
    body = f"name,email\n{'A' * 100_000},long@example.org\n"
    response = coordinator.post("/people/import", data={"file": (_bytes(body), "people.csv")},
                                content_type="multipart/form-data")
    page = assert_refused(response, 422)
    assert "people.csv:2: field &#39;name&#39;: must be at most 200 characters" in page
    assert count(db, Person) == people


def test_a_role_or_site_name_longer_than_its_column_is_refused(coordinator, db) -> None:
    body = HEADER + f"2026-11-03,09:00,13:00,{'R' * 500},{'S' * 500},1,,planned\n"
    response = coordinator.post("/rota/import", data={"file": (_bytes(body), "shifts.csv"), "create_missing": "1"},
                                content_type="multipart/form-data")
    page = assert_refused(response, 422)
    assert "field &#39;role&#39;: must be at most 120 characters" in page
    assert "field &#39;site&#39;: must be at most 120 characters" in page
    assert count(db, Role) == 1


@pytest.mark.parametrize("url", [
    "/rota/export?from=0001-01-01&to=0001-01-31",
    "/rota/export?from=9999-12-01&to=9999-12-31",
    "/attendance?date=9999-12-31",
    "/attendance?date=0001-01-01",
    "/rota?week=9999-12-31",
    "/rota?week=0001-01-01",
    "/rota?view=month&month=9999-12",
    "/contributions?month=9999-12",
])
def test_dates_at_the_ends_of_the_calendar_never_give_a_5xx(coordinator, url) -> None:
    assert coordinator.get(url).status_code < 500


def test_an_id_in_the_path_too_big_for_the_database_is_a_404(coordinator) -> None:
    for url in (f"/people/{HUGE}", f"/rota/shifts/{HUGE}", f"/rota/series/{HUGE}"):
        assert coordinator.get(url).status_code == 404


# -- command line ----------------------------------------------------------------

def run_cli(runner, *args: str):
    result = runner.invoke(args=list(args))
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code != 0, output
    assert "Traceback" not in output and not isinstance(result.exception, (ArithmeticError, LookupError))
    return output


def write(tmp_path: Path, body: str) -> str:
    path = tmp_path / "shifts.csv"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_cli_shift_needing_a_huge_number_is_refused_by_line_and_field(runner, org, db, tmp_path) -> None:
    file = write(tmp_path, HEADER + f"2026-11-03,09:00,13:00,Shop counter,Village hall shop,{HUGE},,planned\n")
    output = run_cli(runner, "import", "shifts", file, "--org", "tackley")
    assert f"{file}:2: field 'needed'" in output
    assert count(db, Shift) == 0


def test_cli_shift_crossing_the_end_of_the_calendar_is_refused_by_line_and_field(runner, org, db, tmp_path) -> None:
    file = write(tmp_path, HEADER + "9999-12-31,23:00,01:00,Shop counter,Village hall shop,1,,planned\n")
    output = run_cli(runner, "import", "shifts", file, "--org", "tackley")
    assert f"{file}:2: field 'date'" in output
    assert count(db, Shift) == 0


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_cli_report_for_a_month_outside_the_calendar_names_the_option(runner, org, month) -> None:
    output = run_cli(runner, "report", "monthly", "--org", "tackley", "--month", month)
    assert "--month" in output


def test_cli_volunteer_with_a_name_longer_than_its_column_is_refused(runner, org, db, tmp_path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"name,email\n{'A' * 100_000},long@example.org\n", encoding="utf-8")
    people = count(db, Person)
    output = run_cli(runner, "import", "volunteers", str(path), "--org", "tackley")
    assert f"{path}:2: field 'name': must be at most 200 characters" in output
    assert count(db, Person) == people


@pytest.mark.parametrize("option", ["--from", "--to"])
def test_cli_export_dates_outside_the_calendar_name_the_option(runner, org, option) -> None:
    dates = {"--from": "2026-11-01", "--to": "2026-11-30"}
    dates[option] = "9999-12-31" if option == "--to" else "0001-01-01"
    output = run_cli(runner, "rota", "export", "--org", "tackley", "--from", dates["--from"], "--to", dates["--to"])
    assert option in output


def test_dates_in_range_still_work(coordinator) -> None:
    day = date(2026, 11, 3)
    assert coordinator.get(f"/attendance?date={day.isoformat()}").status_code == 200
    assert coordinator.get(f"/rota?week={(day + timedelta(days=7)).isoformat()}").status_code == 200
    assert coordinator.get("/reports/monthly/2026-10").status_code == 200


@pytest.mark.parametrize("ids", [HUGE, "-1", "abc"])
def test_approving_an_entry_id_too_big_for_the_database_is_a_400(coordinator, ids) -> None:
    assert_refused(coordinator.post("/approvals", data={"action": "approve", "ids": ids}), 400)


@pytest.mark.parametrize("member", [HUGE, "", "abc"])
def test_placing_a_member_id_too_big_for_the_database_is_a_400(coordinator, org, db, member) -> None:
    shift = make_shift(org, db.session.scalar(select(Role)), db.session.scalar(select(Site)), date(2030, 1, 7))
    db.session.commit()
    assert_refused(coordinator.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": member}), 400)
    assert shift.filled == 0


def test_a_ledger_entry_naming_ids_too_big_is_refused(coordinator, db) -> None:
    response = coordinator.post("/contributions", data={
        "contributor_type": "volunteer", "kind": "time", "stage": "delivery", "day": "2026-11-03",
        "membership_id": HUGE, "role_id": HUGE, "site_id": HUGE, "hours": "2"})
    assert_refused(response, 400)
    assert count(db, Contribution) == 0


# -- NUL characters: PostgreSQL text holds none --------------------------------------

@pytest.mark.parametrize("url", ["/people?q=a%00b", "/people?status=%00", "/rota?week=%00", "/calendar/%00.ics",
                                 "/password/reset/%00", "/me/statement?month=%00"])
def test_a_nul_character_in_the_address_is_a_400(coordinator, url) -> None:
    page = assert_refused(coordinator.get(url), 400)
    assert "NUL character" in page


def test_a_nul_character_in_a_form_is_a_400_and_saves_nothing(coordinator, db) -> None:
    people = count(db, Person)
    response = coordinator.post("/people/new", data={"name": "Ann\x00Archer", "email": "nul@example.org",
                                                     "role": "volunteer", "status": "active"})
    assert "NUL character" in assert_refused(response, 400)
    assert count(db, Person) == people


@pytest.mark.parametrize("url, body, name", [
    ("/people/import", "name,email\nAnn Archer,ann@example.org\nBob\x00,bob@example.org\n", "people.csv"),
    ("/rota/import", HEADER + "2026-11-03,09:00,13:00,Shop\x00,Village hall shop,1,,planned\n", "shifts.csv"),
])
def test_a_nul_character_in_an_upload_is_refused_by_line(coordinator, db, url, body, name) -> None:
    people, shifts = count(db, Person), count(db, Shift)
    response = coordinator.post(url, data={"file": (_bytes(body), name)}, content_type="multipart/form-data")
    page = assert_refused(response, 422)
    assert f"{name}:{3 if name == 'people.csv' else 2}:" in page and "NUL character" in page
    assert (count(db, Person), count(db, Shift)) == (people, shifts)


def test_cli_roles_with_a_nul_character_are_refused_by_line(runner, org, db, tmp_path) -> None:
    path = tmp_path / "roles.csv"
    path.write_text("name,intensity\nTill\x00,1\n", encoding="utf-8")
    output = run_cli(runner, "import", "roles", str(path), "--org", "tackley")
    assert f"{path}:2: field 'file': holds a NUL character" in output
    assert count(db, Role) == 1
