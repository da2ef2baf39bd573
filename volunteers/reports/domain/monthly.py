"""The monthly contribution report's figures, from plain rows.

:func:`monthly_figures` returns a dict with DESIGN.md's report keys
(``organisation``, ``month``, ``hours``, ``value``, ``active_volunteers``,
``places_needed``, ``places_filled``, ``by_volunteer``, ``by_role``,
``by_site``, ``by_kind``, ``by_stage``) and more: spread of effort (median,
top-20% share, Gini), new and lapsed volunteers, fill and no-show rates,
comparisons with the previous month and the same month last year, a thank-you
list and the adjustments to earlier, already issued months.

Freezing: only approved entries count, and with ``as_of`` only those
approved by then, so recomputing with the same rows and ``as_of`` gives
byte-identical :func:`~volunteers.reports.domain.canonical.canonical_json`.
An entry for an issued month approved after that month's report went out
is not folded back into it; it appears once, in the ``adjustments`` of the
first report issued after it (grouped by the month it belongs to).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from decimal import Decimal, Inexact, localcontext
from operator import itemgetter
from typing import Any

from volunteers.contributions.domain.arithmetic import apportion, change, q2, ratio
from volunteers.core.timeutil import Month, TzLike, zone
from volunteers.reports.domain.entries import (
    VOLUNTEER_TYPES,
    Entry,
    Group,
    Person,
    PlaceRow,
)
from volunteers.wellbeing.domain.figures import gini, top20_share

__all__ = ["monthly_figures", "figures_of_groups", "late_adjustments", "UNSPECIFIED", "COMPARED_METRICS"]

#: Bucket name for entries without a role or site (self-logged planning work,
#: donations), so every breakdown still adds up to the total.
UNSPECIFIED = "unspecified"
#: Figures compared with earlier reports; the first two are hours/money, the rest counts.
COMPARED_METRICS = ("hours", "value", "active_volunteers", "places_needed", "places_filled")
_COUNTS = frozenset({"active_volunteers", "places_needed", "places_filled"})


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def _latest(group: Group) -> tuple[Any, ...]:
    """The order that says which of a contributor's entries is the latest, their name and e-mail.

    A total order, so the name is the same whatever order rows came in.
    """
    return (group[10], group[1], group[2] or "", group[5], group[3], group[4], group[6] or "",
            group[7] or "", group[8], group[9])


def _spread(values: list[Decimal], fn: Any) -> Decimal | None:
    """Call a wellbeing figure (floats in, float out) and keep 4 places, or None with no one."""
    if not values:
        return None
    return Decimal(repr(float(fn([float(v) for v in values])))).quantize(Decimal("0.0001"))


def _comparison(figures: dict[str, Any], base: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if base is None:
        return None
    changes: dict[str, dict[str, Any]] = {}
    for metric in COMPARED_METRICS:
        # Any values: a count's base and change are turned into ints, the rest stay Decimals
        c: dict[str, Any] = change(figures[metric], base.get(metric))
        if c["base"] is not None:  # then the change is known too
            if metric in _COUNTS:
                c["base"], c["change"] = int(c["base"]), int(c["change"])
            else:
                c["base"], c["change"] = q2(c["base"]), q2(c["change"])
        changes[metric] = c
    return {"month": base.get("month"), "changes": changes}


def late_adjustments(counted: Iterable[Entry], month: Month,
                     issued: Mapping[str, datetime]) -> list[dict[str, Any]]:
    """Return the entries of issued months before ``month`` approved after the last of them went out.

    One row per month they belong to (entries, hours, value); ``counted`` are entries that count
    (approved, known by the issue time). ``issued`` and the entries' ``month_key`` are months as
    stored, ``"YYYY-MM"``, which sort as the months do.
    """
    month_text = str(month)
    earlier = [at for m, at in issued.items() if m < month_text]
    if not earlier:
        return []
    last_issue = max(earlier)
    groups: dict[str, list[Entry]] = defaultdict(list)
    for e in counted:
        if (e.month_key < month_text and e.month_key in issued and e.approved_at is not None
                and e.approved_at > last_issue):
            groups[e.month_key].append(e)
    return [{"month": m, "entries": len(es), "hours": q2(_sum(e.hours for e in es)),
             "value": q2(_sum(e.value for e in es))} for m, es in sorted(groups.items())]


def monthly_figures(
    entries: Iterable[Entry],
    places: Iterable[PlaceRow],
    month: Month,
    tz: TzLike,
    *,
    organisation: str = "",
    currency: str = "GBP",
    as_of: datetime | None = None,
    issued: Mapping[str, datetime] | None = None,
    previous_month_figures: Mapping[str, Any] | None = None,
    same_month_last_year: Mapping[str, Any] | None = None,
    ever_active_before: Collection[str] | None = None,
    previously_active: Iterable[Person] | None = None,
) -> dict[str, Any]:
    """Return the figures of one organisation-month.

    :param entries: ledger entries; any status and month may be passed — only
        approved ones of ``month`` count, plus later-approved ones of issued
        earlier months for ``adjustments``.
    :param places: shift places; those starting in the local ``month`` count.
    :param month: the month, in the organisation's time zone ``tz``.
    :param as_of: ignore entries approved after this instant (the issue time).
    :param issued: issue instants of earlier reports by month key.
    :param previous_month_figures: / ``same_month_last_year``: earlier figures
        (e.g. parsed frozen JSON) to compare with; None gives a None comparison.
    :param ever_active_before: keys of volunteers active in any earlier month;
        None leaves ``new_volunteers`` None (unknown) rather than "everyone".
    :param previously_active: volunteers active in the look-back period the
        caller chose (e.g. the previous three months); those not active now
        are ``lapsed_volunteers``. None leaves it None.

    Hours and money are Decimals rounded to 2 places; every breakdown adds up
    exactly to its total (see :func:`apportion`). Lists are sorted by name.
    """
    counted = [e for e in entries if e.status == "approved"
               and (as_of is None or e.approved_at is None or e.approved_at <= as_of)]
    start, end = month.bounds(zone(tz))
    month_text = str(month)
    month_places = [p for p in places if start <= p.starts_at < end]
    return figures_of_groups(
        [(e.contributor_key, e.contributor_name, e.email, e.kind, e.stage, e.contributor_type, e.role, e.site,
          e.hours, e.value, e.occurred_at) for e in counted if e.month_key == month_text],
        month, organisation=organisation, currency=currency,
        places=(sum(p.needed for p in month_places), sum(p.filled for p in month_places),
                sum(p.no_shows for p in month_places)),
        adjustments=late_adjustments(counted, month, issued or {}),
        previous_month_figures=previous_month_figures, same_month_last_year=same_month_last_year,
        ever_active_before=ever_active_before, previously_active=previously_active)


#: A month's sums: hours, value, the breakdowns (role, site, kind, stage, type; value by kind) and
#: each contributor's [hours, value, latest group].
_Tally = tuple[Decimal, Decimal, tuple[dict[str, Decimal], ...], dict[str, list[Any]]]


def _sums_are_exact(groups: list[Group]) -> bool:
    """Say whether every sum of these hours, and of these values, comes out exact in any order.

    A partial sum is never larger than the sum of the magnitudes and needs no more places than
    the most precise part; when that sum is exact in the Decimal context, every other is too,
    and the order of adding up cannot change a figure. True of hours in hundredths and values
    of a few places; not of thirds of an hour to 28 digits.
    """
    with localcontext() as context:
        context.clear_flags()
        sum(map(abs, map(itemgetter(8), groups)), Decimal(0))
        sum(map(abs, map(itemgetter(9), groups)), Decimal(0))
        return not context.flags[Inexact]


def _tally(groups: list[Group]) -> _Tally:
    """Add the groups up in one pass: each contributor, and each combination of role, site, kind,
    stage and type (a handful, however many groups), from which the totals and breakdowns come.

    Adds in its own order: only for sums that are exact in any order (:func:`_sums_are_exact`).
    """
    #: (role, site, kind, stage, type) → [hours, value]
    parts: dict[tuple[Any, ...], list[Decimal]] = {}
    #: contributor key → [hours, value, their latest group (name, e-mail, type)]
    people: dict[str, list[Any]] = {}
    for group in groups:
        key, _, _, kind, stage, ctype, role, site, h, v, _ = group
        part = parts.get(what := (role, site, kind, stage, ctype))
        if part is None:
            parts[what] = [h, v]
        else:
            part[0] += h
            part[1] += v
        person = people.get(key)
        if person is None:
            people[key] = [h, v, group]
        else:
            person[0] += h
            person[1] += v
            latest = person[2]
            # parts alike in what they tell (time, name, e-mail, type) need no ranking
            if ((group[10] != latest[10] or group[1] != latest[1] or group[2] != latest[2] or group[5] != latest[5])
                    and _latest(group) > _latest(latest)):
                person[2] = group
    hours = value = Decimal(0)
    for h, v in parts.values():
        hours += h
        value += v
    breakdowns = _breakdowns((role, site, kind, stage, ctype, h, v)
                             for (role, site, kind, stage, ctype), (h, v) in parts.items())
    return hours, value, breakdowns, people


def _breakdowns(parts: Iterable[tuple[Any, ...]]) -> tuple[dict[str, Decimal], ...]:
    """Add ``(role, site, kind, stage, type, hours, value)`` parts up, in their order, into the
    hours by role, site, kind, stage and type, and the value by kind."""
    breakdowns: tuple[dict[str, Decimal], ...] = tuple(defaultdict(Decimal) for _ in range(6))
    by_role, by_site, by_kind, by_stage, by_type, value_by_kind = breakdowns
    for role, site, kind, stage, ctype, h, v in parts:
        by_role[role or UNSPECIFIED] += h
        by_site[site or UNSPECIFIED] += h
        by_kind[kind or UNSPECIFIED] += h
        by_stage[stage or UNSPECIFIED] += h
        by_type[ctype or UNSPECIFIED] += h
        value_by_kind[kind or UNSPECIFIED] += v
    return breakdowns


def _tally_in_order(groups: list[Group]) -> _Tally:
    """Add the groups up in the order the figures always have been: totals and breakdowns in the
    groups' order, each contributor's sums from their earliest group to their latest.

    For sums that round (:func:`_sums_are_exact` says no), where the order can move the last digit.
    """
    breakdowns = _breakdowns((role, site, kind, stage, ctype, h, v)
                             for _, _, _, kind, stage, ctype, role, site, h, v, _ in groups)
    people: dict[str, list[Any]] = {}
    for group in sorted(groups, key=_latest):
        person = people.setdefault(group[0], [Decimal(0), Decimal(0), group])
        person[0] += group[8]
        person[1] += group[9]
        person[2] = group
    return _sum(g[8] for g in groups), _sum(g[9] for g in groups), breakdowns, people


def figures_of_groups(
    groups: Iterable[Group],
    month: Month,
    *,
    organisation: str = "",
    currency: str = "GBP",
    places: tuple[int, int, int] = (0, 0, 0),
    adjustments: list[dict[str, Any]] | None = None,
    previous_month_figures: Mapping[str, Any] | None = None,
    same_month_last_year: Mapping[str, Any] | None = None,
    ever_active_before: Collection[str] | None = None,
    previously_active: Iterable[Person] | None = None,
) -> dict[str, Any]:
    """Return the figures of one organisation-month from its counted entries, as :data:`Group` tuples.

    What :func:`monthly_figures` does once it has picked the entries that count (approved, of
    ``month``, known by ``as_of``): a caller that already has them, summed by the database,
    hands them over here without an :class:`Entry` for each. ``places`` are the month's
    (needed, filled, no-shows); ``adjustments`` the rows of :func:`late_adjustments`.
    """
    groups = list(groups)
    if _sums_are_exact(groups):
        hours, value, breakdowns, people = _tally(groups)
    else:
        hours, value, breakdowns, people = _tally_in_order(groups)
    by_role, by_site, by_kind, by_stage, by_type, value_by_kind = breakdowns

    active = {k: p[0] for k, p in people.items() if p[2][5] in VOLUNTEER_TYPES and p[0] > 0}
    volunteer_hours = apportion(active)
    exact_hours = list(active.values())
    # everyone once in name order (casefolded, then as written, e-mail, key: a total order);
    # each list below keeps the ones it wants
    ordered = sorted([(p[2][1].casefold(), p[2][1], p[2][2] or "", k, p) for k, p in people.items()])
    by_volunteer = [{"email": p[2][2], "name": p[2][1], "hours": volunteer_hours[k]}
                    for _, _, _, k, p in ordered if k in active]
    new = None
    if ever_active_before is not None:
        earlier = set(ever_active_before)
        new = [{"email": p[2][2], "name": p[2][1]} for _, _, _, k, p in ordered if k in active and k not in earlier]
    lapsed = None
    if previously_active is not None:
        gone = {p.key: p for p in previously_active if p.key not in active}
        lapsed = [{"email": p.email, "name": p.name}
                  for *_, p in sorted([(p.name.casefold(), p.name, p.email or "", k, p) for k, p in gone.items()])]
    needed, filled, no_shows = places

    figures: dict[str, Any] = {
        "organisation": organisation,
        "month": str(month),
        "currency": currency,
        "hours": q2(hours),
        "value": q2(value),
        "volunteer_hours": q2(_sum(exact_hours)),
        "active_volunteers": len(active),
        "places_needed": needed,
        "places_filled": filled,
        "no_shows": no_shows,
        "fill_rate": ratio(filled, needed),
        "no_show_rate": ratio(no_shows, filled),
        "by_volunteer": by_volunteer,
        "by_role": apportion(by_role),
        "by_site": apportion(by_site),
        "by_kind": apportion(by_kind),
        "by_stage": apportion(by_stage),
        "by_contributor_type": apportion(by_type),
        "value_by_kind": apportion(value_by_kind),
        "median_hours": q2(statistics.median(exact_hours)) if exact_hours else None,
        "top20_share": _spread(exact_hours, top20_share),
        "gini": _spread(exact_hours, gini),
        "new_volunteers": new,
        "lapsed_volunteers": lapsed,
        "thank_you": [p[2][1] for *_, p in ordered if p[0] > 0 or p[1] > 0],
        "adjustments": adjustments or [],
    }
    figures["comparisons"] = {
        "previous_month": _comparison(figures, previous_month_figures),
        "same_month_last_year": _comparison(figures, same_month_last_year),
    }
    return figures
