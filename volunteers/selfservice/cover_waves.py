"""Cover requests in waves: ask the right few, then the next few, until the place is taken.

A late cancellation (``services.cancel``) or an open place the waiting
list could not fill calls :func:`start_cover`. The eligible people are
those the board's candidate list shows (``rota.candidates`` and the
eligibility index: qualified, available, not on leave, no overlap), in the
board's order (``rota.domain.fair_order``), less anyone who would get a
load warning of severity ``warning`` or worse by taking the place
(``wellbeing``'s prospective warnings, judged only for the first few in
that order, in batches, so a large organisation is not judged whole). The
first wave asks ``cover_wave_size`` of them (default 5) through the
channel path (``messages.cover_needed``: a text with the YES code for
those who chose texts, else an e-mail); :func:`send_due_waves`, a job run
every minute, asks the next few once ``cover_wave_minutes`` (default 30)
have passed and the place is still needed. Each ask is a ``CoverAsk`` row:
who, which wave, when, which channel; the unique key on (request, person)
and the claim on the request's ``next_wave_at`` mean a job run twice, or
on two schedulers at once, never asks anyone twice.

The request stops (:func:`stop_cover`) the moment the place is taken — a
web accept or a text YES (``swaps.move_place``), or a coordinator's
decision — and the job stops it too whenever it finds it no longer needed
(``domain.cover_waves.stop_reason``). A coordinator may ask one more
eligible person by hand (:func:`ask_by_hand`, audited). Services flush,
never commit.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import get_scoped, scoped
from volunteers.core.timeutil import Month, local_date, zone
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.candidates import load_candidates, open_shift_for
from volunteers.rota.cover_models import CoverAsk, CoverRequest
from volunteers.rota.domain.eligibility import EligibilityIndex, check
from volunteers.rota.domain.fair_order import month_pledge
from volunteers.rota.member_hours import hours_by_member
from volunteers.rota.models import Assignment, Shift, ShiftOffer
from volunteers.selfservice import messages as mail
from volunteers.selfservice.domain.cover_waves import (
    WAVE_MINUTES_SETTING,
    WAVE_SIZE_SETTING,
    Prospect,
    next_wave,
    ranked,
    stop_reason,
    wave_interval,
    wave_size,
)
from volunteers.selfservice.waiting_list_models import WaitingListEntry
from volunteers.wellbeing import max_severity
from volunteers.wellbeing import services as wellbeing

log = logging.getLogger(__name__)

#: how many more people than still wanted are judged for load at a time
JUDGE_BATCH = 10


@dataclass(frozen=True)
class Asked:
    """One person asked, for the caller to count or show."""

    membership: Membership
    channel: str


def settings_of(org: Organisation) -> tuple[int, int]:
    """Return the organisation's wave size and minutes between waves, as the job reads them."""
    return (wave_size(org.setting(WAVE_SIZE_SETTING)),
            int(wave_interval(org.setting(WAVE_MINUTES_SETTING)).total_seconds() // 60))


def prospects(org: Organisation, shift: Shift, now: datetime, *, exclude: Iterable[int] = (),
              want: int | None = None) -> list[tuple[Prospect, Membership]]:
    """Return eligible people for ``shift`` in the board's order, each judged for load, with their membership.

    Without ``want``, everyone eligible (but ``exclude``) is judged and returned,
    blocked or not. With ``want``, only the first ``want`` not blocked by a load
    warning are returned, judging the order in batches until they are found:
    for a 1,000-person organisation that is a few dozen judged, not everyone.
    """
    tz, left_out = zone(org.timezone), set(exclude)
    candidates = load_candidates(org, None, shift.starts_at, shift.ends_at)
    if not candidates:
        return []
    eligible = [int(cid) for cid in EligibilityIndex(list(candidates.values()), tz).assess(
        open_shift_for(org, shift)).eligible if int(cid) not in left_out]
    if not eligible:
        return []
    day = local_date(shift.starts_at, tz)
    month = Month.of(day).bounds(tz)
    hours = hours_by_member(org, month[0], month[1], {"month": month})
    order = ranked(Prospect(mid, candidates[mid].name, hours.get(mid, {}).get("month", 0.0),
                            month_pledge(candidates[mid].pledged_hours_per_week, day)) for mid in eligible)
    found: list[tuple[Prospect, Membership]] = []
    start = 0
    while start < len(order) and (want is None or len(found) < want):
        size = len(order) if want is None else want - len(found) + JUDGE_BATCH
        batch = order[start:start + size]
        start += size
        members = {m.id: m for m in db.session.scalars(
            scoped(Membership, org).where(Membership.id.in_([p.membership_id for p in batch]))
            .options(selectinload(Membership.person)))}
        warnings = wellbeing.prospective_warnings_for(org, list(members.values()), [shift], now)
        judged = [replace(p, worst_warning=max_severity(w.severity for w in warnings.get(p.membership_id, [])))
                  for p in batch if p.membership_id in members]
        if want is None:
            found += [(p, members[p.membership_id]) for p in judged]
        else:
            found += [(p, members[p.membership_id]) for p in next_wave(judged, (), want - len(found))]
    return found


def _offer_of(org: Organisation, request: CoverRequest) -> ShiftOffer | None:
    return get_scoped(ShiftOffer, org, request.offer_id) if request.offer_id is not None else None


def _giver_name(offer: ShiftOffer | None) -> str | None:
    if offer is None or offer.assignment is None:
        return None
    return offer.assignment.membership.person.name


def _key(org: Organisation, request: CoverRequest) -> str:
    # a late cancellation's key is the one text_replies matches a YES code against
    if request.offer_id is not None:
        return f"cover:{org.id}:{request.offer_id}"
    return f"cover-place:{org.id}:{request.id}"


def _why_stop(org: Organisation, request: CoverRequest, shift: Shift, offer: ShiftOffer | None,
              now: datetime) -> str | None:
    return stop_reason(shift_planned=shift.status == "planned", shift_starts_at=shift.starts_at, now=now,
                       offer_status=offer.status if offer is not None else None,
                       offer_taken=offer is not None and offer.taken_by_membership_id is not None,
                       places_open=shift.needed - shift.filled)


def _all_held(org: Organisation, shift: Shift, offer: ShiftOffer | None) -> bool:
    """Whether a waiting list holds every open place of the shift for someone (an open-place request only).

    Nobody else is asked for a held place, but the request only waits: if the
    offer is declined or lapses and the list is empty, the place is open again
    and the next wave asks for it (stopping here for good left it unasked).
    """
    if offer is not None:
        return False
    held = int(db.session.scalar(
        scoped(WaitingListEntry, org, func.count()).where(WaitingListEntry.shift_id == shift.id,
                                                          WaitingListEntry.status == "offered")) or 0)
    return shift.needed - shift.filled - held <= 0


def _asked_ids(org: Organisation, request: CoverRequest) -> set[int]:
    """Return everyone asked to cover a place on ``request``'s shift, by this request or an earlier one.

    A released late cancellation becomes an open place, which the waiting list may put out to
    cover again: the people asked the first time are not asked again about the same shift.
    """
    return set(db.session.scalars(
        scoped(CoverAsk, org, CoverAsk.membership_id)
        .join(CoverRequest, (CoverRequest.id == CoverAsk.cover_request_id)
              & (CoverRequest.organisation_id == CoverAsk.organisation_id))
        .where(CoverRequest.shift_id == request.shift_id)))


def _gave_up(org: Organisation, shift: Shift) -> set[int]:
    """Return who has left this shift (a cancelled place): they are not asked to cover it."""
    return set(db.session.scalars(scoped(Assignment, org, Assignment.membership_id).where(
        Assignment.shift_id == shift.id, Assignment.status == "cancelled")))


def _record(org: Organisation, request: CoverRequest, channels: dict[int, str], members: dict[int, Membership],
            wave: int, now: datetime, by: int | None = None) -> list[Asked]:
    for membership_id, channel in channels.items():
        db.session.add(CoverAsk(organisation_id=org.id, cover_request_id=request.id, membership_id=membership_id,
                                wave=wave, asked_at=now, channel=channel, asked_by_person_id=by))
    db.session.flush()
    return [Asked(members[mid], channel) for mid, channel in channels.items()]


def _send_wave(org: Organisation, request: CoverRequest, now: datetime) -> list[Asked]:
    """Ask the next wave of ``request`` now (the caller has claimed it); stop it instead if no longer needed."""
    shift = get_scoped(Shift, org, request.shift_id)
    assert shift is not None  # the foreign key cascades
    offer = _offer_of(org, request)
    reason = _why_stop(org, request, shift, offer, now)
    if reason is not None:
        _stop(request, reason, now)
        return []
    if _all_held(org, shift, offer):
        return []  # held for someone waiting: this wave skipped, the request goes on
    exclude = _asked_ids(org, request) | _gave_up(org, shift)
    if offer is not None and offer.assignment is not None:
        exclude.add(offer.assignment.membership_id)
    wave = prospects(org, shift, now, exclude=exclude, want=request.wave_size)
    if not wave:
        return []  # nobody left to ask now; the next run looks again (someone may have become free)
    members = {m.id: m for _, m in wave}
    channels = mail.cover_needed(org, shift, list(members.values()), offer_id=request.offer_id,
                                 giver=_giver_name(offer), key=_key(org, request), now=now)
    request.waves_sent += 1
    return _record(org, request, channels, members, request.waves_sent, now)


def _stop(request: CoverRequest, reason: str, now: datetime) -> None:
    request.stopped_at, request.stop_reason, request.next_wave_at = now, reason, None


def live_request(org: Organisation, shift: Shift, offer: ShiftOffer | None) -> CoverRequest | None:
    """Return the cover request of ``offer`` (any state), or the live one of an open place on ``shift``."""
    stmt = scoped(CoverRequest, org).where(CoverRequest.shift_id == shift.id)
    if offer is not None:
        stmt = stmt.where(CoverRequest.offer_id == offer.id)
    else:
        stmt = stmt.where(CoverRequest.offer_id.is_(None), CoverRequest.stopped_at.is_(None))
    return db.session.scalar(stmt.order_by(CoverRequest.id.desc()).limit(1))


def start_cover(org: Organisation, shift: Shift, offer: ShiftOffer | None, now: datetime) -> int:
    """Start asking for cover of a place on ``shift`` and ask the first wave now; return how many were asked.

    ``offer`` is the late cancellation (kind ``cancel_request``) whose place needs
    cover, or None for an open place on the shift (the waiting list found no one):
    that one is taken once the shift has no open place. Calling it again for the
    same offer (or while an open place's request is live) asks nobody and returns 0.
    """
    if live_request(org, shift, offer) is not None:
        return 0
    size, minutes = settings_of(org)
    request = CoverRequest(organisation_id=org.id, shift_id=shift.id, offer_id=offer.id if offer else None,
                           wave_size=size, wave_minutes=minutes, waves_sent=0, started_at=now,
                           next_wave_at=now + wave_interval(minutes))
    db.session.add(request)
    db.session.flush()
    return len(_send_wave(org, request, now))


def stop_cover(org: Organisation, offer_or_shift: ShiftOffer | Shift, now: datetime, reason: str = "taken") -> int:
    """Stop the live cover requests of a late cancellation (an offer) or of a shift; return how many stopped.

    ``reason`` is one of ``rota.cover_models.STOP_REASONS``. Nobody is asked
    again for a stopped request; the asks already made stay on record.
    """
    stmt = scoped(CoverRequest, org).where(CoverRequest.stopped_at.is_(None))
    if isinstance(offer_or_shift, ShiftOffer):
        stmt = stmt.where(CoverRequest.offer_id == offer_or_shift.id)
    else:
        stmt = stmt.where(CoverRequest.shift_id == offer_or_shift.id)
    stopped = list(db.session.scalars(stmt))
    for request in stopped:
        _stop(request, reason, now)
    db.session.flush()
    return len(stopped)


def _claim(request_id: int, now: datetime, minutes: int) -> bool:
    """Move a due request's next wave on by its interval; False when another run has claimed it already."""
    claimed = db.session.execute(
        update(CoverRequest)
        .where(CoverRequest.id == request_id, CoverRequest.stopped_at.is_(None), CoverRequest.next_wave_at <= now)
        .values(next_wave_at=now + wave_interval(minutes))
        .execution_options(synchronize_session="fetch"))
    return bool(getattr(claimed, "rowcount", 0) == 1)


def send_due_waves(now: datetime) -> int:
    """Send the next wave of every live cover request whose interval has passed (the job); return how many asked.

    Each request is claimed by moving its ``next_wave_at`` on (a guarded UPDATE),
    so two runs at once send one wave; a failure in one request is rolled back
    to its savepoint and logged, and the others still go.
    """
    due = db.session.execute(
        select(CoverRequest.id, CoverRequest.organisation_id, CoverRequest.wave_minutes)
        .where(CoverRequest.stopped_at.is_(None), CoverRequest.next_wave_at <= now)
        .order_by(CoverRequest.next_wave_at, CoverRequest.id)).all()
    asked = 0
    for request_id, organisation_id, minutes in due:
        org = db.session.get(Organisation, organisation_id)
        assert org is not None
        try:
            with db.session.begin_nested():
                if not _claim(request_id, now, minutes):
                    continue
                request = get_scoped(CoverRequest, org, request_id)
                assert request is not None
                asked += len(_send_wave(org, request, now))
        except Exception:
            log.exception("cover request %s: the next wave failed", request_id)
    return asked


def ask_by_hand(org: Organisation, request: CoverRequest, membership_id: int, actor_person_id: int,
                now: datetime) -> Asked:
    """Ask one named eligible person now, as a coordinator (wave 0), and audit it.

    :raises ServiceError: (field ``membership_id``) when the request has stopped, the
        person is unknown, already asked, on the shift or not eligible.
    """
    if request.stopped_at is not None:
        raise ServiceError("This cover request has stopped: the place no longer needs cover.", "membership_id")
    shift = get_scoped(Shift, org, request.shift_id)
    membership = get_scoped(Membership, org, membership_id)
    assert shift is not None
    if membership is None or membership.status != "active":
        raise ServiceError("Choose an active member from the list.", "membership_id")
    if membership_id in _asked_ids(org, request):
        raise ServiceError(f"{membership.person.name} has been asked already.", "membership_id")
    open_shift = open_shift_for(org, shift)
    candidate = load_candidates(org, [membership.id], shift.starts_at, shift.ends_at).get(membership.id)
    reasons = [r.message for r in check(candidate, open_shift, zone(org.timezone))] if candidate else ["inactive"]
    if str(membership.id) in open_shift.assigned:
        reasons.insert(0, "already on this shift")
    if reasons:
        raise ServiceError(f"{membership.person.name} can't take this shift: {'; '.join(reasons)}.", "membership_id")
    offer = _offer_of(org, request)
    channels = mail.cover_needed(org, shift, [membership], offer_id=request.offer_id, giver=_giver_name(offer),
                                 key=_key(org, request), now=now)
    if membership.id not in channels:
        raise ServiceError(f"{membership.person.name} can't be reached (their account is closed).", "membership_id")
    asked = _record(org, request, channels, {membership.id: membership}, 0, now, by=actor_person_id)[0]
    audit.record(org, actor_person_id, "rota.cover_ask", "cover_request", request.id, None,
                 membership_id=membership.id, shift_id=shift.id, channel=asked.channel, now=now)
    return asked
