"""Turn the auto-rota's plain inputs into the facts the model is built from.

This is where the work that does not need the solver happens, once: local
times and load facts of every shift, each person's fixed load (history and
the places they already hold), who is eligible for what, and which pairs are
ruled out before the model sees them (a shift too long on its own, too close
to a duty already fixed).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from volunteers.autofill.domain.eligible import assess_all
from volunteers.autofill.domain.load import (
    MERGE_GAP,
    Limits,
    ShiftFacts,
    limits_from_policy,
    shift_facts,
)
from volunteers.rota.domain.eligibility import (
    Candidate,
    OpenShift,
    ShiftCandidates,
    UsualSlot,
)
from volunteers.wellbeing.domain.duties import ShiftSpan
from volunteers.wellbeing.domain.policy import Policy

HistoryItem = ShiftSpan | tuple[datetime, datetime]
Pair = tuple[str, str]  #: (shift id, candidate id)


@dataclass
class Problem:
    """Prepared inputs: everything the model and the explanations need."""

    tz: ZoneInfo
    #: candidate id → their limits (the policy tightened for the roles they may work)
    limits: dict[str, Limits]
    #: candidate id → the organisation's policy tightened by their personal limits
    policies: dict[str, Policy]
    shifts: dict[str, OpenShift]
    loads: dict[str, ShiftFacts]
    candidates: dict[str, Candidate]
    #: shift id → who is qualified / eligible (eligibility only, before load limits)
    people: dict[str, ShiftCandidates]
    #: (shift id, candidate id) pairs left for the model, in a stable order
    pairs: list[tuple[str, str]]
    #: candidate id → loads that are fixed: history plus places already held in the range
    fixed: dict[str, list[ShiftFacts]]
    #: candidate id → the range's shifts they already hold (locked)
    held: dict[str, list[str]]
    #: candidate id → their usual slots, stated or seen at least twice in history
    usual: dict[str, frozenset[UsualSlot]]
    #: shift id → places the model may fill (open places; a repair adds released ones)
    capacity: dict[str, int]
    #: pairs that hold now and that a repair may release (empty when filling)
    baseline: frozenset[tuple[str, str]]
    first_day: int  #: first local date of the range (ordinal)
    days: int  #: local dates in the range


def as_span(item: HistoryItem) -> ShiftSpan:
    """Return a history item as a ``ShiftSpan`` (a bare ``(start, end)`` has no role)."""
    if isinstance(item, ShiftSpan):
        return item
    start, end = item
    return ShiftSpan(start, end, role="")


def _usual_slots(candidate: Candidate, past: Sequence[ShiftFacts]) -> frozenset[UsualSlot]:
    """Return stated usual slots plus those worked at least twice before."""
    seen: dict[UsualSlot, int] = defaultdict(int)
    for load in past:
        seen[UsualSlot(load.weekday, load.start_time, load.role)] += 1
    return candidate.usual_slots | {slot for slot, count in seen.items() if count >= 2}


def conflict(a: ShiftFacts, b: ShiftFacts, limits: Limits) -> bool:
    """Return whether one person may not do both shifts (``a`` starting first).

    Overlap, a merged duty (gap under 1 h) that would be too long, or too
    short a rest after a late, overnight or night duty.
    """
    if b.start < a.end:
        return True
    gap = b.start - a.end
    if gap < MERGE_GAP:
        cap = limits.duty_cap(max(a.intensity, b.intensity))
        if cap is None or (a.on_call and b.on_call):
            return False  # stand-by duties are not judged for length
        return (max(a.end, b.end) - a.start).total_seconds() / 60 > cap
    return (a.needs_rest and limits.min_rest is not None
            and gap < timedelta(minutes=limits.min_rest))


def _in_order(a: ShiftFacts, b: ShiftFacts) -> tuple[ShiftFacts, ShiftFacts]:
    """Return the two shifts earliest start first (``a`` first when they start together)."""
    return (a, b) if a.start <= b.start else (b, a)


def alone_too_long(load: ShiftFacts, limits: Limits) -> bool:
    """Return whether a shift on its own is a duty over the long_duty limit."""
    cap = limits.duty_cap(load.intensity)
    return cap is not None and not load.on_call and load.minutes > cap


def prepare(shifts: Sequence[OpenShift], candidates: Sequence[Candidate], *, tz: ZoneInfo,
            history: Mapping[str, Sequence[HistoryItem]],
            policy: Mapping[str, Any] | Policy | None, release: bool = False,
            targets: Mapping[str, int] | None = None,
            person_limits: Mapping[str, Mapping[str, Any]] | None = None) -> Problem:
    """Return the prepared problem for filling ``shifts`` from ``candidates``.

    By default the places people hold are locked. With ``release`` (repair)
    they become choices too, kept unless moving them helps; ``targets`` then
    caps how many people each shift should end up with. ``person_limits``
    (candidate id → DESIGN.md limits) tightens the policy for a person.

    :raises ValueError: (``PolicyError``) for a policy or limits the load rules refuse.
    """
    policy = policy if isinstance(policy, Policy) else Policy.from_overrides(policy or {})
    policies = {c.id: policy.tightened((person_limits or {}).get(c.id)) if (person_limits or {}).get(c.id)
                else policy for c in candidates}
    by_id = {s.id: s for s in shifts}
    if len(by_id) != len(shifts):
        raise ValueError("shift ids must be unique")
    loads = {s.id: shift_facts(s.start, s.end, tz=tz, intensity=s.intensity,
                              on_call=s.on_call, role=s.role) for s in shifts}
    days = sorted(load.day for load in loads.values()) or [0]
    range_start = min((s.start for s in shifts), default=None)

    known = {c.id for c in candidates}
    held: dict[str, list[str]] = defaultdict(list)
    for s in shifts:
        for cid in s.assigned:
            held[cid].append(s.id)
    baseline = frozenset((sid, cid) for cid, sids in held.items() if release and cid in known
                         for sid in sids)
    fixed: dict[str, list[ShiftFacts]] = {}
    usual: dict[str, frozenset[UsualSlot]] = {}
    ready: list[Candidate] = []
    for c in candidates:
        past = [shift_facts(p.start, p.end, tz=tz, intensity=p.intensity,
                           on_call=p.on_call, role=p.role)
                for p in map(as_span, history.get(c.id, ()))]
        usual[c.id] = _usual_slots(c, past)
        fixed[c.id] = sorted(past + [loads[sid] for sid in held.get(c.id, ())
                                     if (sid, c.id) not in baseline],
                             key=lambda load: load.start)
        # Places already held and recent history are duties: a new shift must not clash.
        near = [(load.start, load.end) for load in fixed[c.id]
                if range_start is None or load.end > range_start - timedelta(days=1)]
        ready.append(replace(c, busy=c.busy + tuple(near)) if near else c)

    people = assess_all(shifts, ready, tz)
    roles: dict[str, set[str]] = {c.id: {load.role for load in fixed[c.id]} for c in candidates}
    for s in shifts:
        for cid in people[s.id].eligible + tuple(c for c in s.assigned if (s.id, c) in baseline):
            roles[cid].add(s.role)
    cache: dict[tuple[int, frozenset[str]], Limits] = {}
    limits = {}
    for cid, worked in roles.items():
        key = (id(policies[cid]), frozenset(worked))
        if key not in cache:
            cache[key] = limits_from_policy(policies[cid], sorted(worked))
        limits[cid] = cache[key]
    capacity = {}
    for s in shifts:
        locked = sum(1 for cid in s.assigned if (s.id, cid) not in baseline)
        total = s.needed if targets is None else min(s.needed, targets.get(s.id, s.needed))
        capacity[s.id] = max(0, total - locked)
    pairs = [(s.id, cid) for s in shifts if capacity[s.id] for cid in people[s.id].eligible
             if not alone_too_long(loads[s.id], limits[cid])]
    pairs = _drop_fixed_conflicts(pairs, loads, fixed, limits) + sorted(baseline)
    return Problem(tz=tz, limits=limits, policies=policies, shifts=by_id, loads=loads,
                   candidates={c.id: c for c in candidates}, people=people, pairs=pairs,
                   fixed=fixed, held=dict(held), usual=usual, capacity=capacity,
                   baseline=baseline, first_day=days[0], days=days[-1] - days[0] + 1)


def reach(limits: Limits) -> timedelta:
    """Return how far apart two shifts can be and still conflict."""
    return max(timedelta(minutes=limits.min_rest or 0), MERGE_GAP)


def _drop_fixed_conflicts(pairs: list[tuple[str, str]], loads: dict[str, ShiftFacts],
                          fixed: dict[str, list[ShiftFacts]],
                          limits: dict[str, Limits]) -> list[tuple[str, str]]:
    """Drop pairs that conflict with a duty the person already has.

    Only fixed duties within reach of the range can clash; people with none
    (most, when history ends a while before the range) keep their pairs unchecked.
    """
    if not pairs:
        return pairs
    first = min(loads[sid].start for sid, _ in pairs)
    last = max(loads[sid].end for sid, _ in pairs)
    near: dict[str, timedelta] = {}
    close: dict[str, list[ShiftFacts]] = {}
    for cid, items in fixed.items():
        near[cid] = reach(limits[cid])
        close[cid] = [load for load in items
                      if load.end > first - near[cid] and load.start < last + near[cid]]
    starts = {cid: [load.start for load in items] for cid, items in close.items()}
    longest = {cid: max((load.end - load.start for load in items), default=timedelta())
               for cid, items in close.items()}
    kept: list[tuple[str, str]] = []
    for sid, cid in pairs:
        mine = close.get(cid)
        if not mine:
            kept.append((sid, cid))
            continue
        load = loads[sid]
        # Fixed duties that start close enough before or after this shift to clash.
        lo = bisect_left(starts[cid], load.start - near[cid] - longest[cid])
        hi = bisect_right(starts[cid], load.end + near[cid])
        if not any(conflict(*_in_order(other, load), limits[cid])
                   for other in mine[lo:hi] if other is not load):
            kept.append((sid, cid))
    return kept
