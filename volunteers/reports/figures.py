"""Assemble one organisation-month's figures from the database (live, as of an instant).

:func:`live_figures` reads the inputs through :mod:`gather` (a fixed number
of aggregate queries whatever the ledger's size), turns the sums into
domain values (tuples: a month can hold thousands of sums) and lets
:func:`~volunteers.reports.domain.monthly.figures_of_groups` do the
arithmetic. It adds what the pure report does not know about: the
organisation's name and zone, hours by week (for the chart), and the load
warnings raised and resolved in the month.

Comparisons use the frozen figures of an issued month (what the trustees
were sent) and the live totals of a month never issued.
"""
from __future__ import annotations

import json
from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from volunteers.contributions.domain.arithmetic import apportion
from volunteers.contributions.domain.valuation import STATED_VALUE_KINDS, RateCard
from volunteers.contributions.rates import breakpoints, hourly_rate, rate_card
from volunteers.core.models import Organisation
from volunteers.core.timeutil import Month, local_date, local_to_utc, zone
from volunteers.peersupport.services import month_figures as peer_support_figures
from volunteers.reports import gather
from volunteers.reports.domain.entries import (
    VOLUNTEER_TYPES,
    Entry,
    Group,
    Person,
    PlaceRow,
)
from volunteers.reports.domain.monthly import figures_of_groups, late_adjustments
from volunteers.reports.load_section import KEY as LOAD_KEY
from volunteers.reports.load_section import load_and_fairness

#: a volunteer active in any of this many months before, and not in this one, has lapsed
LAPSE_MONTHS = 3


def window_of(org: Organisation, month: Month) -> gather.Window:
    """Return the UTC bounds of ``month`` in the organisation's time zone."""
    return month.bounds(zone(org.timezone))


def _key(membership_id: int | None, contributor_type: str, name: str | None) -> str:
    return f"m{membership_id}" if membership_id is not None else f"n:{contributor_type}:{name}"


class _Rates:
    """The rate card's answers, looked up once per (kind, role, rate period) in a report.

    No rate starts or ends between two of the card's dates, so every day from one to the
    next has the same answer: the days the report asks about share a few periods.
    """

    def __init__(self, card: RateCard) -> None:
        self.card = card
        self.changes = sorted({r.effective_from for r in (*card.rates, *card.defaults)})
        self.seen: dict[tuple[str, str | None, int], Decimal] = {}

    def rate(self, kind: str, role: str | None, on: date) -> Decimal:
        key = (kind, role, bisect_right(self.changes, on))
        rate = self.seen.get(key)
        if rate is None:
            rate = self.seen[key] = hourly_rate(self.card, kind, role, on)
        return rate

    def value(self, kind: str, role: str | None, on: date, hours: Decimal, amount: Decimal) -> Decimal:
        if kind in STATED_VALUE_KINDS:
            return amount
        return hours * self.rate(kind, role, on)


def _month_groups(rows: gather.Rows, rates: _Rates, first: date, points: list[date],
                  at: datetime) -> tuple[list[Group], dict[int, Decimal], dict[str, Decimal]]:
    """Return the month's sums as domain groups, the hours per week index and each volunteer's hours.

    One pass, tuples only: the month can hold thousands of groups. The same hundredths come
    back again and again, so each is turned into a Decimal once.
    """
    groups: list[Group] = []
    weeks: dict[int, Decimal] = defaultdict(Decimal)
    given: dict[str, Decimal] = defaultdict(Decimal)
    days = [first, *points]
    decimals: dict[int, Decimal] = {}
    for (membership_id, name, ctype, kind, stage, role, site, person_name, email, period, week, hours_c,
         amount_c) in rows:
        hours = decimals.get(hours_c)
        if hours is None:
            hours = decimals[hours_c] = gather.from_cents(hours_c)
        if kind in STATED_VALUE_KINDS:
            value = decimals.get(amount_c)
            if value is None:
                value = decimals[amount_c] = gather.from_cents(amount_c)
        else:
            value = hours * rates.rate(kind, role, days[int(period)])
        key = _key(membership_id, ctype, name)
        weeks[week] += hours
        if ctype in VOLUNTEER_TYPES:
            given[key] += hours
        groups.append((key, person_name or name or "", email, kind, stage, ctype, role, site, hours, value, at))
    return groups, weeks, given


def _late(rows: gather.Rows, rates: _Rates, tz: tzinfo) -> list[Entry]:
    """Return late entries of earlier months as domain entries, each keyed by the local month it counts in."""
    return [Entry(
        _key(r.membership_id, r.contributor_type, r.contributor_name), r.person_name or r.contributor_name or "",
        r.email, r.kind, r.stage, r.contributor_type, r.role, r.site, Decimal(r.hours),
        rates.value(r.kind, r.role, r.occurred_on, Decimal(r.hours), Decimal(r.amount)), r.occurred_at,
        str(Month.containing(r.occurred_at, tz)), "approved", r.decided_at) for r in rows]


def _weeks(window: gather.Window, first: date, tz: tzinfo) -> list[tuple[date, gather.Window]]:
    """Return the Monday and UTC bounds of each week overlapping the month, clipped to it.

    ``first`` is the month's first (local) day; each week ends at the next Monday's local midnight.
    """
    weeks = []
    monday, lo = first - timedelta(days=first.weekday()), window[0]
    while lo < window[1]:
        following = monday + timedelta(days=7)
        hi = min(local_to_utc(following, time(0), tz), window[1])
        weeks.append((monday, (lo, hi)))
        monday, lo = following, hi
    return weeks


def _live_totals(org: Organisation, months: list[Month], windows: list[gather.Window], tz: tzinfo, as_of: datetime,
                 rates: _Rates, places: dict[int, tuple[int, int, int]], offset: int) -> dict[str, dict[str, Any]]:
    """Return the compared figures of months never issued (their ``windows``), from one aggregate query.

    Keyed by the month's text, as the frozen figures of issued months are.
    """
    if not months:
        return {}
    firsts = [local_date(lo, tz) for lo, _ in windows]
    # only a rate that changes inside a month splits its sums; the months' first days cover the rest
    points = sorted({p for first, (_, hi) in zip(firsts, windows, strict=True)
                     for p in breakpoints(rates.card, first, local_date(hi, tz))})
    totals: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"hours": Decimal(0), "value": Decimal(0)})
    rows, active = gather.compared_totals(org, windows, as_of, points)
    for bucket, kind, role, period, hours_c, amount_c in rows:
        hours, amount = gather.from_cents(hours_c), gather.from_cents(amount_c)
        on = max(firsts[bucket], points[int(period) - 1]) if period else firsts[bucket]
        totals[bucket]["hours"] += hours
        totals[bucket]["value"] += rates.value(kind, role, on, hours, amount)
    result = {}
    for i, m in enumerate(months):
        needed, filled, _ = places.get(offset + i, (0, 0, 0))
        text = str(m)
        result[text] = {"month": text, "hours": totals[i]["hours"], "value": totals[i]["value"],
                        "active_volunteers": active.get(i, 0), "places_needed": needed, "places_filled": filled}
    return result


def compared_months(month: Month) -> tuple[Month, Month]:
    """Return the months a report compares with: the one before and the same one a year before."""
    return month.previous(), month.previous(12)


def live_figures(org: Organisation, month: Month, as_of: datetime,
                 issued_months: dict[str, gather.IssuedMonth] | None = None) -> dict[str, Any]:
    """Return the figures of ``month`` counting only what was approved by ``as_of``.

    ``issued_months`` is :func:`gather.issued_months` with the figures of the
    :func:`compared_months`, when the caller has just read it (else it is read here).
    Issued months are keyed by their stored text (``"YYYY-MM"``), which sorts as months do.
    """
    tz = zone(org.timezone)
    window = month.bounds(tz)
    first = local_date(window[0], tz)
    month_text = str(month)
    card = rate_card(org)
    rates = _Rates(card)
    previous, last_year = compared_months(month)
    if issued_months is None:
        issued_months = gather.issued_months(org, [previous, last_year])
    issued = {m: i for m, i in issued_months.items() if i.issued_at <= as_of}
    points = breakpoints(card, first, local_date(window[1], tz))

    weeks = _weeks(window, first, tz)
    rows = gather.ledger_groups(org, window, as_of, points, [w for _, w in weeks])
    groups, by_week, given = _month_groups(rows, rates, first, points, window[0])
    earlier = {m: i.issued_at for m, i in issued.items() if m < month_text and i.issued_at <= as_of}
    late: list[Entry] = []
    if earlier:
        late = _late(gather.late_entries(org, window[0], max(earlier.values()), as_of), rates, tz)

    compared = [m for m in (previous, last_year) if str(m) not in issued]
    compared_windows = [m.bounds(tz) for m in compared]
    places, warnings = gather.month_counts(org, [window, *compared_windows], as_of)
    needed, filled, no_shows = places.get(0, (0, 0, 0))
    place = PlaceRow("month", window[0], needed, filled, min(no_shows, filled))  # checks the counts
    frozen = {m: json.loads(i.figures_json) for m, i in issued.items() if i.figures_json}
    bases = {**_live_totals(org, compared, compared_windows, tz, as_of, rates, places, 1), **frozen}

    before = gather.ever_active_before(org, window, as_of)
    lookback = (month.previous(LAPSE_MONTHS).bounds(tz)[0], window[0])
    # only those not active now can have lapsed: skip building the others
    previously = [Person(key, person_name or name or "", email)
                  for membership_id, name, person_name, email in gather.active_between(org, lookback, as_of)
                  if given.get(key := _key(membership_id, "volunteer", name), 0) <= 0]
    figures = figures_of_groups(
        groups, month, organisation=org.slug, currency=org.currency,
        places=(place.needed, place.filled, place.no_shows), adjustments=late_adjustments(late, month, earlier),
        previous_month_figures=bases.get(str(previous)), same_month_last_year=bases.get(str(last_year)),
        ever_active_before={_key(m, "volunteer", n) for m, n in before}, previously_active=previously)

    figures["by_week"] = apportion({monday.isoformat(): by_week.get(i, Decimal(0))
                                    for i, (monday, _) in enumerate(weeks)})
    figures["organisation_name"] = org.name
    figures["timezone"] = org.timezone
    figures["coproduction_mode"] = org.coproduction_mode
    figures["load_warnings"] = warnings
    figures[LOAD_KEY] = load_and_fairness(org, month, as_of)  # by episode, as /warnings/history counts them
    # DESIGN "Peer support": only organisations that support people carry the block
    peer_support = peer_support_figures(org, month.first_day, month.last_day, as_of)
    if peer_support is not None:
        figures["peer_support"] = peer_support
    return figures
