"""Re-judge people's load when their schedule changes, once, at the commit.

Places are taken and given up in many places (the board, sign-up, swaps,
cancellations, the auto-rota, attendance). Each calls
:func:`schedule_changed` with the people concerned; when the unit of work
commits — a request, a job or a command — the people collected are
re-scanned in one go just before the commit, so warnings on /warnings follow
the rota without waiting for the nightly scan, and a unit that rolls back
re-scans no one.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

from volunteers.core.models import Organisation

log = logging.getLogger(__name__)

_KEY = "volunteers.rescan"


def schedule_changed(session: Session, organisation_id: int, membership_ids: Iterable[int]) -> None:
    """Note that these members' schedules changed in this unit of work."""
    pending: dict[int, set[int]] = session.info.setdefault(_KEY, {})
    pending.setdefault(organisation_id, set()).update(membership_ids)


def _rescan_before_commit(session: Session) -> None:
    pending: dict[int, set[int]] | None = session.info.pop(_KEY, None)
    if not pending:
        return
    from volunteers.core.timeutil import utcnow
    from volunteers.wellbeing.scanning import scan

    now = utcnow()
    for organisation_id, membership_ids in sorted(pending.items()):
        org = session.get(Organisation, organisation_id)
        if org is not None and membership_ids:
            scan(org, now, membership_ids=sorted(membership_ids))


def _forget(session: Session, *args: object) -> None:
    session.info.pop(_KEY, None)


def install(session_class: type[Session]) -> None:
    """Hook the re-scan into every commit of this session class (done once by create_app)."""
    if not event.contains(session_class, "before_commit", _rescan_before_commit):
        event.listen(session_class, "before_commit", _rescan_before_commit)
        event.listen(session_class, "after_rollback", _forget)
