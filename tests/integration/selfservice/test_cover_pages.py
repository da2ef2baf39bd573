"""The coordinator sees who was asked to cover, in which wave and when, and asks someone by hand (issue 17.4)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.factories import put_on, utc
from tests.integration.selfservice.conftest import make_world, shift_at
from tests.integration.selfservice.cover_crowd import NOW, Crowd, cancel_late, make_crowd, minutes
from tests.querycount import statements_run
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db as _db
from volunteers.rota.cover_models import CoverAsk, CoverRequest
from volunteers.selfservice import cover_waves, swaps
from volunteers.selfservice.services import cancel


@pytest.fixture()
def crowd(db, clock, auth) -> Crowd:
    clock.now = NOW
    made = make_crowd()
    _db.session.commit()
    auth.login("coord@example.org")
    return made


def _two_waves(crowd: Crowd, clock) -> CoverRequest:
    cancel_late(crowd)
    _db.session.commit()
    clock.now = NOW + minutes(30)
    cover_waves.send_due_waves(clock.now)
    _db.session.commit()
    request = _db.session.scalar(select(CoverRequest))
    assert request is not None
    return request


def _text(html: str) -> str:
    """The page's words, as read: tags gone, spaces collapsed, none before punctuation."""
    return re.sub(r" ([,.:)])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_request_card_shows_each_wave_who_was_asked_how_and_when(crowd, client, clock) -> None:
    _two_waves(crowd, clock)
    page = _text(client.get("/rota/requests").get_data(as_text=True))
    assert "Asked to cover" in page and "10 people asked." in page
    assert ("Wave 1, Mon 30 Nov, 12:00: Bob (e-mail), Cat (e-mail), Dee (e-mail), Eve (e-mail), Fay (e-mail)"
            in page)
    assert "Wave 2, Mon 30 Nov, 12:30: Gus (e-mail), Hal (e-mail), Ivy (e-mail), Jo (e-mail), Kay (e-mail)" in page
    assert "Next wave 13:00 (up to 5, every 30 minutes, until the place is taken)." in page
    assert "Tina" not in page.split("Asked to cover")[1].split("Release Ann")[0]


def test_the_shift_panel_shows_the_waves_and_offers_the_candidates_not_yet_asked(crowd, client, clock) -> None:
    request = _two_waves(crowd, clock)
    html = client.get(f"/rota/shifts/{crowd.shift.id}").get_data(as_text=True)
    assert "Wave 2" in _text(html)
    options = re.findall(r'<option value="(\d+)">([^<]+)</option>', html.split(f'id="ask-{request.id}"')[1]
                         .split("</select>")[0])
    assert [name for _, name in options] == ["Helen", "Tina (warning if they take it)"]


def test_a_coordinator_asks_a_candidate_by_hand_from_the_panel(crowd, client, clock) -> None:
    request = _two_waves(crowd, clock)
    helen = crowd.members["Helen"]
    response = client.post(f"/rota/cover/{request.id}/ask", data={"membership_id": helen.id})
    assert response.status_code == 302 and response.location.endswith(f"/rota/shifts/{crowd.shift.id}")
    page = _text(client.get(response.location).get_data(as_text=True))
    assert "Helen has been asked by e-mail to cover." in page
    assert "By hand, Mon 30 Nov, 12:30: Helen (e-mail, asked by Helen)" in page
    entry = _db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "rota.cover_ask"))
    assert entry is not None and entry.details["membership_id"] == helen.id
    # asking again, or a malformed or unknown person, is said on the page and changes nothing
    for value in (str(helen.id), "abc", "", "99999"):
        back = client.post(f"/rota/cover/{request.id}/ask", data={"membership_id": value})
        assert back.status_code == 302
    assert _db.session.scalar(select(_db.func.count(CoverAsk.id))) == 11
    page = _text(client.get(back.location).get_data(as_text=True))
    assert "Choose an active member from the list." in page


def test_another_organisation_s_request_is_not_found_and_volunteers_may_not_ask(crowd, client, auth, clock) -> None:
    request = _two_waves(crowd, clock)
    other = make_world("gateshead", prefix="g-")
    _db.session.commit()
    auth.logout()
    auth.login("g-coord@example.org")
    assert client.post(f"/rota/cover/{request.id}/ask", data={"membership_id": other.bob.id}).status_code == 404
    auth.logout()
    auth.login("bob@example.org")
    assert client.post(f"/rota/cover/{request.id}/ask",
                       data={"membership_id": crowd.members["Kay"].id}).status_code == 403


def test_once_taken_the_card_says_so_and_offers_no_more_asking(crowd, client, clock) -> None:
    offer = cancel_late(crowd)
    swaps.accept_offer(crowd.world.org, crowd.members["Cat"], offer.id, NOW + minutes(4))
    _db.session.commit()
    html = client.get(f"/rota/shifts/{crowd.shift.id}").get_data(as_text=True)
    assert "Stopped 12:04: the place was taken." in _text(html) and "Ask someone by hand" not in html


def test_the_requests_page_costs_the_same_statements_for_one_cover_request_or_many(crowd, client, clock) -> None:
    cancel_late(crowd)
    _db.session.commit()
    with statements_run() as statements:
        client.get("/rota/requests")
    one = len(statements)
    for who, hour in ((crowd.members["Kay"], 15), (crowd.members["Jo"], 16)):  # two more, with their waves
        place = put_on(shift_at(crowd.world.org, crowd.world.shop, crowd.world.hall, utc(2026, 12, 1, hour)), who)
        cancel(crowd.world.org, who, place.id, NOW)
    _db.session.commit()
    with statements_run() as statements:
        client.get("/rota/requests")
    assert len(statements) == one
