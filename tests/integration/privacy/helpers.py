"""Set-up shared by the privacy tests: a member with something of everything, in two organisations."""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on, utc
from volunteers.contributions import services as contributions
from volunteers.core import audit
from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.people import services as people
from volunteers.people.domain.availability import WeeklyWindow
from volunteers.people.models import Leave, Membership
from volunteers.rota.models import Assignment, Shift, ShiftOffer
from volunteers.wellbeing.models import LoadWarning


@dataclass
class World:
    tackley: Organisation
    surestart: Organisation
    coordinator: Membership
    other_coordinator: Membership
    ann: Membership
    ann_there: Membership
    bob: Membership
    future_shift: Shift
    future_place: Assignment
    past_place: Assignment


def message(org: Organisation | None, to: str, status: str, key: str, now: datetime) -> OutboxMessage:
    sent = OutboxMessage(organisation_id=org.id if org else None, dedupe_key=key, to_address=to,
                         subject=f"About your shifts ({key})", body_text="Dear Ann, ...", body_html="<p>Dear Ann</p>",
                         status=status, next_attempt_at=now, created_at=now,
                         sent_at=now if status == "sent" else None)
    db.session.add(sent)
    return sent


def build(now: datetime) -> World:
    """Ann volunteers at Tackley (with a formula for a name) and at Sure Start; Bob only at Tackley."""
    tackley, surestart = make_org("tackley", "Tackley Village Shop"), make_org("surestart", "Sure Start")
    coordinator = make_member(tackley, "cora@tackley.example", role="coordinator", name="Cora Ordinator")
    other = make_member(surestart, "sam@surestart.example", role="coordinator", name="Sam Sure")
    ann = make_member(tackley, "ann@example.org", name='=HYPERLINK("http://evil.example","Ann")')
    ann_there = make_member(surestart, "ann@example.org")
    bob = make_member(tackley, "bob@tackley.example", name="Bob Baker")
    ann.notes, ann.preferences = "Carer for her mother", {"roles": ["shop"]}
    ann.limits = {"weekly_load": {"warning": 12}}
    ann.last_supervised_on = date(2026, 10, 1)
    dbs = people.qualification_named(tackley, "DBS check")
    assert dbs is not None
    people.set_qualification(tackley, ann, dbs, date(2027, 6, 1), date(2024, 6, 1))
    course = people.qualification_named(surestart, "Peer counsellor course")
    assert course is not None
    people.set_qualification(surestart, ann_there, course, None, date(2025, 1, 1))
    people.set_availability(tackley, ann, [WeeklyWindow(0, time(9), time(13))])
    people.set_availability(surestart, ann_there, [WeeklyWindow(2, time(18), time(21))])
    db.session.add(Leave(organisation_id=tackley.id, membership_id=ann.id, starts_on=date(2026, 12, 20),
                         ends_on=date(2026, 12, 27), reason="Hospital appointment"))
    shop, hall = make_role(tackley), make_site(tackley)
    ward, qe = make_role(surestart, "Ward visit"), make_site(surestart, "QE maternity ward")
    past = make_shift(tackley, shop, hall, date(2026, 11, 2))
    past_place = put_on(past, ann)
    contributions.record_attendance(tackley, past_place, utc(2026, 11, 2, 14), coordinator.person_id)
    past_place.override_reason = "DBS renewal pending, agreed with the chair"
    db.session.add(ShiftOffer(organisation_id=tackley.id, assignment_id=past_place.id, shift_id=past.id,
                              kind="swap", status="declined", note="Hospital appointment that morning"))
    db.session.add(LoadWarning(
        organisation_id=tackley.id, membership_id=ann.id, rule="weekly_load", episode_key="2026-11-02",
        severity="warning", window_start=utc(2026, 10, 27), window_end=utc(2026, 11, 3), value=16, threshold=15,
        message="16 h in 7 days", raised_at=utc(2026, 11, 3, 2), acknowledged_note="Going through a divorce"))
    contributions.log_hours(tackley, ann, date(2026, 11, 10), "2", None, "stock take", utc(2026, 11, 10, 18))
    there = make_shift(surestart, ward, qe, date(2026, 11, 3))
    contributions.record_attendance(surestart, put_on(there, ann_there), utc(2026, 11, 3, 14), other.person_id)
    future_shift = make_shift(tackley, shop, hall, date(2026, 12, 14))
    future_place = put_on(future_shift, ann)
    put_on(future_shift, bob)
    message(tackley, "ann@example.org", "pending", "tackley:reminder", now)
    message(tackley, "ann@example.org", "sent", "tackley:rota", now)
    message(surestart, "ann@example.org", "sent", "surestart:rota", now)
    message(None, "ann@example.org", "sent", "password-reset", now)
    audit.record(tackley, coordinator.person_id, "people.update", "membership", ann.id, None, now=now)
    audit.record(surestart, other.person_id, "people.update", "membership", ann_there.id, None, now=now)
    db.session.flush()
    return World(tackley, surestart, coordinator, other, ann, ann_there, bob, future_shift, future_place, past_place)


def unzip(body: bytes) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the download's data.json and its CSV files by name."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json").decode("utf-8"))
        csvs = {n: archive.read(n).decode("utf-8") for n in names if n.endswith(".csv")}
    return data, csvs
