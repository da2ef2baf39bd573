"""One canonical JSON text per set of figures, so an issued report hashes the same forever.

Keys are sorted, separators fixed, non-ASCII kept as UTF-8, Decimals
written as JSON numbers, dates as ISO strings and sets as sorted lists. The
text survives a round trip: ``canonical_json(json.loads(canonical_json(f)))``
equals ``canonical_json(f)``, so a stored report can be re-hashed to prove
it was not altered.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

__all__ = ["canonical_json", "figures_hash"]


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot write {value} in a report")
        # Figures are already rounded (2 places for hours and money), which a
        # float holds exactly enough for JSON's shortest round-trip repr.
        # Zero is written 0.0 whatever its sign, so -0.00 and 0.00 hash alike.
        return float(value) if value else 0.0
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not allowed in report figures")


def canonical_json(figures: Any) -> str:
    """Return the canonical JSON text of ``figures``.

    :raises TypeError: for values JSON cannot hold; ValueError for NaN or infinity.
    """
    return json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False, default=_default)


def figures_hash(figures: Any) -> str:
    """Return the sha256 hex digest of the canonical JSON of ``figures``."""
    return hashlib.sha256(canonical_json(figures).encode("utf-8")).hexdigest()
