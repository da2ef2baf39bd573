"""What an ORM object's later reads, writes and lazy loads depend on, for tests that compare objects made from
Core rows (``core.rowobjects``) with those the ORM's own loading makes."""
from __future__ import annotations

from typing import Any

from sqlalchemy import inspect


def loaded_state(obj: Any) -> dict[str, Any]:
    """Everything about a loaded object that later reads, writes and lazy loads depend on (its relationships
    loaded with it named by their objects' identities)."""
    state = inspect(obj)
    columns = {attr.key: getattr(obj, attr.key) for attr in state.mapper.column_attrs}
    related = {rel.key: inspect(obj.__dict__[rel.key]).key if obj.__dict__.get(rel.key) is not None else None
               for rel in state.mapper.relationships if rel.key in obj.__dict__}
    return {"class": type(obj), "key": state.key, "persistent": state.persistent, "modified": state.modified,
            "expired": state.expired, "committed": dict(state.committed_state),
            "expired_attributes": set(state.expired_attributes), "unloaded": state.unloaded,
            "load_path": state.load_path, "load_options": state.load_options, "columns": columns,
            "related": related}
