"""How report figures are written for people: hours, money, shares, months, labels.

Pure functions of the stored (JSON) figures, so a frozen report always
prints the same text. Numbers go through ``Decimal(str(x))``: a figure read
back from JSON is a float holding a 2-place value, and ``str`` gives it back
exactly.
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from volunteers.core.timeutil import Month

_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def hours(value: Any) -> str:
    """Return ``"1,234.50"`` (always two places, so columns line up)."""
    if value is None:
        return "–"
    return f"{_d(value).quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"


def money(value: Any, currency: str = "GBP") -> str:
    """Return ``"£1,234.56"`` (``"−£5.00"`` for a negative adjustment)."""
    if value is None:
        return "–"
    amount = _d(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
    symbol = _SYMBOLS.get(currency, f"{currency} ")
    return f"{'−' if amount < 0 else ''}{symbol}{abs(amount):,.2f}"


def share(value: Any) -> str:
    """Return a ratio (0.8765) as ``"87.7%"``."""
    if value is None:
        return "–"
    return f"{(_d(value) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def percent_change(value: Any) -> str:
    """Return a change already in percent as ``"+12.3%"``."""
    if value is None:
        return "–"
    d = _d(value)
    return f"{'+' if d > 0 else ''}{d}%"


def signed(value: Any, unit: str = "hours", currency: str = "GBP") -> str:
    """Return a difference with its sign: ``"+3.50"`` (hours), ``"−£12.00"`` (money), ``"+2"`` (count)."""
    if value is None:
        return "–"
    d = _d(value)
    text = money(abs(d), currency) if unit == "money" else count(abs(d)) if unit == "count" else hours(abs(d))
    return f"{'+' if d > 0 else '−' if d < 0 else ''}{text}"


def count(value: Any) -> str:
    return "–" if value is None else f"{int(value):,}"


def month_name(key: str) -> str:
    """Return ``"October 2026"`` for ``"2026-10"``: the month as stored figures and URLs write it."""
    return Month.parse(key).name


def week_label(monday: str) -> str:
    """Return ``"w/c 28 Sep"`` for the ISO date of a Monday."""
    d = date.fromisoformat(monday)
    return f"w/c {d.day} {_MONTH_ABBR[d.month - 1]}"


def label(name: str) -> str:
    """Return a code as words: ``in_kind`` → ``In kind``; names with capitals are kept."""
    if name != name.lower():
        return name
    return name.replace("_", " ").capitalize()


FORMATTERS = {
    "hours": hours, "money": money, "share": share, "percent_change": percent_change, "signed": signed,
    "count": count, "month_name": month_name, "week_label": week_label, "label": label,
}
