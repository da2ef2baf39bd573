"""The draft report of a month that is over, kept between views until anything is written.

Why: a month's draft is recomputed on every view (a dozen aggregate
queries and the report arithmetic: nine tenths of /reports/monthly/<month>),
yet once the month is over its figures change only when something is
written: an entry approved, a place marked, a warning resolved, a month
issued. (Every input is either inside the ended month or counted "recorded
by ``as_of``", and rows are recorded when they are written.) So the draft's
canonical text is kept, one entry per organisation and month, and served
while:

* **Nothing was written since.** A generation counter is bumped after every
  commit whose session wrote any row of any table (a deliberately wide net:
  the report reads a dozen tables, and new ones should not be forgotten);
  an entry made under an older generation is never served. Writes made
  outside the ORM session are not seen, so entries also expire after
  :data:`ENTRY_TTL_S`.
* **The month was over when it was made**, and the entry is not older than
  the view (a clock that goes back recomputes).

Issued months never come here (their frozen text is read), nor does issuing
(it computes the figures afresh). Entries are keyed by organisation id and
month and carry both, checked on reading: one organisation is never shown
another's report. The store is the figures cache's (``CACHE_URL``); a store
that does not answer costs the cache, not the page.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import TextClause

from volunteers.core.models import Organisation
from volunteers.core.timeutil import Month
from volunteers.wellbeing.org_figures_cache import shared_store

log = logging.getLogger(__name__)

#: an entry is dropped after this long whatever happens (writes the session cannot see)
ENTRY_TTL_S = 600
GENERATION = "reports:generation"
_WROTE = "draft_cache.wrote"
#: text statements that write no row (ANALYZE and VACUUM only refresh the planner's statistics or reclaim space)
_READING = ("select", "with", "pragma", "show", "explain", "savepoint", "release", "rollback", "begin", "set",
            "analyze", "vacuum")


def forget_all() -> None:
    """Make every kept draft stale: after writes the session never saw (a restore replaces every table)."""
    store = shared_store()
    if store is not None:
        store.bump(GENERATION)


def _key(org_id: int, month: Month) -> str:
    return f"reports:draft:{org_id}:{month}"


def kept_draft(org: Organisation, month: Month, now: datetime, ended_at: datetime,
               compute: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """Return ``(text, sha256)`` of the month's draft at ``now``: kept if still true, else ``compute()``d.

    Only a month over at ``now`` (``ended_at <= now``) is kept; another is always computed.
    """
    store = shared_store()
    if store is None or now < ended_at:
        return compute()
    try:
        generation, raw = store.get_many([GENERATION, _key(org.id, month)])
    except Exception:  # a store that does not answer costs the cache, not the page
        log.warning("draft cache unreachable; computing", exc_info=True)
        return compute()
    if raw is not None:
        entry = json.loads(raw)
        made = datetime.fromisoformat(entry["made"])
        if (entry["org"] == org.id and entry["month"] == str(month) and entry["generation"] == (generation or "0")
                and ended_at <= made <= now < made + timedelta(seconds=ENTRY_TTL_S)):
            return entry["text"], entry["sha256"]
    text, sha256 = compute()
    entry = {"org": org.id, "month": str(month), "generation": generation or "0", "made": now.isoformat(),
             "text": text, "sha256": sha256}
    try:
        store.put(_key(org.id, month), json.dumps(entry), ENTRY_TTL_S)
    except Exception:
        log.warning("draft cache unreachable; not kept", exc_info=True)
    return text, sha256


# --- invalidation: any commit that wrote anything --------------------------------------------------------------

#: tables no report reads: every scheduled job claims and finishes a ``job_runs`` row, which alone should not
#: empty the cache (the nightly ANALYZE job would otherwise do it every night)
_NOT_READ = frozenset({"job_runs"})


def _table_of(obj: object) -> str | None:
    table = getattr(obj, "__table__", None)
    return getattr(table, "name", None)


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, flush_context: object) -> None:
    if any(_table_of(obj) not in _NOT_READ for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    """Bulk ``insert``/``update``/``delete`` statements (and text) run through the session skip the flush."""
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        if getattr(table, "name", None) not in _NOT_READ:
            state.session.info[_WROTE] = True
    elif isinstance(statement, TextClause) and not statement.text.lstrip().lower().startswith(_READING):
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    """After the data is committed (never before: a reader could keep the old draft as new)."""
    if not session.info.pop(_WROTE, False) or not has_app_context():
        return
    store = shared_store()
    if store is None:
        return
    try:
        store.bump(GENERATION)
    except Exception:  # the entries' expiry is the fallback
        log.warning("draft cache unreachable; generation not bumped", exc_info=True)
