"""Shift series: weekly and monthly patterns stored as RRULEs, materialised into shifts ahead of time.

``materialise`` creates the shifts a series is missing up to a local date,
keyed by ``(series, local_date)`` (a unique constraint backs the key), so
running it again — by the daily job, after an edit, twice at once by two
schedulers — creates nothing new. It never creates shifts that have
already started, and never re-creates one a coordinator cancelled.

Editing a series changes the future only: shifts that have started stay as
they were; future shifts nobody was ever put on are deleted and made again
from the new pattern; future shifts with people on them are updated in
place (same id, the people keep their places) and those already told about
them get a "shift changed" e-mail — the others hear at the next publish.
A date the new pattern no longer has is cancelled, with its people told.

Bank holidays come from the organisation's nation (``rota.domain.bank_holidays``):
a series set to ``skip`` them makes no shift on one (no support group on
Christmas Day); one set to ``flag`` makes it and the board marks the day.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, select

from volunteers.core.compiled_sql import DriverRows, driver_rows
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import local_date, zone
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota import notify, site_scope
from volunteers.rota.domain.bank_holidays import bank_holidays, nation_of
from volunteers.rota.domain.recurrence import (
    MAX_WINDOW_DAYS,
    Occurrence,
    build_rrule,
    occurrences,
    parse_rrule,
)
from volunteers.rota.models import BANK_HOLIDAY_CHOICES, Assignment, Role, Shift, ShiftSeries, Site
from volunteers.rota.services import _role_and_site, cancel_shift, live_assignments

DEFAULT_WEEKS = 8


@dataclass(frozen=True)
class SeriesSpec:
    """A weekly or monthly pattern as the coordinator gives it, in local wall-clock terms."""

    days: frozenset[int]
    start_time: time
    end_time: time
    role_id: int
    site_id: int
    needed: int
    starts_on: date
    until_on: date | None = None
    exdates: tuple[date, ...] = ()
    interval_weeks: int = 1
    #: 1–4 or -1 (last): the series is "the first Tuesday of each month"; None: weekly
    month_position: int | None = None
    #: ``flag`` or ``skip`` (see BANK_HOLIDAY_CHOICES)
    on_bank_holidays: str = "flag"


@dataclass
class SeriesChange:
    """What an edit did to the series' future shifts."""

    updated: int = 0
    remade: int = 0
    cancelled: int = 0
    notified: int = 0
    warnings: list[str] = field(default_factory=list)


def horizon(org: Organisation, now: datetime) -> date:
    """Return the local date up to which series are kept materialised (setting ``materialise_weeks``)."""
    weeks = int(org.setting("materialise_weeks", DEFAULT_WEEKS) or DEFAULT_WEEKS)
    return local_date(now, org.timezone) + timedelta(weeks=weeks)


def _apply(org: Organisation, series: ShiftSeries, spec: SeriesSpec) -> None:
    """Check ``spec`` and copy it onto ``series``; errors name the form field."""
    _role_and_site(org, spec.role_id, spec.site_id)
    if not spec.days:
        raise ServiceError("Choose at least one day of the week.", "days")
    if not 1 <= spec.needed <= 100:
        raise ServiceError("Between 1 and 100 people.", "needed")
    if spec.until_on is not None and spec.until_on < spec.starts_on:
        raise ServiceError("The last date is before the first.", "until_on")
    if spec.start_time == spec.end_time:
        raise ServiceError("A shift needs a length: the end equals the start.", "end_time")
    if spec.month_position is not None and len(spec.days) != 1:
        raise ServiceError("A monthly series falls on one day of the week: tick just one.", "days")
    if spec.on_bank_holidays not in BANK_HOLIDAY_CHOICES:
        raise ServiceError("Choose whether to skip bank holidays or flag them.", "on_bank_holidays")
    try:
        series.rrule = build_rrule(sorted(spec.days), spec.interval_weeks, spec.until_on, spec.month_position)
    except ValueError as error:
        raise ServiceError(str(error), "days") from None
    series.on_bank_holidays = spec.on_bank_holidays
    series.role_id, series.site_id = spec.role_id, spec.site_id
    series.start_time, series.end_time = spec.start_time, spec.end_time
    series.needed = spec.needed
    series.starts_on, series.until_on = spec.starts_on, spec.until_on
    series.exdates = sorted({d.isoformat() for d in spec.exdates})


def spec_of(series: ShiftSeries) -> SeriesSpec:
    """Return a stored series as the spec its form edits."""
    rule = parse_rrule(series.rrule)
    return SeriesSpec(
        days=rule.days, start_time=series.start_time, end_time=series.end_time, role_id=series.role_id,
        site_id=series.site_id, needed=series.needed, starts_on=series.starts_on, until_on=series.until_on,
        exdates=tuple(date.fromisoformat(d) for d in series.exdates or []), interval_weeks=rule.interval_weeks,
        month_position=rule.month_position, on_bank_holidays=series.on_bank_holidays or "flag",
    )


def create_series(org: Organisation, spec: SeriesSpec, now: datetime) -> ShiftSeries:
    """Create a series and materialise its shifts up to the organisation's horizon."""
    series = ShiftSeries(organisation_id=org.id, active=True, exdates=[])
    _apply(org, series, spec)
    db.session.add(series)
    db.session.flush()
    materialise(org, series, horizon(org, now), now)
    return series


def _occurrences(org: Organisation, series: ShiftSeries, first: date, last: date) -> list[Occurrence]:
    first = max(first, series.starts_on)
    if series.until_on is not None:
        last = min(last, series.until_on)
    if last < first:
        return []
    last = min(last, first + timedelta(days=MAX_WINDOW_DAYS))
    skipped = {date.fromisoformat(d) for d in series.exdates or []}
    if series.on_bank_holidays == "skip":
        skipped |= set(bank_holidays(nation_of(org.settings), first, last))
    return occurrences(
        series.rrule, series.starts_on, series.start_time, series.end_time, zone(org.timezone), first, last,
        exdates=skipped,
    )


def materialise(org: Organisation, series: ShiftSeries, until_date: date, now: datetime) -> list[Shift]:
    """Create the series' missing shifts from today to ``until_date`` (local); return the new ones."""
    if not series.active:
        return []
    today = local_date(now, org.timezone)
    wanted = [o for o in _occurrences(org, series, today, until_date) if o.start_utc > now]
    if wanted:
        have = set(db.session.scalars(
            scoped(Shift, org, Shift.local_date).where(
                Shift.series_id == series.id, Shift.local_date >= wanted[0].local_date,
                Shift.local_date <= wanted[-1].local_date,
            )
        ))
        wanted = [o for o in wanted if o.local_date not in have]
    created = [
        Shift(
            organisation_id=org.id, series_id=series.id, role_id=series.role_id, site_id=series.site_id,
            starts_at=o.start_utc, ends_at=o.end_utc, local_date=o.local_date, needed=series.needed,
            filled=0, status="planned",
        )
        for o in wanted
    ]
    db.session.add_all(created)
    if series.materialised_until is None or series.materialised_until < until_date:
        series.materialised_until = until_date
    db.session.flush()
    return created


def update_series(
    org: Organisation, series: ShiftSeries, spec: SeriesSpec, now: datetime, actor_person_id: int | None
) -> SeriesChange:
    """Change a series from now on; past shifts are untouched (see the module docstring)."""
    _apply(org, series, spec)
    change = SeriesChange()
    until = max(series.materialised_until or date.min, horizon(org, now))
    future = list(db.session.scalars(
        scoped(Shift, org).where(Shift.series_id == series.id, Shift.starts_at > now, Shift.status == "planned")
        .order_by(Shift.starts_at)
    ))
    ever_assigned = set(db.session.scalars(
        scoped(Assignment, org, Assignment.shift_id).where(Assignment.shift_id.in_([s.id for s in future]))
    )) if future else set()
    wanted = {o.local_date: o for o in _occurrences(org, series, local_date(now, org.timezone), until)}
    people: dict[int, list[Assignment]] = {}
    for a in live_assignments(org, [s.id for s in future if s.id in ever_assigned]):
        people.setdefault(a.shift_id, []).append(a)
    for shift in future:
        if shift.id not in ever_assigned:
            db.session.delete(shift)
            change.remade += 1
        elif shift.local_date in wanted:
            _update_in_place(org, shift, series, wanted[shift.local_date], people.get(shift.id, []), now, change)
        else:
            change.notified += cancel_shift(org, shift, now, actor_person_id, "The series' pattern changed.")
            change.cancelled += 1
    # deletes first: the new shifts reuse the (series, local_date) keys
    db.session.flush()
    materialise(org, series, until, now)
    return change


def _update_in_place(
    org: Organisation, shift: Shift, series: ShiftSeries, occurrence: Occurrence,
    people: list[Assignment], now: datetime, change: SeriesChange,
) -> None:
    before = notify.shift_line(org, shift)
    moved = (shift.starts_at, shift.ends_at, shift.role_id, shift.site_id) != (
        occurrence.start_utc, occurrence.end_utc, series.role_id, series.site_id)
    shift.starts_at, shift.ends_at = occurrence.start_utc, occurrence.end_utc
    shift.role_id, shift.site_id = series.role_id, series.site_id
    if series.needed < shift.filled:
        change.warnings.append(
            f"{shift.local_date:%a %-d %b}: {shift.filled} people are on it, more than the {series.needed} "
            "now needed — remove someone by hand."
        )
    shift.needed = max(series.needed, shift.filled)
    change.updated += 1
    if not moved:
        return
    db.session.flush()
    db.session.expire(shift, ["role", "site"])
    for assignment in people:
        assignment.sequence += 1
        assignment.updated_at = now
        if assignment.notified_at is not None:
            notify.shift_changed(org, shift, assignment, before, now)
            assignment.notified_at, assignment.notified_sequence = now, assignment.sequence
            change.notified += 1


def end_series(org: Organisation, series: ShiftSeries, last_date: date, now: datetime,
               actor_person_id: int | None) -> SeriesChange:
    """Stop a series after ``last_date``: later shifts go (people on them are told)."""
    spec = spec_of(series)
    if last_date < spec.starts_on:
        raise ServiceError("The last date is before the series starts.", "until_on")
    return update_series(org, series, replace(spec, until_on=last_date), now, actor_person_id)


def active_series(org: Organisation) -> list[ShiftSeries]:
    return list(db.session.scalars(scoped(ShiftSeries, org).where(ShiftSeries.active.is_(True))))


def extend_organisation(org: Organisation, now: datetime) -> int:
    """Materialise every active series of ``org`` up to its horizon; return shifts created."""
    until = horizon(org, now)
    return sum(len(materialise(org, s, until, now)) for s in active_series(org))


class SeriesRow(NamedTuple):
    """A series as its list shows it: plain columns, role and site by name."""

    id: int
    rrule: str
    start_time: time
    end_time: time
    role: str
    site: str
    needed: int
    starts_on: date
    materialised_until: date | None
    exdates: Sequence[Any]  #: as stored (a list); the list page keys its rows with a tuple

    @property
    def times(self) -> str:
        """``09:00–13:00``, as ``%H:%M`` writes each (without strftime: it asks the C library for the zone)."""
        start, end = self.start_time, self.end_time
        return f"{start.hour:02d}:{start.minute:02d}\u2013{end.hour:02d}:{end.minute:02d}"


_SS, _ROLES, _SITES = ShiftSeries.__table__, Role.__table__, Site.__table__
#: the list's statement, built once (Core columns: no ORM entities, no joined loading), run with ``org``
_SERIES_LIST = (
    select(_SS.c.id, _SS.c.rrule, _SS.c.start_time, _SS.c.end_time, _ROLES.c.name, _SITES.c.name, _SS.c.needed,
           _SS.c.starts_on, _SS.c.materialised_until, _SS.c.exdates)
    .select_from(_SS.join(_ROLES, _ROLES.c.id == _SS.c.role_id).join(_SITES, _SITES.c.id == _SS.c.site_id))
    .where(_SS.c.organisation_id == bindparam("org"))
    .order_by(_SS.c.active.desc(), _SS.c.starts_on, _SS.c.id)
)


@cache
def _series_list_for(viewer_role: str | None) -> Select:
    """The list's statement for viewers of this role: a coordinator limited to some sites sees theirs (built once)."""
    return site_scope.within_sites(_SERIES_LIST, _SS.c.site_id, site_scope.bound_viewer(viewer_role))


def series_list_rows(org: Organisation, viewer: Membership | None = None) -> DriverRows:
    """The list's rows as the driver gives them (one statement, compiled once: ``core.compiled_sql``), for the page to
    compare with those its kept text was made of; ``.typed()`` are the values :func:`series_list` makes rows of.

    A coordinator limited to some sites sees those sites' series only, as on the board (another site's series
    is a 404 to her: listing it would show what she may not open).
    """
    return driver_rows(reading_connection(), _series_list_for, (viewer.role if viewer is not None else None,),
                       {"org": org.id, **site_scope.viewer_params(viewer)})


def series_list(org: Organisation, viewer: Membership | None = None) -> list[SeriesRow]:
    """Return the organisation's series for the list page, with their roles' and sites' names: one statement."""
    return [SeriesRow._make(row) for row in series_list_rows(org, viewer).typed()]
