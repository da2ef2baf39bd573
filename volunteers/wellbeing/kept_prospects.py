"""Prospective answers kept between requests while everything they were judged from is unchanged.

The shift panel judges a dozen candidates on every view (what taking the
shift would raise), and judging was half of its time; the same candidates,
places and policy come back view after view. A person's prospective answer
is a pure function of what is read for it on every view — their live places
around the shift, their load from outside the rota, their membership's
pledge, supervision date, caseload limit and limits, the organisation's
policy and zone, the new shifts — and of the clock, which enters in a few
known ways (:func:`~.domain.prospect.steady_between`). So the answer is kept
under a key made of all of those, with the local date and the interval of
instants over which it holds, and reused only inside both. The rows are
still read on every request: nothing here trusts a write to say what changed.

One store per app (``app.extensions``), at most :data:`AT_MOST` answers; the
oldest goes first. Each holds its key's rows (a person's places in the ~14
weeks judged) and its warnings, which carry the spans behind them: on the
demo 7 KB an answer; 15-17 KB for 10 places and 52-53 KB for 64 places with
a few warnings (measured by review). The answer of someone with more than
:data:`MOST_PLACES` places and contacts in those weeks is not kept, so ~27 MB
at worst.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Hashable, Iterable, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app

from volunteers.wellbeing import LoadWarning, ShiftSpan

#: answers kept per app: ~40 panels of a dozen candidates (a coordinator's few weeks of shifts)
AT_MOST = 512
#: an answer judged from more places and logged contacts than this is not kept (what bounds an answer's size)
MOST_PLACES = 64
_EXTENSION = "volunteers.wellbeing.kept_prospects"


class KeptAnswer(NamedTuple):
    """One person's prospective warnings, and where on the clock they hold."""

    day: int  #: the local date (ordinal) judged on
    after: float  #: they hold for instants strictly after this (POSIX timestamp) …
    before: float  #: … and strictly before this
    warnings: tuple[LoadWarning, ...]


class KeptProspects:
    """The app's kept answers, by key (bounded; thread-safe enough for threaded workers)."""

    def __init__(self) -> None:
        self.answers: dict[Hashable, KeptAnswer] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, day: int, now_ts: float) -> list[LoadWarning] | None:
        """Return the answer kept under ``key`` if it holds on ``day`` at ``now_ts``; else None."""
        found = self.found(key, day, now_ts)
        return None if found is None else list(found.warnings)

    def found(self, key: Hashable, day: int, now_ts: float) -> KeptAnswer | None:
        """Return what is kept under ``key`` (with where it holds) if it holds on ``day`` at ``now_ts``; else None."""
        found = self.answers.get(key)
        if found is None or found.day != day or not found.after < now_ts < found.before:
            return None
        return found

    def keep(self, key: Hashable, answer: KeptAnswer) -> None:
        """Keep ``answer`` under ``key``, the oldest answer going first past :data:`AT_MOST`."""
        with self._lock:
            answers = self.answers
            answers.pop(key, None)
            while len(answers) >= AT_MOST:
                answers.pop(next(iter(answers)))
            answers[key] = answer


def store() -> KeptProspects:
    """Return this app's store."""
    kept: KeptProspects | None = current_app.extensions.get(_EXTENSION)
    if kept is None:
        kept = current_app.extensions[_EXTENSION] = KeptProspects()
    return kept


def spans_key(spans: Sequence[ShiftSpan]) -> tuple[Any, ...] | None:
    """Return the new shifts as a key, or None when their instants are not all at UTC (:func:`utc_zone`)."""
    zone = utc_zone(instant for span in spans for instant in (span.start, span.end))
    if zone is MIXED:
        return None
    return zone, tuple((span.start, span.end, span.role, span.intensity, span.on_call, span.ref) for span in spans)


def limits_key(limits: Any) -> str | None:
    """Return a person's limits as a key (their JSON text), ``""`` for none, or None when they are not JSON."""
    if not limits:
        return ""
    try:
        return json.dumps(limits, sort_keys=True)
    except (TypeError, ValueError):
        return None


def rows_zone(rows: Sequence[Any]) -> object:
    """Return the zone of the place rows' instants (:func:`utc_zone`); :data:`MIXED`: not to be kept."""
    return utc_zone(instant for row in rows for instant in (row.starts_at, row.ends_at))


#: instants in more than one zone, or off UTC: their equality does not tell that they are the same instants
MIXED = object()


def utc_zone(instants: Iterable[datetime]) -> object:
    """Return the one ``tzinfo`` object of ``instants`` if it is a zone always at UTC, None for none, else MIXED.

    Both databases give instants at UTC (SQLite's as ``datetime.UTC``, PostgreSQL's in the session's zone,
    ``Etc/UTC`` here). Two instants with the same ``tzinfo`` are compared by their wall clock, fold ignored,
    so only in a zone whose offset is always 0 does equal mean the same instant; and the zone object is part
    of the key, as the kept warnings carry the instants they were judged from.
    """
    zone: object = None
    for instant in instants:
        tzinfo = instant.tzinfo
        if tzinfo is zone:
            continue
        if zone is not None or not _always_utc(tzinfo):
            return MIXED
        zone = tzinfo
    return zone


#: IANA zones that are UTC by another name: no offset ever, so no folds
UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"})


def _always_utc(tzinfo: object) -> bool:
    """Tell whether ``tzinfo`` is at offset 0 at every instant (a fixed zero offset, or a UTC zone)."""
    if isinstance(tzinfo, timezone):
        return tzinfo.utcoffset(None) == _ZERO
    return isinstance(tzinfo, ZoneInfo) and tzinfo.key in UTC_ZONES


_ZERO = timedelta(0)


def local_day(now: datetime, tz: Any) -> int:
    """Return the local date (ordinal) of ``now`` in ``tz``."""
    return now.astimezone(tz).toordinal()
