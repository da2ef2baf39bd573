"""The two lists of ``/rota/requests``, one page at a time: requests waiting for an answer, and no-show places.

A busy organisation has dozens of open swaps and a hundred recent places;
one page listing them all ran to 9,700 px on a phone. Each list is read
a page at a time, with the database doing the paging (a count and one
page of rows, whatever the length of the list).

Requests come *yours first*: those the coordinator must answer (late
cancellations, sign-ups held back by a load warning, swaps a colleague has
taken) before swaps still waiting for a colleague; soonest shift first
within each. A filter keeps one kind.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import selectinload

from volunteers.contributions import no_shows
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota import site_scope
from volunteers.rota.models import Assignment, Shift, ShiftOffer
from volunteers.selfservice.services import PENDING

#: the kinds of request, as the filter and the badges name them, in the filter's order
KIND_LABELS = {
    "cancel_request": "Late cancellation",
    "swap": "Swap",
    "signup_request": "Sign-up (load warning)",
}
#: no-show buttons by default for shifts ended this long ago at most (and shifts under way)
RECENT = timedelta(hours=48)
PAGE_SIZE = 25
#: requests are cards with a form each: fewer to a page
REQUESTS_PER_PAGE = 10


@dataclass(frozen=True)
class Paging:
    """Where a list is: page ``page`` of ``pages``, ``total`` rows in all."""

    page: int
    pages: int
    total: int


def _paging(total: int, wanted: int, size: int) -> Paging:
    pages = max(1, -(-total // size))
    return Paging(min(max(wanted, 1), pages), pages, total)


@dataclass(frozen=True)
class RequestPage:
    offers: list[ShiftOffer]
    kind: str | None  #: the kind kept by the filter, None for all
    counts: dict[str, int]  #: pending requests by kind (all of them, whatever the filter)
    paging: Paging


def _needs_answer() -> ColumnElement[bool]:
    """True for a request the coordinator must answer now (a swap only once a colleague has taken it)."""
    return or_(ShiftOffer.kind != "swap", ShiftOffer.status == "taken")


def _offers(org: Organisation, viewer: Membership | None) -> Select:
    """The organisation's offers joined to their shifts; only the viewer's sites' when limited to some."""
    stmt = (scoped(ShiftOffer, org)
            .join(Shift, (Shift.id == ShiftOffer.shift_id) & (Shift.organisation_id == ShiftOffer.organisation_id)))
    return site_scope.within_sites(stmt, Shift.site_id, viewer)


def _places(org: Organisation, viewer: Membership | None) -> Select:
    """The organisation's places joined to their shifts; only the viewer's sites' when limited to some."""
    stmt = (scoped(Assignment, org)
            .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id)))
    return site_scope.within_sites(stmt, Shift.site_id, viewer)


def offer_visible(org: Organisation, offer_id: int, viewer: Membership | None) -> bool:
    """Whether the viewer may answer this request (no: another organisation's or site's, or none)."""
    return db.session.scalar(_offers(org, viewer).with_only_columns(ShiftOffer.id)
                             .where(ShiftOffer.id == offer_id)) is not None


def place_visible(org: Organisation, assignment_id: int, viewer: Membership | None) -> bool:
    """Whether the viewer may mark this place a no-show (no: another organisation's or site's, or none)."""
    return db.session.scalar(_places(org, viewer).with_only_columns(Assignment.id)
                             .where(Assignment.id == assignment_id)) is not None


def request_page(org: Organisation, now: datetime, kind: str | None, page: int,
                 viewer: Membership | None = None) -> RequestPage:
    """Return one page of the pending requests on shifts not yet over: those waiting for an answer first.

    A ``viewer`` limited to some sites sees those sites' requests only (``rota.site_scope``).
    """
    pending = _offers(org, viewer).where(ShiftOffer.status.in_(PENDING), Shift.ends_at > now)
    counts = {k: n for k, n in db.session.execute(
        pending.with_only_columns(ShiftOffer.kind, func.count()).group_by(ShiftOffer.kind).order_by(None))}
    if kind not in KIND_LABELS:
        kind = None
    total = counts.get(kind, 0) if kind else sum(counts.values())
    paging = _paging(total, page, REQUESTS_PER_PAGE)
    stmt = pending.where(ShiftOffer.kind == kind) if kind else pending
    offers = list(db.session.scalars(
        stmt.options(selectinload(ShiftOffer.shift).selectinload(Shift.role),
                     selectinload(ShiftOffer.shift).selectinload(Shift.site),
                     selectinload(ShiftOffer.assignment).selectinload(Assignment.membership)
                     .selectinload(Membership.person))
        .order_by(case((_needs_answer(), 0), else_=1), Shift.starts_at, ShiftOffer.id)
        .limit(REQUESTS_PER_PAGE).offset((paging.page - 1) * REQUESTS_PER_PAGE)))
    return RequestPage(offers, kind, counts, paging)


@dataclass(frozen=True)
class NoShowPage:
    places: list[Assignment]
    window: str  #: recent or older
    paging: Paging


def no_show_page(org: Organisation, now: datetime, window: str, page: int,
                 viewer: Membership | None = None) -> NoShowPage:
    """Return one page of the places to mark a no-show on: ``recent`` (ended ≤ 48 h ago) or ``older``."""
    stmt = (_places(org, viewer)
            .where(Shift.starts_at <= now, Shift.status == "planned",
                   Assignment.status.in_(("assigned", "confirmed", "attended", "no_show"))))
    if window == "older":
        stmt = stmt.where(Shift.ends_at <= now - RECENT,
                          Shift.starts_at > now - timedelta(days=no_shows.MARKABLE_DAYS))
    else:
        stmt = stmt.where(Shift.ends_at > now - RECENT)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    paging = _paging(total, page, PAGE_SIZE)
    places = list(db.session.scalars(
        stmt.options(selectinload(Assignment.shift).selectinload(Shift.role),
                     selectinload(Assignment.membership).selectinload(Membership.person))
        .order_by(Shift.starts_at.desc(), Assignment.id).limit(PAGE_SIZE).offset((paging.page - 1) * PAGE_SIZE)))
    return NoShowPage(places, window, paging)
