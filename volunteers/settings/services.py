"""Write one section of the settings at a time: every value checked first, then all written, then audited.

Each value is checked by the rules of the package that reads it (the load
policy by :class:`~volunteers.wellbeing.Policy`, the retention period by
privacy's bounds, notice and reminder hours by selfservice's limits), so
the page can never store something its reader would refuse or ignore.
A refused value raises :class:`~volunteers.core.errors.ServiceError`
naming its form field, before anything is written. Services flush, never
commit; a section that changes nothing writes no audit entry.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from volunteers.contributions.rates import set_standby_percent
from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.models import COPRODUCTION_MODES, Organisation
from volunteers.extensions import db
from volunteers.peersupport.domain.retention import RETENTION_BOUNDS as CASE_RETENTION_BOUNDS
from volunteers.peersupport.domain.retention import RETENTION_SETTING as CASE_RETENTION_SETTING
from volunteers.rota.domain.bank_holidays import NATION_SETTING, NATIONS
from volunteers.selfservice.domain import waiting_list as waiting
from volunteers.selfservice.domain.cover_waves import (
    WAVE_MINUTES_BOUNDS,
    WAVE_MINUTES_SETTING,
    WAVE_SIZE_BOUNDS,
    WAVE_SIZE_SETTING,
)
from volunteers.selfservice.domain.notice import MAX_REMINDER_HOURS
from volunteers.wellbeing import Policy, PolicyError

#: organisation setting keys, each read by the package named
NOTICE_SETTING = "self_cancel_notice_hours"  # selfservice
SWAP_SETTING = "swap_needs_approval"  # selfservice
REMINDER_SETTING = "reminder_hours"  # selfservice
LOAD_POLICY_SETTING = "load_policy"  # wellbeing
#: privacy's setting and bounds (privacy sits on this package's level, so it cannot be imported; a test
#: holds these equal to ``privacy.domain.rules``)
RETENTION_SETTING = "retention_months_after_leaving"
RETENTION_BOUNDS = (1, 1200)
#: the longest notice a volunteer can be asked to give before cancelling (four weeks)
MAX_NOTICE_HOURS = 28 * 24


def _write(org: Organisation, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Merge ``values`` into the settings; return key → [before, after] for those that changed."""
    changes = {key: [org.setting(key), value] for key, value in values.items() if org.setting(key) != value}
    if changes:
        org.settings = {**(org.settings or {}), **values}  # a new dict, so the JSON column is seen to change
    return changes


def _audit(org: Organisation, actor_person_id: int, section: str, changes: Mapping[str, Any],
           now: datetime) -> None:
    if changes:
        audit.record(org, actor_person_id, "settings.update", "organisation", org.id, now=now, section=section,
                     changes=dict(changes))
        db.session.flush()


def _whole(value: Any, field: str, low: int, high: int, unit: str) -> int:
    if value is None or isinstance(value, bool) or int(value) != value or not low <= int(value) <= high:
        raise ServiceError(f"Enter a whole number of {unit} from {low} to {high}.", field)
    return int(value)


def update_organisation(org: Organisation, actor_person_id: int, *, name: str, timezone: str,
                        coproduction_mode: str | None, nation: str, now: datetime) -> dict[str, list[Any]]:
    """Rename the organisation, change its time zone, co-production mode and bank-holiday nation.

    A new zone re-judges everyone's load at the commit (``rota.changes`` announces it).
    """
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise ServiceError("Give the organisation a name (at most 200 characters).", "name")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError("Enter a time zone such as Europe/London.", "timezone") from None
    if coproduction_mode and coproduction_mode not in COPRODUCTION_MODES:
        raise ServiceError("Choose one of the six forms of co-production.", "coproduction_mode")
    if nation not in NATIONS:
        raise ServiceError("Choose England, Wales, Scotland or Northern Ireland.", "nation")
    changes: dict[str, list[Any]] = {}
    for column, value in (("name", name), ("timezone", timezone), ("coproduction_mode", coproduction_mode or None)):
        if getattr(org, column) != value:
            changes[column] = [getattr(org, column), value]
            setattr(org, column, value)
    changes.update(_write(org, {NATION_SETTING: nation}))
    _audit(org, actor_person_id, "organisation", changes, now)
    return changes


def update_rota_rules(org: Organisation, actor_person_id: int, *, cancel_notice_hours: Decimal | None,
                      swap_needs_approval: bool, reminder_hours: Decimal | None,
                      cover_wave_size: int | None = None, cover_wave_minutes: int | None = None,
                      now: datetime) -> dict[str, list[Any]]:
    """Set how much notice a volunteer gives to cancel, whether swaps wait for approval, reminder times,
    and how cover requests go out in waves (people a wave, minutes between; None leaves one as it is).
    """
    notice = _whole(cancel_notice_hours, "cancel_notice_hours", 0, MAX_NOTICE_HOURS, "hours")
    reminder = _whole(reminder_hours, "reminder_hours", 0, MAX_REMINDER_HOURS, "hours")
    values: dict[str, Any] = {NOTICE_SETTING: notice, SWAP_SETTING: bool(swap_needs_approval),
                              REMINDER_SETTING: reminder}
    if cover_wave_size is not None:
        values[WAVE_SIZE_SETTING] = _whole(cover_wave_size, "cover_wave_size", *WAVE_SIZE_BOUNDS, "people")
    if cover_wave_minutes is not None:
        values[WAVE_MINUTES_SETTING] = _whole(cover_wave_minutes, "cover_wave_minutes", *WAVE_MINUTES_BOUNDS,
                                              "minutes")
    changes = _write(org, values)
    _audit(org, actor_person_id, "rota", changes, now)
    return changes


def update_waiting_list(org: Organisation, actor_person_id: int, *, offer_hours: int | None,
                        stop_hours: int | None, now: datetime) -> dict[str, list[Any]]:
    """Set how long a place freed on a full shift is held for the next person on its waiting list.

    An offer lapses after ``offer_hours``, or ``stop_hours`` before the shift
    starts if that is sooner (``selfservice.domain.waiting_list``).
    """
    hold = _whole(offer_hours, "offer_hours", *waiting.HOLD_BOUNDS, "hours")
    stop = _whole(stop_hours, "stop_hours", *waiting.STOP_BOUNDS, "hours")
    changes = _write(org, {waiting.HOLD_SETTING: hold, waiting.STOP_SETTING: stop})
    _audit(org, actor_person_id, "waiting_list", changes, now)
    return changes


def update_money(org: Organisation, actor_person_id: int, *, standby_percent: Decimal | str | None,
                 now: datetime) -> dict[str, list[Any]]:
    """Set the share of a role's rate an on-call hour is worth in reports (the rate card has its own page)."""
    changed = set_standby_percent(org, standby_percent)
    changes = {} if changed is None else {"standby_rate_percent": [f"{value.normalize():f}" for value in changed]}
    _audit(org, actor_person_id, "money", changes, now)
    return changes


def update_retention(org: Organisation, actor_person_id: int, *, retention_months: int | None,
                     case_retention_months: int | None, now: datetime) -> dict[str, list[Any]]:
    """Set how long people who left, and closed peer-support cases, are kept before erasure."""
    months = _whole(retention_months, "retention_months", *RETENTION_BOUNDS, "months")
    cases = _whole(case_retention_months, "case_retention_months", *CASE_RETENTION_BOUNDS, "months")
    changes = _write(org, {RETENTION_SETTING: months, CASE_RETENTION_SETTING: cases})
    _audit(org, actor_person_id, "retention", changes, now)
    return changes


def checked_policy(overrides: Mapping[str, Any]) -> Policy:
    """Return the policy ``overrides`` make, as wellbeing will read it.

    :raises ServiceError: naming the field (``rule-key``) of the first refused value.
    """
    try:
        return Policy.from_overrides(overrides, path=LOAD_POLICY_SETTING)
    except PolicyError as error:
        parts = error.path.split(".")[1:]
        raise ServiceError(error.problem, "-".join(parts[:2]) if len(parts) >= 2 else None) from None


def update_load_policy(org: Organisation, actor_person_id: int, overrides: Mapping[str, Any],
                       now: datetime) -> dict[str, list[Any]]:
    """Replace the organisation's load-policy overrides; everyone's load is re-judged at the commit.

    :raises ServiceError: as :func:`checked_policy`; nothing is written then.
    """
    checked_policy(overrides)
    before = org.setting(LOAD_POLICY_SETTING) or {}
    changes = {}
    for rule in sorted(set(before) | set(overrides)):
        if before.get(rule) != overrides.get(rule):
            changes[rule] = [before.get(rule), overrides.get(rule)]
    if changes:
        org.settings = {**(org.settings or {}), LOAD_POLICY_SETTING: dict(overrides)}
    _audit(org, actor_person_id, "load_policy", changes, now)
    return changes


def set_role_limit(org: Organisation, actor_person_id: int, role: str, rule: str, level: str, value: float | None,
                   now: datetime) -> dict[str, list[Any]]:
    """Set (``value``) or remove (None) a role's stricter ``level`` for ``rule``; keep the rest of the policy.

    :raises ServiceError: as :func:`checked_policy` (an unknown level names ``level``); nothing is written then.
    """
    stored = dict(org.setting(LOAD_POLICY_SETTING) or {})
    roles = {name: {r: dict(v) for r, v in rules.items()} for name, rules in (stored.get("roles") or {}).items()}
    limits = roles.setdefault(role, {}).setdefault(rule, {})
    if value is None:
        limits.pop(level, None)
    else:
        limits[level] = value
    roles = {name: {r: v for r, v in rules.items() if v} for name, rules in roles.items()}
    stored["roles"] = {name: rules for name, rules in roles.items() if rules}
    if not stored["roles"]:
        del stored["roles"]
    try:
        return update_load_policy(org, actor_person_id, stored, now)
    except ServiceError as error:
        field = "level" if "unknown setting" in str(error) else "value"
        raise ServiceError(str(error), field) from None
