"""How long a closed case's record is kept (pure): ``case_retention_months`` after it closed.

Special-category data is kept no longer than the work needs: a closed
record is erased once more than N calendar months have passed since its
``closed_on`` (N the organisation setting, default 12, end-of-month clamped:
closed on 31 Jan with 1 month is erased from 1 Mar, 28 Feb being exactly one
month). A missing or unusable setting means the default, never "keep for ever".
"""
from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from volunteers.core.params import setting_in_range

#: the organisation setting (``Organisation.settings``), in whole months
RETENTION_SETTING = "case_retention_months"
DEFAULT_RETENTION_MONTHS = 12
#: the shortest and longest period the setting may hold
RETENTION_BOUNDS = (1, 120)


def retention_months(setting: object) -> int:
    """The organisation's retention period in months; a missing or unusable setting is the default."""
    return setting_in_range(setting, DEFAULT_RETENTION_MONTHS, RETENTION_BOUNDS)


def latest_closing_due(today: date, months: int) -> date:
    """The last ``closed_on`` whose record is due for erasure on ``today`` (closed on or before it)."""
    # due when today > closed_on + months, i.e. closed_on + months <= today - 1 day
    day = today - relativedelta(days=1)
    candidate = day - relativedelta(months=months)
    # end-of-month clamping: step forward while the next day still reaches no later than ``day``
    while (candidate + relativedelta(days=1)) + relativedelta(months=months) <= day:
        candidate += relativedelta(days=1)
    return candidate


def erasure_due(closed_on: date, today: date, months: int) -> bool:
    """Whether a record closed on ``closed_on`` is due for erasure on ``today``."""
    return today > closed_on + relativedelta(months=months)
