"""What the "My shifts" page shows, built in a fixed number of queries per organisation.

Each shift is formatted in *its* organisation's zone (a person may belong
to organisations in different zones), with who else is on, whether it can
still be cancelled without asking, and any pending offer or request on it.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any, NamedTuple

from flask import url_for
from sqlalchemy import Connection, Select, String, and_, bindparam, exists, select, type_coerce
from sqlalchemy.orm import aliased, joinedload

from volunteers.core.compiled_sql import DriverRows, driver_rows
from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.sql_lists import any_of, bound, one_of
from volunteers.core.timeutil import format_span
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Role, Shift, ShiftOffer, Site
from volunteers.rota.queries import MyPlace
from volunteers.selfservice import announcements, swaps, waiting_list_pages
from volunteers.selfservice.announcement_models import Announcement
from volunteers.selfservice.domain import waiting_list as waiting_rules
from volunteers.selfservice.me_cards import PLACEHOLDER, Links, Zone, cut, kept_past, kept_upcoming
from volunteers.selfservice.services import PENDING, notice_hours
from volunteers.selfservice.waiting_list_models import WaitingListEntry
from volunteers.wellbeing.notes import load_notes, verdicts_probe, verdicts_probe_params, verdicts_probe_sizes

#: how far back "Recent shifts" goes
PAST_DAYS = 60


#: the places of someone with the shift: my own, the other people on a shift yet to end (by name)
_OTHER, _OTHER_MEMBER, _OTHER_PERSON = aliased(Assignment), aliased(Membership), aliased(Person)
@cache
def _my_places_read(sqlite: bool) -> Select:
    """``rota.queries.my_places`` from ``since`` on, and who is on each shift not ended by ``now`` (what a
    second statement read before): a row per place and person on it. Built once, the person and the instants
    bound per request; on SQLite the instants as their stored text (made aware by ``_my_places``)."""
    starts, ends = ((type_coerce(Shift.starts_at, String()), type_coerce(Shift.ends_at, String())) if sqlite
                    else (Shift.starts_at, Shift.ends_at))
    return (
        select(Assignment.id, Assignment.status, Assignment.membership_id, Assignment.organisation_id,
               Shift.id, starts, ends, Role.name, Site.name, Site.address, Shift.status,
               _OTHER.membership_id, _OTHER_PERSON.name)
        .join(Membership, (Membership.id == Assignment.membership_id)
              & (Membership.organisation_id == Assignment.organisation_id))
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .join(Role, (Role.id == Shift.role_id) & (Role.organisation_id == Shift.organisation_id))
        .join(Site, (Site.id == Shift.site_id) & (Site.organisation_id == Shift.organisation_id))
        .outerjoin(_OTHER, (_OTHER.organisation_id == Assignment.organisation_id) & (_OTHER.shift_id == Shift.id)
                   & one_of(_OTHER.status, ACTIVE_ASSIGNMENT_STATUSES) & (Shift.ends_at > bindparam("now")))
        .outerjoin(_OTHER_MEMBER, (_OTHER_MEMBER.id == _OTHER.membership_id)
                   & (_OTHER_MEMBER.organisation_id == _OTHER.organisation_id))
        .outerjoin(_OTHER_PERSON, _OTHER_PERSON.id == _OTHER_MEMBER.person_id)
        .where(Membership.person_id == bindparam("person"), Shift.starts_at >= bindparam("since"),
               one_of(Assignment.status, ACTIVE_ASSIGNMENT_STATUSES))
        .order_by(Shift.starts_at, Assignment.id, _OTHER_PERSON.name)
    )


def place_rows(conn: Connection, person_id: int, since: datetime, now: datetime) -> DriverRows:
    """``_my_places``' statement's rows as the driver gives them (one statement): its SQL compiled once
    (``core.compiled_sql``: ``execute`` made the statement's cache key and set its result up on every view)."""
    return driver_rows(conn, _my_places_read, (conn.dialect.name == "sqlite",),
                       {"person": person_id, "since": since, "now": now})


def _my_places(person_id: int, since: datetime, now: datetime, read: DriverRows | None = None,
               conn: Connection | None = None) -> tuple[list[MyPlace], dict[int, list[str]]]:
    """Return a person's live places in all their organisations from ``since`` on (``rota.queries.my_places``),
    and place id → the names of the others on its shift, for the places not ended by ``now``: one statement
    (``read``: its rows, read already by :func:`place_rows` on ``conn``, the session's connection).

    Plain rows, no ORM step; on SQLite the instants as their stored UTC text, made aware once each
    (SQLAlchemy's parsing and ``replace`` of each was a tenth of the page).
    """
    places: list[MyPlace] = []
    others: dict[int, list[str]] = {}
    conn = conn or reading_connection()
    if read is None:
        read = place_rows(conn, person_id, since, now)
    sqlite = conn.dialect.name == "sqlite"
    instants: dict[Any, datetime] = {}

    def instant(value: Any) -> datetime:
        found = instants.get(value)
        if found is None:
            found = instants[value] = datetime.fromisoformat(f"{value}+00:00") if sqlite else value
        return found

    for row in read.typed():
        if not places or places[-1].id != row[0]:
            places.append(MyPlace._make((*row[:5], instant(row[5]), instant(row[6]), *row[7:11])))
            others[row[0]] = []
        if row[12] is not None and row[11] != row[2]:
            others[row[0]].append(row[12])
    return places, others


def _probe(sizes: tuple[int, int, int], note_sizes: tuple[int, int]) -> Select:
    """Whether anything could stand in the page's three rarely-filled parts: one statement for the three.

    ``sizes``: how many organisations (``orgs``), memberships (``members``) and active memberships'
    organisations (``active``) it is built for, each list as that many plain parameters (``sql_lists``);
    ``note_sizes``: the load note's (``notes.verdicts_probe_sizes``).

    Each is a superset of what its own read finds (a waiting-list entry of mine, a pending offer or
    request on a place of mine, a swap or cover call in my organisations not mine; with the fourth, a stored
    finding my load note could speak of: ``notes.verdicts_probe``), so "no" skips
    that read without changing the page; "yes" runs it as before.
    """
    n_orgs, n_members, n_active = sizes

    def orgs(column: Any) -> Any:
        return any_of(column, "orgs", n_orgs)

    def members(column: Any) -> Any:
        return any_of(column, "members", n_members)

    now: Any = bindparam("now")
    waiting = exists().where(orgs(WaitingListEntry.organisation_id), members(WaitingListEntry.membership_id),
                             one_of(WaitingListEntry.status, waiting_rules.ON_LIST))
    mine = select(Assignment.id).where(orgs(Assignment.organisation_id), members(Assignment.membership_id))
    pending = exists().where(orgs(ShiftOffer.organisation_id), one_of(ShiftOffer.status, PENDING),
                             ShiftOffer.assignment_id.in_(mine)
                             | ((ShiftOffer.kind == "signup_request")
                                & members(ShiftOffer.taken_by_membership_id)))
    offers = (exists().where(any_of(ShiftOffer.organisation_id, "active", n_active),
                             one_of(ShiftOffer.kind, ("swap", "cancel_request")), ShiftOffer.status == "open",
                             (ShiftOffer.offered_to_membership_id.is_(None))
                             | members(ShiftOffer.offered_to_membership_id),
                             Shift.id == ShiftOffer.shift_id, Shift.organisation_id == ShiftOffer.organisation_id,
                             Shift.starts_at > now, Shift.status == "planned"))
    return select(waiting.label("waiting"), pending.label("pending"), offers.label("offers"),
                  verdicts_probe(*note_sizes).label("notes"))


@lru_cache(maxsize=64)
def _probe_and_announcements(n_orgs: int, n_members: int, n_active: int, n_member_orgs: int,
                             note_sizes: tuple[int, int]) -> Select:
    """The probe's three answers and the current announcements sent to me, in one statement (issue 13).

    Built once per count of organisations and memberships (a person has one or a few), the lists written as
    that many plain parameters: expanding lists were rewritten into the statement's text on every view,
    which cost seven times what SQLite took to run it.

    The probe's one row is the left side of an outer join to the announcements (``announcements.current_where``,
    my memberships' organisations bound as ``member_orgs``): one row per announcement, newest first, each
    carrying the probe; one row with no announcement when there is none. Columns only, run on the session's
    connection: the ORM's step for an ``Announcement`` entity was most of this read's cost.
    """
    flags = _probe((n_orgs, n_members, n_active), note_sizes).subquery("flags")
    return (select(flags.c.waiting, flags.c.pending, flags.c.offers, flags.c.notes,
                   Announcement.id, Announcement.title, Announcement.body, Announcement.organisation_id)
            .select_from(flags)
            .outerjoin(announcements.current_join(),
                       and_(*announcements.current_where("member_orgs", (n_member_orgs, n_members))))
            .order_by(*announcements.CURRENT_ORDER))



def _my_pending_offers(assignment_ids: list[int], memberships: list[Membership],
                       org_ids: list[int]) -> tuple[dict[int, ShiftOffer], list[ShiftOffer]]:
    """Return the pending offer standing on each of these places, and my pending sign-up requests: one statement.

    Both are pending ``shift_offers`` rows of my organisations; read together (shift, role and site joined
    for the requests' times) and told apart here.
    """
    member_ids = [m.id for m in memberships]
    if not org_ids or not (assignment_ids or member_ids):
        return {}, []
    offers = list(db.session.scalars(
        select(ShiftOffer)
        .where(ShiftOffer.organisation_id.in_(org_ids), ShiftOffer.status.in_(PENDING),
               ShiftOffer.assignment_id.in_(assignment_ids)
               | ((ShiftOffer.kind == "signup_request") & ShiftOffer.taken_by_membership_id.in_(member_ids)))
        .options(joinedload(ShiftOffer.shift).joinedload(Shift.role),
                 joinedload(ShiftOffer.shift).joinedload(Shift.site))  # many-to-one: one statement
        .order_by(ShiftOffer.id)
    ))
    # a cancel request outranks a swap offer on the same place
    on_places: dict[int, ShiftOffer] = {}
    wanted = set(assignment_ids)
    for offer in offers:
        place = offer.assignment_id
        if place is not None and place in wanted and (place not in on_places or offer.kind == "cancel_request"):
            on_places[place] = offer
    mine = {m.id: m.organisation_id for m in memberships}
    requests = [o for o in offers if o.kind == "signup_request"
                and mine.get(o.taken_by_membership_id or 0) == o.organisation_id]
    return on_places, requests


def _names(membership_ids: set[int | None], org_ids: list[int]) -> dict[int, str]:
    ids = [i for i in membership_ids if i]
    if not ids:
        return {}
    rows = db.session.execute(select(Membership.id, Person.name).join(Person, Person.id == Membership.person_id)
                              .where(Membership.id.in_(ids), Membership.organisation_id.in_(org_ids)))
    return {member_id: name for member_id, name in rows}


def _load_notes(active: list[tuple[Organisation, Membership]], now: datetime, places: list[MyPlace],
                verdicts: bool) -> list[tuple[str, str | None]]:
    """Return (organisation name, kind note about my load) per active membership, from the stored verdict
    (read only when the probe found one could stand: ``verdicts``).

    The week's hours come from my places as the page read them (from ``PAST_DAYS`` ago on, no end).
    """
    notes = load_notes(active, now, places, verdicts=verdicts)
    return [(org.name, notes[m.id]) for org, m in active]


def _organisations(memberships: list[Membership], org_ids: set[int]) -> dict[int, Organisation]:
    """Return id → organisation of my places: my memberships' (loaded with them), and any I have left since."""
    orgs = {m.organisation_id: m.organisation for m in memberships}
    missing = org_ids - set(orgs)
    if missing:
        orgs.update({org.id: org for org in db.session.scalars(select(Organisation)
                                                                .where(Organisation.id.in_(missing)))})
    return orgs


def _notes_context(notes: list[tuple[str, str | None]]) -> dict[str, Any]:
    """One organisation: ``load_note``; several: ``load_notes`` labelled (the partial's two forms)."""
    if len(notes) == 1:
        return {"load_note": notes[0][1], "load_notes": []}
    return {"load_note": None, "load_notes": notes}


class PageReads(NamedTuple):
    """/me/shifts' two statements' rows as the driver gave them (``me_kept_page`` compares them with those a
    kept page was made of), the connection they were read on and the organisations of my places."""

    conn: Connection
    places: DriverRows  #: :func:`place_rows`
    probe: DriverRows  #: :func:`_probe_and_announcements`: the probe's four answers on each row, then an announcement
    orgs: dict[int, Organisation]  #: :func:`_organisations`


def page_reads(person: Person, memberships: list[Membership], now: datetime) -> PageReads:
    """Read what /me/shifts shows in every case: my places and the probe with the announcements (two statements;
    a third for the organisations of places in one I have left)."""
    conn = reading_connection()
    places = place_rows(conn, person.id, now - timedelta(days=PAST_DAYS), now)
    orgs = _organisations(memberships, {row[3] for row in places.rows})
    active = [(m.organisation, m) for m in memberships if m.status == "active"]
    org_ids, member_ids = list(orgs), [m.id for m in memberships]
    active_orgs = [m.organisation_id for m in memberships if m.status == "active"]
    member_orgs = [m.organisation_id for m in memberships]
    shape = (len(org_ids), len(member_ids), len(active_orgs), len(member_orgs), verdicts_probe_sizes(active))
    # SQL compiled once per shape (``core.compiled_sql``), as ``place_rows``
    probe = driver_rows(conn, _probe_and_announcements, shape, {
        **bound("orgs", org_ids), **bound("members", member_ids), "now": now, **bound("active", active_orgs),
        **bound("member_orgs", member_orgs), **verdicts_probe_params(active, now)})
    return PageReads(conn, places, probe, orgs)


def shifts_page(person: Person, memberships: list[Membership], now: datetime,
                reads: PageReads | None = None) -> dict[str, Any]:
    """Return the template context of /me/shifts (``reads``: :func:`page_reads`' answer, read already)."""
    if reads is None:
        reads = page_reads(person, memberships, now)
    orgs = reads.orgs
    places, others = _my_places(person.id, now - timedelta(days=PAST_DAYS), now, reads.places, reads.conn)
    upcoming = [p for p in places if p.ends_at > now]
    past = [p for p in places if p.ends_at <= now][::-1]
    active = [(m.organisation, m) for m in memberships if m.status == "active"]
    rows = reads.probe.typed()
    waiting, pending_found, offers, notes = rows[0][:4]
    pending, requests = (_my_pending_offers([p.id for p in upcoming], memberships, list(orgs)) if pending_found
                         else ({}, []))
    hours = {org_id: notice_hours(org) for org_id, org in orgs.items()}

    named = _names({o.offered_to_membership_id for o in pending.values() if o.offered_to_membership_id}, list(orgs))

    # one url_for per kind of link, cut where the id goes, rather than one per card
    links = Links(cut(url_for("me.cancel_place", assignment_id=PLACEHOLDER)),
                  cut(url_for("me.offer_place", assignment_id=PLACEHOLDER)),
                  cut(url_for("me.withdraw_offer", offer_id=PLACEHOLDER)))

    zones = {org_id: Zone(org, now) for org_id, org in orgs.items()}
    many = len(memberships) > 1

    def card(index: int, p: MyPlace) -> tuple[str, ...]:
        org_id, offer = p.organisation_id, pending.get(p.id)
        named_id = offer.offered_to_membership_id if offer else None
        return kept_upcoming(p, index == 0, orgs[org_id], now, others[p.id], offer,
                              named.get(named_id) if named_id else None, hours[org_id], zones[org_id], links, many)

    token = person.calendar_token
    feed_url = url_for("calendar.feed", token=token, _external=True) if token else None
    return {
        "upcoming": [card(index, a) for index, a in enumerate(upcoming)],  # me_markup.kept_upcoming_cards
        "past": [kept_past(a, orgs[a.organisation_id], now, hours[a.organisation_id], zones[a.organisation_id],
                           many) for a in past],  # me_markup.kept_past_rows
        "offers": [(offer, m, _span(offer.shift, m.organisation))
                   for offer, m in (swaps.offers_open_to(memberships, now) if offers else [])],
        "requests": [(offer, _span(offer.shift, next(m.organisation for m in memberships
                                                     if m.organisation_id == offer.organisation_id)))
                     for offer in requests],
        "waiting": waiting_list_pages.my_entries(memberships, now) if waiting else [],
        "many": many,
        "announcements": _shown(memberships, [announcements.Posted._make(row[4:]) for row in rows
                                              if row[4] is not None]),
        "feed_url": feed_url,
        "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://") if feed_url else None,
        **_notes_context(_load_notes(active, now, places, bool(notes))),
    }


def _shown(memberships: list[Membership], found: list[announcements.Posted]) -> list[announcements.Shown]:
    """``announcements.current_for``'s answer from the rows read with the probe (each announcement once)."""
    if not memberships:
        return []
    orgs = {m.organisation_id: m.organisation for m in memberships}
    seen: set[int] = set()
    shown = []
    for announcement in found:
        if announcement.id not in seen:
            seen.add(announcement.id)
            shown.append(announcements.Shown(announcement, orgs[announcement.organisation_id]))
    return shown


def _span(shift: Shift | None, org: Organisation) -> str:
    return format_span(shift.starts_at, shift.ends_at, org.timezone) if shift is not None else ""
