"""Registering a mother (from a ward shift: the counsellor who visited supports her), reassigning with ranked
suggestions, handing over a counsellor's open cases in one step, closing a case with a reason."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD, make_role, make_shift, make_site, put_on
from volunteers.extensions import db as _db
from volunteers.peersupport.models import SupportedPerson

from .conftest import Programme


def _login(client, email: str) -> None:
    client.post("/logout")
    assert client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD}).status_code == 302


def _case(reference: str) -> SupportedPerson | None:
    _db.session.expire_all()
    return _db.session.scalar(select(SupportedPerson).where(SupportedPerson.reference == reference))


NEW = {"reference": "SS-010", "first_name": "Dee", "born_on": "2026-11-29", "area": "Felling", "phone": "",
       "language": "English", "consent_on": "2026-11-30", "consent_to": "phone follow-up"}


def test_from_a_ward_shift_the_counsellor_who_visited_is_the_default_supporter(client, programme: Programme) -> None:
    ward = make_shift(programme.org, make_role(programme.org, "Hospital ward visit"), make_site(programme.org, "QE"),
                      date(2026, 11, 29), time(10), time(13))
    put_on(ward, programme.bob)
    _db.session.commit()
    _login(client, "cora@surestart.example")
    form = client.get(f"/cases/new?shift={ward.id}")
    assert form.status_code == 200
    assert f'<option selected value="{programme.bob.id}">' in form.text or \
        f'<option value="{programme.bob.id}" selected' in form.text
    assert 'value="2026-11-29"' in form.text  # the plan date is the shift's day unless changed
    done = client.post("/cases/new", data={**NEW, "supporter": str(programme.bob.id), "shift": str(ward.id)})
    assert done.status_code == 302
    assert _case("SS-010").supporter_membership_id == programme.bob.id
    # a counsellor registering a mother on her own ward shift supports her herself; "my mothers" offers the shift
    put_on(ward, programme.ann)
    _db.session.commit()
    _login(client, "ann@example.org")
    assert f"/cases/new?shift={ward.id}" in client.get("/me/mothers").text
    assert 'name="reference"' not in client.get("/cases/new").text  # the service gives her record a reference
    assert client.post("/cases/new", data={**NEW, "reference": "SS-011"}).status_code == 302
    assert _case("SS-011") is None
    mine = _db.session.scalars(select(SupportedPerson).where(
        SupportedPerson.supporter_membership_id == programme.ann.id).order_by(SupportedPerson.id.desc())).first()
    assert mine is not None and mine.first_name == "Dee" and mine.reference.startswith("M-")
    assert client.get("/cases/new?shift=999999").status_code == 404


def test_a_refused_registration_names_the_field(client, programme: Programme) -> None:
    _login(client, "cora@surestart.example")
    taken = client.post("/cases/new", data={**NEW, "reference": "SS-001"})
    assert taken.status_code == 400 and 'id="reference-error"' in taken.text and "already has" in taken.text
    no_date = client.post("/cases/new", data={**NEW, "born_on": ""})
    assert no_date.status_code == 400 and 'id="born_on-error"' in no_date.text
    forged = client.post("/cases/new", data={**NEW, "supporter": str(programme.other_coordinator.id)})
    assert forged.status_code == 400 and 'id="supporter-error"' in forged.text
    assert _case("SS-010") is None


def test_the_case_page_ranks_suggestions_and_reassigns(client, programme: Programme) -> None:
    _login(client, "cora@surestart.example")
    page = client.get(f"/cases/{programme.bea.id}").text  # Bea: Polish, Low Fell, Bob's
    suggestions = page.split('class="suggestions"', 1)[1].split("</ol>", 1)[0]
    # Bob is her supporter (not suggested); Ann shares no language with her but has room, like the others
    assert "Bob Baker" not in suggestions and "Ann Archer" in suggestions
    page = client.get(f"/cases/{programme.amy.id}").text  # Amy: English, Felling, Ann's
    suggestions = page.split('class="suggestions"', 1)[1].split("</ol>", 1)[0]
    assert suggestions.index("Bob Baker") < suggestions.index("Cora") and "speaks English" in suggestions
    moved = client.post(f"/cases/{programme.amy.id}/reassign", data={
        "reassign-supporter": str(programme.bob.id), "reassign-reason": "Ann is on leave"})
    assert moved.status_code == 302
    assert _case("SS-001").supporter_membership_id == programme.bob.id
    forged = client.post(f"/cases/{programme.amy.id}/reassign", data={"reassign-supporter": "999999"})
    assert forged.status_code == 400 and 'id="reassign-supporter-error"' in forged.text
    unchosen = client.post(f"/cases/{programme.amy.id}/reassign", data={"reassign-supporter": ""})
    assert unchosen.status_code == 400 and "Choose who supports her now." in unchosen.text
    assert _case("SS-001").supporter_membership_id == programme.bob.id
    assert client.post(f"/cases/{programme.amy.id}/reassign", data={"reassign-supporter": "none"}).status_code == 302
    assert _case("SS-001").supporter_membership_id is None


def test_hand_over_moves_every_open_case_in_one_step(client, programme: Programme) -> None:
    _login(client, "cora@surestart.example")
    assert client.get(f"/cases/hand-over?from={programme.ann.id}").status_code == 200
    same = client.post("/cases/hand-over", data={"from_member": programme.ann.id, "to_member": programme.ann.id})
    assert same.status_code == 400 and 'id="to_member-error"' in same.text
    done = client.post("/cases/hand-over", data={"from_member": programme.ann.id, "to_member": programme.bob.id,
                                                 "reason": "on leave"})
    assert done.status_code == 302
    assert {c.reference: c.supporter_membership_id for c in _db.session.scalars(select(SupportedPerson))} == {
        "SS-001": programme.bob.id, "SS-002": programme.bob.id, "SS-003": programme.bob.id}


def test_closing_a_case_takes_it_off_the_lists(client, programme: Programme) -> None:
    _login(client, "cora@surestart.example")
    refused = client.post(f"/cases/{programme.bea.id}/close", data={"close-reason": "bored",
                                                                    "close-closed_on": "2026-11-30"})
    assert refused.status_code == 400 and 'id="close-reason-error"' in refused.text
    future = client.post(f"/cases/{programme.bea.id}/close", data={"close-reason": "moved_away",
                                                                   "close-closed_on": "2026-12-25"})
    assert future.status_code == 400 and 'id="close-closed_on-error"' in future.text
    done = client.post(f"/cases/{programme.bea.id}/close", data={"close-reason": "moved_away",
                                                                 "close-closed_on": "2026-11-30"})
    assert done.status_code == 302
    bea = _case("SS-002")
    assert (bea.status, bea.closed_on, bea.closed_reason) == ("closed", date(2026, 11, 30), "moved_away")
    assert "Bea" not in client.get("/cases/due").text.split('role="search"', 1)[1]
    _login(client, "bob@example.org")
    assert "Bea" not in client.get("/me/mothers").text


def test_a_volunteer_cannot_learn_that_another_supporter_s_reference_is_in_use(client, programme: Programme) -> None:
    """SS-002 is Bea's, Bob's case: Ann typing it once heard "Another record already has this reference."."""
    _login(client, "ann@example.org")
    done = client.post("/cases/new", data={**NEW, "reference": "SS-002"})
    assert done.status_code == 302 and "already" not in done.text
    assert _case("SS-002").id == programme.bea.id  # Bob's record untouched
    made = _db.session.scalars(select(SupportedPerson).where(SupportedPerson.first_name == "Dee")).all()
    assert len(made) == 1 and made[0].reference != "SS-002" and made[0].supporter_membership_id == programme.ann.id


def test_a_paused_membership_opens_no_record(client, programme: Programme) -> None:
    """Ann supports Amy; paused (a break, or stood down pending a concern), her membership still opened Amy's
    record, her list and the contact form."""
    _login(client, "ann@example.org")
    assert client.get(f"/cases/{programme.amy.id}").status_code == 200  # while active
    programme.ann.status = "paused"
    programme.coordinator.status = "paused"
    _db.session.commit()
    _login(client, "ann@example.org")
    assert client.get(f"/cases/{programme.amy.id}").status_code == 404
    assert client.post(f"/cases/{programme.amy.id}/contacts/new", data={
        "contact_on": "2026-11-30", "mode": "phone", "minutes": "20"}).status_code == 404
    assert client.get("/me/mothers").status_code == 403
    assert client.get("/cases/new").status_code == 403
    _login(client, "cora@surestart.example")
    assert client.get(f"/cases/{programme.amy.id}").status_code == 404
    assert client.get("/cases/due").status_code == 403
    assert client.get("/cases/hand-over").status_code == 403
