"""Assess schedules against the load policy: the typed API and DESIGN.md's JSON contract.

:func:`evaluate_volunteer` is the typed entry point for services and the
auto-rota's post-check; :func:`assess` reads and writes the JSON of
"Load assessment interface" (used by ``flask load assess``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from volunteers.wellbeing.domain.duties import ShiftSpan
from volunteers.wellbeing.domain.figures import organisation_figures
from volunteers.wellbeing.domain.model import Focus, LoadWarning, VolunteerSchedule
from volunteers.wellbeing.domain.policy import DEFAULT, Policy, PolicyError
from volunteers.wellbeing.domain.rules import RULES
from volunteers.wellbeing.domain.timeline import Timeline

#: The organisation time zone when the input names none (DESIGN.md, "Organisation").
DEFAULT_TIMEZONE = "Europe/London"


class AssessmentError(ValueError):
    """Input that cannot be assessed; the message names where: ``volunteers[1].shifts[3]: …``."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def evaluate_volunteer(schedule: VolunteerSchedule, as_of: datetime, tz: ZoneInfo,
                       policy: Policy = DEFAULT, rules: Iterable[str] | None = None, *,
                       focus: Focus | None = None) -> list[LoadWarning]:
    """Return every load warning of one person's schedule, judged at ``as_of`` in ``tz``.

    Shifts starting before ``as_of`` are worked, the rest planned; a warning
    is prospective when any shift behind its episode is planned. ``policy``
    should already carry the person's limits (:meth:`Policy.tightened`).
    ``rules`` restricts the rule codes judged (default: all of
    :data:`RULES`). Warnings come by rule (registry order), then time.
    Pure and cheap enough to call once per candidate schedule. With a
    ``focus``, only the warnings it keeps (:meth:`Focus.keeps`), each as
    the full judgement has it; the rules judge only the time around it.

    :raises ValueError: for a naive ``as_of`` or an unknown rule code.
    """
    if as_of.tzinfo is None:
        raise ValueError("as_of must be an aware datetime (with a UTC offset)")
    codes = rule_codes(rules)
    return judge(Timeline.build(schedule, as_of, tz, policy, focus=focus), codes)


def rule_codes(rules: Iterable[str] | None) -> list[str]:
    """Return the rule codes to judge (default: all of :data:`RULES`).

    :raises ValueError: for an unknown rule code.
    """
    codes = list(RULES) if rules is None else list(rules)
    unknown = [code for code in codes if code not in RULES]
    if unknown:
        raise ValueError(f"unknown rule code(s): {', '.join(unknown)}")
    return codes


def judge(timeline: Timeline, codes: Iterable[str]) -> list[LoadWarning]:
    """Return the warnings of ``timeline`` under the rules ``codes`` that are enabled, as :func:`evaluate_volunteer`."""
    roles, policy, focus = timeline.roles, timeline.policy, timeline.focus
    found: list[LoadWarning] = []
    for code in codes:
        if policy.settings(code, roles).get("enabled", True):
            if focus is not None and code in focus.whole:
                timeline.focus = None  # judged whole: every warning is kept
                try:
                    warnings = RULES[code](timeline)
                finally:
                    timeline.focus = focus
            else:
                warnings = RULES[code](timeline)
                if focus is not None:
                    warnings = [warning for warning in warnings if focus.keeps(warning)]
            found.extend(sorted(warnings, key=lambda w: (w.window_start.timestamp(), w.episode_key)))
    return found


@dataclass(frozen=True)
class AssessmentRequest:
    """A parsed JSON assessment: when, where, under which policy, and whose schedules."""

    as_of: datetime
    tz: ZoneInfo
    policy: Policy
    schedules: tuple[VolunteerSchedule, ...]
    #: the policy for each schedule (the organisation's, tightened by the person's ``limits``)
    policies: tuple[Policy, ...]


def _field(obj: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in obj:
        raise AssessmentError(path, f"missing field {key!r}")
    return obj[key]


def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise AssessmentError(path, f"expected an object, got {json_type(value)}")
    return value


def json_type(value: Any) -> str:
    """Return the JSON name of a parsed value's type, for messages."""
    names = {bool: "a boolean", str: "a string", int: "a number", float: "a number",
             list: "an array", dict: "an object", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _instant(value: Any, path: str) -> datetime:
    if not isinstance(value, str):
        raise AssessmentError(path, f"expected an ISO 8601 date-time string, got {json_type(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise AssessmentError(path, f"{value!r} is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise AssessmentError(path, f"{value!r} has no UTC offset (write e.g. {value}+00:00)")
    return moment


def _date(value: Any, path: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise AssessmentError(path, f"expected a YYYY-MM-DD date string, got {json_type(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise AssessmentError(path, f"{value!r} is not a YYYY-MM-DD date") from None


def _number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
        raise AssessmentError(path, f"expected a non-negative number, got {value!r}")
    return float(value)


def _count(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AssessmentError(path, f"expected a whole number of cases (0 or more), got {value!r}")
    return value


def _zone(value: Any) -> ZoneInfo:
    if value is None:
        return ZoneInfo(DEFAULT_TIMEZONE)
    if not isinstance(value, str) or not value:
        raise AssessmentError("timezone", f"expected an IANA time zone name, got {value!r}")
    try:
        return ZoneInfo(value)
    except (KeyError, ValueError, OSError):
        raise AssessmentError("timezone", f"unknown time zone {value!r}") from None


def _shift(raw: Any, path: str) -> ShiftSpan:
    data = _object(raw, path)
    start = _instant(_field(data, "start", path), f"{path}.start")
    end = _instant(_field(data, "end", path), f"{path}.end")
    if end < start:
        raise AssessmentError(path, f"end {data['end']} is before start {data['start']}")
    if end == start:
        raise AssessmentError(path, f"end {data['end']} is the same instant as start {data['start']}")
    role = _field(data, "role", path)
    if not isinstance(role, str) or not role.strip():
        raise AssessmentError(f"{path}.role", f"expected a role name, got {role!r}")
    intensity = _number(data.get("intensity", 1.0), f"{path}.intensity")
    on_call = data.get("on_call", False)
    if not isinstance(on_call, bool):
        raise AssessmentError(f"{path}.on_call", f"expected true or false, got {on_call!r}")
    ref = data.get("id")
    if ref is not None and (isinstance(ref, bool) or not isinstance(ref, str | int)):
        raise AssessmentError(f"{path}.id", f"expected a string or number, got {json_type(ref)}")
    return ShiftSpan(start=start, end=end, role=role, intensity=intensity, on_call=on_call,
                     ref=None if ref is None else str(ref))


def _quick_shift(data: Any) -> ShiftSpan | None:
    """Return the shift of well-formed ``data`` fast, or ``None`` to let :func:`_shift` say what is wrong."""
    if type(data) is not dict:
        return None
    try:
        start = datetime.fromisoformat(data["start"])
        end = datetime.fromisoformat(data["end"])
        role = data["role"]
    except (KeyError, TypeError, ValueError):
        return None
    intensity = data.get("intensity", 1.0)
    on_call = data.get("on_call", False)
    ref = data.get("id")
    if (start.tzinfo is None or end.tzinfo is None or not end > start or type(role) is not str
            or not role.strip() or type(intensity) not in (int, float) or not 0 <= intensity < math.inf
            or type(on_call) is not bool or (ref is not None and type(ref) not in (str, int))):
        return None
    return ShiftSpan(start, end, role, float(intensity), on_call, None if ref is None else str(ref))


def _volunteer(raw: Any, path: str, policy: Policy) -> tuple[VolunteerSchedule, Policy]:
    data = _object(raw, path)
    ident = _field(data, "id", path)
    if isinstance(ident, bool) or not isinstance(ident, str | int) or str(ident) == "":
        raise AssessmentError(f"{path}.id", f"expected a non-empty string, got {ident!r}")
    pledge = data.get("pledged_hours_per_week")
    shifts = _field(data, "shifts", path)
    if not isinstance(shifts, list):
        raise AssessmentError(f"{path}.shifts", f"expected an array of shifts, got {json_type(shifts)}")
    schedule = VolunteerSchedule(
        id=str(ident),
        pledged_hours_per_week=None if pledge is None else _number(pledge, f"{path}.pledged_hours_per_week"),
        shifts=tuple(_quick_shift(shift) or _shift(shift, f"{path}.shifts[{k}]")
                     for k, shift in enumerate(shifts)),
        last_supervised_on=_date(data.get("last_supervised_on"), f"{path}.last_supervised_on"),
        open_cases=_count(data.get("open_cases"), f"{path}.open_cases"),
        caseload_limit=_count(data.get("caseload_limit"), f"{path}.caseload_limit"))
    if data.get("limits") is not None:
        try:
            policy = policy.tightened(data["limits"], path=f"{path}.limits")
        except PolicyError as error:
            raise AssessmentError(error.path, error.problem) from None
    return schedule, policy


def parse_assessment(payload: Any) -> AssessmentRequest:
    """Return the typed form of a JSON assessment (see DESIGN.md, "Load assessment interface").

    Required: ``as_of`` (with a UTC offset), ``volunteers[].id``,
    ``volunteers[].shifts``, and each shift's ``start``, ``end`` and
    ``role``. Optional: ``timezone`` (default Europe/London), ``policy``
    (overrides by rule code, plus ``roles``), per volunteer
    ``pledged_hours_per_week``, ``last_supervised_on``, ``limits``
    (tightening only), ``caseload_limit`` and ``open_cases`` (the
    ``caseload`` rule judges a volunteer carrying both), per shift ``intensity`` (1.0), ``on_call`` (false)
    and ``id``.

    :raises AssessmentError: naming the offending field.
    """
    data = _object(payload, "input")
    as_of = _instant(_field(data, "as_of", "input"), "as_of")
    tz = _zone(data.get("timezone"))
    try:
        policy = Policy.from_overrides(data.get("policy") or {}, path="policy")
    except PolicyError as error:
        raise AssessmentError(error.path, error.problem) from None
    volunteers = _field(data, "volunteers", "input")
    if not isinstance(volunteers, list):
        raise AssessmentError("volunteers", f"expected an array, got {json_type(volunteers)}")
    parsed = [_volunteer(raw, f"volunteers[{k}]", policy) for k, raw in enumerate(volunteers)]
    seen: dict[str, int] = {}
    for k, (schedule, _) in enumerate(parsed):
        if schedule.id in seen:
            raise AssessmentError(f"volunteers[{k}].id",
                                  f"{schedule.id!r} is also volunteers[{seen[schedule.id]}]")
        seen[schedule.id] = k
    return AssessmentRequest(as_of=as_of, tz=tz, policy=policy, schedules=tuple(s for s, _ in parsed),
                             policies=tuple(p for _, p in parsed))


def assess(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``{"warnings": [...], "organisation": {...}}`` for a JSON assessment ``payload``.

    Warnings come by volunteer (input order), rule (DESIGN.md's order),
    then time; see :meth:`LoadWarning.to_dict` for each one's shape.

    :raises AssessmentError: (a ``ValueError``) for input that cannot be assessed.
    """
    request = parse_assessment(payload)
    warnings: list[dict[str, Any]] = []
    for schedule, policy in zip(request.schedules, request.policies, strict=True):
        warnings.extend(w.to_dict() for w in evaluate_volunteer(schedule, request.as_of, request.tz, policy))
    return {"warnings": warnings,
            "organisation": organisation_figures(request.schedules, request.as_of, request.tz)}
