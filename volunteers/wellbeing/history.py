"""A month of load warnings, counted by when their episodes happened; who carried the month's hours.

/warnings/history and the monthly report's "load and fairness" section
both read :func:`month_load`, so they always agree. A warning counts by
its *episode* (the stretch its schedule crossed the rule), not by when a
scan happened to write the row: the demo, or an organisation that joins
with a quarter of history, has every row written on one day, and the
report of an earlier month must still see that month's load.

For a month ``[lo, hi)`` seen at ``as_of`` (the month's end when it is
over), an episode that had begun by then is:

* **raised** when it began in the month;
* **worsened** when it began earlier and reached its worst window in the month;
* **resolved** when it ended in the month (by ``as_of``);
* **open at the end** when it began before and ends after the month's end (or ``as_of``).

Warnings withdrawn by a later scan — their shifts were removed, or the
metric fell back under the policy now in force — are not load that
happened, and are left out.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.people.models import Membership, Person
from volunteers.wellbeing import RULES, queries
from volunteers.wellbeing.domain.figures import figures_of_hours
from volunteers.wellbeing.models import LoadWarning
from volunteers.wellbeing.schedules import JUDGED_MEMBERSHIPS

#: resolutions that mean the load never happened as warned
WITHDRAWN = ("shifts_removed", "fell_back")
COUNTS = ("raised", "worsened", "resolved", "open_at_end")


@dataclass(frozen=True)
class Episode:
    """One warning's episode as the month saw it."""

    warning_id: int
    membership_id: int
    name: str
    rule: str
    severity: str
    status: str
    start: datetime
    end: datetime
    worst_start: datetime
    worst_end: datetime
    message: str
    counted: tuple[str, ...]


@dataclass
class MonthLoad:
    """The month's warnings by rule and in total, the episodes behind them, and who carried the hours."""

    by_rule: dict[str, dict[str, int]]
    totals: dict[str, int]
    episodes: list[Episode]
    figures: dict[str, Any] = field(default_factory=dict)
    drivers: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Return the report's ``load_and_fairness`` block (plain JSON values)."""
        return {"warnings": dict(self.totals), "by_rule": {r: dict(c) for r, c in self.by_rule.items()},
                "key_drivers": [{k: d[k] for k in ("name", "role", "hours", "share")} for d in self.drivers],
                "bus_factor": dict(self.figures.get("bus_factor", {})), "gini": self.figures.get("gini", 0.0),
                "top20_share": self.figures.get("top20_share", 0.0)}


def _counted(start: datetime, end: datetime, worst: datetime, lo: datetime, hi: datetime) -> tuple[str, ...]:
    """Return which of :data:`COUNTS` an episode counts in; ``hi`` is already cut at ``as_of``."""
    found = []
    if lo <= start < hi:
        found.append("raised")
    elif start < lo and lo <= worst < hi:
        found.append("worsened")
    if lo <= end <= hi:
        found.append("resolved")
    if start < hi < end:
        found.append("open_at_end")
    return tuple(found)


def month_load(org: Organisation, lo: datetime, hi: datetime, as_of: datetime) -> MonthLoad:
    """Return the load warnings of the month ``[lo, hi)`` as seen at ``as_of``, and its hours' figures.

    Three queries: the episodes (with names), the month's worked places, the names of key drivers.
    """
    until = min(hi, as_of)
    rows = db.session.execute(
        select(LoadWarning.id, LoadWarning.membership_id, Person.name, LoadWarning.rule, LoadWarning.severity,
               LoadWarning.status, LoadWarning.episode_start, LoadWarning.episode_end, LoadWarning.window_start,
               LoadWarning.window_end, LoadWarning.message)
        .join(Membership, (Membership.id == LoadWarning.membership_id)
              & (Membership.organisation_id == LoadWarning.organisation_id))
        .join(Person, Person.id == Membership.person_id)
        .where(LoadWarning.organisation_id == org.id, LoadWarning.episode_start < until,
               LoadWarning.episode_end >= lo,
               or_(LoadWarning.resolved_reason.is_(None), LoadWarning.resolved_reason.not_in(WITHDRAWN)))
        .order_by(LoadWarning.episode_start, LoadWarning.id))
    order = {rule: k for k, rule in enumerate(RULES)}
    by_rule: dict[str, Counter[str]] = {}
    episodes = []
    for wid, mid, name, rule, severity, status, start, end, w_start, w_end, message in rows:
        if start is None or end is None:  # rows from before episodes were recorded (the query leaves them out)
            continue
        counted = _counted(start, end, w_start, lo, until)
        if not counted:
            continue
        by_rule.setdefault(rule, Counter()).update(counted)
        episodes.append(Episode(wid, mid, name, rule, severity, status, start, end, w_start, w_end, message,
                                counted))
    totals = Counter[str]()
    for counts in by_rule.values():
        totals.update(counts)
    ranked = sorted(by_rule, key=lambda r: order.get(r, 99))
    figures, drivers = month_figures(org, lo, until)
    return MonthLoad({r: {c: by_rule[r][c] for c in COUNTS} for r in ranked}, {c: totals[c] for c in COUNTS},
                     episodes, figures, drivers)


def month_figures(org: Organisation, lo: datetime, hi: datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the organisation figures (key drivers, bus factor…) of the hours worked in ``[lo, hi)``."""
    by_role = queries.hours_by_role(org, lo, hi, (*JUDGED_MEMBERSHIPS, "left")) if lo < hi else {}
    figures = figures_of_hours(by_role)
    ids = [int(d["volunteer"]) for d in figures["key_drivers"]]
    names = dict(db.session.execute(
        select(Membership.id, Person.name).join(Person, Person.id == Membership.person_id)
        .where(Membership.organisation_id == org.id, Membership.id.in_(ids))).all()) if ids else {}
    drivers = [{**d, "name": names.get(int(d["volunteer"]), "?"), "membership_id": int(d["volunteer"])}
               for d in figures["key_drivers"]]
    return figures, drivers
