"""Flask extensions, created here and initialised in create_app (Flask-Migrate: ``app.register_migrations``)."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial, wraps
from typing import Any, TypeVar

from flask import Flask, request
from flask.globals import request_ctx
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
    req = request._get_current_object()  # type: ignore[attr-defined]  # the proxy once (every request asks twice)
    return req.method in UNLIMITED_METHODS and not req.path.startswith("/api/")


_Hook = TypeVar("_Hook", bound=Callable[..., Any])


def skip_the_limiter_on_reads(app: Flask) -> None:
    """Let the limiter's before- and after-request hooks (``limiter.init_app``) return at once on a read.

    With :func:`_reads_are_never_limited` the limiter still resolved the
    request's endpoint, its exemptions and an empty set of limits, and looked
    for headers to add, on every page: ~0.03 ms of nothing. A view with a
    ``@limiter.limit`` still checks its limits itself (through the filter);
    the API's reads are limited as before.
    """
    lists: tuple[list[Any], ...] = (app.before_request_funcs.get(None, []), app.after_request_funcs.get(None, []))
    for hooks in lists:
        for index, hook in enumerate(hooks):
            if _is_limiter_hook(hook):
                hooks[index] = _unless_reading(hook)
    teardowns = app.teardown_request_funcs.get(None, [])
    release = getattr(limiter, "_Limiter__release_context", None)  # Flask-Limiter's teardown (name-mangled)
    for index, hook in enumerate(teardowns):
        if release is not None and hook == release:
            teardowns[index] = _if_the_limiter_was_consulted(hook)


def _is_limiter_hook(hook: Callable[..., Any]) -> bool:
    if hook == limiter._check_request_limit:
        return True
    return isinstance(hook, partial) and hook.args == (limiter,)  # partial(Limiter.__inject_headers, limiter)


def _unless_reading(hook: _Hook) -> _Hook:
    @wraps(hook)
    def unless_reading(*args: Any) -> Any:
        if _reads_are_never_limited():
            return args[0] if args else None  # an after-request hook hands the response on unchanged
        return hook(*args)

    return unless_reading  # type: ignore[return-value]


def _if_the_limiter_was_consulted(hook: Callable[..., Any]) -> Callable[..., None]:
    """Flask-Limiter's teardown, run only where the request made the limiter's context.

    The teardown resets the request's limiter context, reading it through
    ``Limiter.context``, which first makes one (a dict and a ``LimiterContext``
    of three empty collections, ~0.01 ms) on a request that has none: every
    read, whose hooks return at once. A request whose context was made (a POST,
    the API, a view with its own limit) is reset as before.
    """

    @wraps(hook)
    def release_context(exc: BaseException | None = None) -> None:
        if hasattr(request_ctx._get_current_object(), "_limiter_request_context"):  # type: ignore[attr-defined]
            hook(exc)

    return release_context


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    """SQLite ignores foreign keys unless asked, per connection; the tenancy invariants need them."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
