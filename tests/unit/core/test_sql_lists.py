"""IN lists written into a statement when it is built (core.sql_lists), not expanded per execution."""
from __future__ import annotations

import pytest
from sqlalchemy import column, select
from sqlalchemy.dialects import sqlite

from volunteers.core.sql_lists import any_of, bound, one_of, separator


def _sql(clause: object) -> str:
    return str(select(column("x")).where(clause).compile(dialect=sqlite.dialect()))  # type: ignore[arg-type]


def test_the_codes_own_words_are_written_in_and_nothing_is_left_to_expand() -> None:
    sql = _sql(one_of(column("status"), ("open", "taken")))
    assert "status IN ('open', 'taken')" in sql and "POSTCOMPILE" not in sql


def test_anything_but_a_plain_word_is_refused() -> None:
    for words in (("o'brien",), ("open; drop table x",), ()):
        with pytest.raises(ValueError):
            one_of(column("status"), words)


def test_a_list_of_n_is_n_plain_parameters_and_none_is_false() -> None:
    sql = _sql(any_of(column("org"), "orgs", 2))
    assert "org IN (?, ?)" in sql and "POSTCOMPILE" not in sql
    assert bound("orgs", [7, 9]) == {"orgs_0": 7, "orgs_1": 9}
    assert "0 = 1" in _sql(any_of(column("org"), "orgs", 0)) or "false" in _sql(any_of(column("org"), "orgs", 0))


def test_an_aggregates_separator_is_written_in_and_only_a_control_character_is() -> None:
    from sqlalchemy import func

    sql = _sql(func.aggregate_strings(column("id"), separator("\x1f")) == "")
    assert "'\x1f'" in sql and "POSTCOMPILE" not in sql
    for text in ("'", ",", "\x1f\x1e", "\0"):
        with pytest.raises(ValueError):
            separator(text)
