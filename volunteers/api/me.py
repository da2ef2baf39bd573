"""The volunteer's calls: my shifts, open shifts, sign up, cancel, offer my place or take one offered, my load note.

They call the same services as the /me pages (``selfservice.services``:
eligibility, load warnings, the guarded ``take_place``, the notice rule),
in the token's organisation only.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Response

from volunteers.api.auth import current_membership, current_organisation
from volunteers.api.base import bp
from volunteers.api.caching import FOREVER, kept_json, request_key
from volunteers.api.errors import ApiProblem, field_problem
from volunteers.api.paging import decode_cursor, next_link, page
from volunteers.api.schemas.common import PageArgs
from volunteers.api.schemas.me import (
    AcceptResultSchema,
    CancelArgs,
    CancelResultSchema,
    LoadNoteSchema,
    MyShiftPageSchema,
    OfferArgs,
    OfferSchema,
    OpenOfferPageSchema,
    SignUpArgs,
    SignUpResultSchema,
)
from volunteers.api.schemas.shifts import ShiftPageSchema
from volunteers.core.timeutil import utcnow
from volunteers.rota import queries
from volunteers.rota.models import Shift
from volunteers.selfservice import open_pages, swaps
from volunteers.selfservice import services as self_service
from volunteers.selfservice.me_pages import PAST_DAYS
from volunteers.selfservice.services import SelfServiceError
from volunteers.wellbeing import notes

#: how each refusal of a self-service action answers
STATUS_OF = {"not_found": 404, "full": 409, "already_on": 409, "gone": 409, "decided": 409}


def refused(error: SelfServiceError) -> ApiProblem:
    """Turn a refused self-service action into a problem: 404, 409 (full, already on) or 422."""
    status = STATUS_OF.get(error.code, 422)
    return ApiProblem(status, error.code.replace("_", "-"), str(error))


def shift_json(shift: Shift, places_left: int) -> dict[str, Any]:
    return {"id": shift.id, "starts_at": shift.starts_at, "ends_at": shift.ends_at, "date": shift.local_date,
            "role": shift.role.name, "role_id": shift.role_id, "site": shift.site.name, "site_id": shift.site_id,
            "needed": shift.needed, "filled": shift.needed - places_left, "open_places": places_left,
            "status": shift.status}


@bp.arguments(PageArgs, location="query", as_kwargs=True)
@bp.response(200, MyShiftPageSchema)
@bp.alt_response(304, description="Not modified: the list is the one your If-None-Match names.")
def my_shifts(limit: int, cursor: str | None) -> Response:
    """My places in this organisation, by start: from 60 days ago on (ETag: poll with If-None-Match)."""
    membership = current_membership()
    now = utcnow()

    def make() -> tuple[dict[str, Any], datetime | None]:
        places = [p for p in queries.my_places(membership.person_id, now - timedelta(days=PAST_DAYS))
                  if p.organisation_id == membership.organisation_id]
        result = page(places, lambda p: (p.starts_at.isoformat(), p.id), limit, cursor)
        result["items"] = [{"assignment_id": p.id, "status": p.status, "shift_id": p.shift_id,
                            "starts_at": p.starts_at, "ends_at": p.ends_at, "role": p.role, "site": p.site,
                            "address": p.address} for p in result["items"]]
        # the list changes by the clock alone when its earliest place leaves the 60 days
        until = min(p.starts_at for p in places) + timedelta(days=PAST_DAYS) if places else FOREVER
        return MyShiftPageSchema().dump(result), until

    return kept_json((*request_key(), membership.id), membership.organisation_id, now, make)


#: the years a cursor's time may name: a cursor the API wrote names a shift's start
CURSOR_YEARS = (1900, 9000)


@bp.arguments(PageArgs, location="query", as_kwargs=True)
@bp.response(200, ShiftPageSchema)
def open_shifts(limit: int, cursor: str | None) -> dict[str, Any]:
    """Published shifts of the next six weeks with a free place I may take (the /me/shifts/open list)."""
    after = None
    if cursor:  # the key of the last shift sent: read on from there (a page and one more, not every shift)
        text, ident = decode_cursor(cursor)
        try:
            when = datetime.fromisoformat(text)
            when = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
            if not CURSOR_YEARS[0] <= when.year <= CURSOR_YEARS[1]:
                raise ValueError  # no shift starts then; year 1 or 9999 overflow once the query shifts them
        except (ValueError, OverflowError):
            raise field_problem("cursor", "not a cursor this API gave (use the `next` link as it is)") from None
        after = (when, ident)
    found = open_pages.open_page([current_membership()], utcnow(), after=after, limit=limit)
    return {"items": [shift_json(i.shift, i.places_left) for i in found.items],
            "next": next_link((found.later[0].isoformat(), found.later[1]), limit) if found.later else None}


@bp.arguments(SignUpArgs, as_kwargs=True, required=False)
@bp.response(200, SignUpResultSchema)
def sign_up(shift_id: int, confirmed: bool) -> dict[str, Any]:
    """Take a place: 409 when the shift is full, 422 when I may not take it.

    A load warning answers ``confirm`` (send again with ``confirmed: true``);
    a critical one turns the sign-up into a request the coordinator decides.
    """
    try:
        outcome = self_service.sign_up(current_organisation(), current_membership(), shift_id, utcnow(),
                                       confirmed=confirmed)
    except SelfServiceError as error:
        raise refused(error) from None
    return {"status": outcome.status, "shift_id": outcome.shift.id,
            "assignment_id": outcome.assignment.id if outcome.assignment else None,
            "request_id": outcome.offer.id if outcome.offer else None,
            "warnings": self_service.warning_dicts(outcome.warnings)}


@bp.arguments(CancelArgs, as_kwargs=True, required=False)
@bp.response(200, CancelResultSchema)
def cancel(assignment_id: int, note: str | None) -> dict[str, Any]:
    """Cancel my place: in time it is released; inside the notice period the coordinator is asked."""
    try:
        outcome = self_service.cancel(current_organisation(), current_membership(), assignment_id, utcnow(),
                                      note=note)
    except SelfServiceError as error:
        raise refused(error) from None
    return {"status": outcome.status, "assignment_id": outcome.assignment.id,
            "request_id": outcome.offer.id if outcome.offer else None}



@bp.arguments(OfferArgs, as_kwargs=True, required=False)
@bp.response(201, OfferSchema)
def offer(assignment_id: int, to: int | None, note: str | None) -> dict[str, Any]:
    """Offer my place to a colleague (or everyone who may take it); I stay on the shift until someone does."""
    try:
        made = swaps.offer_place(current_organisation(), current_membership(), assignment_id, utcnow(), to, note)
    except SelfServiceError as error:
        raise refused(error) from None
    return {"offer_id": made.id, "assignment_id": assignment_id, "status": made.status,
            "to": made.offered_to_membership_id}


@bp.response(200, LoadNoteSchema)
def load_note() -> dict[str, Any]:
    """The note /me/shifts shows about my load this week (over my pledge, or a load warning in plain words)."""
    membership = current_membership()
    return {"note": notes.load_note(current_organisation(), membership, utcnow())
            if membership.status == "active" else None}


@bp.arguments(PageArgs, location="query", as_kwargs=True)
@bp.response(200, OpenOfferPageSchema)
def open_offers(limit: int, cursor: str | None) -> dict[str, Any]:
    """Places colleagues offer that I may take, and late cancellations needing cover (the /me/shifts list)."""
    membership = current_membership()
    pairs = sorted(((offer, offer.shift) for offer, _ in swaps.offers_open_to([membership], utcnow())
                    if offer.shift is not None), key=lambda pair: (pair[1].starts_at.isoformat(), pair[0].id))
    result = page(pairs, lambda pair: (pair[1].starts_at.isoformat(), pair[0].id), limit, cursor)
    result["items"] = [{"offer_id": o.id, "kind": o.kind, "to_me": o.offered_to_membership_id == membership.id,
                        "note": o.note, "shift_id": shift.id, "starts_at": shift.starts_at, "ends_at": shift.ends_at,
                        "role": shift.role.name, "site": shift.site.name} for o, shift in result["items"]]
    return result


@bp.arguments(SignUpArgs, as_kwargs=True, required=False)
@bp.response(200, AcceptResultSchema)
def accept_offer(offer_id: int, confirmed: bool) -> dict[str, Any]:
    """Take a place offered (or cover a late cancellation), or wait for the coordinator when swaps need approval."""
    try:
        outcome = swaps.accept_offer(current_organisation(), current_membership(), offer_id, utcnow(),
                                     confirmed=confirmed)
    except SelfServiceError as error:
        raise refused(error) from None
    return {"status": outcome.status, "offer_id": outcome.offer.id,
            "assignment_id": outcome.assignment.id if outcome.assignment else None,
            "warnings": self_service.warning_dicts(outcome.warnings)}
