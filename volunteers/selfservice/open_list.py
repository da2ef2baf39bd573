"""/me/shifts/open in one pass per organisation: a page of open shifts and the full ones beside it (issue 13).

The page used to read and judge twice: ``open_pages.open_page`` for the open
shifts and ``waiting_list_pages.full_shifts`` for the full ones, each loading
the volunteer as a candidate (five statements) and the places held by
waiting-list offers, and each reading whole ``Shift`` entities with their role,
the role's qualifications and the site. Here the candidate is loaded once per
organisation and judges both lists; places held by offers are counted inside
the shift reads; and only the columns the page shows are read, as rows, with
the strings the template prints (times in the organisation's zone, form
actions) made once per row in Python.

The answers are those of ``open_pages.open_page`` (the API's list, kept as it
is) and of the full shifts of the same stretch of time: the same keyset
batches, the same eligibility check (``rota.domain.eligibility.check``).
Statements are built once per organisation and shape (``functools.lru_cache``;
a Select is immutable) and take the request's values as bound parameters.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from flask import url_for
from sqlalchemy import Integer, Select, String, and_, bindparam, cast, distinct, exists, func, or_, select
from sqlalchemy.engine import Row

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import format_span, local_date, to_local, zone
from volunteers.extensions import db
from volunteers.people.domain.availability import WeeklyWindow
from volunteers.people.models import AvailabilityWindow, Leave, Membership, Person, PersonQualification, Qualification
from volunteers.rota.candidates import _BUSY_MARGIN, busy_duties
from volunteers.rota.domain.eligibility import Candidate, OpenShift, check
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Role, RoleQualification, Shift, Site
from volunteers.selfservice.domain import waiting_list as rules
from volunteers.selfservice.open_pages import FIRST_BATCH, MAX_BATCH, PAGE_SIZE, Filters, Key
from volunteers.selfservice.services import OPEN_SHIFT_DAYS
from volunteers.selfservice.waiting_list_models import WaitingListEntry
from volunteers.selfservice.waiting_list_pages import positions_of

#: joins a role's qualification ids, or a member's availability windows or leave, in one column. Only
#: numbers, dates and times are joined, never user text: a qualification's name may hold any character
_SEP = "\x1f"
#: no filter: every open shift
_ANY = Filters()
#: a shift id no shift has, to cut URLs into the parts before and after the id
_PLACEHOLDER = 987654321


@dataclass(frozen=True, slots=True)
class OpenRow:
    """An open shift I may take, as /me/shifts/open shows it."""

    id: int
    starts_at: datetime
    when: str  #: "Tue 3 Nov, 09:00–12:00", in the organisation's zone
    role: str
    site: str
    org: str  #: the organisation's name (shown when I have several)
    places_left: int
    action: str  #: the sign-up form's URL


@dataclass(frozen=True, slots=True)
class FullRow:
    """A full shift I could take: join its waiting list, or where I am on it."""

    id: int
    starts_at: datetime
    when: str
    role: str
    site: str
    org: str
    entry_id: int | None  #: my entry on its list, if I am on it
    entry_status: str | None
    position: int | None
    action: str  #: join the list, or leave it (with my entry)


@dataclass(frozen=True)
class OpenList:
    """A page of open shifts (as ``open_pages.OpenPage``) and the full shifts of the same stretch."""

    items: list[OpenRow]
    full: list[FullRow]
    earlier: Key | None
    later: Key | None


def _columns() -> tuple[Any, ...]:
    """What a page shows of a shift and what judging it needs, with counts as correlated subqueries."""
    on = (select(func.count(distinct(Assignment.membership_id)))
          .where(Assignment.organisation_id == Shift.organisation_id, Assignment.shift_id == Shift.id,
                 Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES)).correlate(Shift).scalar_subquery())
    mine = exists().where(Assignment.organisation_id == Shift.organisation_id, Assignment.shift_id == Shift.id,
                          Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),
                          Assignment.membership_id == bindparam("member")).correlate(Shift)
    needs = (select(func.aggregate_strings(cast(Qualification.id, String), _SEP))
             .select_from(RoleQualification)
             .join(Qualification, (Qualification.id == RoleQualification.qualification_id)
                   & (Qualification.organisation_id == RoleQualification.organisation_id))
             .where(RoleQualification.organisation_id == Shift.organisation_id,
                    RoleQualification.role_id == Shift.role_id).correlate(Shift).scalar_subquery())
    return (Shift.id, Shift.starts_at, Shift.ends_at, Shift.needed, Shift.role_id, Shift.site_id,
            Role.name.label("role"), Role.intensity, Role.on_call, Role.priority, Site.name.label("site"),
            needs.label("needs"), on.label("on"), mine.label("mine"))


def _held() -> Any:
    """Places of the shift held by waiting-list offers: full to a newcomer."""
    return func.coalesce(
        select(func.count()).where(WaitingListEntry.organisation_id == Shift.organisation_id,
                                   WaitingListEntry.shift_id == Shift.id,
                                   WaitingListEntry.status == rules.OFFERED).correlate(Shift).scalar_subquery(), 0)


def _base(org_id: int, role: bool, site: bool, columns: tuple[Any, ...]) -> Select:
    stmt = (scoped(Shift, org_id, *columns)
            .join(Role, Role.id == Shift.role_id).join(Site, Site.id == Shift.site_id)
            .where(Shift.status == "planned", Shift.published_at.is_not(None),
                   Shift.published_at <= bindparam("now"), Shift.starts_at > bindparam("now"),
                   Shift.starts_at < bindparam("end")))
    if role:
        stmt = stmt.where(Shift.role_id == bindparam("role"))
    if site:
        stmt = stmt.where(Shift.site_id == bindparam("site"))
    return stmt


@lru_cache(maxsize=512)
def _open_read(org_id: int, forward: bool, cursor: bool, role: bool, site: bool, day: bool, days: bool) -> Select:
    """The batch read of open shifts: one organisation, one direction, the filters given."""
    stmt = _base(org_id, role, site, _columns()).where(
        Shift.filled < Shift.needed, Shift.needed - Shift.filled - _held() > 0)
    if day:
        stmt = stmt.where(Shift.local_date == bindparam("day"))
    if days:
        stmt = stmt.where(Shift.local_date.in_(bindparam("days", expanding=True)))
    if cursor:
        when: Any = bindparam("when")
        ident: Any = bindparam("ident")
        stmt = stmt.where(or_(Shift.starts_at > when, and_(Shift.starts_at == when, Shift.id > ident)) if forward
                          else or_(Shift.starts_at < when, and_(Shift.starts_at == when, Shift.id < ident)))
    order = (Shift.starts_at, Shift.id) if forward else (Shift.starts_at.desc(), Shift.id.desc())
    return stmt.order_by(*order).limit(bindparam("batch", type_=Integer))


@lru_cache(maxsize=512)
def _full_read(org_id: int, since: bool, until: bool, role: bool, site: bool) -> Select:
    """The full shifts of a stretch, with my entry on each one's waiting list (at most one is on a list)."""
    entry = and_(WaitingListEntry.organisation_id == Shift.organisation_id, WaitingListEntry.shift_id == Shift.id,
                 WaitingListEntry.membership_id == bindparam("member"), WaitingListEntry.status.in_(rules.ON_LIST))
    stmt = (_base(org_id, role, site, (*_columns(), WaitingListEntry.id.label("entry_id"),
                                        WaitingListEntry.status.label("entry_status")))
            .outerjoin(WaitingListEntry, entry)
            .where(Shift.needed - Shift.filled - _held() <= 0))
    if since:
        stmt = stmt.where(Shift.starts_at >= bindparam("since"))
    if until:
        stmt = stmt.where(Shift.starts_at < bindparam("until"))
    return stmt.order_by(Shift.starts_at, Shift.id)


#: separates the fields of one aggregated item (a window's day and times, a leave's first and last days)
_FIELD = "\x1e"


def _text(column: Any) -> Any:
    return func.coalesce(cast(column, String), "")


@lru_cache(maxsize=512)
def _candidate_read(org_id: int) -> Select:
    """A member as a candidate: who they are, one row per qualification they hold (its id, name and expiry
    as columns: a name is user text and is never joined into a string), with their weekly availability and
    the leave touching [first, last] aggregated as text on every row — what ``load_candidates`` reads in
    four statements, in one."""
    member: Any = bindparam("member")
    windows = (select(func.aggregate_strings(_text(AvailabilityWindow.weekday) + _FIELD
                                             + _text(AvailabilityWindow.start_time) + _FIELD
                                             + _text(AvailabilityWindow.end_time), _SEP))
               .where(AvailabilityWindow.organisation_id == org_id, AvailabilityWindow.membership_id == member)
               .scalar_subquery())
    leave = (select(func.aggregate_strings(_text(Leave.starts_on) + _FIELD + _text(Leave.ends_on), _SEP))
             .where(Leave.organisation_id == org_id, Leave.membership_id == member,
                    Leave.starts_on <= bindparam("last"), Leave.ends_on >= bindparam("first"))
             .scalar_subquery())
    return (scoped(Membership, org_id, Membership.id, Person.name, Membership.pledged_hours_per_week,
                   Membership.last_supervised_on, Qualification.id.label("qual_id"),
                   Qualification.name.label("qual"), PersonQualification.expires_on,
                   windows.label("windows"), leave.label("leave"))
            .join(Person, Person.id == Membership.person_id)
            .outerjoin(PersonQualification, (PersonQualification.organisation_id == org_id)
                       & (PersonQualification.membership_id == Membership.id))
            .outerjoin(Qualification, (Qualification.id == PersonQualification.qualification_id)
                       & (Qualification.organisation_id == PersonQualification.organisation_id))
            .where(Membership.id == member, Membership.status == "active"))


def _items(text: str | None) -> list[list[str]]:
    return [item.split(_FIELD) for item in text.split(_SEP)] if text else []


def load_candidate(org: Organisation, membership_id: int, start: datetime, end: datetime) -> Candidate | None:
    """Return one active member as ``rota.candidates.load_candidates`` does, in two statements instead of five.

    The member, their qualifications (a row each), availability and leave (aggregated as text and parsed
    here) in one, and their duties through ``busy_duties``.
    """
    found = _load(org, membership_id, start, end)
    return found[0] if found is not None else None


def _load(org: Organisation, membership_id: int, start: datetime,
          end: datetime) -> tuple[Candidate, dict[int, str]] | None:
    """``load_candidate``, and the names of the qualifications the member holds by id."""
    first, last = local_date(start - _BUSY_MARGIN, org.timezone), local_date(end + _BUSY_MARGIN, org.timezone)
    rows = db.session.execute(_candidate_read(org.id), {"member": membership_id, "first": first, "last": last}).all()
    if not rows:
        return None
    row = rows[0]
    held = {r.qual_id: r.qual for r in rows if r.qual_id is not None}
    busy = busy_duties(org, [membership_id], start - _BUSY_MARGIN, end + _BUSY_MARGIN)
    return Candidate(
        id=str(row.id), name=row.name,
        pledged_hours_per_week=float(row.pledged_hours_per_week) if row.pledged_hours_per_week is not None else None,
        qualifications={r.qual: r.expires_on for r in rows if r.qual_id is not None},
        availability=tuple(sorted(WeeklyWindow(int(day), time.fromisoformat(begins), time.fromisoformat(ends))
                                  for day, begins, ends in _items(row.windows))),
        leave=tuple(sorted((date.fromisoformat(a), date.fromisoformat(b)) for a, b in _items(row.leave))),
        busy=tuple(busy.get(membership_id, ())),
        last_supervised_on=row.last_supervised_on,
    ), held


class _Judge:
    """One membership's candidate, loaded at the first shift to judge, and the rows it may take."""

    def __init__(self, membership: Membership, now: datetime, end: datetime) -> None:
        self.membership, self.now, self.end = membership, now, end
        self.org = membership.organisation
        self.tz = zone(self.org.timezone)
        self._candidate: Candidate | None = None
        self._held: dict[int, str] = {}  #: the names of the qualifications I hold, by id
        self._loaded = False
        #: a role's qualification ids as read → their names, or None when I lack one of them
        self._needs: dict[str | None, tuple[str, ...] | None] = {}

    def candidate(self) -> Candidate | None:
        if not self._loaded:
            found = _load(self.org, self.membership.id, self.now, self.end)
            if found is not None:
                self._candidate, self._held = found
            self._loaded = True
        return self._candidate

    def _names(self, needs: str | None) -> tuple[str, ...] | None:
        """The names of the qualifications a role needs (its ids as read), or None when I lack one:
        ``check`` would find "has no ..." against every shift of the role."""
        ids = [int(part) for part in needs.split(_SEP)] if needs else []
        if any(ident not in self._held for ident in ids):
            return None
        return tuple(sorted(self._held[ident] for ident in ids))

    def may_take(self, row: Row[Any]) -> bool:
        """Whether I may take the shift (not on it already, and ``check`` finds nothing against it)."""
        candidate = self.candidate()
        if candidate is None or row.mine:
            return False
        if row.needs in self._needs:  # a few roles for many shifts: each one's list is split once
            needs = self._needs[row.needs]
        else:
            needs = self._needs[row.needs] = self._names(row.needs)
        if needs is None:
            return False
        value = OpenShift(id=str(row.id), start=row.starts_at, end=row.ends_at, role=row.role, site=row.site,
                          required_qualifications=needs, needed=row.needed, intensity=float(row.intensity),
                          on_call=row.on_call, priority=row.priority)
        return not check(candidate, value, self.tz)


def _url_parts(endpoint: str, **values: Any) -> tuple[str, str]:
    """The URL of ``endpoint`` cut where the record id goes: one url_for per page, not per row."""
    head, _, tail = url_for(endpoint, **values).partition(str(_PLACEHOLDER))
    return head, tail


def _weekday_dates(now: datetime, end: datetime, tz: Any, weekday: int) -> list[date]:
    first = local_date(now, tz)
    return [d for d in (first + timedelta(days=n) for n in range((local_date(end, tz) - first).days + 1))
            if d.weekday() == weekday]


def _read_open(judge: _Judge, cursor: Key | None, forward: bool, want: int, filters: Filters) -> list[Row[Any]]:
    """Up to ``want`` open shifts I may take past ``cursor`` in the direction asked, read in growing batches."""
    org_id = judge.org.id
    stmt = _open_read(org_id, forward, cursor is not None, filters.role_id is not None,
                      filters.site_id is not None, filters.day is not None, filters.weekday is not None)
    params: dict[str, Any] = {"now": judge.now, "end": judge.end, "member": judge.membership.id,
                              "role": filters.role_id, "site": filters.site_id, "day": filters.day}
    if filters.weekday is not None:
        params["days"] = _weekday_dates(judge.now, judge.end, judge.tz, filters.weekday)
    found: list[Row[Any]] = []
    batch = FIRST_BATCH
    while len(found) < want:
        if cursor is not None:
            params["when"], params["ident"] = cursor
        rows = db.session.execute(stmt, {**params, "batch": batch}).all()
        if not rows:
            break
        if judge.candidate() is None:
            return []
        for row in rows:
            if row.needed - row.on > 0 and judge.may_take(row):
                found.append(row)
                if len(found) >= want:
                    break
        if len(rows) < batch:
            break
        if cursor is None:  # the statement without a cursor was for the first batch only
            stmt = _open_read(org_id, forward, True, filters.role_id is not None, filters.site_id is not None,
                              filters.day is not None, filters.weekday is not None)
        cursor = (rows[-1].starts_at, rows[-1].id)
        batch = min(batch * 2, MAX_BATCH)
    return found


def _matches(filters: Filters, row: Row[Any], tz: Any) -> bool:
    """``open_pages.matches`` for a row: the local day and weekday (role and site are in the read)."""
    if filters.day is None and filters.weekday is None:
        return True
    local = to_local(row.starts_at, tz).date()
    return ((filters.day is None or local == filters.day)
            and (filters.weekday is None or local.weekday() == filters.weekday))


def open_list(
    memberships: list[Membership], now: datetime, *, after: Key | None = None, before: Key | None = None,
    filters: Filters = _ANY, limit: int = PAGE_SIZE, days: int = OPEN_SHIFT_DAYS,
) -> OpenList:
    """Return a page of the open shifts the members may take and the full shifts of the same stretch.

    Per organisation: the open shifts' batch read (one statement per batch, one
    batch when most are open to me), the candidate (two, once there is a shift
    to judge), the full shifts (one) and their waiting-list positions (one, when
    I am on a list).
    """
    forward = before is None
    end = now + timedelta(days=days)
    judges = [_Judge(m, now, end) for m in memberships if m.status == "active"]
    found: list[tuple[_Judge, Row[Any]]] = []
    for judge in judges:
        found.extend((judge, row) for row in _read_open(judge, after if forward else before, forward,
                                                        limit + 1, filters))
    found.sort(key=lambda pair: (pair[1].starts_at, pair[1].id), reverse=not forward)
    more = len(found) > limit
    page = found[:limit]
    if forward:
        later = (page[-1][1].starts_at, page[-1][1].id) if more else None
        earlier = (page[0][1].starts_at, page[0][1].id) if after is not None and page else None
        since, until = (after[0] if after else None), (later[0] if later else None)
    else:
        page.reverse()
        if not page:  # nothing before the cursor: the first page
            return open_list(memberships, now, filters=filters, limit=limit, days=days)
        earlier = (page[0][1].starts_at, page[0][1].id) if more else None
        later = (page[-1][1].starts_at, page[-1][1].id)
        since, until = (earlier[0] if earlier else None), (before[0] if before else None)
    sign_up = _url_parts("me.sign_up", shift_id=_PLACEHOLDER)
    items = [OpenRow(row.id, row.starts_at, format_span(row.starts_at, row.ends_at, judge.tz), row.role, row.site,
                     judge.org.name, max(0, row.needed - row.on), f"{sign_up[0]}{row.id}{sign_up[1]}")
             for judge, row in page]
    return OpenList(items, _full(judges, filters, since, until), earlier=earlier, later=later)


def _full(judges: list[_Judge], filters: Filters, since: datetime | None, until: datetime | None) -> list[FullRow]:
    """The full shifts from ``since`` (None: now) to before ``until`` (None: the window's end) I may take."""
    taken: list[tuple[_Judge, Row[Any]]] = []
    for judge in judges:
        stmt = _full_read(judge.org.id, since is not None, until is not None, filters.role_id is not None,
                          filters.site_id is not None)
        rows = db.session.execute(stmt, {"now": judge.now, "end": judge.end, "member": judge.membership.id,
                                         "since": since, "until": until, "role": filters.role_id,
                                         "site": filters.site_id}).all()
        taken.extend((judge, row) for row in rows if _matches(filters, row, judge.tz) and judge.may_take(row))
    entries = [(row.entry_id, judge.org.id, row.id) for judge, row in taken if row.entry_id is not None]
    positions = positions_of(entries) if entries else {}
    join = _url_parts("me.join_waiting_list", shift_id=_PLACEHOLDER)
    leave = _url_parts("me.leave_waiting_list", entry_id=_PLACEHOLDER)
    taken.sort(key=lambda pair: (pair[1].starts_at, pair[1].id))
    return [FullRow(row.id, row.starts_at, format_span(row.starts_at, row.ends_at, judge.tz), row.role, row.site,
                    judge.org.name, row.entry_id, row.entry_status,
                    positions.get(row.entry_id) if row.entry_id is not None else None,
                    f"{join[0]}{row.id}{join[1]}" if row.entry_id is None
                    else f"{leave[0]}{row.entry_id}{leave[1]}")
            for judge, row in taken]
