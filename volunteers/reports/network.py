"""Figures across organisations: one month summed over several organisations, by co-production mode.

For a network admin (a council's volunteering team): each organisation's
report for the month (the issued one where there is one, live otherwise) is
added up, in total and per co-production mode (DESIGN.md). Someone active
in two organisations counts in both: ``active_volunteers`` is a sum of the
organisations' counts.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from volunteers.contributions.domain.arithmetic import apportion, q2, ratio
from volunteers.core.models import COPRODUCTION_MODES, Organisation
from volunteers.core.timeutil import Month
from volunteers.reports.services import monthly_report

SUMMED = ("hours", "value", "volunteer_hours")
COUNTED = ("active_volunteers", "places_needed", "places_filled", "no_shows")
BREAKDOWNS = ("by_kind", "by_stage", "by_contributor_type", "value_by_kind")
UNSPECIFIED_MODE = "unspecified"


def _d(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def _total(figures: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {k: q2(sum((_d(f[k]) for f in figures), Decimal(0))) for k in SUMMED}
    total.update({k: sum(int(f.get(k) or 0) for f in figures) for k in COUNTED})
    for key in BREAKDOWNS:
        parts: dict[str, Decimal] = defaultdict(Decimal)
        for f in figures:
            for name, amount in (f.get(key) or {}).items():
                parts[name] += _d(amount)
        total[key] = apportion(parts)
    total["fill_rate"] = ratio(total["places_filled"], total["places_needed"])
    total["no_show_rate"] = ratio(total["no_shows"], total["places_filled"])
    total["organisations"] = len(figures)
    return total


def network_figures(orgs: list[Organisation], month: Month, now: datetime) -> dict[str, Any]:
    """Return the month's figures per organisation, summed in total and per co-production mode."""
    reports = [(org, monthly_report(org, month, now)) for org in sorted(orgs, key=lambda o: o.name.casefold())]
    by_mode: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for org, report in reports:
        by_mode[org.coproduction_mode or UNSPECIFIED_MODE].append(report.figures)
    return {
        "month": str(month),
        "organisations": [
            {"organisation": org.slug, "organisation_name": org.name,
             "coproduction_mode": org.coproduction_mode or UNSPECIFIED_MODE, "issued": report.issued is not None,
             **{k: report.figures.get(k) for k in (*SUMMED, *COUNTED)}}
            for org, report in reports],
        "total": _total([r.figures for _, r in reports]),
        "by_mode": {mode: {"label": COPRODUCTION_MODES.get(mode, "Not set"), **_total(figs)}
                    for mode, figs in sorted(by_mode.items())},
    }
