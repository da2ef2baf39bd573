"""Supported people (cases) and the contacts made with them.

Special-category data (health): the record holds as little as the work
needs. Both tables are organisation-owned: ``organisation_id`` is in their
unique keys and in every foreign key to another organisation-owned table
(DESIGN.md, "Scale-out"), so a contact can never point at another
organisation's case, member or ledger entry.

The contact plan is not a table: it is plain data in
``Organisation.settings["contact_plan"]`` (see ``services.contact_plan``),
because it is a short list edited as a whole, read whole with the
organisation, and needs no joins; DESIGN's default applies when it is absent.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from volunteers.core.models import Base, _now, org_fk

STATUSES = ("open", "closed")
CLOSED_REASONS = ("moved_away", "declined", "plan_complete", "other")
MODES = ("ward", "home", "phone", "group", "helpline")
#: a contact longer than this is refused (issue 15)
MAX_MINUTES = 12 * 60


class SupportedPerson(Base):
    """A person supported by the programme (a new mother): one case."""

    __tablename__ = "supported_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    #: the organisation's own reference, unique in it (the CSV's key)
    reference: Mapped[str] = mapped_column(String(60))
    first_name: Mapped[str] = mapped_column(String(100))
    #: the plan date, day 0 of the contact plan (the baby's birth date for the default plan)
    born_on: Mapped[date]
    area: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(60))
    consent_on: Mapped[date | None]
    #: what the person consented to, in words
    consent_to: Mapped[str | None] = mapped_column(String(300))
    #: the supporting volunteer; None while nobody is assigned
    supporter_membership_id: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default="open")
    closed_on: Mapped[date | None]
    closed_reason: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=_now)

    __table_args__ = (
        UniqueConstraint("organisation_id", "id"),
        UniqueConstraint("organisation_id", "reference"),
        org_fk(["supporter_membership_id"], "memberships", name="fk_supported_people_supporter_memberships"),
        CheckConstraint("status in ('open', 'closed')", name="status_known"),
        CheckConstraint("closed_reason is null or closed_reason in ('moved_away', 'declined', 'plan_complete', "
                        "'other')", name="closed_reason_known"),
        CheckConstraint("(status = 'closed') = (closed_on is not null)", name="closed_has_date"),
        CheckConstraint("length(reference) > 0", name="reference_not_empty"),
        #: caseloads and "my mothers": a supporter's cases
        Index("ix_supported_people_org_supporter", "organisation_id", "supporter_membership_id"),
        #: the report's "registered in the month" and the due windows
        Index("ix_supported_people_org_born", "organisation_id", "born_on"),
    )


class Contact(Base):
    """One meeting or call with a supported person, and the ledger entry its time made."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    supported_person_id: Mapped[int] = mapped_column()
    #: local date of the contact
    contact_on: Mapped[date]
    mode: Mapped[str] = mapped_column(String(10))
    minutes: Mapped[int]
    #: the volunteer who made it
    membership_id: Mapped[int] = mapped_column()
    #: a short private outcome note (kept like the record)
    outcome: Mapped[str | None] = mapped_column(Text)
    #: the approved time contribution this contact wrote to the ledger
    contribution_id: Mapped[int | None] = mapped_column()
    #: the service-user attendance entry of a group contact
    attendance_contribution_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=_now)

    __table_args__ = (
        UniqueConstraint("organisation_id", "id"),
        org_fk(["supported_person_id"], "supported_people", name="fk_contacts_supported_people", ondelete="CASCADE"),
        org_fk(["membership_id"], "memberships"),
        org_fk(["contribution_id"], "contributions"),
        org_fk(["attendance_contribution_id"], "contributions", name="fk_contacts_attendance_contributions"),
        CheckConstraint("mode in ('ward', 'home', 'phone', 'group', 'helpline')", name="mode_known"),
        CheckConstraint("minutes > 0 and minutes <= 720", name="minutes_in_range"),
        #: a case's contacts in date order (what is done, what is due)
        Index("ix_contacts_org_case", "organisation_id", "supported_person_id", "contact_on"),
        #: the month's contacts by mode (the report)
        Index("ix_contacts_org_on", "organisation_id", "contact_on"),
        #: a volunteer's contacts in a window (peersupport.load); also the membership foreign key's index
        Index("ix_contacts_org_member", "organisation_id", "membership_id", "contact_on"),
        # the ledger foreign keys' own indexes: a parent's delete or update finds its rows without a scan
        Index("ix_contacts_org_contribution", "organisation_id", "contribution_id"),
        Index("ix_contacts_org_attendance", "organisation_id", "attendance_contribution_id"),
    )
