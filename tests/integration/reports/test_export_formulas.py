"""Report downloads never carry a live formula: names people typed come out with a leading ', numbers stay numbers."""
from __future__ import annotations

import base64
import csv
import io
from datetime import date, time

import openpyxl
import pytest
from sqlalchemy import select

from tests.factories import make_member, make_role, make_shift, put_on, utc
from tests.integration.reports.helpers import Ledger
from volunteers.contributions import services
from volunteers.core.timeutil import Month
from volunteers.extensions import db as _db
from volunteers.mail.models import OutboxMessage
from volunteers.reports import services as reports
from volunteers.reports.models import MonthlyReport

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "@SUM(1+1)", "-x", "+1"]
DECIDED = utc(2026, 11, 1, 5)


@pytest.fixture()
def hostile_october(db, ledger: Ledger) -> Ledger:
    """October with four new volunteers whose names are formulas, on a role whose name is one too."""
    org = ledger.org
    role = make_role(org, "=1+2")
    shift = make_shift(org, role, ledger.hall, date(2026, 10, 14), time(9), time(12, 30), needed=4)
    for n, name in enumerate(HOSTILE):
        member = make_member(org, f"v{n}@tackley.example", name=name)
        services.record_attendance(org, put_on(shift, member), DECIDED, ledger.coordinator.person_id)
    # a negative adjustment keeps its sign as a number: a reversed entry counts -2 h
    services.log_hours(org, ledger.ann, date(2026, 10, 12), "2.5", None, "stock take", DECIDED)
    reports.issue_report(org, Month(2026, 10), utc(2026, 11, 1, 6), None)
    db.session.commit()
    return ledger


def _check_workbook(data: bytes) -> None:
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert _no_formula_anywhere(book) == []
    assert {row[0].value for row in book["Thank you"].iter_rows(min_row=2)} >= {"'" + name for name in HOSTILE}


def _check_csv(text: str) -> None:
    rows = list(csv.reader(io.StringIO(text)))
    assert not [row for row in rows for cell in row if cell.startswith(("=", "+", "@", "\t", "\r"))]
    assert {row[1] for row in rows if row[0] == "new_volunteers"} >= {"'" + name for name in HOSTILE}


def _no_formula_anywhere(book: openpyxl.Workbook) -> list[str]:
    return [f"{sheet.title}!{cell.coordinate}" for sheet in book for row in sheet.iter_rows() for cell in row
            if cell.data_type == "f"]


def test_the_workbook_holds_the_names_as_quoted_text_not_formulas(client, auth, hostile_october) -> None:
    auth.login("coordinator@tackley.example")
    response = client.get("/reports/monthly/2026-10.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert _no_formula_anywhere(book) == []
    quoted = {"'" + name for name in HOSTILE}
    for title in ("By volunteer", "New volunteers", "Thank you"):
        names = {row[0].value for row in book[title].iter_rows(min_row=2)}
        assert names >= quoted, title
        assert not any(str(n).startswith(("=", "+", "-", "@")) for n in names), title
    assert "'=1+2" in {row[0].value for row in book["By role"].iter_rows(min_row=2)}
    hours = {row[0].value: row[2].value for row in book["By volunteer"].iter_rows(min_row=2)}
    assert hours["'-x"] == 3.5 and isinstance(hours["'-x"], float | int)
    for row in book["By volunteer"].iter_rows(min_row=2):
        assert row[2].data_type == "n"


def test_the_csv_holds_the_names_quoted_and_numbers_plain(client, auth, hostile_october) -> None:
    auth.login("coordinator@tackley.example")
    text = client.get("/reports/monthly/2026-10.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), row
            if cell.startswith("-"):  # only a number may start with a minus sign
                float(cell)
    by_volunteer = {row[1]: row[3] for row in rows if row[0] == "by_volunteer"}
    assert by_volunteer['\'=HYPERLINK("http://evil.example","x")'] == "3.5"
    assert by_volunteer["'-x"] == "3.5" and by_volunteer["'@SUM(1+1)"] == "3.5"
    thanked = {row[1] for row in rows if row[0] == "thank_you"}
    assert thanked >= {"'" + name for name in HOSTILE}
    assert ["by_role", "'=1+2", "", "14.0"] in rows


def test_a_negative_change_stays_a_number(client, auth, db, hostile_october) -> None:
    """October's hours fall in November: the comparison's change is negative and written as a number."""
    reports.issue_report(hostile_october.org, Month(2026, 11), utc(2026, 12, 1, 6), None)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    rows = list(csv.reader(io.StringIO(client.get("/reports/monthly/2026-11.csv").get_data(as_text=True))))
    changes = [row[3] for row in rows if row[0] == "comparisons" and row[2].endswith(":change")]
    assert any(c.startswith("-") for c in changes)
    for c in changes:
        if c:
            float(c)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/monthly/2026-11.xlsx").data))
    negatives = [row[4].value for row in book["Comparisons"].iter_rows(min_row=2) if row[4].value is not None]
    assert negatives and all(isinstance(v, float | int) for v in negatives) and min(negatives) < 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_cli_writes_the_same_inert_files(runner, hostile_october, tmp_path, fmt) -> None:
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(args=["report", "monthly", "--org", "tackley", "--month", "2026-10", "--format", fmt,
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        _check_workbook(out.read_bytes())
    else:
        _check_csv(out.read_text(encoding="utf-8"))


def test_the_emailed_attachments_are_inert(hostile_october) -> None:
    stored = _db.session.scalars(select(MonthlyReport)).one()
    reports.send_report(hostile_october.org, stored, utc(2026, 11, 1, 6))
    _db.session.commit()
    message = _db.session.scalars(select(OutboxMessage)).first()
    assert message is not None
    files = {a["filename"]: base64.b64decode(a["data_b64"]) for a in message.attachments}
    _check_csv(files["tackley-2026-10.csv"].decode("utf-8"))
    _check_workbook(files["tackley-2026-10.xlsx"])
