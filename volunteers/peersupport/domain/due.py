"""What is due on a day: DESIGN.md's ``cases due --on D`` rules, pure.

For each case open on D, every step not done whose window has opened by D
(``opens <= D``): ``due`` while ``D <= due_by``, ``overdue`` after, with
``days_overdue = D - due_by`` (0 when due). A contact dated after D does not
count for D. A case closed on or before D lists nothing. Sorted by
``due_by``, then ``reference``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from volunteers.peersupport.domain.plan import Plan, step_done


@dataclass(frozen=True)
class Case:
    """What the rules need of a case."""

    reference: str
    born_on: date
    supporter: str | None = None
    closed_on: date | None = None

    def open_on(self, day: date) -> bool:
        return self.closed_on is None or self.closed_on > day


@dataclass(frozen=True)
class ContactDone:
    """What the rules need of a contact: whose, when (local date), how."""

    reference: str
    on: date
    mode: str


@dataclass(frozen=True)
class DueItem:
    reference: str
    step: str
    opens: date
    due_by: date
    status: str
    days_overdue: int
    supporter: str | None

    def as_json(self) -> dict[str, Any]:
        """The object ``cases due --format json`` prints (dates as ``YYYY-MM-DD``)."""
        return {"reference": self.reference, "step": self.step, "opens": self.opens.isoformat(),
                "due_by": self.due_by.isoformat(), "status": self.status, "days_overdue": self.days_overdue,
                "supporter": self.supporter}


#: the columns of ``cases due --format csv``, as the JSON keys run
CSV_COLUMNS = ("reference", "step", "opens", "due_by", "status", "days_overdue", "supporter")


def contacts_by_case(contacts: Iterable[ContactDone]) -> dict[str, list[tuple[date, str]]]:
    grouped: dict[str, list[tuple[date, str]]] = {}
    for c in contacts:
        grouped.setdefault(c.reference, []).append((c.on, c.mode))
    return grouped


def cases_due(cases: Iterable[Case], contacts: Iterable[ContactDone] | Mapping[str, Sequence[tuple[date, str]]],
              plan: Plan, on: date) -> list[DueItem]:
    """Return every step due or overdue on ``on``, sorted by ``due_by`` then ``reference``."""
    grouped = contacts if isinstance(contacts, Mapping) else contacts_by_case(contacts)
    items: list[DueItem] = []
    for case in cases:
        if not case.open_on(on):
            continue
        done_contacts = grouped.get(case.reference, ())
        for step in plan.steps:
            opens, due_by = step.opens_on(case.born_on), step.due_on(case.born_on)
            if opens > on or step_done(step, case.born_on, done_contacts, on):
                continue
            late = (on - due_by).days
            items.append(DueItem(case.reference, step.name, opens, due_by, "overdue" if late > 0 else "due",
                                 max(late, 0), case.supporter))
    items.sort(key=lambda item: (item.due_by, item.reference, item.opens, item.step))
    return items
