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
from decimal import Decimal
from typing import Any

from volunteers.core.timeutil import TzLike, month_bounds, parse_month, zone
from volunteers.reports.domain.arithmetic import apportion, change, q2, ratio
from volunteers.reports.domain.entries import Entry, Person, PlaceRow
from volunteers.wellbeing.domain.figures import gini, top20_share

__all__ = ["monthly_figures", "UNSPECIFIED", "COMPARED_METRICS"]

#: Bucket name for entries without a role or site (self-logged planning work,
#: donations), so every breakdown still adds up to the total.
UNSPECIFIED = "unspecified"
#: Figures compared with earlier reports; the first two are hours/money, the rest counts.
COMPARED_METRICS = ("hours", "value", "active_volunteers", "places_needed", "places_filled")
_COUNTS = frozenset({"active_volunteers", "places_needed", "places_filled"})


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def _breakdown(entries: Iterable[Entry], key: str, amount: str = "hours") -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for e in entries:
        totals[getattr(e, key) or UNSPECIFIED] += getattr(e, amount)
    return apportion(totals)


def _sort_people(people: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(people, key=lambda p: (p["name"].casefold(), p["name"], p["email"] or "",
                                         p.get("_key", "")))


def _spread(values: list[Decimal], fn: Any) -> Decimal | None:
    """Call a wellbeing figure (floats in, float out) and keep 4 places, or None with no one."""
    if not values:
        return None
    return Decimal(repr(float(fn([float(v) for v in values])))).quantize(Decimal("0.0001"))


def _people_by_key(entries: Iterable[Entry]) -> dict[str, dict[str, Any]]:
    """Sum hours and value per contributor; name and e-mail from their latest entry."""
    people: dict[str, dict[str, Any]] = {}
    # A total order, so the "latest" name is the same whatever order rows came in.
    for e in sorted(entries, key=lambda e: (e.occurred_at, e.contributor_name, e.email or "",
                                            e.contributor_type, e.kind, e.stage, e.role or "",
                                            e.site or "", e.hours, e.value)):
        p = people.setdefault(e.contributor_key, {"hours": Decimal(0), "value": Decimal(0)})
        p["hours"] += e.hours
        p["value"] += e.value
        p.update(name=e.contributor_name, email=e.email, volunteer=e.is_volunteer,
                 _key=e.contributor_key)
    return people


def _comparison(figures: dict[str, Any], base: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if base is None:
        return None
    changes = {}
    for metric in COMPARED_METRICS:
        c = change(figures[metric], base.get(metric))
        if c["base"] is not None:
            if metric in _COUNTS:
                c["base"], c["change"] = int(c["base"]), int(c["change"])
            else:
                c["base"], c["change"] = q2(c["base"]), q2(c["change"])
        changes[metric] = c
    return {"month": base.get("month"), "changes": changes}


def _adjustments(counted: list[Entry], month: str,
                 issued: Mapping[str, datetime]) -> list[dict[str, Any]]:
    earlier = [at for m, at in issued.items() if m < month]
    if not earlier:
        return []
    last_issue = max(earlier)
    groups: dict[str, list[Entry]] = defaultdict(list)
    for e in counted:
        if (e.month_key < month and e.month_key in issued and e.approved_at is not None
                and e.approved_at > last_issue):
            groups[e.month_key].append(e)
    return [{"month": m, "entries": len(es), "hours": q2(_sum(e.hours for e in es)),
             "value": q2(_sum(e.value for e in es))} for m, es in sorted(groups.items())]


def monthly_figures(
    entries: Iterable[Entry],
    places: Iterable[PlaceRow],
    month: str,
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
    :param month: ``"YYYY-MM"`` in the organisation's time zone ``tz``.
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
    parse_month(month)
    tzinfo = zone(tz)
    counted = [e for e in entries if e.status == "approved"
               and (as_of is None or e.approved_at is None or e.approved_at <= as_of)]
    current = [e for e in counted if e.month_key == month]

    people = _people_by_key(current)
    active = {k: p for k, p in people.items() if p["volunteer"] and p["hours"] > 0}
    volunteer_hours = apportion({k: p["hours"] for k, p in active.items()})
    by_volunteer = _sort_people(
        {"email": p["email"], "name": p["name"], "hours": volunteer_hours[k], "_key": k}
        for k, p in active.items())
    for row in by_volunteer:
        del row["_key"]
    exact_hours = [p["hours"] for p in active.values()]

    start, end = month_bounds(*parse_month(month), tzinfo)
    month_places = [p for p in places if start <= p.starts_at < end]
    needed = sum(p.needed for p in month_places)
    filled = sum(p.filled for p in month_places)
    no_shows = sum(p.no_shows for p in month_places)

    def listed(keys: Iterable[str]) -> list[dict[str, Any]]:
        rows = _sort_people({"email": people[k]["email"], "name": people[k]["name"], "_key": k}
                            for k in keys)
        return [{"email": r["email"], "name": r["name"]} for r in rows]

    earlier = None if ever_active_before is None else set(ever_active_before)
    new = None if earlier is None else listed(k for k in active if k not in earlier)
    lapsed = None
    if previously_active is not None:
        gone = {p.key: p for p in previously_active if p.key not in active}
        lapsed = [{"email": r["email"], "name": r["name"]} for r in _sort_people(
            {"email": p.email, "name": p.name, "_key": k} for k, p in gone.items())]
    thanked = _sort_people({"email": p["email"], "name": p["name"], "_key": k}
                           for k, p in people.items() if p["hours"] > 0 or p["value"] > 0)

    figures: dict[str, Any] = {
        "organisation": organisation,
        "month": month,
        "currency": currency,
        "hours": q2(_sum(e.hours for e in current)),
        "value": q2(_sum(e.value for e in current)),
        "volunteer_hours": q2(_sum(exact_hours)),
        "active_volunteers": len(active),
        "places_needed": needed,
        "places_filled": filled,
        "no_shows": no_shows,
        "fill_rate": ratio(filled, needed),
        "no_show_rate": ratio(no_shows, filled),
        "by_volunteer": by_volunteer,
        "by_role": _breakdown(current, "role"),
        "by_site": _breakdown(current, "site"),
        "by_kind": _breakdown(current, "kind"),
        "by_stage": _breakdown(current, "stage"),
        "by_contributor_type": _breakdown(current, "contributor_type"),
        "value_by_kind": _breakdown(current, "kind", "value"),
        "median_hours": q2(statistics.median(exact_hours)) if exact_hours else None,
        "top20_share": _spread(exact_hours, top20_share),
        "gini": _spread(exact_hours, gini),
        "new_volunteers": new,
        "lapsed_volunteers": lapsed,
        "thank_you": [p["name"] for p in thanked],
        "adjustments": _adjustments(counted, month, issued or {}),
    }
    figures["comparisons"] = {
        "previous_month": _comparison(figures, previous_month_figures),
        "same_month_last_year": _comparison(figures, same_month_last_year),
    }
    return figures
