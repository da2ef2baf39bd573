"""The monthly report's "load and fairness" section: the month's load warnings and who carried its hours.

The counts come from :func:`volunteers.wellbeing.history.month_load`,
the very function behind /warnings/history, so the report and the history
page of a month always agree. Warnings count by their episodes, not by
when a scan wrote them: a report of November sees November's load even if
every warning row was written in December. Hours per person are worked
places (not the ledger), as the load rules see them; the key drivers and
bus factor are DESIGN's definitions over the month's hours instead of 90 days.
The block is added beside the report's existing keys (``load_and_fairness``);
``load_warnings`` stays as it was.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from volunteers.core.models import Organisation
from volunteers.core.timeutil import Month, zone
from volunteers.wellbeing.history import month_load

KEY = "load_and_fairness"


def load_and_fairness(org: Organisation, month: Month, as_of: datetime) -> dict[str, Any]:
    """Return the month's block: warnings raised, worsened, resolved and open at its end (in total and by
    rule), the key drivers (name, role, hours, share), the bus factor per role, and the spread of hours."""
    lo, hi = month.bounds(zone(org.timezone))
    return month_load(org, lo, hi, as_of).as_json()
