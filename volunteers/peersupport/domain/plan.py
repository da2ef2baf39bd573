"""The contact plan: steps with windows counted in local calendar days from the plan date (day 0).

DESIGN.md, "Peer support": a step's window opens on day ``opens`` and closes
(is due by) on day ``due_by``; a contact *does* the step when its mode is one
the step accepts and it is dated day ``done_from`` or later. Days are local
calendar days, so a clock change between the plan date and a contact moves
nothing: all arithmetic here is on ``date`` values.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

MODES = ("ward", "home", "phone", "group", "helpline")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: no plan step reaches further than this many days from the plan date (about 5 years)
MAX_DAY = 2000


@dataclass(frozen=True)
class Step:
    """One step of a plan (``ward_visit``: day 0 to day 2, a ward contact dated day 0 or later)."""

    name: str
    opens: int
    due_by: int
    modes: frozenset[str]
    done_from: int

    def opens_on(self, plan_date: date) -> date:
        return plan_date + timedelta(days=self.opens)

    def due_on(self, plan_date: date) -> date:
        return plan_date + timedelta(days=self.due_by)

    def done_by(self, plan_date: date, contact_on: date, mode: str) -> bool:
        """Whether a contact of ``mode`` dated ``contact_on`` does this step."""
        return mode in self.modes and contact_on >= plan_date + timedelta(days=self.done_from)

    def as_data(self) -> dict[str, Any]:
        return {"step": self.name, "opens": self.opens, "due_by": self.due_by,
                "modes": [m for m in MODES if m in self.modes], "done_from": self.done_from}


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def as_data(self) -> list[dict[str, Any]]:
        return [s.as_data() for s in self.steps]


#: DESIGN's default plan (its table, "Peer support")
DEFAULT_PLAN = Plan((
    Step("ward_visit", opens=0, due_by=2, modes=frozenset({"ward"}), done_from=0),
    Step("follow_up_20w", opens=140, due_by=154, modes=frozenset(set(MODES) - {"ward", "group"}), done_from=126),
))


def _day(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -MAX_DAY <= value <= MAX_DAY:
        raise ValueError(f"{field}: must be a whole number of days from -{MAX_DAY} to {MAX_DAY}, got {value!r}")
    return value


def plan_from_data(data: Sequence[Mapping[str, Any]] | None) -> Plan:
    """Return the plan stored as data (``Organisation.settings["contact_plan"]``); None or empty → the default.

    :raises ValueError: naming the step and field of anything malformed.
    """
    if not data:
        return DEFAULT_PLAN
    if not isinstance(data, list | tuple):
        raise ValueError("contact_plan: must be a list of steps")
    steps: list[Step] = []
    for index, raw in enumerate(data, start=1):
        if not isinstance(raw, Mapping):
            raise ValueError(f"step {index}: must be an object")
        name = raw.get("step")
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"step {index}: step: must be a name like follow_up_20w, got {name!r}")
        if any(s.name == name for s in steps):
            raise ValueError(f"step {index}: step: {name!r} appears twice")
        opens, due_by = _day(raw.get("opens"), f"{name}: opens"), _day(raw.get("due_by"), f"{name}: due_by")
        if due_by < opens:
            raise ValueError(f"{name}: due_by: must be on or after the day the window opens ({opens})")
        done_from = _day(raw.get("done_from", opens), f"{name}: done_from")
        if done_from > due_by:
            raise ValueError(f"{name}: done_from: must be on or before due_by ({due_by})")
        modes = raw.get("modes", list(MODES))
        if not isinstance(modes, list | tuple) or not modes or any(m not in MODES for m in modes):
            raise ValueError(f"{name}: modes: must be a non-empty list of {', '.join(MODES)}")
        steps.append(Step(name, opens, due_by, frozenset(modes), done_from))
    return Plan(tuple(steps))


def step_done(step: Step, plan_date: date, contacts: Iterable[tuple[date, str]], by: date) -> bool:
    """Whether any ``(date, mode)`` contact dated on or before ``by`` does ``step``."""
    return any(on <= by and step.done_by(plan_date, on, mode) for on, mode in contacts)
