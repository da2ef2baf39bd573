"""The bank holiday table (tools/bank_holiday_table.py) gives the installed ``holidays`` package's answer for every
nation and year it holds, and answering from it imports no ``holidays`` (about 3.7 MB of a web worker)."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from tests import child
from volunteers.rota.domain import bank_holiday_table as table
from volunteers.rota.domain.bank_holidays import NATIONS, _year, bank_holidays, package_year

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("nation", sorted(NATIONS))
def test_the_table_is_the_package_s_answer_for_every_year_it_holds(nation: str) -> None:
    differ = [year for year in range(table.FIRST_YEAR, table.LAST_YEAR + 1)
              if _year(nation, year) != package_year(nation, year)]
    assert not differ, f"{nation} {differ}: the holidays package changed; run tools/bank_holiday_table.py"


def test_years_outside_the_table_still_ask_the_package() -> None:
    for year in (table.FIRST_YEAR - 1, table.LAST_YEAR + 1):
        expected = dict(package_year("SCT", year))
        assert bank_holidays("SCT", date(year, 1, 1), date(year, 12, 31)) == expected and expected


def test_a_year_in_the_table_imports_no_holidays_package() -> None:
    probe = ("import json, sys; from datetime import date; "
             "from volunteers.rota.domain.bank_holidays import bank_holidays; "
             "days = bank_holidays('NIR', date(2026, 12, 1), date(2027, 3, 31)); "
             "print(json.dumps([len(days), sorted(m for m in sys.modules if m.split('.')[0] == 'holidays')]))")
    done = child.run([sys.executable, "-c", probe], cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [7, []]  # Christmas to Easter Monday, the 28th for Boxing Day
