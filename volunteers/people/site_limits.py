"""Which members a coordinator limited to some sites sees on the people pages: the hook the rota fills in.

Sites, shifts and the coordinator's limit live in ``rota`` (above this
package), so the rule itself is ``rota.site_scope.visible_members``; it is
registered here when the rota is imported, and the people list and a
person's page ask :func:`members_clause`. Without a registered rule (a
people-only test app) every member is visible, as for an admin.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, g
from sqlalchemy import ColumnElement, true

from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people.models import Membership

MemberRule = Callable[[Any, Membership | None], ColumnElement[bool]]
_rule: list[MemberRule] = []
_limited: list[Callable[[Membership | None], bool]] = []


def register(rule: MemberRule) -> None:
    """Set the rule (called once by ``rota.site_scope``; a second call replaces it)."""
    _rule[:] = [rule]


def register_limited(rule: Callable[[Membership | None], bool]) -> None:
    """Set the test "is this member limited to some sites" (``rota.site_scope.is_limited``)."""
    _limited[:] = [rule]


def is_limited(viewer: Membership | None) -> bool:
    """Whether the viewer is a coordinator limited to some sites (False without a registered rule)."""
    return bool(_limited) and _limited[0](viewer)


def members_clause(membership_column: Any, viewer: Membership | None) -> ColumnElement[bool]:
    """The condition "the viewer may see this member" over ``membership_column`` (a Membership id column)."""
    return _rule[0](membership_column, viewer) if _rule else true()


def visible_member(org: Organisation, membership_id: int, viewer: Membership | None) -> Membership | None:
    """The member if the viewer may open their page (None: another organisation's, or site's when limited)."""
    return db.session.scalar(scoped(Membership, org).where(
        Membership.id == membership_id, members_clause(Membership.id, viewer)))


def member_or_404(org: Organisation, membership_id: int) -> Membership:
    """The member for the signed-in coordinator's people pages: another organisation's or site's is a 404."""
    membership = visible_member(org, membership_id, getattr(g, "membership", None))
    if membership is None:
        abort(404)
    return membership
