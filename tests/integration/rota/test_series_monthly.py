"""Monthly series through the form, and bank holidays: skipped or flagged on the board, per series."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from tests.factories import utc
from volunteers.core.models import AuditLogEntry
from volunteers.rota.models import Shift, ShiftSeries
from volunteers.rota.series import SeriesSpec, create_series, spec_of, update_series

NOW = utc(2026, 11, 2, 12)  # a Monday in November: the horizon (8 weeks) reaches past Christmas
FRI, MON, TUE = 4, 0, 1


def _dates(db, series: ShiftSeries) -> list[date]:
    return list(db.session.scalars(select(Shift.local_date).where(
        Shift.series_id == series.id, Shift.status == "planned").order_by(Shift.local_date)))


def _spec(rota, **kw) -> SeriesSpec:
    base = dict(days=frozenset({FRI}), start_time=time(10), end_time=time(12), role_id=rota.role.id,
                site_id=rota.site.id, needed=2, starts_on=date(2026, 11, 1), month_position=-1)
    base.update(kw)
    return SeriesSpec(**base)


def test_first_tuesday_from_the_form_skipping_bank_holidays(client, auth, rota, db, clock) -> None:
    clock.now = NOW
    auth.login("coordinator@tackley.example")
    form = client.get("/rota/series/new").get_data(as_text=True)
    assert "The first of that day each month" in form and 'name="on_bank_holidays"' in form
    response = client.post("/rota/series/new", data={
        "days": ["1"], "start_time": "10:00", "end_time": "12:00", "role_id": rota.role.id,
        "site_id": rota.site.id, "needed": "2", "starts_on": "2026-11-02", "repeats": "m1",
        "on_bank_holidays": "skip"})
    assert response.status_code == 302
    series = db.session.scalar(select(ShiftSeries))
    assert series.rrule == "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1" and series.on_bank_holidays == "skip"
    assert _dates(db, series) == [date(2026, 11, 3), date(2026, 12, 1)]
    entry = db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "rota.series_create"))
    assert entry.details["values"]["on_bank_holidays"] == "skip" and entry.created_at == clock.now
    assert "The first Tuesday of each month" in client.get("/rota/series").get_data(as_text=True)
    edit = client.get(f"/rota/series/{series.id}").get_data(as_text=True)
    assert '<option selected value="m1">' in edit and '<option selected value="skip">' in edit


def test_a_monthly_series_with_two_days_is_refused_on_the_days_field(client, auth, rota, db, clock) -> None:
    clock.now = NOW
    auth.login("coordinator@tackley.example")
    response = client.post("/rota/series/new", data={
        "days": ["1", "3"], "start_time": "10:00", "end_time": "12:00", "role_id": rota.role.id,
        "site_id": rota.site.id, "needed": "1", "starts_on": "2026-11-02", "repeats": "m-1",
        "on_bank_holidays": "flag"})
    assert response.status_code == 422 and "tick just one" in response.get_data(as_text=True)
    assert db.session.scalar(select(ShiftSeries)) is None


def test_a_flagging_series_works_christmas_day_and_the_board_marks_it(client, auth, rota, db, clock) -> None:
    clock.now = NOW
    series = create_series(rota.org, _spec(rota, on_bank_holidays="flag"), NOW)
    db.session.commit()
    assert _dates(db, series) == [date(2026, 11, 27), date(2026, 12, 25)]
    auth.login("coordinator@tackley.example")
    week = client.get("/rota?week=2026-12-21").get_data(as_text=True)
    assert "Bank holiday: Christmas Day" in week and "Bank holiday: Boxing Day" in week
    month = client.get("/rota?view=month&month=2026-12").get_data(as_text=True)
    assert "Bank holiday: Christmas Day" in month
    assert "Bank holiday" not in client.get("/rota?week=2026-11-23").get_data(as_text=True)


def test_switching_a_series_to_skip_takes_the_bank_holiday_shift_away(rota, db) -> None:
    series = create_series(rota.org, _spec(rota, on_bank_holidays="flag"), NOW)
    change = update_series(rota.org, series, _spec(rota, on_bank_holidays="skip"), NOW, None)
    assert _dates(db, series) == [date(2026, 11, 27)] and change.remade == 2
    assert spec_of(series).on_bank_holidays == "skip" and spec_of(series).month_position == -1


def test_the_nation_in_the_settings_decides_the_calendar(rota, db) -> None:
    mondays = _spec(rota, days=frozenset({MON}), month_position=None, on_bank_holidays="skip")
    english = create_series(rota.org, mondays, NOW)
    assert date(2026, 11, 30) in _dates(db, english)  # St Andrew's Day is not an English bank holiday
    rota.org.settings = {**(rota.org.settings or {}), "bank_holiday_nation": "SCT"}
    db.session.flush()
    scottish = create_series(rota.org, mondays, NOW)
    made = _dates(db, scottish)
    assert date(2026, 11, 30) not in made and date(2026, 12, 28) not in made  # and Boxing Day's substitute
    assert date(2026, 12, 21) in made
