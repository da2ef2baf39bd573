"""Rounding, breakdowns and comparisons for report figures.

Hours and money are Decimals throughout and rounded to 2 places only when a
figure is written out. Breakdowns are rounded with the largest-remainder
method so that the parts printed in a report add up exactly to the total
printed beside them — trustees add columns up, and a 0.01 gap reads as an
error.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

__all__ = ["CENT", "q2", "ratio", "apportion", "change"]

CENT = Decimal("0.01")


def q2(x: Decimal) -> Decimal:
    """Round to 2 places, halves away from zero (as people round by hand)."""
    return Decimal(x).quantize(CENT, ROUND_HALF_UP)


def ratio(numerator: Decimal | int, denominator: Decimal | int, places: int = 4) -> Decimal | None:
    """Return numerator ÷ denominator rounded to ``places``, or None when there is no base."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1).scaleb(-places),
                                                                ROUND_HALF_UP)


def apportion(parts: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Round each part to 2 places so the rounded parts sum exactly to the rounded total.

    Every part is first rounded down to the cent; the cents still missing from
    ``q2(sum(parts))`` go one each to the parts with the largest remainders
    (ties broken by name, so the result is deterministic). No part moves by
    a full cent or more from its exact value.
    """
    exact_total = sum(parts.values(), Decimal(0))
    floors = {k: Decimal(v).quantize(CENT, ROUND_FLOOR) for k, v in parts.items()}
    missing = int((q2(exact_total) - sum(floors.values(), Decimal(0))) / CENT)
    if missing:  # never negative; none missing (parts in whole cents) needs no ranking
        by_remainder = sorted(parts, key=lambda k: (-(Decimal(parts[k]) - floors[k]), k))
        for k in by_remainder[:missing]:
            floors[k] += CENT
    return {k: floors[k] for k in sorted(floors)}


def _as_decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, (float, str)):
        return Decimal(str(value))
    return None


def change(current: Decimal | int, base: object) -> dict[str, Decimal | None]:
    """Return ``{"base", "change", "percent"}`` comparing ``current`` with ``base``.

    ``base`` may come from a frozen report's JSON (a float or a string). With
    no base, all three are None; with a zero base the percentage is None.
    Percentages are rounded to 1 place.
    """
    b = _as_decimal(base)
    if b is None:
        return {"base": None, "change": None, "percent": None}
    diff = Decimal(current) - b
    percent = None if b == 0 else (diff * 100 / b).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return {"base": b, "change": diff, "percent": percent}
