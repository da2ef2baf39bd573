"""Erasure: wipe a person from one organisation, keeping every total the ledger and reports hold.

The ledger is append-only (``contributions.append_only``) and issued reports
are frozen text, so neither is touched: past entries keep their
``membership_id`` and every sum stays the same. What identifies the person
goes: the membership's notes, preferences, limits and supervision date;
their qualifications, availability and leave; their future places; unsent
e-mails to them (sent ones keep only that a message went). When the person
belongs to no other organisation (memberships that are not ``left``), the
person row is wiped too: the name becomes "Former volunteer #<id>" — which
every page and new report then shows — the address ``erased-<id>@invalid``,
and sign-in, the calendar feed and two-factor secrets go, with every
session. Otherwise they keep their login for the other organisations.

Pending self-logged hours are *rejected*: nobody can confirm them any more,
and left pending they would wait in the approvals list under a name that no
longer says whose they are; rejecting changes no total (only approved
entries count) and keeps the entries, as the ledger must.

Load warnings stay (the monthly figures count them), but the notes
written about them go, as do the notes on their swap requests and the
reasons given for overriding a rule to place them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update

from volunteers.contributions import services as contributions
from volunteers.contributions.models import Contribution
from volunteers.core import audit
from volunteers.core.dml import rows_matched
from volunteers.core.errors import ServiceError
from volunteers.core.models import AuditLogEntry, Organisation
from volunteers.core.timeutil import local_date
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.people.models import (
    AvailabilityWindow,
    Leave,
    Membership,
    Person,
    PersonQualification,
    RecoveryCode,
    SupervisionSession,
)
from volunteers.people.sessions import end_all_sessions
from volunteers.privacy.domain.rules import (
    REDACTED,
    ErasureScope,
    erased_email,
    erasure_scope,
    former_volunteer_name,
)
from volunteers.rota.models import Assignment, Shift, ShiftOffer
from volunteers.rota.places import release_place
from volunteers.selfservice.waiting_list_models import WaitingListEntry
from volunteers.wellbeing.models import LoadRecheck, LoadWarning

ERASE_ACTION = "privacy.erase"
#: outbox states of a message not yet handed to the mail server
UNSENT = ("pending", "failed")


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing a membership will do: the confirmation page and ``person erase`` show it."""

    membership_id: int
    person_id: int
    scope: ErasureScope
    future_places: int
    pending_entries: int
    already_erased: bool


@dataclass
class ErasureResult:
    """What an erasure did, by count (the audit entry's details)."""

    membership_id: int
    person_id: int
    person_wiped: bool
    counts: dict[str, int] = field(default_factory=dict)


def erased_membership_ids(org: Organisation) -> set[int]:
    """Return the ids of the organisation's memberships already erased (the audit trail says so)."""
    return set(db.session.scalars(
        select(AuditLogEntry.target_id).where(AuditLogEntry.organisation_id == org.id,
                                              AuditLogEntry.action == ERASE_ACTION,
                                              AuditLogEntry.target_type == "membership")))


def is_erased(org: Organisation, membership: Membership) -> bool:
    return db.session.scalar(select(AuditLogEntry.id).where(
        AuditLogEntry.organisation_id == org.id, AuditLogEntry.action == ERASE_ACTION,
        AuditLogEntry.target_type == "membership", AuditLogEntry.target_id == membership.id).limit(1)) is not None


def _other_organisations(membership: Membership) -> list[str]:
    return list(db.session.scalars(
        select(Organisation.name).join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.person_id == membership.person_id, Membership.id != membership.id,
               Membership.status != "left")))


def _future_places(org: Organisation, membership: Membership, now: datetime) -> list[Assignment]:
    return list(db.session.scalars(
        select(Assignment).join(Shift, (Shift.organisation_id == Assignment.organisation_id)
                                & (Shift.id == Assignment.shift_id))
        .where(Assignment.organisation_id == org.id, Assignment.membership_id == membership.id,
               Shift.starts_at > now).order_by(Assignment.id)))


def _pending_entry_ids(org: Organisation, membership: Membership) -> list[int]:
    return list(db.session.scalars(select(Contribution.id).where(
        Contribution.organisation_id == org.id, Contribution.membership_id == membership.id,
        Contribution.status == "pending")))


def plan_erasure(org: Organisation, membership: Membership, now: datetime) -> ErasurePlan:
    """Return what erasing ``membership`` would do (nothing is changed)."""
    if membership.organisation_id != org.id:
        raise ServiceError("That person is not a member here.", "membership")
    return ErasurePlan(
        membership_id=membership.id, person_id=membership.person_id,
        scope=erasure_scope(_other_organisations(membership)),
        future_places=sum(1 for a in _future_places(org, membership, now) if a.status != "cancelled"),
        pending_entries=len(_pending_entry_ids(org, membership)),
        already_erased=is_erased(org, membership),
    )


def erase_member(org: Organisation, membership: Membership, *, actor_person_id: int | None, reason: str,
                 now: datetime, source: str) -> ErasureResult:
    """Erase ``membership`` (and the person, when they belong nowhere else); audit it; flush, never commit.

    :raises ServiceError: for another organisation's member, one already
        erased, or an empty reason.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Say why (for the audit trail).", "reason")
    plan = plan_erasure(org, membership, now)
    if plan.already_erased:
        raise ServiceError("This person's data here has already been erased.", "membership")
    person = membership.person
    old_email = person.email
    result = ErasureResult(membership.id, person.id, plan.scope.wipes_person)
    counts = result.counts
    counts["future_places"] = _remove_future_places(org, membership, now)
    counts["offers_withdrawn"] = _withdraw_offers(org, membership, now)
    counts["notes_cleared"] = _clear_notes(org, membership)
    counts["pending_rejected"] = contributions.decide(
        org, _pending_entry_ids(org, membership), "rejected", actor_person_id, now)
    for model, name in ((PersonQualification, "qualifications"), (AvailabilityWindow, "availability"),
                        (Leave, "leave"), (LoadRecheck, "load_rechecks"), (SupervisionSession, "supervision"),
                        (WaitingListEntry, "waiting_lists")):
        counts[name] = _delete_rows(model, org, membership)
    if membership.status != "left":
        membership.left_on = local_date(now, org.timezone)
    membership.status = "left"
    membership.notes, membership.preferences, membership.limits = None, {}, {}
    membership.last_supervised_on = None
    if plan.scope.wipes_person:
        counts["recovery_codes"] = _wipe_person(person, now)
    counts["messages_deleted"], counts["messages_redacted"] = _scrub_messages(
        old_email, person.id, None if plan.scope.wipes_person else org)
    db.session.flush()
    db.session.expire(membership, ["qualification_records"])  # deleted in bulk above
    audit.record(org, actor_person_id, ERASE_ACTION, "membership", membership.id, reason, now=now, source=source,
                 person_id=person.id, person_wiped=plan.scope.wipes_person, **counts)
    return result


def _delete_rows(model: type[PersonQualification] | type[AvailabilityWindow] | type[Leave] | type[LoadRecheck]
                 | type[SupervisionSession] | type[WaitingListEntry],
                 org: Organisation, membership: Membership) -> int:
    result = db.session.execute(
        delete(model).where(model.organisation_id == org.id, model.membership_id == membership.id)
        .execution_options(synchronize_session=False))
    return rows_matched(result)


def _remove_future_places(org: Organisation, membership: Membership, now: datetime) -> int:
    """Free and delete their places on shifts that have not started (those the ledger refers to stay, cancelled)."""
    removed = 0
    for assignment in _future_places(org, membership, now):
        release_place(org, assignment, now)  # frees the place and tells wellbeing the schedule changed
        in_ledger = db.session.scalar(select(func.count()).select_from(Contribution).where(
            Contribution.organisation_id == org.id, Contribution.assignment_id == assignment.id))
        if in_ledger:
            continue
        db.session.execute(delete(ShiftOffer).where(ShiftOffer.organisation_id == org.id,
                                                    ShiftOffer.assignment_id == assignment.id))
        db.session.delete(assignment)
        removed += 1
    db.session.flush()
    return removed


def _withdraw_offers(org: Organisation, membership: Membership, now: datetime) -> int:
    """Withdraw the open requests they made, take or are offered (nobody can act on them with them)."""
    theirs = select(Assignment.id).where(Assignment.organisation_id == org.id,
                                         Assignment.membership_id == membership.id)
    result = db.session.execute(
        update(ShiftOffer)
        .where(ShiftOffer.organisation_id == org.id, ShiftOffer.status.in_(("open", "taken")),
               or_(ShiftOffer.taken_by_membership_id == membership.id,
                   ShiftOffer.offered_to_membership_id == membership.id,
                   ShiftOffer.assignment_id.in_(theirs)))
        .values(status="withdrawn", decided_at=now)
        .execution_options(synchronize_session=False))
    return rows_matched(result)


def _clear_notes(org: Organisation, membership: Membership) -> int:
    """Clear the free text kept about them on records that stay: requests, override reasons, warning notes."""
    theirs = select(Assignment.id).where(Assignment.organisation_id == org.id,
                                         Assignment.membership_id == membership.id)
    statements = (
        update(ShiftOffer).where(ShiftOffer.organisation_id == org.id, ShiftOffer.note.is_not(None),
                                 or_(ShiftOffer.taken_by_membership_id == membership.id,
                                     ShiftOffer.assignment_id.in_(theirs))).values(note=None),
        update(Assignment).where(Assignment.organisation_id == org.id, Assignment.membership_id == membership.id,
                                 Assignment.override_reason.is_not(None)).values(override_reason=None),
        update(LoadWarning).where(LoadWarning.organisation_id == org.id, LoadWarning.membership_id == membership.id,
                                  LoadWarning.acknowledged_note.is_not(None)).values(acknowledged_note=None),
    )
    return sum(rows_matched(db.session.execute(stmt.execution_options(synchronize_session=False)))
               for stmt in statements)


def _wipe_person(person: Person, now: datetime) -> int:
    """Wipe the person row: name, address, phone, sign-in, feed, two-factor; end every session."""
    person.name = former_volunteer_name(person.id)
    person.email = erased_email(person.id)
    person.phone = None
    person.password_hash = None
    person.calendar_token = None
    person.last_login_at = None
    person.active = False
    person.erased_at = now
    person.totp_secret = person.totp_enabled_at = person.totp_last_step = None
    end_all_sessions(person)
    return rows_matched(db.session.execute(delete(RecoveryCode).where(RecoveryCode.person_id == person.id)))


def _scrub_messages(address: str, person_id: int, org: Organisation | None) -> tuple[int, int]:
    """Delete unsent e-mails to ``address`` and redact sent ones (all organisations' when ``org`` is None)."""
    to_them = OutboxMessage.to_address == address
    if org is not None:
        to_them = to_them & (OutboxMessage.organisation_id == org.id)
    deleted = db.session.execute(delete(OutboxMessage).where(to_them, OutboxMessage.status.in_(UNSENT))
                                 .execution_options(synchronize_session=False))
    redacted = db.session.execute(
        update(OutboxMessage).where(to_them, OutboxMessage.status.not_in(UNSENT))
        .values(to_address=erased_email(person_id), subject=REDACTED, body_text=REDACTED, body_html=None,
                attachments=[])
        .execution_options(synchronize_session=False))
    return rows_matched(deleted), rows_matched(redacted)
