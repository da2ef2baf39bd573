"""Who was asked to cover which place, in which wave and when: for the request cards and the shift panel.

Two statements whatever the number of requests or people asked (the
requests, then every ask with its person and, for an ask by hand, the
coordinator who made it), so the pages that show them keep a constant
statement count. Times stay UTC; the templates show them in the
organisation's zone.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import aliased

from volunteers.core.models import Organisation
from volunteers.extensions import db
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
#: both built once (bound per call), limited to the organisation as ``core.tenancy.scoped`` writes it
_REQUESTS = (
    select(CoverRequest)
    .where(CoverRequest.organisation_id == _ORG,
           CoverRequest.shift_id.in_(bindparam("shift_ids", expanding=True))
           | CoverRequest.offer_id.in_(bindparam("offer_ids", expanding=True)))
    .order_by(CoverRequest.started_at.desc(), CoverRequest.id.desc())
)
_ASKS = (
    select(CoverAsk.cover_request_id, CoverAsk.membership_id, CoverAsk.wave, CoverAsk.asked_at, CoverAsk.channel,
           Person.name, _COORDINATOR.name)
    .join(Membership, (Membership.id == CoverAsk.membership_id)
          & (Membership.organisation_id == CoverAsk.organisation_id))
    .join(Person, Person.id == Membership.person_id)
    .outerjoin(_COORDINATOR, _COORDINATOR.id == CoverAsk.asked_by_person_id)
    .where(CoverAsk.organisation_id == _ORG, CoverAsk.cover_request_id.in_(bindparam("requests", expanding=True)))
    .order_by(CoverAsk.cover_request_id, CoverAsk.asked_at, CoverAsk.wave == 0, CoverAsk.wave, CoverAsk.id)
)


def cover_views(org: Organisation, *, shift_ids: Iterable[int] = (), offer_ids: Iterable[int] = ()) -> list[CoverView]:
    """Return the cover requests of these shifts or offers (newest first), each with its waves in time order."""
    # both statements run even for no ids or no requests: a page costs the same however many it shows
    requests = list(db.session.scalars(_REQUESTS, {"org": org.id, "shift_ids": list(shift_ids),
                                                   "offer_ids": list(offer_ids)}))
    rows = db.session.execute(_ASKS, {"org": org.id, "requests": [r.id for r in requests]})
    # within a wave, in the order asked: the board's order
    grouped: dict[int, dict[tuple[int, datetime | None], list[tuple[datetime, AskedView]]]] = defaultdict(dict)
    for request_id, membership_id, wave, asked_at, channel, name, by in rows:
        key = (wave, asked_at if wave == 0 else None)  # each ask by hand is its own line
        grouped[request_id].setdefault(key, []).append((asked_at, AskedView(membership_id, name, channel, by)))
    return [
        CoverView(r.id, r.shift_id, r.offer_id, r.wave_size, r.wave_minutes, r.next_wave_at, r.stopped_at,
                  r.stop_reason,
                  [WaveView(wave, min(at for at, _ in asked), [view for _, view in asked])
                   for (wave, _), asked in grouped[r.id].items()])
        for r in requests
    ]
