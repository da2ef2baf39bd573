"""Every table that refers to a person says what erasure does with it: a new one must be thought about."""
from __future__ import annotations

from flask import Flask

from volunteers.extensions import db
from volunteers.privacy.domain.rules import PERSONAL_DATA


def _refers_to_a_person(columns: list[str]) -> bool:
    return any(c.endswith(("membership_id", "person_id")) or c in ("email", "to_address") for c in columns)


def test_every_table_referring_to_a_person_is_in_the_erasure_rules(app: Flask) -> None:
    tables = {t.name for t in db.metadata.sorted_tables if _refers_to_a_person([c.name for c in t.columns])}
    assert tables - set(PERSONAL_DATA) == set(), "say in privacy.domain.rules what erasure does with these"
    assert set(PERSONAL_DATA) - {t.name for t in db.metadata.sorted_tables} == set()

