"""Plain input rows for report arithmetic: ledger entries, shift places, people.

The service layer turns ORM rows into these frozen values; the arithmetic in
:mod:`volunteers.reports.domain.monthly` never sees the database, so the
same figures can be recomputed (and a frozen report reproduced) from rows
alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

__all__ = ["VOLUNTEER_TYPES", "Entry", "Group", "PlaceRow", "Person"]

#: Contributor types counted as volunteers (active_volunteers, by_volunteer,
#: median, Gini, new/lapsed). Service users, community groups and
#: professionals are counted in ``by_contributor_type`` but are not volunteers.
VOLUNTEER_TYPES = frozenset({"volunteer"})

_MONTH_KEY = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _aware(name: str, value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")


@dataclass(frozen=True)
class Entry:
    """One ledger entry as the report sees it.

    ``hours`` may be negative (a reversing entry). ``value`` is the money
    value: face value for money, stated value for in-kind, and hours × rate
    for time and expertise (see :mod:`valuation`). ``month_key`` is the
    organisation-local month the entry counts in (for a shift, the month it
    starts in). ``approved_at`` is when the entry joined the approved ledger
    — its approval time, or its recording time if it was approved on entry;
    reports use it to freeze a month and to find later adjustments. None means
    "always known" and never counts as an adjustment.
    """

    contributor_key: str
    contributor_name: str
    email: str | None
    kind: str
    stage: str
    contributor_type: str
    role: str | None
    site: str | None
    hours: Decimal
    value: Decimal
    occurred_at: datetime
    month_key: str
    status: str = "approved"
    approved_at: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("hours", "value"):
            if not isinstance(getattr(self, name), Decimal):
                raise ValueError(f"Entry.{name} must be a Decimal, got {getattr(self, name)!r}")
        _aware("occurred_at", self.occurred_at)
        _aware("approved_at", self.approved_at)
        if not _MONTH_KEY.match(self.month_key):
            raise ValueError(f"Entry.month_key must be YYYY-MM, got {self.month_key!r}")


#: Counted entries of the month as the arithmetic adds them up: ``(contributor_key,
#: contributor_name, email, kind, stage, contributor_type, role, site, hours, value,
#: occurred_at)``, the fields of :class:`Entry` in its order, one tuple for one entry or for
#: the database's sum of many alike. Plain tuples, unchecked: a month holds thousands, and an
#: object for each costs more than the arithmetic; :class:`Entry` checks them where they are
#: made by hand.
Group = tuple[Any, ...]


@dataclass(frozen=True)
class PlaceRow:
    """One shift's places: how many it needed, how many people were on it, who did not come.

    ``filled`` counts people on the shift whether or not they attended
    (DESIGN.md's ``places_filled``); ``no_shows`` is how many of them did not.
    """

    shift_id: int | str
    starts_at: datetime
    needed: int
    filled: int
    no_shows: int = 0

    def __post_init__(self) -> None:
        _aware("starts_at", self.starts_at)
        if min(self.needed, self.filled, self.no_shows) < 0 or self.no_shows > self.filled:
            raise ValueError(f"inconsistent place counts for shift {self.shift_id!r}")


class Person(NamedTuple):
    """A contributor known by key, for the lapsed-volunteers list (a report may list thousands)."""

    key: str
    name: str
    email: str | None = None
