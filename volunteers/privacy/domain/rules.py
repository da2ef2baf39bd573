"""What counts as personal data, what erasure leaves behind, and when retention erases.

Erasure keeps the records an organisation must keep to account for its
work — the append-only contributions ledger, issued reports, the audit
trail, load warnings (they are counted in the monthly figures) — and wipes
what identifies the person or says something about them that no figure
needs. A wiped person reads "Former volunteer #<id>" wherever a name is
shown, so every total, ranking and issued report stays as it was.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from volunteers.core.params import setting_in_range

#: RFC 2606 reserves ``.invalid``: an address there can never be delivered
ERASED_EMAIL_DOMAIN = "invalid"
#: what an erased e-mail or message text reads
REDACTED = "(erased)"
#: months after leaving before the retention job erases someone, unless the organisation says otherwise
DEFAULT_RETENTION_MONTHS = 24
#: the organisation setting that overrides it
RETENTION_SETTING = "retention_months_after_leaving"
#: bounds of that setting: a month at least, a century at most
RETENTION_BOUNDS = (1, 1200)

#: every table that refers to a person, and what erasure does with it (a test keeps this complete)
PERSONAL_DATA: dict[str, dict[str, str]] = {
    "people": {
        "name": "replaced by 'Former volunteer #<id>'",
        "email": "replaced by 'erased-<id>@invalid' (never delivered, still unique)",
        "phone": "cleared",
        "password_hash": "cleared: no one can sign in",
        "calendar_token": "cleared: the calendar feed stops",
        "totp_secret": "cleared, with the recovery codes",
        "last_login_at": "cleared",
    },
    "memberships": {
        "notes": "cleared", "preferences": "cleared", "limits": "cleared",
        "last_supervised_on": "cleared", "status": "set to 'left'",
    },
    "person_qualifications": {"*": "deleted"},
    "supervision_sessions": {"*": "the sessions they had deleted (notes may be about their wellbeing); "
                                  "as a supervisor they stay an id on others' sessions"},
    "availability_windows": {"*": "deleted"},
    "coordinator_sites": {"*": "kept: which sites a coordinator leads is the organisation's set-up, not about "
                               "them; the member is an id (the rows go with the membership)"},
    "leaves": {"*": "deleted (reasons may be about health)"},
    "assignments": {"*": "future ones deleted; past ones kept (they back attendance in the ledger), "
                         "override reasons cleared"},
    "shift_offers": {"*": "open ones they take or are offered withdrawn; notes on theirs cleared"},
    "waiting_list_entries": {"*": "deleted (a place held for them goes to the next person on the list "
                                  "within a minute)"},
    "cover_asks": {"*": "kept: who was asked to cover which place, in which wave and when, by id and channel "
                        "(the requests themselves are the outbox's, redacted there)"},
    "contributions": {"*": "kept (append-only); pending self-logged hours rejected"},
    "outbox_messages": {"*": "unsent ones deleted; sent ones' address, subject and bodies redacted"},
    "recovery_codes": {"*": "deleted with the person's sign-in"},
    "api_tokens": {"*": "kept but dead: a token acts only for a membership that has not left, of a person not erased"},
    "load_rechecks": {"*": "deleted (the scan's queue)"},
    "load_warnings": {"*": "kept: the monthly figures count them; notes written about them cleared"},
    "audit_log_entries": {"*": "never edited (append-only; entries hold ids, not names)"},
    "monthly_reports": {"*": "never edited (issued reports are frozen)"},
    # peer support: the records are about the supported mother, not the erased supporter; the supporter is
    # a membership id (shown as 'Former volunteer #<id>'). Handing open cases over and erasing closed cases
    # after the organisation's retention period are still to come (issue 15).
    "supported_people": {"*": "kept (the mother's record); the erased member stays their supporter by id until "
                              "the cases are handed over"},
    "contacts": {"*": "kept: they back the contact time in the ledger; the member is an id"},
    "announcements": {"*": "kept (the organisation's message to many); its author is an id, cleared when the "
                           "person row goes"},
    "announcement_recipients": {"*": "kept: which announcements went to the member, by id (their texts and "
                                     "e-mails are the outbox's, redacted there)"},
}

#: person fields the download carries (never the password hash, tokens or two-factor secrets)
PERSON_EXPORT_FIELDS = ("id", "email", "name", "phone", "active", "created_at", "last_login_at", "erased_at")
#: fields no download ever carries, whichever table they are in
SECRET_FIELDS = frozenset({"password_hash", "calendar_token", "totp_secret", "totp_last_step", "code_hash",
                           "session_version"})


def former_volunteer_name(person_id: int) -> str:
    """Return the name an erased person is shown by."""
    return f"Former volunteer #{person_id}"


def erased_email(person_id: int) -> str:
    """Return an erased person's address: lower case, unique per person, never deliverable."""
    return f"erased-{person_id}@{ERASED_EMAIL_DOMAIN}"


def is_erased_email(address: str) -> bool:
    return address.endswith(f"@{ERASED_EMAIL_DOMAIN}") and address.startswith("erased-")


def retention_months(setting: object) -> int:
    """Return the organisation's retention period in months; a missing or unusable setting is the default."""
    return setting_in_range(setting, DEFAULT_RETENTION_MONTHS, RETENTION_BOUNDS)


def left_since(left_on: date | None, last_activity_on: date | None, created_on: date) -> date:
    """Return the date a ``left`` membership counts as left from.

    ``left_on`` when it was recorded (it is set whenever the status becomes
    ``left``); for memberships left before it was recorded, the last day
    the person did something there (the start of their last shift, or
    their last ledger entry), else the day the membership was created.
    That fallback may be earlier than the day they really left, so such a
    person is erased N months after they were last active, never sooner.
    """
    if left_on is not None:
        return left_on
    return last_activity_on if last_activity_on is not None else created_on


def retention_due(left: date, today: date, months: int) -> bool:
    """Return whether someone who left on ``left`` has been gone more than ``months`` months on ``today``.

    Calendar months, end-of-month clamped: left on 31 Aug 2024 with 24
    months is due from 1 Sep 2026 (31 Aug 2026 is exactly 24 months).
    """
    return today > left + relativedelta(months=months)


@dataclass(frozen=True)
class ErasureScope:
    """What an erasure from one organisation touches."""

    #: the person row is wiped too (they belong to no other organisation)
    wipes_person: bool
    #: the organisations they stay in (by name), where they keep their login
    other_organisations: tuple[str, ...]


def erasure_scope(other_active_organisations: list[str]) -> ErasureScope:
    """Decide whether erasing a membership wipes the person too.

    Only memberships that are not ``left`` count: someone who has left every
    other organisation belongs to none, so their login goes.
    """
    names = tuple(sorted(other_active_organisations))
    return ErasureScope(wipes_person=not names, other_organisations=names)


def export_filename(today: date) -> str:
    """Return the download's file name."""
    return f"volunteers-data-{today.isoformat()}.zip"
