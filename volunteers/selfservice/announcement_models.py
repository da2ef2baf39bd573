"""Announcements and who each went to (``selfservice.announcements`` sends them; the rules are in ``domain/``)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from volunteers.core.models import Base, org_fk


class Announcement(Base):
    """A short message from a coordinator to many people, shown on "My shifts" until ``expires_at``.

    The audience is resolved once, when it is sent: the people it went to are
    its :class:`AnnouncementRecipient` rows (someone who joins later does not
    get it). Withdrawing it early stamps ``withdrawn_at``; it leaves every page
    and its texts still held by quiet hours are not sent.
    """

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    #: everyone, role, site or date (``selfservice.domain.announcements.AUDIENCES``)
    audience: Mapped[str] = mapped_column(String(10))
    role_id: Mapped[int | None] = mapped_column()
    site_id: Mapped[int | None] = mapped_column()
    #: the local date whose shifts' people it is for (audience ``date``)
    shifts_on: Mapped[date | None]
    #: the coordinator who sent it (None once their person record is erased)
    created_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    #: it stops showing at this instant (UTC; chosen as a local date and time)
    expires_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("organisation_id", "id"),  # the primary key once sharded by organisation
        org_fk(["role_id"], "roles", name="fk_announcements_role"),
        org_fk(["site_id"], "sites", name="fk_announcements_site"),
        CheckConstraint("audience in ('everyone', 'role', 'site', 'date')", name="audience_known"),
        CheckConstraint("(audience = 'role') = (role_id is not null) and (audience = 'site') = (site_id is not null)"
                        " and (audience = 'date') = (shifts_on is not null)", name="audience_complete"),
        Index("ix_announcements_org_created", "organisation_id", "created_at"),
        # the foreign keys' own indexes: a parent's delete or update finds its rows without a scan
        Index("ix_announcements_org_role", "organisation_id", "role_id"),
        Index("ix_announcements_org_site", "organisation_id", "site_id"),
        Index("ix_announcements_created_by", "created_by_person_id"),
    )


class AnnouncementRecipient(Base):
    """One person an announcement went to: by which channel, under which outbox key, and whether they dismissed it.

    The key (organisation, announcement, member) makes sending it once per
    person a database rule, not only the outbox's dedupe key.
    """

    __tablename__ = "announcement_recipients"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    announcement_id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(primary_key=True)
    #: email or sms: the channel it was queued on
    channel: Mapped[str] = mapped_column(String(10))
    #: the outbox message's dedupe key (the outbox is not sharded, so no foreign key)
    outbox_key: Mapped[str] = mapped_column(String(200))
    dismissed_at: Mapped[datetime | None]

    __table_args__ = (
        org_fk(["announcement_id"], "announcements", name="fk_announcement_recipients_announcement",
               ondelete="CASCADE"),
        org_fk(["membership_id"], "memberships", name="fk_announcement_recipients_membership", ondelete="CASCADE"),
        CheckConstraint("channel in ('email', 'sms')", name="channel_known"),
        Index("ix_announcement_recipients_member", "organisation_id", "membership_id"),
    )
