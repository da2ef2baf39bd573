"""Audit actions in plain words, and an entry's details as short lines for the page.

An action not listed here is shown as it is stored (``rota.something``):
the page never hides an entry for want of a label.
"""
from __future__ import annotations

from typing import Any

ACTIONS = {
    "organisation.create": "created the organisation",
    "people.create": "added a person",
    "people.update": "edited a person",
    "people.sites_set": "limited a coordinator to some sites",
    "people.invite": "sent an invitation",
    "people.import": "imported people",
    "people.qualification_add": "recorded a qualification",
    "people.qualification_remove": "removed a qualification",
    "people.availability_set": "set weekly availability",
    "people.leave_add": "recorded leave",
    "people.leave_remove": "removed leave",
    "people.statement_view": "opened someone's statement",
    "people.supervision_add": "recorded a supervision session",
    "people.supervision_remove": "removed a supervision session",
    "rota.role_create": "added a role",
    "rota.role_update": "edited a role",
    "rota.role_archive": "archived a role",
    "rota.role_restore": "restored a role",
    "rota.site_create": "added a site",
    "rota.site_update": "edited a site",
    "rota.site_archive": "archived a site",
    "rota.site_restore": "restored a site",
    "rota.qualification_create": "added a qualification",
    "rota.qualification_update": "edited a qualification",
    "rota.qualification_archive": "archived a qualification",
    "rota.qualification_restore": "restored a qualification",
    "rota.series_create": "added a weekly series",
    "rota.series_update": "changed a weekly series",
    "rota.import_roles": "imported roles",
    "rota.import_shifts": "imported shifts",
    "rota.export": "exported the rota",
    "rota.publish": "published the rota",
    "rota.copy_forward": "copied the rota forward",
    "rota.assign": "put someone on a shift",
    "rota.assign_override": "put someone on a shift, overriding a check",
    "rota.remove": "took someone off a shift",
    "rota.replace": "replaced someone on a shift",
    "rota.auto_fill": "saved places from the auto-rota",
    "rota.no_show": "marked a no-show",
    "rota.approve_sign_up": "approved a sign-up",
    "rota.approve_swap": "approved a swap",
    "rota.approve_cancel_request": "approved a late cancellation",
    "rota.approve_signup_request": "approved a sign-up",
    "rota.decline_swap": "declined a swap",
    "rota.decline_cancel_request": "declined a late cancellation",
    "rota.decline_signup_request": "declined a sign-up",
    "rota.cover_ask": "asked someone by hand to cover a place",
    "rota.self_sign_up_warning": "signed up despite a load warning",
    "rota.undo": "undid an assignment or a removal",
    "announcements.send": "sent an announcement",
    "announcements.withdraw": "withdrew an announcement",
    "shifts.create": "added a shift",
    "shifts.update": "changed a shift",
    "shifts.cancel_shift": "cancelled a shift",
    "contributions.record": "recorded a contribution",
    "contributions.approve": "approved logged hours",
    "contributions.reject": "rejected logged hours",
    "contributions.reverse": "reversed a ledger entry",
    "contributions.attended": "marked a place attended",
    "contributions.all_attended": "marked a shift attended",
    "contributions.rates_add": "added a rate",
    "contributions.rates_remove": "removed a rate",
    "wellbeing.acknowledge": "acknowledged a load warning",
    "wellbeing.snooze": "snoozed a load warning",
    "reports.issue": "issued a monthly report",
    "reports.send": "sent a monthly report",
    "reports.export": "downloaded a monthly report",
    "settings.report_recipients": "changed the report recipients",
    "audit.export": "downloaded the audit trail",
    "settings.update": "changed the organisation's settings",
    "auth.sign_in": "signed in",
    "auth.sign_in_failed": "failed to sign in",
    "auth.two_factor_failed": "gave a wrong two-factor code",
    "auth.recovery_code_used": "signed in with a recovery code",
    "auth.sign_out_everywhere": "signed out everywhere",
    "auth.password_reset": "reset their password",
    "auth.two_factor_enabled": "turned on two-factor sign-in",
    "auth.two_factor_disabled": "turned off two-factor sign-in",
    "auth.two_factor_reset": "reset someone's two-factor sign-in",
    "auth.recovery_codes_regenerated": "made new recovery codes",
    "api.token_create": "made an API token",
    "api.token_revoke": "revoked an API token",
    "webhooks.register": "registered a webhook endpoint",
    "webhooks.remove": "removed a webhook endpoint",
    "privacy.export": "downloaded a person's data",
    "privacy.erase": "erased a person",
    "privacy.retention": "erased people who left long ago",
    "peersupport.register": "registered a supported person",
    "peersupport.view_case": "opened a supported person's record",
    "peersupport.view_my_cases": "opened their list of supported people",
    "peersupport.view_due": "opened the list of contacts due",
    "peersupport.log_contact": "logged a contact with a supported person",
    "peersupport.correct_contact": "corrected a contact",
    "peersupport.reassign": "gave a supported person another supporter",
    "peersupport.hand_over": "handed over a supporter's open cases",
    "peersupport.close": "closed a supported person's case",
    "peersupport.erase_case": "erased a closed case past its retention period",
    "peersupport.import_cases": "imported supported people",
    "peersupport.import_contacts": "imported contacts",
    "peersupport.cases_due": "listed the contacts due",
    "peersupport.set_contact_plan": "changed the contact plan",
}


def describe(action: str) -> str:
    """The action in plain words, or as stored when it has none."""
    return ACTIONS.get(action, action)


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "—"
    return str(value)


def detail_lines(details: dict[str, Any]) -> list[str]:
    """Return ``details`` as short lines: ``role: volunteer → coordinator``, ``email changed``, ``shift_id: 4``."""
    lines = []
    for key, value in sorted((details or {}).items()):
        if key in ("changes", "values") and isinstance(value, dict):
            for field, change in sorted(value.items()):
                if key == "values":
                    lines.append(f"{field}: {_value(change)}")
                elif change is None:
                    lines.append(f"{field} changed")
                elif isinstance(change, list) and len(change) == 2:
                    lines.append(f"{field}: {_value(change[0])} → {_value(change[1])}")
                else:
                    lines.append(f"{field}: {_value(change)}")
            if not value and key == "changes":
                lines.append("no field changed")
        else:
            lines.append(f"{key}: {_value(value)}")
    return lines
