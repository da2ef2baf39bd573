"""The test's one clock: every ``utcnow`` the code under test reads says the same instant.

The app reads the wall clock only through ``volunteers.core.timeutil.utcnow``;
modules that imported that name have their own binding of it. :func:`freeze`
points the function and every such binding at one :class:`Clock`, so a test
that fixes ``now`` never mixes it with the real time — in a page, a command,
or the re-judging of load at each commit.
"""
from __future__ import annotations

import sys
from datetime import UTC, datetime

import pytest

from volunteers.core.timeutil import utcnow as _real_utcnow

#: where tests start unless they say otherwise: a Monday, GMT, no clock change near
DEFAULT_NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


class Clock:
    """A settable instant; calling it answers ``now`` (it stands in for ``utcnow``)."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def freeze(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> Clock:
    """Point ``core.timeutil.utcnow`` and every module's own binding of it at ``clock``."""
    for name, module in list(sys.modules.items()):
        if (name == "volunteers" or name.startswith("volunteers.")) and \
                getattr(module, "utcnow", None) is _real_utcnow:
            monkeypatch.setattr(module, "utcnow", clock)
    return clock
