"""The one error a use case raises when it refuses its input.

Every feature's services raise :class:`ServiceError`; the edges turn it into
the right answer for their people: a form field's message (web), a
``file:line: field`` line (CLI), ``application/problem+json`` (API).
"""
from __future__ import annotations


class ServiceError(ValueError):
    """A use case refused its input; ``field`` names the form field or column."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
