"""The statements of /me/shifts/open: the open shifts' batches, the full shifts beside them (issue 13).

Built once per organisation and shape (``functools.lru_cache``; a Select is
immutable), taking the request's values as bound parameters. Each reads only
what the page prints or judges, as plain columns read through the session's
connection (no ORM rows), and leaves out in SQL the shifts the volunteer can
never take, whatever their time: those they are on already and those whose
role needs a qualification they do not hold (about half the full shifts of the
demo volunteer). What is left is judged in Python (``domain.open_judge``):
a qualification's expiry, availability, leave and clashes depend on the
shift's local time.

On SQLite a shift's instants are read as their stored text and made aware
once per distinct instant (as ``rota.candidates`` reads duties): SQLAlchemy's
parsing of each one was a tenth of the page.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, Select, String, and_, bindparam, cast, distinct, exists, func, or_, select, type_coerce

from volunteers.core.sql_lists import one_of, separator
from volunteers.core.tenancy import scoped
from volunteers.people.models import PersonQualification, Qualification
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Role, RoleQualification, Shift, Site
from volunteers.selfservice.domain import waiting_list as rules
from volunteers.selfservice.waiting_list_models import WaitingListEntry

#: joins a role's qualification ids in one column. Only numbers are joined, never user text
SEP = "\x1f"


def _instants(sqlite: bool) -> tuple[Any, Any]:
    if sqlite:
        return type_coerce(Shift.starts_at, String()).label("starts_at"), type_coerce(Shift.ends_at, String())
    return Shift.starts_at, Shift.ends_at


def _needs() -> Any:
    """The ids of the qualifications the shift's role needs, joined (None: it needs none)."""
    return (select(func.aggregate_strings(cast(Qualification.id, String), separator(SEP)))
            .select_from(RoleQualification)
            .join(Qualification, (Qualification.id == RoleQualification.qualification_id)
                  & (Qualification.organisation_id == RoleQualification.organisation_id))
            .where(RoleQualification.organisation_id == Shift.organisation_id,
                   RoleQualification.role_id == Shift.role_id).correlate(Shift).scalar_subquery())


def _i_hold_it() -> Any:
    """The qualification a role requires (``RoleQualification``, from the enclosing statement) is one I hold."""
    return exists().where(PersonQualification.organisation_id == RoleQualification.organisation_id,
                          PersonQualification.membership_id == bindparam("member"),
                          PersonQualification.qualification_id == RoleQualification.qualification_id)


def _never_mine() -> tuple[Any, Any]:
    """Shifts I may never take: I am on it, or its role needs a qualification I do not hold (by id, as
    ``open_judge.names_of`` asks of the qualifications the candidate read found)."""
    mine = exists().where(Assignment.organisation_id == Shift.organisation_id, Assignment.shift_id == Shift.id,
                          one_of(Assignment.status, ACTIVE_ASSIGNMENT_STATUSES),
                          Assignment.membership_id == bindparam("member")).correlate(Shift)
    held = _i_hold_it()
    lacks = (select(RoleQualification.role_id)
             .join(Qualification, (Qualification.id == RoleQualification.qualification_id)
                   & (Qualification.organisation_id == RoleQualification.organisation_id))
             .where(RoleQualification.organisation_id == Shift.organisation_id,
                    RoleQualification.role_id == Shift.role_id, ~held).correlate(Shift).exists())
    return ~mine, ~lacks


def _never_mine_listed(org_id: int) -> tuple[Any, Any]:
    """``_never_mine``'s two conditions as lists read once per statement rather than once per shift: the
    shifts I am on, and the roles needing a qualification I do not hold. On SQLite the full shifts' read
    took 0.60 ms with the per-shift subqueries, 0.40 with the lists (demo volunteer, 157 full shifts read)."""
    mine = select(Assignment.shift_id).where(Assignment.organisation_id == org_id,
                                             Assignment.membership_id == bindparam("member"),
                                             one_of(Assignment.status, ACTIVE_ASSIGNMENT_STATUSES))
    held = _i_hold_it()
    lacking = (select(RoleQualification.role_id)
               .join(Qualification, (Qualification.id == RoleQualification.qualification_id)
                     & (Qualification.organisation_id == RoleQualification.organisation_id))
               .where(RoleQualification.organisation_id == org_id, ~held))
    return Shift.id.not_in(mine), Shift.role_id.not_in(lacking)


def _held() -> Any:
    """Places of the shift held by waiting-list offers: full to a newcomer."""
    return func.coalesce(
        select(func.count()).where(WaitingListEntry.organisation_id == Shift.organisation_id,
                                   WaitingListEntry.shift_id == Shift.id,
                                   # the word written in, not bound: with ``status = ?`` SQLite took 0.27 ms
                                   # for the open shifts' batch, with ``IN ('offered')`` 0.12 (full: 0.42 -> 0.27)
                                   one_of(WaitingListEntry.status, (rules.OFFERED,)))
        .correlate(Shift).scalar_subquery(), 0)


def _base(org_id: int, role: bool, site: bool, sqlite: bool, *columns: Any, listed: bool = False) -> Select:
    """id, starts_at, ends_at, role, site, needs and ``columns`` of the published planned shifts in the window
    that I am not on and hold the qualifications for (``listed``: by ``_never_mine_listed``)."""
    stmt = (scoped(Shift, org_id, Shift.id, *_instants(sqlite), Role.name.label("role"),
                    Site.name.label("site"), _needs().label("needs"), *columns)
            .join(Role, Role.id == Shift.role_id).join(Site, Site.id == Shift.site_id)
            .where(Shift.status == "planned", Shift.published_at.is_not(None),
                   Shift.published_at <= bindparam("now"), Shift.starts_at > bindparam("now"),
                   Shift.starts_at < bindparam("end"),
                   *(_never_mine_listed(org_id) if listed else _never_mine())))
    if role:
        stmt = stmt.where(Shift.role_id == bindparam("role"))
    if site:
        stmt = stmt.where(Shift.site_id == bindparam("site"))
    return stmt


@lru_cache(maxsize=512)
def open_read(org_id: int, forward: bool, cursor: bool, role: bool, site: bool, day: bool, days: bool,
              sqlite: bool) -> Select:
    """The batch read of open shifts (then ``needed`` and the people on it): one organisation, one direction,
    the filters given."""
    on = (select(func.count(distinct(Assignment.membership_id)))
          .where(Assignment.organisation_id == Shift.organisation_id, Assignment.shift_id == Shift.id,
                 one_of(Assignment.status, ACTIVE_ASSIGNMENT_STATUSES)).correlate(Shift).scalar_subquery())
    stmt = _base(org_id, role, site, sqlite, Shift.needed, on).where(
        Shift.filled < Shift.needed, Shift.needed - Shift.filled - _held() > 0)
    if day:
        stmt = stmt.where(Shift.local_date == bindparam("day"))
    if days:
        stmt = stmt.where(Shift.local_date.in_(bindparam("days", expanding=True)))
    if cursor:
        when: Any = bindparam("when", type_=Shift.starts_at.type)
        ident: Any = bindparam("ident")
        stmt = stmt.where(or_(Shift.starts_at > when, and_(Shift.starts_at == when, Shift.id > ident)) if forward
                          else or_(Shift.starts_at < when, and_(Shift.starts_at == when, Shift.id < ident)))
    order = (Shift.starts_at, Shift.id) if forward else (Shift.starts_at.desc(), Shift.id.desc())
    return stmt.order_by(*order).limit(bindparam("batch", type_=Integer))


@lru_cache(maxsize=512)
def full_read(org_id: int, since: bool, until: bool, role: bool, site: bool, sqlite: bool) -> Select:
    """The full shifts of a stretch (then my entry on each one's waiting list, if I am on it)."""
    entry = and_(WaitingListEntry.organisation_id == Shift.organisation_id, WaitingListEntry.shift_id == Shift.id,
                 WaitingListEntry.membership_id == bindparam("member"), one_of(WaitingListEntry.status, rules.ON_LIST))
    stmt = (_base(org_id, role, site, sqlite, WaitingListEntry.id, WaitingListEntry.status, listed=True)
            .outerjoin(WaitingListEntry, entry)
            # a shift whose places are all taken is full whatever is held (held >= 0): most full shifts are, and
            # SQLite then skips the count of held places for them (demo volunteer: 0.46 -> 0.37 ms, best of 15)
            .where(or_(Shift.filled >= Shift.needed, Shift.needed - Shift.filled - _held() <= 0)))
    if since:
        stmt = stmt.where(Shift.starts_at >= bindparam("since", type_=Shift.starts_at.type))
    if until:
        stmt = stmt.where(Shift.starts_at < bindparam("until", type_=Shift.starts_at.type))
    return stmt.order_by(Shift.starts_at, Shift.id)




@lru_cache(maxsize=512)
def crossings_read(org_id: int) -> Select:
    """The instants at which the page's rows change with the clock alone (``domain.open_steady``), read at
    each page made to be kept: the next start after now, the first start at or past the window's end and past
    the candidate's far end, and the next publication of a shift starting in the window. Each is a range of
    the shifts' (organisation, start) index; the shift's status is not asked (a sooner instant is only a page
    made again sooner)."""
    def first_start(*where: Any) -> Any:
        return scoped(Shift, org_id, func.min(Shift.starts_at)).where(*where).scalar_subquery()

    now: Any = bindparam("now", type_=Shift.starts_at.type)
    end: Any = bindparam("end", type_=Shift.starts_at.type)
    return select(first_start(Shift.starts_at > now).label("next_start"),
                  first_start(Shift.starts_at >= end).label("past_end"),
                  first_start(Shift.starts_at >= bindparam("far", type_=Shift.starts_at.type)).label("past_far"),
                  scoped(Shift, org_id, func.min(Shift.published_at))
                  .where(Shift.starts_at > now, Shift.starts_at < end, Shift.published_at > now)
                  .scalar_subquery().label("next_published"))
