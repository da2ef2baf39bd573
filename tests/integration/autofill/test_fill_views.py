"""The board's Fill gaps: propose, accept all or some, and find a replacement."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_member, make_org, make_role, make_shift, make_site, put_on
from volunteers.autofill.services import apply_fill, propose_fill
from volunteers.peersupport.models import Contact, SupportedPerson
from volunteers.people.models import Leave
from volunteers.rota.models import Assignment, Shift

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
MONDAY = date(2026, 12, 7)


@pytest.fixture()
def week(db, clock):
    """A coordinator, three volunteers (Cat on leave on Tuesday) and three shifts with gaps."""
    org = make_org("tackley")
    coordinator = make_member(org, "coordinator@example.org", role="coordinator", pledge=None)
    ann, bob, cat = (make_member(org, f"{n}@example.org", name=n.title()) for n in ("ann", "bob", "cat"))
    db.session.add(Leave(organisation_id=org.id, membership_id=cat.id, starts_on=date(2026, 12, 8),
                         ends_on=date(2026, 12, 8)))
    role, site = make_role(org), make_site(org)
    shifts = [make_shift(org, role, site, MONDAY, needed=2),
              make_shift(org, role, site, date(2026, 12, 8), needed=1),
              make_shift(org, role, site, date(2026, 12, 9), time(13), time(17), needed=1)]
    db.session.commit()
    clock.now = NOW
    return org, coordinator, (ann, bob, cat), shifts


def _ticks(html: str) -> list[str]:
    return re.findall(r'name="place" value="([0-9]+:[0-9]+)"', html)


def test_fill_gaps_proposes_and_saves_only_the_ticked_places(week, client, auth, db) -> None:
    org, _, (ann, bob, cat), shifts = week
    auth.login("coordinator@example.org")
    page = client.get(f"/rota/fill?kind=week&day={MONDAY.isoformat()}")
    assert page.status_code == 200
    ticks = _ticks(page.text)
    assert len(ticks) == 4 and "Hours against pledges" in page.text
    assert f"{shifts[1].id}:{cat.id}" not in ticks  # on leave that day
    saved = client.post("/rota/fill", data={"kind": "week", "day": MONDAY.isoformat(), "place": ticks[:2]})
    assert saved.status_code == 200 and "Saved 2 places" in saved.text
    rows = list(db.session.scalars(select(Assignment)))
    assert sorted(f"{a.shift_id}:{a.membership_id}" for a in rows) == sorted(ticks[:2])
    assert {a.source for a in rows} == {"auto"}
    assert "Publish the week of" in saved.text


def test_a_place_that_is_not_allowed_is_not_saved(week, client, auth, db) -> None:
    org, _, (ann, bob, cat), shifts = week
    auth.login("coordinator@example.org")
    forged = f"{shifts[1].id}:{cat.id}"  # Cat is on leave on the 8th
    outside = f"{shifts[0].id}:{ann.id}"
    answer = client.post("/rota/fill", data={"kind": "week", "day": "2026-12-14", "place": [forged, outside]})
    assert answer.status_code == 200 and "Saved 0 places" in answer.text
    assert db.session.scalar(select(Assignment.id)) is None
    bad = client.post("/rota/fill", data={"kind": "week", "day": MONDAY.isoformat(), "place": ["drop table"]})
    assert bad.status_code == 400
    answer = client.post("/rota/fill", data={"kind": "week", "day": MONDAY.isoformat(), "place": [forged]})
    assert "on leave" in answer.text and db.session.scalar(select(Assignment.id)) is None


def test_only_coordinators_may_fill_gaps(week, client, auth) -> None:
    auth.login("ann@example.org")
    assert client.get(f"/rota/fill?kind=week&day={MONDAY.isoformat()}").status_code == 403
    assert client.post("/rota/fill", data={"kind": "week", "day": MONDAY.isoformat()}).status_code == 403


def test_apply_fill_skips_a_place_taken_meanwhile(week, db) -> None:
    org, coordinator, (ann, bob, cat), shifts = week
    proposal = propose_fill(org, MONDAY, MONDAY, NOW, time_limit_s=2)
    assert len(proposal.assignments) == 2
    put_on(shifts[0], cat)  # someone took a place by hand meanwhile
    applied = apply_fill(org, proposal, [(p.shift_id, p.candidate_id) for p in proposal.assignments], NOW,
                         coordinator.person_id)
    assert len(applied) == 1 and len(applied.skipped) == 1
    assert "filled" in applied.skipped[0][1] or "already on duty" in applied.skipped[0][1]


def test_a_replacement_is_proposed_and_saved(week, client, auth, db) -> None:
    org, _, (ann, bob, cat), shifts = week
    leaving = put_on(shifts[2], ann)
    db.session.commit()
    auth.login("coordinator@example.org")
    page = client.get(f"/rota/fill/replace/{leaving.id}")
    assert page.status_code == 200 and "Ann is giving up" in page.text
    assert re.search(r"<strong>(Bob|Cat)</strong> takes", page.text)
    saved = client.post(f"/rota/fill/replace/{leaving.id}")
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Assignment, leaving.id).status == "cancelled"
    live = [a for a in db.session.scalars(select(Assignment).where(Assignment.shift_id == shifts[2].id))
            if a.status == "assigned"]
    assert [a.membership_id for a in live] in ([bob.id], [cat.id]) and live[0].source == "auto"
    assert db.session.get(Shift, shifts[2].id).filled == 1


def test_each_refused_place_keeps_its_own_reason_when_a_shift_has_gone(week, client, auth, db) -> None:
    org, _, (ann, bob, cat), shifts = week
    auth.login("coordinator@example.org")
    gone = f"{shifts[2].id + 1000}:{ann.id}"  # a shift that does not exist (deleted meanwhile, or forged)
    on_leave = f"{shifts[1].id}:{cat.id}"  # Cat is on leave on the 8th
    answer = client.post("/rota/fill", data={"kind": "week", "day": MONDAY.isoformat(), "place": [gone, on_leave]})
    assert answer.status_code == 200 and "Saved 0 places" in answer.text
    items = re.findall(r"<li>(.*?)</li>", answer.text, re.S)
    cat_line = next(item for item in items if "Cat" in item)
    assert "on leave" in cat_line and "no longer exists" not in cat_line


def test_fill_without_a_period_offers_a_picker(client, rota, auth, clock) -> None:
    auth.login("coordinator@tackley.example")
    bare = client.get("/rota/fill")
    page = bare.get_data(as_text=True)
    assert bare.status_code == 200 and "Fill gaps with the auto-rota" in page
    assert 'name="kind" value="week" checked' in page and 'value="2026-12-07"' in page  # next week by default
    bad = client.get("/rota/fill?kind=fortnight&day=soon")
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.get_data(as_text=True)
    assert client.get("/rota/fill?kind=month&day=2026-12-07").status_code == 200  # the proposal itself


def test_apply_fill_counts_logged_contact_time_against_the_pledge(week, db) -> None:
    """The post-check judges the schedule as read, contact time included: a place it would push well over
    the pledge (22 h of contacts in the days before, a pledge of 4 h a week) is not saved."""
    org, coordinator, (ann, bob, cat), shifts = week
    proposal = propose_fill(org, MONDAY, MONDAY, NOW, time_limit_s=2)
    mum = SupportedPerson(organisation_id=org.id, reference="M1", first_name="Mum", born_on=date(2026, 11, 10),
                          supporter_membership_id=ann.id)
    db.session.add(mum)
    db.session.flush()
    for day in range(11):  # 2 h a day, 20 Nov – 30 Nov: 22 h of a 16 h four weeks
        db.session.add(Contact(organisation_id=org.id, supported_person_id=mum.id, mode="home", minutes=120,
                               contact_on=date(2026, 11, 20) + timedelta(days=day), membership_id=ann.id))
    db.session.flush()
    applied = apply_fill(org, proposal, [(shifts[0].id, str(ann.id))], NOW, coordinator.person_id)
    assert len(applied) == 0 and applied.skipped
    assert "over pledge" in applied.skipped[0][1]
