"""Write volunteers/rota/domain/bank_holiday_table.py from the ``holidays`` package (run after upgrading it).

    .venv/bin/python tools/bank_holiday_table.py

The rota board and series ask for a few months of the UK's bank holidays;
importing ``holidays`` for them (its package, every calendar system and
holiday group, even with the UK module read alone) costs each web worker
about 3.7 MB. So the package's answers for FIRST_YEAR..LAST_YEAR are written
once into a table; other years still ask the package.
``tests/unit/rota/test_bank_holiday_table.py`` compares the table with the
installed package for every nation and year, so an upgrade that changes a
calendar fails until this is run again.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from volunteers.rota.domain.bank_holidays import NATIONS, package_year  # noqa: E402

TARGET = ROOT / "volunteers" / "rota" / "domain" / "bank_holiday_table.py"
FIRST_YEAR, LAST_YEAR = 1990, 2080
#: the table's digits for a name's index (one character each)
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def render() -> str:
    """Return the table module's source: each year as ``MMDD`` + one character naming the holiday, per entry."""
    calendars = {nation: [package_year(nation, year) for year in range(FIRST_YEAR, LAST_YEAR + 1)]
                 for nation in sorted(NATIONS)}
    names = sorted({name for years in calendars.values() for days in years for _, name in days})
    if len(names) > len(DIGITS):
        raise SystemExit(f"{len(names)} holiday names: more than the table's {len(DIGITS)} digits")
    index = {name: DIGITS[n] for n, name in enumerate(names)}
    lines = ['"""UK bank holidays per nation and year: written by tools/bank_holiday_table.py, do not edit.',
             "",
             "Each year is a string of entries ``MMDD`` + one character, the index of the holiday's name",
             "in NAMES (``DIGITS``); the years run from FIRST_YEAR. Read by ``bank_holidays``.",
             '"""', "", f"FIRST_YEAR, LAST_YEAR = {FIRST_YEAR}, {LAST_YEAR}", f"DIGITS = {DIGITS!r}",
             "NAMES = ("]
    lines += [f"    {name!r}," for name in names]
    lines += [")", "YEARS: dict[str, tuple[str, ...]] = {"]
    for nation, years in calendars.items():
        lines.append(f"    {nation!r}: (")
        encoded = ["".join(f"{day:%m%d}{index[name]}" for day, name in days) for days in years]
        row: list[str] = []
        for text in encoded:
            if row and len("        " + " ".join(row) + f" {text!r},") > 120:
                lines.append("        " + " ".join(row))
                row = []
            row.append(f"{text!r},")
        lines += ["        " + " ".join(row), "    ),"]
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
