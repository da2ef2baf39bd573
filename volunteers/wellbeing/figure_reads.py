"""Reads of the organisation figures' worked hours: 90 days on /warnings, a month in the history and the report.

Why apart from ``queries``: these sum everyone's places (the figures of how evenly the work is spread),
not the warnings a coordinator acts on; ``org_figures_cache`` keeps their result between views.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, String, select, type_coerce

from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.rota.models import Assignment, Role, Shift
from volunteers.wellbeing.domain.figures import figures_of_hours
from volunteers.wellbeing.schedules import JUDGED_MEMBERSHIPS, NOT_LIVE, org_zone

#: the figures' window: worked hours of the places started in this many days before now
FIGURES_DAYS = 90


def worked_hours(org: Organisation, now: datetime) -> dict[str, dict[str, float]]:
    """Return role → membership id (text) → hours of live places started in the 90 days before ``now``.

    What :func:`~.domain.figures.worked_hours` makes of everyone's schedules
    (active and paused members; the window from the same local time 90 dates
    before), summed in the same order, from one query of four columns.
    """
    since = now.astimezone(org_zone(org)) - timedelta(days=FIGURES_DAYS)
    return hours_by_role(org, since, now, JUDGED_MEMBERSHIPS)


def hours_by_role(org: Organisation, lo: datetime, hi: datetime,
                  statuses: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Return role → membership id (text) → hours of live places starting in ``[lo, hi)``.

    One query of four columns for members of ``statuses``, summed per person in
    start order: the 90-day figures on /warnings and a month's figures in the
    warnings history and the report read the same hours this way.
    """
    # the instants come raw (text on SQLite) and are parsed here, as iter_places reads them: SQLAlchemy's
    # SQLite datetime parsing and UTCDateTime were most of this reading (a month's places on the report)
    sqlite = db.session.connection().dialect.name == "sqlite"
    instant: Any = String() if sqlite else DateTime(timezone=True)
    rows = db.session.execute(
        select(Assignment.membership_id, Role.name, type_coerce(Shift.starts_at, instant),
               type_coerce(Shift.ends_at, instant))
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .join(Role, (Role.id == Shift.role_id) & (Role.organisation_id == Shift.organisation_id))
        .join(Membership, (Membership.id == Assignment.membership_id)
              & (Membership.organisation_id == Assignment.organisation_id))
        .where(Assignment.organisation_id == org.id, Assignment.status.not_in(NOT_LIVE),
               Shift.status != "cancelled", Membership.status.in_(statuses),
               Shift.starts_at >= lo, Shift.starts_at < hi)
        .order_by(Assignment.membership_id, Shift.starts_at, Assignment.id)
    )
    by_role: dict[str, dict[str, float]] = {}
    parse = datetime.fromisoformat
    for membership_id, role, starts_at, ends_at in rows:
        if sqlite:  # UTC instants stored as text without an offset: their difference is the same
            starts_at, ends_at = parse(starts_at), parse(ends_at)
        people = by_role.setdefault(role, {})
        who = str(membership_id)
        people[who] = people.get(who, 0.0) + (ends_at - starts_at).total_seconds() / 3600
    return by_role


def organisation_summary(org: Organisation, now: datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the organisation figures over the last 90 days, and the key drivers with their names."""
    figures = figures_of_hours(worked_hours(org, now))
    names = dict(db.session.execute(
        select(Membership.id, Person.name).join(Person, Person.id == Membership.person_id)
        .where(Membership.organisation_id == org.id)).all())
    drivers = [{**d, "name": names.get(int(d["volunteer"]), "?"), "membership_id": int(d["volunteer"])}
               for d in figures["key_drivers"]]
    return figures, drivers
