"""Shift series: materialised ahead idempotently, wall-clock right across clock changes.

Edits change the future only.
"""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import put_on, utc
from volunteers.core.errors import ServiceError
from volunteers.core.models import JobRun
from volunteers.mail.models import OutboxMessage
from volunteers.rota import jobs
from volunteers.rota import series as series_service
from volunteers.rota.models import Shift
from volunteers.rota.series import SeriesSpec, create_series, materialise, update_series

NOW = utc(2026, 10, 1, 12)  # a Thursday


def spec(rota, **kw) -> SeriesSpec:
    base = dict(days=frozenset({1}), start_time=time(9), end_time=time(12), role_id=rota.role.id,
                site_id=rota.site.id, needed=2, starts_on=date(2026, 9, 1))
    base.update(kw)
    return SeriesSpec(**base)


def shifts_of(db, series) -> list[Shift]:
    return list(db.session.scalars(select(Shift).where(Shift.series_id == series.id).order_by(Shift.starts_at)))


def test_creating_a_series_materialises_eight_weeks_of_future_shifts(rota, db) -> None:
    s = create_series(rota.org, spec(rota), NOW)
    made = shifts_of(db, s)
    assert [x.local_date for x in made][:2] == [date(2026, 10, 6), date(2026, 10, 13)]
    assert len(made) == 8 and made[-1].local_date == date(2026, 11, 24)
    assert all(x.needed == 2 and x.filled == 0 for x in made)
    assert s.materialised_until == date(2026, 11, 26)
    assert s.rrule == "FREQ=WEEKLY;BYDAY=TU"


def test_materialising_again_creates_nothing(rota, db) -> None:
    s = create_series(rota.org, spec(rota), NOW)
    assert materialise(rota.org, s, date(2026, 11, 26), NOW) == []
    assert materialise(rota.org, s, date(2026, 11, 26), NOW + timedelta(days=3)) == []
    assert len(shifts_of(db, s)) == 8


def test_the_horizon_follows_the_organisation_setting(rota, db) -> None:
    rota.org.settings = {"materialise_weeks": 2}
    s = create_series(rota.org, spec(rota), NOW)
    assert len(shifts_of(db, s)) == 2


def test_night_shifts_keep_wall_clock_times_and_real_lengths_across_both_clock_changes(rota, db) -> None:
    s = create_series(rota.org, spec(rota, days=frozenset({6}), start_time=time(0), end_time=time(6),
                                     starts_on=date(2026, 3, 1), until_on=date(2026, 11, 1)), utc(2026, 3, 1, 12))
    materialise(rota.org, s, date(2026, 11, 1), utc(2026, 3, 1, 12))
    by_date = {x.local_date: x for x in shifts_of(db, s)}
    assert by_date[date(2026, 3, 29)].hours == 5
    assert by_date[date(2026, 10, 25)].hours == 7
    assert by_date[date(2026, 10, 18)].hours == 6
    assert by_date[date(2026, 10, 25)].starts_at == utc(2026, 10, 24, 23)  # 00:00 BST
    assert by_date[date(2026, 11, 1)].starts_at == utc(2026, 11, 1, 0)  # 00:00 GMT
    assert max(by_date) == date(2026, 11, 1)


def test_exception_dates_are_skipped(rota, db) -> None:
    s = create_series(rota.org, spec(rota, exdates=(date(2026, 10, 13),)), NOW)
    assert date(2026, 10, 13) not in {x.local_date for x in shifts_of(db, s)}


def test_a_cancelled_shift_is_not_made_again(rota, db) -> None:
    s = create_series(rota.org, spec(rota), NOW)
    shifts_of(db, s)[0].status = "cancelled"
    db.session.flush()
    assert materialise(rota.org, s, date(2026, 12, 31), NOW) != []
    assert len([x for x in shifts_of(db, s) if x.local_date == date(2026, 10, 6)]) == 1


def test_bad_specs_name_the_field(rota) -> None:
    with pytest.raises(ServiceError) as no_days:
        create_series(rota.org, spec(rota, days=frozenset()), NOW)
    assert no_days.value.field == "days"
    with pytest.raises(ServiceError) as backwards:
        create_series(rota.org, spec(rota, until_on=date(2026, 8, 1)), NOW)
    assert backwards.value.field == "until_on"
    with pytest.raises(ServiceError) as role:
        create_series(rota.org, spec(rota, role_id=9999), NOW)
    assert role.value.field == "role_id"


def test_editing_changes_future_shifts_only(rota, db) -> None:
    s = create_series(rota.org, spec(rota), utc(2026, 9, 20, 12))
    made = shifts_of(db, s)
    past, kept, empty, dropped = made[0], made[1], made[2], made[3]
    assert past.local_date == date(2026, 9, 22) and kept.local_date == date(2026, 9, 29)
    put_on(past, rota.ann)
    told = put_on(kept, rota.ann)
    told.notified_at, told.notified_sequence = NOW - timedelta(days=2), 0
    put_on(dropped, rota.bob).notified_at = NOW - timedelta(days=2)
    db.session.flush()
    past_start, kept_id, empty_id = past.starts_at, kept.id, empty.id

    change = update_series(rota.org, s, spec(rota, start_time=time(10), end_time=time(13),
                                             exdates=(dropped.local_date,)),
                           utc(2026, 9, 24, 12), rota.coordinator.person_id)
    db.session.expire_all()
    assert db.session.get(Shift, past.id).starts_at == past_start  # already worked: untouched
    moved = db.session.get(Shift, kept_id)
    assert moved.starts_at == utc(2026, 9, 29, 9) and moved.ends_at == utc(2026, 9, 29, 12)  # 10:00–13:00 BST
    assert db.session.get(Shift, empty_id) is None  # nobody on it: made again
    remade = db.session.scalar(select(Shift).where(Shift.series_id == s.id, Shift.local_date == empty.local_date))
    assert remade.starts_at == utc(2026, 10, 6, 9)
    assert db.session.get(Shift, dropped.id).status == "cancelled"
    assert (change.updated, change.cancelled, change.notified) == (1, 1, 2)
    subjects = db.session.scalars(select(OutboxMessage.subject).order_by(OutboxMessage.id)).all()
    assert subjects[0].startswith("Changed: Shop counter, Tue 29 Sep, 10:00–13:00")
    assert subjects[1].startswith("Cancelled:")


def test_lowering_needed_below_the_people_on_a_shift_keeps_them_and_warns(rota, db) -> None:
    s = create_series(rota.org, spec(rota), NOW)
    first = shifts_of(db, s)[0]
    put_on(first, rota.ann), put_on(first, rota.bob)
    change = update_series(rota.org, s, spec(rota, needed=1), NOW, None)
    assert first.needed == 2 and "remove someone" in change.warnings[0]
    assert shifts_of(db, s)[1].needed == 1


def test_the_job_extends_series_once_a_day(rota, db) -> None:
    s = create_series(rota.org, spec(rota, days=frozenset(range(7))), NOW)
    db.session.commit()
    assert jobs.extend_all_series(NOW + timedelta(hours=1)) == 0
    assert jobs.extend_all_series(NOW + timedelta(hours=2)) is None  # done today
    assert jobs.extend_all_series(NOW + timedelta(days=1)) == 1
    assert db.session.scalar(select(func.count()).select_from(JobRun).where(JobRun.status == "done")) == 2
    assert len(shifts_of(db, s)) == 57


def test_the_job_is_registered_with_the_scheduler() -> None:
    from volunteers.scheduler import all_jobs

    assert "rota.extend_series" in {job.id for job in all_jobs()}


def test_end_series_cancels_later_shifts(rota, db) -> None:
    s = create_series(rota.org, spec(rota), NOW)
    put_on(shifts_of(db, s)[3], rota.ann)
    series_service.end_series(rota.org, s, date(2026, 10, 20), NOW, None)
    live = [x.local_date for x in shifts_of(db, s) if x.status == "planned"]
    assert live == [date(2026, 10, 6), date(2026, 10, 13), date(2026, 10, 20)]
