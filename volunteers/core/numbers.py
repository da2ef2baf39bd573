"""How numbers are written for people: hours, money, percentages and counts — the one place.

Pure functions (no Flask, no clock), used by the Jinja filters
(``core.templating``), the report pages and e-mails (``reports.formatting``)
and the charts. Machine-readable outputs (CSV, JSON, the API) never go through
here: they keep plain numbers, and the XLSX export keeps numbers too, with the
spreadsheet number formats below (:data:`XLSX_FORMATS`) doing the same job.

The house style:

* **hours** — at most two decimals, trailing zeros dropped, thousands
  separated: ``3 h``, ``3.5 h``, ``0.25 h``, ``1,234.5 h`` (never ``3.00``).
  Shifts are planned in quarter hours, so two places are always enough.
* **money** — the currency's symbol, thousands separated, always two places
  (pence are meaningful): ``£1,234.56``, ``−£5.00`` for a negative amount.
* **percentages** — a ratio (0.8765) as a whole percent: ``88%``; a small
  non-zero share that would round to 0 is ``<1%`` (never a misleading 0%).
* **counts** — whole numbers, thousands separated: ``1,234``.

A negative number carries a real minus sign (U+2212), as print does. Numbers
go through ``Decimal(str(x))``: a figure read back from JSON is a float holding
a 2-place value, and ``str`` gives it back exactly; rounding is half-up.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

MINUS = "\N{MINUS SIGN}"
#: currency code → symbol; other codes are written before the amount ("CHF 12.00")
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}

_CENT = Decimal("0.01")


def to_decimal(value: Any) -> Decimal | None:
    """Return ``value`` as a Decimal, or None for None, blanks, text that is no number, NaN and infinities."""
    if value is None or isinstance(value, bool):
        return None
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _sign(d: Decimal) -> str:
    return MINUS if d < 0 else ""


def number(value: Any, places: int = 2, empty: str = "") -> str:
    """Return ``value`` rounded to at most ``places`` decimals, trailing zeros dropped: ``1,234.5``."""
    d = to_decimal(value)
    if d is None:
        return empty
    rounded = d.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{abs(rounded):,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{_sign(rounded) if text != '0' else ''}{text}"


def hours(value: Any, unit: bool = True, empty: str = "") -> str:
    """Return hours the way people say them: ``3 h``, ``3.5 h``, ``0.25 h`` (``unit=False``: ``3.5``)."""
    text = number(value, 2, empty="")
    if not text:
        return empty
    return f"{text} h" if unit else text


def money(value: Any, currency: str = "GBP", empty: str = "") -> str:
    """Return ``£1,234.56`` (``−£5.00`` for a negative adjustment; ``CHF 3.00`` for a code with no symbol here)."""
    d = to_decimal(value)
    if d is None:
        return empty
    amount = d.quantize(_CENT, ROUND_HALF_UP)
    symbol = SYMBOLS.get((currency or "GBP").upper(), f"{currency} ")
    return f"{_sign(amount)}{symbol}{abs(amount):,.2f}"


def percent(ratio: Any, empty: str = "") -> str:
    """Return a ratio (0.8765) as a whole percent, ``88%``; ``<1%`` for a small share that is not zero."""
    d = to_decimal(ratio)
    if d is None:
        return empty
    whole = (d * 100).quantize(Decimal(1), ROUND_HALF_UP)
    if whole == 0 and d > 0:
        return "<1%"
    return f"{_sign(whole) if whole else ''}{abs(whole):,}%"


def count(value: Any, empty: str = "") -> str:
    """Return a whole number with thousands separated: ``1,234``."""
    d = to_decimal(value)
    if d is None:
        return empty
    whole = d.quantize(Decimal(1), ROUND_HALF_UP)
    return f"{_sign(whole)}{abs(whole):,}"


def currency_format(currency: str = "GBP") -> str:
    """Return the spreadsheet number format for money in ``currency``: ``£#,##0.00``."""
    symbol = SYMBOLS.get((currency or "GBP").upper(), f"{currency} ")
    return f'"{symbol}"#,##0.00' if symbol != "£" else "£#,##0.00"


#: spreadsheet number formats, by the kind of figure: the XLSX twin of the functions above
XLSX_FORMATS = {"hours": "#,##0.0#", "count": "#,##0", "percent": "0%", "ratio": "0.00"}
