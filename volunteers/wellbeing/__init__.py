"""Load rules and burn-out warnings.

The public names below are pure (no Flask, no database): importing
``volunteers.wellbeing`` must not import Flask, so ``load assess``, the
auto-rota and the unit tests can use them without an app.
"""

from volunteers.wellbeing.domain.assess import (
    AssessmentError,
    AssessmentRequest,
    assess,
    evaluate_volunteer,
    parse_assessment,
)
from volunteers.wellbeing.domain.duties import ShiftSpan
from volunteers.wellbeing.domain.figures import (
    bus_factor,
    gini,
    key_drivers,
    organisation_figures,
    top20_share,
)
from volunteers.wellbeing.domain.model import LoadWarning, VolunteerSchedule
from volunteers.wellbeing.domain.policy import DEFAULT_POLICY, Policy, PolicyError
from volunteers.wellbeing.domain.rules import RULES
from volunteers.wellbeing.domain.severity import (
    SEVERITIES,
    is_at_least,
    max_severity,
    severity_rank,
)

__all__ = [
    "AssessmentError", "AssessmentRequest", "DEFAULT_POLICY", "LoadWarning", "Policy", "PolicyError",
    "RULES", "SEVERITIES", "ShiftSpan", "VolunteerSchedule", "assess", "bus_factor", "evaluate_volunteer",
    "gini", "is_at_least", "key_drivers", "max_severity", "organisation_figures", "parse_assessment",
    "severity_rank", "top20_share",
]
