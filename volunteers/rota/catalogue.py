"""Roles, sites and qualifications: create, edit, archive, and the roles CSV import.

Archiving hides a role, site or qualification from new work (forms, the
board's filters) but keeps it on old shifts and in reports, so nothing is
ever deleted. Names are unique per organisation, case-insensitively. Like
every service these flush and never commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people.models import QUALIFICATION_KINDS, Qualification
from volunteers.people.services import qualification_named
from volunteers.rota.domain.rolecsv import RoleRow
from volunteers.rota.models import Role, RoleQualification, Site

M = TypeVar("M", Role, Site, Qualification)


@dataclass(frozen=True)
class RoleSpec:
    """What a coordinator sets on a role."""

    name: str
    intensity: Decimal = Decimal("1.0")
    #: every qualification the role needs (all required); empty: anyone may take it
    required_qualification_ids: tuple[int, ...] = ()
    on_call: bool = False
    priority: int = 1


def _named(model: type[M], org: Organisation, name: str) -> M | None:
    return db.session.scalar(
        scoped(model, org).where(func.lower(model.name) == name.strip().lower())
    )


def _unique_name(model: type[M], org: Organisation, name: str, current: M | None) -> str:
    name = name.strip()
    if not name:
        raise ServiceError("Give it a name.", "name")
    clash = _named(model, org, name)
    if clash is not None and clash is not current:
        raise ServiceError(f"There is already one called {clash.name}.", "name")
    return name


def save_role(org: Organisation, spec: RoleSpec, role: Role | None = None) -> Role:
    """Create a role, or update ``role``, after checking its name and qualification."""
    name = _unique_name(Role, org, spec.name, role)
    if spec.intensity <= 0:
        raise ServiceError("Intensity must be above 0 (1.0 is ordinary, 1.5 demanding).", "intensity")
    wanted = sorted(set(spec.required_qualification_ids))
    if wanted and len(db.session.scalars(scoped(Qualification, org, Qualification.id).where(
            Qualification.id.in_(wanted))).all()) != len(wanted):
        raise ServiceError("Choose among this organisation's qualifications.", "required_qualification_ids")
    if role is None:
        role = Role(organisation_id=org.id)
        db.session.add(role)
    role.name = name
    role.intensity = spec.intensity
    _link_qualifications(org, role, wanted)
    role.on_call = spec.on_call
    role.priority = spec.priority
    db.session.flush()
    return role


def _link_qualifications(org: Organisation, role: Role, wanted: list[int]) -> None:
    """Make ``role`` require exactly ``wanted``: links kept, added or removed (rows are the key, never updated)."""
    kept = [link for link in role.qualification_links if link.qualification_id in wanted]
    have = {link.qualification_id for link in kept}
    role.qualification_links = kept + [
        RoleQualification(organisation_id=org.id, qualification_id=qid) for qid in wanted if qid not in have]
    db.session.flush()
    db.session.expire(role, ["required_qualifications"])


def save_site(org: Organisation, name: str, address: str | None = None, site: Site | None = None) -> Site:
    """Create a site, or rename ``site``."""
    checked = _unique_name(Site, org, name, site)
    if site is None:
        site = Site(organisation_id=org.id)
        db.session.add(site)
    site.name = checked
    site.address = (address or "").strip() or None
    db.session.flush()
    return site


def save_qualification(
    org: Organisation, name: str, validity_months: int | None = None, qualification: Qualification | None = None,
    kind: str = "training",
) -> Qualification:
    """Create a qualification, or update ``qualification``'s name, kind and usual validity."""
    checked = _unique_name(Qualification, org, name, qualification)
    if kind not in QUALIFICATION_KINDS:
        raise ServiceError("Choose one of the kinds: training, DBS/PVG check, first aid or other.", "kind")
    if validity_months is not None and validity_months < 1:
        raise ServiceError("Validity is a number of months (1 or more), or empty if it never expires.",
                           "validity_months")
    if qualification is None:
        qualification = Qualification(organisation_id=org.id)
        db.session.add(qualification)
    qualification.name = checked
    qualification.validity_months = validity_months
    qualification.kind = kind
    db.session.flush()
    return qualification


def set_archived(record: Role | Site | Qualification, archived: bool, now: datetime) -> None:
    """Archive (hide from new work) or restore a role, site or qualification."""
    record.archived_at = now if archived else None
    db.session.flush()


def role_or_none(org: Organisation, name: str) -> Role | None:
    return _named(Role, org, name)


def import_roles(org: Organisation, rows: list[RoleRow]) -> tuple[int, int]:
    """Apply parsed roles rows: add new roles, update those with the same name. Return (added, updated).

    ``requires`` names the qualifications the role needs, all of them; one
    naming an unknown qualification creates it (as the volunteers import
    does), so roles can be imported before people.
    Archived roles named in the file are restored. Rows were validated by
    the parser, so nothing here can fail half-way; the caller commits once.
    """
    added = updated = 0
    for row in rows:
        required = [qualification_named(org, name) for name in row.requires]
        role = role_or_none(org, row.name)
        if role is None:
            added += 1
        else:
            updated += 1
            role.archived_at = None
        save_role(org, RoleSpec(
            name=row.name, intensity=row.intensity, on_call=row.on_call,
            required_qualification_ids=tuple(q.id for q in required if q is not None),
            priority=role.priority if role else 1,
        ), role)
    return added, updated


def roles_all(org: Organisation) -> list[Role]:
    """Every role, archived last, by name (for the roles page)."""
    return list(db.session.scalars(
        scoped(Role, org)
        .options(selectinload(Role.required_qualifications))
        .order_by(Role.archived_at.is_not(None), Role.name)
    ))


def sites_all(org: Organisation) -> list[Site]:
    return list(db.session.scalars(scoped(Site, org).order_by(Site.archived_at.is_not(None), Site.name)))


def qualifications_all(org: Organisation) -> list[Qualification]:
    return list(db.session.scalars(
        scoped(Qualification, org).order_by(Qualification.archived_at.is_not(None), Qualification.name)
    ))
