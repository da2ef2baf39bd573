"""Access decorators: signed in, a member, a coordinator.

Anonymous users go to /login (Flask-Login); a signed-in person without the
right membership role gets 403. A coordinator or admin whose organisation
requires two-factor sign-in, and who has not set it up, is sent to set it
up (``Membership.must_enrol_two_factor``) before any coordinator page opens.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, flash, g, redirect, url_for
from flask_login import login_required

P = ParamSpec("P")
R = TypeVar("R")

#: where a coordinator sets up two-factor sign-in (``people``'s security page)
TWO_FACTOR_ENROLMENT_ENDPOINT = "account.security"


def refuse_until_enrolled(membership: object) -> None:
    """Send a coordinator who must set up two-factor sign-in to do that first (raises the redirect).

    The decorators below call it; so does a coordinator page that checks its
    role itself.
    """
    if getattr(membership, "must_enrol_two_factor", False):
        flash("Your organisation asks coordinators and admins to use two-factor sign-in. "
              "Set it up here; then the coordinator pages open.", "info")
        abort(redirect(url_for(TWO_FACTOR_ENROLMENT_ENDPOINT)))


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
        refuse_until_enrolled(membership)
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
        refuse_until_enrolled(membership)
        return view(*args, **kwargs)

    return wrapped

