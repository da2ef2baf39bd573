"""Every foreign key has an index its referencing columns lead (issue 13, "still open from before").

PostgreSQL indexes the referenced side of a foreign key (its primary or
unique key) but not the referencing side. Without an index there, deleting
or re-keying a parent row — a shift, an assignment, an organisation — scans
the whole child table once per row, under a lock, and a join or filter on the
column ("a member's offers", "who holds this qualification") has nothing to
probe. SQLite behaves the same way. So every foreign key in the models needs
an index, a unique key or the primary key whose leading columns are its
columns (in any order).

An organisation-owned foreign key is ``(organisation_id, <id>)`` (DESIGN.md,
"Scale-out"); an index leading with ``<id>`` alone covers it too, since ids
are unique across organisations (``api_tokens.membership_id``).
"""
from __future__ import annotations

from flask import Flask
from sqlalchemy import (
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
)

from volunteers.extensions import db

#: Foreign keys deliberately left without an index, as (table, referencing columns). Each needs a reason:
#: a child table that stays a handful of rows an organisation, and a parent the app never deletes or re-keys.
UNINDEXED: dict[tuple[str, tuple[str, ...]], str] = {
    # one report a month per organisation; people are erased in place (privacy.services), never deleted
    ("monthly_reports", ("issued_by_person_id",)):
        "twelve rows an organisation a year; a person row is never deleted",
    # a few rates an organisation; roles are archived, never deleted; the unique key
    # (organisation_id, kind, role_id, effective_from) already reaches an organisation's rates
    ("rate_card_entries", ("organisation_id", "role_id")):
        "a few rows an organisation; a role is never deleted",
}


def _leading_column_lists(table: Table) -> list[list[str]]:
    """The column lists of the table's indexes, unique keys and primary key, in their order."""
    found = [[column.name for column in index.columns] for index in table.indexes]
    found += [[column.name for column in constraint.columns] for constraint in table.constraints
              if isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint)]
    return found


def _is_covered(table: Table, fk: ForeignKeyConstraint) -> bool:
    columns = {column.name for column in fk.columns}
    wanted = [columns]
    if "organisation_id" in columns and len(columns) > 1:
        wanted.append(columns - {"organisation_id"})
    return any(set(leading[:len(want)]) == want
               for leading in _leading_column_lists(table) for want in wanted)


def _foreign_keys() -> list[tuple[str, tuple[str, ...], Table, ForeignKeyConstraint]]:
    return [(table.name, tuple(column.name for column in fk.columns), table, fk)
            for table in db.metadata.sorted_tables for fk in table.foreign_key_constraints]


def test_every_foreign_key_has_an_index_leading_with_its_columns(app: Flask) -> None:
    assert len(_foreign_keys()) > 50  # create_app imported every model
    missing = [f"{name}{columns} -> {fk.referred_table.name}" for name, columns, table, fk in _foreign_keys()
               if (name, columns) not in UNINDEXED and not _is_covered(table, fk)]
    assert missing == []


def test_the_allow_list_names_only_foreign_keys_that_exist_and_lack_an_index(app: Flask) -> None:
    uncovered = {(name, columns) for name, columns, table, fk in _foreign_keys() if not _is_covered(table, fk)}
    assert set(UNINDEXED) <= uncovered  # an index added later, or a key gone: take it off the list


def test_the_check_sees_an_unindexed_foreign_key() -> None:
    metadata = MetaData()
    Table("parents", metadata, Column("organisation_id", Integer, primary_key=True),
          Column("id", Integer, primary_key=True))
    child = Table("children", metadata, Column("id", Integer, primary_key=True),
                  Column("organisation_id", Integer), Column("parent_id", Integer), Column("starts_on", Integer),
                  ForeignKeyConstraint(["organisation_id", "parent_id"], ["parents.organisation_id", "parents.id"]),
                  Index("ix_children_org_starts", "organisation_id", "starts_on"))
    fk = next(iter(child.foreign_key_constraints))
    assert not _is_covered(child, fk)  # organisation_id leads an index, parent_id is only its tail
    Index("ix_children_parent_org", child.c.parent_id, child.c.organisation_id)
    assert _is_covered(child, fk)  # the same columns in another order
