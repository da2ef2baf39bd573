"""Every POST route of the app is either driven by an audit test (``@audits``) or knowingly left out.

A coordinator or admin write added without an audit entry — and without
an audit test — fails here, naming its endpoint.
"""
from __future__ import annotations

import importlib
from pathlib import Path

from flask import Flask

from .coverage import COVERED

#: POST routes that are not a coordinator's or admin's write of the organisation's records, and why
NOT_AUDITED_HERE = {
    # signing in and out, passwords, invitations, two-factor: the sign-in events are recorded by
    # people.account_audit (auth.sign_in, auth.sign_in_failed, auth.password_reset …), tested with them
    "auth.login": "sign-in events, people.account_audit",
    "auth.two_factor": "sign-in events, people.account_audit",
    "auth.logout": "ends one's own session; writes no record",
    "auth.logout_everywhere": "auth.sign_out_everywhere, people.account_audit",
    "auth.forgot_password": "anonymous; queues a mail, writes no record",
    "auth.reset_password": "auth.password_reset, people.account_audit",
    "auth.accept_invitation": "a new volunteer sets their own password",
    "account.start_enrolment": "one's own two-factor set-up (people.twofactor audits enabling it)",
    "account.confirm_enrolment": "auth.two_factor_enabled, people.twofactor",
    "account.regenerate_codes": "auth.recovery_codes_regenerated, people.twofactor",
    "account.disable": "auth.two_factor_disabled, people.twofactor",
    "account.organisation_security": "settings.update, people.twofactor (tested with two-factor sign-in)",
    # erasure is the privacy package's: privacy.erase entries, tested there
    "privacy.erase": "privacy.erase, volunteers.privacy",
    # choosing which organisation to look at: kept in the session, no record changes
    "core.switch_org": "session only",
    # a volunteer's own actions (not required; several are audited anyway)
    "me.sign_up": "a volunteer's own sign-up (rota.self_sign_up_warning when over a load warning)",
    "me.cancel_place": "a volunteer's own cancellation or request",
    "me.offer_place": "a volunteer's own swap offer",
    "me.accept_offer": "a volunteer taking a colleague's offer",
    "me.withdraw_offer": "a volunteer withdrawing their own offer",
    "me.new_calendar_link": "a volunteer's own calendar link",
    "me.revoke_calendar_link": "a volunteer's own calendar link",
    "me.messages": "a volunteer's own channels and quiet hours",
    "me.send_phone_code": "a volunteer's own phone number (a code is texted to it)",
    "me.confirm_phone": "a volunteer confirming their own number",
    "me.remove_phone": "a volunteer removing their own number",
    "me.dismiss_announcement": "a volunteer hiding an announcement from their own shifts page",
    "me.join_waiting_list": "a volunteer joining a full shift's waiting list",
    "me.leave_waiting_list": "a volunteer leaving a waiting list",
    "me.accept_waiting_offer": "a volunteer taking the place held for them (as me.sign_up)",
    "me.decline_waiting_offer": "a volunteer passing on the place held for them",
    # the SMS providers' delivery receipts: verified by bearer token / X-Twilio-Signature, no person's write
    "sms_hooks.notify_status": "GOV.UK Notify's delivery receipt (bearer token), tests/integration/sms",
    "sms_hooks.twilio_status": "Twilio's status callback (X-Twilio-Signature), tests/integration/sms",
    "sms_inbound.notify_inbound": "a volunteer's own reply by text (as me.accept_offer), tests/integration/sms",
    "sms_inbound.twilio_inbound": "a volunteer's own reply by text (as me.accept_offer), tests/integration/sms",
    "hours.my_hours": "a volunteer logging their own hours (pending until a coordinator decides: audited then)",
    "availability.my_availability": "a volunteer's own pattern (people.availability_set, actor themselves)",
    "availability.add_my_leave": "a volunteer's own leave (people.leave_add, actor themselves)",
    "availability.remove_my_leave": "a volunteer's own leave (people.leave_remove, actor themselves)",
    # the JSON API: a volunteer's own sign-up and cancellation (the same services as me.sign_up and
    # me.cancel_place), and an assessment that reads and writes nothing
    "api.sign_up": "a volunteer's own sign-up through the API (as me.sign_up)",
    "api.cancel": "a volunteer's own cancellation through the API (as me.cancel_place)",
    "api.assess_load": "assesses the JSON it is sent; reads and writes no record",
    "api.log_hours": "a volunteer logging their own hours through the API (as hours.my_hours)",
    "api.offer": "a volunteer's own swap offer through the API (as me.offer_place)",
    "api.accept_offer": "a volunteer taking a colleague's offer through the API (as me.accept_offer)",
}


def _load_audit_tests() -> None:
    """Import every ``test_*_writes`` module beside this one, so their ``@audits`` marks are counted."""
    for path in sorted(Path(__file__).parent.glob("test_*_writes.py")):
        importlib.import_module(f"{__package__}.{path.stem}")


def test_every_write_is_audited(app: Flask) -> None:
    _load_audit_tests()
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if rule.methods and "POST" in rule.methods}
    missing = sorted(posts - set(COVERED) - set(NOT_AUDITED_HERE))
    assert not missing, f"POST routes with no audit test and not in NOT_AUDITED_HERE: {missing}"
    stale = sorted((set(COVERED) | set(NOT_AUDITED_HERE)) - posts)
    assert not stale, f"listed but no longer POST routes: {stale}"
    assert not set(COVERED) & set(NOT_AUDITED_HERE)


def test_the_audit_tests_cover_the_coordinators_writes() -> None:
    _load_audit_tests()
    # a sample that must never drop out of the marks: one write of each package
    for endpoint in ("people.edit_person", "rota.setup_edit", "shifts.assign", "autofill.accept",
                     "contributions.decide", "requests.approve_request", "reports.issue", "wellbeing.snooze",
                     "availability.member_availability"):
        assert COVERED.get(endpoint), endpoint
