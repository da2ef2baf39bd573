"""Load people's schedules and load policies from the database, as the pure rules want them.

A schedule holds a person's *live* places: assignments that are not
cancelled or no-shows, on shifts that are not cancelled. Each shift span is
labelled by its assignment id (``ShiftSpan.ref``), so a warning's evidence
points back at the places behind it. Every loader here runs a constant
number of queries, whatever the number of people.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Float, String, bindparam, case, cast, func, select, type_coerce

from volunteers.core import compiled_sql, sql_lists
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Role, Shift
from volunteers.wellbeing import Policy, ShiftSpan, VolunteerSchedule
from volunteers.wellbeing.load_sources import ExtraLoad, extra_load

#: assignment statuses that hold no place in a person's load
NOT_LIVE = ("cancelled", "no_show")
#: membership statuses whose load is judged (people who left are not)
JUDGED_MEMBERSHIPS = ("active", "paused")


def org_zone(org: Organisation) -> ZoneInfo:
    """Return the organisation's time zone."""
    return ZoneInfo(org.timezone or "Europe/London")


def org_policy(org: Organisation) -> Policy:
    """Return the organisation's load policy: the defaults with ``settings["load_policy"]`` merged in.

    Role limits live in the same setting under ``"roles"`` (role name →
    rule code → limits) and only tighten.

    :raises PolicyError: (a ``ValueError``) naming the bad key, e.g. ``load_policy.weekly_load.warning``.
    """
    overrides = org.setting("load_policy") or {}
    try:
        text = json.dumps(overrides)
    except (TypeError, ValueError):
        return Policy.from_overrides(overrides, path="load_policy")  # not JSON: let the policy say what is wrong
    policy = _POLICIES.get(text)
    if policy is None:
        if len(_POLICIES) >= 256:
            _POLICIES.clear()
        policy = _POLICIES[text] = Policy.from_overrides(overrides, path="load_policy")
    return policy


#: the organisations' policies by their setting's JSON text (order kept): a Policy is immutable, and building
#: one and filling its memo of settings and levels again on every request was ~0.25 ms of the shift panel
_POLICIES: dict[str, Policy] = {}


def policy_for(org: Organisation, membership: Membership | None = None, *,
               base: Policy | None = None) -> Policy:
    """Return the policy that judges ``membership``: the organisation's, tightened by their limits.

    ``base`` (the organisation's policy, if already built) saves rebuilding it
    for every person of a scan. A person's ``limits`` only tighten.
    """
    policy = base if base is not None else org_policy(org)
    limits = membership.limits if membership is not None else None
    return policy.tightened(limits, path="limits") if limits else policy


class PlaceRow(NamedTuple):
    """One live place: whose, on which shift, when, in which role (a tuple: the scan reads many)."""

    assignment_id: int
    membership_id: int
    shift_id: int
    starts_at: datetime
    ends_at: datetime
    role: str
    intensity: float
    on_call: bool

    def span(self) -> ShiftSpan:
        """Return the place as the rules see it, labelled by its assignment id."""
        # the database holds a place to ShiftSpan's checks (aware instants, ends after it starts, intensity > 0)
        return ShiftSpan.trusted(self.starts_at, self.ends_at, self.role, self.intensity, self.on_call,
                                 str(self.assignment_id))


def places_query(org: Organisation, membership_ids: Iterable[int] | None, since: datetime | None,
                 until: datetime | None, *, dialect: str = "") -> Any:
    """Return the SELECT of live places starting in ``[since, until)``, by person then start.

    Filtering on the start (not on the end) lets the database use the
    shifts' ``(organisation_id, starts_at)`` index. The instants come in the
    column's raw form (text on SQLite, ``timestamptz`` elsewhere) and the
    intensity as a float: converting hundreds of thousands of values through
    ``UTCDateTime`` and ``Numeric`` was most of the scan's reading time;
    :func:`iter_places` makes the instants aware itself.
    """
    stmt = _live_places(dialect, Assignment.organisation_id == org.id)
    if since is not None:
        stmt = stmt.where(Shift.starts_at >= since)
    if until is not None:
        stmt = stmt.where(Shift.starts_at < until)
    if membership_ids is not None:
        stmt = stmt.where(Assignment.membership_id.in_(list(membership_ids)))
    return stmt


def _live_places(dialect: str, organisation: Any) -> Any:
    """Return the SELECT of :func:`places_query` for the ``organisation`` condition, before its other filters."""
    instant = String() if dialect == "sqlite" else DateTime(timezone=True)
    return (
        select(Assignment.id, Assignment.membership_id, Shift.id, type_coerce(Shift.starts_at, instant),
               type_coerce(Shift.ends_at, instant), Role.name, cast(Role.intensity, Float), Role.on_call)
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .join(Role, (Role.id == Shift.role_id) & (Role.organisation_id == Shift.organisation_id))
        .where(organisation, ~sql_lists.one_of(Assignment.status, NOT_LIVE), Shift.status != "cancelled")
        .order_by(Assignment.membership_id, Shift.starts_at, Assignment.id)
    )


@cache
def _places_of_people(dialect: str) -> Any:
    """Return :func:`places_query` of some people in a window, built once with bound parameters.

    Building the statement was a third of reading a page's few places (/warnings' sparklines).
    """
    return _live_places(dialect, Assignment.organisation_id == bindparam("org_id")).where(
        Shift.starts_at >= bindparam("since"), Shift.starts_at < bindparam("until"),
        Assignment.membership_id.in_(bindparam("ids", expanding=True)))


@cache
def _places_of_listed(dialect: str, listed: int) -> Any:
    """:func:`_places_of_people` for ``listed`` people as plain parameters (``sql_lists``), compiled once per
    number of people (``core.compiled_sql``): run through ``execute``, making the statement's cache key and
    expanding its list again was half of reading the shift panel's candidates' places."""
    return _live_places(dialect, Assignment.organisation_id == bindparam("org_id")).where(
        Shift.starts_at >= bindparam("since"), Shift.starts_at < bindparam("until"),
        sql_lists.any_of(Assignment.membership_id, "ids", listed))


#: people whose places are read with one plain parameter each (:func:`_places_of_listed`); more: one list
MAX_LISTED = 64


def iter_places(org: Organisation, membership_ids: Iterable[int] | None, since: datetime | None,
                until: datetime | None, *, batch: int = 10_000) -> Iterator[PlaceRow]:
    """Yield live places starting in ``[since, until)`` by person then start, in one streamed query."""
    db.session.flush()  # a Core read on the session's connection does not autoflush
    connection = db.session.connection()
    dialect = connection.dialect.name
    sqlite = dialect == "sqlite"
    options = {"yield_per": batch}
    ids = None if membership_ids is None else list(membership_ids)
    result: Iterable[Any]
    if ids is not None and 0 < len(ids) <= MAX_LISTED and since is not None and until is not None:
        result = compiled_sql.rows_of(connection, _places_of_listed, (dialect, len(ids)), {
            "org_id": org.id, "since": since, "until": until, **sql_lists.bound("ids", ids)})
    elif ids is not None and since is not None and until is not None:
        result = connection.execute(_places_of_people(dialect), {
            "org_id": org.id, "since": since, "until": until, "ids": ids},
            execution_options=options)
    else:
        result = connection.execute(places_query(org, ids, since, until, dialect=dialect),
                                    execution_options=options)
    parse = datetime.fromisoformat
    for a_id, m_id, s_id, starts_at, ends_at, role, intensity, on_call in result:
        if sqlite:  # UTC instants stored as text without an offset
            starts_at, ends_at = parse(starts_at + "+00:00"), parse(ends_at + "+00:00")
        yield PlaceRow(a_id, m_id, s_id, starts_at, ends_at, role, intensity, bool(on_call))


def first_on_record(org: Organisation, membership_ids: Iterable[int] | None, before: datetime,
                    tz: ZoneInfo) -> dict[int, tuple[date, date | None]]:
    """Return membership id → local dates of their first live place and first intense one, before ``before``.

    Only people with a place before ``before`` are named. A scan reads
    recent places only; these dates keep the spike rule's "35 days of
    history" and the supervision count true to the whole record. One query.
    """
    intense = (cast(Role.intensity, Float) > 1.0) & ~Role.on_call
    stmt = (
        select(Assignment.membership_id, func.min(Shift.starts_at),
               func.min(case((intense, Shift.starts_at))))
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .join(Role, (Role.id == Shift.role_id) & (Role.organisation_id == Shift.organisation_id))
        .where(Assignment.organisation_id == org.id, Assignment.status.not_in(NOT_LIVE),
               Shift.status != "cancelled", Shift.starts_at < before)
        .group_by(Assignment.membership_id)
    )
    if membership_ids is not None:
        stmt = stmt.where(Assignment.membership_id.in_(list(membership_ids)))
    db.session.flush()
    found = {}
    for member_id, first, first_intense in db.session.execute(stmt):
        found[member_id] = (_local_date(first, tz), _local_date(first_intense, tz) if first_intense else None)
    return found


def _local_date(instant: datetime | str, tz: ZoneInfo) -> date:
    """Return the local date of an aggregate's instant (SQLite returns MIN() of a column as its text)."""
    if isinstance(instant, str):
        instant = datetime.fromisoformat(instant)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(tz).date()


def memberships_of(org: Organisation, membership_ids: Iterable[int] | None) -> list[Membership]:
    """Return the memberships whose load is judged (all active and paused ones when ids is None)."""
    stmt = scoped(Membership, org).order_by(Membership.id)
    if membership_ids is None:
        stmt = stmt.where(Membership.status.in_(JUDGED_MEMBERSHIPS))
    else:
        ids = list(membership_ids)
        if not ids:
            return []
        stmt = stmt.where(Membership.id.in_(ids))
    return list(db.session.scalars(stmt))


def schedule_of(membership: Membership, spans: Iterable[ShiftSpan], *, complete_since: date | None = None,
                record: tuple[date, date | None] | None = None, extra: ExtraLoad | None = None) -> VolunteerSchedule:
    """Return a person's schedule, identified by their membership id.

    A scan that read places from ``complete_since`` on passes it, and
    ``record``: the person's first place and first intense place before
    then (:func:`first_on_record`). ``extra`` is their load from outside the
    rota (:mod:`.load_sources`): logged time and open cases, judged against
    the membership's ``caseload_limit``.
    """
    pledge = membership.pledged_hours_per_week
    return VolunteerSchedule(
        id=str(membership.id), pledged_hours_per_week=None if pledge is None else float(pledge),
        shifts=tuple(sorted(spans, key=lambda span: span.start)),
        last_supervised_on=membership.last_supervised_on, complete_since=complete_since,
        first_shift_on=record[0] if record else None, first_intense_on=record[1] if record else None,
        logged=tuple(sorted(extra.logged, key=lambda entry: entry.on)) if extra else (),
        open_cases=extra.open_cases if extra else None, caseload_limit=membership.caseload_limit)


def schedules_for(org: Organisation, membership_ids: Iterable[int] | None, since: datetime | None,
                  until: datetime | None) -> dict[int, VolunteerSchedule]:
    """Return membership id → schedule of live places starting in ``[since, until)``.

    ``membership_ids`` of ``None`` means every active or paused member; named
    members get a schedule even when they hold no place. Each carries the
    registered sources' load from outside the rota in the same window.
    Two queries, and the sources' own.
    """
    ids = None if membership_ids is None else list(membership_ids)
    members = memberships_of(org, ids)
    spans: dict[int, list[ShiftSpan]] = {m.id: [] for m in members}
    for row in iter_places(org, [m.id for m in members] if ids is not None else None, since, until):
        if row.membership_id in spans:
            spans[row.membership_id].append(row.span())
    extra = extra_load(org, [m.id for m in members] if ids is not None else None, since, until)
    return {m.id: schedule_of(m, spans[m.id], extra=extra.get(m.id)) for m in members}
