"""People, their memberships of organisations, qualifications and availability."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteers.core.models import Base, Organisation, _now, org_fk
from volunteers.people.domain.two_factor import REQUIRE_SETTING, enrolment_required

MEMBERSHIP_ROLES = ("volunteer", "coordinator", "admin")
MEMBERSHIP_STATUSES = ("active", "paused", "left")
#: kinds of qualification: what they are is what a coordinator keeps current (a DBS/PVG check has a
#: certificate and update-service checks; first aid and training courses are renewed)
QUALIFICATION_KINDS = {"training": "Training", "check": "DBS/PVG check", "first_aid": "First aid", "other": "Other"}


class Person(UserMixin, Base):
    """One login per human being, whatever organisations they belong to."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stored lower-cased; the login name
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: when a code texted to ``phone`` was typed back; None = texts are not sent to it (see selfservice.phone_check)
    phone_confirmed_at: Mapped[datetime | None]
    #: HMAC of the code last texted to confirm ``phone``, its expiry and the wrong tries against it
    phone_code_hash: Mapped[str | None] = mapped_column(String(64))
    phone_code_expires_at: Mapped[datetime | None]
    phone_code_tries: Mapped[int] = mapped_column(default=0, server_default="0")
    #: argon2 hash; None until an invitation is accepted
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    #: secret for the personal calendar feed; replaced to revoke
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=_now)
    last_login_at: Mapped[datetime | None]
    #: part of every session's id: raising it ends all sessions signed in before
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: when the person's data was erased (name, e-mail, sign-in wiped; see volunteers.privacy); None = not erased
    erased_at: Mapped[datetime | None]
    #: base32 TOTP secret: set when enrolment starts, None when two-factor sign-in is off; stored encrypted
    #: (``people.totp_secrets``: ``f1:`` and a Fernet token), read through ``twofactor.secret_of``
    totp_secret: Mapped[str | None] = mapped_column(String(200))
    #: when two-factor sign-in was switched on (a code confirmed the secret); None = off
    totp_enabled_at: Mapped[datetime | None]
    #: the 30-second step of the last code accepted: no code of it or before is accepted again
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    memberships: Mapped[list[Membership]] = relationship(back_populates="person")

    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lower"),)

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated person cannot sign in
        return self.active

    def get_id(self) -> str:  # Flask-Login: what the session cookie carries
        return f"{self.id}:{self.session_version}"

    @property
    def has_password(self) -> bool:
        """Whether a password is set: what a coordinator's page says of it (pages never need the hash)."""
        return bool(self.password_hash)

    @property
    def two_factor_enabled(self) -> bool:
        """Whether signing in needs a code from an authenticator app (or a recovery code) too."""
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    def __repr__(self) -> str:
        return f"<Person {self.email}>"


class Membership(Base):
    """A person's place in one organisation: role, status, pledge and limits."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    #: ``volunteer``, ``coordinator`` or ``admin``
    role: Mapped[str] = mapped_column(String(20), default="volunteer")
    #: ``active``, ``paused`` or ``left``
    status: Mapped[str] = mapped_column(String(20), default="active")
    #: hours a week they offer; None = no pledge (over_pledge stays silent)
    pledged_hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    joined_on: Mapped[date | None]
    last_supervised_on: Mapped[date | None]
    #: personal load-policy overrides by rule code (tightening only)
    limits: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: planned self-service preferences, e.g. preferred roles
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    no_show_count: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    #: the local date the status became ``left`` (None: not left, or left before this was recorded)
    left_on: Mapped[date | None]
    #: open peer-support cases this member can carry (None: not judged; the ``caseload`` rule)
    caseload_limit: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=_now)

    person: Mapped[Person] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship()
    #: the member's qualifications with their dates (the people pages list them)
    qualification_records: Mapped[list[PersonQualification]] = relationship(
        foreign_keys="PersonQualification.membership_id",
        primaryjoin="PersonQualification.membership_id == Membership.id",
        back_populates="membership",
    )

    __table_args__ = (
        UniqueConstraint("organisation_id", "person_id"),
        UniqueConstraint("organisation_id", "id"),
        Index("ix_memberships_person", "person_id"),  # every signed-in request reads a person's memberships
        CheckConstraint("role in ('volunteer', 'coordinator', 'admin')", name="role_known"),
        CheckConstraint("status in ('active', 'paused', 'left')", name="status_known"),
        CheckConstraint("pledged_hours_per_week is null or pledged_hours_per_week >= 0", name="pledge_not_negative"),
        CheckConstraint("caseload_limit is null or caseload_limit >= 0", name="caseload_limit_not_negative"),
    )

    @property
    def is_coordinator(self) -> bool:
        return self.role in ("coordinator", "admin")

    @property
    def must_enrol_two_factor(self) -> bool:
        """Whether this member must turn two-factor sign-in on before the coordinator pages open
        (``core.auth``'s decorators ask)."""
        org_requires = bool(self.organisation.setting(REQUIRE_SETTING, False))
        # the person only when the organisation requires it: loading the relationship (from the session's
        # identity map, no statement) was ~0.03 ms of every coordinator page in an organisation that does not
        return org_requires and enrolment_required(self.role, org_requires, self.person.two_factor_enabled)


class RecoveryCode(Base):
    """One single-use recovery code of a person's two-factor sign-in, kept only as a SHA-256 hash
    (``people.domain.two_factor`` says why that is enough)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    #: when it was used to sign in; a used code is never accepted again
    used_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("person_id", "code_hash"),)


class Qualification(Base):
    """A training or check with a validity period (DBS, Post Office training, course)."""

    __tablename__ = "qualifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    #: typical validity, to suggest an expiry date; None = does not expire
    validity_months: Mapped[int | None]
    #: one of QUALIFICATION_KINDS: ``check`` records carry a certificate number and update-service checks
    kind: Mapped[str] = mapped_column(String(20), default="training", server_default="training")
    archived_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        UniqueConstraint("organisation_id", "id"),
        CheckConstraint("kind in ('training', 'check', 'first_aid', 'other')", name="kind_known"),
    )

    @property
    def kind_label(self) -> str:
        return QUALIFICATION_KINDS.get(self.kind, self.kind)


class PersonQualification(Base):
    """A member's record of one qualification; expired means ineligible."""

    __tablename__ = "person_qualifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column()
    qualification_id: Mapped[int] = mapped_column()
    obtained_on: Mapped[date | None]
    #: None = never expires; valid through this local date
    expires_on: Mapped[date | None]
    #: a DBS/PVG check's certificate number
    certificate_number: Mapped[str | None] = mapped_column(String(60))
    #: when the DBS Update Service (or PVG scheme) status was last checked online
    update_service_checked_on: Mapped[date | None]

    membership: Mapped[Membership] = relationship(
        foreign_keys=[membership_id], primaryjoin="PersonQualification.membership_id == Membership.id",
        back_populates="qualification_records",
    )
    qualification: Mapped[Qualification] = relationship(
        foreign_keys=[qualification_id], primaryjoin="PersonQualification.qualification_id == Qualification.id"
    )

    __table_args__ = (
        org_fk(["membership_id"], "memberships", ondelete="CASCADE"),
        org_fk(["qualification_id"], "qualifications", ondelete="CASCADE"),
        UniqueConstraint("organisation_id", "membership_id", "qualification_id"),
        UniqueConstraint("organisation_id", "id"),  # the primary key once sharded by organisation (docs/SCALING.md)
        Index("ix_person_qualifications_org_expires", "organisation_id", "expires_on"),
        #: who holds a qualification; also the qualification foreign key's index
        Index("ix_person_qualifications_org_qualification", "organisation_id", "qualification_id"),
        CheckConstraint(
            "expires_on is null or obtained_on is null or expires_on >= obtained_on", name="expiry_after_obtained"
        ),
    )


class AvailabilityWindow(Base):
    """One entry of a member's weekly pattern, e.g. Mon 09:00–13:00 local time."""

    __tablename__ = "availability_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column()
    #: 0 = Monday
    weekday: Mapped[int]
    start_time: Mapped[time] = mapped_column(Time)
    #: at or before start_time means it runs past midnight
    end_time: Mapped[time] = mapped_column(Time)

    __table_args__ = (
        org_fk(["membership_id"], "memberships", ondelete="CASCADE"),
        UniqueConstraint("organisation_id", "id"),  # the primary key once sharded by organisation (docs/SCALING.md)
        CheckConstraint("weekday between 0 and 6", name="weekday_range"),
        Index("ix_availability_windows_org_member", "organisation_id", "membership_id"),
    )


class Leave(Base):
    """Dated leave or unavailability (inclusive local dates)."""

    __tablename__ = "leaves"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column()
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        org_fk(["membership_id"], "memberships", ondelete="CASCADE"),
        UniqueConstraint("organisation_id", "id"),  # the primary key once sharded by organisation (docs/SCALING.md)
        CheckConstraint("ends_on >= starts_on", name="ends_after_starts"),
        Index("ix_leaves_org_member_dates", "organisation_id", "membership_id", "starts_on"),
    )


class QualificationReminder(Base):
    """That the expiry reminder of one record at one threshold (60, 30, 7 days) was sent: the job's key.

    Keyed by the record *and its expiry date*, so a renewed record (a new
    expiry) is reminded again, and a run that repeats sends nothing twice.
    """

    __tablename__ = "qualification_reminders"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    person_qualification_id: Mapped[int] = mapped_column(primary_key=True)
    expires_on: Mapped[date] = mapped_column(primary_key=True)
    #: days before expiry: 60, 30 or 7
    threshold_days: Mapped[int] = mapped_column(primary_key=True)
    sent_at: Mapped[datetime]

    __table_args__ = (org_fk(["person_qualification_id"], "person_qualifications", ondelete="CASCADE"),)


class SupervisionSession(Base):
    """A supervision session a member had: the member's ``last_supervised_on`` is the latest one's date."""

    __tablename__ = "supervision_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column()
    #: the member who supervised (None: someone outside the organisation, named in the note)
    supervisor_membership_id: Mapped[int | None] = mapped_column()
    #: the local date it was held
    held_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=_now)

    supervisor: Mapped[Membership | None] = relationship(
        foreign_keys=[supervisor_membership_id],
        primaryjoin="SupervisionSession.supervisor_membership_id == Membership.id")

    __table_args__ = (
        UniqueConstraint("organisation_id", "id"),
        org_fk(["membership_id"], "memberships", ondelete="CASCADE"),
        org_fk(["supervisor_membership_id"], "memberships", name="fk_supervision_sessions_supervisor"),
        Index("ix_supervision_sessions_org_member_held", "organisation_id", "membership_id", "held_on"),
        #: the supervisor foreign key's own index: a parent's delete or update finds its rows without a scan
        Index("ix_supervision_sessions_org_supervisor", "organisation_id", "supervisor_membership_id"),
    )
