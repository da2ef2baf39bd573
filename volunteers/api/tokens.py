"""Making, listing and revoking personal access tokens (services: they flush, never commit).

Checking the token a call presents is ``api.token_check``.

A token reads ``vol_`` and 43 URL-safe characters (32 random bytes). The
``vol_`` prefix lets secret scanners and people recognise it in a paste.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from volunteers.api.models import TOKEN_SCOPES, ApiToken
from volunteers.api.token_check import PREFIX, hash_token
from volunteers.core import audit
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.extensions import db
from volunteers.people.models import Membership

#: how long a token lives unless its maker says otherwise, and the longest it may
DEFAULT_DAYS = 90
MAX_DAYS = 366


@dataclass(frozen=True)
class NewToken:
    """A token just made: the record, and the token itself (shown to its maker once)."""

    record: ApiToken
    token: str


def create_token(org: Organisation, membership: Membership, name: str, scope: str, days: int,
                 now: datetime) -> NewToken:
    """Make a token for ``membership`` and audit it.

    :raises ServiceError: an empty or long name, an unknown scope, a lifetime outside 1..366 days.
    """
    name = (name or "").strip()
    if not name:
        raise ServiceError("Give the token a name, so you know later what uses it.", "name")
    if len(name) > 100:
        raise ServiceError("Keep the name under 100 characters.", "name")
    if scope not in TOKEN_SCOPES:
        raise ServiceError("Choose read or write.", "scope")
    if not 1 <= days <= MAX_DAYS:
        raise ServiceError(f"A token lasts between 1 and {MAX_DAYS} days.", "days")
    if membership.status == "left" or membership.organisation_id != org.id:
        raise ServiceError("Only a current member of the organisation can have a token there.", "membership")
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(organisation_id=org.id, membership_id=membership.id, name=name, scope=scope,
                      token_hash=hash_token(token), prefix=token[:10], created_at=now,
                      expires_at=now + timedelta(days=days))
    db.session.add(record)
    db.session.flush()
    audit.record(org, membership.person_id, "api.token_create", "api_token", record.id, now=now,
                 name=name, scope=scope, expires_at=record.expires_at)
    return NewToken(record, token)


def my_tokens(membership: Membership) -> list[ApiToken]:
    """Return a membership's tokens, newest first (revoked ones too: the page says so)."""
    return list(db.session.scalars(
        scoped(ApiToken, membership.organisation_id)
        .where(ApiToken.membership_id == membership.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(org: Organisation, membership: Membership, token_id: int, now: datetime) -> ApiToken:
    """Revoke one of the membership's own tokens (at once: the next call with it gets 401), audited.

    :raises ServiceError: not one of theirs (field ``token``).
    """
    record = db.session.scalar(scoped(ApiToken, org).where(ApiToken.id == token_id,
                                                           ApiToken.membership_id == membership.id))
    if record is None:
        raise ServiceError("That token is not one of yours.", "token")
    if record.revoked_at is None:
        record.revoked_at = now
        audit.record(org, membership.person_id, "api.token_revoke", "api_token", record.id, now=now,
                     name=record.name)
    return record
