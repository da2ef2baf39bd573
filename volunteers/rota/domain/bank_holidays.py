"""UK bank holidays for the organisation's nation, from the ``holidays`` package.

The four nations keep different calendars (Scotland has 2 January and St
Andrew's Day, Northern Ireland St Patrick's Day and the Twelfth, England and
Wales share one), so an organisation names its nation in its settings
(``Organisation.settings["bank_holiday_nation"]``, the ``holidays``
package's UK subdivision code, a key of :data:`NATIONS`; England when unset;
the /settings page writes it). Dates are local calendar dates, as a series' dates are. A
substitute day ("Boxing Day (observed)") is a bank holiday like the day it
stands for.

The package's answers for 1990-2080 are a table (:mod:`.bank_holiday_table`,
written by ``tools/bank_holiday_table.py`` and compared with the package by
the tests): even read alone, its UK module imports the package's every
calendar system and holiday group, about 3.7 MB of each web worker that shows
the board. Other years ask the package. ``holidays`` is imported when first
asked (it takes ~0.1 s to load), and a
year's calendar is cached: the table for a year never changes. Only its UK
calendar is loaded: ``holidays.country_holidays`` imports the package's every
country (280 modules, about 8 MB of a web worker that shows the board), so the
UK module is read from its file by itself, falling back to the whole package
should a version of ``holidays`` move it.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from datetime import date
from functools import cache, lru_cache
from typing import Any

from volunteers.rota.domain import bank_holiday_table as table

#: the settings key naming the organisation's nation
NATION_SETTING = "bank_holiday_nation"
DEFAULT_NATION = "ENG"
#: the ``holidays`` package's GB subdivision code → the nation's name
NATIONS: dict[str, str] = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}


def nation_of(settings: Mapping[str, Any] | None) -> str:
    """Return the nation an organisation's settings name; England for none or an unknown value."""
    value = str((settings or {}).get(NATION_SETTING) or DEFAULT_NATION).strip().upper()
    return value if value in NATIONS else DEFAULT_NATION


@cache
def _united_kingdom() -> Any:
    """The ``holidays`` UK calendar class, loaded from its module alone (not the package's every country)."""
    spec = importlib.util.find_spec("holidays.countries")  # finds the package's folder without running it
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        module_spec = importlib.util.spec_from_file_location("volunteers_holidays_united_kingdom",
                                                             f"{folder}/united_kingdom.py")
        if module_spec is None or module_spec.loader is None:
            continue
        module = importlib.util.module_from_spec(module_spec)
        try:
            module_spec.loader.exec_module(module)
        except (ImportError, OSError):
            break
        return module.UnitedKingdom
    import holidays  # another layout: the whole package

    return lambda subdiv, years: holidays.country_holidays("GB", subdiv=subdiv, years=years)


def package_year(nation: str, year: int) -> tuple[tuple[date, str], ...]:
    """The ``holidays`` package's answer for one nation's year (what :mod:`.bank_holiday_table` holds)."""
    calendar = _united_kingdom()(subdiv=nation, years=year)  # heavy to import: only when a calendar is asked for
    return tuple(sorted(calendar.items()))


@lru_cache(maxsize=64)
def _year(nation: str, year: int) -> tuple[tuple[date, str], ...]:
    if not table.FIRST_YEAR <= year <= table.LAST_YEAR:
        return package_year(nation, year)
    entries = table.YEARS[nation][year - table.FIRST_YEAR]
    return tuple((date(year, int(entries[at:at + 2]), int(entries[at + 2:at + 4])),
                  table.NAMES[table.DIGITS.index(entries[at + 4])]) for at in range(0, len(entries), 5))


def bank_holidays(nation: str, first: date, last: date) -> dict[date, str]:
    """Return ``{date: name}`` for the nation's bank holidays from ``first`` to ``last`` (inclusive).

    :raises ValueError: for a nation not in :data:`NATIONS`.
    """
    if nation not in NATIONS:
        raise ValueError(f"unknown nation {nation!r}; one of {', '.join(NATIONS)}")
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        found.update((day, name) for day, name in _year(nation, year) if first <= day <= last)
    return found
