"""The shift panel: undo a hand assignment or a removal for two minutes; a full shift offers no Assign;
a shift's panel has its own URL (pushed by htmx, served as a whole page when opened directly)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_role, make_shift, make_site, put_on
from volunteers.core.models import AuditLogEntry
from volunteers.rota.models import Assignment

HX = {"HX-Request": "true"}
DAY = date(2026, 12, 9)


@pytest.fixture()
def gap(rota, auth, db, clock):
    shift = make_shift(rota.org, rota.role, rota.site, DAY, needed=2)
    put_on(shift, rota.ann)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    return rota, shift


def live(db, shift_id: int) -> set[int]:
    return set(db.session.scalars(select(Assignment.membership_id).where(
        Assignment.shift_id == shift_id, Assignment.status != "cancelled")))


def actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditLogEntry.action).order_by(AuditLogEntry.id)))


def undo_token(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, "no Undo offered"
    return match.group(1)


def test_an_assignment_is_undone_within_two_minutes(client, gap, db, clock) -> None:
    rota, shift = gap
    page = client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": rota.bob.id},
                       headers=HX).get_data(as_text=True)
    assert "Bob Baker is on the shift." in page and ">Undo</button>" in page and "until 12:02" in page
    token = undo_token(page)
    clock.now += timedelta(seconds=90)
    undone = client.post(f"/rota/shifts/{shift.id}/undo", data={"token": token}, headers=HX)
    assert undone.status_code == 200 and "Undone: Bob Baker is off the shift." in undone.get_data(as_text=True)
    assert undone.headers["HX-Trigger"] == "rota-changed"
    assert live(db, shift.id) == {rota.ann.id}
    assert actions(db)[-3:] == ["rota.assign", "rota.remove", "rota.undo"]
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "rota.undo"))
    assert entry.details["undone"] == "assign" and entry.created_at.replace(tzinfo=None) == \
        clock.now.replace(tzinfo=None)
    # the same link twice changes nothing more
    twice = client.post(f"/rota/shifts/{shift.id}/undo", data={"token": token}, headers=HX)
    assert twice.status_code == 409 and "already off the shift" in twice.get_data(as_text=True)


def test_undo_is_refused_after_two_minutes_and_for_a_forged_or_foreign_link(client, gap, db, clock) -> None:
    rota, shift = gap
    page = client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": rota.bob.id},
                       headers=HX).get_data(as_text=True)
    token = undo_token(page)
    other = make_shift(rota.org, rota.role, rota.site, DAY + timedelta(days=1), needed=1)
    db.session.commit()
    assert client.post(f"/rota/shifts/{other.id}/undo", data={"token": token}, headers=HX).status_code == 409
    assert client.post(f"/rota/shifts/{shift.id}/undo", data={"token": token[:-2] + "xx"},
                       headers=HX).status_code == 409
    clock.now += timedelta(seconds=121)
    late = client.post(f"/rota/shifts/{shift.id}/undo", data={"token": token}, headers=HX)
    assert late.status_code == 409 and "Too late to undo" in late.get_data(as_text=True)
    assert live(db, shift.id) == {rota.ann.id, rota.bob.id}
    # and the panel no longer offers it
    assert ">Undo</button>" not in client.get(f"/rota/shifts/{shift.id}?undo={token}").get_data(as_text=True)


def test_a_removal_is_undone_with_the_same_checks(client, gap, db, clock) -> None:
    rota, shift = gap
    ann = db.session.scalar(select(Assignment).where(Assignment.membership_id == rota.ann.id))
    page = client.post(f"/rota/assignments/{ann.id}/remove", headers=HX).get_data(as_text=True)
    assert "Ann Archer is off the shift" in page
    token = undo_token(page)
    back = client.post(f"/rota/shifts/{shift.id}/undo", data={"token": token}, headers=HX)
    assert "Undone: Ann Archer is back on the shift." in back.get_data(as_text=True)
    assert live(db, shift.id) == {rota.ann.id}
    assert actions(db)[-3:] == ["rota.remove", "rota.assign", "rota.undo"]
    # removed again, and the place taken meanwhile by two others: putting her back is refused, nothing changes
    ann = db.session.scalar(select(Assignment).where(Assignment.membership_id == rota.ann.id,
                                                     Assignment.status != "cancelled"))
    token = undo_token(client.post(f"/rota/assignments/{ann.id}/remove", headers=HX).get_data(as_text=True))
    put_on(shift, rota.bob)
    put_on(shift, rota.cat)
    db.session.commit()
    full = client.post(f"/rota/shifts/{shift.id}/undo", data={"token": token}, headers=HX)
    assert full.status_code == 409 and live(db, shift.id) == {rota.bob.id, rota.cat.id}


def test_without_javascript_the_undo_rides_on_the_redirect(client, gap, db, clock) -> None:
    rota, shift = gap
    done = client.post(f"/rota/shifts/{shift.id}/assign", data={"membership_id": rota.bob.id})
    assert done.status_code == 302 and "undo=" in done.location
    page = client.get(done.location).get_data(as_text=True)
    assert "<html" in page and ">Undo</button>" in page
    back = client.post(f"/rota/shifts/{shift.id}/undo", data={"token": undo_token(page)})
    assert back.status_code == 302 and live(db, shift.id) == {rota.ann.id}


def test_a_full_shift_offers_no_assign(client, gap, db, clock) -> None:
    rota, shift = gap
    open_page = client.get(f"/rota/shifts/{shift.id}", headers=HX).get_data(as_text=True)
    assert 'aria-label="Assign Bob Baker"' in open_page and "This shift is full" not in open_page
    put_on(shift, rota.bob)
    db.session.commit()
    full = client.get(f"/rota/shifts/{shift.id}?all=1", headers=HX).get_data(as_text=True)
    assert "This shift is full" in full
    assert "Assign" not in full.replace("assignments/", "") and "Who could take it" not in full
    assert "Change or cancel this shift" in full


def test_the_shift_url_is_pushed_and_served_as_a_page(client, gap, db, clock) -> None:
    rota, shift = gap
    board = client.get(f"/rota?week={DAY.isoformat()}").get_data(as_text=True)
    assert re.search(rf'hx-get="/rota/shifts/{shift.id}"[^>]*hx-push-url="true"', board)
    direct = client.get(f"/rota/shifts/{shift.id}").get_data(as_text=True)
    assert "<html" in direct and "Back to the board" in direct
    # htmx restoring a history entry it no longer holds asks with HX-Request too: it gets the whole page
    restored = client.get(f"/rota/shifts/{shift.id}", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in restored.get_data(as_text=True)


def test_role_and_site_of_the_same_name_are_said_once(client, rota, auth, db, clock) -> None:
    cafe_role, cafe_site = make_role(rota.org, "Café"), make_site(rota.org, "Café")
    shift = make_shift(rota.org, cafe_role, cafe_site, DAY, needed=1)
    db.session.commit()
    auth.login("coordinator@tackley.example")
    panel = client.get(f"/rota/shifts/{shift.id}", headers=HX).get_data(as_text=True)
    assert ">Café</h2>" in panel and "Café · Café" not in panel
    board = client.get(f"/rota?week={DAY.isoformat()}").get_data(as_text=True)
    card = board[board.index(f'id="shift-{shift.id}"'):]
    assert card[:card.index("</a>")].count("Café") == 1


def test_putting_back_someone_now_on_leave_asks_for_an_override(client, gap, db, clock) -> None:
    from volunteers.people.models import Leave

    rota, shift = gap
    ann = db.session.scalar(select(Assignment).where(Assignment.membership_id == rota.ann.id))
    token = undo_token(client.post(f"/rota/assignments/{ann.id}/remove", headers=HX).get_data(as_text=True))
    db.session.add(Leave(organisation_id=rota.org.id, membership_id=rota.ann.id, starts_on=DAY, ends_on=DAY))
    db.session.commit()
    asked = client.post(f"/rota/shifts/{shift.id}/undo", data={"token": token}, headers=HX).get_data(as_text=True)
    assert "can't normally take this shift" in asked and "Why assign Ann Archer anyway?" in asked
    assert live(db, shift.id) == set() and "rota.undo" not in actions(db)
