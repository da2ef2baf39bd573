"""An auto-rota proposal in people's terms: who goes where and why, hours against pledges, gaps.

Shared by ``rota fill --dry-run`` and the board's proposal page. The
solver speaks in ids; this loads the shifts (with role and site) and the
members' names in three queries and returns plain rows, local times
formatted in the organisation's zone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import selectinload

from volunteers.autofill.domain import Proposal
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import local_date, to_local
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.models import Shift

REASONS = {  #: the solver's reason codes in plain words
    "nobody_qualified": "nobody qualified",
    "nobody_available": "nobody available",
    "everyone_at_limit": "everyone at a limit",
}

T = TypeVar("T")


@dataclass(frozen=True)
class ShiftLine:
    """Where and when: a shift as people read it."""

    shift_id: int
    day: date
    start: str  #: local HH:MM
    end: str
    role: str
    site: str


@dataclass(frozen=True)
class PlacementLine:
    """One proposed place: who, where, and why them."""

    shift: ShiftLine
    membership_id: int
    name: str
    why: str

    @property
    def key(self) -> str:
        """Return the form value that names this place (``shift:member``)."""
        return f"{self.shift.shift_id}:{self.membership_id}"


@dataclass(frozen=True)
class HoursLine:
    """A person's hours in the period against their pledge, before and after the proposal."""

    membership_id: int
    name: str
    pledged_hours_per_week: float | None
    pledge_hours: float | None  #: the pledge over the period's days
    before: float
    after: float


@dataclass(frozen=True)
class GapLine:
    """A place left open, and why."""

    shift: ShiftLine
    place: int
    reason: str  #: in plain words (see ``REASONS``)
    message: str


@dataclass(frozen=True)
class ProposalReport:
    """Everything a coordinator reads about a proposal."""

    placements: tuple[PlacementLine, ...]
    hours: tuple[HoursLine, ...]  #: people whose hours change, by name
    gaps: tuple[GapLine, ...]
    places_open: int
    places_filled: int
    status: str  #: "optimal" when every objective was proved best, else "feasible"
    seconds: float
    coverage_proved: bool = False  #: no rota could fill more (weighted by priority)


def describe(org: Organisation, proposal: Proposal) -> ProposalReport:
    """Return ``proposal`` as rows for people (three queries)."""
    shift_ids = {int(p.shift_id) for p in proposal.assignments} | {int(u.shift_id) for u in proposal.unfilled}
    shifts = {s.id: s for s in db.session.scalars(
        scoped(Shift, org).where(Shift.id.in_(shift_ids))
        .options(selectinload(Shift.role), selectinload(Shift.site)))} if shift_ids else {}
    member_ids = ({int(p.candidate_id) for p in proposal.assignments}
                  | {int(h.candidate_id) for h in proposal.hours})
    names = {m.id: m.person.name for m in db.session.scalars(
        scoped(Membership, org).where(Membership.id.in_(member_ids))
        .options(selectinload(Membership.person)))} if member_ids else {}

    def line(shift_id: str) -> ShiftLine:
        s = shifts[int(shift_id)]
        return ShiftLine(s.id, local_date(s.starts_at, org.timezone),
                         f"{to_local(s.starts_at, org.timezone):%H:%M}",
                         f"{to_local(s.ends_at, org.timezone):%H:%M}", s.role.name, s.site.name)

    placements = sorted(
        (PlacementLine(line(p.shift_id), int(p.candidate_id), names.get(int(p.candidate_id), "?"),
                       proposal.notes.get((p.shift_id, p.candidate_id), ""))
         for p in proposal.assignments),
        key=lambda row: (row.shift.day, row.shift.start, row.shift.role, row.shift.site, row.name))
    hours = sorted(
        (HoursLine(int(h.candidate_id), names.get(int(h.candidate_id), "?"), h.pledged_hours_per_week,
                   h.pledge_hours, h.hours_before, h.hours_after)
         for h in proposal.hours if h.hours_after != h.hours_before),
        key=lambda row: (row.name, row.membership_id))
    gaps = sorted(
        (GapLine(line(u.shift_id), u.place, REASONS.get(u.reason, u.reason), u.message)
         for u in proposal.unfilled),
        key=lambda row: (row.shift.day, row.shift.start, row.shift.role, row.shift.site, row.place))
    proved = any(s.name == "coverage" and s.status == "optimal" for s in proposal.stages)
    return ProposalReport(tuple(placements), tuple(hours), tuple(gaps), proposal.places_open,
                          proposal.places_filled, proposal.status, proposal.solve_seconds, proved)


def place_lines(org: Organisation, pairs: list[tuple[str, str]]) -> list[tuple[ShiftLine, str]]:
    """Return (shift, member name) for (shift id, membership id) pairs that still exist (two queries)."""
    return [(line, name) for line, name, _ in place_lines_with(org, [(pair, None) for pair in pairs])]


def place_lines_with(
    org: Organisation, items: list[tuple[tuple[str, str], T]]
) -> list[tuple[ShiftLine, str, T]]:
    """Like :func:`place_lines`, each line carrying its item's payload (a reason), so none is paired wrongly."""
    pairs = [pair for pair, _ in items]
    shifts = {s.id: s for s in db.session.scalars(
        scoped(Shift, org).where(Shift.id.in_({int(s) for s, _ in pairs}))
        .options(selectinload(Shift.role), selectinload(Shift.site)))} if pairs else {}
    names = {m.id: m.person.name for m in db.session.scalars(
        scoped(Membership, org).where(Membership.id.in_({int(m) for _, m in pairs}))
        .options(selectinload(Membership.person)))} if pairs else {}
    out = []
    for (sid, mid), payload in items:
        s = shifts.get(int(sid))
        if s is not None:
            out.append((ShiftLine(s.id, local_date(s.starts_at, org.timezone),
                                  f"{to_local(s.starts_at, org.timezone):%H:%M}",
                                  f"{to_local(s.ends_at, org.timezone):%H:%M}", s.role.name, s.site.name),
                        names.get(int(mid), "?"), payload))
    return out
