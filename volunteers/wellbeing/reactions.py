"""Re-judge people's load when their schedule changes, once, when the unit of work commits.

Lower packages announce changes (``core.signals``): ``schedule_changed`` for
the people whose places, shifts or limits changed — sent by ``rota.places``,
swaps and attendance for their bulk UPDATEs and by ``rota.changes`` for
edits made through the ORM — and ``load_policy_changed`` when an
organisation's policy or zone changes. :func:`connect` (called once by
``volunteers.app.register_reactions``) listens to both, collects the people
on the session, and judges them in one go just before the session commits,
so warnings on /warnings follow the rota without waiting for the nightly
scan; a unit that rolls back re-judges no one. The nightly scan relies on
this: it judges only the people the clock may have changed.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

from volunteers.core import timeutil
from volunteers.core.models import Organisation
from volunteers.core.signals import load_policy_changed, schedule_changed
from volunteers.wellbeing import scan as scanning
from volunteers.wellbeing.schedules import org_policy

log = logging.getLogger(__name__)

#: session.info key: organisation id → ids of members to re-judge
PENDING = "volunteers.rescan"
#: session.info key: organisations whose policy or zone changed: everyone is re-judged
EVERYONE = "volunteers.rescan.everyone"


def note_people(session: Session, organisation_id: int, membership_ids: Iterable[int]) -> None:
    """Remember to re-judge these members at the commit (a ``schedule_changed`` receiver)."""
    pending: dict[int, set[int]] = session.info.setdefault(PENDING, {})
    pending.setdefault(organisation_id, set()).update(membership_ids)


def note_everyone(session: Session, organisation_id: int) -> None:
    """Remember to re-judge the whole organisation at the commit (a ``load_policy_changed`` receiver)."""
    session.info.setdefault(EVERYONE, set()).add(organisation_id)


def judge_before_commit(session: Session) -> None:
    """Re-judge the people noted in this unit of work, just before it commits."""
    session.flush()  # announce what is still pending
    pending: dict[int, set[int]] = session.info.pop(PENDING, None) or {}
    everyone: set[int] = session.info.pop(EVERYONE, None) or set()
    if not pending and not everyone:
        return
    now = timeutil.utcnow()  # looked up at call time: tests fix the clock on core.timeutil
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
            scanning.scan(org, now)
        elif pending[organisation_id]:
            scanning.scan(org, now, membership_ids=sorted(pending[organisation_id]))


def forget(session: Session, *args: object) -> None:
    """Drop what was noted: the unit of work rolled back, so nothing changed."""
    session.info.pop(PENDING, None)
    session.info.pop(EVERYONE, None)


def _on_schedule_changed(session: Session, *, organisation_id: int, membership_ids: Iterable[int]) -> None:
    note_people(session, organisation_id, membership_ids)


def _on_policy_changed(session: Session, *, organisation_id: int) -> None:
    note_everyone(session, organisation_id)


def connect(session_class: type[Session]) -> None:
    """Listen to the schedule signals and judge at every commit of this session class (once, by create_app)."""
    schedule_changed.connect(_on_schedule_changed)
    load_policy_changed.connect(_on_policy_changed)
    if not event.contains(session_class, "before_commit", judge_before_commit):
        event.listen(session_class, "before_commit", judge_before_commit)
        event.listen(session_class, "after_rollback", forget)
