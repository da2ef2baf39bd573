"""/settings: organisation, rota rules, money and retention, one form a page; the load policy is in load_views.

Each page shows the values the packages read now (their defaults when
unset), saves the whole section or nothing, and names the refused field.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from volunteers.contributions.rates import rate_rows, standby_percent
from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import utcnow
from volunteers.peersupport.domain.retention import retention_months as case_retention_months
from volunteers.rota.domain.bank_holidays import nation_of
from volunteers.selfservice.cover_waves import settings_of as cover_wave_settings
from volunteers.selfservice.domain.notice import DEFAULT_NOTICE_HOURS, DEFAULT_REMINDER_HOURS, hours_setting
from volunteers.selfservice.reminders import reminder_hours
from volunteers.selfservice.waiting_list import hold_hours, stop_hours
from volunteers.settings import services
from volunteers.settings.forms import MoneyForm, OrganisationForm, RetentionForm, RotaRulesForm, WaitingListForm

#: privacy's default (a test holds it equal to ``privacy.domain.rules.DEFAULT_RETENTION_MONTHS``)
DEFAULT_RETENTION_MONTHS = 24


def _page(template: str, form: FlaskForm, org: Organisation, **extra: Any) -> ResponseReturnValue:
    return render_template(f"settings/{template}.html", form=form, org=org, **extra), 400 if form.errors else 200


def _save(form: FlaskForm, save: Callable[[], dict[str, list[Any]]], endpoint: str) -> ResponseReturnValue | None:
    """Run ``save`` for a valid form; redirect with what happened, or put a refusal beside its field."""
    if not form.validate_on_submit():
        return None
    try:
        changes = save()
    except ServiceError as error:
        field = getattr(form, error.field or "", None)
        visible = [f for f in form if f.type not in ("CSRFTokenField", "HiddenField")]
        target = field if field is not None else visible[0]
        target.errors = [*target.errors, str(error)]
        return None
    flash("Saved." if changes else "Nothing changed.", "success" if changes else "info")
    return redirect(url_for(endpoint))


@coordinator_required
def organisation() -> ResponseReturnValue:
    """The organisation's name, time zone, co-production mode and bank-holiday nation."""
    org = current_org()
    form = OrganisationForm()
    done = _save(form, lambda: services.update_organisation(
        org, current_user.id, name=form.name.data, timezone=form.timezone.data.strip(),
        coproduction_mode=form.coproduction_mode.data or None, nation=form.nation.data, now=utcnow()),
        "settings.organisation")
    if done is not None:
        return done
    if not form.is_submitted():
        form.name.data, form.timezone.data = org.name, org.timezone
        form.coproduction_mode.data = org.coproduction_mode or ""
        form.nation.data = nation_of(org.settings)
    return _page("organisation", form, org)


@coordinator_required
def rota_rules() -> ResponseReturnValue:
    """Notice to cancel, whether swaps wait for approval, when reminders go, how cover requests go in waves."""
    org = current_org()
    form = RotaRulesForm()
    done = _save(form, lambda: services.update_rota_rules(
        org, current_user.id, cancel_notice_hours=form.cancel_notice_hours.data,
        swap_needs_approval=form.swap_needs_approval.data, reminder_hours=form.reminder_hours.data,
        cover_wave_size=form.cover_wave_size.data, cover_wave_minutes=form.cover_wave_minutes.data, now=utcnow()),
        "settings.rota_rules")
    if done is not None:
        return done
    if not form.is_submitted():
        form.cancel_notice_hours.data = round(hours_setting(
            org.setting(services.NOTICE_SETTING, DEFAULT_NOTICE_HOURS), DEFAULT_NOTICE_HOURS))
        form.swap_needs_approval.data = bool(org.setting(services.SWAP_SETTING, False))
        form.reminder_hours.data = round(reminder_hours(org)) if org.setting(services.REMINDER_SETTING) is not None \
            else DEFAULT_REMINDER_HOURS
        form.cover_wave_size.data, form.cover_wave_minutes.data = cover_wave_settings(org)
    return _page("rota", form, org)


@coordinator_required
def waiting_list() -> ResponseReturnValue:
    """How long a place freed on a full shift is held for the next person on its waiting list."""
    org = current_org()
    form = WaitingListForm()
    done = _save(form, lambda: services.update_waiting_list(
        org, current_user.id, offer_hours=form.offer_hours.data, stop_hours=form.stop_hours.data, now=utcnow()),
        "settings.waiting_list")
    if done is not None:
        return done
    if not form.is_submitted():
        form.offer_hours.data, form.stop_hours.data = hold_hours(org), stop_hours(org)
    return _page("waiting_list", form, org)


@coordinator_required
def money() -> ResponseReturnValue:
    """The stand-by rate for on-call hours, beside the rate card (which has its own page)."""
    org = current_org()
    form = MoneyForm()
    done = _save(form, lambda: services.update_money(org, current_user.id, standby_percent=form.standby_percent.data,
                                                     now=utcnow()), "settings.money")
    if done is not None:
        return done
    if not form.is_submitted():
        form.standby_percent.data = standby_percent(org)
    return _page("money", form, org, rates=rate_rows(org))


@coordinator_required
def retention() -> ResponseReturnValue:
    """How long people who left, and closed peer-support cases, are kept."""
    org = current_org()
    form = RetentionForm()
    done = _save(form, lambda: services.update_retention(
        org, current_user.id, retention_months=form.retention_months.data,
        case_retention_months=form.case_retention_months.data, now=utcnow()), "settings.retention")
    if done is not None:
        return done
    if not form.is_submitted():
        form.retention_months.data = _months(org.setting(services.RETENTION_SETTING), DEFAULT_RETENTION_MONTHS,
                                             services.RETENTION_BOUNDS)
        form.case_retention_months.data = case_retention_months(org.setting(services.CASE_RETENTION_SETTING))
    return _page("retention", form, org)


def _months(value: Any, default: int, bounds: tuple[int, int]) -> int:
    """Return a stored number of months as its reader takes it: an unusable one is the default."""
    try:
        months = int(Decimal(str(value)))
    except ArithmeticError:
        return default
    return months if bounds[0] <= months <= bounds[1] and not isinstance(value, bool) else default
