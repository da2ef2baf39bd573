"""One case's plan, step by step, and the next contact it needs: the counsellor's "my mothers" order.

Pure: the plan, the case's plan date and its ``(date, mode)`` contacts in,
plain values out. ``due.py`` answers the coordinator's question (every step
due or overdue on a day, across cases); this answers the supporter's (which
of *my* mothers needs a contact next, and what for), so steps whose window
has not opened yet are listed too, as ``upcoming``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from volunteers.peersupport.domain.plan import Plan, Step

#: a step's state on a day: done, window not open yet, open and not late, late
STATES = ("done", "upcoming", "due", "overdue")


@dataclass(frozen=True)
class StepState:
    """Where one step of a case stands on a day."""

    step: str
    opens: date
    due_by: date
    state: str
    #: the contact that did it (None while not done)
    done_on: date | None
    #: days late (0 unless overdue)
    days_overdue: int


def _first_doing(step: Step, born_on: date, contacts: Sequence[tuple[date, str]], today: date) -> date | None:
    found = [on for on, mode in contacts if on <= today and step.done_by(born_on, on, mode)]
    return min(found) if found else None


def plan_states(born_on: date, contacts: Sequence[tuple[date, str]], plan: Plan, today: date) -> list[StepState]:
    """Every step of the plan for one case on ``today``, in plan order."""
    states: list[StepState] = []
    for step in plan.steps:
        opens, due_by = step.opens_on(born_on), step.due_on(born_on)
        done_on = _first_doing(step, born_on, contacts, today)
        if done_on is not None:
            state = "done"
        elif opens > today:
            state = "upcoming"
        else:
            state = "overdue" if today > due_by else "due"
        late = (today - due_by).days if state == "overdue" else 0
        states.append(StepState(step.name, opens, due_by, state, done_on, late))
    return states


def next_step(born_on: date, contacts: Sequence[tuple[date, str]], plan: Plan, today: date) -> StepState | None:
    """The step not done with the earliest ``due_by`` (overdue ones first by nature); None when all are done."""
    pending = [s for s in plan_states(born_on, contacts, plan, today) if s.state != "done"]
    return min(pending, key=lambda s: (s.due_by, s.opens, s.step)) if pending else None


def next_first_key(state: StepState | None, reference: str) -> tuple[int, date, str]:
    """Sort key for a supporter's list: the next contact due first, cases with nothing left to do last."""
    if state is None:
        return (1, date.max, reference)
    return (0, state.due_by, reference)
