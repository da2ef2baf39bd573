"""Flask extensions, created here and initialised in create_app (Flask-Migrate: ``app.register_migrations``)."""
from __future__ import annotations

import sqlite3

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

from volunteers.core.models import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
#: methods no rate limit applies to: every limit here is on a POST (the sign-in, reset and code forms)
UNLIMITED_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@limiter.request_filter
def _reads_are_never_limited() -> bool:
    """Skip the limiter's work on reads: it resolved (empty) limits on every page and static file.

    Every limit in the app is declared with ``methods=["POST"]``, but for the
    JSON API's per-token limit (``api.blueprint``), which counts reads too: a
    polling script is limited by its token whatever it asks.
    """
    return request.method in UNLIMITED_METHODS and not request.path.startswith("/api/")


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    """SQLite ignores foreign keys unless asked, per connection; the tenancy invariants need them."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
