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

from sqlalchemy import ColumnElement, true

from volunteers.people.models import Membership

MemberRule = Callable[[Any, Membership | None], ColumnElement[bool]]
_rule: list[MemberRule] = []


def register(rule: MemberRule) -> None:
    """Set the rule (called once by ``rota.site_scope``; a second call replaces it)."""
    _rule[:] = [rule]


def members_clause(membership_column: Any, viewer: Membership | None) -> ColumnElement[bool]:
    """The condition "the viewer may see this member" over ``membership_column`` (a Membership id column)."""
    return _rule[0](membership_column, viewer) if _rule else true()
