"""Who was asked to cover which place, in which wave and when: for the request cards and the shift panel.

One statement whatever the number of requests or people asked (the
requests, each with every ask, its person and, for an ask by hand, the
coordinator who made it), so the pages that show them keep a constant
statement count. Times stay UTC; the templates show them in the
organisation's zone.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import aliased

from volunteers.core.compiled_sql import rows_of
from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.sql_lists import any_of, bound
from volunteers.people.models import Membership, Person
from volunteers.rota.cover_models import CoverAsk, CoverRequest

#: why a request stopped, as the pages say it
STOPPED_BECAUSE = {
    "taken": "the place was taken",
    "decided": "the request was decided",
    "withdrawn": "the request was withdrawn",
    "started": "the shift began",
    "cancelled": "the shift was cancelled",
}


@dataclass(frozen=True)
class AskedView:
    membership_id: int
    name: str
    channel: str  #: sms or email
    asked_by: str | None  #: the coordinator's name, for an ask by hand


@dataclass(frozen=True)
class WaveView:
    number: int  #: 1, 2, …; 0 for people asked by hand
    asked_at: datetime
    asked: list[AskedView]


@dataclass(frozen=True)
class CoverView:
    id: int
    shift_id: int
    offer_id: int | None
    wave_size: int
    wave_minutes: int
    next_wave_at: datetime | None
    stopped_at: datetime | None
    stop_reason: str | None
    waves: list[WaveView] = field(default_factory=list)

    @property
    def live(self) -> bool:
        return self.stopped_at is None

    @property
    def asked_ids(self) -> frozenset[int]:
        return frozenset(a.membership_id for wave in self.waves for a in wave.asked)

    @property
    def asked_count(self) -> int:
        return sum(len(wave.asked) for wave in self.waves)

    @property
    def stopped_because(self) -> str:
        return STOPPED_BECAUSE.get(self.stop_reason or "", "it stopped")


_COORDINATOR = aliased(Person)
_ORG: Any = bindparam("org")
#: lists of up to this many shifts or offers (the panel's one shift, a page's offers) are plain parameters
LISTED_AT_MOST = 16


@lru_cache(maxsize=64)
def _requests_and_asks(shifts: int | None, offers: int | None) -> Select:
    """Each request (newest first) with its asks in the order asked, a request nobody was asked for yet on a row
    of its own (one statement, not the requests' and then their asks': a statement was a twentieth of the shift
    panel), limited to the organisation as ``core.tenancy.scoped`` writes it; built once per shape, bound per call.

    ``shifts``/``offers``: how many shift and offer ids it is given as plain parameters (``sql_lists.any_of``:
    then it compiles to one SQL text, run as such by ``core.compiled_sql``), None for an expanding list.
    """
    of_shifts = (CoverRequest.shift_id.in_(bindparam("shift_ids", expanding=True)) if shifts is None
                 else any_of(CoverRequest.shift_id, "shift", shifts))
    of_offers = (CoverRequest.offer_id.in_(bindparam("offer_ids", expanding=True)) if offers is None
                 else any_of(CoverRequest.offer_id, "offer", offers))
    return (
        select(CoverRequest.id, CoverRequest.shift_id, CoverRequest.offer_id, CoverRequest.wave_size,
               CoverRequest.wave_minutes, CoverRequest.next_wave_at, CoverRequest.stopped_at, CoverRequest.stop_reason,
               CoverAsk.membership_id, CoverAsk.wave, CoverAsk.asked_at, CoverAsk.channel, Person.name,
               _COORDINATOR.name)
        .outerjoin(CoverAsk, (CoverAsk.cover_request_id == CoverRequest.id)
                   & (CoverAsk.organisation_id == CoverRequest.organisation_id))
        .outerjoin(Membership, (Membership.id == CoverAsk.membership_id)
                   & (Membership.organisation_id == CoverAsk.organisation_id))
        .outerjoin(Person, Person.id == Membership.person_id)
        .outerjoin(_COORDINATOR, _COORDINATOR.id == CoverAsk.asked_by_person_id)
        .where(CoverRequest.organisation_id == _ORG, or_(of_shifts, of_offers))
        .order_by(CoverRequest.started_at.desc(), CoverRequest.id.desc(), CoverAsk.asked_at, CoverAsk.wave == 0,
                  CoverAsk.wave, CoverAsk.id)
    )


def _listed(name: str, ids: list[int], params: dict[str, Any]) -> int | None:
    """Put ``ids`` into ``params`` as plain parameters (their number) or, past the bound, as an expanding list."""
    if len(ids) <= LISTED_AT_MOST:
        params.update(bound(name, ids))
        return len(ids)
    params[f"{name}_ids"] = ids
    return None


def cover_views(org: Organisation, *, shift_ids: Iterable[int] = (), offer_ids: Iterable[int] = ()) -> list[CoverView]:
    """Return the cover requests of these shifts or offers (newest first), each with its waves in time order."""
    # the statement runs even for no ids: a page costs the same however many it shows
    params: dict[str, Any] = {"org": org.id}
    shape = (_listed("shift", list(shift_ids), params), _listed("offer", list(offer_ids), params))
    rows = rows_of(reading_connection(), _requests_and_asks, shape, params)
    requests: dict[int, CoverView] = {}
    # within a wave, in the order asked: the board's order
    grouped: dict[int, dict[tuple[int, datetime | None], list[tuple[datetime, AskedView]]]] = defaultdict(dict)
    for (request_id, shift_id, offer_id, wave_size, wave_minutes, next_wave_at, stopped_at, stop_reason,
         membership_id, wave, asked_at, channel, name, by) in rows:
        if request_id not in requests:
            requests[request_id] = CoverView(request_id, shift_id, offer_id, wave_size, wave_minutes, next_wave_at,
                                             stopped_at, stop_reason)
        if membership_id is None:
            continue  # nobody asked yet
        key = (wave, asked_at if wave == 0 else None)  # each ask by hand is its own line
        grouped[request_id].setdefault(key, []).append((asked_at, AskedView(membership_id, name, channel, by)))
    for request_id, view in requests.items():
        view.waves.extend(WaveView(wave, min(at for at, _ in asked), [one for _, one in asked])
                          for (wave, _), asked in grouped[request_id].items())
    return list(requests.values())
