"""Assemble one organisation-month's figures from the database (live, as of an instant).

:func:`live_figures` reads the inputs through :mod:`gather` (a fixed number
of aggregate queries whatever the ledger's size), turns the sums into
domain values and lets :func:`~volunteers.reports.domain.monthly.monthly_figures`
do the arithmetic. It adds what the pure report does not know about: the
organisation's name and zone, hours by week (for the chart), and the load
warnings raised and resolved in the month.

Comparisons use the frozen figures of an issued month (what the trustees
were sent) and the live totals of a month never issued.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from volunteers.contributions.rates import breakpoints, hourly_rate, rate_card
from volunteers.core.models import Organisation
from volunteers.core.timeutil import local_date, month_bounds, month_key, parse_month, previous_month, week_bounds
from volunteers.reports import gather
from volunteers.reports.domain.arithmetic import apportion
from volunteers.reports.domain.entries import Entry, Person, PlaceRow
from volunteers.reports.domain.monthly import monthly_figures
from volunteers.reports.domain.valuation import STATED_VALUE_KINDS, RateCard

#: a volunteer active in any of this many months before, and not in this one, has lapsed
LAPSE_MONTHS = 3


def window_of(org: Organisation, month: str) -> gather.Window:
    return month_bounds(*parse_month(month), org.timezone)


def _key(membership_id: int | None, contributor_type: str, name: str | None) -> str:
    return f"m{membership_id}" if membership_id is not None else f"n:{contributor_type}:{name}"


def _period_day(first: date, points: list[date], period: int) -> date:
    return first if period == 0 else points[period - 1]


class _Rates:
    """The rate card's answers, looked up once per (kind, role, day) in a report."""

    def __init__(self, card: RateCard) -> None:
        self.card = card
        self.seen: dict[tuple[str, str | None, date], Decimal] = {}

    def value(self, kind: str, role: str | None, on: date, hours: Decimal, amount: Decimal) -> Decimal:
        if kind in STATED_VALUE_KINDS:
            return amount
        key = (kind, role, on)
        rate = self.seen.get(key)
        if rate is None:
            rate = self.seen[key] = hourly_rate(self.card, kind, role, on)
        return hours * rate


def _entries(rows: list[Any], rates: _Rates, month: str, first: date, points: list[date],
             at: datetime) -> tuple[list[Entry], dict[int, Decimal]]:
    """Return the groups as domain entries, and the hours per week index."""
    entries, weeks = [], defaultdict(Decimal)
    for (membership_id, name, ctype, kind, stage, role, site, person_name, email, period, week, hours_c,
         amount_c) in rows:
        hours, amount = gather.from_cents(hours_c), gather.from_cents(amount_c)
        on = _period_day(first, points, int(period))
        weeks[week] += hours
        entries.append(Entry(_key(membership_id, ctype, name), person_name or name or "", email, kind, stage,
                             ctype, role, site, hours, rates.value(kind, role, on, hours, amount), at, month))
    return entries, weeks


def _late(org: Organisation, rows: list[Any], rates: _Rates) -> list[Entry]:
    return [Entry(
        _key(r.membership_id, r.contributor_type, r.contributor_name), r.person_name or r.contributor_name or "",
        r.email, r.kind, r.stage, r.contributor_type, r.role, r.site, Decimal(r.hours),
        rates.value(r.kind, r.role, r.occurred_on, Decimal(r.hours), Decimal(r.amount)), r.occurred_at,
        month_key(r.occurred_at, org.timezone), "approved", r.decided_at) for r in rows]


def _weeks(org: Organisation, window: gather.Window) -> list[tuple[date, gather.Window]]:
    """Return the Monday and UTC bounds of each week overlapping the month, clipped to it."""
    weeks, day = [], local_date(window[0], org.timezone)
    while True:
        lo, hi = week_bounds(day, org.timezone)
        if lo >= window[1]:
            return weeks
        weeks.append((day - timedelta(days=day.weekday()), (max(lo, window[0]), min(hi, window[1]))))
        day = local_date(hi, org.timezone)


def _live_totals(org: Organisation, months: list[str], as_of: datetime, rates: _Rates,
                 places: dict[int, tuple[int, int, int]], offset: int) -> dict[str, dict[str, Any]]:
    """Return the compared figures of months never issued, from two aggregate queries."""
    if not months:
        return {}
    windows = [window_of(org, m) for m in months]
    first = local_date(min(w[0] for w in windows), org.timezone)
    points = breakpoints(rates.card, first, local_date(max(w[1] for w in windows), org.timezone))
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"hours": Decimal(0), "value": Decimal(0)})
    for r in gather.totals_by_bucket(org, windows, as_of, points):
        hours, amount = gather.from_cents(r.hours_c), gather.from_cents(r.amount_c)
        totals[r.bucket]["hours"] += hours
        totals[r.bucket]["value"] += rates.value(r.kind, r.role, _period_day(first, points, int(r.period)),
                                                 hours, amount)
    active = gather.active_by_bucket(org, windows, as_of)
    result = {}
    for i, m in enumerate(months):
        needed, filled, _ = places.get(offset + i, (0, 0, 0))
        result[m] = {"month": m, "hours": totals[i]["hours"], "value": totals[i]["value"],
                     "active_volunteers": active.get(i, 0), "places_needed": needed, "places_filled": filled}
    return result


def live_figures(org: Organisation, month: str, as_of: datetime) -> dict[str, Any]:
    """Return the figures of ``month`` counting only what was approved by ``as_of``.

    :raises ValueError: for a malformed month.
    """
    window = window_of(org, month)
    first = local_date(window[0], org.timezone)
    card = rate_card(org)
    rates = _Rates(card)
    previous, last_year = previous_month(month), previous_month(month, 12)
    issued = {m: i for m, i in gather.issued_months(org, [previous, last_year]).items() if i.issued_at <= as_of}
    points = breakpoints(card, first, local_date(window[1], org.timezone))

    weeks = _weeks(org, window)
    groups = gather.ledger_groups(org, window, as_of, points, [w for _, w in weeks])
    entries, by_week = _entries(groups, rates, month, first, points, window[0])
    earlier = {m: i.issued_at for m, i in issued.items() if m < month and i.issued_at <= as_of}
    if earlier:
        rows = gather.late_entries(org, window[0], max(earlier.values()), as_of)
        entries += _late(org, rows, rates)

    compared = [m for m in (previous, last_year) if m not in issued]
    windows = [window, *(window_of(org, m) for m in compared)]
    places = gather.places_by_bucket(org, windows)
    needed, filled, no_shows = places.get(0, (0, 0, 0))
    place_rows = [PlaceRow("month", window[0], needed, filled, min(no_shows, filled))]
    frozen = {m: json.loads(i.figures_json) for m, i in issued.items() if i.figures_json}
    bases = {**_live_totals(org, compared, as_of, rates, places, 1), **frozen}

    before = gather.ever_active_before(org, window, as_of)
    lookback = (window_of(org, previous_month(month, LAPSE_MONTHS))[0], window[0])
    # only those not active now can have lapsed: skip building the others
    given: dict[str, Decimal] = defaultdict(Decimal)
    for e in entries:
        if e.is_volunteer and e.month_key == month:
            given[e.contributor_key] += e.hours
    previously = [Person(key, person_name or name or "", email)
                  for membership_id, name, person_name, email in gather.active_between(org, lookback, as_of)
                  if given.get(key := _key(membership_id, "volunteer", name), 0) <= 0]
    figures = monthly_figures(
        entries, place_rows, month, org.timezone, organisation=org.slug, currency=org.currency, as_of=as_of,
        issued=earlier, previous_month_figures=bases.get(previous), same_month_last_year=bases.get(last_year),
        ever_active_before={_key(m, "volunteer", n) for m, n in before}, previously_active=previously)

    figures["by_week"] = apportion({monday.isoformat(): by_week.get(i, Decimal(0))
                                    for i, (monday, _) in enumerate(weeks)})
    figures["organisation_name"] = org.name
    figures["timezone"] = org.timezone
    figures["coproduction_mode"] = org.coproduction_mode
    figures["load_warnings"] = gather.warnings_in(org, window, as_of)
    return figures
