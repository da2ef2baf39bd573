"""When a held text may go again: the quiet hours a text was queued under ride along in its outbox row (pure).

Whoever queues a text decides whether it respects the person's quiet hours
(``selfservice.domain.channels`` holds that rule, above this package): a held
text carries a :class:`Hold` — the organisation's zone, the quiet hours'
wall-clock start and end, and optionally the instant from which the hold no
longer applies (a cover request once its shift is within 12 hours). The
sender holds a retry after back-off by the same hold as the first try, so a
failed 20:55 text does not go again at 23:00. ``start == end``: no quiet
hours. Wall-clock times follow the clock changes (08:00 local is 07:00 or
08:00 UTC).
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Hold:
    """Quiet hours from ``start`` to ``end`` (local, past midnight when end <= start) in ``zone``."""

    zone: str
    start: time
    end: time
    #: from this instant on the text is not held at all (None: always held)
    lifted_at: datetime | None = None
    #: from this instant on the text is of no use (its shift has started): not sent, ``void_reason`` kept
    void_at: datetime | None = None
    void_reason: str = ""

    def to_stored(self) -> dict[str, Any]:
        return {"zone": self.zone, "start": self.start.strftime("%H:%M"), "end": self.end.strftime("%H:%M"),
                "lifted_at": self.lifted_at.isoformat() if self.lifted_at is not None else None,
                "void_at": self.void_at.isoformat() if self.void_at is not None else None,
                "void_reason": self.void_reason}

    def void(self, when: datetime) -> bool:
        """Whether a text sent at ``when`` would come too late to be of use."""
        return self.void_at is not None and when >= self.void_at

    @classmethod
    def from_stored(cls, stored: Any) -> Hold | None:
        """The hold kept in ``OutboxMessage.quiet_hours``; None when there is none (or it cannot be read)."""
        if not isinstance(stored, dict):
            return None
        with contextlib.suppress(KeyError, TypeError, ValueError):
            lifted, void = stored.get("lifted_at"), stored.get("void_at")
            ZoneInfo(stored["zone"])
            return cls(stored["zone"], time.fromisoformat(stored["start"]), time.fromisoformat(stored["end"]),
                       datetime.fromisoformat(lifted) if lifted else None,
                       datetime.fromisoformat(void) if void else None, str(stored.get("void_reason") or ""))
        return None


def quiet_at(start: time, end: time, local: time) -> bool:
    """Whether the local wall-clock time ``local`` lies in quiet hours from ``start`` to ``end``.

    Past midnight when ``end <= start``; ``start == end``: no quiet hours.
    The one copy of the rule: ``selfservice.domain.channels`` asks it too.
    """
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def held_until(when: datetime, hold: Hold | None) -> datetime:
    """``when``, or the end of the quiet hours ``when`` falls in (the first instant the local clock shows it)."""
    if when.tzinfo is None:
        raise ValueError("when must be an aware datetime")
    if hold is None or (hold.lifted_at is not None and when >= hold.lifted_at):
        return when
    zone = ZoneInfo(hold.zone)
    local = when.astimezone(zone)
    if not quiet_at(hold.start, hold.end, local.time().replace(tzinfo=None)):
        return when
    day = local.date()
    for _ in range(3):
        candidate = datetime.combine(day, hold.end).replace(tzinfo=zone, fold=0).astimezone(UTC)
        if candidate > when:
            return candidate if hold.lifted_at is None else min(candidate, hold.lifted_at)
        day += timedelta(days=1)
    raise AssertionError("unreachable: a wall-clock time recurs within two days")
