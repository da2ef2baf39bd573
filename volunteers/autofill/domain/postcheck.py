"""Judge proposed places with the canonical load rules of ``volunteers.wellbeing``.

The model holds every rule it can express linearly; this is the final
word. It runs the real rules on a person's whole schedule — history,
places held and places proposed — as of the proposal's ``as_of``. A
warning of severity "warning" or above is *new* unless the schedule
without the proposed places already had it (same rule and episode) at
least as bad; a new warning is blamed on the proposed places among the
shifts of its worst window (else of its episode).

What is left for this check is little: duties merged from three or more
shifts, and rounding. :meth:`Judge.cut` shrinks a blamed set to a minimal
one that still raises the warning on its own, so the no-good cut the
model then gets forbids as little as possible; that is valid for every
rule except ``load_spike``, the one rule where more hours (in the chronic
weeks) can lower a warning, which is left as blamed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from volunteers.autofill.domain.problem import HistoryItem, Pair, Problem, as_span
from volunteers.wellbeing import (
    LoadWarning,
    ShiftSpan,
    VolunteerSchedule,
    evaluate_volunteer,
    is_at_least,
    severity_rank,
)

#: Rules where adding a place never lowers a warning, so a subset that warns alone always warns.
NOT_MONOTONE = frozenset({"load_spike"})


class Judge:
    """The canonical rules applied to people's proposed places, with the schedule before cached."""

    def __init__(self, problem: Problem, *, history: Mapping[str, Sequence[HistoryItem]],
                 as_of: datetime) -> None:
        self.problem = problem
        self.as_of = as_of
        self._history = history
        self._held: dict[str, list[str]] = {
            cid: [sid for sid in sids if (sid, cid) not in problem.baseline]
            for cid, sids in problem.held.items()}
        self._before: dict[tuple[str, frozenset[str]], dict[tuple[str, str], LoadWarning]] = {}
        self._seen: dict[tuple[str, frozenset[str]], list[tuple[str, frozenset[Pair]]]] = {}

    def blamed(self, cid: str, shift_ids: Iterable[str]) -> list[tuple[str, frozenset[Pair]]]:
        """Return (rule, proposed places behind it) for each new warning of ``cid``'s schedule.

        ``shift_ids`` are every place of the range the person would hold
        besides the locked ones; those outside the repair's baseline are new.
        """
        ids = list(shift_ids)
        new = {sid for sid in ids if (sid, cid) not in self.problem.baseline}
        if not new:
            return []
        seen = self._seen.get((cid, frozenset(ids)))
        if seen is not None:
            return seen
        old = frozenset(sid for sid in ids if sid not in new)
        key = (cid, old)
        if key not in self._before:
            self._before[key] = {(w.rule, w.episode_key): w for w in self._serious(cid, old)}
        before = self._before[key]
        found = []
        for warning in self._serious(cid, ids):
            same = before.get((warning.rule, warning.episode_key))
            if same is not None and (severity_rank(same.severity), same.value) >= (
                    severity_rank(warning.severity), warning.value):
                continue
            worst = frozenset(span.ref for span in warning.shifts if span.ref in new)
            behind = worst or frozenset(ref for ref in warning.shift_refs if ref in new)
            if behind:
                found.append((warning.rule, frozenset((sid, cid) for sid in behind)))
        self._seen[(cid, frozenset(ids))] = found
        return found

    def offending(self, chosen: Iterable[Pair]) -> list[tuple[str, frozenset[Pair]]]:
        """Return (rule, blamed places) for every new warning of a proposed rota."""
        mine: dict[str, list[str]] = defaultdict(list)
        for sid, cid in sorted(chosen):
            mine[cid].append(sid)
        found = []
        for cid in sorted(mine):
            found.extend(self.blamed(cid, mine[cid]))
        return found

    def cut(self, rule: str, blamed: frozenset[Pair]) -> frozenset[Pair]:
        """Return a smallest-by-deletion subset of ``blamed`` that raises ``rule`` on its own.

        By monotonicity every rota holding the whole subset raises the
        warning too, so forbidding the subset cuts off no good rota.
        """
        if rule in NOT_MONOTONE or len(blamed) < 2:
            return blamed
        cid = next(iter(blamed))[1]
        kept = set(blamed)
        for pair in sorted(blamed):
            trial = kept - {pair}
            if trial and any(r == rule for r, _ in self.blamed(cid, [sid for sid, _ in trial])):
                kept = trial
        return frozenset(kept)

    def _serious(self, cid: str, shift_ids: Iterable[str]) -> list[LoadWarning]:
        """Return the warnings of "warning" severity or above of a person's whole schedule."""
        problem = self.problem
        candidate = problem.candidates[cid]
        spans = [as_span(item) for item in self._history.get(cid, ())]
        for sid in [*self._held.get(cid, ()), *shift_ids]:
            s = problem.shifts[sid]
            spans.append(ShiftSpan(s.start, s.end, s.role, s.intensity, s.on_call, ref=sid))
        schedule = VolunteerSchedule(
            id=cid, pledged_hours_per_week=candidate.pledged_hours_per_week,
            shifts=tuple(sorted(spans, key=lambda span: span.start)),
            last_supervised_on=candidate.last_supervised_on)
        return [w for w in evaluate_volunteer(schedule, self.as_of, problem.tz,
                                              problem.policies[cid])
                if is_at_least(w.severity, "warning")]
