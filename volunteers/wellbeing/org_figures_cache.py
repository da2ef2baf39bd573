"""The /warnings page's organisation figures (90 days of worked hours), kept between views per organisation.

Why: every view of /warnings summed 90 days of everyone's places (a third
of the page's time) although those figures change only when the rota
changes or a place enters or leaves the 90-day window. So the figures are
kept, one entry per organisation, and served while both of these hold:

* **No rota write since.** One generation counter is bumped after every
  commit that wrote a table the figures read (places, shifts, roles,
  memberships, people, organisations); an entry made under an older
  generation is never served. Writes made outside the ORM session (raw
  engine connections) are not seen, so entries also expire after
  :data:`ENTRY_TTL_S`.
* **The window still holds the same places.** An entry records, when it
  is made, the first shift start at or after ``now`` (a place about to
  enter the window) and the earliest start inside the window plus 90 days
  less a margin for clock changes (a place about to leave it); it is
  served only before both.

The sparkline hours of the warned people (12 weeks of their places, a
sixth of the page) are kept the same way in a second entry per
organisation (:func:`kept_for_page`, read in the same round trip): under
the same generation, and only in the week it was made (the weeks move on
Mondays), for :data:`ENTRY_TTL_S` at most.

**At a change mark** (:func:`for_page`): /warnings reads its organisation's
change mark (``core.change_marks``) before these entries and passes it in.
An entry made by such a view carries the mark; read at another mark it is
stale (the organisation's data changed, whether or not a generation was
bumped: raw SQL too), and read at its own it is true until its ``until``,
which the view is told, so that it can serve its whole page at the mark
without asking the store again until then.

Entries are keyed by organisation id and carry it, checked on reading:
one organisation is never shown another's figures. The store is
``CACHE_URL``: empty (no caching), ``memory://`` (one process: the tests,
a single dev server) or ``redis://…`` (shared by every worker; keys under
``CACHE_KEY_PREFIX``). A Redis that does not answer costs the cache, not
the page.
"""
from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from flask import current_app, has_app_context
from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import TextClause

from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.rota.models import Shift
from volunteers.wellbeing.figure_reads import FIGURES_DAYS, organisation_summary
from volunteers.wellbeing.queries import computed
from volunteers.wellbeing.schedules import org_zone
from volunteers.wellbeing.weeks import WEEKS_BEFORE, Weeks, weekly_hours

log = logging.getLogger(__name__)

#: tables whose rows the figures are made of (a write to one of them makes every entry stale)
WATCHED = frozenset({"assignments", "shifts", "roles", "memberships", "people", "organisations"})
#: an entry is dropped after this long whatever happens (writes the session cannot see)
ENTRY_TTL_S = 600
#: a place leaves the window 90 local days after it starts; a clock change moves that by an hour
DST_MARGIN = timedelta(hours=2)
_GENERATION = "figures:generation"
_DIRTY = "org_figures_cache.dirty"
_DML = re.compile(r"^\s*(insert|update|delete|replace)\b", re.I)

Summary = tuple[dict[str, Any], list[dict[str, Any]]]


class Store(Protocol):
    def get_many(self, keys: list[str]) -> list[str | None]: ...
    def put(self, key: str, value: str, ttl_s: int) -> None: ...
    def bump(self, key: str) -> None: ...


class MemoryStore:
    """One process's entries (tests, a single development server): no expiry needed within a test's life."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get_many(self, keys: list[str]) -> list[str | None]:
        return [self.values.get(key) for key in keys]

    def put(self, key: str, value: str, ttl_s: int) -> None:
        self.values[key] = value

    def bump(self, key: str) -> None:
        self.values[key] = str(int(self.values.get(key) or 0) + 1)


class RedisStore:
    """Entries shared by every worker and machine, under a key prefix."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis  # only where a Redis is configured

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.prefix = prefix

    def get_many(self, keys: list[str]) -> list[str | None]:
        values = self.client.mget([self.prefix + k for k in keys])
        return [v.decode() if isinstance(v, bytes) else v for v in values]

    def put(self, key: str, value: str, ttl_s: int) -> None:
        self.client.set(self.prefix + key, value, ex=ttl_s)

    def bump(self, key: str) -> None:
        self.client.incr(self.prefix + key)


def _store() -> Store | None:
    """The app's store, made from its configuration on first use; None when caching is off."""
    if "org_figures_cache" not in current_app.extensions:
        url = current_app.config.get("CACHE_URL") or ""
        store: Store | None = None
        if url.startswith("memory://"):
            store = MemoryStore()
        elif url.startswith(("redis://", "rediss://", "unix://")):
            store = RedisStore(url, current_app.config.get("CACHE_KEY_PREFIX", ""))
        current_app.extensions["org_figures_cache"] = store
    return current_app.extensions["org_figures_cache"]


def shared_store() -> Store | None:
    """Return the app's cache store (``CACHE_URL``), for other kept results (the reports' drafts); None when off."""
    return _store()


def forget_all() -> None:
    """Make every kept entry stale: after writes the session never saw (a restore replaces every table)."""
    store = _store()
    if store is not None:
        store.bump(_GENERATION)


def _key(org_id: int) -> str:
    return f"figures:org:{org_id}"


def _weeks_key(org_id: int) -> str:
    return f"figures:weeks:{org_id}"


def organisation_summary_cached(org: Organisation, now: datetime) -> Summary:
    """Return :func:`~.figure_reads.organisation_summary` of ``org`` at ``now``, from the store when still true."""
    store = _store()
    if store is None:
        return organisation_summary(org, now)
    try:
        generation, raw = store.get_many([_GENERATION, _key(org.id)])
    except Exception:  # a store that does not answer costs the cache, not the page
        log.warning("figures cache unreachable; computing", exc_info=True)
        return organisation_summary(org, now)
    return _summary(store, org, now, generation, raw)[0]


class ForPage(NamedTuple):
    """What /warnings shows of the figures and hours, and until when they stand at the mark it was asked at."""

    summary: Summary
    hours: dict[int, list[float]]
    #: both stand, while the organisation's change mark reads the one asked at, until this instant (None: no mark
    #: asked at, so the page must ask again next view)
    until: datetime | None


def kept_for_page(org: Organisation, now: datetime, ids: list[int],
                  weeks: Weeks) -> tuple[Summary, dict[int, list[float]]]:
    """Return what /warnings keeps: the figures (as :func:`organisation_summary_cached`) and ``ids``' weekly hours.

    The hours are :func:`~.queries.weekly_hours` of the sparkline's weeks, kept per organisation under the
    same generation (they are made of the same tables) until the week ends; an entry serves the people it
    holds, and the people missing from it are read and added. One read of the store for both.
    """
    found = for_page(org, now, ids, weeks, None)
    return found.summary, found.hours


def for_page(org: Organisation, now: datetime, ids: list[int], weeks: Weeks, mark: int | None) -> ForPage:
    """:func:`kept_for_page` read after the organisation's change ``mark`` (None: none read), with until when
    both stand at that mark.

    Without a store they are read afresh, and stand until the figures' window next moves
    (:func:`valid_until`, one statement more) or the sparkline's week ends.
    """
    store = _store()
    if store is not None:
        try:
            generation, raw, raw_weeks = store.get_many([_GENERATION, _key(org.id), _weeks_key(org.id)])
        except Exception:
            log.warning("figures cache unreachable; computing", exc_info=True)
        else:
            summary, summary_until = _summary(store, org, now, generation, raw, mark)
            hours, hours_until = _weekly(store, org, now, ids, weeks, generation, raw_weeks, mark)
            until = None if summary_until is None or hours_until is None else min(summary_until, hours_until)
            return ForPage(summary, hours, until)
    summary, hours = computed(org, now, ids, weeks)
    if mark is None:
        return ForPage(summary, hours, None)
    return ForPage(summary, hours, min(valid_until(org, now), weeks.bounds[WEEKS_BEFORE + 1]))


#: entries as read, by their text: an unchanged entry decodes to the same objects, which ``kept_page`` compares
#: by identity (so they are never changed); dropped together past this many
DECODED_AT_MOST = 16
_DECODED: dict[str, Any] = {}


def _decoded(raw: str) -> Any:
    """``json.loads(raw)``, the same objects for the same text while kept."""
    entry = _DECODED.get(raw)
    if entry is None:
        if len(_DECODED) >= DECODED_AT_MOST:
            _DECODED.clear()
        entry = _DECODED[raw] = json.loads(raw)
    return entry


def _at(entry: dict[str, Any], mark: int | None) -> bool:
    """Whether an entry may serve a reader at ``mark``: one made at another mark is stale (None: any will do)."""
    return mark is None or entry.get("mark") == mark


def _summary(store: Store, org: Organisation, now: datetime, generation: str | None, raw: str | None,
             mark: int | None = None) -> tuple[Summary, datetime | None]:
    """The figures of the entry ``raw`` if it is still true, else made afresh and kept; and until when they stand
    at ``mark`` (None: no mark)."""
    if raw is not None:
        entry = _decoded(raw)
        until = datetime.fromisoformat(entry["until"])
        if (entry["org"] == org.id and entry["generation"] == (generation or "0") and _at(entry, mark)
                and datetime.fromisoformat(entry["made"]) <= now < until):
            return (entry["figures"], entry["drivers"]), None if mark is None else until
    figures, drivers = organisation_summary(org, now)
    until = valid_until(org, now)
    entry = {"org": org.id, "generation": generation or "0", "made": now.isoformat(), "until": until.isoformat(),
             "mark": mark, "figures": figures, "drivers": drivers}
    try:
        store.put(_key(org.id), json.dumps(entry), ENTRY_TTL_S)
    except Exception:
        log.warning("figures cache unreachable; not kept", exc_info=True)
    return (figures, drivers), None if mark is None else until


def _weekly(store: Store, org: Organisation, now: datetime, ids: list[int], weeks: Weeks, generation: str | None,
            raw: str | None, mark: int | None = None) -> tuple[dict[int, list[float]], datetime | None]:
    """``ids``' weekly hours from the entry ``raw`` while it is true for them, else read (the missing ones) and kept;
    and until when they stand at ``mark`` (None: no mark).

    An entry is true under its generation, at its mark, for the week it was made in (the sparkline's weeks move on
    Mondays) and for :data:`ENTRY_TTL_S` at most; people with no place in the weeks are kept as zeros.
    """
    week_starts = weeks.bounds[WEEKS_BEFORE]
    kept: dict[str, list[float]] = {}
    made, until = now, min(weeks.bounds[WEEKS_BEFORE + 1], now + timedelta(seconds=ENTRY_TTL_S))
    if raw is not None:
        entry = _decoded(raw)
        entry_made, entry_until = datetime.fromisoformat(entry["made"]), datetime.fromisoformat(entry["until"])
        if (entry["org"] == org.id and entry["generation"] == (generation or "0") and _at(entry, mark)
                and week_starts <= entry_made <= now < entry_until):
            kept, made, until = entry["hours"], entry_made, entry_until
    missing = [i for i in ids if str(i) not in kept]
    if missing:  # added to the entry under its generation, week and end: what it holds is true of one moment
        # the entry takes this reader's mark: one with none (its transaction may have written) unmarks it
        kept = {**kept, **{str(i): hours for i, hours in weekly_hours(org, missing, weeks).items()}}
        entry = {"org": org.id, "generation": generation or "0", "made": made.isoformat(),
                 "until": until.isoformat(), "mark": mark, "hours": kept}
        try:
            store.put(_weeks_key(org.id), json.dumps(entry), ENTRY_TTL_S)
        except Exception:
            log.warning("figures cache unreachable; weekly hours not kept", exc_info=True)
    return {i: kept[str(i)] for i in ids}, None if mark is None else until


def valid_until(org: Organisation, now: datetime) -> datetime:
    """Return when a shift may next enter or leave the 90-day window (earlier is safe, later is not)."""
    tz = org_zone(org)
    since = now.astimezone(tz) - timedelta(days=FIGURES_DAYS)
    starts = select(func.min(Shift.starts_at)).where(Shift.organisation_id == org.id)
    entering, earliest = db.session.execute(select(
        starts.where(Shift.starts_at >= now).scalar_subquery(),
        starts.where(Shift.starts_at >= since).scalar_subquery(),
    )).one()
    until = now + timedelta(seconds=ENTRY_TTL_S)
    if entering is not None:
        until = min(until, entering)
    if earliest is not None:
        leaves = earliest.astimezone(tz) + timedelta(days=FIGURES_DAYS)  # the same local time 90 dates later
        # exact when no clock change is near either end; else a margin. A flat margin meant that, for the two
        # hours before each place left the window, an entry was stale when made: on Sure Start's rota of many
        # daily shifts, most views of the day recomputed the figures
        steady = _steady(tz, earliest - DST_MARGIN, earliest + DST_MARGIN) and _steady(
            tz, min(now, leaves) - DST_MARGIN, leaves + DST_MARGIN)
        until = min(until, leaves if steady else leaves - DST_MARGIN)
    return until


def _steady(tz: Any, first: datetime, last: datetime) -> bool:
    """Return whether the zone's UTC offset is the same at both instants (hours apart: no clock change between)."""
    return first.astimezone(tz).utcoffset() == last.astimezone(tz).utcoffset()


# --- invalidation: the session says when a commit wrote what the figures read --------------------------------

@event.listens_for(Session, "after_flush")
def _flushed(session: Session, flush_context: object) -> None:
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(instance, "__tablename__", None)
        if table in WATCHED:
            session.info[_DIRTY] = True
            return


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    """Bulk ``insert``/``update``/``delete`` statements (and text) run through the session skip the flush."""
    statement = state.statement
    if isinstance(statement, TextClause):
        text = statement.text
        if _DML.match(text) and any(re.search(rf"\b{name}\b", text, re.I) for name in WATCHED):
            state.session.info[_DIRTY] = True
    elif state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        if getattr(table, "name", None) in WATCHED:
            state.session.info[_DIRTY] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    """After the data is committed (never before: a reader could keep the old figures as new)."""
    if not session.info.pop(_DIRTY, False) or not has_app_context():
        return
    store = _store()
    if store is None:
        return
    try:
        store.bump(_GENERATION)
    except Exception:  # the entries' expiry is the fallback
        log.warning("figures cache unreachable; generation not bumped", exc_info=True)
