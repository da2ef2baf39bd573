"""Send a message by text instead of e-mail when the member chose that and their number is confirmed.

The callers (reminders, cover requests) build their text and key as they
build the e-mail; :func:`text_instead` decides by the member's choice for
that kind of message (``selfservice.domain.channels``) and, for a text,
holds it to the end of their quiet hours — a cover request for a shift
within 12 hours is not held. A text the quiet hours would hold until after
its shift has begun (a reminder of a 06:00 shift queued at 04:00) goes as
the e-mail instead, now: it arrives in time and wakes nobody. A text queued
in time carries its shift's start (or its offer's end) in its hold: a retry
after back-off that the quiet hours would hold past it, or a try the sender
reaches only after it, is not sent and the outbox says why
(``mail.quiet.Hold.void_at``). The e-mail's
dedupe key is used for the text, so a message is queued once whichever
channel it takes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from volunteers.core.models import Organisation
from volunteers.mail.outbox import enqueue_text
from volunteers.mail.quiet import Hold
from volunteers.people.models import Membership
from volunteers.selfservice.domain.channels import URGENT_COVER, Preferences, channel_for, text_send_at
from volunteers.selfservice.phone_check import is_confirmed


@dataclass(frozen=True)
class Routed:
    """``by_text``: the member gets a text (the caller sends no e-mail); ``queued``: a new one was queued."""

    by_text: bool
    queued: bool = False


def preferences_of(membership: Membership) -> Preferences:
    """The member's message choices in this organisation (defaults: all e-mail, quiet 21:00–08:00)."""
    return Preferences.from_stored((membership.preferences or {}).get("messages"))


#: why a text was not sent (the outbox's last_error, on the coordinator's outbox page)
SHIFT_STARTED = "Not sent: its shift had started"
OFFER_ENDED = "Not sent: the offer had ended"
ANNOUNCEMENT_ENDED = "Not sent: the announcement had ended"


def too_late(kind: str, shift_starts_at: datetime | None,
             expires_at: datetime | None) -> tuple[datetime | None, str]:
    """From when a text is of no use and why: its shift's start or the offer's end, the sooner (None: never).

    An announcement's end comes as ``shift_starts_at`` (its callers hold its texts by it as by a start).
    """
    if expires_at is not None and (shift_starts_at is None or expires_at < shift_starts_at):
        return expires_at, OFFER_ENDED
    if shift_starts_at is None:
        return None, ""
    return shift_starts_at, ANNOUNCEMENT_ENDED if kind == "announcements" else SHIFT_STARTED


def text_instead(org: Organisation, membership: Membership, kind: str, *, now: datetime, key: str, text: str,
                 shift_starts_at: datetime | None = None, expires_at: datetime | None = None) -> Routed:
    """Queue ``text`` to the member's number if they take ``kind`` by text; else tell the caller to e-mail.

    ``expires_at`` (a waiting-list offer's end): a text the quiet hours would hold
    until then or later goes as the e-mail now, as one held past the shift's start.
    """
    person = membership.person
    preferences = preferences_of(membership)
    if channel_for(preferences, kind, is_confirmed(person)) != "sms":
        return Routed(by_text=False)
    assert person.phone is not None  # is_confirmed checked it
    send_at = text_send_at(now, org.timezone, preferences.quiet, kind, shift_starts_at)
    if send_at > now and any(end is not None and send_at >= end for end in (shift_starts_at, expires_at)):
        return Routed(by_text=False)  # held past the start (or the offer's end) it would be no use: e-mail now
    # the same quiet hours hold a retry after back-off; a cover request is no longer held once urgent; a
    # try (first or retried) that falls due once the shift has begun or the offer ended is not sent
    urgent_from = shift_starts_at - URGENT_COVER if kind == "cover" and shift_starts_at is not None else None
    void_at, void_reason = too_late(kind, shift_starts_at, expires_at)
    hold = Hold(org.timezone, preferences.quiet.start, preferences.quiet.end, urgent_from, void_at, void_reason)
    message = enqueue_text(dedupe_key=key, now=now, to=person.phone, text=text, organisation_id=org.id,
                           send_at=send_at, hold=hold)
    return Routed(by_text=True, queued=message is not None)
