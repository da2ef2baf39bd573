"""Who may take each shift, for a whole month at once: ``EligibilityIndex``'s answers, faster.

``rota.domain.eligibility`` answers for one shift at a time and is the
reference; a month of 3,000 shifts and 1,000 people asked it some 300,000
availability questions (about 15 s). The answers repeat: whether weekly
windows cover a shift depends only on the shift's local weekday, start
time and wall-clock length (and, across a clock change, its offsets), so
they are asked once per person and pattern
and remembered. Qualifications are compared as expiry dates per name.
Same rules, same answers (a unit test compares the two).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from volunteers.people.domain.availability import covers
from volunteers.rota.domain.eligibility import (
    Candidate,
    OpenShift,
    ShiftCandidates,
    leave_reason,
    overlap_reason,
)

#: local weekday, start time, wall-clock length, and the UTC offsets at start and end (a clock change)
Pattern = tuple[int, time, timedelta, timedelta | None, timedelta | None]


def assess_all(shifts: Sequence[OpenShift], candidates: Sequence[Candidate],
               tz: ZoneInfo) -> dict[str, ShiftCandidates]:
    """Return shift id → who is qualified and who is eligible (as ``EligibilityIndex.assess``)."""
    by_id = {c.id: c for c in candidates}
    if len(by_id) != len(candidates):
        raise ValueError("candidate ids must be unique")
    holders: dict[str, dict[str, date | None]] = defaultdict(dict)
    for c in candidates:
        for name, expires_on in c.qualifications.items():
            holders[name][c.id] = expires_on
    everyone = sorted(by_id)
    windows = {c.id: c.availability for c in candidates}
    by_weekday: dict[int, set[str]] = defaultdict(set)
    unlimited = {c.id for c in candidates if not c.availability}
    for c in candidates:
        for window in c.availability:
            by_weekday[window.weekday].add(c.id)
    # Windows that could cover a shift start on its weekday or the day before (overnight).
    maybe_on = {w: unlimited | by_weekday[w] | by_weekday[(w - 1) % 7] for w in range(7)}
    known: dict[tuple[str, Pattern], bool] = {}
    holding: dict[tuple[str, ...], list[tuple[str, date | None]]] = {(): [(c, None) for c in everyone]}
    out = {}
    for shift in shifts:
        local_start, local_end = shift.start.astimezone(tz), shift.end.astimezone(tz)
        on = local_start.date()
        needs = tuple(sorted(set(shift.required_qualifications)))
        if needs not in holding:
            holding[needs] = _holding(needs, holders)
        pool = [cid for cid, expires_on in holding[needs] if expires_on is None or expires_on >= on]
        taken = set(shift.assigned)
        qualified = tuple(cid for cid in pool if cid not in taken)
        weekday = local_start.weekday()
        maybe = maybe_on[weekday]
        naive_start, naive_end = local_start.replace(tzinfo=None), local_end.replace(tzinfo=None)
        # the offsets too: across the hour the clocks go back the same wall-clock times last longer
        pattern = (weekday, naive_start.time(), naive_end - naive_start, local_start.utcoffset(),
                   local_end.utcoffset())
        last_day = (local_end - timedelta(microseconds=1)).date()
        eligible = []
        for cid in qualified:
            if cid not in maybe:
                continue
            key = (cid, pattern)
            if key not in known:
                known[key] = covers(windows[cid], local_start, local_end)
            c = by_id[cid]
            if (known[key] and (not c.leave or leave_reason(c, on, last_day) is None)
                    and (not c.busy or overlap_reason(c.busy, shift, tz) is None)):
                eligible.append(cid)
        out[shift.id] = ShiftCandidates(shift.id, qualified, tuple(eligible))
    return out


def _holding(needs: tuple[str, ...], holders: dict[str, dict[str, date | None]],
             ) -> list[tuple[str, date | None]]:
    """Return (candidate id, first expiry) of everyone holding every qualification in ``needs``."""
    held = [holders.get(name, {}) for name in sorted(needs, key=lambda n: len(holders.get(n, ())))]
    out = []
    for cid in sorted(held[0]):
        if all(cid in h for h in held[1:]):
            dates = [expires_on for h in held if (expires_on := h[cid]) is not None]
            out.append((cid, min(dates) if dates else None))
    return out
