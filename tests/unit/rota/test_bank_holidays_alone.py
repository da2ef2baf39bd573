"""The UK calendar read from the ``holidays`` UK module alone gives the package's own answer for every nation
and year, and does not import the package's other countries (about 8 MB of a web worker)."""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from tests import child
from volunteers.rota.domain.bank_holidays import NATIONS, bank_holidays

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("nation", sorted(NATIONS))
def test_each_nation_s_calendar_is_the_package_s(nation: str) -> None:
    import holidays

    for year in range(2019, 2032):
        expected = dict(holidays.country_holidays("GB", subdiv=nation, years=year).items())
        assert bank_holidays(nation, date(year, 1, 1), date(year, 12, 31)) == expected, (nation, year)


def test_asking_for_a_calendar_imports_no_other_country() -> None:
    probe = ("import json, sys; from datetime import date; "
             "from volunteers.rota.domain.bank_holidays import bank_holidays; "
             "days = bank_holidays('SCT', date(2026, 1, 1), date(2026, 12, 31)); "
             "print(json.dumps([len(days), sorted(m for m in sys.modules if m.startswith('holidays.countries'))]))")
    done = child.run([sys.executable, "-c", probe], cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    count, countries = json.loads(done.stdout)
    assert count >= 9 and countries == []
