"""The volunteer as a candidate for open shifts, in one statement instead of ``load_candidates``' five (issue 13).

The member, their qualifications (a row each: a name is user text and is never
joined into a string), and their weekly availability and the leave touching the
window and their live duties overlapping it aggregated as text on every row: one
statement. The answer is ``load_candidates``' for the one member
(tests/integration/selfservice/test_open_list_same_answers.py): the duties are
those ``rota.candidates.busy_duties`` reads, ordered by start.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, String, bindparam, cast, func, select

from volunteers.core.compiled_sql import rows_of
from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.sql_lists import one_of, separator
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import local_date
from volunteers.people.domain.availability import WeeklyWindow
from volunteers.people.models import AvailabilityWindow, Leave, Membership, Person, PersonQualification, Qualification
from volunteers.rota.candidates import _BUSY_MARGIN
from volunteers.rota.domain.eligibility import Candidate
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Shift

#: joins a member's availability windows or leave in one column: only numbers, dates and times
_SEP = "\x1f"
#: separates the fields of one aggregated item (a window's day and times, a leave's first and last days)
_FIELD = "\x1e"


def _text(column: Any) -> Any:
    return func.coalesce(cast(column, String), "")


@lru_cache(maxsize=512)
def _candidate_read(org_id: int) -> Select:
    """A member as a candidate: who they are, one row per qualification they hold (its id, name and expiry
    as columns), with their weekly availability and the leave touching [first, last] aggregated as text on
    every row."""
    member: Any = bindparam("member")
    windows = (select(func.aggregate_strings(_text(AvailabilityWindow.weekday) + _FIELD
                                             + _text(AvailabilityWindow.start_time) + _FIELD
                                             + _text(AvailabilityWindow.end_time), separator(_SEP)))
               .where(AvailabilityWindow.organisation_id == org_id, AvailabilityWindow.membership_id == member)
               .scalar_subquery())
    leave = (select(func.aggregate_strings(_text(Leave.starts_on) + _FIELD + _text(Leave.ends_on), separator(_SEP)))
             .where(Leave.organisation_id == org_id, Leave.membership_id == member,
                    Leave.starts_on <= bindparam("last"), Leave.ends_on >= bindparam("first"))
             .scalar_subquery())
    # ``rota.candidates._busy_statement``: my live places on planned shifts overlapping [start, end)
    busy = (select(func.aggregate_strings(_text(Shift.starts_at) + _FIELD + _text(Shift.ends_at), separator(_SEP)))
            .select_from(Assignment)
            .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
            .where(Assignment.organisation_id == org_id, Assignment.membership_id == member,
                   one_of(Assignment.status, ACTIVE_ASSIGNMENT_STATUSES), Shift.status == "planned",
                   Shift.starts_at < bindparam("end", type_=Shift.starts_at.type),
                   Shift.ends_at > bindparam("start", type_=Shift.ends_at.type))
            .scalar_subquery())
    return (scoped(Membership, org_id, Membership.id, Person.name, Membership.pledged_hours_per_week,
                   Membership.last_supervised_on, Qualification.id.label("qual_id"),
                   Qualification.name.label("qual"), PersonQualification.expires_on,
                   windows.label("windows"), leave.label("leave"), busy.label("busy"))
            .join(Person, Person.id == Membership.person_id)
            .outerjoin(PersonQualification, (PersonQualification.organisation_id == org_id)
                       & (PersonQualification.membership_id == Membership.id))
            .outerjoin(Qualification, (Qualification.id == PersonQualification.qualification_id)
                       & (Qualification.organisation_id == PersonQualification.organisation_id))
            .where(Membership.id == member, Membership.status == "active"))


#: ``_candidate_read``'s columns of the qualification on each row
_QUAL_ID, _QUAL, _EXPIRES = 4, 5, 6


def _items(text: str | None) -> list[list[str]]:
    return [item.split(_FIELD) for item in text.split(_SEP)] if text else []


def _instant(text: str) -> datetime:
    """An instant as SQL wrote it as text: SQLite's stored naive UTC, PostgreSQL's with its offset."""
    found = datetime.fromisoformat(text)
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


#: per worker, by (organisation, membership): the candidate read's rows and what was made of them, served again
#: while the rows read are equal (parsing the aggregated windows, leave and duties was a fifth of the read).
#: A few rows and a small candidate each (the demo's largest ~7 KB); each row repeats the aggregated text, so a
#: read whose rows hold more than :data:`LONGEST` characters of it is not kept: ~40 KB an entry, ~10 MB at most
_KEPT: dict[tuple[int, int], tuple[list[Any], tuple[Candidate, dict[int, str]]]] = {}
KEPT_AT_MOST = 256
LONGEST = 8192


def load_candidate(org: Organisation, membership_id: int, start: datetime, end: datetime) -> Candidate | None:
    """Return one active member as ``rota.candidates.load_candidates`` does (None: not an active member)."""
    found = load_with_held(org, membership_id, start, end)
    return found[0] if found is not None else None


def load_with_held(org: Organisation, membership_id: int, start: datetime,
                   end: datetime) -> tuple[Candidate, dict[int, str]] | None:
    """``load_candidate``, and the names of the qualifications the member holds by id."""
    first, last = local_date(start - _BUSY_MARGIN, org.timezone), local_date(end + _BUSY_MARGIN, org.timezone)
    # columns only, SQL compiled once (``core.compiled_sql.rows_of``): no ORM step, no cache key made per view
    rows = rows_of(reading_connection(), _candidate_read, (org.id,), {
        "member": membership_id, "first": first, "last": last, "start": start - _BUSY_MARGIN,
        "end": end + _BUSY_MARGIN})
    if not rows:
        return None
    key = (org.id, membership_id)
    kept = _KEPT.get(key)
    if kept is not None and kept[0] == rows:  # the candidate is made of these rows alone
        return kept[1]
    found = _candidate_of(rows)
    windows, leave, busy = rows[0][7:10]
    if len(rows) * (len(windows or "") + len(leave or "") + len(busy or "")) > LONGEST:
        _KEPT.pop(key, None)
        return found
    if len(_KEPT) >= KEPT_AT_MOST:
        _KEPT.clear()
    _KEPT[key] = (rows, found)
    return found



def _candidate_of(rows: list[Any]) -> tuple[Candidate, dict[int, str]]:
    ident, name, pledged, supervised, _, _, _, windows, leave, busy_text = rows[0]
    held = {r[_QUAL_ID]: r[_QUAL] for r in rows if r[_QUAL_ID] is not None}
    busy = sorted((_instant(a), _instant(b)) for a, b in _items(busy_text))
    return Candidate(
        id=str(ident), name=name,
        pledged_hours_per_week=float(pledged) if pledged is not None else None,
        qualifications={r[_QUAL]: r[_EXPIRES] for r in rows if r[_QUAL_ID] is not None},
        availability=tuple(sorted(WeeklyWindow(int(day), time.fromisoformat(begins), time.fromisoformat(ends))
                                  for day, begins, ends in _items(windows))),
        leave=tuple(sorted((date.fromisoformat(a), date.fromisoformat(b)) for a, b in _items(leave))),
        busy=tuple(busy),
        last_supervised_on=supervised,
    ), held
