"""Organisation scoping: every organisation-owned query goes through here.

``scoped(Model, org)`` is a SELECT already filtered to one organisation, and
``get_scoped_or_404`` turns another organisation's id into a 404, so a
coordinator can never reach a record by guessing its number.
"""
from __future__ import annotations

from typing import Any, ClassVar, Protocol, TypeVar

from flask import abort, g, session
from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute

from volunteers.core.models import Organisation
from volunteers.extensions import db


class OrganisationOwned(Protocol):
    """A model class with the column naming the organisation that owns each row.

    Written as the class-level attribute the ORM maps (``Shift.organisation_id``),
    so every organisation-owned model fits without inheriting anything.
    """

    organisation_id: ClassVar[InstrumentedAttribute[int]]


class OrganisationRecord(OrganisationOwned, Protocol):
    """An organisation-owned model class with its own integer id (not, say, a composite key)."""

    id: ClassVar[InstrumentedAttribute[int]]


OwnedT = TypeVar("OwnedT", bound=OrganisationOwned)
RecordT = TypeVar("RecordT", bound=OrganisationRecord)


def scoped(model: type[OwnedT], org: Organisation | int, *columns: Any) -> Select:
    """Return ``SELECT model`` (or the given columns) limited to one organisation."""
    org_id = org if isinstance(org, int) else org.id
    stmt = select(*columns) if columns else select(model)
    return stmt.where(model.organisation_id == org_id)


def get_scoped(model: type[RecordT], org: Organisation | int, record_id: int) -> RecordT | None:
    """Return the record with this id if it belongs to the organisation, else None."""
    return db.session.scalar(scoped(model, org).where(model.id == record_id))


def get_scoped_or_404(model: type[RecordT], org: Organisation | int, record_id: int) -> RecordT:
    """Return the record or abort 404 — also when it exists in another organisation."""
    record = get_scoped(model, org, record_id)
    if record is None:
        abort(404)
    return record


def current_org() -> Organisation:
    """Return the organisation of the signed-in member's current membership."""
    membership = getattr(g, "membership", None)
    if membership is None:
        abort(403)
    return membership.organisation


def remember_org(org_id: int) -> None:
    """Make an organisation the current one for this browser session."""
    session["org_id"] = org_id
