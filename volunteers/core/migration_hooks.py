"""Alembic hooks: migrations render plain SQLAlchemy types, not the app's own.

A migration file must keep working after the app's code moves on, so the
UTCDateTime decorator is written as ``sa.DateTime(timezone=True)``.
"""
from __future__ import annotations

from typing import Any

from volunteers.core.models import UTCDateTime


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
