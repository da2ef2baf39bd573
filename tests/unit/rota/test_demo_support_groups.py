"""The demo's Sure Start support groups meet on the first Tuesday of the month and never on a bank holiday."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from volunteers.demo.planner import expand
from volunteers.demo.surestart import surestart
from volunteers.rota.domain.bank_holidays import bank_holidays

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def test_support_groups_meet_on_first_tuesdays_skipping_bank_holidays() -> None:
    today = NOW.date()
    spec = surestart(NOW, today, today - timedelta(days=91), random.Random(1))
    groups = [p for p in spec.patterns if p.key.startswith("group_")]
    assert len(groups) == 4
    assert {p.rrule for p in groups} == {"FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1"}
    assert all(p.skip_bank_holidays for p in groups)
    first, last = date(2026, 1, 1), date(2027, 12, 31)
    met = [s.occurrence.local_date for s in expand(spec, first, last)
           if s.pattern.key.startswith("group_")]
    holidays = bank_holidays("ENG", first, last)
    assert met and all(d.weekday() == 1 and d.day <= 7 for d in met)
    assert not set(met) & set(holidays) and date(2026, 12, 25) not in met
    assert len(met) == 4 * 24  # every month of the two years: no first Tuesday was a bank holiday
