"""/me/hours: volunteers choose the stage and kind of hours they log; left as usual, the role's usual ones."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_member, make_org, make_role
from volunteers.contributions.models import Contribution
from volunteers.contributions.my_hours import usual_for_role
from volunteers.contributions.services import decide, log_hours
from volunteers.extensions import db


@pytest.fixture()
def gateshead(db, clock, auth):
    org = make_org("surestart", "Sure Start Gateshead")
    counsellor = make_member(org, "lisa@example.org", name="Lisa")
    supervision = make_role(org, "Supervision session")
    ward = make_role(org, "Hospital ward visit")
    db.session.commit()
    auth.login("lisa@example.org")
    return org, counsellor, supervision, ward


def _logged() -> Contribution:
    db.session.expire_all()
    return db.session.scalars(select(Contribution).order_by(Contribution.id.desc())).first()


def test_a_volunteer_files_a_supervision_session_as_monitoring(client, gateshead) -> None:
    org, _, supervision, _ = gateshead
    response = client.post("/me/hours", data={"organisation_id": org.id, "day": "2026-11-27", "hours": "1.5",
                                              "role_id": supervision.id, "stage": "monitoring", "kind": "expertise"})
    assert response.status_code == 302
    entry = _logged()
    assert (entry.stage, entry.kind, entry.status) == ("monitoring", "expertise", "pending")


def test_left_as_usual_the_role_s_usual_stage_and_kind_are_taken(client, gateshead, clock) -> None:
    org, lisa, supervision, ward = gateshead
    ids = [log_hours(org, lisa, date(2026, 11, 2), "1", supervision.id, None, clock.now, stage="monitoring").id
           for _ in range(2)]
    decide(org, ids, "approved", None, clock.now)
    db.session.commit()
    assert usual_for_role(org, supervision.id) == ("monitoring", "time")
    assert usual_for_role(org, ward.id) == ("delivery", "time")  # no history: delivery
    client.post("/me/hours", data={"organisation_id": org.id, "day": "2026-11-27", "hours": "1",
                                   "role_id": supervision.id, "stage": "", "kind": ""})
    assert (_logged().stage, _logged().kind) == ("monitoring", "time")


def test_an_unknown_stage_is_named(client, gateshead) -> None:
    org, *_ = gateshead
    response = client.post("/me/hours", data={"organisation_id": org.id, "day": "2026-11-27", "hours": "1",
                                              "stage": "gardening"})
    assert response.status_code == 400
    assert 'id="stage-error"' in response.get_data(as_text=True)
