"""Copy a week or month forward (skipping people no longer eligible) and publish a period: one message each."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from tests.factories import make_shift, put_on, utc
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import Leave
from volunteers.rota import periods
from volunteers.rota.models import Assignment, Shift
from volunteers.rota.periods import Period, copy_forward, publish, source_date
from volunteers.rota.series import SeriesSpec, create_series

NOW = utc(2026, 10, 28, 12)


def people_on(db, shift: Shift) -> set[int]:
    return set(db.session.scalars(select(Assignment.membership_id).where(
        Assignment.shift_id == shift.id, Assignment.status != "cancelled")))


def test_month_mapping_keeps_the_nth_weekday() -> None:
    october = Period.of("month", date(2026, 10, 15))
    assert october == Period("month", date(2026, 10, 1), date(2026, 10, 31))
    assert source_date(october, date(2026, 11, 3)) == date(2026, 10, 6)  # 1st Tuesday → 1st Tuesday
    assert source_date(october, date(2026, 11, 30)) == date(2026, 10, 26)  # 5th Monday → 4th (last) Monday
    assert source_date(Period.of("week", date(2026, 11, 4)), date(2026, 11, 10)) == date(2026, 11, 3)


def test_copy_a_week_forward_onto_series_shifts_skipping_the_ineligible(rota, db) -> None:
    series = create_series(rota.org, SeriesSpec(frozenset({1, 3}), time(9), time(12), rota.role.id, rota.site.id, 2,
                                                date(2026, 11, 1)), NOW)
    tue, thu = (db.session.scalar(select(Shift).where(Shift.series_id == series.id, Shift.local_date == d))
                for d in (date(2026, 11, 3), date(2026, 11, 5)))
    put_on(tue, rota.ann), put_on(tue, rota.bob), put_on(thu, rota.cat)
    db.session.add(Leave(organisation_id=rota.org.id, membership_id=rota.bob.id,
                         starts_on=date(2026, 11, 10), ends_on=date(2026, 11, 10)))
    result = copy_forward(rota.org, "week", date(2026, 11, 4), NOW)
    next_tue, next_thu = (db.session.scalar(select(Shift).where(Shift.series_id == series.id, Shift.local_date == d))
                          for d in (date(2026, 11, 10), date(2026, 11, 12)))
    assert people_on(db, next_tue) == {rota.ann.id} and people_on(db, next_thu) == {rota.cat.id}
    assert result.copied == 2 and next_tue.filled == 1
    assert [(s.name, s.reasons) for s in result.skipped] == [("Bob Baker", ("on leave 10 Nov 2026",))]
    again = copy_forward(rota.org, "week", date(2026, 11, 4), NOW)
    assert again.copied == 0 and len(again.skipped) == 1  # already there: nothing doubled


def test_copy_a_month_forward_onto_one_off_shifts_by_slot(rota, db) -> None:
    src = make_shift(rota.org, rota.role, rota.site, date(2026, 11, 3), time(9), time(12), needed=1)
    put_on(src, rota.ann)
    target = make_shift(rota.org, rota.role, rota.site, date(2026, 12, 1), time(9), time(12), needed=1)
    other_time = make_shift(rota.org, rota.role, rota.site, date(2026, 12, 1), time(14), time(16), needed=1)
    result = copy_forward(rota.org, "month", date(2026, 11, 20), NOW)
    assert result.copied == 1 and people_on(db, target) == {rota.ann.id} and people_on(db, other_time) == set()
    assert result.target.label == "December 2026"


def test_publish_sends_each_volunteer_one_message_of_new_changed_and_removed_shifts(rota, db) -> None:
    shifts = [make_shift(rota.org, rota.role, rota.site, date(2026, 11, d)) for d in (3, 4, 5)]
    for s in shifts:
        put_on(s, rota.ann)
    put_on(shifts[0], rota.bob)
    put_on(shifts[1], rota.cat).source = "self"  # signed up herself: knows already
    week = Period.of("week", date(2026, 11, 3))
    first = publish(rota.org, week, NOW)
    assert (first.shifts, first.messages) == (3, 2)
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "cat@example.org")) is None
    ann_mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "ann@example.org"))
    assert ann_mail.body_text.count("Shop counter at Village hall shop") == 3
    assert "Your new shifts" in ann_mail.body_text and "the week of Mon 2 Nov 2026" in ann_mail.subject
    assert all(s.published_at == NOW for s in shifts)
    assert publish(rota.org, week, utc(2026, 10, 29)).messages == 0  # nothing new: nobody hears again

    from volunteers.rota.places import release_place

    ann_on_second = db.session.scalar(select(Assignment).where(
        Assignment.shift_id == shifts[1].id, Assignment.membership_id == rota.ann.id))
    release_place(rota.org, ann_on_second, utc(2026, 10, 30))
    put_on(make_shift(rota.org, rota.role, rota.site, date(2026, 11, 6)), rota.ann)
    third = publish(rota.org, week, utc(2026, 10, 31))
    assert third.messages == 1
    latest = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert latest.to_address == "ann@example.org"
    assert "No longer on the rota for you" in latest.body_text and "Wed 4 Nov" in latest.body_text
    assert "Fri 6 Nov" in latest.body_text and "Tue 3 Nov" not in latest.body_text


def test_period_labels() -> None:
    assert periods.Period.of("month", date(2026, 2, 10)).last == date(2026, 2, 28)
    assert periods.Period.of("week", date(2026, 11, 8)).first == date(2026, 11, 2)
