"""Load-warning use cases: the organisation comes first in every signature; services flush, never commit.

The work lives in topic modules; this is the one place other features
import from:

* policies and schedules (:mod:`.schedules`): ``policy_for``, ``schedules_for``;
* prospective warnings (:mod:`.prospective`): ``prospective_warnings``,
  ``prospective_warnings_for``;
"""
from __future__ import annotations

from volunteers.wellbeing.prospective import prospective_warnings, prospective_warnings_for
from volunteers.wellbeing.schedules import policy_for, schedules_for

__all__ = [
    "policy_for", "prospective_warnings", "prospective_warnings_for", "schedules_for",
]
