"""How report figures are written for people: hours, money, shares, months, labels.

Pure functions of the stored (JSON) figures, so a frozen report always
prints the same text. The numbers follow the house style of
``volunteers.core.numbers`` (hours ``29.5``, never ``29.50``; money ``£1,234.56``;
shares ``88%``); a missing figure prints as ``–``.
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from volunteers.core import numbers
from volunteers.core.timeutil import Month

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: what a missing figure prints as
NONE = "–"


def hours(value: Any) -> str:
    """Return ``"1,234.5"`` — the number alone, for a column or sentence that names the unit (core.numbers' style)."""
    return numbers.hours(value, unit=False, empty=NONE)


def money(value: Any, currency: str = "GBP") -> str:
    """Return ``"£1,234.56"`` (``"−£5.00"`` for a negative adjustment)."""
    return numbers.money(value, currency, empty=NONE)


def share(value: Any) -> str:
    """Return a ratio (0.8765) as ``"88%"``."""
    return numbers.percent(value, empty=NONE)


def percent_change(value: Any) -> str:
    """Return a change already in percent as ``"+12%"`` (one decimal below 10: ``"+2.5%"``)."""
    d = numbers.to_decimal(value)
    if d is None:
        return NONE
    text = numbers.number(abs(d), 1 if abs(d) < 10 else 0)
    return f"{'+' if d > 0 else numbers.MINUS if d < 0 and text != '0' else ''}{text}%"


def signed(value: Any, unit: str = "hours", currency: str = "GBP") -> str:
    """Return a difference with its sign: ``"+3.5"`` (hours), ``"−£12.00"`` (money), ``"+2"`` (count)."""
    d = numbers.to_decimal(value)
    if d is None:
        return NONE
    text = money(abs(d), currency) if unit == "money" else count(abs(d)) if unit == "count" else hours(abs(d))
    return f"{'+' if d > 0 else numbers.MINUS if d < 0 else ''}{text}"


def count(value: Any) -> str:
    return numbers.count(value, empty=NONE)


def ratio(value: Any) -> str:
    """Return an index between 0 and 1 (the Gini coefficient) to two places: ``"0.34"``."""
    d = numbers.to_decimal(value)
    return NONE if d is None else f"{d.quantize(Decimal('0.01'), ROUND_HALF_UP)}"


def month_name(key: str) -> str:
    """Return ``"October 2026"`` for ``"2026-10"``: the month as stored figures and URLs write it."""
    return Month.parse(key).name


def week_label(monday: str) -> str:
    """Return ``"w/c 28 Sep"`` for the ISO date of a Monday."""
    d = date.fromisoformat(monday)
    return f"w/c {d.day} {_MONTH_ABBR[d.month - 1]}"


#: the report's figures as people name them (the CSV and JSON keep the codes: they are the contract)
FIGURE_LABELS = {
    "organisation": "Organisation (short name)", "organisation_name": "Organisation", "month": "Month",
    "currency": "Currency", "hours": "Hours given", "value": "Value of all contributions",
    "volunteer_hours": "Hours given by volunteers", "active_volunteers": "Active volunteers",
    "places_needed": "Places needed", "places_filled": "Places filled", "fill_rate": "Share of places filled",
    "no_shows": "No-shows", "no_show_rate": "Share of places filled that were no-shows",
    "median_hours": "Median hours per active volunteer", "top20_share": "Share of hours given by the top 20%",
    "gini": "Gini coefficient of hours (0 = an even spread)", "new_volunteers": "New volunteers",
    "lapsed_volunteers": "Lapsed volunteers", "load_warnings_raised": "Load warnings raised",
    "load_warnings_resolved": "Load warnings resolved", "previous_month": "Previous month",
    "same_month_last_year": "Same month last year",
}


def figure_label(code: str) -> str:
    """Return a figure's code as people name it: ``top20_share`` → "Share of hours given by the top 20%"."""
    return FIGURE_LABELS.get(code) or label(code)


def label(name: str) -> str:
    """Return a code as words: ``in_kind`` → ``In kind``; names with capitals (a role called "Café") are kept."""
    if name != name.lower():
        return name
    return name.replace("_", " ").capitalize()


FORMATTERS = {
    "hours": hours, "money": money, "share": share, "percent_change": percent_change, "signed": signed,
    "count": count, "ratio": ratio, "month_name": month_name, "week_label": week_label, "label": label,
    "figure_label": figure_label,
}
