"""Errors of a spreadsheet import: every problem, each naming its line and field.

Shared by every CSV contract (volunteers, roles, shifts) so a coordinator
always reads the same shape: ``FILE:LINE: field 'needed': must be …``.
Pure: no Flask, no database.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem with one field of one line (line 1 is the header, as a spreadsheet shows it)."""

    line: int
    field: str
    message: str

    def format(self, filename: str) -> str:
        """Return ``"FILE:LINE: field 'needed': must be …"`` (or without a field for whole-line problems)."""
        if not self.field:
            return f"{filename}:{self.line}: {self.message}"
        return f"{filename}:{self.line}: field '{self.field}': {self.message}"


class CsvImportError(ValueError):
    """Every problem found in one file; raised once, so nothing is half-imported.

    ``columns`` orders the problems of one line as the file's columns run.
    """

    def __init__(self, filename: str, errors: Sequence[RowError], columns: Sequence[str] = ()) -> None:
        self.filename = filename
        order = {name: index for index, name in enumerate(columns)}
        self.errors = tuple(sorted(errors, key=lambda e: (e.line, order.get(e.field, -1))))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(e.format(self.filename) for e in self.errors)

    def describe(self) -> str:
        """Return the problems, one per line."""
        return str(self)
