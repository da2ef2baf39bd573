"""Personal access tokens: how a script, a bot or a dashboard calls ``/api/v1`` as a person.

Only a SHA-256 hash of each token is stored. A token is 32 random bytes, so
a fast hash is enough (nobody can guess their way through 2^256 values;
a slow password hash protects short human secrets, which these are not),
and a lookup by hash is one indexed probe. The token itself is shown once.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteers.core.models import Base, _now, org_fk
from volunteers.people.models import Membership

TOKEN_SCOPES = ("read", "write")


class ApiToken(Base):
    """One personal access token: it acts as its membership (person and role) in one organisation."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    #: whose token: the person in this organisation, with the role their membership has when a call comes
    membership_id: Mapped[int] = mapped_column(index=True)
    #: what the person called it ("Village hall screen"), so they know which one to revoke
    name: Mapped[str] = mapped_column(String(100))
    #: ``read`` (GET only) or ``write``
    scope: Mapped[str] = mapped_column(String(10), default="read")
    #: hex SHA-256 of the whole token; the token itself is never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the token's first characters, shown on /me/tokens to tell tokens apart
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=_now)
    #: after this instant the token is refused (401); every token expires
    expires_at: Mapped[datetime]
    #: the last call it made (updated at most once a minute)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    membership: Mapped[Membership] = relationship(
        foreign_keys=[membership_id], primaryjoin="ApiToken.membership_id == Membership.id")

    __table_args__ = (
        org_fk(["membership_id"], "memberships", ondelete="CASCADE"),
        UniqueConstraint("organisation_id", "id"),
        CheckConstraint("scope in ('read', 'write')", name="scope_known"),
    )
