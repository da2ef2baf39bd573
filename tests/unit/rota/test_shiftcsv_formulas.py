"""The shifts CSV quotes typed names that look like formulas, and its import takes the quote off again."""
from __future__ import annotations

import csv
import io
from datetime import date, time
from decimal import Decimal

from hypothesis import assume, example, given
from hypothesis import strategies as st

from volunteers.core.spreadsheets import FORMULA_STARTS, safe_cell
from volunteers.rota.domain.shiftcsv import ShiftRow, parse_shifts_csv, write_shifts_csv

names = st.builds(lambda start, rest: start + rest, st.text(alphabet="'=+-@", max_size=3),
                  st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30))


def _row(role: str, site: str, emails: tuple[str, ...] = ()) -> ShiftRow:
    return ShiftRow(0, date(2030, 6, 4), time(9), time(13), role, site, 2, emails)


def test_formula_like_cells_are_quoted_and_numbers_are_not() -> None:
    text = write_shifts_csv([(_row('=HYPERLINK("http://evil.example","x")', "@SUM(1+1)", ("-a@example.org",)),
                              Decimal("4"))])
    assert text.splitlines()[1] == ('2030-06-04,09:00,13:00,"\'=HYPERLINK(""http://evil.example"",""x"")",'
                                    "'@SUM(1+1),2,'-a@example.org,planned,4.00")


@given(names, names)
@example("=1+1", "-x")
@example("'=already quoted", "'Allo 'Allo")
@example("\tTab", "+1")
def test_an_exported_row_imports_back_to_the_same_names(role: str, site: str) -> None:
    assume(all(safe_cell(n) == safe_cell(n).strip() for n in (role, site)))  # the import strips spaces
    row = _row(role, site, ("=b@example.org", "c@example.org"))
    text = write_shifts_csv([(row, Decimal("4"))])
    for record in list(csv.reader(io.StringIO(text)))[1:]:
        for cell in record:
            assert not cell.startswith(FORMULA_STARTS)
    (back,) = parse_shifts_csv(text)
    assert (back.role, back.site, back.volunteer_emails) == (role, site, row.volunteer_emails)
