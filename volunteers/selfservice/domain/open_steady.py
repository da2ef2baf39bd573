"""Until when /me/shifts/open stays the same page while its organisation's data does (issue 13).

The page is served at the organisation's change mark (``core.change_marks``):
while no row changes, the page made at the mark is served again without its
statements, but only for as long as the clock alone would not change it. The
clock reaches the page in these ways, each an instant after which the page may
differ:

* the shifts listed are those published by now that start after now and before
  now + the window (six weeks): the next **publication**, the next **start**
  (that shift leaves) and the next start past the window's end, less the window
  (that shift comes in);
* the volunteer as a candidate is read with their duties overlapping
  [now − margin, now + window + margin) and the leave touching the local dates
  of those two ends: each duty read stops counting at its end + margin, the next
  start past the far end comes in (less window + margin), and either end's
  local date moves at a local midnight;
* the weekday filter lists the local dates from now's to now + window's: each
  moves at a local midnight.

Anything else on the page (whether a shift is open, the qualifications held,
availability, leave, places held by offers, waiting-list places) is data: a
change to it changes the mark. The answer may come earlier than needed (only a
page made again), never later.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta, tzinfo

_NO_TIME = timedelta(0)


def next_local_midnight(instant: datetime, tz: tzinfo) -> datetime:
    """The first instant (UTC) after ``instant`` at which the local date in ``tz`` is a new one.

    Where a zone's clocks spring forward at midnight, midnight's wall time does
    not exist; ``zoneinfo`` reads it with the offset before the change, which is
    the instant of the change itself: the new date's first instant.
    """
    local = instant.astimezone(tz)
    return datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)


def steady_until(now: datetime, tz: tzinfo, window: timedelta, margin: timedelta,
                 crossings: Iterable[datetime | None]) -> datetime:
    """The instant from which the page made at ``now`` may differ with no row changed.

    ``crossings`` are the instants the rows give (None: none): the next
    publication and start, a start past an end already less what it is past,
    each duty's end plus the margin. To them come the local midnights of now,
    now − margin, now + window and now + window + margin, each less its offset.
    """
    found = [instant for instant in crossings if instant is not None]
    for offset in (_NO_TIME, -margin, window, window + margin):
        found.append(next_local_midnight(now + offset, tz) - offset)
    return min(found)
