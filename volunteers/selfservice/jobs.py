"""Scheduled jobs: queue shift reminders every 15 minutes; move the waiting lists on every minute.

The run-once key is the quarter hour (``core.jobruns``), so several
scheduler processes run it once per slot; the outbox dedupe keys keep each
reminder to one message across slots anyway. The waiting lists' key is the
minute: lapsed offers end and free places are offered to the next person
within a minute of a place freeing, whatever freed it. Each commits at its edge.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select

from volunteers.core import jobruns
from volunteers.core.jobs import Job
from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.selfservice import waiting_list
from volunteers.selfservice.cover_waves import send_due_waves
from volunteers.selfservice.reminders import queue_reminders

log = logging.getLogger(__name__)
JOB_ID = "rota.shift_reminders"
WAITING_LIST_JOB_ID = "selfservice.waiting_list"
#: the next wave of each cover request whose interval has passed; each request is claimed by a guarded
#: UPDATE of its next_wave_at (selfservice.cover_waves), so no run-once key is needed to send a wave once
COVER_WAVES_JOB_ID = "selfservice.cover_waves"


def slot_key(now: datetime) -> str:
    """Return the quarter hour ``now`` falls in, e.g. ``2026-10-24T09:15``."""
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")


def send_reminders(now: datetime) -> int | None:
    """Queue every organisation's due reminders; None when this slot already ran elsewhere."""

    def queue_for_every_organisation() -> int:
        orgs = db.session.scalars(select(Organisation).order_by(Organisation.id)).all()
        return sum(queue_reminders(org, now) for org in orgs)

    ran, queued = jobruns.run_once(JOB_ID, slot_key(now), now, queue_for_every_organisation)
    if not ran:
        return None
    if queued:
        log.info("queued %d shift reminders", queued)
    return queued


def move_waiting_lists(now: datetime) -> int | None:
    """End lapsed waiting-list offers and offer free places to the next people; None when this minute already ran."""
    minute = now.replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")
    ran, offered = jobruns.run_once(WAITING_LIST_JOB_ID, minute, now, lambda: waiting_list.run(now))
    if not ran:
        return None
    if offered:
        log.info("offered %d places from waiting lists", offered)
    return offered


JOBS = [
    Job(id=JOB_ID, func=send_reminders, cron={"minute": "*/15"}),
    Job(id=WAITING_LIST_JOB_ID, func=move_waiting_lists, cron={"minute": "*"}),
    Job(id=COVER_WAVES_JOB_ID, func=send_due_waves, cron={"minute": "*"}),
]
