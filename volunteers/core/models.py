"""The declarative base, shared column helpers, and the tenant itself.

Every organisation-owned table carries ``organisation_id`` and includes it in
its unique constraints and in the foreign keys to other organisation-owned
tables (DESIGN.md, "Scale-out"): the data can then be sharded by
organisation, and the database itself refuses a row that points into another
organisation (an assignment's person always belongs to the shift's
organisation).
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Store aware datetimes as UTC and always hand back aware UTC values.

    SQLite has no time zones; PostgreSQL's ``timestamptz`` has. This type makes
    both behave the same: naive values are refused on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC instant is required")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with named constraints, so migrations can name them."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON},
    )


def org_fk(columns: list[str], table: str, name: str | None = None, **kw: Any) -> ForeignKeyConstraint:
    """Return a composite foreign key ``(organisation_id, <column>)`` → ``table(organisation_id, id)``."""
    return ForeignKeyConstraint(
        ["organisation_id", *columns],
        [f"{table}.organisation_id", f"{table}.id"],
        name=name,
        **kw,
    )


class Organisation(Base):
    """The tenant: a programme with its own people, rota, ledger and policy."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: short name used in commands and URLs, e.g. ``tackley``
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: IANA zone; all calendar logic (days, weeks, months) happens in it
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/London")
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    #: one of COPRODUCTION_MODES; reports across organisations group by it
    coproduction_mode: Mapped[str | None] = mapped_column(String(40))
    #: settings that are plain data: load policy overrides, notice rules, report recipients
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=_now)

    __table_args__ = (CheckConstraint("length(slug) > 0", name="slug_not_empty"),)

    def setting(self, key: str, default: Any = None) -> Any:
        """Return one organisation setting, falling back to ``default``."""
        return (self.settings or {}).get(key, default)

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


#: the six forms of user/community co-production (DESIGN.md, "Co-production mode")
COPRODUCTION_MODES = {
    "user_codelivery_professional_design": "User co-delivery of professionally designed services",
    "full_coproduction": "Full user/professional co-production",
    "community_codelivery_informal": "User/community co-delivery with little formal planning",
    "community_delivery_professional_plan": "User/community delivery of professionally planned services",
    "community_delivery_coplanned": "User/community delivery of co-planned services",
    "self_organised": "Traditional self-organised community provision",
}


class AuditLogEntry(Base):
    """Who did what to which record: every coordinator or admin write (``core.audit.record``).

    Append-only: triggers refuse to edit or delete an entry (``core.audit_triggers``).
    """

    __tablename__ = "audit_log_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    actor_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    #: dotted verb, e.g. ``rota.assign_override``
    action: Mapped[str] = mapped_column(String(80))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column()
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    #: no default: the caller's ``now`` (``audit.record`` requires it)
    created_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("organisation_id", "id"),
        Index("ix_audit_log_entries_org_created", "organisation_id", "created_at"),
        # the /audit page's filters by target and by actor (and ON DELETE SET NULL of a person)
        Index("ix_audit_log_entries_org_target", "organisation_id", "target_type", "target_id"),
        Index("ix_audit_log_entries_actor", "actor_person_id"),
    )


class JobRun(Base):
    """One run of a scheduled job for what it covers; the unique key makes jobs run once.

    ``(job, key)`` is unique: a second scheduler process (or a re-run after a
    crash) finds the row and either skips (done) or takes over an expired lease.
    """

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(80))
    #: what the run covers, e.g. ``tackley:2026-10``
    key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="running")
    owner: Mapped[str | None] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(default=_now)
    lease_until: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("job", "key"),
        CheckConstraint("status in ('running', 'done', 'failed')", name="status_known"),
    )


from volunteers.core import audit_triggers as _audit_triggers  # noqa: E402

_audit_triggers.attach(AuditLogEntry.__table__)

from volunteers.core import change_marks as _change_marks  # noqa: E402

#: each organisation's change mark, changed by the database's own triggers (core.change_marks)
ORGANISATION_CHANGES = _change_marks.attach(Base.metadata)
