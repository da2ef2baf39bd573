"""``audit.snapshot``: what changed, as JSON values, with personal fields named but never shown."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from volunteers.auditing.labels import describe, detail_lines
from volunteers.core.audit import WITHHELD, plain, snapshot


@dataclass
class Member:
    role: str = "volunteer"
    pledge: Decimal | None = Decimal("3.00")
    joined_on: date | None = None
    email: str = "ann@example.org"
    days: list[str] = field(default_factory=lambda: ["2026-12-25"])


def test_changes_give_old_and_new_as_json_values() -> None:
    ann = Member()
    before = snapshot(ann, ("role", "pledge", "joined_on", "email", "days"), personal=("email",))
    ann.role, ann.pledge, ann.joined_on = "coordinator", Decimal("4.5"), date(2026, 1, 5)
    ann.email = "ann.archer@example.org"
    ann.days.append("2026-12-26")  # changed in place: the snapshot kept its own copy
    assert before.changes(ann) == {"role": ["volunteer", "coordinator"], "pledge": ["3.00", "4.5"],
                                   "joined_on": [None, "2026-01-05"], "email": WITHHELD,
                                   "days": [["2026-12-25"], ["2026-12-25", "2026-12-26"]]}


def test_equal_values_are_no_change_and_a_new_record_has_its_values() -> None:
    ann = Member()
    before = snapshot(ann, ("role", "pledge"))
    ann.pledge = Decimal("3")
    assert before.changes(ann) == {}
    assert snapshot(None, ("role",)).changes(ann) == {}
    assert snapshot(ann, ("role", "pledge")).values == {"role": "volunteer", "pledge": "3"}


def test_plain_values() -> None:
    assert plain({"at": time(9, 30), "hours": [Decimal("1.50")], 3: {date(2026, 1, 1)}}) == {
        "at": "09:30:00", "hours": ["1.50"], "3": ["2026-01-01"]}


def test_details_read_as_short_lines() -> None:
    lines = detail_lines({"changes": {"role": ["volunteer", "coordinator"], "email": None, "exdates": [[], ["x"]]},
                          "shift_id": 4, "ineligible": []})
    assert lines == ["email changed", "exdates: — → x", "role: volunteer → coordinator", "ineligible: —",
                     "shift_id: 4"]
    assert detail_lines({"changes": {}}) == ["no field changed"]
    assert detail_lines({"values": {"name": "Shop"}}) == ["name: Shop"]
    assert describe("rota.publish") == "published the rota" and describe("rota.new_thing") == "rota.new_thing"
