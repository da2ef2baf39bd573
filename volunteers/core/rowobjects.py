"""Persistent ORM objects made from a Core row's columns: what the ORM's loading makes, without its setup.

Selecting mapped entities makes the ORM build, on every execution, a loader
for each property of each mapper in the statement before it reads the first
row; for a statement that returns one or two rows that setup is most of its
cost. The signed-in person and their memberships are read that way first
thing in every signed-in request (``people.sessions``), where it was ~0.2 ms
of a 2 ms request. Reading the same columns as a Core row and making the
objects here is a fraction of that.

The objects are the ones the ORM's own loading would have made of the row
(tests/integration/test_sign_in_load_same_answers.py compares them with the ORM's):

* a new identity becomes a persistent, clean object in the session's identity
  map, its columns loaded, its relationships unloaded (they lazy-load as
  before), carrying the load path and propagated options the statement would
  have given it (a later lazy load from it replays them);
* an identity the session already holds is that object: its unloaded
  attributes are filled from the row and marked loaded, the loaded ones are
  left as they are (a test that holds objects across requests, or a second
  load in one unit of work, sees what the ORM showed it).

Only plain mappers (no inheritance, no version counter, no ``column_property``;
no per-class ``load`` or ``refresh`` listeners, no session
``loaded_as_persistent`` listeners: :meth:`RowObjects.loads_plainly`)
are made here; a caller falls back to the ORM's loading otherwise.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, inspect
from sqlalchemy.orm import Mapper, Session
from sqlalchemy.orm.attributes import instance_state, set_committed_value
from sqlalchemy.orm.path_registry import PathRegistry
from sqlalchemy.orm.strategy_options import _AbstractLoad


class RowObjects:
    """Makes objects of one mapped class from its columns' slice of a Core row.

    ``columns`` are the mapped table's columns in the order the row holds
    them (every column of the table, so nothing is left to a deferred load);
    ``path`` is where the ORM's statement would have loaded the entity (the
    mapper itself for a selected entity, ``Parent.rel -> Mapper`` for a
    joined eager load); ``options`` the statement's loader options that
    propagate to later loads; ``joined`` the relationships loaded with it
    (a joined eager load), whose objects follow the columns in ``values``.
    """

    def __init__(self, entity: type, columns: Sequence[ColumnElement[Any]], *, path: PathRegistry | None = None,
                 options: tuple[_AbstractLoad, ...] = (), joined: tuple[str, ...] = ()) -> None:
        mapper: Mapper[Any] = inspect(entity)
        if mapper.inherits is not None or mapper.polymorphic_map:
            raise TypeError(f"{mapper} is part of an inheritance hierarchy: load it through the ORM")
        missing = set(mapper.local_table.c) - set(columns)
        if missing:
            raise ValueError(f"{mapper}: every column is read (a missing one would load later): {missing}")
        if mapper.version_id_col is not None or mapper.always_refresh:
            raise TypeError(f"{mapper} versions its rows or always refreshes: load it through the ORM")
        self.mapper = mapper
        self.class_ = mapper.class_
        self.keys = tuple(mapper.get_property_by_column(column).key for column in columns) + joined
        unmade = {prop.key for prop in mapper.column_attrs} - set(self.keys)
        if unmade:  # a column_property (an SQL expression) is no table column: made here it would read None
            raise TypeError(f"{mapper}: {sorted(unmade)} are no plain columns: load it through the ORM")
        self.primary_key = tuple(list(columns).index(column) for column in mapper.primary_key)
        self.path = path if path is not None else mapper._path_registry
        self.options = options
        self.size = len(columns)  # how many of the row's values are this class's columns

    def loads_plainly(self, session: Session) -> bool:
        """Whether nothing listens to this class's loads, so an object made here is all a load would make."""
        dispatch = self.mapper.class_manager.dispatch
        return not (dispatch.load or dispatch.refresh or session.dispatch.loaded_as_persistent)

    def make(self, session: Session, values: Sequence[Any]) -> Any:
        """The object ``values`` (this class's columns' slice of the row, then its ``joined`` objects) describe,
        in ``session``; None for an outer join's empty side (a NULL primary key), as the ORM gives."""
        identity = tuple(values[position] for position in self.primary_key)
        if None in identity:
            return None
        key = (self.class_, identity, None)
        identity_map = session.identity_map
        existing = identity_map.get(key)
        if existing is not None:
            unloaded = instance_state(existing).unloaded
            for name, value in zip(self.keys, values, strict=True):
                if name in unloaded:
                    set_committed_value(existing, name, value)
            return existing
        # what loading.py's _instance does for an identity the session does not hold
        instance = self.mapper.class_manager.new_instance()
        state = instance_state(instance)
        state.key = key
        state.identity_token = None
        state.session_id = session.hash_key
        identity_map._add_unpresent(state, key)
        state.load_options = self.options
        state.load_path = self.path
        instance.__dict__.update(zip(self.keys, values, strict=True))
        return instance
