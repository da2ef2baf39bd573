"""The demo's Tackley board for next month shows gaps, and one is filled by hand in three clicks."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from volunteers.core.models import Organisation
from volunteers.core.timeutil import local_date, utcnow
from volunteers.demo.data import PASSWORD, load_demo
from volunteers.rota.models import Assignment, Shift

HX = {"HX-Request": "true"}


def test_next_months_tackley_board_shows_gaps_and_one_is_filled_in_three_clicks(client, auth, db) -> None:
    now = utcnow()
    load_demo(now)
    db.session.commit()
    auth.login("coordinator@tackley.example", PASSWORD)
    tackley = db.session.scalar(select(Organisation).where(Organisation.slug == "tackley"))
    today = local_date(now, tackley.timezone)
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)

    month = client.get(f"/rota?view=month&month={next_month:%Y-%m}").get_data(as_text=True)
    assert "to fill" in month and "places to fill." in month

    gap = db.session.scalar(select(Shift).where(
        Shift.organisation_id == tackley.id, Shift.local_date >= next_month, Shift.filled < Shift.needed,
        Shift.status == "planned").order_by(Shift.starts_at))
    week = client.get(f"/rota?week={gap.local_date.isoformat()}").get_data(as_text=True)
    assert f'id="shift-{gap.id}"' in week
    # click 1: open the shift; the candidates come with their load against their pledge
    panel = client.get(f"/rota/shifts/{gap.id}", headers=HX).get_data(as_text=True)
    assert "Who could take it" in panel and "This month" in panel
    assert re.search(r"<td>[\d.]+ h <span class=\"muted\">of [\d.]+ h</span></td>", panel)
    member_id = int(re.search(r'name="membership_id" value="(\d+)"', panel).group(1))
    # click 2 (and 3 if the load rules ask for a click): assign
    response = client.post(f"/rota/shifts/{gap.id}/assign", data={"membership_id": member_id}, headers=HX)
    if "Assign" in response.get_data(as_text=True) and 'name="accept"' in response.get_data(as_text=True):
        response = client.post(f"/rota/shifts/{gap.id}/assign",
                               data={"membership_id": member_id, "accept": "1", "confirming": "1"}, headers=HX)
    assert response.status_code == 200 and "is on the shift." in response.get_data(as_text=True)
    assert db.session.scalar(select(Assignment.id).where(
        Assignment.shift_id == gap.id, Assignment.membership_id == member_id, Assignment.status == "assigned"))
