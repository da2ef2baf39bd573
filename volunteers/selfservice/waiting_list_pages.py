"""What the pages show of the waiting lists: mine on /me/shifts, full shifts to join, a shift's list on its panel.

Each is a fixed number of statements whatever the number of entries (the
query-count tests of /me/shifts and /me/shifts/open hold them to it). Full
shifts are those the volunteer may take by the open shifts' own
eligibility check (``rota.domain.eligibility.check``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import format_span, format_time, zone
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.rota.candidates import load_candidates, open_shifts_for
from volunteers.rota.domain.eligibility import check
from volunteers.rota.models import Role, Shift
from volunteers.selfservice.domain import waiting_list as rules
from volunteers.selfservice.services import OPEN_SHIFT_DAYS
from volunteers.selfservice.waiting_list_models import WaitingListEntry


@dataclass(frozen=True)
class MyEntry:
    """One of my waiting-list entries, for /me/shifts."""

    entry: WaitingListEntry
    org: Organisation
    when: str
    position: int
    until: str | None  #: an open offer's end, local time


def my_entries(memberships: list[Membership], now: datetime) -> list[MyEntry]:
    """Return my entries still on a list (future shifts), each with its position and any open offer: two statements."""
    by_org = {m.organisation_id: m for m in memberships}
    if not by_org:
        return []
    mine = list(db.session.scalars(
        select(WaitingListEntry)
        .join(Shift, (Shift.id == WaitingListEntry.shift_id)
              & (Shift.organisation_id == WaitingListEntry.organisation_id))
        .where(WaitingListEntry.organisation_id.in_(by_org), WaitingListEntry.status.in_(rules.ON_LIST),
               WaitingListEntry.membership_id.in_([m.id for m in memberships]), Shift.starts_at > now)
        .options(joinedload(WaitingListEntry.shift).joinedload(Shift.role),
                 joinedload(WaitingListEntry.shift).joinedload(Shift.site))
        .order_by(Shift.starts_at, WaitingListEntry.id)))
    if not mine:
        return []
    ahead = _positions(mine)
    found = []
    for entry in mine:
        org = by_org[entry.organisation_id].organisation
        until = (format_time(entry.offer_expires_at, org.timezone)
                 if entry.status == rules.OFFERED and entry.offer_expires_at is not None else None)
        found.append(MyEntry(entry, org, format_span(entry.shift.starts_at, entry.shift.ends_at, org.timezone),
                             ahead.get(entry.id, 1), until))
    return found


def _positions(entries: list[WaitingListEntry]) -> dict[int, int]:
    """Return each entry's 1-based position on its shift's list, in one statement."""
    others = db.session.execute(
        select(WaitingListEntry.id, WaitingListEntry.organisation_id, WaitingListEntry.shift_id,
               WaitingListEntry.membership_id, WaitingListEntry.joined_at, WaitingListEntry.status,
               WaitingListEntry.offer_slot)
        .where(WaitingListEntry.organisation_id.in_({e.organisation_id for e in entries}),
               WaitingListEntry.shift_id.in_({e.shift_id for e in entries}),
               WaitingListEntry.status.in_(rules.ON_LIST))).all()
    queues: dict[tuple[int, int], list[rules.QueuedPerson]] = {}
    for row in others:
        queues.setdefault((row.organisation_id, row.shift_id), []).append(
            rules.QueuedPerson(row.id, row.membership_id, row.joined_at, row.status, row.offer_slot))
    return {e.id: rules.position(queues.get((e.organisation_id, e.shift_id), []), e.id) or 1 for e in entries}


@dataclass(frozen=True)
class PanelEntry:
    """One person on a shift's list, for the coordinator's shift panel."""

    position: int
    name: str
    status: str
    until: datetime | None


def panel_entries(shift: Shift) -> list[PanelEntry]:
    """Return the shift's waiting list in order, names and any open offer's end: one statement."""
    rows = db.session.execute(
        scoped(WaitingListEntry, shift.organisation_id, WaitingListEntry.status,
               WaitingListEntry.offer_expires_at, Person.name)
        .join(Membership, (Membership.id == WaitingListEntry.membership_id)
              & (Membership.organisation_id == WaitingListEntry.organisation_id))
        .join(Person, Person.id == Membership.person_id)
        .where(WaitingListEntry.shift_id == shift.id, WaitingListEntry.status.in_(rules.ON_LIST))
        .order_by(WaitingListEntry.joined_at, WaitingListEntry.id)).all()
    return [PanelEntry(number, row.name, row.status, row.offer_expires_at)
            for number, row in enumerate(rows, start=1)]


@dataclass(frozen=True)
class FullShiftItem:
    """A full shift a member could take, for the open-shifts page: join its list, or their place on it."""

    shift: Shift
    membership: Membership
    entry: WaitingListEntry | None
    position: int | None


def full_shifts(
    memberships: list[Membership], now: datetime, days: int = OPEN_SHIFT_DAYS, *,
    since: datetime | None = None, until: datetime | None = None,
) -> list[FullShiftItem]:
    """Return the published full shifts (every place taken or held by an offer) each active member may take.

    The same eligibility as the open shifts (``rota.domain.eligibility.check``);
    a constant number of statements per organisation. ``since``/``until``
    narrow the window to the stretch of time a page of open shifts covers
    (``open_pages``: from ``since`` on, before ``until``).
    """
    items: list[FullShiftItem] = []
    end = now + timedelta(days=days)
    stretch = [Shift.starts_at >= since] if since is not None else []
    if until is not None:
        stretch.append(Shift.starts_at < until)
    for membership in memberships:
        if membership.status != "active":
            continue
        org = membership.organisation
        held = dict(db.session.execute(
            scoped(WaitingListEntry, org, WaitingListEntry.shift_id, func.count())
            .where(WaitingListEntry.status == rules.OFFERED).group_by(WaitingListEntry.shift_id)).all())
        shifts = [s for s in db.session.scalars(
            scoped(Shift, org)
            .where(Shift.status == "planned", Shift.published_at.is_not(None), Shift.published_at <= now,
                   Shift.starts_at > now, Shift.starts_at < end, *stretch,
                   (Shift.filled >= Shift.needed) | Shift.id.in_(list(held)))
            .options(joinedload(Shift.role).joinedload(Role.required_qualifications), joinedload(Shift.site))
            .order_by(Shift.starts_at, Shift.id)).unique()
            if s.needed - s.filled - held.get(s.id, 0) <= 0]
        if not shifts:
            continue
        candidate = load_candidates(org, [membership.id], now, end).get(membership.id)
        if candidate is None:
            continue
        tz, by_id = zone(org.timezone), {s.id: s for s in shifts}
        mine = {e.shift_id: e for e in db.session.scalars(scoped(WaitingListEntry, org).where(
            WaitingListEntry.membership_id == membership.id, WaitingListEntry.status.in_(rules.ON_LIST),
            WaitingListEntry.shift_id.in_(list(by_id))))}
        positions = _positions(list(mine.values())) if mine else {}
        for shift_id, value in open_shifts_for(org, shifts).items():
            if candidate.id in value.assigned or check(candidate, value, tz):
                continue
            entry = mine.get(shift_id)
            items.append(FullShiftItem(by_id[shift_id], membership, entry,
                                       positions.get(entry.id) if entry is not None else None))
    return sorted(items, key=lambda item: (item.shift.starts_at, item.shift.id))
