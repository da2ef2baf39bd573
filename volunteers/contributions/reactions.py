"""What the contributions ledger does when a lower package announces something.

``rota``'s shifts import reports ``attended`` rows as ``core.signals.place_attended``;
the ledger records each (the place marked attended, one approved time entry).
:func:`connect` is called once by ``volunteers.app.register_reactions``.
"""
from __future__ import annotations

from datetime import datetime

from volunteers.contributions.services import record_attendance
from volunteers.core.models import Organisation
from volunteers.core.signals import place_attended
from volunteers.rota.models import Assignment


def _on_place_attended(org: Organisation, *, assignment: Assignment, now: datetime,
                       actor_person_id: int | None) -> None:
    record_attendance(org, assignment, now, actor_person_id)


def connect() -> None:
    """Record attendance that other packages report."""
    place_attended.connect(_on_place_attended)
