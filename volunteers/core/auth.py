"""Access decorators: signed in, a member, a coordinator.

Anonymous users go to /login (Flask-Login); a signed-in person without the
right membership role gets 403.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, g
from flask_login import login_required

P = ParamSpec("P")
R = TypeVar("R")


def member_required(view: Callable[P, R]) -> Callable[P, R]:
    """Require a signed-in person with an active membership of some organisation."""

    @wraps(view)
    @login_required
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if getattr(g, "membership", None) is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def coordinator_required(view: Callable[P, R]) -> Callable[P, R]:
    """Require a coordinator (or admin) of the current organisation; volunteers get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        membership = getattr(g, "membership", None)
        if membership is None or not membership.is_coordinator:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view: Callable[P, R]) -> Callable[P, R]:
    """Require an admin of the current organisation (network-wide figures)."""

    @wraps(view)
    @login_required
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        membership = getattr(g, "membership", None)
        if membership is None or membership.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return wrapped

