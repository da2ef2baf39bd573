"""Casework on the web: register a mother, log a contact, reassign, hand over, close, and who may see what.

Services add and flush, never commit (the view commits once at the edge).
Every write, and every read of a record (special-category data), leaves an
audit entry holding ids and field names only — never a name, phone or note.
Refusals raise :class:`ServiceError` naming the form field.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func

from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.core.timeutil import local_date
from volunteers.extensions import db
from volunteers.peersupport import services
from volunteers.peersupport.domain.access import may_see, may_use_records
from volunteers.peersupport.domain.plan import MODES
from volunteers.peersupport.models import CLOSED_REASONS, MAX_MINUTES, Contact, SupportedPerson
from volunteers.people.models import Membership
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift


def record_view(org: Organisation, viewer: Membership, case: SupportedPerson, now: datetime, what: str) -> None:
    """Put one read of a record in the trail (who, which record, which page), or refuse it as absent.

    :raises LookupError: when the viewer may not see the case (the view answers 404).
    """
    if not may_see(is_coordinator=viewer.is_coordinator, membership_id=viewer.id,
                   supporter_membership_id=case.supporter_membership_id, membership_status=viewer.status):
        raise LookupError(case.id)
    audit.record(org, viewer.person_id, "peersupport.view_case", "supported_person", case.id, now=now, page=what)


def _member(org: Organisation, membership_id: int | None, field: str) -> Membership | None:
    if membership_id is None:
        return None
    member = get_scoped(Membership, org, membership_id)
    if member is None or member.status == "left":
        raise ServiceError("Choose a current member of the organisation.", field)
    return member


def ward_visitor(org: Organisation, shift_id: int, me: Membership) -> tuple[Shift, Membership | None]:
    """The ward shift a mother is registered from, and who made the visit: me if I was on it, else its first
    person on it.

    :raises ServiceError: for a shift not of the organisation.
    """
    shift = get_scoped(Shift, org, shift_id)
    if shift is None:
        raise ServiceError("No such shift.", "shift")
    on_it = list(db.session.scalars(scoped(Assignment, org, Assignment.membership_id).where(
        Assignment.shift_id == shift.id, Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES)).order_by(Assignment.id)))
    chosen = me.id if me.id in on_it else (on_it[0] if on_it else None)
    return shift, (get_scoped(Membership, org, chosen) if chosen is not None else None)


@dataclass(frozen=True)
class NewCase:
    reference: str
    first_name: str
    born_on: date
    area: str | None
    phone: str | None
    language: str | None
    consent_on: date | None
    consent_to: str | None
    supporter_membership_id: int | None


#: letters and digits of a reference made for a volunteer's registration (no 0/O, 1/I to misread)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _reference_in_use(org: Organisation, reference: str) -> bool:
    return db.session.scalar(scoped(SupportedPerson, org, SupportedPerson.id).where(
        SupportedPerson.reference == reference)) is not None


def _fresh_reference(org: Organisation) -> str:
    """``M-`` and six random characters no record of the organisation has (a clash is one in 10⁹)."""
    while True:
        reference = "M-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if not _reference_in_use(org, reference):
            return reference


def register(org: Organisation, new: NewCase, *, now: datetime, actor: Membership) -> SupportedPerson:
    """Register a supported person; a volunteer registers her own (she becomes the supporter).

    A coordinator gives the programme's reference; a volunteer's registration
    gets a reference made here (``new.reference`` is not used): refusing a
    reference she typed would tell her that another supporter's record has it.

    :raises ServiceError: for a reference in use (coordinators), a future plan date, a supporter who is not
        a member, or a paused registrant.
    """
    if not may_use_records(membership_status=actor.status):
        raise ServiceError("Your membership is paused: ask a coordinator to register her.", "reference")
    supporter_id = new.supporter_membership_id if actor.is_coordinator else actor.id
    _member(org, supporter_id, "supporter")
    reference = new.reference if actor.is_coordinator else _fresh_reference(org)
    if actor.is_coordinator and _reference_in_use(org, reference):
        raise ServiceError("Another record already has this reference.", "reference")
    if new.consent_on is not None and new.consent_on > local_date(now, org.timezone):
        raise ServiceError("Consent cannot be given in the future.", "consent_on")
    case = SupportedPerson(organisation_id=org.id, reference=reference, first_name=new.first_name,
                           born_on=new.born_on, area=new.area, phone=new.phone, language=new.language,
                           consent_on=new.consent_on, consent_to=new.consent_to,
                           supporter_membership_id=supporter_id, status="open", created_at=now)
    db.session.add(case)
    services.mark_peer_support(org)
    db.session.flush()
    audit.record(org, actor.person_id, "peersupport.register", "supported_person", case.id, now=now,
                 supporter=supporter_id, fields=sorted(k for k, v in vars(new).items() if v))
    return case


def log_contact(org: Organisation, case: SupportedPerson, by: Membership, *, on: date, mode: str, minutes: int,
                outcome: str | None, now: datetime) -> Contact:
    """Record a contact made by ``by``; its time goes to the ledger (``services``' entries, as imports do).

    :raises ServiceError: naming ``date`` (in the future), ``minutes`` (not 1..720) or ``mode``; none for a
        closed case.
    """
    if case.status != "open":
        raise ServiceError("This case is closed: no more contacts can be logged on it.")
    if mode not in MODES:
        raise ServiceError(f"Choose one of {', '.join(MODES)}.", "mode")
    if not 0 < minutes <= MAX_MINUTES:
        raise ServiceError("A contact lasts at least 1 minute and at most 12 hours (720 minutes).", "minutes")
    today = local_date(now, org.timezone)
    if on > today:
        raise ServiceError(f"A contact cannot be in the future (today is {today:%-d %b %Y}).", "date")
    contact = Contact(organisation_id=org.id, supported_person_id=case.id, contact_on=on, mode=mode,
                      minutes=minutes, membership_id=by.id, outcome=outcome or None, created_at=now)
    db.session.add(contact)
    services.link_entries([(contact, services.ledger_entries(org, contact, now))])
    audit.record(org, by.person_id, "peersupport.log_contact", "supported_person", case.id, now=now,
                 contact=contact.id, date=on, mode=mode, minutes=minutes)
    return contact


def reassign(org: Organisation, case: SupportedPerson, supporter_membership_id: int | None, *, now: datetime,
             actor: Membership, reason: str | None = None) -> None:
    """Give the case to another supporter (None: nobody for now).

    :raises ServiceError: naming ``supporter`` for someone who is not a current member.
    """
    _member(org, supporter_membership_id, "supporter")
    before = case.supporter_membership_id
    case.supporter_membership_id = supporter_membership_id
    db.session.flush()
    audit.record(org, actor.person_id, "peersupport.reassign", "supported_person", case.id, reason, now=now,
                 before=before, after=supporter_membership_id)


def hand_over(org: Organisation, from_membership_id: int, to_membership_id: int, *, now: datetime,
              actor: Membership, reason: str | None = None) -> int:
    """Move every open case of one supporter to another in one step (she leaves, or goes on leave).

    :raises ServiceError: naming ``to_member`` when both are the same person or not current members.
    """
    if from_membership_id == to_membership_id:
        raise ServiceError("Choose someone else to take the cases over.", "to_member")
    if get_scoped(Membership, org, from_membership_id) is None:
        raise ServiceError("Choose a member of the organisation.", "from_member")
    _member(org, to_membership_id, "to_member")
    # through the ORM, not a bulk UPDATE: the load rules' listener (``peersupport.load``) sees both caseloads change
    cases = list(db.session.scalars(scoped(SupportedPerson, org).where(
        SupportedPerson.status == "open", SupportedPerson.supporter_membership_id == from_membership_id)
        .order_by(SupportedPerson.id)))
    for case in cases:
        case.supporter_membership_id = to_membership_id
    db.session.flush()
    moved = [case.id for case in cases]
    audit.record(org, actor.person_id, "peersupport.hand_over", "membership", from_membership_id, reason, now=now,
                 to=to_membership_id, cases=moved)
    return len(moved)


def close(org: Organisation, case: SupportedPerson, reason: str, *, on: date, now: datetime,
          actor: Membership) -> None:
    """Close a case with a reason (its record is erased a retention period later: ``retention``).

    :raises ServiceError: naming ``reason`` or ``closed_on`` (not in the future).
    """
    if reason not in CLOSED_REASONS:
        raise ServiceError(f"Choose one of {', '.join(CLOSED_REASONS)}.", "reason")
    if on > local_date(now, org.timezone):
        raise ServiceError("A case cannot be closed in the future.", "closed_on")
    if case.status == "closed":
        raise ServiceError("This case is already closed.", "reason")
    case.status, case.closed_on, case.closed_reason = "closed", on, reason
    db.session.flush()
    audit.record(org, actor.person_id, "peersupport.close", "supported_person", case.id, now=now,
                 closed_on=on, closed_reason=reason)


def supporters_contacts(org: Organisation, case_id: int) -> dict[int, int]:
    """Membership id → how many contacts she made with the case (continuity, for the suggestions)."""
    rows = db.session.execute(scoped(Contact, org, Contact.membership_id, func.count()).where(
        Contact.supported_person_id == case_id).group_by(Contact.membership_id))
    return {membership_id: int(count) for membership_id, count in rows}

