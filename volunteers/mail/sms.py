"""Text messages leave through one backend, chosen by ``SMS_BACKEND``.

``console`` prints the text (development; the default, so nothing is sent
by accident), ``none`` keeps texts in the outbox unsent (tests that only look
at what was queued). A provider answer that can never succeed (a number it
refuses) is a :class:`SmsError` with ``permanent=True``: the sender stops
retrying; anything else is retried with back-off.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The text was not accepted; ``permanent`` when trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def send_text(to: str, body: str, config: Mapping[str, Any], reference: str) -> str | None:
    """Hand one text to the configured backend; return the provider's id for it (None for console)."""
    backend = config.get("SMS_BACKEND", "console")
    if backend == "console":
        print(f"--- text to {to} ({reference}):\n{body}")
        return None
    raise SmsError(f"SMS_BACKEND {backend!r} is not one this app knows (console)", permanent=True)
