"""What the pages show of the waiting lists: mine on /me/shifts, places on a list, a shift's list on its panel.

Each is a fixed number of statements whatever the number of entries (the
query-count tests of /me/shifts and /me/shifts/open hold them to it). The
full shifts to join on /me/shifts/open are read with the open ones
(``selfservice.open_list``), judged by the same candidate.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from volunteers.core.compiled_sql import rows_of
from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.sql_lists import one_of
from volunteers.core.timeutil import format_span, format_time
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.rota.models import Shift
from volunteers.selfservice.domain import waiting_list as rules
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
    return positions_of([(e.id, e.organisation_id, e.shift_id) for e in entries])


def positions_of(entries: list[tuple[int, int, int]]) -> dict[int, int]:
    """Return each entry's 1-based position on its shift's list, in one statement.

    ``entries`` are (entry id, organisation id, shift id): what a page read of them, without the records.
    """
    others = db.session.execute(
        select(WaitingListEntry.id, WaitingListEntry.organisation_id, WaitingListEntry.shift_id,
               WaitingListEntry.membership_id, WaitingListEntry.joined_at, WaitingListEntry.status,
               WaitingListEntry.offer_slot)
        .where(WaitingListEntry.organisation_id.in_({org_id for _, org_id, _ in entries}),
               WaitingListEntry.shift_id.in_({shift_id for _, _, shift_id in entries}),
               WaitingListEntry.status.in_(rules.ON_LIST))).all()
    queues: dict[tuple[int, int], list[rules.QueuedPerson]] = {}
    for row in others:
        queues.setdefault((row.organisation_id, row.shift_id), []).append(
            rules.QueuedPerson(row.id, row.membership_id, row.joined_at, row.status, row.offer_slot))
    return {entry_id: rules.position(queues.get((org_id, shift_id), []), entry_id) or 1
            for entry_id, org_id, shift_id in entries}


@dataclass(frozen=True)
class PanelEntry:
    """One person on a shift's list, for the coordinator's shift panel."""

    position: int
    name: str
    status: str
    until: datetime | None


@cache
def _panel_entries() -> Select:
    """:func:`panel_entries`' statement, built once (run with ``org`` and ``shift_id``, limited to the
    organisation as ``core.tenancy.scoped`` writes it): building it on every panel was a tenth of its reads. The
    statuses on a list are written in (``sql_lists.one_of``), so that it compiles to one SQL text."""
    return (
        select(WaitingListEntry.status, WaitingListEntry.offer_expires_at, Person.name)
        .join(Membership, (Membership.id == WaitingListEntry.membership_id)
              & (Membership.organisation_id == WaitingListEntry.organisation_id))
        .join(Person, Person.id == Membership.person_id)
        .where(WaitingListEntry.organisation_id == bindparam("org"), WaitingListEntry.shift_id == bindparam("shift_id"),
               one_of(WaitingListEntry.status, rules.ON_LIST))
        .order_by(WaitingListEntry.joined_at, WaitingListEntry.id))


def panel_entries(shift: Shift) -> list[PanelEntry]:
    """Return the shift's waiting list in order, names and any open offer's end: one statement, run as SQL
    compiled once (``core.compiled_sql``: ``execute`` made its cache key and result again on every panel)."""
    rows = rows_of(reading_connection(), _panel_entries, (), {"org": shift.organisation_id, "shift_id": shift.id})
    return [PanelEntry(number, name, status, until) for number, (status, until, name) in enumerate(rows, start=1)]
