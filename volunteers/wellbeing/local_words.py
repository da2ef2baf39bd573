"""One page's words for instants in one time zone, each distinct instant converted once.

Why: /warnings names the same instants many times (a person's warnings under
several rules, and their episodes, list many of the same shifts) and wrote
each through ``timeutil.format_span`` or ``strftime``: converting the zone and
formatting again each time was a tenth of the page. Here an instant (an aware
``datetime`` or the ISO text of one, as the evidence keeps it) is converted
once and its parts kept; the words are exactly those of
:func:`~volunteers.core.timeutil.format_span`, :func:`~.queries.window_text`
and ``core.templating.local_dt`` (whose ``%a``/``%b`` are the C locale's
English names, as ``format_day`` spells them).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, NamedTuple

from volunteers.core.timeutil import format_day

#: "HH:MM" of every minute of a day, by hour * 60 + minute
_HH_MM = tuple(f"{h:02d}:{m:02d}" for h in range(24) for m in range(60))
_MIDNIGHT = time(0)
#: each zone's words of instants and shift lines, kept between pages: a pure function of zone and instant (the
#: same shifts are on every view of /warnings); a zone's entries are dropped together when they grow past this
#: (past shifts never come back, so they only grow: ~0.4 KB an entry, ~1.2 MB a zone at most, review)
KEEP_AT_MOST = 3_000
#: zones kept at once (an organisation has one; a node serving many zones starts again past this)
ZONES_AT_MOST = 4
_KEPT: dict[object, tuple[dict[datetime | str, Local], dict[Any, Any]]] = {}


class Local(NamedTuple):
    """An instant as given (parsed) and as the zone's clock shows it: local datetime, date, day words, "HH:MM"."""

    given: datetime
    at: datetime
    day: date
    day_words: str
    clock: str


class LocalWords:
    """Words for instants in ``tz``: ``span``, ``window``, ``stamp`` and ``day`` of an instant or its ISO text.

    ``lines`` is a place for the callers' own results that are a function of the zone and their key
    (``queries.warning_view``'s shift lines), kept between pages as the instants' parts are.
    """

    __slots__ = ("tz", "_seen", "lines")

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        zone_key = getattr(tz, "key", None) or tz  # ZoneInfo objects of one name may be made again
        kept = _KEPT.get(zone_key)
        if kept is None or len(kept[0]) + len(kept[1]) > KEEP_AT_MOST:
            if kept is None and len(_KEPT) >= ZONES_AT_MOST:
                _KEPT.clear()
            kept = _KEPT[zone_key] = ({}, {})
        self._seen, self.lines = kept

    def local(self, instant: datetime | str) -> Local:
        """Return the instant's local parts (ISO text is parsed); naive instants are refused as ``to_local`` does."""
        found = self._seen.get(instant)
        if found is None:
            value = datetime.fromisoformat(instant) if isinstance(instant, str) else instant
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"expected an aware datetime, got naive {value.isoformat()}")
            at = value.astimezone(self.tz)
            day = at.date()
            found = self._seen[instant] = Local(value, at, day, format_day(day), _HH_MM[at.hour * 60 + at.minute])
        return found

    def span(self, start: datetime | str, end: datetime | str) -> str:
        """``timeutil.format_span(start, end, tz)``: "Tue 3 Nov, 09:00–12:00", "… (next day)" or both days."""
        first, last = self.local(start), self.local(end)
        head = f"{first.day_words}, {first.clock}"
        days = (last.day - first.day).days
        if days == 0:
            return f"{head}–{last.clock}"
        if days == 1:
            return f"{head}–{last.clock} (next day)"
        return f"{head} – {last.day_words}, {last.clock}"

    def window(self, start: datetime, end: datetime) -> str:
        """``queries.window_text(start, end, tz)``: whole local days inclusive, else :meth:`span`."""
        first, last = self.local(start), self.local(end)
        if first.at.time() == last.at.time() == _MIDNIGHT and last.at > first.at:
            final = (last.at - timedelta(days=1)).date()
            if final == first.day:
                return f"{first.day_words} {first.at.year}"
            return f"{first.day_words} – {format_day(final)} {final.year}"
        return self.span(start, end)

    def stamp(self, instant: datetime) -> str:
        """``local_dt(instant)``: "Mon 30 Nov 2026, 12:00"."""
        at = self.local(instant)
        return f"{at.day_words} {at.at.year}, {at.clock}"

    def day(self, instant: datetime) -> str:
        """``local_dt(instant, "%a %-d %b")``: "Mon 30 Nov"."""
        return self.local(instant).day_words
