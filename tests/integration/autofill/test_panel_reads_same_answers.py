"""The shift panel's reads in fewer statements give the answers the separate statements gave (issue 13).

Cover requests with their asks are one statement (requests without asks on a row of their own), and a
candidate's qualifications, availability and leave one union: each is compared here with the same facts read
plainly through the ORM, for a crowd with two waves, an ask by hand, a request nobody was asked for yet,
another organisation's request, qualifications (one without an end), several availability windows and leave.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, time

from sqlalchemy import select

from tests.factories import utc
from tests.integration.selfservice.conftest import make_world, shift_at
from tests.integration.selfservice.cover_crowd import NOW, cancel_late, make_crowd, minutes
from volunteers.extensions import db as _db
from volunteers.people.models import AvailabilityWindow, Leave, PersonQualification, Qualification
from volunteers.rota.candidates import load_candidates
from volunteers.rota.cover_models import CoverAsk, CoverRequest
from volunteers.rota.cover_queries import cover_views
from volunteers.selfservice import cover_waves


def _plain_covers(org_id: int, shift_ids: list[int]) -> list[tuple]:
    """Each request of the shifts (newest first) with its asks in the order asked, read through the ORM."""
    requests = _db.session.scalars(select(CoverRequest).where(
        CoverRequest.organisation_id == org_id, CoverRequest.shift_id.in_(shift_ids))
        .order_by(CoverRequest.started_at.desc(), CoverRequest.id.desc())).all()
    found = []
    for r in requests:
        asks = _db.session.scalars(select(CoverAsk).where(CoverAsk.cover_request_id == r.id).order_by(
            CoverAsk.asked_at, CoverAsk.wave == 0, CoverAsk.wave, CoverAsk.id)).all()
        found.append((r.id, r.shift_id, r.offer_id, r.wave_size, r.wave_minutes, r.next_wave_at, r.stopped_at,
                      r.stop_reason, [(a.membership_id, a.wave, a.asked_at, a.channel) for a in asks]))
    return found


def _read_covers(org, shift_ids: list[int]) -> list[tuple]:
    return [(v.id, v.shift_id, v.offer_id, v.wave_size, v.wave_minutes, v.next_wave_at, v.stopped_at,
             v.stop_reason, [(a.membership_id, w.number, None, a.channel) for w in v.waves for a in w.asked])
            for v in cover_views(org, shift_ids=shift_ids)]


def test_cover_requests_and_their_asks_read_together_are_those_read_apart(db, clock) -> None:
    clock.now = NOW
    crowd = make_crowd()
    org = crowd.world.org
    other = make_world("elsewhere", prefix="x")  # another organisation's request on its own shift
    other_shift = shift_at(other.org, other.shop, other.hall, utc(2026, 12, 1, 9, 0), needed=1)
    _db.session.commit()
    cancel_late(crowd)
    _db.session.commit()
    clock.now = NOW + minutes(30)
    cover_waves.send_due_waves(clock.now)
    request = _db.session.scalar(select(CoverRequest).where(CoverRequest.organisation_id == org.id))
    assert request is not None
    clock.now = NOW + minutes(40)
    cover_waves.ask_by_hand(org, request, crowd.members["Helen"].id, crowd.world.coordinator.person_id, clock.now)
    quiet = shift_at(org, crowd.world.shop, crowd.world.hall, utc(2026, 12, 3, 9, 0), needed=1)
    _db.session.flush()
    _db.session.add(CoverRequest(organisation_id=org.id, shift_id=quiet.id, wave_size=3, wave_minutes=20,
                                 next_wave_at=clock.now + minutes(5), started_at=clock.now))  # nobody asked yet
    cover_waves.start_cover(other.org, other_shift, None, clock.now)
    _db.session.commit()

    shift_ids = [crowd.shift.id, quiet.id, other_shift.id]
    plain = _plain_covers(org.id, shift_ids)
    assert [len(asks) for *_, asks in plain] == [0, 11]  # the newest request (nobody asked yet) first
    assert [(*p[:-1], [(m, w, None, c) for m, w, _, c in p[-1]]) for p in plain] == _read_covers(org, shift_ids)
    # the waves in the order asked, the ask by hand last, each wave at its first ask's instant
    waves = cover_views(org, shift_ids=[crowd.shift.id])[0].waves
    assert [(w.number, len(w.asked)) for w in waves] == [(1, 5), (2, 5), (0, 1)], waves
    assert [w.asked_at for w in waves] == [NOW, NOW + minutes(30), NOW + minutes(40)]
    assert waves[2].asked[0].asked_by == crowd.world.coordinator.person.name
    theirs = cover_views(other.org, shift_ids=shift_ids)  # one organisation's requests only
    assert [v.shift_id for v in theirs] == [other_shift.id]
    assert cover_views(org, shift_ids=[]) == [] and cover_views(other.org, shift_ids=[crowd.shift.id]) == []


def test_qualifications_availability_and_leave_read_together_are_those_read_apart(db, clock) -> None:
    clock.now = NOW
    crowd = make_crowd()
    org, world = crowd.world.org, crowd.world
    bob, cat = world.bob, world.cat
    quals = _db.session.scalars(select(Qualification).where(Qualification.organisation_id == org.id)).all()
    assert quals
    _db.session.add_all([
        PersonQualification(organisation_id=org.id, membership_id=bob.id, qualification_id=quals[0].id,
                            expires_on=date(2027, 1, 31)),
        PersonQualification(organisation_id=org.id, membership_id=cat.id, qualification_id=quals[0].id),
        AvailabilityWindow(organisation_id=org.id, membership_id=bob.id, weekday=3, start_time=time(14, 0),
                           end_time=time(18, 30)),
        AvailabilityWindow(organisation_id=org.id, membership_id=bob.id, weekday=1, start_time=time(8, 15),
                           end_time=time(12, 0)),
        AvailabilityWindow(organisation_id=org.id, membership_id=bob.id, weekday=1, start_time=time(7, 0),
                           end_time=time(9, 0)),
        Leave(organisation_id=org.id, membership_id=cat.id, starts_on=date(2026, 11, 29), ends_on=date(2026, 11, 30)),
        Leave(organisation_id=org.id, membership_id=cat.id, starts_on=date(2026, 12, 20), ends_on=date(2026, 12, 24)),
    ])
    other = make_world("elsewhere", prefix="x")  # another organisation's facts stay out
    _db.session.add(Leave(organisation_id=other.org.id, membership_id=other.bob.id, starts_on=date(2026, 12, 1),
                          ends_on=date(2026, 12, 1)))
    _db.session.commit()

    start, end = crowd.shift.starts_at, crowd.shift.ends_at
    for ids in (None, [bob.id, cat.id, crowd.members["Lou"].id]):
        found = load_candidates(org, ids, start, end)
        assert found
        quals_of: dict[int, dict] = defaultdict(dict)
        for pq in _db.session.scalars(select(PersonQualification).where(PersonQualification.organisation_id == org.id)):
            quals_of[pq.membership_id][pq.qualification.name] = pq.expires_on
        for member_id, candidate in found.items():
            assert candidate.qualifications == quals_of.get(member_id, {})
            windows = _db.session.scalars(select(AvailabilityWindow).where(
                AvailabilityWindow.membership_id == member_id).order_by(
                AvailabilityWindow.weekday, AvailabilityWindow.start_time)).all()
            assert [(w.weekday, w.start, w.end) for w in candidate.availability] == [
                (w.weekday, w.start_time, w.end_time) for w in windows]
            leave = _db.session.scalars(select(Leave).where(
                Leave.membership_id == member_id, Leave.starts_on <= date(2026, 12, 2),
                Leave.ends_on >= date(2026, 11, 30))).all()
            assert candidate.leave == tuple(sorted((lv.starts_on, lv.ends_on) for lv in leave))
    assert found[cat.id].leave == ((date(2026, 11, 29), date(2026, 11, 30)),)
    assert [w.start for w in found[bob.id].availability] == [time(7, 0), time(8, 15), time(14, 0)]
