"""The typed values of a load assessment: a person's schedule in, warnings out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from volunteers.wellbeing.domain.duties import ShiftSpan


@dataclass(frozen=True)
class LoggedTime:
    """Time a person gave outside the rota, logged by the day (a peer-support contact).

    It counts like shift time in ``weekly_load`` (daytime, intensity 1.0:
    one weighted hour an hour) and ``over_pledge`` (raw hours), on its local
    date; it is not a duty, so the duty rules (long duties, rest, consecutive
    days and nights) never see it. ``source`` names where it came from
    (``contact``) and ``ref`` the record, for the warning's evidence.
    """

    on: date
    hours: float
    source: str
    ref: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as the warning's evidence shows it."""
        return {"on": self.on.isoformat(), "hours": round(self.hours, 2), "source": self.source, "ref": self.ref}


@dataclass(frozen=True)
class VolunteerSchedule:
    """Everything the load rules need to know about one person.

    ``shifts`` holds worked and planned shifts alike: a shift that starts
    before the assessment's ``as_of`` is worked, the rest are planned.
    ``pledged_hours_per_week`` of ``None`` or 0 means no pledge (``over_pledge``
    stays silent).

    A caller that reads only recent shifts (the nightly scan) says so with
    the last three fields, so that what the rules find does not depend on
    where the reading was cut: ``complete_since`` is the first local date
    from which ``shifts`` holds every shift; ``first_shift_on`` and
    ``first_intense_on`` are the local dates of the person's first shift and
    first intense shift on record when they are earlier than any in
    ``shifts``. Left ``None`` (``load assess``), ``shifts`` is the whole record.
    """

    id: str
    pledged_hours_per_week: float | None
    shifts: tuple[ShiftSpan, ...]
    last_supervised_on: date | None = None
    complete_since: date | None = None
    first_shift_on: date | None = None
    first_intense_on: date | None = None
    logged: tuple[LoggedTime, ...] = ()
    open_cases: int | None = None
    caseload_limit: int | None = None


def _shift_evidence(span: ShiftSpan) -> dict[str, Any]:
    return {"id": span.ref, "start": span.start.isoformat(), "end": span.end.isoformat(),
            "role": span.role, "intensity": span.intensity, "on_call": span.on_call}


@dataclass(frozen=True)
class LoadWarning:
    """One warning: a person, a rule, an episode, reported at its worst.

    ``window_start``/``window_end`` (half-open, local time) bound the worst
    window or event; ``episode_start``/``episode_end`` the whole episode, a
    maximal run of windows or events over the rule's lowest level.
    ``episode_key`` names the episode stably (rule kind and its first local
    date) so that a scan can update the open warning in place.
    ``shift_refs`` are the labels of every shift behind the episode (see
    :attr:`ShiftSpan.label`); ``shifts`` are those of the worst window or
    event, and ``details`` its numbers.
    """

    volunteer: str
    rule: str
    severity: str
    window_start: datetime
    window_end: datetime
    value: float
    threshold: float
    prospective: bool
    message: str
    shift_refs: tuple[str, ...]
    episode_key: str
    episode_start: datetime
    episode_end: datetime
    shifts: tuple[ShiftSpan, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    #: when the last shift behind the episode starts: the warning is prospective until then
    last_start: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the warning in the JSON shape of DESIGN.md's "Load assessment interface"."""
        return {
            "volunteer": self.volunteer,
            "rule": self.rule,
            "severity": self.severity,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "value": round(self.value, 2),
            "threshold": float(self.threshold),
            "prospective": self.prospective,
            "message": self.message,
            "evidence": {
                **self.details,
                "shifts": [_shift_evidence(span) for span in self.shifts],
                "episode": {"key": self.episode_key, "start": self.episode_start.isoformat(),
                            "end": self.episode_end.isoformat(), "shift_refs": list(self.shift_refs)},
            },
        }


@dataclass(frozen=True)
class Focus:
    """Which warnings of a schedule a caller wants, so that the rules may judge only the time around them.

    A prospective check asks only about the warnings that new shifts stand
    behind, and about the earlier warnings those overlap in time: judging a
    whole season of windows for them was most of the shift panel's time.
    :meth:`keeps` is the exact test; the rules, given a focus, may leave out
    any warning it would not keep, and :func:`~.assess.evaluate_volunteer`
    drops the rest, so the answer is always the full answer filtered.
    """

    #: labels of shifts (:attr:`ShiftSpan.label`): a warning with one of them behind it is kept
    refs: frozenset[str] = frozenset()
    #: time spans: a warning whose episode overlaps one of them (half-open, as instants) is kept
    spans: tuple[tuple[datetime, datetime], ...] = ()
    #: rule codes whose every warning is kept (e.g. ``caseload``, which no shift is ever behind)
    whole: frozenset[str] = frozenset()

    def keeps(self, warning: LoadWarning) -> bool:
        """Return whether ``warning`` is one the focus asks about."""
        if warning.rule in self.whole or not self.refs.isdisjoint(warning.shift_refs):
            return True
        return any(warning.episode_start < end and start < warning.episode_end for start, end in self.spans)
