"""Peer-support work as load: contact time and open cases, for wellbeing's load rules.

Wellbeing sits below this package and cannot read contacts or cases, so it
asks its registered load sources (``wellbeing.load_sources``);
:func:`register` (called by ``volunteers.app.register_reactions``) adds
:func:`contact_load` to them and announces, at each flush, the supporters
whose contacts or open cases changed (``core.signals.schedule_changed``),
so their load is judged again when the unit of work commits — like a place
taken on the rota.

A contact counts as its minutes on its local date (daytime, intensity 1.0:
DESIGN.md, "Peer support"); an open case counts for its supporter.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import CompoundSelect, Date, Integer, bindparam, event, func, inspect, null, select, union_all
from sqlalchemy.orm import Session

from volunteers.core import compiled_sql, sql_lists
from volunteers.core.models import Organisation
from volunteers.core.signals import schedule_changed
from volunteers.extensions import db
from volunteers.peersupport.models import Contact, SupportedPerson
from volunteers.wellbeing import load_sources
from volunteers.wellbeing.domain.model import LoggedTime
from volunteers.wellbeing.load_sources import ExtraLoad

#: the name this package's source is registered under
SOURCE = "peer-support contacts and cases"
#: what a contact's logged time is called in a warning's evidence
LOGGED_AS = "contact"
#: the columns whose change changes a supporter's load
WATCHED: dict[type, tuple[str, ...]] = {
    Contact: ("membership_id", "contact_on", "minutes"),
    SupportedPerson: ("supporter_membership_id", "status"),
}


#: a list of members longer than this is sent as one expanding parameter (a statement for any length)
MAX_LISTED = 64


@lru_cache(maxsize=96)
def _statement(since: bool, until: bool, listed: int | None) -> CompoundSelect:
    """:func:`contact_load`'s statement, built once for each kind of call (run with ``org`` and, as asked,
    ``since``, ``until`` and the members): building it anew on every call was a twentieth of the shift panel.

    ``listed``: None for every member; ``n`` for ``n`` plain parameters ``ids_0 …`` (``sql_lists.any_of``,
    one statement per length: an expanding list's text was rewritten at every execution, a third of the
    call); 0 for one expanding parameter ``ids`` (a list longer than :data:`MAX_LISTED`).
    """
    org: Any = bindparam("org")
    contacts = select(Contact.membership_id, Contact.contact_on, Contact.minutes, Contact.id).where(
        Contact.organisation_id == org)
    cases = (select(SupportedPerson.supporter_membership_id, null().cast(Date), func.count(), null().cast(Integer))
             .where(SupportedPerson.organisation_id == org, sql_lists.one_of(SupportedPerson.status, ["open"]),
                    SupportedPerson.supporter_membership_id.is_not(None))
             .group_by(SupportedPerson.supporter_membership_id))
    if since:
        contacts = contacts.where(Contact.contact_on >= bindparam("since", type_=Date()))
    if until:
        contacts = contacts.where(Contact.contact_on <= bindparam("until", type_=Date()))
    if listed == 0:
        ids: Any = bindparam("ids", expanding=True)
        contacts = contacts.where(Contact.membership_id.in_(ids))
        cases = cases.where(SupportedPerson.supporter_membership_id.in_(ids))
    elif listed is not None:
        contacts = contacts.where(sql_lists.any_of(Contact.membership_id, "ids", listed))
        cases = cases.where(sql_lists.any_of(SupportedPerson.supporter_membership_id, "ids", listed))
    return union_all(contacts, cases)


def contact_load(org: Organisation, membership_ids: list[int] | None, since: datetime | None,
                 until: datetime | None) -> dict[int, ExtraLoad]:
    """Return membership id → contact time dated from ``since``'s local date to ``until``'s, and open cases.

    One statement, whatever the number of members: the contacts, and a row
    per supporter with her count of open cases (``contact_on`` null). Run
    on the session's connection (as ``wellbeing.schedules.iter_places``):
    the rows are plain values, the ORM's execution had nothing to add but
    its own time (most of the call's on the shift panel).
    """
    tz = ZoneInfo(org.timezone or "Europe/London")
    db.session.flush()  # Core reads on the session's connection do not autoflush
    params: dict[str, Any] = {"org": org.id}
    if since is not None:
        params["since"] = since.astimezone(tz).date()
    if until is not None:
        params["until"] = until.astimezone(tz).date()
    listed: int | None = None
    if membership_ids is not None:
        ids = list(membership_ids)
        if 0 < len(ids) <= MAX_LISTED:
            listed = len(ids)
            params.update(sql_lists.bound("ids", ids))
        else:
            listed, params["ids"] = 0, ids
    # compiled once per shape and dialect (core.compiled_sql): execute() made the statement's cache key and its
    # parameters again on every call, most of what was left of it besides SQLite's time. The rows need no
    # conversion (``_day`` reads a date whether the driver gives it or its text); an expanding list (more than
    # MAX_LISTED people) is run by execute
    shape = (since is not None, until is not None, listed)
    rows = compiled_sql.driver_rows(db.session.connection(), _statement, shape, params).rows
    found: dict[int, ExtraLoad] = {}
    for member_id, on, amount, contact_id in rows:
        load = found.setdefault(member_id, ExtraLoad())
        if on is None:
            load.open_cases = int(amount)
        else:
            load.logged.append(LoggedTime(_day(on), amount / 60, LOGGED_AS, ref=f"contact:{contact_id}"))
    for load in found.values():
        load.logged.sort(key=lambda entry: (entry.on, entry.ref or ""))
    return found


def _day(value: date | str) -> date:
    """Return a date of the union's rows (SQLite hands a union's dates back as text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _people(obj: Contact | SupportedPerson, fresh_or_gone: bool) -> list[int]:
    """Return the supporters whose load ``obj``'s change touches (before and after a reassignment)."""
    name = "membership_id" if isinstance(obj, Contact) else "supporter_membership_id"
    now = getattr(obj, name)
    before = () if fresh_or_gone else (inspect(obj).attrs[name].history.deleted or ())  # type: ignore[attr-defined]
    return [m for m in (now, *before) if m is not None]


def announce_flushed_changes(session: Session, flush_context: object, instances: object) -> None:
    """Send ``schedule_changed`` for the supporters of contacts and cases about to be flushed."""
    for obj in (*session.new, *session.deleted, *session.dirty):
        names = WATCHED.get(type(obj))
        if names is None:
            continue
        fresh_or_gone = obj in session.new or obj in session.deleted
        if not fresh_or_gone and not any(inspect(obj).attrs[n].history.has_changes() for n in names):
            continue
        people = _people(obj, fresh_or_gone)
        if people and obj.organisation_id is not None:
            _announce(session, obj.organisation_id, people)


def _announce(session: Session, organisation_id: int, membership_ids: Iterable[int]) -> None:
    schedule_changed.send(session, organisation_id=organisation_id, membership_ids=list(membership_ids))


def register(session_class: type[Session]) -> None:
    """Make contact time and open cases count as load, and re-judge supporters when they change (once)."""
    load_sources.register(SOURCE, contact_load)
    if not event.contains(session_class, "before_flush", announce_flushed_changes):
        event.listen(session_class, "before_flush", announce_flushed_changes)
