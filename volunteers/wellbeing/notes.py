"""A kind, private note for a volunteer about their own load, for /me/shifts.

Volunteers are not shown rule codes or severities: they see one sentence
that thanks them and makes saying no easy, when their week is well beyond
their pledge or the rules find something serious in their near schedule.

The rules are not run here: the note reads the verdict already stored in
``load_warnings`` (kept up to date by the re-judging at each commit and the
nightly scan, :mod:`.reactions`, :mod:`.scan`), the same findings the
coordinator sees on /warnings. Only the week's hours are summed afresh.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, bindparam, exists, select

from volunteers.core.models import Organisation
from volunteers.core.sql_lists import any_of, bound, one_of
from volunteers.core.timeutil import format_hours, local_date, week_bounds
from volunteers.extensions import db
from volunteers.people.models import Membership
from volunteers.rota.models import Assignment, Shift
from volunteers.rota.queries import MyPlace
from volunteers.wellbeing import RULES, severity_rank
from volunteers.wellbeing.domain import messages as say
from volunteers.wellbeing.domain.policy import Policy
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.schedules import NOT_LIVE, org_zone

#: rules judged over the recent past and the coming fortnight
NEAR = timedelta(days=14)

THANKS = "thank you; it's fine to say no."
#: rules whose value is a number of consecutive dates
RUNS = ("consecutive_nights", "consecutive_days", "early_starts")
#: rules the note puts in words (the keys of :func:`_gentle`'s sentences)
SPOKEN = ("consecutive_nights", "consecutive_days", "short_rest", "long_duty", "early_starts", "weekly_load",
          "intense_hours", "load_spike", "over_pledge")
#: the rules' registry order: the note picks the first of equally bad findings, as the rules list them
RULE_ORDER = {code: index for index, code in enumerate(RULES)}


class Finding(Protocol):
    """What a sentence is made of: a finding of the rules, or one stored in ``load_warnings``."""

    @property
    def rule(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def episode_key(self) -> str: ...
    @property
    def window_start(self) -> datetime: ...
    @property
    def window_end(self) -> datetime: ...


class Verdict(NamedTuple):
    """A stored warning, as the note reads it: instants in the organisation's zone."""

    membership_id: int
    rule: str
    severity: str
    episode_key: str
    value: float
    window_start: datetime
    window_end: datetime
    episode_start: datetime
    episode_end: datetime


def _gentle(warning: Finding) -> str | None:
    """Return the volunteer-facing sentence for a serious warning, or None for rules we do not mention."""
    value = warning.value
    first = warning.window_start.date()
    count = warning.episode_key.startswith("count:")  # consecutive_nights' "more than 4 in 28 days"
    # a run of dates: its window ends when the last duty does, maybe the next day
    if warning.rule in RUNS and not count:
        when = say.days(first, first + timedelta(days=int(value) - 1))
    else:
        when = say.days(first, (warning.window_end - timedelta(seconds=1)).date())
    sentences = {
        "consecutive_nights": f"You're down for {say.number(value)} nights "
                              f"{'in four weeks' if count else 'in a row'} ({when}) — thank you; "
                              "please rest well, and it's fine to ask for a night off.",
        "consecutive_days": f"You're on duty {say.number(value)} days in a row ({when}) — thank you; "
                            "it's fine to ask for a day off.",
        "short_rest": f"There are only {format_hours(round(value, 2))} between two of your duties "
                      f"({say.moment(warning.window_start)}) — thank you; if that's too tight, just say.",
        "long_duty": f"One of your duties runs {format_hours(round(value, 2))} ({say.moment(warning.window_start)}) "
                     "— thank you; do take breaks, and it's fine to ask for a shorter one.",
        "early_starts": f"You have {say.number(value)} early starts in a row ({when}) — thank you; "
                        "it's fine to ask for a later shift.",
        "weekly_load": f"You've a lot on in the week {when} — {THANKS}",
        "intense_hours": f"You've a lot of demanding hours in the week {when} — thank you; "
                         "it's fine to say no, and to ask for a lighter shift.",
        "load_spike": f"You've taken on much more than usual lately ({when}) — {THANKS}",
        "over_pledge": f"You've given well beyond your pledge over the four weeks {when} — {THANKS}",
    }
    return sentences.get(warning.rule)


def load_note(org: Organisation, membership: Membership, now: datetime) -> str | None:
    """Return a kind note about ``membership``'s own load, or None when there is nothing to say.

    First the week (local Monday to Sunday holding ``now``): when its hours
    are well beyond the pledge (the over_pledge notice level and at least its
    minimum excess), "You've given 14 h this week, well beyond your 4 h —
    thank you; it's fine to say no." Otherwise the worst warning-level
    finding stored for them whose episode touches this week or the next
    fortnight, in plain words. Two queries.
    """
    return load_notes([(org, membership)], now)[membership.id]


def load_notes(members: Iterable[tuple[Organisation, Membership]], now: datetime,
               places: Iterable[MyPlace] | None = None, *, verdicts: bool = True) -> dict[int, str | None]:
    """Return membership id → :func:`load_note` for each (organisation, membership); two queries in all.

    ``places``: the person's places as :func:`~volunteers.rota.queries.my_places` read them for their own
    page, from before this week on with no end: the week's hours are summed from them (one query in all).
    ``verdicts``: False when :func:`verdicts_probe` said none is stored (their read is skipped).
    """
    members = list(members)
    if not members:
        return {}
    zones = {membership.id: org_zone(org) for org, membership in members}
    weeks = {membership.id: week_bounds(local_date(now, zones[membership.id]), zones[membership.id])
             for _, membership in members}
    if places is None:
        hours = _week_hours(members, weeks, now)
    else:
        hours = _sum_week(((p.membership_id, p.starts_at, p.ends_at) for p in places
                           if p.membership_id in weeks and p.status not in NOT_LIVE
                           and p.shift_status != "cancelled"), weeks, now)
    found = _verdicts(members, weeks, zones, now) if verdicts else {}
    notes: dict[int, str | None] = {}
    for org, membership in members:
        week_hours, worked = hours.get(membership.id, (0.0, 0.0))
        notes[membership.id] = (_beyond_pledge(org, membership, week_hours, worked)
                                or _worst(found.get(membership.id, [])))
    return notes


def _beyond_pledge(org: Organisation, membership: Membership, hours: float, worked: float) -> str | None:
    pledge = float(membership.pledged_hours_per_week or 0)
    settings = _over_pledge(json.dumps(org.setting("load_policy") or {}, sort_keys=True, default=str),
                            json.dumps(membership.limits or None, sort_keys=True, default=str))
    if not (pledge and settings.get("enabled", True) and settings.get("notice") is not None):
        return None
    if hours > pledge * float(settings["notice"]) and hours - pledge >= float(settings["min_excess_hours"]):
        verb = "You've given" if worked >= hours - 1e-9 else "You're giving"
        return (f"{verb} {format_hours(round(hours, 2))} this week, well beyond your "
                f"{format_hours(round(pledge, 2))} — {THANKS}")
    return None


@lru_cache(maxsize=64)
def _over_pledge(overrides: str, limits: str) -> Mapping[str, Any]:
    """over_pledge's settings in ``policy_for``'s policy of an organisation's ``load_policy`` and a person's
    ``limits`` (as JSON: the key of a few dozen at most): building the policy afresh was a fifth of the note
    on every view of /me/shifts. A bad setting raises as ``policy_for`` does, and is not kept."""
    policy, person = Policy.from_overrides(json.loads(overrides), path="load_policy"), json.loads(limits)
    return (policy.tightened(person, path="limits") if person else policy).settings("over_pledge")


def _worst(verdicts: list[Verdict]) -> str | None:
    """Return the sentence of the worst finding (then the latest-ending one; ties: the rules' own order)."""
    if not verdicts:
        return None
    verdicts.sort(key=lambda v: (RULE_ORDER.get(v.rule, len(RULE_ORDER)), v.window_start.timestamp(),
                                 v.episode_key))
    worst = max(verdicts, key=lambda v: (severity_rank(v.severity), v.episode_end.timestamp()))
    return _gentle(worst)


def _week_hours(members: list[tuple[Organisation, Membership]], weeks: dict[int, tuple[datetime, datetime]],
                now: datetime) -> dict[int, tuple[float, float]]:
    """Return membership id → (hours of live places starting this week, of those already started). One query."""
    rows = db.session.execute(
        select(Assignment.membership_id, Shift.starts_at, Shift.ends_at)
        .join(Shift, (Shift.id == Assignment.shift_id) & (Shift.organisation_id == Assignment.organisation_id))
        .where(Assignment.organisation_id.in_({org.id for org, _ in members}),
               Assignment.membership_id.in_(list(weeks)), Assignment.status.not_in(NOT_LIVE),
               Shift.status != "cancelled", Shift.starts_at >= min(start for start, _ in weeks.values()),
               Shift.starts_at < max(end for _, end in weeks.values()))
    )
    return _sum_week(rows, weeks, now)


def _sum_week(rows: Iterable[tuple[int, datetime, datetime]], weeks: dict[int, tuple[datetime, datetime]],
              now: datetime) -> dict[int, tuple[float, float]]:
    """Return membership id → (hours, hours started) of these live places that start in the member's week."""
    found: dict[int, tuple[float, float]] = {}
    for membership_id, starts_at, ends_at in rows:
        start, end = weeks[membership_id]
        if start <= starts_at < end:
            length = (ends_at - starts_at).total_seconds() / 3600
            hours, worked = found.get(membership_id, (0.0, 0.0))
            found[membership_id] = (hours + length, worked + (length if starts_at < now else 0.0))
    return found


#: the stored unresolved warning-level findings the note may speak of, of some memberships, touching
#: [since, until): built once, the values bound per view (building it was a third of its cost)
_VERDICTS = (
    select(LoadWarning.membership_id, LoadWarning.rule, LoadWarning.severity, LoadWarning.episode_key,
           LoadWarning.value, LoadWarning.window_start, LoadWarning.window_end,
           LoadWarning.episode_start, LoadWarning.episode_end)
    .where(LoadWarning.organisation_id.in_(bindparam("orgs", expanding=True)),
           LoadWarning.membership_id.in_(bindparam("members", expanding=True)), LoadWarning.status != "resolved",
           LoadWarning.rule.in_(SPOKEN), LoadWarning.severity.in_(("warning", "critical")),
           LoadWarning.episode_end > bindparam("since"), LoadWarning.episode_start < bindparam("until"))
)


def _verdicts(members: list[tuple[Organisation, Membership]], weeks: dict[int, tuple[datetime, datetime]],
              zones: dict[int, ZoneInfo], now: datetime) -> dict[int, list[Verdict]]:
    """Return membership id → their unresolved warning-level findings the note may mention. One query.

    Plain rows on the session's connection (no ORM step: that was most of the note's cost on /me/shifts);
    anything added but not yet flushed is flushed first, as the session's own execute would.
    """
    session = db.session
    if session.new or session.dirty or session.deleted:
        session.flush()
    rows = session.connection().execute(_VERDICTS, {
        "orgs": list({org.id for org, _ in members}), "members": list(weeks),
        "since": min(start for start, _ in weeks.values()), "until": now + NEAR})
    found: dict[int, list[Verdict]] = {}
    for membership_id, rule, severity, key, value, window_start, window_end, episode_start, episode_end in rows:
        tz = zones[membership_id]
        if episode_start is None or episode_end is None or episode_end <= weeks[membership_id][0]:
            continue  # not this person's week (organisations' weeks differ)
        found.setdefault(membership_id, []).append(Verdict(
            membership_id, rule, severity, key, float(value), window_start.astimezone(tz), window_end.astimezone(tz),
            episode_start.astimezone(tz), episode_end.astimezone(tz)))
    return found


def verdicts_probe(n_orgs: int, n_members: int) -> ColumnElement[bool]:
    """Whether :func:`_verdicts` could find anything, for a page's one-row probe (most volunteers have none
    stored, issue 13): ``_VERDICTS``'s conditions from a week before now on (every member's week starts
    after that), a superset of what it reads, so "no" skips the read without changing the note. Bound
    by :func:`verdicts_probe_params`.

    Built for ``n_orgs`` organisations and ``n_members`` memberships (:func:`verdicts_probe_sizes`), each
    list as that many plain parameters and the rules' and severities' words written in (``sql_lists``):
    as expanding lists they were rewritten into /me/shifts' statement on every view."""
    return exists().where(
        any_of(LoadWarning.organisation_id, "note_orgs", n_orgs),
        any_of(LoadWarning.membership_id, "note_members", n_members), LoadWarning.status != "resolved",
        one_of(LoadWarning.rule, SPOKEN), one_of(LoadWarning.severity, ("warning", "critical")),
        LoadWarning.episode_end > bindparam("note_since"), LoadWarning.episode_start < bindparam("note_until"))


def _probe_lists(members: list[tuple[Organisation, Membership]]) -> tuple[list[int], list[int]]:
    orgs = list(dict.fromkeys(org.id for org, _ in members))
    return orgs, [m.id for _, m in members]


def verdicts_probe_sizes(members: list[tuple[Organisation, Membership]]) -> tuple[int, int]:
    """The (n_orgs, n_members) :func:`verdicts_probe` is built with for these (organisation, membership)s."""
    orgs, member_ids = _probe_lists(members)
    return len(orgs), len(member_ids)


def verdicts_probe_params(members: list[tuple[Organisation, Membership]], now: datetime) -> dict[str, object]:
    """The values :func:`verdicts_probe` is bound with for these (organisation, membership)s (none: a
    probe that finds nothing)."""
    orgs, member_ids = _probe_lists(members)
    return {**bound("note_orgs", orgs), **bound("note_members", member_ids),
            "note_since": now - timedelta(days=8), "note_until": now + NEAR}
