"""The cards of the "My shifts" page: each shift as the page shows it, and its markup kept between views.

Split from ``me_pages`` (which reads what the page shows): a card is a pure function of the place and a few
values of the page, so its markup is kept, per worker, under all of them (``kept_upcoming``, ``kept_past``).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from volunteers.core.models import Organisation
from volunteers.core.timeutil import format_day, zone
from volunteers.rota.models import ShiftOffer
from volunteers.rota.queries import MyPlace
from volunteers.selfservice.domain.notice import cancel_cutoff, may_self_cancel
from volunteers.selfservice.me_markup import past_row, upcoming_card

#: an id no record has, to cut a URL where the id goes
PLACEHOLDER = 987654321


@dataclass
class ShiftCard:
    """One of my shifts, as the page shows it."""

    assignment: MyPlace  #: the place: ``id``, ``status``, …
    org: Organisation
    day: str  #: "Today", "Tomorrow" or "Sat 24 Oct"
    date: str  #: "Sat 24 Oct"
    time: str  #: "09:00–13:00", "22:00–06:00 (next day)"
    role: str
    site: str
    address: str | None
    others: list[str] = field(default_factory=list)
    offer: ShiftOffer | None = None
    cancel_in_time: bool = True
    cutoff: str = ""
    started: bool = False
    offered_to: str | None = None  #: the colleague a pending swap names
    cancel_url: str = ""
    offer_url: str = ""
    withdraw_url: str = ""  #: withdraw the pending offer (when there is one)


class Zone:
    """An organisation's zone, today's and tomorrow's local dates and each local date's text, for its cards:
    worked out once per page, not once per card."""

    def __init__(self, org: Organisation, now: datetime) -> None:
        self.tz = zone(org.timezone)
        self.today = today = now.astimezone(self.tz).date()
        self.names = {today: "Today", today + timedelta(days=1): "Tomorrow"}
        self._days: dict[date, str] = {}

    def day(self, on: date) -> str:
        found = self._days.get(on)
        if found is None:
            found = self._days[on] = format_day(on)
        return found


def make_card(place: MyPlace, org: Organisation, now: datetime, others: list[str],
          offer: ShiftOffer | None, hours: float, where: Zone) -> ShiftCard:
    start, end = place.starts_at.astimezone(where.tz), place.ends_at.astimezone(where.tz)
    on = start.date()
    date_text = where.day(on)
    span = (f"{start.hour:02d}:{start.minute:02d}–{end.hour:02d}:{end.minute:02d}"
            + ("" if end.date() == on else " (next day)"))
    cutoff = cancel_cutoff(place.starts_at, hours).astimezone(where.tz)
    return ShiftCard(
        assignment=place, org=org, day=where.names.get(on, date_text), date=date_text, time=span,
        role=place.role, site=place.site, address=place.address, others=others, offer=offer,
        cancel_in_time=may_self_cancel(place.starts_at, now, hours),
        cutoff=f"{where.day(cutoff.date())}, {cutoff.hour:02d}:{cutoff.minute:02d}",
        started=place.starts_at <= now,
    )


#: each card's markup kept between views, per worker: its key (``kept_upcoming``, ``kept_past``) → the
#: markup split around the CSRF field. A key holds the place (~11 short values), the names on it and ~10
#: small values; with ~1.5 KB of markup an entry is ~3 KB: ~6 MB at most, dropped together past the limit
_KEPT: dict[tuple[Any, ...], tuple[str, ...]] = {}
KEPT_AT_MOST = 2048
#: what the cards are written with for the CSRF field, split at: made anew per process (no name can hold it)
_CSRF_STAND_IN = f"\x1ecsrf-field-{secrets.token_hex(8)}\x1e"


class Links(NamedTuple):
    """A card's links cut where the id goes (one ``url_for`` per kind a page, not per card)."""

    cancel: tuple[str, str]
    offer: tuple[str, str]
    withdraw: tuple[str, str]


def cut(url: str) -> tuple[str, str]:
    before, _, after = url.partition(str(PLACEHOLDER))
    return before, after


def _keep(key: tuple[Any, ...], markup: str) -> tuple[str, ...]:
    if len(_KEPT) >= KEPT_AT_MOST:
        _KEPT.clear()
    found = _KEPT[key] = tuple(markup.split(_CSRF_STAND_IN))
    return found


def full_card(place: MyPlace, org: Organisation, now: datetime, others: list[str], offer: ShiftOffer | None,
               offered_to: str | None, hours: float, where: Zone, links: Links) -> ShiftCard:
    c = make_card(place, org, now, others, offer, hours, where)
    c.cancel_url = f"{links.cancel[0]}{place.id}{links.cancel[1]}"
    c.offer_url = f"{links.offer[0]}{place.id}{links.offer[1]}"
    if offer is not None:
        c.withdraw_url = f"{links.withdraw[0]}{offer.id}{links.withdraw[1]}"
    c.offered_to = offered_to
    return c


def kept_upcoming(place: MyPlace, first: bool, org: Organisation, now: datetime, others: list[str],
                   offer: ShiftOffer | None, offered_to: str | None, hours: float, where: Zone, links: Links,
                   many: bool) -> tuple[str, ...]:
    """A "Coming up" card's markup around the CSRF field, kept under all it shows: the place, whether it is
    the page's first, the organisation's name and zone, today's date there (Today/Tomorrow), the notice hours,
    whether it has started and may be cancelled at ``now``, the others on it, the pending offer and whom it
    names, the links' cuts (the app's root) and ``many``."""
    key = ("upcoming", place, first, many, org.name, org.timezone, where.today, hours, place.starts_at <= now,
           may_self_cancel(place.starts_at, now, hours), tuple(others),
           None if offer is None else (offer.id, offer.kind, offer.status), offered_to, links)
    found = _KEPT.get(key)
    if found is None:
        card = full_card(place, org, now, others, offer, offered_to, hours, where, links)
        found = _keep(key, upcoming_card(card, first, _CSRF_STAND_IN, many))
    return found


def kept_past(place: MyPlace, org: Organisation, now: datetime, hours: float, where: Zone,
               many: bool) -> str:
    """A "Recent shifts" item's markup, kept under all it shows: the place, the organisation's name and zone,
    ``many``."""
    key = ("past", place, many, org.name, org.timezone)
    found = _KEPT.get(key)
    if found is None:
        card = make_card(place, org, now, [], None, hours, where)
        found = _keep(key, past_row(card, many))
    return found[0]
