"""The load policy: thresholds per rule, organisation overrides, role and person limits.

``DEFAULT_POLICY`` is the contract of DESIGN.md ("Load policy and warnings").
An organisation *overrides* it by rule code (its values replace the
defaults, looser or stricter); a role or a person can only *tighten* it:
a limit that is looser than the organisation's value is ignored, so adding a
role or personal limit never silences a warning.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from volunteers.wellbeing.domain.severity import SEVERITIES

DEFAULT_POLICY: dict[str, dict[str, Any]] = {
    "over_pledge": {
        "enabled": True,
        # raw hours in any 28 days ÷ (4 × weekly pledge) must be above these ratios
        "notice": 1.25,
        "warning": 1.5,
        "critical": 2.0,
        # silent while the hours beyond 4 × pledge are fewer than this
        "min_excess_hours": 2.0,
    },
    "weekly_load": {
        "enabled": True,
        # weighted load hours in any 7 days above this
        "warning": 15.0,
        "critical": 24.0,
    },
    "long_duty": {
        "enabled": True,
        # hours of one duty above this (stand-by duties are not judged)
        "warning": 6.0,
        "critical": 12.0,
        # the same for a duty with a shift of intensity >= intense_from
        "intense_warning": 4.5,
        "intense_critical": 8.0,
        # critical for a night duty above this many hours
        "night_critical": 8.0,
        # a duty counts as intense from this intensity (its most intense shift)
        "intense_from": 1.5,
    },
    "short_rest": {
        "enabled": True,
        # hours of rest below this after a duty ending >= 19:00, across midnight or at night
        "warning": 11.0,
        "critical": 8.0,
    },
    "consecutive_days": {
        "enabled": True,
        # at least this many consecutive local dates on which a duty starts
        "warning": 6,
        "critical": 7,
    },
    "consecutive_nights": {
        "enabled": True,
        # at least this many night duties on consecutive dates (by start)
        "warning": 3,
        "critical": 4,
        # a warning for more than this many night duties in any 28 days
        "max_in_28_days": 4,
    },
    "early_starts": {
        "enabled": True,
        # at least this many consecutive dates with a duty starting before 07:00
        "warning": 3,
    },
    "intense_hours": {
        "enabled": True,
        # hours of shifts with intensity > 1.0 (not on call) in any 7 days above this
        "warning": 8.0,
        "critical": 12.0,
    },
    "load_spike": {
        "enabled": True,
        # acute (7-day WLH) above this multiple of chronic (mean weekly WLH of the 28 days before)
        "notice": 1.5,
        "warning": 2.0,
        # judged only from this many days after the first shift
        "min_history_days": 35,
        # ... when chronic is at least this many weighted hours a week
        "min_chronic_hours": 1.0,
        # ... and acute exceeds chronic by at least this many weighted hours
        "min_rise_hours": 4.0,
    },
    "supervision_due": {
        "enabled": True,
        # days since last supervision above this, for people doing intense work
        "warning": 61,
        "critical": 92,
        # "doing intense work" = an intense shift in this many days before as_of
        "recent_days": 28,
    },
    "caseload": {
        "enabled": True,
        # open cases supported ÷ the person's caseload_limit above this (no limit: not judged)
        "warning": 1.0,
        "critical": 1.5,
    },
}

#: How each rule's metric meets a level: ``>`` above, ``>=`` at or above, ``<`` below.
COMPARISONS: Mapping[str, str] = MappingProxyType({
    "over_pledge": ">", "weekly_load": ">", "long_duty": ">", "short_rest": "<",
    "consecutive_days": ">=", "consecutive_nights": ">=", "early_starts": ">=",
    "intense_hours": ">", "load_spike": ">", "supervision_due": ">", "caseload": ">",
})

# Keys where a larger number is the stricter one; for every other number smaller is stricter.
_HIGHER_IS_STRICTER = frozenset({
    ("short_rest", "warning"), ("short_rest", "critical"), ("supervision_due", "recent_days"),
})
# Keys that may be switched off with null (a level that is not judged).
_LEVEL_KEYS = frozenset({*SEVERITIES, "intense_warning", "intense_critical", "night_critical"})
_ROLES_KEY = "roles"


class PolicyError(ValueError):
    """A policy override that cannot be used; ``path`` names the offending key."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def _check_value(rule: str, key: str, value: Any, path: str) -> Any:
    """Return ``value`` if it suits ``rule.key``, else raise :class:`PolicyError`."""
    if key not in DEFAULT_POLICY[rule]:
        known = ", ".join(sorted(DEFAULT_POLICY[rule]))
        raise PolicyError(path, f"unknown setting {key!r} (known: {known})")
    if key == "enabled":
        if not isinstance(value, bool):
            raise PolicyError(path, f"expected true or false, got {value!r}")
        return value
    if value is None and key in _LEVEL_KEYS:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
        raise PolicyError(path, f"expected a non-negative number, got {value!r}")
    return value


def _check_rule_map(rule: str, values: Any, path: str) -> dict[str, Any]:
    if rule not in DEFAULT_POLICY:
        raise PolicyError(path, f"unknown rule (known: {', '.join(DEFAULT_POLICY)})")
    if not isinstance(values, Mapping):
        raise PolicyError(path, f"expected an object of settings, got {values!r}")
    return {key: _check_value(rule, key, value, f"{path}.{key}") for key, value in values.items()}


def _check_order(rule: str, values: Mapping[str, Any], path: str) -> None:
    """Refuse levels out of order, e.g. a weekly_load warning above its critical level."""
    present = [(name, value) for name in SEVERITIES if (value := values.get(name)) is not None]
    higher = COMPARISONS[rule] != "<"
    for (mild, mild_value), (worse, worse_value) in pairwise(present):
        if (mild_value > worse_value) if higher else (mild_value < worse_value):
            raise PolicyError(f"{path}.{worse}",
                              f"{worse} level {worse_value} is milder than {mild} level {mild_value}")


def _stricter(rule: str, key: str, current: Any, limit: Any) -> Any:
    """Return the stricter of an organisation value and a role/person limit."""
    if limit is None:
        return current
    if key == "enabled":
        return current or limit
    if current is None:
        return limit
    if (rule, key) in _HIGHER_IS_STRICTER:
        return max(current, limit)
    return min(current, limit)


def _tighten(rules: Mapping[str, Mapping[str, Any]], limits: Mapping[str, Mapping[str, Any]]) -> dict:
    merged = {rule: dict(values) for rule, values in rules.items()}
    for rule, values in limits.items():
        for key, limit in values.items():
            merged[rule][key] = _stricter(rule, key, merged[rule].get(key), limit)
    return merged


def _freeze(rules: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Mapping[str, Any]]:
    return MappingProxyType({rule: MappingProxyType(dict(values)) for rule, values in rules.items()})


def _parse_limits(limits: Mapping[str, Any] | None, path: str) -> tuple[dict, dict]:
    """Split ``{"rule": {...}, "roles": {"Role": {"rule": {...}}}}`` into checked parts."""
    if limits is None:
        return {}, {}
    if not isinstance(limits, Mapping):
        raise PolicyError(path or "policy", f"expected an object keyed by rule code, got {limits!r}")
    rules: dict[str, dict[str, Any]] = {}
    roles: dict[str, dict[str, dict[str, Any]]] = {}
    prefix = f"{path}." if path else ""
    for rule, values in limits.items():
        if rule == _ROLES_KEY:
            if not isinstance(values, Mapping):
                raise PolicyError(f"{prefix}{rule}", "expected an object of role name → rule limits")
            for role, role_rules in values.items():
                role_path = f"{prefix}{rule}.{role}"
                if not isinstance(role_rules, Mapping):
                    raise PolicyError(role_path, "expected an object keyed by rule code")
                roles[str(role)] = {r: _check_rule_map(r, v, f"{role_path}.{r}")
                                    for r, v in role_rules.items()}
        else:
            rules[rule] = _check_rule_map(rule, values, f"{prefix}{rule}")
    return rules, roles


@dataclass(frozen=True, eq=False)
class Policy:
    """Effective thresholds for one organisation, with per-role limits.

    Build it with :meth:`from_overrides`; tighten it for a person with
    :meth:`tightened` and for a role with :meth:`with_role_limits`. Rules ask
    for :meth:`settings` or :meth:`levels` given the roles involved in what
    they judge, and get the strictest value among those roles' limits.
    """

    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: _freeze(DEFAULT_POLICY))
    #: role name → rule code → limits (tightening only)
    role_limits: Mapping[str, Mapping[str, Mapping[str, Any]]] = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, Any] | None = None, *, path: str = "") -> Policy:
        """Return the default policy with an organisation's ``overrides`` merged in by rule code.

        ``overrides`` maps rule codes to settings (``{"weekly_load": {"warning": 12}}``);
        a level set to ``None`` is switched off, ``"enabled": False`` switches
        a rule off. The optional key ``"roles"`` maps role names to limits,
        which only tighten. ``path`` prefixes error messages.

        :raises PolicyError: (a ``ValueError``) naming the offending key.
        """
        rules, roles = _parse_limits(overrides, path)
        merged = {rule: {**defaults, **rules.get(rule, {})} for rule, defaults in DEFAULT_POLICY.items()}
        for rule, values in merged.items():
            _check_order(rule, values, f"{path}.{rule}" if path else rule)
        return cls(rules=_freeze(merged), role_limits=MappingProxyType(roles))

    def tightened(self, limits: Mapping[str, Any] | None, *, path: str = "") -> Policy:
        """Return this policy with a person's ``limits`` applied; looser limits are ignored."""
        rules, roles = _parse_limits(limits, path)
        policy = Policy(rules=_freeze(_tighten(self.rules, rules)), role_limits=self.role_limits)
        for role, role_rules in roles.items():
            policy = policy.with_role_limits(role, role_rules)
        return policy

    def with_role_limits(self, role: str, limits: Mapping[str, Mapping[str, Any]]) -> Policy:
        """Return this policy with limits that apply whenever ``role`` is involved."""
        checked = {rule: _check_rule_map(rule, values, f"roles.{role}.{rule}")
                   for rule, values in limits.items()}
        combined = {r: {rule: dict(v) for rule, v in rs.items()} for r, rs in self.role_limits.items()}
        current = combined.setdefault(role, {})
        for rule, values in checked.items():
            for key, limit in values.items():
                rule_limits = current.setdefault(rule, {})
                rule_limits[key] = _stricter(rule, key, rule_limits.get(key), limit)
        return Policy(rules=self.rules, role_limits=MappingProxyType(combined))

    def enabled(self, rule: str) -> bool:
        """Return whether ``rule`` is judged at all (a role limit may switch it on)."""
        return bool(self.settings(rule, self.limited_roles(rule)).get("enabled", True))

    def limited_roles(self, rule: str) -> frozenset[str]:
        """Return the roles that have their own limits for ``rule``."""
        key = ("roles", rule)
        if key not in self._cache:
            self._cache[key] = frozenset(role for role, rules in self.role_limits.items() if rule in rules)
        return self._cache[key]

    def _relevant(self, rule: str, roles: Iterable[str]) -> frozenset[str]:
        return self.limited_roles(rule).intersection(roles) if self.role_limits else frozenset()

    def settings(self, rule: str, roles: Iterable[str] = ()) -> Mapping[str, Any]:
        """Return ``rule``'s settings, tightened by the limits of every role in ``roles``."""
        relevant = self._relevant(rule, roles)
        key = ("settings", rule, relevant)
        cached = self._cache.get(key)
        if cached is None:
            values = dict(self.rules[rule])
            for role in sorted(relevant):
                for name, limit in self.role_limits[role][rule].items():
                    values[name] = _stricter(rule, name, values.get(name), limit)
            cached = self._cache[key] = MappingProxyType(values)
        return cached

    def levels(self, rule: str, roles: Iterable[str] = ()) -> tuple[tuple[str, float], ...]:
        """Return ``rule``'s ``(severity, threshold)`` levels, worst first, for ``roles``."""
        relevant = self._relevant(rule, roles)
        key = ("levels", rule, relevant)
        cached = self._cache.get(key)
        if cached is None:
            values = self.settings(rule, relevant)
            cached = tuple((name, float(values[name])) for name in reversed(SEVERITIES)
                           if values.get(name) is not None)
            self._cache[key] = cached
        return cached

    def to_dict(self) -> dict[str, Any]:
        """Return the effective policy as plain JSON-able data."""
        data: dict[str, Any] = {rule: dict(values) for rule, values in self.rules.items()}
        if self.role_limits:
            data[_ROLES_KEY] = {role: {rule: dict(v) for rule, v in rules.items()}
                                for role, rules in self.role_limits.items()}
        return data


#: The policy with no overrides.
DEFAULT = Policy.from_overrides()


#: Differences smaller than this (3.6 ms of an hour) are float noise, not a crossing.
EPSILON = 1e-6


def meets(value: float, threshold: float, comparison: str) -> bool:
    """Return whether ``value`` meets a level ``threshold`` under ``comparison``.

    A value within :data:`EPSILON` of the threshold counts as equal to it,
    so sums of floats such as 5 + 5 + 5.000000000001 do not cross a level by
    accident: 15.0 is not above 15, 15.01 is.
    """
    if comparison == ">":
        return value > threshold + EPSILON
    if comparison == ">=":
        return value >= threshold - EPSILON
    return value < threshold - EPSILON


def grade(value: float, levels: tuple[tuple[str, float], ...], comparison: str) -> tuple[str, float] | None:
    """Return the worst ``(severity, threshold)`` that ``value`` meets, or ``None``."""
    for severity, threshold in levels:
        if meets(value, threshold, comparison):
            return severity, threshold
    return None
