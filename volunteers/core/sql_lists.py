"""IN lists written into a statement when it is built, for statements run on every view (issue 13).

SQLAlchemy sends a Python list given to ``in_`` as an *expanding* parameter:
the statement's text is rewritten on every execution to hold as many
placeholders as the list has items. /me/shifts' two statements carried 13
such lists (the probe's organisations and members, the code's own status
lists): rewriting them cost more than SQLite took to run the probe; the
boards' live-status lists were the same. Here

* :func:`one_of` writes a constant list of the code's own words (statuses,
  kinds) into the statement as SQL literals, once;
* :func:`separator` writes an aggregate's separator (a control character)
  into the statement: SQLAlchemy sends ``aggregate_strings``' separator as
  a parameter written in on every execution, as it does an expanding list;
* :func:`any_of` gives ``n`` plain parameters ``name_0 … name_{n-1}`` for a
  list whose length the statement is built for (the caller keeps one
  statement per length, a person has one membership or a few), and
  :func:`bound` their values.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, false, literal_column
from sqlalchemy.sql.elements import ColumnElement

#: the only words written in as literals: the code's own identifiers, never data
_WORD = re.compile(r"[a-z_]+\Z")


def one_of(column: Any, words: Iterable[str]) -> ColumnElement[bool]:
    """``column IN ('a', 'b')`` with the words written into the statement (no parameter to expand)."""
    found = list(words)
    if not found or not all(_WORD.match(word) for word in found):
        raise ValueError(f"only the code's own words are written into a statement: {found!r}")
    result: ColumnElement[bool] = column.in_([literal_column(f"'{word}'") for word in found])
    return result


def any_of(column: Any, name: str, n: int) -> ColumnElement[bool]:
    """``column IN (:name_0, …)``: ``n`` plain parameters, bound by :func:`bound` (none: false)."""
    if n < 1:
        return false()
    result: ColumnElement[bool] = column.in_([bindparam(f"{name}_{i}") for i in range(n)])
    return result


def bound(name: str, values: Sequence[Any]) -> dict[str, Any]:
    """The parameters of ``any_of(column, name, len(values))``."""
    return {f"{name}_{i}": value for i, value in enumerate(values)}


def separator(character: str) -> Any:
    """``aggregate_strings``' separator as an SQL literal in the statement (a control character, never data)."""
    if len(character) != 1 or ord(character) >= 32 or character == "\0":
        raise ValueError("a separator is one control character")
    return literal_column(f"'{character}'")
