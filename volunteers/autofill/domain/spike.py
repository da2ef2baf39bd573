"""``load_spike`` as linear constraints, also where the chronic weeks hold choices.

For the 7 local dates ending on ``d``, A is the weighted load (minutes) of
those dates and S that of the 28 dates before them (chronic = S / 4 a
week). The canonical rule warns when ``d`` is at least
``spike_history_days`` after the person's first shift and all of

* S ≥ 4 · min_chronic (chronic at least 1 h a week),
* 4A − S ≥ 4 · min_rise (acute at least 4 h above chronic),
* A > ratio · S / 4 (acute above twice chronic).

So there is no warning when one of three *linear* conditions holds:

* G: S ≤ 4 · min_chronic − 1,
* L: 4A − S ≤ 4 · min_rise − 1,
* R: 400A ≤ r · S, with r = ⌊100 · ratio⌋.

L and R together say "acute ≤ max(chronic + 4 h, 2 × chronic)"; which of
them is the looser depends on S (they cross at chronic = 4 h). A window
where only one of them can matter (S's range does not straddle the
crossing, and G cannot hold) gets that one linear constraint; otherwise a
Boolean per condition picks one (a disjunction, exact). Windows where no
choice can raise a warning get nothing.

Rounding keeps this sound: A is summed from weighted minutes rounded up,
S from minutes rounded down in L and R and up in G; integers compared with
``≤ … − 1`` leave at least a quarter of a minute below each threshold,
far more than the rules' 1e-6 tolerance. "First shift" is the earliest
date the person could have a shift (history, places held, or any choice),
so windows are judged at least as often as the rule does.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, TypeAlias

from volunteers.autofill.domain.load import Limits
from volunteers.autofill.domain.windows import DaySums, Prefix

if TYPE_CHECKING:  # the solver library is imported where a model is built or solved (see domain/__init__)
    from ortools.sat.python import cp_model

ACUTE, CHRONIC = 7, 28
#: What ``model.add`` takes. ortools' stubs type ``LinearExpr <= …`` as ``bool``; at run
#: time it is a ``BoundedLinearExpression``.
Bound: TypeAlias = "cp_model.BoundedLinearExpression | bool"


def spike_caps(model: cp_model.CpModel, up: Prefix, low: Prefix, fixed_up: dict[int, int],
               fixed_low: dict[int, int], first_day: int, limits: Limits,
               weekly_cap: int | None) -> int:
    """Add one person's load_spike constraints; return how many windows needed one.

    ``up``/``low`` are the person's choices by date (weighted minutes rounded
    up / down), ``fixed_*`` their fixed load by date. ``weekly_cap`` is the
    weekly_load cap the model already enforces on A (it prunes windows).
    """
    if limits.spike_ratio is None or not up.days:
        return 0
    r = math.floor(limits.spike_ratio * 100 + 1e-9)
    g_most = 4 * limits.spike_min_chronic - 1
    l_most = 4 * limits.spike_min_rise - 1
    lo = max(first_day + limits.spike_history_days, up.days[0])
    hi = up.days[-1] + ACUTE + CHRONIC - 1
    if lo > hi:
        return 0
    span = (lo - ACUTE - CHRONIC + 1, hi)
    fix_up, fix_low = DaySums(fixed_up, *span), DaySums(fixed_low, *span)
    added = 0
    for d in range(lo, hi + 1):
        a, s = (d - ACUTE + 1, d), (d - ACUTE - CHRONIC + 1, d - ACUTE)
        a_var, s_var_low, s_var_up = up.most(*a), low.most(*s), up.most(*s)
        if not a_var and not s_var_up:
            continue  # nothing in this window is decided here
        a_fix, s_fix_low, s_fix_up = fix_up.total(*a), fix_low.total(*s), fix_up.total(*s)
        a_ref = a_fix + up.held(*a)
        a_most = a_fix + a_var
        if weekly_cap is not None:
            a_most = min(a_most, max(weekly_cap, a_ref))
        # Safe whatever is chosen: at the largest A and the smallest S (or largest, for G).
        if (s_fix_up + s_var_up <= g_most or 4 * a_most - s_fix_low <= l_most
                or 100 * 4 * a_most <= r * s_fix_low):
            continue
        a_expr = up.expr(*a) + a_fix
        s_low = low.expr(*s) + s_fix_low
        s_ref_low, s_ref_up = s_fix_low + low.held(*s), s_fix_up + up.held(*s)
        if not (s_ref_up <= g_most or 4 * a_ref - s_ref_low <= l_most
                or 400 * a_ref <= r * s_ref_low):
            # Already a spike without any new place: add nothing to its acute week.
            model.add(up.expr(*a) <= a_ref - a_fix)
            added += 1
            continue
        branches: list[Bound] = []
        if s_fix_up <= g_most:
            branches.append(up.expr(*s) + s_fix_up <= g_most)
        crossing = 100 * l_most  # (r − 100) · S beyond this: R is the looser of L and R
        if not (r > 100 and (r - 100) * s_fix_low >= crossing):
            branches.append(4 * a_expr - s_low <= l_most)
        if r > 100 and (r - 100) * (s_fix_low + s_var_low) >= crossing:
            branches.append(400 * a_expr - r * s_low <= 0)
        _any_of(model, branches)
        added += 1
    return added


def _any_of(model: cp_model.CpModel, branches: list[Bound]) -> None:
    """Require at least one of ``branches`` (bounded linear expressions) to hold."""
    if len(branches) == 1:
        model.add(branches[0])
        return
    literals = [model.new_bool_var("") for _ in branches]
    for literal, branch in zip(literals, branches, strict=True):
        model.add(branch).only_enforce_if(literal)
    model.add_bool_or(literals)
