"""Announce the schedule changes made through the ORM, at each flush.

Code that changes places with bulk UPDATEs sends ``core.signals.schedule_changed``
itself (``rota.places``, swaps, attendance). Changes made by editing objects —
a shift moved or cancelled, a role made more intense, a member's pledge,
supervision date, limits or status, the organisation's load policy or zone —
are found here, just before they are flushed, and announced the same way, so
every package that judges schedules (wellbeing's load rules) hears of them
without each edit remembering to say so.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session

from volunteers.core.models import Organisation
from volunteers.core.signals import load_policy_changed, schedule_changed
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Role, Shift

#: the attributes whose change changes a schedule or how it is judged
WATCHED: dict[type, tuple[str, ...]] = {
    Assignment: ("status", "shift_id", "membership_id"),
    Shift: ("starts_at", "ends_at", "status", "role_id"),
    Role: ("intensity", "on_call", "name"),
    Membership: ("pledged_hours_per_week", "last_supervised_on", "limits", "status", "caseload_limit"),
    Organisation: ("settings", "timezone"),
}


def _changed(obj: object, names: tuple[str, ...]) -> bool:
    state = inspect(obj)
    if isinstance(obj, Organisation):  # settings hold more than the policy (report recipients, …)
        return state.attrs["timezone"].history.has_changes() or _policy_changed(state.attrs["settings"].history)
    return any(state.attrs[name].history.has_changes() for name in names)


def _policy_changed(history: Any) -> bool:
    """Return whether a change of ``Organisation.settings`` touches ``load_policy`` (unknown: yes)."""
    if not history.has_changes():
        return False
    if not history.deleted or not history.added:
        return True
    before, after = history.deleted[0] or {}, history.added[0] or {}
    return before.get("load_policy") != after.get("load_policy")


def _announce(session: Session, organisation_id: int, membership_ids: Iterable[int]) -> None:
    schedule_changed.send(session, organisation_id=organisation_id, membership_ids=list(membership_ids))


def announce_flushed_changes(session: Session, flush_context: object, instances: object) -> None:
    """Send ``schedule_changed`` / ``load_policy_changed`` for what is about to be flushed."""
    shifts: set[int] = set()
    roles: set[int] = set()
    for obj in (*session.new, *session.deleted, *session.dirty):
        names = WATCHED.get(type(obj))
        if names is None:
            continue
        fresh_or_gone = obj in session.new or obj in session.deleted
        if not fresh_or_gone and not _changed(obj, names):
            continue
        if isinstance(obj, Assignment):
            before = inspect(obj).attrs["membership_id"].history.deleted or ()
            people = [m for m in (obj.membership_id, *before) if m is not None]
            if obj.organisation_id is not None:
                _announce(session, obj.organisation_id, people)
        elif isinstance(obj, Shift) and obj.id is not None:
            shifts.add(obj.id)
        elif isinstance(obj, Role) and obj.id is not None and obj not in session.new:
            roles.add(obj.id)
        elif isinstance(obj, Membership) and obj not in session.new and obj.id is not None:
            _announce(session, obj.organisation_id, [obj.id])
        elif isinstance(obj, Organisation) and obj.id is not None and obj not in session.new:
            load_policy_changed.send(session, organisation_id=obj.id)
    if shifts or roles:
        stmt = (select(Assignment.organisation_id, Assignment.membership_id).distinct()
                .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
                .where(or_(Shift.id.in_(shifts), Shift.role_id.in_(roles))))
        with session.no_autoflush:
            for organisation_id, membership_id in session.execute(stmt):
                _announce(session, organisation_id, [membership_id])


def watch(session_class: type[Session]) -> None:
    """Announce ORM changes of every session of this class at each flush (done once by create_app)."""
    if not event.contains(session_class, "before_flush", announce_flushed_changes):
        event.listen(session_class, "before_flush", announce_flushed_changes)
