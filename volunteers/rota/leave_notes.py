"""Declared leave of the people holding places, for the board and the shift panel: one query per page.

The board reads the leave of everyone named on the period's cards in one
statement (not one per card), the panel the leave of the shift's people;
``rota.domain.away`` decides which places fall in it and words it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, Select, bindparam, select

from volunteers.core.compiled_sql import rows_of
from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.sql_lists import any_of, bound
from volunteers.core.timeutil import local_date
from volunteers.people.models import Leave
from volunteers.rota.domain.away import Away, LeaveSpan, away_on

#: lists of up to this many people (the panel's: the few on one shift) are written as plain parameters
LISTED_AT_MOST = 16


@lru_cache(maxsize=LISTED_AT_MOST + 2)
def _leave_of(listed: int | None) -> Select:
    """:func:`leave_of`'s statement for ``listed`` people (None: any number, an expanding list), built once and
    bound per call, limited to the organisation as ``core.tenancy.scoped`` writes it: building it on every panel
    cost as much as running it. With ``listed`` people as plain parameters (``sql_lists.any_of``) it compiles to
    one SQL text, run as such (``core.compiled_sql``)."""
    among = (Leave.membership_id.in_(bindparam("ids", expanding=True)) if listed is None
             else any_of(Leave.membership_id, "id", listed))
    return (
        select(Leave.membership_id, Leave.starts_on, Leave.ends_on)
        .where(Leave.organisation_id == bindparam("org"), among,
               Leave.starts_on <= bindparam("last", type_=Date()), Leave.ends_on >= bindparam("first", type_=Date()))
        .order_by(Leave.membership_id, Leave.starts_on)
    )


def leave_of(org: Organisation, membership_ids: Collection[int], first: date,
             last: date) -> dict[int, list[LeaveSpan]]:
    """Return each member's leave touching the local dates ``first``–``last`` (inclusive), in one query."""
    ids = sorted(set(membership_ids))
    params: dict[str, Any] = {"org": org.id, "first": first, "last": last}
    if len(ids) <= LISTED_AT_MOST:
        listed: int | None = len(ids)
        params.update(bound("id", ids))
    else:
        listed, params["ids"] = None, ids
    found: dict[int, list[LeaveSpan]] = defaultdict(list)
    for membership_id, starts_on, ends_on in rows_of(reading_connection(), _leave_of, (listed,), params):
        found[membership_id].append((starts_on, ends_on))
    return dict(found)


def shift_days(starts_at: datetime, ends_at: datetime, timezone: str) -> tuple[date, date]:
    """The first and last local dates a shift touches (one ending at midnight does not touch the next day)."""
    return local_date(starts_at, timezone), local_date(ends_at - timedelta(microseconds=1), timezone)


def away_from_shift(org: Organisation, starts_at: datetime, ends_at: datetime,
                    people: Iterable[tuple[int, str]]) -> list[Away]:
    """Return who of ``people`` (membership id, name) on one shift is away then (the panel: one query)."""
    people = list(people)
    first, last = shift_days(starts_at, ends_at, org.timezone)
    leave = leave_of(org, [membership_id for membership_id, _ in people], first, last)
    return away_on(people, leave, first, last) if leave else []
