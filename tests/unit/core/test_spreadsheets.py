"""safe_cell: text a person typed never reaches a spreadsheet as a live formula; numbers stay numbers."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from volunteers.core.spreadsheets import FORMULA_STARTS, safe_cell, unquote_cell

# text that often starts with formula characters and quotes, as well as any text at all
risky = st.one_of(
    st.text(),
    st.builds(lambda start, rest: start + rest, st.text(alphabet="'=+-@\t\r", max_size=4), st.text()),
)


@pytest.mark.parametrize(("typed", "written"), [
    ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("+1", "'+1"),
    ("-x", "'-x"),
    ("\tTab", "'\tTab"),
    ("\rReturn", "'\rReturn"),
    ("'=already quoted", "''=already quoted"),
    ("Ann Archer", "Ann Archer"),
    ("O'Brien", "O'Brien"),
    ("'Allo 'Allo", "'Allo 'Allo"),
    ("a=b", "a=b"),
    ("", ""),
])
def test_formula_like_text_gets_one_leading_quote(typed: str, written: str) -> None:
    assert safe_cell(typed) == written
    assert unquote_cell(written) == typed


@pytest.mark.parametrize("value", [-2.5, 0, -3, 13.5, Decimal("-2.50"), None, True, date(2026, 10, 1)])
def test_numbers_and_other_values_pass_through(value: object) -> None:
    assert safe_cell(value) is value


@given(risky)
@example("=1+1")
@example("'")
@example("''-")
def test_the_output_never_starts_a_formula_and_unquotes_to_the_input(text: str) -> None:
    written = safe_cell(text)
    assert not written.startswith(FORMULA_STARTS)
    assert unquote_cell(written) == text
    assert written == text or written == "'" + text  # only ever one added quote, at the front


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.decimals(allow_nan=False)))
def test_any_number_is_returned_unchanged(number: object) -> None:
    assert safe_cell(number) is number
