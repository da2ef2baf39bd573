"""Statements the people pages build once are built again when the site-limit rule is registered."""
from __future__ import annotations

from sqlalchemy import false, true

from volunteers.people import queries, site_limits

EVERYONE = queries._Shape(search=False, status=False, role=False, qualification=False, expiring=False)


def test_registering_a_rule_rebuilds_the_statements_built_before_it() -> None:
    saved = site_limits._rule[:]
    try:
        site_limits.register(lambda column, viewer: true())
        before = queries._page_statement(EVERYONE, "coordinator", "name")
        assert queries._page_statement(EVERYONE, "coordinator", "name") is before  # built once
        site_limits.register(lambda column, viewer: false())  # say, the rota imported after a page was served
        after = queries._page_statement(EVERYONE, "coordinator", "name")
        assert after is not before and "false" in str(after).lower()
        assert "false" in str(site_limits._member_statement("coordinator", True)).lower()
    finally:
        site_limits._rule[:] = saved
        for cache in site_limits._caches:
            cache.cache_clear()


def test_the_rules_lists_of_code_words_are_written_in_and_nothing_else() -> None:
    from sqlalchemy import bindparam, literal

    from volunteers.people.models import Membership

    saved = site_limits._rule[:]
    try:
        site_limits.register(lambda column, viewer: column.in_([1, 2]) | Membership.status.in_(("active", "paused"))
                             | Membership.role.in_(("it's",)) | (column == bindparam("viewer_id"))
                             | (literal("x") == "y"))
        text = str(site_limits.bound_members_clause(Membership.id, "coordinator"))
        assert "memberships.status IN ('active', 'paused')" in text  # written in: no parameter to expand
        # numbers, a word needing quoting and the viewer's own parameters are left to SQLAlchemy
        assert "memberships.id IN (__[POSTCOMPILE_id_1])" in text
        assert "memberships.role IN (__[POSTCOMPILE_role_1])" in text and ":viewer_id" in text
    finally:
        site_limits._rule[:] = saved
        for cache in site_limits._caches:
            cache.cache_clear()
