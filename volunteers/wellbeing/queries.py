"""Reads for /warnings: open warnings with their evidence and the warned people's weekly hours.

Everything here runs a constant number of queries, whatever the number of
people or warnings: the warning rows (with people), the places of the
12 weeks of sparklines, and the 90 days of places behind the figures
(:mod:`.figure_reads`; the last two kept between views by ``org_figures_cache``).
A page's times are written by one :class:`~.local_words.LocalWords`, each
instant converted once.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from markupsafe import Markup
from sqlalchemy import DateTime, Select, String, Text, bindparam, cast, func, select, type_coerce

from volunteers.core import compiled_sql
from volunteers.core.models import Organisation
from volunteers.core.reads import reading_connection
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import format_day, format_span
from volunteers.people.models import Membership, Person
from volunteers.rota import site_scope
from volunteers.wellbeing import RULES, severity_rank
from volunteers.wellbeing.digest import RULE_NAMES
from volunteers.wellbeing.domain.policy import COMPARISONS
from volunteers.wellbeing.figure_reads import FIGURES_DAYS as FIGURES_DAYS  # their home was here
from volunteers.wellbeing.figure_reads import hours_by_role as hours_by_role
from volunteers.wellbeing.figure_reads import organisation_summary
from volunteers.wellbeing.figure_reads import worked_hours as worked_hours
from volunteers.wellbeing.local_words import LocalWords
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.schedules import org_zone
from volunteers.wellbeing.sparkline import sparkline
from volunteers.wellbeing.weeks import WEEKS_BEFORE, Weeks, sparkline_weeks, weekly_hours

UNITS = {"over_pledge": "× pledge", "weekly_load": "weighted h", "long_duty": "h", "short_rest": "h of rest",
         "consecutive_days": "days", "consecutive_nights": "nights", "early_starts": "days",
         "intense_hours": "intense h", "load_spike": "× usual", "supervision_due": "days",
         "caseload": "× caseload limit"}
DETAIL_LABELS = {
    "hours": "Hours", "pledged_hours": "Pledged hours in 4 weeks", "pledged_hours_per_week": "Pledge a week",
    "weighted_hours": "Weighted hours", "intense_hours": "Intense hours", "night_hours": "Night hours",
    "night_duty": "Night duty", "intensity": "Intensity", "rest_hours": "Rest (hours)", "reason": "After",
    "days": "Days", "duties": "Duties", "night_duties": "Night duties",
    "acute_weighted_hours": "Weighted hours that week", "chronic_weekly_weighted_hours": "Usual weighted hours a week",
    "last_supervised_on": "Last supervised", "counted_from": "Counted from",
    "open_cases": "Open cases", "caseload_limit": "Caseload limit", "logged_hours": "Of which logged contact hours",
}
WORDS = {">": "above", ">=": "at or above", "<": "below"}


class ShiftLine(NamedTuple):
    """One shift behind a warning as its table shows it; the same shift is one object on a page."""

    #: the local date whose week the board opens on, for the shift's link
    week: str
    when: str
    role: str | None
    on_call: bool
    hours: float


@dataclass
class WarningView:
    """One warning as the page shows it: the numbers, the level crossed, and the shifts behind it."""

    #: the warning's columns the page shows (a row of :func:`_page_statement`, or a LoadWarning)
    row: Any
    rule_name: str
    measured: str
    level: str
    details: list[tuple[str, str]]
    shifts: list[ShiftLine]
    behind: int
    snoozed: bool
    window: str
    #: the view's section text before its forms, by how its card badges it and the board URL its shifts link
    #: to (``views.section_of``): kept with the view, which is kept between pages
    sections: dict[Any, str] = field(default_factory=dict, compare=False, repr=False)


class Named(NamedTuple):
    name: str


class Member(NamedTuple):
    """What the page shows of a warned member (``membership.person.name`` as on a Membership)."""

    id: int
    pledged_hours_per_week: Any
    person: Named


@dataclass
class PersonLoad:
    """A person with open warnings: their weeks of hours against the pledge, and the warnings."""

    membership: Member
    pledge: float | None
    weeks: list[float]
    chart: Markup
    warnings: list[WarningView] = field(default_factory=list)

    @property
    def this_week(self) -> float:
        return self.weeks[WEEKS_BEFORE]

    @property
    def worst(self) -> str:
        return max((w.row.severity for w in self.warnings), key=severity_rank)

    def by_rule(self) -> list[tuple[WarningView, list[WarningView]]]:
        """Return the warnings per rule, worst rule first: the worst (then earliest) one, and the others."""
        order = {rule: k for k, rule in enumerate(RULES)}
        groups: dict[str, list[WarningView]] = defaultdict(list)
        for view in self.warnings:
            groups[view.row.rule].append(view)
        ranked = []
        for rule, views in groups.items():
            views.sort(key=lambda v: (-severity_rank(v.row.severity), v.row.window_start.timestamp()))
            ranked.append(((-severity_rank(views[0].row.severity), order.get(rule, 99)), views))
        return [(views[0], views[1:]) for _, views in sorted(ranked, key=lambda item: item[0])]


@dataclass
class WarningsPage:
    """Everything /warnings shows."""

    people: list[PersonLoad]
    quiet: list[PersonLoad]
    counts: dict[str, int]
    figures: dict[str, Any]
    drivers: list[dict[str, Any]]
    week_labels: list[str]
    #: the page's words for instants (the views' formatter, for the sections' other times)
    words: LocalWords
    #: every warning judged for the counts, whatever the severity shown (``kept_page``: when they change)
    judged: list[WarningView] = field(default_factory=list)


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return f"{float(value):.2f}".rstrip("0").rstrip(".")
    return str(value)


def warning_view(row: Any, words: LocalWords, now: datetime,
                 lines: dict[tuple[str, str, Any, Any], ShiftLine] | None = None) -> WarningView:
    """Return the page's view of one warning row, its times in ``words``' zone.

    ``lines`` keeps each shift's line (by default in ``words.lines``, between pages): a person's
    warnings under several rules, and their episodes, name many of the same shifts.
    """
    evidence = row.evidence or {}
    unit = UNITS.get(row.rule, "")
    shifts = []
    lines = words.lines if lines is None else lines
    for item in evidence.get("shifts", []):
        key = (item["start"], item["end"], item.get("role"), item.get("on_call", False))
        line = lines.get(key)
        if line is None:
            start, end = words.local(key[0]), words.local(key[1])
            line = lines[key] = ShiftLine(start.day.isoformat(), words.span(key[0], key[1]), key[2], key[3],
                                          (end.given - start.given).total_seconds() / 3600)
        shifts.append(line)
    details = [(DETAIL_LABELS[key], _number(value)) for key, value in evidence.items()
               if key in DETAIL_LABELS and value is not None]
    return WarningView(
        row=row, rule_name=RULE_NAMES.get(row.rule, row.rule), measured=f"{_number(row.value)} {unit}",
        level=f"{row.severity} level: {WORDS[COMPARISONS.get(row.rule, '>')]} {_number(row.threshold)} {unit}",
        details=details, shifts=shifts, behind=len((evidence.get("episode") or {}).get("shift_refs") or []),
        snoozed=row.snoozed_until is not None and row.snoozed_until > now,
        window=words.window(row.window_start, row.window_end))


def window_text(start: datetime, end: datetime, tz: Any) -> str:
    """Return a window as people read it: whole local days inclusive ("Thu 26 Nov – Wed 2 Dec 2026"), else times."""
    first, last = start.astimezone(tz), end.astimezone(tz)
    if first.time() == last.time() == datetime.min.time() and last > first:
        final = (last - timedelta(days=1)).date()
        if final == first.date():
            return f"{format_day(first.date())} {first.year}"
        return f"{format_day(first.date())} – {format_day(final)} {final.year}"
    return format_span(start, end, tz)


def visible_warnings(org: Organisation, viewer: Membership | None = None) -> Select:
    """``SELECT LoadWarning`` of the organisation; for a coordinator limited to some sites, only the warnings
    with a shift of their episode at those sites (``rota.site_scope``). Warnings no shift is behind (caseload)
    are then the unlimited coordinators' and admins'."""
    return scoped(LoadWarning, org).where(site_scope.placed_at_sites(
        LoadWarning.membership_id, viewer, func.coalesce(LoadWarning.episode_start, LoadWarning.window_start),
        func.coalesce(LoadWarning.episode_end, LoadWarning.window_end)))


#: the columns of a warning the page reads (view, cards, template), with its member's pledge and name
_PAGE_COLUMNS: tuple[Any, ...] = (
    LoadWarning.id, LoadWarning.membership_id, LoadWarning.rule, LoadWarning.status, LoadWarning.severity,
    LoadWarning.prospective, LoadWarning.snoozed_until, LoadWarning.message, LoadWarning.raised_at,
    LoadWarning.updated_at, LoadWarning.acknowledged_note, LoadWarning.window_start, LoadWarning.window_end,
    LoadWarning.episode_start, LoadWarning.episode_end, LoadWarning.value, LoadWarning.threshold,
    # as text, so a row is hashable and its view kept by it (``_view_of``); parsed once a distinct text
    cast(LoadWarning.evidence, Text).label("evidence"),
    Membership.pledged_hours_per_week.label("member_pledge"), Person.name.label("member_name"),
)
#: which of them are instants: read raw (text on SQLite) and made UTC datetimes once a distinct row (``_instant``)
_INSTANTS = frozenset({6, 8, 9, 11, 12, 13, 14})


def _page_columns(sqlite: bool) -> list[Any]:
    instant: Any = String() if sqlite else DateTime(timezone=True)
    return [type_coerce(column, instant).label(column.key) if k in _INSTANTS else column
            for k, column in enumerate(_PAGE_COLUMNS)]


def _instant(value: datetime | str | None) -> datetime | None:
    """What ``UTCDateTime`` makes of a stored instant: UTC (SQLite's text is a naive UTC one), None for none."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class PageRow(NamedTuple):
    """A row of :func:`_page_statement` with its evidence parsed (what a ``LoadWarning`` has by these names)."""

    id: int
    membership_id: int
    rule: str
    status: str
    severity: str
    prospective: bool
    snoozed_until: datetime | None
    message: str
    raised_at: datetime
    updated_at: datetime | None
    acknowledged_note: str | None
    window_start: datetime
    window_end: datetime
    episode_start: datetime | None
    episode_end: datetime | None
    value: Any
    threshold: Any
    evidence: dict[str, Any] | None
    member_pledge: Any
    member_name: str


#: where a page row holds its member, pledge, name and severity
_MEMBER, _PLEDGE, _NAME, _SEVERITY = (PageRow._fields.index(name)
                                      for name in ("membership_id", "member_pledge", "member_name", "severity"))
_SEVERITIES = ("critical", "warning", "notice")


#: each distinct row's view (with its sections' text) by zone, row and whether it is snoozed, kept between pages:
#: a pure function of those (an edited warning is another row); dropped together past this many
VIEWS_AT_MOST = 1024
_VIEWS: dict[tuple[Any, tuple[Any, ...], bool], WarningView] = {}
#: how many times the views started again: what was kept of the old ones (warning_cards) is dead then
_views_started = 0


def views_generation() -> int:
    """Return a number that changes whenever the kept views are dropped (results kept of them go with them)."""
    return _views_started


def _view_of(raw: tuple[Any, ...], words: LocalWords, zone_key: Any, now: datetime) -> WarningView:
    """The view of a page row (evidence as text), made once a distinct row, zone and snoozing."""
    until = _instant(raw[6])
    key = (zone_key, raw, until is not None and until > now)
    view = _VIEWS.get(key)
    if view is None:
        if len(_VIEWS) >= VIEWS_AT_MOST:
            global _views_started
            _VIEWS.clear()
            _views_started += 1
        evidence = raw[17]
        row = PageRow._make([*(_instant(value) if k in _INSTANTS else value for k, value in enumerate(raw[:17])),
                             None if evidence is None else json.loads(evidence), *raw[18:]])
        view = _VIEWS[key] = warning_view(row, words, now)
    return view


@lru_cache(maxsize=16)
def _page_statement(role: str | None, sqlite: bool = False) -> Select:
    """The unresolved warnings a viewer of ``role`` may see, as :func:`visible_warnings` limits them, built once:
    run with ``org_id`` and ``site_scope.viewer_params`` (Core rows; the ORM entities were a sixth of the page)."""
    return (
        select(*_page_columns(sqlite))
        .outerjoin(Membership, Membership.id == LoadWarning.membership_id)
        .outerjoin(Person, Person.id == Membership.person_id)
        .where(LoadWarning.organisation_id == bindparam("org_id"), LoadWarning.status != "resolved",
               site_scope.placed_at_sites(
                   LoadWarning.membership_id, site_scope.bound_viewer(role),
                   func.coalesce(LoadWarning.episode_start, LoadWarning.window_start),
                   func.coalesce(LoadWarning.episode_end, LoadWarning.window_end)))
    )


@lru_cache(maxsize=512)
def _chart(weeks: tuple[float, ...], pledge: float | None, labels: tuple[str, ...]) -> Markup:
    """A person's sparkline: a pure function of its numbers, kept between views (a person's weeks change seldom)."""
    return sparkline(weeks, pledge, WEEKS_BEFORE, labels)


Summary = tuple[dict[str, Any], list[dict[str, Any]]]
#: the page's kept results: (org, now, warned people, the sparkline's weeks) → the figures and drivers, and the
#: people's hours in those weeks
Kept = Callable[[Organisation, datetime, list[int], Weeks], tuple[Summary, dict[int, list[float]]]]


def computed(org: Organisation, now: datetime, ids: list[int], weeks: Weeks) -> tuple[Summary, dict[int, list[float]]]:
    """The page's figures and its people's weeks of hours, read afresh (``org_figures_cache`` keeps them)."""
    return organisation_summary(org, now), weekly_hours(org, ids, weeks)


def page_rows(org: Organisation, viewer: Membership | None = None) -> list[tuple[Any, ...]]:
    """The unresolved warnings ``viewer`` may see (all of them for None), as raw rows: one statement."""
    return driver_rows(org, viewer).typed()


def driver_rows(org: Organisation, viewer: Membership | None = None) -> compiled_sql.DriverRows:
    """:func:`page_rows`' statement, its rows as the driver gave them (one statement, compiled once per role and
    dialect: ``core.compiled_sql``). /warnings compares these between views and converts them (``typed()``:
    SQLite's numbers to ``Decimal``, its integers to ``bool``) only to make the page: converting every row on
    every view was a third of the statement's time on Sure Start's 33 warnings."""
    connection = reading_connection()
    role = None if viewer is None else viewer.role
    return compiled_sql.driver_rows(connection, _page_statement, (role, connection.dialect.name == "sqlite"),
                                    {"org_id": org.id, **site_scope.viewer_params(viewer)})


def warned_ids(rows: list[tuple[Any, ...]], severity: str | None) -> list[int]:
    """The members :func:`warnings_page` of ``rows`` shows (of ``severity``'s warnings, if one): its ``kept`` ids."""
    return sorted({row[_MEMBER] for row in rows if severity not in _SEVERITIES or row[_SEVERITY] == severity})


def warnings_page(org: Organisation, now: datetime, severity: str | None = None, kept: Kept = computed,
                  viewer: Membership | None = None, rows: list[tuple[Any, ...]] | None = None) -> WarningsPage:
    """Return the open warnings (worst person first), the acknowledged or snoozed ones, and the figures.

    ``severity`` keeps only warnings of that severity; ``kept`` makes the figures and the people's
    weekly hours (the page passes ``org_figures_cache``'s, which keeps them between views). Five
    queries, one when both are kept. A ``viewer`` limited to some sites sees those sites' warnings; the
    figures stay the organisation's. ``rows``: :func:`page_rows` of the viewer, when already read.
    """
    words = LocalWords(org_zone(org))
    if rows is None:
        rows = page_rows(org, viewer)
    members = {row[_MEMBER]: Member(row[_MEMBER], row[_PLEDGE], Named(row[_NAME])) for row in rows}
    counts = {name: 0 for name in _SEVERITIES}
    zone_key = getattr(words.tz, "key", None) or words.tz  # ZoneInfo objects of one name may be made again
    views = judged = [_view_of(row, words, zone_key, now) for row in rows]
    for view in views:
        if view.row.status == "open" and not view.snoozed:
            counts[view.row.severity] += 1
    if severity in _SEVERITIES:
        views = [v for v in views if v.row.severity == severity]
    weeks = sparkline_weeks(org, now)
    labels = weeks.labels
    (figures, drivers), hours = kept(org, now, sorted({v.row.membership_id for v in views}), weeks)
    order = {rule: k for k, rule in enumerate(RULES)}
    groups: dict[tuple[bool, int], PersonLoad] = {}
    for view in sorted(views, key=lambda v: (-severity_rank(v.row.severity), order.get(v.row.rule, 99))):
        membership = members[view.row.membership_id]
        quiet = view.row.status == "acknowledged" or view.snoozed
        key = (quiet, membership.id)
        if key not in groups:
            pledge = None if membership.pledged_hours_per_week is None else float(membership.pledged_hours_per_week)
            person_weeks = hours[membership.id]
            chart = _chart(tuple(person_weeks), pledge, tuple(labels))
            groups[key] = PersonLoad(membership, pledge, person_weeks, chart)
        groups[key].warnings.append(view)

    def rank(person: PersonLoad) -> tuple:
        return (-severity_rank(person.worst), person.membership.person.name)

    people = sorted((p for (hushed, _), p in groups.items() if not hushed), key=rank)
    quiet_people = sorted((p for (hushed, _), p in groups.items() if hushed), key=rank)
    return WarningsPage(people, quiet_people, counts, figures, drivers, labels, words, judged)
