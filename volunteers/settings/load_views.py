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
from wtforms import SelectChoice

from volunteers.core.auth import coordinator_required
from volunteers.core.csrf_tokens import request_token
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import utcnow
from volunteers.rota.queries import roles as org_roles
from volunteers.settings import services
from volunteers.settings.forms import RoleLimitForm
from volunteers.settings.load_policy import parse_threshold_decimal, read_form, rule_forms
from volunteers.settings.preview import Preview, open_count, preview
from volunteers.wellbeing import DEFAULT_POLICY, Policy
from volunteers.wellbeing.digest import RULE_NAMES
from volunteers.wellbeing.schedules import org_policy


def _role_form(org: Organisation, formdata: bool = True) -> RoleLimitForm:
    form = RoleLimitForm() if formdata else RoleLimitForm(formdata=None)
    form.role.choices = [SelectChoice(r.name, r.name) for r in org_roles(org)]
    form.rule.choices = [SelectChoice(rule, RULE_NAMES.get(rule, rule)) for rule in DEFAULT_POLICY]
    return form


def _role_limits(org: Organisation) -> list[tuple[str, str, str, Any]]:
    """Return (role, rule, level, value) of the stored role limits, sorted."""
    roles = (org.setting(services.LOAD_POLICY_SETTING) or {}).get("roles") or {}
    return sorted((role, rule, key, value) for role, rules in roles.items() if isinstance(rules, dict)
                  for rule, limits in rules.items() if isinstance(limits, dict) for key, value in limits.items())


def _render(org: Organisation, entered: dict[str, str] | None = None, errors: dict[str, str] | None = None,
            shown: Preview | None = None, status: int = 200,
            role_form: RoleLimitForm | None = None) -> ResponseReturnValue:
    try:
        policy = org_policy(org)
        stored_problem = None
    except ValueError as error:  # a policy stored by hand that wellbeing refuses: show the defaults, and why
        policy, stored_problem = Policy.from_overrides(), str(error)
    return render_template(
        "settings/load.html", org=org, rules=rule_forms(policy, entered, errors), errors=errors or {},
        preview=shown, open_now=open_count(org) if shown is None else shown.open_now,
        stored_problem=stored_problem, role_limits=_role_limits(org), rule_names=RULE_NAMES,
        role_form=role_form or _role_form(org, formdata=False), form_token=request_token()), status


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


@coordinator_required
def save_role_limit() -> ResponseReturnValue:
    """Add a role's stricter level for a rule, or remove one (``action=remove``); audited, re-judged at commit."""
    org = current_org()
    if request.form.get("action") == "remove":
        try:
            services.set_role_limit(org, current_user.id, request.form.get("role", ""), request.form.get("rule", ""),
                                    request.form.get("level", ""), None, utcnow())
        except ServiceError as error:
            flash(f"Not removed: {error}", "error")
        else:
            flash("Removed the role's limit.", "success")
        return redirect(url_for("settings.show_load_policy"))
    form = _role_form(org)
    if form.validate_on_submit():
        try:
            value = float(parse_threshold_decimal(form.value.data or "", "Enter a number, e.g. 4."))
        except ValueError as error:
            form.value.errors = [str(error)]
        else:
            try:
                services.set_role_limit(org, current_user.id, form.role.data, form.rule.data, form.level.data,
                                        value, utcnow())
            except ServiceError as error:
                getattr(form, error.field or "value").errors = [str(error)]
            else:
                flash(f"Saved: {form.role.data} has its own {form.level.data} level for "
                      f"{RULE_NAMES.get(form.rule.data, form.rule.data).lower()}.", "success")
                return redirect(url_for("settings.show_load_policy"))
    return _render(org, status=400, role_form=form)
