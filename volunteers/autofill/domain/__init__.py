"""The auto-rota: fill open places with OR-Tools CP-SAT, and repair cancellations.

Pure code (no Flask, no database): plain values in, a :class:`Proposal` out.
See ``run`` for the entry points, ``model`` for the hard constraints,
``objectives`` for what is optimised and ``postcheck`` for the final word of
the canonical load rules.
"""

from volunteers.autofill.domain.load import Limits, limits_from_policy
from volunteers.autofill.domain.proposal import (
    EVERYONE_AT_LIMIT,
    NOBODY_AVAILABLE,
    NOBODY_QUALIFIED,
    PersonHours,
    Placement,
    Proposal,
    UnfilledPlace,
)
from volunteers.autofill.domain.run import fill, repair

__all__ = [
    "EVERYONE_AT_LIMIT", "NOBODY_AVAILABLE", "NOBODY_QUALIFIED", "Limits", "PersonHours",
    "Placement", "Proposal", "UnfilledPlace", "fill", "limits_from_policy", "repair",
]
