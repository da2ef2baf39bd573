"""The monthly report's ``peer_support`` block against a hand count on a small labelled organisation."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

from tests.factories import make_member, make_org
from volunteers.core.models import Organisation
from volunteers.peersupport.services import month_figures

# November 2026; the clock stands at 30 Nov 12:00 UTC (tests/clock.py)
CASES = """reference,first_name,born_on,area,phone,language,supporter,closed_on,closed_reason
A,Amy,2026-11-05,,,,ann@example.org,,
B,Bea,2026-11-29,,,,ann@example.org,,
C,Cat,2026-10-30,,,,ann@example.org,,
D,Dee,2026-11-10,,,,ann@example.org,2026-11-11,declined
E,Eve,2026-11-10,,,,ann@example.org,2026-11-12,moved_away
F,Fay,2026-06-20,,,,bob@example.org,,
G,Gia,2026-06-25,,,,bob@example.org,,
H,Hal,2026-06-10,,,,bob@example.org,,
"""
CONTACTS = """reference,date,supporter,mode,minutes,outcome
A,2026-11-06,ann@example.org,ward,45,
C,2026-11-03,ann@example.org,ward,30,
F,2026-10-28,bob@example.org,phone,20,
G,2026-11-20,bob@example.org,group,90,
H,2026-10-13,bob@example.org,phone,15,
H,2026-11-12,bob@example.org,helpline,10,
"""
# hand count for November:
#   registered: A, B, D, E (plan date in November)                                   → 4
#   ward visit closes in November: A (7th), C (1st), E (12th, closed that day); D closed the 11th, before its
#   close on the 12th: not counted; B closes 1 Dec. Done by the close: A only (C was visited on the 3rd) → 3 / 1
#   follow-up closes in November: F (21st), G (26th), H (11th). F phoned on day 130 → done; G only a group;
#   H phoned on day 125 (too early) and again on day 155 (after its close)                  → 3 / 1
#   contacts dated in November: ward 2 (75 min), group 1 (90 min), helpline 1 (10 min)
EXPECTED = {
    "registered": 4, "ward_visit_due": 3, "ward_visit_done": 1, "follow_up_due": 3, "follow_up_done": 1,
    "contacts": {"ward": 2, "home": 0, "phone": 0, "group": 1, "helpline": 1},
    "contact_hours": {"ward": 1.25, "home": 0.0, "phone": 0.0, "group": 1.5, "helpline": 0.17},
}


def _load(runner, db, tmp_path: Path) -> None:
    org = make_org("surestart")
    make_member(org, "ann@example.org")
    make_member(org, "bob@example.org")
    make_org("tackley")
    db.session.commit()
    for what, text in (("cases", CASES), ("contacts", CONTACTS)):
        path = tmp_path / f"{what}.csv"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(args=[what, "import", str(path), "--org", "surestart"])
        assert result.exit_code == 0, result.output


def _report(runner, fmt: str, org: str = "surestart", out: Path | None = None):
    args = ["report", "monthly", "--org", org, "--month", "2026-11", "--format", fmt]
    result = runner.invoke(args=args + (["--out", str(out)] if out else []))
    assert result.exit_code == 0, result.output
    return result.output


def test_the_block_matches_the_hand_count(runner, db, clock, tmp_path) -> None:
    _load(runner, db, tmp_path)
    figures = json.loads(_report(runner, "json"))
    assert figures["peer_support"] == EXPECTED
    # the contact time is in the ledger: 20 + 45 + 30 + 90 + 15 + 10 minutes of volunteers, 90 of a mother
    assert figures["by_contributor_type"]["service_user"] == 1.5
    # the funders' thank-you list names the group, never a mother or her reference
    assert "Peer-support group members" in figures["thank_you"]
    assert not any(name in {"A", "B", "C", "D", "E", "F", "G", "H"} or "Amy" in name for name in figures["thank_you"])
    # an organisation that supports nobody has no block
    assert "peer_support" not in json.loads(_report(runner, "json", org="tackley"))


def test_csv_xlsx_and_page_carry_the_block(runner, db, clock, auth, tmp_path) -> None:
    _load(runner, db, tmp_path)
    rows = list(csv.reader(io.StringIO(_report(runner, "csv"))))
    assert rows[0] == ["section", "item", "detail", "value"]
    peer = [r for r in rows if r[0] == "peer_support"]
    assert peer[:5] == [["peer_support", "registered", "", "4"], ["peer_support", "ward_visit_due", "", "3"],
                        ["peer_support", "ward_visit_done", "", "1"], ["peer_support", "follow_up_due", "", "3"],
                        ["peer_support", "follow_up_done", "", "1"]]
    assert ["peer_support", "contacts", "ward", "2"] in peer
    assert ["peer_support", "contact_hours", "group", "1.5"] in peer
    xlsx = tmp_path / "r.xlsx"
    _report(runner, "xlsx", out=xlsx)
    with zipfile.ZipFile(xlsx) as book:
        assert "Peer support" in book.read("xl/workbook.xml").decode()
    html = _report(runner, "html")
    assert "Peer support" in html
    assert "<strong>1 of 3</strong>" in html


def test_the_block_counts_only_what_was_recorded_by_as_of(runner, db, clock, tmp_path) -> None:
    _load(runner, db, tmp_path)
    org = db.session.query(Organisation).filter_by(slug="surestart").one()
    month = (clock.now.date().replace(day=1), clock.now.date())
    assert month_figures(org, *month, clock.now - timedelta(seconds=1)) is None
    assert month_figures(org, *month, clock.now)["registered"] == 4
