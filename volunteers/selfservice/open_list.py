"""/me/shifts/open in one pass per organisation: a page of open shifts and the full ones beside it (issue 13).

The page once read and judged twice (``open_pages.open_page`` for the open
shifts, ``waiting_list_pages.full_shifts`` for the full ones), each with a
candidate of its own and whole ``Shift`` entities. Here one candidate per
organisation judges both lists; the statements (``open_reads``) read plain
columns and leave out in SQL the shifts I can never take; each instant is
converted to the organisation's zone once, for judging and printing alike;
and each shift is judged by ``domain.open_judge.Judge`` (``check``'s answer
without its sentences).

The answers are those of ``open_pages.open_page`` (the API's list, kept as it
is) and of the full shifts of the same stretch of time: the same keyset
batches, the same eligibility (tests/integration/selfservice/
test_open_list_same_answers.py).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from flask import url_for
from sqlalchemy import Connection

from volunteers.core.compiled_sql import rows_of
from volunteers.core.reads import reading_connection
from volunteers.core.timeutil import local_date, zone
from volunteers.people.models import Membership
from volunteers.rota.candidates import _BUSY_MARGIN
from volunteers.rota.domain.eligibility import Candidate
from volunteers.selfservice.domain.open_judge import Days, Judge, names_of, span_text
from volunteers.selfservice.domain.open_steady import steady_until
from volunteers.selfservice.open_candidate import load_with_held
from volunteers.selfservice.open_pages import FIRST_BATCH, MAX_BATCH, PAGE_SIZE, Filters, Key
from volunteers.selfservice.open_reads import SEP, crossings_read, full_read, open_read
from volunteers.selfservice.services import OPEN_SHIFT_DAYS
from volunteers.selfservice.waiting_list_pages import positions_of

#: no filter: every open shift
_ANY = Filters()
#: a shift id no shift has, to cut URLs into the parts before and after the id
_PLACEHOLDER = 987654321


class OpenRow(NamedTuple):
    """An open shift I may take, as /me/shifts/open shows it."""

    id: int
    starts_at: datetime
    when: str  #: "Tue 3 Nov, 09:00–12:00", in the organisation's zone
    role: str
    site: str
    org: str  #: the organisation's name (shown when I have several)
    places_left: int
    action: str  #: the sign-up form's URL


class FullRow(NamedTuple):
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


class OpenList(NamedTuple):
    """A page of open shifts (as ``open_pages.OpenPage``) and the full shifts of the same stretch."""

    items: list[OpenRow]
    full: list[FullRow]
    earlier: Key | None
    later: Key | None
    #: until when the page stays the same if no row changes (``open_list(steady=True)``; None: not asked)
    steady_until: datetime | None = None


#: makes a row as its class's own ``__new__`` does (``tuple.__new__`` of its values), without that Python call
_row = tuple.__new__

#: a shift I may take, as judged: (aware UTC start, local start, its time as printed)
Slot = tuple[datetime, datetime, str]
#: members whose judged slots a worker keeps; all dropped together past this (a slot is ~0.5 KB: at most
#: 64 x 512 slots, ~16 MB, in a worker whose volunteers all browse far ahead; a view judges 100-200)
KEPT_AT_MOST = 64
#: slots kept per member (``now`` moving on adds new ones): past this those of shifts begun go, then all
SLOTS_AT_MOST = 512


class _Kept(NamedTuple):
    """A member's judged slots and what judged them: served again only while all of that is equal."""

    tz_name: str
    candidate: Candidate
    held: dict[int, str]
    #: (start, end, needs) as read → the slot, or None when I may not take it
    slots: dict[tuple[Any, Any, str | None], Slot | None]


#: per worker, by (organisation, membership, SQLite): see ``_Member.judge``
_KEPT: dict[tuple[int, int, bool], _Kept] = {}


class _Member:
    """One membership: its candidate's judge (loaded at the first shift to judge) and its instants in its zone.

    Whether I may take a shift, and its time as printed, depend only on its start, end and the qualifications
    its role needs as read, the candidate read, the qualifications I hold and the zone: the answers are kept
    between views (``_KEPT``, per worker) and served again only while the candidate, the qualifications and
    the zone read now equal those they were made with (and each answer only for the same three values read
    now) — most views judge and print nothing again.
    """

    def __init__(self, membership: Membership, now: datetime, end: datetime, sqlite: bool) -> None:
        self.membership, self.now, self.end, self.sqlite = membership, now, end, sqlite
        self.org = membership.organisation
        self.org_name = self.org.name  #: read once, not through the ORM attribute on every row
        self.tz = zone(self.org.timezone)
        self.days = Days()
        self._judge: Judge | None = None
        self._held: dict[int, str] = {}  #: the names of the qualifications I hold, by id
        self._loaded = False
        #: a role's qualification ids as read → their names (None: I lack one)
        self._needs: dict[str | None, tuple[str, ...] | None] = {None: ()}
        #: an instant as read → (aware UTC, local)
        self._instants: dict[Any, tuple[datetime, datetime]] = {}
        self._slots: dict[tuple[Any, Any, str | None], Slot | None] = {}

    def judge(self) -> Judge | None:
        if not self._loaded:
            found = load_with_held(self.org, self.membership.id, self.now, self.end)
            if found is not None:
                candidate, self._held = found
                self._judge = Judge(candidate)
                key = (self.org.id, self.membership.id, self.sqlite)
                kept = _KEPT.get(key)
                if (kept is None or kept.tz_name != self.org.timezone or kept.candidate != candidate
                        or kept.held != self._held):
                    if len(_KEPT) >= KEPT_AT_MOST:
                        _KEPT.clear()
                    kept = _KEPT[key] = _Kept(self.org.timezone, candidate, self._held, {})
                self._slots = kept.slots
            self._loaded = True
        return self._judge

    def busy_ends(self) -> list[datetime]:
        """The ends of the duties the candidate was read with (none when no shift needed judging)."""
        return [end for _, end in self._judge.candidate.busy] if self._judge is not None else []

    def slot(self, starts: Any, ends: Any, needs: str | None) -> Slot | None:
        """The shift from ``starts`` to ``ends`` (as read) whose role needs ``needs``, if I may take it."""
        key = (starts, ends, needs)
        try:
            return self._slots[key]
        except KeyError:
            pass
        (start, local_start), (end, local_end) = self.instant(starts), self.instant(ends)
        found = ((start, local_start, span_text(local_start, local_end, self.days))
                 if self.may_take(needs, start, end, local_start, local_end) else None)
        if len(self._slots) >= SLOTS_AT_MOST:
            self._forget_begun()
        self._slots[key] = found
        return found

    def _forget_begun(self) -> None:
        """Make room among the kept slots: those of shifts begun by now go (no view asks for them again); if
        that leaves more than half, all go."""
        for key in [key for key in self._slots if self.instant(key[0])[0] <= self.now]:
            del self._slots[key]
        if len(self._slots) > SLOTS_AT_MOST // 2:
            self._slots.clear()

    def instant(self, value: Any) -> tuple[datetime, datetime]:
        """An instant as read (SQLite: its stored UTC text), aware in UTC and in the organisation's zone."""
        found = self._instants.get(value)
        if found is None:
            # the stored text is naive UTC: read with its offset, not ``replace``d (a fifth of the time)
            utc = datetime.fromisoformat(f"{value}+00:00") if self.sqlite else value
            found = self._instants[value] = (utc, utc.astimezone(self.tz))
        return found

    def may_take(self, needs: str | None, start: datetime, end: datetime, local_start: datetime,
                 local_end: datetime) -> bool:
        """Whether I may take the shift (the statement left out those I am on or lack a qualification for)."""
        try:
            names = self._needs[needs]
        except KeyError:  # a few roles for many shifts: each one's list is split once
            names = self._needs[needs] = names_of((int(part) for part in (needs or "").split(SEP)), self._held)
        if names is None:
            return False
        assert self._judge is not None
        return self._judge.may_take(names, start, end, local_start, local_end)


def _url_parts(endpoint: str, **values: Any) -> tuple[str, str]:
    """The URL of ``endpoint`` cut where the record id goes: one url_for per page, not per row."""
    head, _, tail = url_for(endpoint, **values).partition(str(_PLACEHOLDER))
    return head, tail


def _weekday_dates(now: datetime, end: datetime, tz: Any, weekday: int) -> list[date]:
    first = local_date(now, tz)
    return [d for d in (first + timedelta(days=n) for n in range((local_date(end, tz) - first).days + 1))
            if d.weekday() == weekday]


#: an open shift found: (start, id, member, its time as printed, role, site, places left)
_Found = tuple[datetime, int, _Member, str, str, str, int]


def _read_open(conn: Connection, member: _Member, cursor: Key | None, forward: bool, want: int,
               filters: Filters) -> list[_Found]:
    """Up to ``want`` open shifts I may take past ``cursor`` in the direction asked, read in growing batches."""
    shape: tuple[Any, ...] = (member.org.id, forward, cursor is not None, filters.role_id is not None,
                              filters.site_id is not None, filters.day is not None, filters.weekday is not None,
                              member.sqlite)
    params: dict[str, Any] = {"now": member.now, "end": member.end, "member": member.membership.id,
                              "role": filters.role_id, "site": filters.site_id, "day": filters.day}
    if filters.weekday is not None:
        params["days"] = _weekday_dates(member.now, member.end, member.tz, filters.weekday)
    found: list[_Found] = []
    batch = FIRST_BATCH
    instant, slot = member.instant, member.slot
    while len(found) < want:
        if cursor is not None:
            params["when"], params["ident"] = cursor
        params["batch"] = batch
        rows = rows_of(conn, open_read, shape, params)
        if not rows or member.judge() is None:
            break
        for ident, starts, ends, role, site, needs, needed, on in rows:
            if needed - on > 0 and (taken := slot(starts, ends, needs)) is not None:
                found.append((taken[0], ident, member, taken[2], role, site, needed - on))
                if len(found) >= want:
                    break
        if len(rows) < batch:
            break
        if cursor is None:  # the statement without a cursor was for the first batch only
            shape = (shape[0], forward, True, *shape[3:])
        cursor = (instant(rows[-1][1])[0], rows[-1][0])
        batch = min(batch * 2, MAX_BATCH)
    return found


def open_list(
    memberships: list[Membership], now: datetime, *, after: Key | None = None, before: Key | None = None,
    filters: Filters = _ANY, limit: int = PAGE_SIZE, days: int = OPEN_SHIFT_DAYS, steady: bool = False,
) -> OpenList:
    """Return a page of the open shifts the members may take and the full shifts of the same stretch.

    Per organisation: the open shifts' batch read (one statement per batch, one
    batch when most are open to me), the candidate (one, once there is a shift
    to judge), the full shifts (one) and their waiting-list positions (one, when
    I am on a list). ``steady``: and until when the page stays the same with no row changed (one more).
    """
    forward = before is None
    end = now + timedelta(days=days)
    conn = reading_connection()
    sqlite = conn.dialect.name == "sqlite"
    members = [_Member(m, now, end, sqlite) for m in memberships if m.status == "active"]
    found: list[_Found] = []
    for member in members:
        found.extend(_read_open(conn, member, after if forward else before, forward, limit + 1, filters))
    if len(members) > 1:
        found.sort(key=lambda item: (item[0], item[1]), reverse=not forward)
    more = len(found) > limit
    page = found[:limit]
    if forward:
        later = (page[-1][0], page[-1][1]) if more else None
        earlier = (page[0][0], page[0][1]) if after is not None and page else None
        since, until = (after[0] if after else None), (later[0] if later else None)
    else:
        page.reverse()
        if not page:  # nothing before the cursor: the first page
            return open_list(memberships, now, filters=filters, limit=limit, days=days, steady=steady)
        earlier = (page[0][0], page[0][1]) if more else None
        later = (page[-1][0], page[-1][1])
        since, until = (earlier[0] if earlier else None), (before[0] if before else None)
    head, tail = _url_parts("me.sign_up", shift_id=_PLACEHOLDER)
    items = [_row(OpenRow, (ident, start, when, role, site, member.org_name, places, f"{head}{ident}{tail}"))
             for start, ident, member, when, role, site, places in page]
    full = _full(conn, members, filters, since, until)
    return OpenList(items, full, earlier=earlier, later=later,
                    steady_until=_steady_until(conn, members, now, days) if steady and members else None)


def _steady_until(conn: Connection, members: list[_Member], now: datetime, days: int) -> datetime:
    """Until when the page made at ``now`` stays the same if no row changes (``domain.open_steady``): after
    the lists were read, so that each member's candidate, if it was read, gives its duties' ends."""
    window = timedelta(days=days)
    found = []
    for member in members:
        ((next_start, past_end, past_far, published),) = rows_of(
            conn, crossings_read, (member.org.id,),
            {"now": now, "end": now + window, "far": now + window + _BUSY_MARGIN})
        crossings = [next_start, published, past_end and past_end - window,
                     past_far and past_far - window - _BUSY_MARGIN,
                     *(end + _BUSY_MARGIN for end in member.busy_ends())]
        found.append(steady_until(now, member.tz, window, _BUSY_MARGIN, crossings))
    return min(found)


def _full(conn: Connection, members: list[_Member], filters: Filters, since: datetime | None,
          until: datetime | None) -> list[FullRow]:
    """The full shifts from ``since`` (None: now) to before ``until`` (None: the window's end) I may take."""
    day, weekday = filters.day, filters.weekday
    join = _url_parts("me.join_waiting_list", shift_id=_PLACEHOLDER)
    leave = _url_parts("me.leave_waiting_list", entry_id=_PLACEHOLDER)
    full: list[FullRow] = []
    entries: list[tuple[int, int, int]] = []  #: (my entry, its organisation, its shift), for their positions
    for member in members:
        shape = (member.org.id, since is not None, until is not None, filters.role_id is not None,
                 filters.site_id is not None, member.sqlite)
        rows = rows_of(conn, full_read, shape, {"now": member.now, "end": member.end, "member": member.membership.id,
                                                "since": since, "until": until, "role": filters.role_id,
                                                "site": filters.site_id})
        if not rows or member.judge() is None:
            continue
        slot, org_name = member.slot, member.org_name
        for ident, starts, ends, role, site, needs, entry_id, entry_status in rows:
            found = slot(starts, ends, needs)
            if found is None:
                continue
            if day is not None or weekday is not None:  # ``open_pages.matches``: the local day and weekday
                on = found[1].date()
                if (day is not None and on != day) or (weekday is not None and on.weekday() != weekday):
                    continue
            if entry_id is None:
                action = f"{join[0]}{ident}{join[1]}"
            else:
                action = f"{leave[0]}{entry_id}{leave[1]}"
                entries.append((entry_id, member.org.id, ident))
            # the row made as FullRow(...) makes it, without a Python call per row (its position: below)
            full.append(_row(FullRow, (ident, found[0], found[2], role, site, org_name, entry_id, entry_status,
                                       None, action)))
    if len(members) > 1:
        full.sort(key=lambda row: (row.starts_at, row.id))
    if entries:
        positions = positions_of(entries)
        full = [row._replace(position=positions.get(row.entry_id)) if row.entry_id is not None else row
                for row in full]
    return full
