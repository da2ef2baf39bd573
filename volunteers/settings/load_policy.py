"""The load-policy form: one fieldset per rule of DESIGN's table, read back into policy overrides.

The form is built from :data:`~volunteers.wellbeing.DEFAULT_POLICY`, so a
rule another package adds (peer support's ``caseload``) appears without a
change here. Each field is named ``rule-key``; an empty level switches
that level off. Only values that differ from the defaults are stored, so
the organisation keeps following the documented defaults it did not touch,
and role limits already stored (``"roles"``) are kept as they are.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from volunteers.core.errors import ServiceError
from volunteers.settings.services import checked_policy
from volunteers.wellbeing import DEFAULT_POLICY, Policy
from volunteers.wellbeing.digest import RULE_NAMES
from volunteers.wellbeing.queries import UNITS

ROLES_KEY = "roles"
#: what each setting means, in words (levels take the rule's unit)
LABELS = {
    "notice": "Notice above", "warning": "Warning above", "critical": "Critical above",
    "min_excess_hours": "Silent while the hours beyond the pledge are fewer than",
    "intense_warning": "Warning above, for an intense duty", "intense_critical": "Critical above, for an intense duty",
    "night_critical": "Critical above, for a night duty", "intense_from": "A duty is intense from intensity",
    "max_in_28_days": "Warning for more night duties in any 28 days than",
    "min_history_days": "Judged from this many days after the first shift",
    "min_chronic_hours": "Only when usual weighted hours a week are at least",
    "min_rise_hours": "Only when the week's weighted hours rise by at least",
    "recent_days": "For people with an intense shift in the last (days)",
}
#: rules whose levels are met from below (short rest) or at the value (runs of days)
BELOW, AT_OR_ABOVE = {"short_rest"}, {"consecutive_days", "consecutive_nights", "early_starts"}
LEVELS = ("notice", "warning", "critical")


@dataclass(frozen=True)
class Setting:
    """One number of a rule as the form shows it."""

    name: str
    label: str
    value: str
    unit: str
    error: str | None


@dataclass(frozen=True)
class RuleForm:
    """One rule's fieldset: whether it is judged, and its numbers."""

    rule: str
    title: str
    enabled: bool
    settings: list[Setting]
    error: str | None


def _label(rule: str, key: str) -> str:
    label = LABELS.get(key, key.replace("_", " ").capitalize())
    if key in LEVELS and rule in BELOW:
        return label.replace("above", "below")
    if key in LEVELS and rule in AT_OR_ABOVE:
        return label.replace("above", "from")
    return label


def _text(value: Any) -> str:
    if value is None:
        return ""
    return f"{float(value):g}" if not isinstance(value, bool) else str(value)


def rule_forms(policy: Policy, entered: Mapping[str, str] | None = None,
               errors: Mapping[str, str] | None = None) -> list[RuleForm]:
    """Return the fieldsets, filled from ``entered`` (a refused or previewed form) or else from ``policy``."""
    errors = errors or {}
    forms = []
    for rule, defaults in DEFAULT_POLICY.items():
        values = policy.rules.get(rule, defaults)
        enabled = (f"{rule}-enabled" in entered) if entered is not None else bool(values.get("enabled", True))
        settings = [
            Setting(f"{rule}-{key}", _label(rule, key),
                    entered.get(f"{rule}-{key}", "") if entered is not None else _text(values.get(key)),
                    UNITS.get(rule, "") if key in LEVELS or key.endswith(("_warning", "_critical")) else "",
                    errors.get(f"{rule}-{key}"))
            for key in defaults if key != "enabled"]
        forms.append(RuleForm(rule, RULE_NAMES.get(rule, rule.replace("_", " ").capitalize()), enabled, settings,
                              errors.get(rule)))
    return forms


#: the most digits before the point a threshold may have: int(Decimal("1e999999999")) would run for ever
MAX_WHOLE_DIGITS = 6


def parse_threshold_decimal(text: str, message: str) -> Decimal:
    """Return a finite number under a million typed in a threshold box; else ValueError(``message``)."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(message) from None
    if not number.is_finite() or number.adjusted() >= MAX_WHOLE_DIGITS:
        raise ValueError(message)
    return number


def _number(text: str, default: Any) -> Any:
    """Return a typed number (an int where the default is a whole number), or None for an empty box."""
    text = text.strip()
    if not text:
        return None
    number = parse_threshold_decimal(text, "Enter a number, e.g. 15.")
    if isinstance(default, int) and not isinstance(default, bool):
        if number != number.to_integral_value():
            raise ValueError("Enter a whole number.")
        return int(number)
    return float(number)


def read_form(form: Mapping[str, str], stored: Mapping[str, Any] | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the overrides a submitted form asks for, and field name → problem (empty when all is well).

    Every rule is checked on its own by the policy's rules, so each refused
    box is named, not only the first.
    """
    overrides: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for rule, defaults in DEFAULT_POLICY.items():
        values: dict[str, Any] = {"enabled": f"{rule}-enabled" in form}
        for key, default in defaults.items():
            if key == "enabled":
                continue
            try:
                values[key] = _number(form.get(f"{rule}-{key}", ""), default)
            except ValueError as error:
                errors[f"{rule}-{key}"] = str(error)
        changed = {key: value for key, value in values.items() if value != defaults.get(key)}
        if any(name.startswith(f"{rule}-") for name in errors):
            continue
        try:
            checked_policy({rule: changed})
        except ServiceError as error:
            errors[error.field or rule] = str(error)
            continue
        if changed:
            overrides[rule] = changed
    if stored and ROLES_KEY in stored:
        overrides[ROLES_KEY] = stored[ROLES_KEY]
    return overrides, errors
