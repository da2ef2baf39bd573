"""Attendance: attended places become approved time entries at their real length, exactly once."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_shift, put_on, utc
from tests.integration.reports.helpers import in_threads, make_ledger_org
from volunteers.contributions import services
from volunteers.contributions.models import Contribution
from volunteers.core.errors import ServiceError
from volunteers.extensions import db as _db
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment

NOW = utc(2026, 10, 26, 12)


def _entries(db, assignment_id: int) -> list[Contribution]:
    return list(db.session.scalars(select(Contribution).where(Contribution.assignment_id == assignment_id)
                                   .order_by(Contribution.id)))


def _net_hours(db, assignment_id: int) -> Decimal:
    return sum((e.hours for e in _entries(db, assignment_id)), Decimal(0))


def test_a_night_across_the_october_clock_change_counts_seven_hours(db, ledger) -> None:
    shift = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 10, 25), time(0), time(6))
    place = put_on(shift, ledger.ann)
    entry = services.record_attendance(ledger.org, place, NOW, ledger.coordinator.person_id)
    db.session.commit()
    assert entry.hours == Decimal("7.00")
    assert (entry.status, entry.kind, entry.stage, entry.contributor_type) == \
        ("approved", "time", "delivery", "volunteer")
    assert (entry.role_id, entry.site_id, entry.membership_id) == (ledger.shop.id, ledger.hall.id, ledger.ann.id)
    assert entry.occurred_at == shift.starts_at and entry.occurred_on == date(2026, 10, 25)
    assert entry.approved_by_person_id == ledger.coordinator.person_id and entry.decided_at == NOW
    assert db.session.get(Assignment, place.id).status == "attended"


def test_recording_twice_writes_one_entry(db, ledger) -> None:
    shift = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 10, 20), time(9), time(12, 20))
    place = put_on(shift, ledger.ann)
    first = services.record_attendance(ledger.org, place, NOW)
    second = services.record_attendance(ledger.org, place, NOW)
    db.session.commit()
    assert first.id == second.id
    assert [e.hours for e in _entries(db, place.id)] == [Decimal("3.33")]


def test_an_assignment_imported_as_attended_gets_its_entry_once(db, ledger) -> None:
    shift = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 10, 20))
    place = put_on(shift, ledger.bob, status="attended")
    services.record_attendance(ledger.org, place, NOW)
    services.record_attendance(ledger.org, place, NOW)
    db.session.commit()
    assert _net_hours(db, place.id) == Decimal("4")


def test_all_attended_marks_everyone_not_yet_marked(db, ledger) -> None:
    shift = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 10, 20), needed=3)
    places = [put_on(shift, m) for m in (ledger.ann, ledger.bob, ledger.cat)]
    services.mark_no_show(ledger.org, places[2], NOW)
    assert services.mark_shift_attended(ledger.org, shift.id, NOW, ledger.coordinator.person_id) == 2
    assert services.mark_shift_attended(ledger.org, shift.id, NOW) == 0
    db.session.commit()
    assert [_net_hours(db, p.id) for p in places] == [Decimal(4), Decimal(4), Decimal(0)]


def test_a_shift_not_started_or_a_cancelled_place_cannot_be_marked(db, ledger) -> None:
    later = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 10, 27))
    with pytest.raises(ServiceError, match="not started"):
        services.record_attendance(ledger.org, put_on(later, ledger.ann), NOW)
    shift = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 10, 20))
    gone = put_on(shift, ledger.bob, status="cancelled")
    with pytest.raises(ServiceError, match="cancelled"):
        services.record_attendance(ledger.org, gone, NOW)
    with pytest.raises(ServiceError, match="cancelled"):
        services.mark_no_show(ledger.org, gone, NOW)
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0


def test_another_organisations_place_is_refused(db, ledger) -> None:
    other = make_ledger_org("surestart", "Sure Start")
    shift = make_shift(other.org, other.shop, other.hall, date(2026, 10, 20))
    with pytest.raises(ServiceError):
        services.record_attendance(ledger.org, put_on(shift, other.ann), NOW)


def test_a_no_show_counts_once_on_the_member(db, ledger) -> None:
    shift = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 10, 20))
    place = put_on(shift, ledger.ann)
    assert services.mark_no_show(ledger.org, place, NOW) is True
    assert services.mark_no_show(ledger.org, place, NOW) is False
    db.session.commit()
    assert db.session.get(Membership, ledger.ann.id).no_show_count == 1
    assert _entries(db, place.id) == []


def test_correcting_attended_to_no_show_and_back_keeps_the_ledger_right(db, ledger) -> None:
    shift = make_shift(ledger.org, ledger.shop, ledger.hall, date(2026, 10, 25), time(0), time(6))
    place = put_on(shift, ledger.ann)
    services.record_attendance(ledger.org, place, NOW)
    services.mark_no_show(ledger.org, place, NOW, ledger.coordinator.person_id)
    db.session.commit()
    entries = _entries(db, place.id)
    assert [e.hours for e in entries] == [Decimal(7), Decimal(-7)] and entries[1].reverses_id == entries[0].id
    assert db.session.get(Membership, ledger.ann.id).no_show_count == 1
    services.record_attendance(ledger.org, place, NOW)
    services.record_attendance(ledger.org, place, NOW)
    db.session.commit()
    assert _net_hours(db, place.id) == Decimal(7) and len(_entries(db, place.id)) == 3
    assert db.session.get(Membership, ledger.ann.id).no_show_count == 0


def test_two_coordinators_marking_at_once_write_one_entry(shared_app) -> None:
    with shared_app.app_context():
        built = make_ledger_org()
        shift = make_shift(built.org, built.shop, built.hall, date(2026, 10, 25), time(0), time(6))
        place_id, org_id = put_on(shift, built.ann).id, built.org.id
        _db.session.commit()
        _db.session.remove()

    def mark():
        from volunteers.core.models import Organisation

        org = _db.session.get(Organisation, org_id)
        return services.record_attendance(org, _db.session.get(Assignment, place_id), NOW).id

    outcomes = in_threads(shared_app, mark, 4)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    with shared_app.app_context():
        hours = _db.session.scalars(select(Contribution.hours).where(Contribution.assignment_id == place_id)).all()
        _db.session.remove()
    assert hours == [Decimal(7)]
