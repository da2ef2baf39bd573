"""Plain-English pieces of warning messages: numbers, dates, spans and levels.

Month and day names are spelled here rather than with ``strftime`` so the
text does not depend on the machine's locale.
"""

from __future__ import annotations

from datetime import date, datetime

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def number(value: float, digits: int = 1) -> str:
    """Return ``value`` rounded to ``digits`` decimals without trailing zeros: 15.0 → "15"."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def measured(value: float, threshold: float, digits: int = 1) -> str:
    """Return ``value`` with enough decimals not to look equal to ``threshold``.

    15.01 against a level of 15 reads "15.01", not "15"; 21.375 reads "21.4".
    """
    for places in range(digits, 4):
        text = number(value, places)
        if abs(value - threshold) < 1e-9 or float(text) != threshold:
            return text
    return number(value, 4)


def day(value: date) -> str:
    """Return "25 Nov 2026"."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def days(first: date, last: date) -> str:
    """Return a span of dates: "23–29 Nov 2026", "28 Oct – 3 Nov 2026", "29 Dec 2026 – 4 Jan 2027"."""
    if first == last:
        return day(first)
    if first.year != last.year:
        return f"{day(first)} – {day(last)}"
    if first.month != last.month:
        return f"{first.day} {_MONTHS[first.month - 1]} – {day(last)}"
    return f"{first.day}–{day(last)}"


def moment(value: datetime) -> str:
    """Return a local instant as "23:30 on Wed 25 Nov 2026"."""
    return f"{value:%H:%M} on {_DAYS[value.weekday()]} {day(value.date())}"


def level(severity: str, threshold: float, comparison: str, unit: str = "") -> str:
    """Return "above the warning level of 15", "below the critical level of 8 hours", …"""
    relation = {">": "above", ">=": "at or above", "<": "below"}[comparison]
    suffix = f" {unit}" if unit else ""
    return f"{relation} the {severity} level of {number(threshold, 2)}{suffix}"


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """Return "1 day", "3 days", "7.5 hours"."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{number(count, 2)} {word}"
