"""Undo on the shift panel: reverse a hand assignment or a removal for a short while afterwards.

After a coordinator puts someone on a shift or takes them off, the panel
offers "Undo" for :data:`UNDO_SECONDS`. The offer is a signed token (the
organisation, the assignment, what was done and when — ``now`` passed in,
so tests and the check agree on the time); nothing is stored. Undoing goes
through the same services as doing: an assignment is undone by removing
the place (``rota.services.remove_assignment``), a removal by putting the
person back with every check of :func:`volunteers.autofill.assign.assign`
(eligibility, load warnings, a full shift) — so an undo can need an
override, or fail, like any assignment. Each undo is audited as
``rota.undo`` besides the entry of the action it runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer

from volunteers.autofill import assign as assigning
from volunteers.autofill.assign import AssignOutcome
from volunteers.core import audit
from volunteers.core.models import Organisation
from volunteers.core.tenancy import get_scoped
from volunteers.rota import services
from volunteers.rota.models import Assignment
from volunteers.rota.places import PlaceError

#: how long the panel offers "Undo" after an assignment or a removal
UNDO_SECONDS = 120
ACTIONS = ("assign", "remove")


class UndoError(ValueError):
    """The undo is refused: a bad or stale token, or the assignment has moved on."""


@dataclass(frozen=True)
class UndoOffer:
    token: str
    action: str  #: what would be undone: assign or remove
    expires_at: datetime


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="volunteers.shift-undo")


def offer(secret_key: str, org: Organisation, assignment: Assignment, action: str, now: datetime) -> UndoOffer:
    """Return the token that undoes ``action`` (assign or remove) on ``assignment`` until ``UNDO_SECONDS`` pass."""
    if action not in ACTIONS:
        raise ValueError(action)
    token = _serializer(secret_key).dumps(
        {"o": org.id, "a": assignment.id, "do": action, "at": int(now.timestamp())})
    return UndoOffer(token, action, datetime.fromtimestamp(int(now.timestamp()) + UNDO_SECONDS, tz=now.tzinfo))


def read(secret_key: str, org: Organisation, token: str, now: datetime) -> tuple[int, str, datetime]:
    """Return (assignment id, action, expiry) of a token still valid at ``now``; UndoError otherwise."""
    try:
        data = _serializer(secret_key).loads(token or "")
    except BadSignature:
        raise UndoError("That undo link is not valid.") from None
    if not isinstance(data, dict) or data.get("o") != org.id or data.get("do") not in ACTIONS \
            or not isinstance(data.get("a"), int) or not isinstance(data.get("at"), int):
        raise UndoError("That undo link is not valid.")
    expires = datetime.fromtimestamp(data["at"] + UNDO_SECONDS, tz=now.tzinfo)
    if now > expires or now.timestamp() < data["at"]:
        raise UndoError("Too late to undo: change the shift by hand instead.")
    return data["a"], data["do"], expires


def undo(secret_key: str, org: Organisation, token: str, *, shift_id: int, actor_person_id: int | None,
         now: datetime) -> tuple[Assignment, AssignOutcome | None]:
    """Reverse what the token names; return the assignment undone and, for a removal, the put-back outcome.

    An outcome whose ``needs`` is set has changed nothing: the person needs an
    override to go back on (the panel asks, as for any assignment).

    :raises UndoError: a bad or stale token, or an assignment already changed since.
    :raises PlaceError: the place cannot be taken back (full, over, cancelled, already on).
    """
    assignment_id, action, _ = read(secret_key, org, token, now)
    assignment = get_scoped(Assignment, org, assignment_id)
    if assignment is None or assignment.shift_id != shift_id:
        raise UndoError("That undo link is not valid.")
    outcome: AssignOutcome | None = None
    if action == "assign":
        if not assignment.is_active:
            raise UndoError(f"{assignment.membership.person.name} is already off the shift.")
        services.remove_assignment(org, assignment.id, now, actor_person_id)
    else:
        if assignment.status != "cancelled":
            raise UndoError("That removal has already been undone.")
        outcome = assigning.assign(org, assignment.shift_id, assignment.membership_id,
                                   actor_person_id=actor_person_id, now=now)
        if outcome.needs:
            return assignment, outcome
    audit.record(org, actor_person_id, "rota.undo", "assignment", assignment.id, None, now=now, undone=action,
                 shift_id=assignment.shift_id, membership_id=assignment.membership_id,
                 new_assignment_id=outcome.assignment.id if outcome and outcome.assignment else None)
    return assignment, outcome


__all__ = ["UNDO_SECONDS", "PlaceError", "UndoError", "UndoOffer", "offer", "read", "undo"]
