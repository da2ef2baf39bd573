"""Keep people's text inert in spreadsheet exports (CSV and XLSX).

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or
a tab or carriage return, which some programs skip first) as a formula: a
volunteer named ``=HYPERLINK("http://evil.example","x")`` would become a live
link in the treasurer's workbook. DESIGN.md: such a text cell is written
with a leading ``'``; numbers stay numbers, so ``-2.5`` hours is still -2.5.

The quoting is reversible, so a re-importable export (the shifts CSV)
reads back to the same names: text that already starts with quotes before a
formula character (``'=x``) gets one more, and :func:`unquote_cell` takes
exactly one off. Any other text, a leading ``'`` included, is left alone.

Pure and standard-library only: domain modules may use it.
"""
from __future__ import annotations

from typing import TypeVar

__all__ = ["FORMULA_STARTS", "safe_cell", "unquote_cell"]

#: What a spreadsheet may take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def _looks_like_formula(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS)


def safe_cell(value: T) -> T | str:
    """Return ``value`` fit for a spreadsheet cell: formula-like text gets a leading ``'``.

    Anything that is not a ``str`` (numbers, dates, ``None``) is returned as
    it is — only text is ever prefixed.
    """
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def unquote_cell(text: str) -> str:
    """Undo :func:`safe_cell` on text read back from an export: ``unquote_cell(safe_cell(s)) == s``."""
    if text.startswith("'") and _looks_like_formula(text[1:]):
        return text[1:]
    return text
