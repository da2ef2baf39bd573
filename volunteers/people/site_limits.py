"""Which members a coordinator limited to some sites sees on the people pages: the hook the rota fills in.

Sites, shifts and the coordinator's limit live in ``rota`` (above this
package), so the rule itself is ``rota.site_scope.visible_members``; it is
registered here when the rota is imported, and the people list and a
person's page ask :func:`members_clause`. Without a registered rule (a
people-only test app) every member is visible, as for an admin.

Pages that build their statement once and run it for every viewer ask
:func:`bound_members_clause` and pass :func:`viewer_params` with the other
parameters: the rule is called with a stand-in viewer whose id and
organisation are bound parameters, so the rule may read a viewer's ``id``,
``organisation_id`` and ``role`` and nothing else.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple, Protocol, cast

from flask import abort, g
from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, literal_column, select, true
from sqlalchemy.orm import contains_eager
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import ClauseList

from volunteers.core.models import Organisation
from volunteers.extensions import db
from volunteers.people.models import Membership, Person

MemberRule = Callable[[Any, Membership | None], ColumnElement[bool]]
_rule: list[MemberRule] = []
_limited: list[Callable[[Membership | None], bool]] = []


class StatementCache(Protocol):
    """An ``lru_cache`` of statements built with :func:`bound_members_clause`."""

    def cache_clear(self) -> None: ...


_caches: list[StatementCache] = []


def register(rule: MemberRule) -> None:
    """Set the rule (called once by ``rota.site_scope``; a second call replaces it)."""
    _rule[:] = [rule]
    for cache in _caches:  # statements built before held the rule before (or none: every member visible)
        cache.cache_clear()


def clear_on_register(*caches: StatementCache) -> None:
    """Empty these caches of built statements whenever a rule is registered."""
    _caches.extend(caches)


def register_limited(rule: Callable[[Membership | None], bool]) -> None:
    """Set the test "is this member limited to some sites" (``rota.site_scope.is_limited``)."""
    _limited[:] = [rule]


def is_limited(viewer: Membership | None) -> bool:
    """Whether the viewer is a coordinator limited to some sites (False without a registered rule)."""
    return bool(_limited) and _limited[0](viewer)


def members_clause(membership_column: Any, viewer: Membership | None) -> ColumnElement[bool]:
    """The condition "the viewer may see this member" over ``membership_column`` (a Membership id column)."""
    return _rule[0](membership_column, viewer) if _rule else true()


class _BoundViewer(NamedTuple):
    """A viewer of one role whose id and organisation are the bound parameters ``viewer_id`` and ``viewer_org_id``."""

    role: str
    id: Any = bindparam("viewer_id")
    organisation_id: Any = bindparam("viewer_org_id")


def bound_members_clause(membership_column: Any, role: str | None) -> ColumnElement[bool]:
    """:func:`members_clause` for any viewer with this ``role`` (None: nobody signed in), run with
    :func:`viewer_params`: a statement built once serves every viewer of the role."""
    viewer = None if role is None else cast(Membership, _BoundViewer(role))
    return _words_written_in(members_clause(membership_column, viewer))


#: a word of the code's own (a status, a kind): what may be written into a statement (core.sql_lists.one_of's rule)
_WORD = re.compile(r"[a-z_]+\Z")


def _words_written_in(clause: ColumnElement[bool]) -> ColumnElement[bool]:
    """``clause`` with its IN lists of the code's own words written in as SQL literals, as ``sql_lists.one_of``
    writes them.

    The registered rule (``rota.site_scope``) compares assignments' statuses with a tuple of its own, which
    SQLAlchemy sends as an expanding parameter: the text of every statement holding the clause was rewritten
    on every execution (a person's page's member read: ~0.09 -> 0.05 ms; /people's page: ~0.41 -> 0.35 ms).
    Built with a stand-in viewer, the clause holds no viewer's value in a list; only lists whose every item is
    such a word are written in, any other parameter is left as it is.
    """
    def written(element: Any, **kw: Any) -> Any:
        if isinstance(element, BindParameter) and element.expanding and element.callable is None:
            words = element.value
            if isinstance(words, tuple | list) and words and \
                    all(isinstance(word, str) and _WORD.match(word) for word in words):
                return ClauseList(*(literal_column(f"'{word}'") for word in words)).self_group()
        return None

    result: ColumnElement[bool] = visitors.replacement_traverse(clause, {}, written)
    return result


def viewer_params(viewer: Membership | None) -> dict[str, Any]:
    """The parameters of :func:`bound_members_clause` for this viewer."""
    if viewer is None:
        return {}
    return {"viewer_id": viewer.id, "viewer_org_id": viewer.organisation_id}


def viewer_role(viewer: Membership | None) -> str | None:
    return None if viewer is None else viewer.role


@lru_cache(maxsize=16)
def _member_statement(role: str | None, with_person: bool) -> Select:
    """``SELECT`` the organisation's member ``membership_id`` if a viewer of ``role`` may see them (built once)."""
    stmt = select(Membership).where(Membership.organisation_id == bindparam("org_id"),
                                    Membership.id == bindparam("membership_id"),
                                    bound_members_clause(Membership.id, role))
    if with_person:
        stmt = stmt.join(Person, Person.id == Membership.person_id).options(contains_eager(Membership.person))
    return stmt


clear_on_register(_member_statement)


def visible_member(org: Organisation, membership_id: int, viewer: Membership | None, *,
                   with_person: bool = False) -> Membership | None:
    """The member if the viewer may open their page (None: another organisation's, or site's when limited).

    ``with_person`` loads their person in the same statement.
    """
    return db.session.scalar(_member_statement(viewer_role(viewer), with_person),
                             {"org_id": org.id, "membership_id": membership_id, **viewer_params(viewer)})


def member_or_404(org: Organisation, membership_id: int, *, with_person: bool = False) -> Membership:
    """The member for the signed-in coordinator's people pages: another organisation's or site's is a 404."""
    membership = visible_member(org, membership_id, getattr(g, "membership", None), with_person=with_person)
    if membership is None:
        abort(404)
    return membership
