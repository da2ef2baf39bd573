"""Prospective warnings: what adding shifts to someone's schedule would newly raise or make worse.

Used wherever a schedule is about to change: the board's assign, the
candidate list (each candidate's would-be warnings), volunteer sign-up,
copy-forward and the auto-rota. The person's live places around the new
shifts are judged twice, without and with them; a warning counts when one
of the new shifts is behind it and it is new (no warning of that rule and
kind over the same time before) or worse (a higher severity, or the same
severity with a worse value).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import inspect

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.models import Role, Shift
from volunteers.wellbeing import (
    RULES,
    LoadWarning,
    Policy,
    ShiftSpan,
    VolunteerSchedule,
    kept_prospects,
    severity_rank,
)
from volunteers.wellbeing.domain.policy import COMPARISONS
from volunteers.wellbeing.domain.prospect import judge_added, steady_between
from volunteers.wellbeing.domain.rules import STANDING
from volunteers.wellbeing.load_sources import ExtraLoad, extra_load
from volunteers.wellbeing.schedules import (
    PlaceRow,
    iter_places,
    org_policy,
    org_zone,
    policy_for,
    schedule_of,
)

#: history judged before the earliest new shift: load_spike's 7-day acute window
#: needs the 28 days before it, and 35 days of history (DESIGN.md)
HISTORY_BEFORE = timedelta(days=35 + 28)
#: shifts judged after the latest new shift: the widest window (28 days) and a week's margin
AHEAD_AFTER = timedelta(days=35)
#: a value must move by more than this to count as worse at the same severity
VALUE_TOLERANCE = 0.005

NewShift = Shift | ShiftSpan


def prospective_warnings(org: Organisation, membership: Membership, shifts: Sequence[NewShift],
                         now: datetime) -> list[LoadWarning]:
    """Return the warnings (notice and worse) that adding ``shifts`` to ``membership``'s schedule would raise.

    ``shifts`` may be saved or unsaved :class:`Shift` rows (role, start and
    end set) or :class:`ShiftSpan` values. A place the person already holds
    on one of these shifts is not counted twice. Worst first (severity,
    then DESIGN.md's rule order). Each warning is a
    :class:`volunteers.wellbeing.LoadWarning`: ``rule``, ``severity``,
    ``message``, ``value``, ``threshold``, window and the shifts behind it;
    the new shifts carry refs ``shift:<id>`` (``new:<n>`` when unsaved).
    The person's load from outside the rota (:mod:`.load_sources`) counts
    too: logged time like shift time, and a ``caseload`` warning (above her
    caseload limit) comes with any shift offered, though no shift is behind
    it. Three queries at most, and the load sources' own.
    """
    return prospective_warnings_for(org, [membership], shifts, now)[membership.id]


def prospective_warnings_for(org: Organisation, memberships: Sequence[Membership],
                             shifts: Sequence[NewShift], now: datetime,
                             steady: list[tuple[float, float] | None] | None = None) -> dict[int, list[LoadWarning]]:
    """Return membership id → :func:`prospective_warnings` for many people at once (the candidate list).

    A constant number of queries: roles of the shifts, and everyone's live places around them.
    ``steady``, when given, gets for each person the open interval of instants (POSIX seconds) around
    ``now`` over which their answer holds on ``now``'s local date (:func:`~.domain.prospect.steady_between`),
    or None where that is not known: a caller keeping what it makes of the answers (the shift panel) keeps
    it no longer than that.
    """
    if now.tzinfo is None:  # before the kept answers are asked: a naive time never gets one
        raise ValueError("now must be an aware datetime (with a UTC offset)")
    result: dict[int, list[LoadWarning]] = {m.id: [] for m in memberships}
    spans = _spans(org, shifts)
    if not spans or not memberships:
        return result
    new_refs = {span.ref for span in spans}
    shift_ids = {int(span.ref.split(":", 1)[1]) for span in spans if span.ref and span.ref.startswith("shift:")}
    since = min(span.start for span in spans) - HISTORY_BEFORE
    until = max(span.end for span in spans) + AHEAD_AFTER
    held: dict[int, list[PlaceRow]] = {m.id: [] for m in memberships}
    for row in iter_places(org, list(held), since, until):
        if row.shift_id not in shift_ids:
            held[row.membership_id].append(row)
    extra = extra_load(org, list(held), since, until)  # logged time and open cases (load_sources)
    tz, base = org_zone(org), org_policy(org)
    # an answer judged on an earlier request from the same rows, policy and zone, where the clock has not moved
    # past anything it depends on, is that person's answer now (kept_prospects)
    kept, day, now_ts, new_key = kept_prospects.store(), kept_prospects.local_day(now, tz), now.timestamp(), \
        kept_prospects.spans_key(spans)
    for membership in memberships:
        rows, load = held[membership.id], extra.get(membership.id)
        key = _answer_key(org, membership, rows, load, base, tz, new_key)
        if key is not None and (found := kept.found(key, day, now_ts)) is not None:
            result[membership.id] = list(found.warnings)
            if steady is not None:
                steady.append((found.after, found.before))
            continue
        policy = policy_for(org, membership, base=base)
        schedule = schedule_of(membership, [row.span() for row in rows], extra=load)
        result[membership.id] = _judged(schedule, spans, new_refs, now, tz, policy)
        holds = steady_between(schedule, spans, now, policy)
        if key is not None and holds is not None:
            kept.keep(key, kept_prospects.KeptAnswer(day, *holds, tuple(result[membership.id])))
        if steady is not None:
            steady.append(holds)
    return result


def _judged(schedule: VolunteerSchedule, spans: Sequence[ShiftSpan], new_refs: set[str | None], now: datetime,
            tz: ZoneInfo, policy: Policy) -> list[LoadWarning]:
    """Return what adding ``spans`` to ``schedule`` newly raises, worst first (:func:`prospective_warnings`)."""
    # each schedule judged only around the new shifts (domain.prospect): the same warnings as judging the
    # schedules with and without them whole, at a fraction of the work (tests/integration/wellbeing/
    # test_prospective_same_answers.py compares the two for the demo's members and shifts)
    after, before = judge_added(schedule, spans, now, tz, policy)
    # a standing warning (caseload) has no shift behind it: it goes with every extra shift offered
    standing = [warning for warning in after if warning.rule in STANDING]
    if not any(new_refs.intersection(warning.shift_refs) for warning in after):
        return standing  # no new shift behind any warning: nothing raised, whatever the schedule without them says
    # newly_raised compares a warning only with earlier ones of its own rule and kind over the same time:
    # ``before`` holds every one of those (judge_added)
    return _worst_first([*newly_raised(before, after, new_refs), *standing])


def _answer_key(org: Organisation, membership: Membership, rows: list[PlaceRow], load: ExtraLoad | None,
                base: Policy, tz: ZoneInfo, new_key: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """Return everything one person's answer is judged from but the clock, as a key; None: not to be kept.

    The organisation's policy is the object itself (an immutable one, kept by its settings' text in
    ``schedules.org_policy``, and held by the key, so its identity is not reused), the person's limits that
    tighten it their JSON text.
    """
    limits = kept_prospects.limits_key(membership.limits)
    zone = kept_prospects.rows_zone(rows)
    logged = () if load is None else tuple(load.logged)
    if new_key is None or limits is None or zone is kept_prospects.MIXED or \
            len(rows) + len(logged) > kept_prospects.MOST_PLACES:
        return None
    return (org.id, membership.id, membership.pledged_hours_per_week, membership.last_supervised_on,
            membership.caseload_limit, limits, base, tz, new_key, zone, tuple(rows),
            None if load is None else (logged, load.open_cases))


def _spans(org: Organisation, shifts: Iterable[NewShift]) -> list[ShiftSpan]:
    """Return the new shifts as spans labelled ``shift:<id>`` or ``new:<n>``, roles loaded in one query."""
    items = list(shifts)
    # a role the caller loaded with its shift (the shift panel, sign-up) is not read again
    roles = {item.role.id: item.role for item in items
             if isinstance(item, Shift) and "role" not in inspect(item).unloaded and item.role is not None
             and item.role.id == item.role_id and item.role.organisation_id == org.id}
    role_ids = {item.role_id for item in items if isinstance(item, Shift)} - set(roles)
    if role_ids:
        roles.update({role.id: role for role in db.session.scalars(scoped(Role, org).where(Role.id.in_(role_ids)))})
    spans = []
    for n, item in enumerate(items):
        if isinstance(item, ShiftSpan):
            spans.append(item if item.ref else ShiftSpan(item.start, item.end, item.role, item.intensity,
                                                         item.on_call, ref=f"new:{n}"))
            continue
        role = roles.get(item.role_id)
        if role is None:
            raise ValueError(f"shift {item.id or 'new'} has no role of {org.slug}")
        spans.append(ShiftSpan(item.starts_at, item.ends_at, role.name, float(role.intensity), bool(role.on_call),
                               ref=f"shift:{item.id}" if item.id else f"new:{n}"))
    return spans


def _kind(warning: LoadWarning) -> str:
    """Return the episode kind (``run``/``count`` for consecutive_nights, else empty)."""
    key = warning.episode_key
    return key.split(":", 1)[0] if ":" in key else ""


def _overlap(a: LoadWarning, b: LoadWarning) -> bool:
    return a.episode_start < b.episode_end and b.episode_start < a.episode_end


def is_worse(new: LoadWarning, old: LoadWarning) -> bool:
    """Return whether ``new`` is worse than ``old`` (same rule): higher severity, or a worse value."""
    if severity_rank(new.severity) != severity_rank(old.severity):
        return severity_rank(new.severity) > severity_rank(old.severity)
    if COMPARISONS[new.rule] == "<":
        return new.value < old.value - VALUE_TOLERANCE
    return new.value > old.value + VALUE_TOLERANCE


def newly_raised(before: Sequence[LoadWarning], after: Sequence[LoadWarning],
                 new_refs: set[str | None]) -> list[LoadWarning]:
    """Return the warnings of ``after`` behind which a new shift stands and that are new or worse than ``before``.

    A warning of ``after`` is compared with the worst warning of ``before``
    of the same rule and kind whose episode overlaps it in time (adding a
    shift may move an episode's first day, or join two episodes).
    """
    found = []
    for warning in after:
        if not new_refs.intersection(warning.shift_refs):
            continue
        earlier = [old for old in before
                   if old.rule == warning.rule and _kind(old) == _kind(warning) and _overlap(old, warning)]
        if earlier and not all(is_worse(warning, old) for old in earlier):
            continue
        found.append(warning)
    return _worst_first(found)


def _worst_first(found: Iterable[LoadWarning]) -> list[LoadWarning]:
    """Return warnings by severity (worst first), then DESIGN.md's rule order, then time."""
    order = {rule: k for k, rule in enumerate(RULES)}
    return sorted(found, key=lambda w: (-severity_rank(w.severity), order[w.rule], w.window_start.timestamp()))
