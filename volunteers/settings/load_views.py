"""/settings/load: each load rule's thresholds and switch, with a computed preview before saving.

"Preview" runs the real scan under the proposed policy and undoes it
(:mod:`.preview`), so the page says how many warnings saving would raise,
worsen and resolve; "Save" stores the overrides, and the commit re-judges
everyone (``wellbeing.reactions``), so /warnings follows at once.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import utcnow
from volunteers.settings import services
from volunteers.settings.load_policy import read_form, rule_forms
from volunteers.settings.preview import Preview, open_count, preview
from volunteers.wellbeing import Policy
from volunteers.wellbeing.schedules import org_policy


def _render(org: Organisation, entered: dict[str, str] | None = None, errors: dict[str, str] | None = None,
            shown: Preview | None = None, status: int = 200) -> ResponseReturnValue:
    try:
        policy = org_policy(org)
        stored_problem = None
    except ValueError as error:  # a policy stored by hand that wellbeing refuses: show the defaults, and why
        policy, stored_problem = Policy.from_overrides(), str(error)
    return render_template(
        "settings/load.html", org=org, rules=rule_forms(policy, entered, errors), errors=errors or {},
        preview=shown, open_now=open_count(org) if shown is None else shown.open_now,
        stored_problem=stored_problem, role_limits=sorted((org.setting(services.LOAD_POLICY_SETTING) or {})
                                                          .get("roles", {})),
        form_token=generate_csrf()), status


@coordinator_required
def show_load_policy() -> ResponseReturnValue:
    """The load policy as the rules read it now, and how many warnings are open."""
    return _render(current_org())


@coordinator_required
def save_load_policy() -> ResponseReturnValue:
    """Preview (``action=preview``) or save the submitted thresholds; a refused box is named, nothing saved."""
    org = current_org()
    entered: dict[str, Any] = request.form.to_dict()
    overrides, errors = read_form(entered, org.setting(services.LOAD_POLICY_SETTING))
    if errors:
        return _render(org, entered, errors, status=400)
    now = utcnow()
    try:
        policy = services.checked_policy(overrides)  # the role limits kept beside the new numbers
        if request.form.get("action") == "preview":
            return _render(org, entered, shown=preview(org, policy, now))
        changes = services.update_load_policy(org, current_user.id, overrides, now)
    except ServiceError as error:
        return _render(org, entered, {error.field or "form": str(error)}, status=400)
    flash("Saved: everyone's load has been judged again under the new policy." if changes else "Nothing changed.",
          "success" if changes else "info")
    return redirect(url_for("settings.show_load_policy"))
