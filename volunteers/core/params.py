"""Bounded parsing of what people type: ids, counts, dates, numbers and text.

Every value that comes in from a URL, a form, a command option or a CSV
cell is read here, so nothing further in meets a number the database
cannot hold (PostgreSQL ``integer`` ids, ``numeric(12, 2)`` amounts), a
date whose neighbouring days do not exist (9999-12-31 + 1 day), or a text
longer than its column. Months are read by ``core.timeutil.Month.parse``,
bounded to the same years. Each parser raises ``ValueError`` with a
message fit to show; the edges turn that into a 400/404 (web), a ``file:line: field`` line (CSV) or
an ``Error: --option: …`` exit (CLI).

Pure (standard library only), so ``domain/`` parsers use it too; the web's
adapters (query arguments, form validators) are in :mod:`volunteers.core.webparams`.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from volunteers.core.timeutil import MAX_YEAR, MIN_YEAR

__all__ = [
    "MAX_ID", "MIN_YEAR", "MAX_YEAR", "MAX_NEEDED", "parse_id", "parse_count", "parse_decimal",
    "parse_date", "check_date", "parse_year", "check_length", "NUL", "nul_line", "shown",
]

#: the largest id PostgreSQL's ``integer`` holds
MAX_ID = 2**31 - 1
#: the most people one shift may need (the shift form says the same)
MAX_NEEDED = 100

_DIGITS = re.compile(r"^[0-9]{1,12}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_id(text: str | int | None) -> int:
    """Return a database id (1 … 2**31-1) written as digits.

    :raises ValueError: for anything else (empty, signs, huge numbers, other digits than ASCII).
    """
    raw = str(text).strip() if text is not None else ""
    if not _DIGITS.match(raw) or not 1 <= int(raw) <= MAX_ID:
        raise ValueError(f"expected a record number from 1 to {MAX_ID}, got {shown(text)}")
    return int(raw)


def parse_count(text: str | int | None, low: int = 1, high: int = MAX_NEEDED) -> int:
    """Return a whole number from ``low`` to ``high`` written as digits.

    :raises ValueError: naming the range.
    """
    raw = str(text).strip() if text is not None else ""
    if not _DIGITS.match(raw) or not low <= int(raw) <= high:
        raise ValueError(f"must be a whole number from {low} to {high}, got {shown(text)}")
    return int(raw)


def parse_decimal(text: str | Decimal | float | int | None, *, low: Decimal | int = 0,
                  high: Decimal | int, places: int = 2) -> Decimal:
    """Return a finite number from ``low`` to ``high``, rounded to ``places`` decimals.

    "1e300", "NaN", "Infinity" and 10,000 digits are refused before any arithmetic.

    :raises ValueError: naming the range.
    """
    message = f"must be a number from {low} to {high}, got {shown(text)}"
    raw = str(text).strip() if text is not None else ""
    if not raw or len(raw) > 40:
        raise ValueError(message)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(message) from None
    if not value.is_finite() or not Decimal(low) <= value <= Decimal(high):
        raise ValueError(message)
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def check_date(day: date) -> date:
    """Return ``day`` if it lies in the years the app computes with (its neighbours exist in every zone).

    :raises ValueError: otherwise.
    """
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"must be a date between {MIN_YEAR} and {MAX_YEAR}, got {day.isoformat()}")
    return day


def parse_date(text: str | None) -> date:
    """Return a date written ``YYYY-MM-DD`` in the years :func:`check_date` allows.

    :raises ValueError: for anything else.
    """
    raw = text.strip() if isinstance(text, str) else ""
    try:
        if not _DATE.match(raw):
            raise ValueError
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"must be a date as YYYY-MM-DD, got {shown(text)}") from None
    return check_date(day)


def parse_year(text: str | None) -> int:
    """Return a year written as four digits, :data:`MIN_YEAR`–:data:`MAX_YEAR`.

    :raises ValueError: otherwise.
    """
    raw = text.strip() if isinstance(text, str) else ""
    if not re.fullmatch(r"[0-9]{4}", raw) or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        raise ValueError(f"expected a year from {MIN_YEAR} to {MAX_YEAR}, got {shown(text)}")
    return int(raw)


#: what an import says of a file holding NUL
def setting_in_range(setting: object, default: int, bounds: tuple[int, int]) -> int:
    """Return a whole-number organisation setting (stored as JSON: a number or text) within ``bounds``.

    A missing, non-numeric, boolean or out-of-range value reads as ``default``:
    a setting written by hand or by an older version never stops a job.
    """
    if isinstance(setting, bool) or not isinstance(setting, int | str):
        return default
    try:
        value = int(setting)
    except ValueError:
        return default
    low, high = bounds
    return value if low <= value <= high else default


NUL = "holds a NUL character (0x00), which is not text"


def nul_line(text: str) -> int | None:
    """Return the line (from 1) of the first NUL character in ``text``, or None.

    NUL is not text: PostgreSQL refuses it in every text column, so imports
    and forms refuse it before the database sees it.
    """
    at = text.find("\x00")
    return None if at < 0 else text.count("\n", 0, at) + 1


def check_length(text: str, limit: int) -> str:
    """Return ``text`` if it fits a column of ``limit`` characters.

    :raises ValueError: saying how long it may be.
    """
    if len(text) > limit:
        raise ValueError(f"must be at most {limit} characters, got {len(text)}")
    return text


def shown(text: object) -> str:
    """Return the offending text for a message, cut short when long."""
    text = repr(text) if isinstance(text, str) else repr(str(text))
    return text if len(text) <= 40 else text[:37] + "…'"
