"""The rota export (CLI and /rota/export) never carries a live formula, and still imports back to the same names."""
from __future__ import annotations

import csv
import io
from datetime import date, time

from sqlalchemy import func, select

from tests.factories import make_member, make_role, make_shift, make_site, put_on
from volunteers.rota.models import Role, Shift, Site

FORMULA = ("=", "+", "-", "@", "\t", "\r")
ROLE, SITE = '=HYPERLINK("http://evil.example","x")', "@SUM(1+1)"


def _hostile_rota(db, rota) -> None:
    """Roles and sites named like formulas (and one already quoted), and a volunteer whose e-mail starts with -."""
    org = rota.org
    hyperlink, plus, quoted = make_role(org, ROLE), make_role(org, "+1"), make_role(org, "'=quoted")
    at, minus = make_site(org, SITE), make_site(org, "-x")
    dash = make_member(org, "-dash@example.org", name="Dash")
    put_on(make_shift(org, hyperlink, at, date(2030, 6, 4), time(9), time(13), needed=2), dash)
    make_shift(org, plus, minus, date(2030, 6, 5), time(9), time(13), needed=1)
    make_shift(org, quoted, rota.site, date(2030, 6, 6), time(9), time(13), needed=1)
    db.session.commit()


def _check_inert(text: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(FORMULA), row
    return rows


def test_the_cli_export_quotes_typed_names_and_imports_back_unchanged(runner, rota, db, tmp_path) -> None:
    _hostile_rota(db, rota)
    exported = runner.invoke(args=["rota", "export", "--org", "tackley", "--from", "2030-06-01", "--to", "2030-06-30"])
    assert exported.exit_code == 0, exported.output
    rows = _check_inert(exported.output)
    assert [(r["role"], r["site"], r["volunteers"], r["hours"]) for r in rows] == [
        ("'" + ROLE, "'" + SITE, "'-dash@example.org", "4.00"),
        ("'+1", "'-x", "", "4.00"),
        ("''=quoted", "Village hall shop", "", "4.00"),
    ]
    # the export is re-importable: the same roles, sites and shifts are found, nothing new is made
    path = tmp_path / "june.csv"
    path.write_text(exported.output, encoding="utf-8")
    roles, sites = db.session.scalar(select(func.count()).select_from(Role)), db.session.scalar(
        select(func.count()).select_from(Site))
    result = runner.invoke(args=["import", "shifts", str(path), "--org", "tackley"])
    assert result.exit_code == 0, result.output
    assert "0 shifts added, 3 updated" in result.output
    assert db.session.scalar(select(func.count()).select_from(Role)) == roles
    assert db.session.scalar(select(func.count()).select_from(Site)) == sites
    assert db.session.scalar(select(func.count()).select_from(Shift)) == 3
    again = runner.invoke(args=["rota", "export", "--org", "tackley", "--from", "2030-06-01", "--to", "2030-06-30"])
    assert again.output == exported.output


def test_the_web_export_quotes_typed_names(client, auth, rota, db) -> None:
    _hostile_rota(db, rota)
    auth.login("coordinator@tackley.example")
    exported = client.get("/rota/export?from=2030-06-01&to=2030-06-30&format=csv")
    assert exported.status_code == 200
    rows = _check_inert(exported.get_data(as_text=True))
    assert rows[0]["role"] == "'" + ROLE and rows[0]["site"] == "'" + SITE
    # JSON is not a spreadsheet: the names are given as they are
    as_json = client.get("/rota/export?from=2030-06-01&to=2030-06-30&format=json").get_json()
    assert as_json[0]["role"] == ROLE and as_json[0]["volunteers"] == ["-dash@example.org"]
