"""The month's ``peer_support`` figures of the monthly report (DESIGN.md, "Peer support"), pure.

* ``registered``: cases whose plan date is in the month;
* ``ward_visit_due``: cases whose ``ward_visit`` window closes in the month
  and that were not closed before that day; ``ward_visit_done``: of those,
  the ones done by a contact dated on or before the close;
* ``follow_up_due`` / ``follow_up_done``: the same for ``follow_up_20w``;
* ``contacts`` / ``contact_hours``: mode → count / hours of the contacts
  dated in the month (every mode listed, 0 when none).

A step the organisation's plan lacks counts 0 due and 0 done.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from volunteers.peersupport.domain.due import Case
from volunteers.peersupport.domain.plan import MODES, Plan, step_done

#: the report's step figures: key prefix → plan step
REPORTED_STEPS = {"ward_visit": "ward_visit", "follow_up": "follow_up_20w"}


@dataclass(frozen=True)
class MonthContact:
    """A contact as the report counts it."""

    reference: str
    on: date
    mode: str
    minutes: int


def minutes_to_hours(minutes: int) -> Decimal:
    """Return minutes as hours rounded to 0.01 (45 → 0.75)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)


def peer_support_figures(cases: Iterable[Case], contacts: Iterable[MonthContact], plan: Plan,
                         first_day: date, last_day: date) -> dict[str, Any]:
    """Return the ``peer_support`` block for the month ``first_day``..``last_day``.

    ``contacts`` must hold every contact of the cases up to ``last_day``
    (earlier ones decide whether a step was done); only those dated in the
    month are counted by mode. Hours are Decimals rounded to 0.01 per mode.
    """
    cases = list(cases)
    by_case: dict[str, list[tuple[date, str]]] = {}
    counts = dict.fromkeys(MODES, 0)
    minutes = dict.fromkeys(MODES, 0)
    for c in contacts:
        by_case.setdefault(c.reference, []).append((c.on, c.mode))
        if first_day <= c.on <= last_day:
            counts[c.mode] += 1
            minutes[c.mode] += c.minutes
    block: dict[str, Any] = {
        "registered": sum(1 for case in cases if first_day <= case.born_on <= last_day)}
    for key, step_name in REPORTED_STEPS.items():
        due = done = 0
        step = plan.step(step_name)
        for case in cases:
            if step is None:
                break
            closes = step.due_on(case.born_on)
            if not first_day <= closes <= last_day or (case.closed_on is not None and case.closed_on < closes):
                continue
            due += 1
            done += step_done(step, case.born_on, by_case.get(case.reference, ()), closes)
        block[f"{key}_due"], block[f"{key}_done"] = due, done
    block["contacts"] = counts
    block["contact_hours"] = {mode: minutes_to_hours(m) for mode, m in minutes.items()}
    return block

