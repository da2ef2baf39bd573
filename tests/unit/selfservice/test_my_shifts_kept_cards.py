"""/me/shifts' cards kept between views are the cards made afresh (issue 13).

Views follow one another with the kept markup never cleared, each one input of a card changed at a time
(the place's every value, first or not, the organisation's name and zone, today's date there, started or
not, in time to cancel or not, the notice hours, the others on it, the pending offer and whom it names,
the app's root, ``many``): each kept card must be the one made afresh. With any of these left out of the
key, a view would be answered with an earlier view's markup and this fails.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from volunteers.rota.queries import MyPlace
from volunteers.selfservice import me_cards
from volunteers.selfservice.me_cards import Links, Zone, full_card, kept_past, kept_upcoming
from volunteers.selfservice.me_markup import past_row, upcoming_card

CSRF = '<input id="csrf_token" name="csrf_token" type="hidden" value="tok&amp;en">'
PLACE = MyPlace(7, "confirmed", 3, 1, 40, datetime(2026, 12, 8, 9, tzinfo=UTC), datetime(2026, 12, 8, 13, tzinfo=UTC),
                "Driver", "Depot", "1 High St", "planned")
LINKS = Links(("/me/places/", "/cancel"), ("/me/places/", "/offer"), ("/me/offers/", "/withdraw"))


@dataclass(frozen=True)
class Org:
    name: str
    timezone: str


@dataclass(frozen=True)
class Offer:
    id: int
    kind: str
    status: str
    offered_to_membership_id: int | None


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


BASE: dict[str, Any] = dict(place=PLACE, first=True, org=Org("Tackley", "Europe/London"), now=_at(7, 8),
                            others=["Ann"], offer=None, offered_to=None, hours=24.0, links=LINKS, many=True)
SWAP = Offer(5, "swap", "open", None)
#: each view changes one input from the one before (or from the base): every key component is tested
VIEWS: list[dict[str, Any]] = [
    {},
    {"place": PLACE._replace(id=8)},
    {"place": PLACE._replace(role="Cook")},
    {"place": PLACE._replace(site="Hall")},
    {"place": PLACE._replace(address=None)},
    {"place": PLACE._replace(starts_at=_at(8, 10))},
    {"place": PLACE._replace(ends_at=_at(8, 14))},
    {"first": False},
    {"many": False},
    {"org": Org("Surestart", "Europe/London")},
    {"org": Org("Tackley", "America/New_York")},
    {"now": _at(6, 12)},  # not yet "Tomorrow": only today's date differs
    {"now": _at(7, 9, 30)},  # past the cutoff: only in time differs
    {"now": _at(8, 8, 59)},
    {"now": _at(8, 9, 1)},  # started: only that differs from the view before
    {"hours": 20.0},
    {"others": ["Ann", "Cy"]},
    {"others": []},
    {"offer": SWAP},
    {"offer": SWAP, "offered_to": "Bea"},
    {"offer": replace(SWAP, status="taken")},
    {"offer": replace(SWAP, kind="cancel_request")},
    {"offer": replace(SWAP, id=6)},
    {"links": Links(("/vol/me/places/", "/cancel"), ("/vol/me/places/", "/offer"), ("/vol/me/offers/", "/withdraw"))},
]


def _args(change: dict[str, Any]) -> dict[str, Any]:
    args = {**BASE, **change}
    if "offer" in change and "offered_to" not in change:
        args["offered_to"] = None
    return args


def test_kept_upcoming_cards_are_the_cards_made_afresh() -> None:
    me_cards._KEPT.clear()
    seen = set()
    for _ in range(2):  # the second time round every card is kept
        for change in VIEWS:
            a = _args(change)
            where = Zone(a["org"], a["now"])
            kept = CSRF.join(kept_upcoming(a["place"], a["first"], a["org"], a["now"], a["others"], a["offer"],
                                            a["offered_to"], a["hours"], where, a["links"], a["many"]))
            card = full_card(a["place"], a["org"], a["now"], a["others"], a["offer"], a["offered_to"], a["hours"],
                              Zone(a["org"], a["now"]), a["links"])
            assert kept == upcoming_card(card, a["first"], CSRF, a["many"]), change
            seen.add(kept)
    assert len(seen) == len(VIEWS)  # every view shows something the others do not


def test_kept_past_rows_are_the_rows_made_afresh() -> None:
    me_cards._KEPT.clear()
    views = [{}, {"place": PLACE._replace(status="no_show")}, {"place": PLACE._replace(role="Cook")},
             {"place": PLACE._replace(starts_at=_at(8, 10))}, {"place": PLACE._replace(ends_at=_at(9, 1))},
             {"many": False}, {"org": Org("Surestart", "Europe/London")}, {"org": Org("Tackley", "Asia/Tokyo")}]
    seen = set()
    for _ in range(2):
        for change in views:
            a = _args(change)
            kept = kept_past(a["place"], a["org"], a["now"], a["hours"], Zone(a["org"], a["now"]), a["many"])
            fresh = past_row(me_cards.make_card(a["place"], a["org"], a["now"], [], None, a["hours"],
                                            Zone(a["org"], a["now"])), a["many"])
            assert kept == fresh, change
            seen.add(kept)
    assert len(seen) == len(views)


def test_the_kept_markup_is_bounded() -> None:
    me_cards._KEPT.clear()
    for i in range(me_cards.KEPT_AT_MOST + 10):
        a = _args({"place": PLACE._replace(id=i)})
        kept_past(a["place"], a["org"], a["now"], a["hours"], Zone(a["org"], a["now"]), a["many"])
        assert len(me_cards._KEPT) <= me_cards.KEPT_AT_MOST
