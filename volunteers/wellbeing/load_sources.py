"""Load from outside the rota: the named sources a higher package registers, read with each schedule.

A person's load is not only their places. A peer-support counsellor also
logs contacts (time she gave) and carries open cases; those live in
``peersupport``, which sits *above* wellbeing, so wellbeing cannot read them
itself. Instead a higher package registers a **load source** here — a
function that, given an organisation, the members concerned and a window,
returns each member's :class:`ExtraLoad` — and wellbeing reads every
registered source wherever it builds schedules: the scan, the prospective
checks (the candidate list, assigning, sign-up) and the auto-rota's
schedules. ``volunteers.app.register_reactions`` is the one visible list
of who registers what (see ``core.signals`` for the same idea with signals).

A source must run a constant number of queries, whatever the number of
members, and must not write.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from volunteers.core.models import Organisation
from volunteers.wellbeing.domain.model import LoggedTime


@dataclass
class ExtraLoad:
    """One member's load from outside the rota: logged time, and open cases if the source counts them."""

    logged: list[LoggedTime] = field(default_factory=list)
    #: open cases the member supports; None when no source counts cases for them
    open_cases: int | None = None

    def add(self, other: ExtraLoad) -> None:
        """Add another source's load for the same member."""
        self.logged.extend(other.logged)
        if other.open_cases is not None:
            self.open_cases = (self.open_cases or 0) + other.open_cases


#: (organisation, membership ids or None for every member, since, until) → membership id → extra load.
#: Logged time dated (local date) from ``since``'s date to ``until``'s, both included; ``None``: unbounded.
LoadSource = Callable[[Organisation, list[int] | None, datetime | None, datetime | None], Mapping[int, ExtraLoad]]

_SOURCES: dict[str, LoadSource] = {}


def register(name: str, source: LoadSource) -> None:
    """Register ``source`` under ``name`` (registering the same name again replaces it: create_app runs often)."""
    _SOURCES[name] = source


def registered() -> tuple[str, ...]:
    """Return the names of the registered sources, in registration order."""
    return tuple(_SOURCES)


def extra_load(org: Organisation, membership_ids: Iterable[int] | None, since: datetime | None,
               until: datetime | None) -> dict[int, ExtraLoad]:
    """Return membership id → the load every registered source reports for them (absent: none).

    ``membership_ids`` of ``None`` asks for everyone the sources know of.
    """
    ids = None if membership_ids is None else list(membership_ids)
    found: dict[int, ExtraLoad] = {}
    if ids == []:
        return found
    for source in _SOURCES.values():
        for member_id, load in source(org, ids, since, until).items():
            found.setdefault(member_id, ExtraLoad()).add(load)
    return found
