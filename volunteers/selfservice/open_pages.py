"""One page of the open shifts a volunteer may take: the soonest first, a page at a time (issues 13 and 19).

In a 1,200-volunteer organisation six weeks hold well over a thousand open
shifts; judging and rendering every one on each view took half a second and
688 KB. Here the shifts are read in start order in batches (keyset on
``(starts_at, id)``, each batch twice the last) and judged as they come, and
reading stops once a page and one more are found — the cost grows with the
page, not with the organisation. No total is counted (it would need every
shift judged): the page says whether more come later.

Filters a volunteer uses — role, site, one day, a weekday (the shift's local
date, in the organisation's zone) — narrow the read itself, so a narrow filter
does not mean more batches.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload

from volunteers.core.compiled_sql import rows_of
from volunteers.core.reads import reading_connection
from volunteers.core.sql_lists import any_of, bound
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import local_date, to_local, zone
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.candidates import load_candidates, open_shifts_for
from volunteers.rota.domain.eligibility import check
from volunteers.rota.models import Role, Shift, Site
from volunteers.selfservice.domain import waiting_list as rules
from volunteers.selfservice.services import OPEN_SHIFT_DAYS, OpenShiftItem
from volunteers.selfservice.waiting_list_models import WaitingListEntry

#: open shifts on one page
PAGE_SIZE = 30
#: shifts read in the first batch; each further batch reads twice as many, up to MAX_BATCH
FIRST_BATCH = 64
MAX_BATCH = 1024

Key = tuple[datetime, int]
_CURSOR = re.compile(r"^(\d{8}T\d{6}(?:\.\d{6})?)-(\d{1,18})$")


def encode_key(key: Key) -> str:
    """A page cursor for a URL: the shift's UTC start and id, e.g. ``20261205T090000-123`` (microseconds kept)."""
    when = key[0].astimezone(UTC)
    return f"{when:%Y%m%dT%H%M%S}{f'.{when:%f}' if when.microsecond else ''}-{key[1]}"


def decode_key(text: str | None) -> Key | None:
    """The key a cursor of ``encode_key`` carries, or None for anything else."""
    match = _CURSOR.match(text or "")
    if match is None:
        return None
    try:
        text = match.group(1)
        when = datetime.strptime(text, "%Y%m%dT%H%M%S.%f" if "." in text else "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    return when, int(match.group(2))


@dataclass(frozen=True)
class Filters:
    """What a volunteer narrowed the list to (None: any). ``weekday``: 0 = Monday, local."""

    role_id: int | None = None
    site_id: int | None = None
    day: date | None = None
    weekday: int | None = None


@dataclass(frozen=True)
class OpenPage:
    """Up to a page of open shifts, soonest first, and whether there are earlier or later ones."""

    items: list[OpenShiftItem]
    earlier: Key | None  #: cursor for the "Earlier" link (the first item's key), None on the first page
    later: Key | None  #: cursor for the "Later shifts" link (the last item's key), None when no more
    #: the stretch of time the page covers — from ``since`` (None: now) to before ``until`` (None: the
    #: window's end) — so that the full shifts shown beside it are those of the same stretch
    since: datetime | None = None
    until: datetime | None = None


def _key(shift: Shift) -> Key:
    return shift.starts_at, shift.id


def open_page(
    memberships: list[Membership], now: datetime, *, after: Key | None = None, before: Key | None = None,
    limit: int = PAGE_SIZE, filters: Filters = Filters(), days: int = OPEN_SHIFT_DAYS,
    skip_held: bool = True,
) -> OpenPage:
    """Return the open shifts the members may take after ``after`` (or just before ``before``).

    The same answer as ``services.open_shifts`` cut to a page; ``skip_held``
    leaves out shifts whose free places are all held by waiting-list offers
    (they are full to a newcomer and listed with the full ones). Per
    organisation: one statement for the held places, the member's candidate
    (five) and three per batch read — one batch when most shifts are open to them.
    """
    forward = before is None
    want = limit + 1
    found: list[OpenShiftItem] = []
    for membership in memberships:
        if membership.status == "active":
            found.extend(_eligible(membership, now, now + timedelta(days=days), after if forward else before,
                                   forward, want, filters, skip_held))
    found.sort(key=lambda item: _key(item.shift), reverse=not forward)
    more = len(found) > limit
    items = found[:limit]
    if forward:
        later = _key(items[-1].shift) if more else None
        return OpenPage(items, earlier=_key(items[0].shift) if after is not None and items else None,
                        later=later, since=after[0] if after else None, until=later[0] if later else None)
    items.reverse()
    if not items:  # nothing before the cursor: the first page
        return open_page(memberships, now, limit=limit, filters=filters, days=days, skip_held=skip_held)
    earlier = _key(items[0].shift) if more else None
    return OpenPage(items, earlier=earlier, later=_key(items[-1].shift),
                    since=earlier[0] if earlier else None, until=before[0] if before else None)


def matches(filters: Filters, shift: Shift, tz_name: str) -> bool:
    """Whether a shift is one the filters let through (for lists read without them)."""
    local = to_local(shift.starts_at, tz_name)
    return ((filters.role_id is None or shift.role_id == filters.role_id)
            and (filters.site_id is None or shift.site_id == filters.site_id)
            and (filters.day is None or local.date() == filters.day)
            and (filters.weekday is None or local.weekday() == filters.weekday))


def _eligible(
    membership: Membership, now: datetime, end: datetime, cursor: Key | None, forward: bool, want: int,
    filters: Filters, skip_held: bool,
) -> list[OpenShiftItem]:
    """Up to ``want`` shifts of one membership past ``cursor`` in the direction asked, judged in batches."""
    org = membership.organisation
    tz = zone(org.timezone)
    stmt = (scoped(Shift, org)
            .where(Shift.status == "planned", Shift.published_at.is_not(None), Shift.published_at <= now,
                   Shift.starts_at > now, Shift.starts_at < end, Shift.filled < Shift.needed)
            # role, its qualifications and site joined: one statement per batch
            .options(joinedload(Shift.role).joinedload(Role.required_qualifications), joinedload(Shift.site)))
    if filters.role_id is not None:
        stmt = stmt.where(Shift.role_id == filters.role_id)
    if filters.site_id is not None:
        stmt = stmt.where(Shift.site_id == filters.site_id)
    if filters.day is not None:
        stmt = stmt.where(Shift.local_date == filters.day)
    if filters.weekday is not None:  # the window's local dates on that weekday (six in six weeks)
        first = local_date(now, tz)
        stmt = stmt.where(Shift.local_date.in_(
            [d for d in (first + timedelta(days=n) for n in range((local_date(end, tz) - first).days + 1))
             if d.weekday() == filters.weekday]))
    stmt = stmt.order_by(Shift.starts_at, Shift.id) if forward else stmt.order_by(
        Shift.starts_at.desc(), Shift.id.desc())
    held: dict[int, int] = {}
    candidate = None
    items: list[OpenShiftItem] = []
    batch = FIRST_BATCH
    while len(items) < want:
        read = stmt
        if cursor is not None:
            when, ident = cursor
            read = read.where(or_(Shift.starts_at > when, and_(Shift.starts_at == when, Shift.id > ident))
                              if forward else
                              or_(Shift.starts_at < when, and_(Shift.starts_at == when, Shift.id < ident)))
        shifts = list(db.session.scalars(read.limit(batch)).unique())
        if not shifts:
            break
        if candidate is None:  # read once there is a shift to judge
            candidate = load_candidates(org, [membership.id], now, end).get(membership.id)
            if candidate is None:
                return []
            if skip_held:
                held = {shift_id: n for shift_id, n in db.session.execute(
                    scoped(WaitingListEntry, org, WaitingListEntry.shift_id, func.count())
                    .where(WaitingListEntry.status == rules.OFFERED).group_by(WaitingListEntry.shift_id)).all()}
        values = open_shifts_for(org, shifts)
        for shift in shifts:
            value = values[shift.id]
            if shift.needed - shift.filled - held.get(shift.id, 0) <= 0:
                continue
            if value.open_places and candidate.id not in value.assigned and not check(candidate, value, tz):
                items.append(OpenShiftItem(shift, membership, value.open_places))
                if len(items) >= want:
                    break
        if len(shifts) < batch:
            break
        cursor = _key(shifts[-1])
        batch = min(batch * 2, MAX_BATCH)
    return items


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@lru_cache(maxsize=16)
def _choices(n: int) -> Any:
    """Every role and site not archived of ``n`` organisations (``:ids_0`` …), by kind and name: built once per
    count (building the union was half of reading it; an expanding IN list was rewritten on every view)."""
    return union_all(
        select(literal("role").label("kind"), Role.id, Role.name)
        .where(any_of(Role.organisation_id, "ids", n), Role.archived_at.is_(None)),
        select(literal("site").label("kind"), Site.id, Site.name)
        .where(any_of(Site.organisation_id, "ids", n), Site.archived_at.is_(None))).order_by("kind", "name", "id")


def filter_choices(memberships: list[Membership]) -> tuple[list[Choice], list[Choice]]:
    """The roles and sites of the members' organisations, by name, for the filters (one statement)."""
    ids = [m.organisation_id for m in memberships if m.status == "active"]
    if not ids:
        return [], []
    # SQL compiled once per count and dialect (``core.compiled_sql.rows_of``): execute made its cache key again per view
    rows = rows_of(reading_connection(), _choices, (len(ids),), bound("ids", ids))
    return ([Choice(i, n) for kind, i, n in rows if kind == "role"],
            [Choice(i, n) for kind, i, n in rows if kind == "site"])
