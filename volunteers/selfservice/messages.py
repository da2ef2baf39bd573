"""E-mails of volunteer self-service, queued in the outbox in the caller's unit of work.

Four kinds: a change to someone's place or request (``place_changed``, to a
volunteer or to the coordinators), a "cover needed" call to the few people
a wave asks (``cover_needed``; who, and when, is ``selfservice.cover_waves``'s), and a
swap offer to a named colleague or to everyone eligible (``swap_offer``).
Reminders live in ``rota.reminders``. Every message has a dedupe key
naming what it is about and who gets it, so queueing twice sends once.
Times are formatted here in the organisation's zone: a job has no request
(and so no "current organisation") to format them with.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import selectinload

from volunteers.core import links
from volunteers.core.models import Organisation
from volunteers.core.tenancy import scoped
from volunteers.core.timeutil import format_span, zone
from volunteers.extensions import db
from volunteers.mail.outbox import enqueue
from volunteers.people.models import Membership
from volunteers.rota.candidates import load_candidates, open_shift_for
from volunteers.rota.domain.eligibility import EligibilityIndex
from volunteers.rota.models import Shift
from volunteers.selfservice import channel_delivery
from volunteers.selfservice.reply_codes import reply_code


@dataclass(frozen=True)
class ShiftText:
    """A shift as an e-mail reads it."""

    when: str
    role: str
    site: str


def shift_text(org: Organisation, shift: Shift) -> ShiftText:
    return ShiftText(format_span(shift.starts_at, shift.ends_at, org.timezone), shift.role.name, shift.site.name)


def link(path: str) -> str:
    """Return an absolute link for an e-mail (jobs have no request to build one from)."""
    return links.absolute(path)


def coordinators(org: Organisation) -> list[Membership]:
    """Return the organisation's active coordinators and admins, people loaded."""
    return list(db.session.scalars(
        scoped(Membership, org)
        .where(Membership.role.in_(("coordinator", "admin")), Membership.status == "active")
        .options(selectinload(Membership.person))
        .order_by(Membership.id)
    ))


def tell(
    org: Organisation, membership: Membership, shift: Shift, *, now: datetime, key: str, subject: str, headline: str,
    lines: Iterable[str] = (), path: str = "/me/shifts", link_label: str = "See your shifts",
) -> None:
    """Queue one ``place_changed`` message to one member (once per ``key``): by text if they chose it."""
    person = membership.person
    if not person.active:
        return
    text = shift_text(org, shift)
    if channel_delivery.text_instead(org, membership, "changes", now=now, key=f"{key}:to:{membership.id}",
                                     text=f"{subject}: {text.role}, {text.when}. {headline}").by_text:
        return
    enqueue(
        dedupe_key=f"{key}:to:{membership.id}",
        now=now,
        to=person.email,
        subject=f"{subject}: {text.role}, {text.when}",
        template="place_changed",
        organisation_id=org.id,
        org=org, person=person, shift=text, headline=headline, lines=list(lines),
        link=link(path), link_label=link_label,
    )


def tell_coordinators(
    org: Organisation, shift: Shift, *, now: datetime, key: str, subject: str, headline: str, lines: Iterable[str] = (),
) -> int:
    """Queue a ``place_changed`` message to every coordinator; return how many."""
    lines = list(lines)
    people = coordinators(org)
    for membership in people:
        tell(org, membership, shift, now=now, key=key, subject=subject, headline=headline, lines=lines,
             path="/rota/requests", link_label="Open the requests page")
    return len(people)


def eligible_members(org: Organisation, shift: Shift, exclude: Iterable[int] = ()) -> list[Membership]:
    """Return the active members who may take ``shift`` (qualified, available, free), people loaded.

    Eight queries whatever the organisation's size (``load_candidates`` and
    the eligibility index do the work in bulk).
    """
    candidates = load_candidates(org, None, shift.starts_at, shift.ends_at)
    if not candidates:
        return []
    index = EligibilityIndex(list(candidates.values()), zone(org.timezone))
    left_out = {str(i) for i in exclude}
    ids = [int(cid) for cid in index.assess(open_shift_for(org, shift)).eligible if cid not in left_out]
    if not ids:
        return []
    return list(db.session.scalars(
        scoped(Membership, org).where(Membership.id.in_(ids)).options(selectinload(Membership.person))
        .order_by(Membership.id)
    ))


def _ask(
    org: Organisation, recipients: Iterable[Membership], *, now: datetime, key: str, subject: str, template: str,
    cover: tuple[Shift, int] | None = None, path: str = "/me/shifts#offers", **context: Any,
) -> dict[int, str]:
    """Queue one message about a place on offer to each active recipient (once per ``key``).

    Return membership id → channel (``sms`` or ``email``) of those asked. A
    request to ``cover`` a shift (the shift, the offer's id) goes by text to
    those who chose texts for cover requests, with the code to reply to take
    it (selfservice.text_replies).
    """
    asked: dict[int, str] = {}
    for membership in recipients:
        if not membership.person.active:
            continue
        if cover is not None and channel_delivery.text_instead(
                org, membership, "cover", now=now, key=f"{key}:to:{membership.id}", shift_starts_at=cover[0].starts_at,
                text=f"{subject} at {cover[0].site.name}. Reply YES {reply_code(cover[1], membership.id)} to take it, "
                     f"or see {link(path)}").by_text:
            asked[membership.id] = "sms"
            continue
        enqueue(dedupe_key=f"{key}:to:{membership.id}", now=now, to=membership.person.email, subject=subject,
                template=template, organisation_id=org.id, org=org, person=membership.person,
                link=link(path), **context)
        asked[membership.id] = "email"
    return asked


def cover_needed(
    org: Organisation, shift: Shift, recipients: Iterable[Membership], *, offer_id: int | None, giver: str | None,
    key: str, now: datetime,
) -> dict[int, str]:
    """Ask ``recipients`` (one wave, chosen by ``selfservice.cover_waves``) to cover a place; return id → channel.

    For a late cancellation (``offer_id``) the key must be ``cover:<org>:<offer>``: a text carries the
    YES code, which ``text_replies`` matches against exactly that key. An open place (no offer) is
    asked by e-mail, with a link to the open shifts.
    """
    text = shift_text(org, shift)
    return _ask(org, recipients, now=now, key=key, subject=f"Cover needed: {text.role}, {text.when}",
                template="cover_needed", cover=(shift, offer_id) if offer_id is not None else None,
                path="/me/shifts#offers" if offer_id is not None else "/me/shifts/open", shift=text, giver=giver)


def swap_offered(
    org: Organisation, shift: Shift, offer_id: int, giver: Membership, to: Membership | None, now: datetime
) -> int:
    """Tell the named colleague, or everyone eligible, that a place is on offer; return how many."""
    text = shift_text(org, shift)
    recipients = [to] if to is not None else eligible_members(org, shift, exclude=[giver.id])
    return len(_ask(org, recipients, now=now, key=f"swap:{org.id}:{offer_id}",
                    subject=f"{giver.person.name} offers you a shift: {text.role}, {text.when}", template="swap_offer",
                    shift=text, giver=giver.person.name, named=to is not None))
