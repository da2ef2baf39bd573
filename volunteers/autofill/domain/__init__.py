"""The auto-rota: fill open places with OR-Tools CP-SAT, and repair cancellations.

Pure code (no Flask, no database): plain values in, a :class:`Proposal` out.
See ``run`` for the entry points, ``model`` for the hard constraints,
``objectives`` for what is optimised and ``postcheck`` for the final word of
the canonical load rules.

OR-Tools (with the numpy and pandas it pulls in: about 60 MB and a third of a
second per process) is imported only where a model is built or solved —
``model.build`` and ``stages`` — and under ``TYPE_CHECKING`` for the
annotations elsewhere. Every web worker imports this package (the shift
panel ranks candidates with its pure parts), but only the auto-rota pages,
job and command ever solve. ``tests/unit/architecture/test_heavy_imports.py``
keeps it so. (Imports inside functions are allowed for third-party
libraries only; ours are imported at the top, see ``test_dependencies``.)
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
