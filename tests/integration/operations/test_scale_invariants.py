"""The scale test's checker finds what it must: an overbooked shift, a wrong `filled`, a lost sign-up, a double e-mail.

`make scale-test` prints "overbooked 0, lost sign-ups 0, duplicate jobs 0";
this proves those zeros come from a checker that would have seen the fault.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from config import TestingConfig
from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from volunteers.app import create_app
from volunteers.extensions import db
from volunteers.rota.models import Assignment

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tools" / "scale_test"))

from invariants import check  # noqa: E402


def test_each_broken_promise_is_counted(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'scale.sqlite'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.create_all()
        org = make_org()
        ann, bob, cat = (make_member(org, f"{n}@tackley.example") for n in ("ann", "bob", "cat"))
        role, site = make_role(org), make_site(org)
        crowded = make_shift(org, role, site, date(2026, 12, 7), needed=1)
        fine = make_shift(org, role, site, date(2026, 12, 8), needed=2)
        put_on(crowded, ann)
        # a second live place behind the guarded path's back: 2 people on a shift that needs 1, filled still 1
        db.session.add(Assignment(organisation_id=org.id, shift_id=crowded.id, membership_id=bob.id))
        put_on(fine, cat)
        db.session.commit()
        ids = {"crowded": crowded.id, "fine": fine.id, "ann": ann.id, "cat": cat.id}
        db.session.remove()
        db.engine.dispose()
    sign_ups = tmp_path / "signups.jsonl"
    sign_ups.write_text("".join(json.dumps({"kind": "self", "membership_id": m, "shift_id": s}) + "\n" for m, s in (
        (ids["ann"], ids["crowded"]), (ids["cat"], ids["fine"]), (ids["ann"], ids["fine"]))))  # the last: lost
    mail = tmp_path / "mail.txt"
    mail.write_text("<outbox-1@volunteers>\n<outbox-2@volunteers>\n<outbox-1@volunteers>\n")

    found = check(url, sign_ups, mail)

    assert (found.overbooked, found.filled_wrong) == (1, 1)
    assert (found.confirmed_sign_ups, found.lost_sign_ups) == (3, 1)
    assert (found.duplicate_deliveries, found.delivered, found.duplicate_jobs) == (1, 3, 1)
