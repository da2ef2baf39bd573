"""Announcements: the rules of a short message to many people (pure; ``now`` passed in).

A coordinator writes a title and a body to an *audience* — everyone, the
people of a role, of a site, or on a date's shifts — with an expiry (a local
date and time in the organisation's zone). It goes out once per person on
their chosen channel for "announcements"; by text only when it fits a text
(:data:`MAX_SEGMENTS` SMS segments, counted as the networks count them),
otherwise by e-mail. It stays on the volunteer's "My shifts" until it expires,
is withdrawn, or they dismiss it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TITLE_MAX = 80
BODY_MAX = 1000
#: an announcement stays up at most this long
MAX_AHEAD = timedelta(days=90)
#: a text of more segments than this goes by e-mail instead (each segment is charged and may arrive apart)
MAX_SEGMENTS = 2

AUDIENCES: dict[str, str] = {
    "everyone": "Everyone",
    "role": "People of one role",
    "site": "People at one site",
    "date": "People on one day's shifts",
}
#: "people of a role / at a site" are those with a place on such a shift from this long ago onwards
RECENT = timedelta(days=90)

# GSM 03.38: the basic set (one septet each) and the extension set (two: an escape and the character)
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = set("^{}\\[~]|€\f")


def sms_segments(text: str) -> int:
    """How many SMS segments ``text`` takes: GSM-7 (160, or 153 a part) or, with any other character, UCS-2 (70/67).

    UCS-2 counts UTF-16 code units, so an emoji takes two.
    """
    if all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text):
        units, single, part = sum(2 if c in _GSM_EXTENDED else 1 for c in text), 160, 153
    else:
        units, single, part = len(text.encode("utf-16-le")) // 2, 70, 67
    return 1 if units <= single else math.ceil(units / part)


def sms_text(org_name: str, title: str, body: str) -> str | None:
    """The announcement as a text (``Tackley Village Shop: Closed on Boxing Day. The shop …``), or None if too long."""
    text = f"{org_name}: {title.strip()}. {body.strip()}" if not title.strip().endswith((".", "!", "?")) \
        else f"{org_name}: {title.strip()} {body.strip()}"
    return text if sms_segments(text) <= MAX_SEGMENTS else None


@dataclass(frozen=True)
class Audience:
    """Who an announcement is for: ``kind`` one of :data:`AUDIENCES`, with the role, site or date it names."""

    kind: str
    role_id: int | None = None
    site_id: int | None = None
    on: date | None = None


@dataclass(frozen=True)
class Draft:
    """A checked announcement, ready to save and send."""

    title: str
    body: str
    audience: Audience
    expires_at: datetime  #: UTC


def local_expiry(day: date, at: time, zone_name: str) -> datetime:
    """The UTC instant the organisation's clock shows ``day`` ``at``.

    A time the clock shows twice (01:30 on the last Sunday of October in London) is the first
    of them; a time it skips (01:30 on the last Sunday of March) is read with the offset before
    the change, so it lands an hour after the jump (02:30 BST).
    """
    return datetime.combine(day, at).replace(tzinfo=ZoneInfo(zone_name), fold=0).astimezone(UTC)


def check_draft(title: str, body: str, audience: Audience, expires_on: date | None, expires_time: time | None,
                zone_name: str, now: datetime) -> tuple[Draft | None, dict[str, str]]:
    """Check what the coordinator wrote; return the draft, or None and a message per field name.

    Field names are the form's: ``title``, ``body``, ``audience``, ``role_id``, ``site_id``, ``on``,
    ``expires_on``, ``expires_time``. A date audience must be today or later (local).
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    errors: dict[str, str] = {}
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        errors["title"] = "Give the announcement a title."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Keep the title to {TITLE_MAX} characters (it has {len(title)})."
    if not body:
        errors["body"] = "Write the message."
    elif len(body) > BODY_MAX:
        errors["body"] = f"Keep the message to {BODY_MAX} characters (it has {len(body)})."
    if audience.kind not in AUDIENCES:
        errors["audience"] = "Choose who it is for."
    elif audience.kind == "role" and audience.role_id is None:
        errors["role_id"] = "Choose the role."
    elif audience.kind == "site" and audience.site_id is None:
        errors["site_id"] = "Choose the site."
    elif audience.kind == "date":
        today = now.astimezone(ZoneInfo(zone_name)).date()
        if audience.on is None:
            errors["on"] = "Give the day whose shifts it is for."
        elif audience.on < today:
            errors["on"] = "That day is over: choose today or a later day."
        elif audience.on > today + MAX_AHEAD:
            errors["on"] = "That is more than 90 days ahead."
    expires_at = None
    if expires_on is None:
        errors["expires_on"] = "Give the last day it shows."
    elif expires_time is None:
        errors["expires_time"] = "Give the time it stops showing."
    else:
        expires_at = local_expiry(expires_on, expires_time, zone_name)
        if expires_at <= now:
            errors["expires_on"] = "That is already past: choose a later day or time."
        elif expires_at > now + MAX_AHEAD:
            errors["expires_on"] = "An announcement can show for at most 90 days."
    if errors or expires_at is None:
        return None, errors
    return Draft(title, body, audience, expires_at), {}


def is_current(expires_at: datetime, withdrawn_at: datetime | None, now: datetime) -> bool:
    """Whether an announcement still shows at ``now``: not withdrawn and not expired (expiry is exclusive)."""
    return withdrawn_at is None and now < expires_at


def default_expiry(now: datetime, zone_name: str) -> tuple[date, time]:
    """The form's suggestion: the end of the day a week from today, local."""
    return now.astimezone(ZoneInfo(zone_name)).date() + timedelta(days=7), time(23, 59)
