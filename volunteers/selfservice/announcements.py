"""Announcements: send one to its audience on each person's channel, list them with their reach, withdraw, dismiss.

The audience is resolved when it is sent, in one statement: everyone active;
the people of a role or at a site (a place on such a shift from
:data:`~volunteers.selfservice.domain.announcements.RECENT` ago onwards); or
the people on a day's shifts. A coordinator limited to some sites
(``rota.site_scope``) may announce only to their sites: a site of theirs, or a
role or a day counted at their sites — never to everyone.

Each person gets it once (the recipient row's key and the outbox's dedupe
key), by text if they chose texts for announcements, confirmed their number
and it fits a text — held to the end of their quiet hours, never dropped — and
by e-mail otherwise. Services flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, bindparam, exists, func, join, or_, select, update
from sqlalchemy.orm import contains_eager

from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.sql_lists import any_of
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import format_day, format_time, local_date
from volunteers.extensions import db
from volunteers.mail.models import OutboxMessage
from volunteers.mail.outbox import enqueue
from volunteers.people.models import Membership, Person
from volunteers.rota import site_scope
from volunteers.rota.models import Assignment, Role, Shift, Site
from volunteers.selfservice import channel_delivery
from volunteers.selfservice.announcement_models import Announcement, AnnouncementRecipient
from volunteers.selfservice.domain.announcements import RECENT, Audience, Draft, sms_text
from volunteers.selfservice.messages import link

#: places that make someone one of a role's, a site's or a day's people
LIVE = ("assigned", "confirmed", "attended")
#: the coordinator's list shows this many, newest first
LIST_LIMIT = 50


def limited(org: Organisation, viewer: Membership) -> bool:
    """Whether ``viewer`` is a coordinator limited to some sites (admins never are)."""
    return viewer.role != "admin" and bool(site_scope.site_ids_of(org, viewer.id))


def audience_members(org: Organisation, audience: Audience, viewer: Membership | None,
                     now: datetime) -> list[Membership]:
    """Return the active members an announcement to ``audience`` goes to, people loaded, by name: one statement.

    ``viewer``'s site limit narrows a role's or a day's people to places at their sites; the sender
    is left out (they wrote it).
    """
    stmt = (
        scoped(Membership, org).join(Person, Person.id == Membership.person_id)
        .where(Membership.status == "active", Person.active.is_(True))
        .options(contains_eager(Membership.person)).order_by(Person.name, Membership.id)
    )
    if viewer is not None:
        stmt = stmt.where(Membership.id != viewer.id)
    if audience.kind != "everyone":
        place = (
            select(Assignment.id)
            .join(Shift, (Shift.organisation_id == Assignment.organisation_id) & (Shift.id == Assignment.shift_id))
            .where(Assignment.organisation_id == org.id, Assignment.membership_id == Membership.id,
                   Assignment.status.in_(LIVE), site_scope.site_clause(Shift.site_id, viewer))
        )
        if audience.kind == "role":
            place = place.where(Shift.role_id == audience.role_id, Shift.starts_at >= now - RECENT)
        elif audience.kind == "site":
            place = place.where(Shift.site_id == audience.site_id, Shift.starts_at >= now - RECENT)
        else:
            place = place.where(Shift.local_date == audience.on, Shift.status == "planned")
        stmt = stmt.where(exists(place))
    return list(db.session.scalars(stmt).unique())


def _check_audience(org: Organisation, audience: Audience, viewer: Membership) -> None:
    """Refuse a role or site that is not the organisation's (or, for a limited coordinator, a site not theirs).

    :raises ServiceError: naming the form field.
    """
    if audience.kind == "everyone" and limited(org, viewer):
        raise ServiceError("You coordinate some sites only: choose one of your sites, a role or a day "
                           "(counted at your sites).", "audience")
    if audience.kind == "role" and db.session.scalar(scoped(Role, org, Role.id).where(
            Role.id == audience.role_id, Role.archived_at.is_(None))) is None:
        raise ServiceError("Choose one of the organisation's roles.", "role_id")
    if audience.kind == "site" and db.session.scalar(site_scope.within_sites(
            scoped(Site, org, Site.id).where(Site.id == audience.site_id, Site.archived_at.is_(None)),
            Site.id, viewer)) is None:
        raise ServiceError("Choose one of your sites.", "site_id")


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs (split at blank lines), for the e-mail and the page."""
    return [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]


def until(org: Organisation, announcement: Announcement) -> str:
    """When it stops showing, in the organisation's zone: ``Sat 26 Dec, 23:59``."""
    return (f"{format_day(local_date(announcement.expires_at, org.timezone))}, "
            f"{format_time(announcement.expires_at, org.timezone)}")


@dataclass
class Sent:
    """What sending an announcement did: how many people it was queued to on each channel."""

    announcement: Announcement
    by_email: int = 0
    by_text: int = 0

    @property
    def people(self) -> int:
        return self.by_email + self.by_text


def announce(org: Organisation, author: Membership, draft: Draft, now: datetime) -> Sent:
    """Save ``draft`` and queue it once to each person of its audience, on their channel.

    :raises ServiceError: naming the field, for a role or site the author may not announce to.
    """
    _check_audience(org, draft.audience, author)
    members = audience_members(org, draft.audience, author, now)
    announcement = Announcement(
        organisation_id=org.id, title=draft.title, body=draft.body, audience=draft.audience.kind,
        role_id=draft.audience.role_id if draft.audience.kind == "role" else None,
        site_id=draft.audience.site_id if draft.audience.kind == "site" else None,
        shifts_on=draft.audience.on if draft.audience.kind == "date" else None,
        created_by_person_id=author.person_id, created_at=now, expires_at=draft.expires_at,
    )
    db.session.add(announcement)
    db.session.flush()
    sent = Sent(announcement)
    text = sms_text(org.name, draft.title, draft.body)  # None: too long for a text, everyone gets the e-mail
    for member in members:
        key = f"announcement:{org.id}:{announcement.id}:{member.id}"
        # a text the quiet hours would hold past the expiry is of no use then: it goes as the e-mail now
        by_text = text is not None and channel_delivery.text_instead(
            org, member, "announcements", now=now, key=key, text=text, shift_starts_at=draft.expires_at).by_text
        if not by_text:
            enqueue(dedupe_key=key, now=now, to=member.person.email, subject=f"{org.name}: {draft.title}",
                    template="announcement", organisation_id=org.id, org=org, person=member.person,
                    announcement=announcement, paragraphs=paragraphs(announcement.body),
                    until=until(org, announcement), link=link("/me/shifts"))
        db.session.add(AnnouncementRecipient(organisation_id=org.id, announcement_id=announcement.id,
                                             membership_id=member.id, channel="sms" if by_text else "email",
                                             outbox_key=key))
        sent.by_text += by_text
        sent.by_email += not by_text
    db.session.flush()
    return sent


def _visible(org: Organisation, viewer: Membership) -> Select:
    """The announcements ``viewer`` may see and withdraw (a limited coordinator: theirs and their sites')."""
    stmt = scoped(Announcement, org)
    if viewer.role == "admin":
        return stmt
    # site_clause is true for a coordinator with no limit; for a limited one a NULL site (everyone, a role,
    # a day) is not among their sites, so they see those only when they sent them
    return stmt.where(or_(Announcement.created_by_person_id == viewer.person_id,
                          site_scope.site_clause(Announcement.site_id, viewer)))


@dataclass
class Reach:
    """How far one channel of an announcement got: sent, still waiting (quiet hours, retries), failed or stopped."""

    sent: int = 0
    waiting: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.waiting + self.failed


@dataclass
class Listed:
    """An announcement on the coordinator's list, with its reach per channel and how many dismissed it."""

    announcement: Announcement
    current: bool
    reach: dict[str, Reach] = field(default_factory=lambda: {"email": Reach(), "sms": Reach()})
    dismissed: int = 0

    @property
    def people(self) -> int:
        return sum(r.total for r in self.reach.values())


def listing(org: Organisation, viewer: Membership, now: datetime) -> list[Listed]:
    """Return the newest announcements (current first), with their reach: two statements whatever their number."""
    found = list(db.session.scalars(_visible(org, viewer).order_by(Announcement.created_at.desc(),
                                                                   Announcement.id.desc()).limit(LIST_LIMIT)))
    items = {a.id: Listed(a, a.withdrawn_at is None and now < a.expires_at) for a in found}
    if items:
        rows = db.session.execute(
            scoped(AnnouncementRecipient, org, AnnouncementRecipient.announcement_id, AnnouncementRecipient.channel,
                   OutboxMessage.status, AnnouncementRecipient.dismissed_at.is_not(None), func.count())
            .outerjoin(OutboxMessage, OutboxMessage.dedupe_key == AnnouncementRecipient.outbox_key)
            .where(AnnouncementRecipient.announcement_id.in_(list(items)))
            .group_by(AnnouncementRecipient.announcement_id, AnnouncementRecipient.channel, OutboxMessage.status,
                      AnnouncementRecipient.dismissed_at.is_not(None))
        )
        for announcement_id, channel, status, dismissed, count in rows:
            item, reach = items[announcement_id], items[announcement_id].reach[channel]
            if status == "sent":
                reach.sent += count
            elif status in ("pending", "sending"):
                reach.waiting += count
            else:
                reach.failed += count  # failed after its last try, withdrawn before it went, or gone from the outbox
            item.dismissed += count if dismissed else 0
    return sorted(items.values(), key=lambda i: not i.current)


#: what a withdrawn announcement's unsent messages say in the outbox
WITHDRAWN = "Withdrawn before it was sent"


def withdraw(org: Organisation, viewer: Membership, announcement_id: int,
             now: datetime) -> tuple[Announcement, bool] | None:
    """Stop a current announcement now: it leaves every page and its unsent messages are not sent.

    Return it and whether this stopped it (False: it was withdrawn or expired already);
    None when it is not one ``viewer`` may see (a 404).
    """
    announcement = db.session.scalar(_visible(org, viewer).where(Announcement.id == announcement_id))
    if announcement is None:
        return None
    if announcement.withdrawn_at is not None or announcement.expires_at <= now:
        return announcement, False
    announcement.withdrawn_at = now
    keys = scoped(AnnouncementRecipient, org, AnnouncementRecipient.outbox_key).where(
        AnnouncementRecipient.announcement_id == announcement.id)
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.dedupe_key.in_(keys), OutboxMessage.status == "pending")
        .values(status="failed", last_error=WITHDRAWN).execution_options(synchronize_session=False))
    db.session.flush()
    return announcement, True


class Posted(NamedTuple):
    """What "My shifts" shows of an announcement, read as plain columns with its probe (no ORM step)."""

    id: int
    title: str
    body: str
    organisation_id: int


@dataclass(frozen=True)
class Shown:
    """A current announcement on a volunteer's "My shifts"."""

    announcement: Announcement | Posted
    organisation: Organisation


def current_for(memberships: list[Membership], now: datetime) -> list[Shown]:
    """Return the current announcements sent to these memberships and not dismissed, newest first: one statement."""
    if not memberships:
        return []
    orgs = {m.organisation_id: m.organisation for m in memberships}
    rows = db.session.scalars(_CURRENT, {"orgs": list(orgs), "members": [m.id for m in memberships], "now": now})
    return [Shown(a, orgs[a.organisation_id]) for a in rows.unique()]


#: an announcement and the recipient row it was sent to me by
_SENT = and_(AnnouncementRecipient.organisation_id == Announcement.organisation_id,
             AnnouncementRecipient.announcement_id == Announcement.id)


def current_where(orgs: str = "orgs", sizes: tuple[int, int] | None = None) -> tuple[Any, ...]:
    """Sent to the memberships bound as ``members`` in the organisations bound as ``orgs``, not dismissed,
    withdrawn or expired by ``now``: ``current_for``'s, and /me/shifts's where its probe carries them.

    ``sizes`` (how many organisations and members): the lists as that many plain parameters
    (``sql_lists.any_of``, bound as ``orgs_0`` …, ``members_0`` …) rather than expanding ones."""
    to_orgs: Any
    to_members: Any
    if sizes is None:
        to_orgs = AnnouncementRecipient.organisation_id.in_(bindparam(orgs, expanding=True))
        to_members = AnnouncementRecipient.membership_id.in_(bindparam("members", expanding=True))
    else:
        to_orgs = any_of(AnnouncementRecipient.organisation_id, orgs, sizes[0])
        to_members = any_of(AnnouncementRecipient.membership_id, "members", sizes[1])
    return (to_orgs, to_members, AnnouncementRecipient.dismissed_at.is_(None), Announcement.withdrawn_at.is_(None),
            Announcement.expires_at > bindparam("now"))


def current_join() -> Any:
    """Announcements joined to their recipients (``current_where`` filters them)."""
    return join(Announcement, AnnouncementRecipient, _SENT)


#: newest first
CURRENT_ORDER = (Announcement.created_at.desc(), Announcement.id.desc())

#: the current announcements sent to some memberships, not dismissed: built once, the ids bound per request
_CURRENT = select(Announcement).join(AnnouncementRecipient, _SENT).where(*current_where()).order_by(*CURRENT_ORDER)


def dismiss(memberships: list[Membership], announcement_id: int, now: datetime) -> bool:
    """Hide an announcement from its recipient's "My shifts"; False when it was not sent to them."""
    recipient = db.session.scalar(select(AnnouncementRecipient).where(
        AnnouncementRecipient.organisation_id.in_([m.organisation_id for m in memberships]),
        AnnouncementRecipient.membership_id.in_([m.id for m in memberships]),
        AnnouncementRecipient.announcement_id == announcement_id))
    if recipient is None:
        return False
    recipient.dismissed_at = recipient.dismissed_at or now
    db.session.flush()
    return True


def audience_words(announcement: Announcement, names: dict[tuple[str, int], str]) -> str:
    """Who it went to, in words: "Everyone", "Shop counter", "Village hall shop", "Sat 26 Dec's shifts"."""
    if announcement.audience == "role" and announcement.role_id is not None:
        return f"People of {names.get(('role', announcement.role_id), 'a role')}"
    if announcement.audience == "site" and announcement.site_id is not None:
        return f"People at {names.get(('site', announcement.site_id), 'a site')}"
    if announcement.audience == "date" and announcement.shifts_on is not None:
        return f"People on the shifts of {format_day(announcement.shifts_on)} {announcement.shifts_on.year}"
    return "Everyone"


def reference_names(org: Organisation) -> dict[tuple[str, int], str]:
    """Role and site names by id, for the list's audience words (one statement each, archived included)."""
    names = {("role", i): n for i, n in db.session.execute(scoped(Role, org, Role.id, Role.name))}
    names.update({("site", i): n for i, n in db.session.execute(scoped(Site, org, Site.id, Site.name))})
    return names

