"""Judge a proposed rota with the canonical load rules of ``volunteers.wellbeing``.

The model holds the rules that are linear in the assignment; this catches
the rest (load spikes, supervision, duties that merge across several
shifts, rounding) by running the real rules on each person's whole schedule
— history, places held and places proposed — as of the proposal's
``as_of``. A warning of severity "warning" or above whose shifts include a
proposed place is blamed on the proposed places among them — those of its
worst window if any, else those of its episode — unless the person's
schedule without the proposal already had that warning (same rule and
episode) at least as bad: an existing warning whose episode merely runs on
over a proposed place (at notice level, say) is not the proposal's doing.
The model keeps the windows it can express under the thresholds, so what
is left for this check is mostly what is not linear (load spikes,
supervision, duties merged from several shifts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from volunteers.rota.domain.solver.model import Pair
from volunteers.rota.domain.solver.problem import HistoryItem, Problem, as_span
from volunteers.wellbeing import (
    LoadWarning, Policy, ShiftSpan, VolunteerSchedule, evaluate_volunteer, is_at_least,
    severity_rank)


def offending(problem: Problem, chosen: frozenset[Pair], *,
              history: Mapping[str, Sequence[HistoryItem]],
              policy: Mapping[str, Any] | Policy | None,
              as_of: datetime) -> list[frozenset[Pair]]:
    """Return, per new warning, the set of proposed places behind it (empty: all clear)."""
    effective = policy if isinstance(policy, Policy) else Policy.from_overrides(policy or {})
    new = chosen - problem.baseline
    mine: dict[str, list[str]] = defaultdict(list)
    for sid, cid in chosen:
        mine[cid].append(sid)
    found = []
    for cid in sorted({cid for _, cid in new}):
        held = [sid for sid in problem.held.get(cid, ()) if (sid, cid) not in problem.baseline]
        before = {(w.rule, w.episode_key): w for w in _serious(
            problem, cid, held + [sid for sid in mine[cid] if (sid, cid) not in new],
            history, effective, as_of)}
        for warning in _serious(problem, cid, held + mine[cid], history, effective, as_of):
            old = before.get((warning.rule, warning.episode_key))
            if old is not None and (severity_rank(old.severity), old.value) >= (
                    severity_rank(warning.severity), warning.value):
                continue
            worst = frozenset((span.ref, cid) for span in warning.shifts if (span.ref, cid) in new)
            blamed = worst or frozenset((ref, cid) for ref in warning.shift_refs if (ref, cid) in new)
            if blamed:
                found.append(blamed)
    return found


def _serious(problem: Problem, cid: str, shift_ids: list[str],
             history: Mapping[str, Sequence[HistoryItem]], policy: Policy,
             as_of: datetime) -> list[LoadWarning]:
    """Return the warnings of "warning" severity or above of a person's whole schedule."""
    candidate = problem.candidates[cid]
    spans = [as_span(item) for item in history.get(cid, ())]
    for sid in shift_ids:
        s = problem.shifts[sid]
        spans.append(ShiftSpan(s.start, s.end, s.role, s.intensity, s.on_call, ref=sid))
    schedule = VolunteerSchedule(
        id=cid, pledged_hours_per_week=candidate.pledged_hours_per_week,
        shifts=tuple(sorted(spans, key=lambda span: span.start)),
        last_supervised_on=candidate.last_supervised_on)
    return [w for w in evaluate_volunteer(schedule, as_of, problem.tz, policy)
            if is_at_least(w.severity, "warning")]
