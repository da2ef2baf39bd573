"""Compare rows read two ways (``execute`` and SQL compiled once) to the last detail: values, types and zones."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def typed(rows: Iterable[Sequence[Any]]) -> list[tuple[tuple[Any, Any, Any], ...]]:
    """Each value with its type and its zone (aware instants in different zones compare equal, ``1 == True``)."""
    return [tuple((type(value), value, getattr(value, "tzinfo", None)) for value in row) for row in rows]
