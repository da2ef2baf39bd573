"""Bearer-token authentication and the role checks of every API call.

Each call under ``/api/v1`` (but the OpenAPI document) must carry
``Authorization: Bearer <token>``. The token stands for one membership: the
call acts as that person, with the role the membership has *now*, in that
organisation only (``g.membership``, ``g.api_token``). Session cookies are
ignored, which is why the blueprint is exempt from CSRF: a cross-site form
cannot add a bearer header.

* no token, or an unknown, expired or revoked one: 401;
* a read-scope token on a write (any method but GET/HEAD/OPTIONS): 403;
* a volunteer's token on a coordinator's call (:func:`coordinator_call`): 403,
  as is a coordinator who must first set up two-factor sign-in.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import g, request
from flask_limiter.util import get_remote_address

from volunteers.api.errors import ApiProblem
from volunteers.api.models import ApiToken
from volunteers.api.token_check import LiveToken, token_for_call
from volunteers.core.models import Organisation
from volunteers.core.timeutil import utcnow
from volunteers.people.models import Membership

P = ParamSpec("P")
R = TypeVar("R")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: endpoints anyone may read without a token
PUBLIC_ENDPOINTS: frozenset[str] = frozenset()


def bearer_token() -> str | None:
    """Return the token of the ``Authorization: Bearer`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


#: where a request keeps its token's lookup (the request's environ: ``g`` may outlive a request in tests)
_LOOKUP = "volunteers.api_token"


def _live_token() -> LiveToken | None:
    """The live token this request presents (looked up once a request: the limiter asks first)."""
    if _LOOKUP not in request.environ:
        token = bearer_token()
        request.environ[_LOOKUP] = token_for_call(token, utcnow()) if token is not None else None
    found: LiveToken | None = request.environ[_LOOKUP]
    return found


def rate_limit_key() -> str:
    """Count calls per live token (by its hash: the token itself never reaches Redis), else per address.

    An unknown, expired or revoked token counts against the caller's address, as no token does: an
    invented token per call must not buy a fresh allowance each time.
    """
    token = bearer_token()
    if token and _live_token() is not None:
        return "api-token:" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:32]
    return "api-address:" + get_remote_address()


def authenticate(writes_nothing: frozenset[str] = frozenset()) -> None:
    """Before every API call: find the token's membership, or refuse (401, or 403 for a read token's write)."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.method == "OPTIONS":
        return
    if bearer_token() is None:
        raise ApiProblem(401, "unauthorized", "Send a personal access token: Authorization: Bearer <token>.")
    live = _live_token()
    if live is None:
        raise ApiProblem(401, "unauthorized", "That token is unknown, expired or revoked.")
    record = live.record
    if record.scope != "write" and request.method not in READ_METHODS and request.endpoint not in writes_nothing:
        raise ApiProblem(403, "read-only-token", "This token may only read; make a write token to change things.")
    g.api_token = record
    g.membership = record.membership
    g.memberships = [record.membership]
    # the organisation's change mark read with the token, for a call kept by it (core.kept_text.mark_to_keep_by),
    # as a page takes it from the sign-in read
    g.sign_in_marks = live.marks
    g.sign_in_transaction = live.transaction


def current_token() -> ApiToken:
    return g.api_token


def current_membership() -> Membership:
    return g.api_token.membership


def current_organisation() -> Organisation:
    return g.api_token.membership.organisation


def refuse_until_enrolled(membership: Membership) -> None:
    """403 for a coordinator whose organisation asks for two-factor sign-in they have not set up."""
    if membership.must_enrol_two_factor:
        raise ApiProblem(403, "two-factor-required",
                         "Your organisation asks coordinators to use two-factor sign-in: set it up first.")


def coordinator_call(view: Callable[P, R]) -> Callable[P, R]:
    """Allow the call only to a coordinator or admin of the token's organisation (else 403)."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        membership = current_membership()
        if not membership.is_coordinator or membership.status != "active":
            raise ApiProblem(403, "forbidden", "Only the organisation's coordinators may do this.")
        refuse_until_enrolled(membership)
        return view(*args, **kwargs)

    wrapped.coordinator_only = True  # type: ignore[attr-defined]  # read by the tenancy test over the route list
    return wrapped
