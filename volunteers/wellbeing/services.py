"""Load-warning use cases: the organisation comes first in every signature; services flush, never commit.

The work lives in topic modules; this is the one place other features
import from:

* policies and schedules (:mod:`.schedules`): ``policy_for``, ``schedules_for``;
* prospective warnings (:mod:`.prospective`): ``prospective_warnings``,
  ``prospective_warnings_for`` — for the board, candidate list, sign-up,
  copy-forward and auto-rota;
* the retrospective scan (:mod:`.scan`): ``scan``, ``rescan_people``
  (call it after attendance is marked or shifts change), ``nightly_scan``,
  ``scan_all_organisations``;
* a coordinator's decisions here: ``acknowledge``, ``snooze``;
* the daily e-mail (:mod:`.digest`): ``digest``; the volunteer's own
  note (:mod:`.notes`): ``load_note``.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select

from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.timeutil import local_date
from volunteers.extensions import db
from volunteers.people.models import Person
from volunteers.wellbeing.digest import DigestResult, digest
from volunteers.wellbeing.domain.next_judgement import CUT_WEEKDAY
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.notes import load_note
from volunteers.wellbeing.prospective import (
    prospective_warnings,
    prospective_warnings_for,
)
from volunteers.wellbeing.scan import ScanResult, scan, scan_due
from volunteers.wellbeing.schedules import org_policy, policy_for, schedules_for

__all__ = [
    "DigestResult", "ScanResult", "acknowledge", "digest", "load_note", "nightly_scan", "policy_for",
    "prospective_warnings", "prospective_warnings_for", "rescan_people", "scan", "scan_all_organisations",
    "schedules_for", "snooze",
]

#: the longest a warning may be snoozed
MAX_SNOOZE = timedelta(days=90)
MAX_NOTE = 2000
#: the local weekday whose night scan judges everyone, not only the people due: the day the
#: history the scan reads moves on (Sunday)
FULL_SCAN_WEEKDAY = CUT_WEEKDAY


def rescan_people(org: Organisation, membership_ids: Iterable[int], now: datetime) -> ScanResult:
    """Re-judge only these people (after attendance is marked, or their shifts change); flush only."""
    return scan(org, now, membership_ids=list(membership_ids))


def nightly_scan(org: Organisation, now: datetime) -> ScanResult:
    """Run the night's scan: the people due (:func:`~.scan.scan_due`); everyone on Sunday nights.

    Changes made through the services re-judge the people concerned when
    they commit; the weekly full scan is the safety net for changes made
    any other way (straight in the database, a bulk import).
    """
    org_policy(org)  # a bad policy fails the night's run (recorded, retried) even when no one is due
    if local_date(now, org.timezone).weekday() == FULL_SCAN_WEEKDAY:
        return scan(org, now)
    return scan_due(org, now)


def scan_all_organisations(now: datetime) -> dict[str, ScanResult]:
    """Scan every organisation; return slug → result. Flushes; the nightly job claims and commits per organisation."""
    return {org.slug: scan(org, now) for org in db.session.scalars(select(Organisation).order_by(Organisation.id))}


def _check(org: Organisation, warning: LoadWarning, note: str | None) -> str | None:
    if warning.organisation_id != org.id:
        raise ServiceError("That warning belongs to another organisation.", "warning")
    if warning.status == "resolved":
        raise ServiceError("That warning has already resolved itself.", "warning")
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise ServiceError(f"Keep the note under {MAX_NOTE} characters.", "note")
    return note


def acknowledge(org: Organisation, warning: LoadWarning, person: Person, note: str | None,
                now: datetime) -> LoadWarning:
    """Mark a warning as seen and dealt with, with an optional note; it reopens if it gets worse.

    :raises ServiceError: for another organisation's or a resolved warning, or an over-long note.
    """
    note = _check(org, warning, note)
    warning.status, warning.acknowledged_at = "acknowledged", now
    warning.acknowledged_by_person_id, warning.acknowledged_note = person.id, note
    warning.snoozed_until = None
    audit.record(org, person.id, "wellbeing.acknowledge", "load_warning", warning.id, note,
                 rule=warning.rule, severity=warning.severity, membership_id=warning.membership_id, now=now)
    db.session.flush()
    return warning


def snooze(org: Organisation, warning: LoadWarning, person: Person, until: datetime, note: str | None,
           now: datetime) -> LoadWarning:
    """Hide a warning from /warnings and the digest until ``until`` (at most 90 days), unless it gets worse.

    :raises ServiceError: (field ``until``) for a time not in the next 90 days, and as :func:`acknowledge`.
    """
    note = _check(org, warning, note)
    if until.tzinfo is None or not now < until <= now + MAX_SNOOZE:
        raise ServiceError("Snooze until a date within the next 90 days.", "until")
    warning.status, warning.snoozed_until = "open", until
    warning.acknowledged_by_person_id, warning.acknowledged_note, warning.acknowledged_at = person.id, note, now
    audit.record(org, person.id, "wellbeing.snooze", "load_warning", warning.id, note,
                 rule=warning.rule, severity=warning.severity, until=until.isoformat(), now=now)
    db.session.flush()
    return warning
