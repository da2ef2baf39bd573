"""The one error every SMS backend raises, so the sender can tell a retry from a give-up."""
from __future__ import annotations


class SmsError(Exception):
    """The text was not accepted; ``permanent`` when trying again cannot help (e.g. an invalid number)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
