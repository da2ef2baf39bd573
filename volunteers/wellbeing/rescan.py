"""Re-judge people's load when their schedule changes, once, at the commit.

Places are taken and given up in many places (the board, sign-up, swaps,
cancellations, the auto-rota, attendance). Code that changes places with a
bulk UPDATE calls :func:`schedule_changed` with the people concerned; ORM
changes to what the rules read — places, shift times, status and role,
a role's intensity or stand-by, a member's pledge, supervision date, limits
or status, the organisation's policy or zone — are noticed at each flush
(:func:`_notice`). When the unit of work commits — a request, a job or a
command — the people collected are re-scanned in one go just before the
commit, so warnings on /warnings follow the rota without waiting for the
nightly scan, and a unit that rolls back re-scans no one. The nightly scan
relies on this: it judges only the people the clock may have changed.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session

from volunteers.core.models import Organisation

log = logging.getLogger(__name__)

_KEY = "volunteers.rescan"
#: organisations whose policy or zone changed: everyone is re-judged
_EVERYONE = "volunteers.rescan.everyone"
#: the attributes whose change changes what the load rules find, by class name
WATCHED = {
    "Assignment": ("status", "shift_id", "membership_id"),
    "Shift": ("starts_at", "ends_at", "status", "role_id"),
    "Role": ("intensity", "on_call", "name"),
    "Membership": ("pledged_hours_per_week", "last_supervised_on", "limits", "status"),
    "Organisation": ("settings", "timezone"),
}


def schedule_changed(session: Session, organisation_id: int, membership_ids: Iterable[int]) -> None:
    """Note that these members' schedules changed in this unit of work."""
    pending: dict[int, set[int]] = session.info.setdefault(_KEY, {})
    pending.setdefault(organisation_id, set()).update(membership_ids)


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


def _notice(session: Session, flush_context: object, instances: object) -> None:
    """Collect the people whose schedule or policy the objects about to be flushed change."""
    from volunteers.rota.models import Assignment, Role, Shift

    shifts: set[int] = set()
    roles: set[int] = set()
    for obj in (*session.new, *session.deleted, *session.dirty):
        name = type(obj).__name__
        if name not in WATCHED:
            continue
        fresh_or_gone = obj in session.new or obj in session.deleted
        if not fresh_or_gone and not _changed(obj, WATCHED[name]):
            continue
        if isinstance(obj, Assignment):
            before = inspect(obj).attrs["membership_id"].history.deleted or ()
            people = [m for m in (obj.membership_id, *before) if m is not None]
            if obj.organisation_id is not None:
                schedule_changed(session, obj.organisation_id, people)
        elif isinstance(obj, Shift) and obj.id is not None:
            shifts.add(obj.id)
        elif isinstance(obj, Role) and obj.id is not None and obj not in session.new:
            roles.add(obj.id)
        elif name == "Membership" and obj not in session.new and obj.id is not None:
            schedule_changed(session, obj.organisation_id, [obj.id])  # type: ignore[attr-defined]
        elif isinstance(obj, Organisation) and obj.id is not None and obj not in session.new:
            session.info.setdefault(_EVERYONE, set()).add(obj.id)
    if shifts or roles:
        stmt = (select(Assignment.organisation_id, Assignment.membership_id).distinct()
                .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
                .where(or_(Shift.id.in_(shifts), Shift.role_id.in_(roles))))
        with session.no_autoflush:
            for organisation_id, membership_id in session.execute(stmt):
                schedule_changed(session, organisation_id, [membership_id])


def _rescan_before_commit(session: Session) -> None:
    session.flush()  # notice what is still pending
    pending: dict[int, set[int]] = session.info.pop(_KEY, None) or {}
    everyone: set[int] = session.info.pop(_EVERYONE, None) or set()
    if not pending and not everyone:
        return
    from volunteers.core.timeutil import utcnow
    from volunteers.wellbeing.scanning import scan
    from volunteers.wellbeing.schedules import org_policy

    now = utcnow()
    for organisation_id in sorted(set(pending) | everyone):
        org = session.get(Organisation, organisation_id)
        if org is None:
            continue
        try:
            org_policy(org)
        except ValueError as error:  # a bad policy must not stop the change being saved; the settings page says why
            log.warning("not re-judging %s's load: %s", org.slug, error)
            continue
        if organisation_id in everyone:
            scan(org, now)
        elif pending[organisation_id]:
            scan(org, now, membership_ids=sorted(pending[organisation_id]))


def _forget(session: Session, *args: object) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(_EVERYONE, None)


def install(session_class: type[Session]) -> None:
    """Hook the re-scan into every commit of this session class (done once by create_app)."""
    if not event.contains(session_class, "before_commit", _rescan_before_commit):
        event.listen(session_class, "before_flush", _notice)
        event.listen(session_class, "before_commit", _rescan_before_commit)
        event.listen(session_class, "after_rollback", _forget)
