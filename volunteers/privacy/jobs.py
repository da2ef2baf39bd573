"""The nightly retention job: erase people who left more than N months ago, once per organisation and day.

Each organisation's run is claimed with the run-once key
``privacy.retention`` / ``<slug>:<local date>`` (``core.jobruns``), so a
second scheduler process or a re-run the same day does nothing; each
organisation commits on its own, so one failing does not undo the others.
The log names membership and person ids only, never names or addresses.
"""
from __future__ import annotations

import logging
from datetime import datetime

from volunteers.core import jobruns
from volunteers.core.jobs import Job
from volunteers.privacy.retention import Candidate, erase_due

log = logging.getLogger(__name__)

JOB_ID = "privacy.retention"


def nightly_retention(now: datetime) -> dict[str, list[Candidate]]:
    """Erase the people due in every organisation whose run for its local day is not done; slug → erased."""
    done: dict[str, list[Candidate]] = {
        slug: erased or [] for slug, erased in jobruns.once_per_organisation_day(JOB_ID, now, erase_due).items()}
    for slug, erased in done.items():
        log.info("%s %s: erased %d membership(s): %s", JOB_ID, slug, len(erased),
                 ", ".join(f"membership {c.membership_id} (person {c.person_id})" for c in erased) or "none")
    return done

JOBS = [
    # after the night's load scan (02:15), before anyone starts their day
    Job(id=JOB_ID, func=nightly_retention, cron={"hour": 3, "minute": 30}),
]
