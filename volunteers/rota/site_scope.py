"""Site scoping: a coordinator limited to some sites sees only those sites' shifts, people, warnings, requests.

Beside ``core.tenancy`` (which keeps organisations apart) this is the ONE
place the site limit is applied: every affected query passes its site
column through :func:`within_sites`, and a record of another site is a 404
through :func:`shift_or_404`, exactly as another organisation's is.

The rule is written in SQL, not looked up first: "no limit rows, or the site
is one of them". So a page runs the same statements for a limited
coordinator, an unlimited one and an admin (admins skip the clause), and
the query-count tests stay flat.
"""
from __future__ import annotations

from typing import Any, NamedTuple, cast

from flask import abort, g
from sqlalchemy import ColumnElement, Select, bindparam, delete, exists, or_, select, true

from volunteers.core import sql_lists
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people import site_limits
from volunteers.people.models import Membership
from volunteers.rota.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, CoordinatorSite, Shift, Site


def viewer() -> Membership | None:
    """The signed-in member whose sites limit this request's pages (None outside a request's sign-in)."""
    return getattr(g, "membership", None)


class _BoundViewer(NamedTuple):
    """A viewer of one role whose id and organisation are the bound parameters ``viewer_id`` and ``viewer_org_id``
    (the names of ``people.site_limits.viewer_params``)."""

    role: str
    id: Any = bindparam("viewer_id")
    organisation_id: Any = bindparam("viewer_org_id")


def bound_viewer(role: str | None) -> Membership | None:
    """A stand-in for any viewer of ``role`` (None: nobody) to build a statement once with this module's clauses;
    run it with :func:`viewer_params` of the real viewer."""
    return None if role is None else cast(Membership, _BoundViewer(role))


def viewer_params(membership: Membership | None) -> dict[str, Any]:
    """The parameters of a statement built with :func:`bound_viewer` for this viewer."""
    if membership is None:
        return {}
    return {"viewer_id": membership.id, "viewer_org_id": membership.organisation_id}


def _limits(membership: Membership) -> Select:
    return select(CoordinatorSite.site_id).where(
        CoordinatorSite.organisation_id == membership.organisation_id,
        CoordinatorSite.membership_id == membership.id,
    )


def site_clause(site_column: Any, membership: Membership | None) -> ColumnElement[bool]:
    """The condition "this row's site is one the member may see": always true for admins and nobody."""
    if membership is None or membership.role == "admin":
        return true()
    limits = _limits(membership)
    return or_(~exists(limits), site_column.in_(limits))


def within_sites(stmt: Select, site_column: Any, membership: Membership | None) -> Select:
    """Return ``stmt`` limited to the member's sites (unchanged for admins and unlimited coordinators)."""
    if membership is None or membership.role == "admin":
        return stmt
    return stmt.where(site_clause(site_column, membership))


def placed_at_sites(membership_column: Any, membership: Membership | None,
                    start: Any = None, end: Any = None) -> ColumnElement[bool]:
    """The condition "the member in ``membership_column`` holds a place on a shift at one of the viewer's sites".

    With ``start``/``end`` (columns or values) only shifts overlapping that time count: a load warning is
    a limited coordinator's when a shift of its window is at their sites. Always true for admins, nobody,
    and coordinators with no limit (correlated EXISTS, so still one statement).
    """
    if membership is None or membership.role == "admin":
        return true()
    limits = _limits(membership)
    place = (
        select(Assignment.id)
        .join(Shift, (Shift.organisation_id == Assignment.organisation_id) & (Shift.id == Assignment.shift_id))
        .where(Assignment.organisation_id == membership.organisation_id,
               Assignment.membership_id == membership_column,
               sql_lists.one_of(Assignment.status, ACTIVE_ASSIGNMENT_STATUSES), Shift.site_id.in_(limits))
    )
    if start is not None and end is not None:
        place = place.where(Shift.ends_at > start, Shift.starts_at < end)
    return or_(~exists(limits), exists(place))


def visible_members(membership_column: Any, membership: Membership | None) -> ColumnElement[bool]:
    """The people a limited coordinator sees: members with a place at one of their sites, and members
    with no place anywhere yet (new volunteers are everyone's to place). See docs/DESIGN.md, Site coordinators.
    """
    if membership is None or membership.role == "admin":
        return true()
    anywhere = select(Assignment.id).where(Assignment.organisation_id == membership.organisation_id,
                                           Assignment.membership_id == membership_column,
                                           sql_lists.one_of(Assignment.status, ACTIVE_ASSIGNMENT_STATUSES))
    return or_(placed_at_sites(membership_column, membership), ~exists(anywhere))


def shift_or_404(org: Organisation, shift_id: int, membership: Membership | None) -> Shift:
    """Return the organisation's shift if the member may see its site; another site's (or org's) id is a 404."""
    shift = db.session.scalar(within_sites(scoped(Shift, org).where(Shift.id == shift_id), Shift.site_id, membership))
    if shift is None:
        abort(404)
    return shift


#: "has the viewer limit rows", built once (:func:`bound_viewer`)
_IS_LIMITED = select(exists(_limits(cast(Membership, _BoundViewer("coordinator")))))


def is_limited(membership: Membership | None) -> bool:
    """Whether the member is limited to some sites (never an admin; one statement)."""
    if membership is None or membership.role == "admin":
        return False
    return db.session.scalar(_IS_LIMITED, viewer_params(membership)) is True


def site_ids_of(org: Organisation, membership_id: int) -> set[int]:
    """The sites a member is limited to (empty: every site)."""
    return set(db.session.scalars(scoped(CoordinatorSite, org, CoordinatorSite.site_id)
                                  .where(CoordinatorSite.membership_id == membership_id)))


def set_sites(org: Organisation, membership: Membership, site_ids: set[int]) -> tuple[list[int], list[int]]:
    """Limit a member to these sites (empty: no limit); return the site ids (before, after), sorted.

    Unknown or other organisations' site ids raise ValueError (the form names the field).
    """
    known = set(db.session.scalars(scoped(Site, org, Site.id).where(Site.id.in_(site_ids)))) if site_ids else set()
    if known != site_ids:
        raise ValueError("Choose sites of this organisation.")
    before = site_ids_of(org, membership.id)
    db.session.execute(delete(CoordinatorSite).where(
        CoordinatorSite.organisation_id == org.id, CoordinatorSite.membership_id == membership.id,
        CoordinatorSite.site_id.not_in(site_ids)))
    db.session.add_all(CoordinatorSite(organisation_id=org.id, membership_id=membership.id, site_id=site_id)
                       for site_id in sorted(site_ids - before))
    db.session.flush()
    return sorted(before), sorted(site_ids)


site_limits.register(visible_members)  # the people pages ask through people.site_limits (people sits below rota)
site_limits.register_limited(is_limited)
