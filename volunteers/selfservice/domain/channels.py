"""Which channel a message goes by, and when a text may be sent (pure; ``now`` passed in).

Each person chooses, per kind of message, e-mail or a text message; a text
needs a confirmed number, so until one is confirmed everything goes by
e-mail. Texts respect quiet hours (default 21:00–08:00 in the organisation's
zone): a text that falls in them waits until they end — except a cover
request for a shift starting within 12 hours, which cannot wait till morning.
Quiet hours are wall-clock times, so they follow the clock changes: the end
of a quiet night is 08:00 local whether that is 07:00 or 08:00 UTC.
"""
from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from volunteers.mail.quiet import Hold, held_until, quiet_at

#: kinds of message a person chooses a channel for, with the words the /me page shows
KINDS: dict[str, str] = {
    "reminders": "Shift reminders",
    "changes": "Changes to my shifts",
    "cover": "Requests to cover a shift",
    "digests": "Digests",
    "announcements": "Announcements",
    "reports": "Reports and statements",
}
CHANNELS: dict[str, str] = {"email": "E-mail", "sms": "Text message"}
#: a cover request for a shift starting sooner than this is texted even in quiet hours
URGENT_COVER = timedelta(hours=12)


@dataclass(frozen=True)
class QuietHours:
    """No texts from ``start`` to ``end`` (local wall-clock; past midnight when end <= start).

    ``start == end`` means no quiet hours at all.
    """

    start: time = time(21, 0)
    end: time = time(8, 0)

    def covers(self, local: time) -> bool:
        """Whether the local wall-clock time ``local`` is inside the quiet hours."""
        return quiet_at(self.start, self.end, local)


@dataclass(frozen=True)
class Preferences:
    """One member's choices: a channel per kind (missing kinds go by e-mail) and quiet hours."""

    channels: Mapping[str, str] = field(default_factory=dict)
    quiet: QuietHours = QuietHours()

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any] | None) -> Preferences:
        """Read the ``messages`` entry of ``Membership.preferences``; unknown values fall back to defaults."""
        stored = stored or {}
        channels = {kind: channel for kind, channel in (stored.get("channels") or {}).items()
                    if kind in KINDS and channel in CHANNELS}
        quiet = QuietHours()
        raw = stored.get("quiet") or {}
        with contextlib.suppress(KeyError, TypeError, ValueError):
            quiet = QuietHours(time.fromisoformat(raw["start"]), time.fromisoformat(raw["end"]))
        return cls(channels, quiet)

    def to_stored(self) -> dict[str, Any]:
        """The JSON kept in ``Membership.preferences['messages']``."""
        return {"channels": {kind: self.channels.get(kind, "email") for kind in KINDS},
                "quiet": {"start": self.quiet.start.strftime("%H:%M"), "end": self.quiet.end.strftime("%H:%M")}}


def channel_for(preferences: Preferences, kind: str, phone_confirmed: bool) -> str:
    """``sms`` if the person chose texts for ``kind`` and has a confirmed number, else ``email``."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of message: {kind!r}")
    chosen = preferences.channels.get(kind, "email")
    return "sms" if chosen == "sms" and phone_confirmed else "email"


def text_send_at(now: datetime, zone_name: str, quiet: QuietHours, kind: str,
                 shift_starts_at: datetime | None = None) -> datetime:
    """When a text of ``kind`` queued at ``now`` may go: ``now``, or the end of the quiet hours.

    A cover request for a shift starting within :data:`URGENT_COVER` of ``now`` goes at once.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if kind == "cover" and shift_starts_at is not None and shift_starts_at - now <= URGENT_COVER:
        return now
    return held_until(now, Hold(zone_name, quiet.start, quiet.end))
