"""Coordinator pages for the ledger itself: a month's entries, recording gifts, reversals, the rate card."""
from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from volunteers.contributions import queries, rates
from volunteers.contributions.domain.valuation import UK_DEFAULT_RATES
from volunteers.contributions.forms import ContributionForm, RateForm, ReverseForm
from volunteers.contributions.ledger import record_contribution
from volunteers.contributions.models import Contribution
from volunteers.contributions.services import reverse
from volunteers.core import audit
from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.params import parse_id
from volunteers.core.tenancy import current_org, get_scoped_or_404
from volunteers.core.timeutil import Month, local_date, utcnow
from volunteers.rota import queries as rota_queries


def _month_arg() -> Month:
    """Return the month of ``?month=YYYY-MM``; without one (or a bad one), this month."""
    try:
        return Month.parse(request.args.get("month", ""))
    except ValueError:
        return Month.containing(utcnow(), current_org().timezone)


def _contribution_form(form: ContributionForm | None = None) -> ContributionForm:
    org = current_org()
    form = form or ContributionForm()
    form.membership_id.choices = [SelectChoice("", "— not a member —")] + [
        SelectChoice(str(i), n) for i, n in queries.members(org)]
    form.role_id.choices = [SelectChoice("", "—")] + [SelectChoice(str(r.id), r.name) for r in rota_queries.roles(org)]
    form.site_id.choices = [SelectChoice("", "—")] + [SelectChoice(str(s.id), s.name) for s in rota_queries.sites(org)]
    if form.day.data is None and request.method == "GET":
        form.day.data = local_date(utcnow(), org.timezone)
    return form


def _ledger_page(form: ContributionForm, status: int = 200) -> ResponseReturnValue:
    org, month = current_org(), _month_arg()
    start, end = month.bounds(org.timezone)
    return render_template("contributions/ledger.html", month=str(month),
                           entries=queries.entries_between(org, start, end), form=form, reverse_form=ReverseForm(),
                           pending=queries.pending_count(org)), status


@coordinator_required
def ledger() -> ResponseReturnValue:
    """Show a month's ledger entries and the form for recording a gift or hours."""
    return _ledger_page(_contribution_form())


def _int_or_none(value: str | None) -> int | None:
    try:
        return parse_id(value)
    except ValueError:
        return None


@coordinator_required
def record() -> ResponseReturnValue:
    """Record a contribution from the ledger page; a refused one re-shows the page with a 400."""
    org = current_org()
    form = _contribution_form()
    if form.validate_on_submit():
        try:
            record_contribution(
                org, utcnow(), current_user.id, kind=form.kind.data, stage=form.stage.data, day=form.day.data,
                contributor_type=form.contributor_type.data, membership_id=_int_or_none(form.membership_id.data),
                contributor_name=form.contributor_name.data, hours=form.hours.data, amount=form.amount.data,
                role_id=_int_or_none(form.role_id.data), site_id=_int_or_none(form.site_id.data),
                note=form.note.data)
        except ServiceError as error:
            field = getattr(form, error.field or "", None) or form.note
            field.errors = [*field.errors, str(error)]
        else:
            flash("Recorded.", "success")
            return redirect(url_for("contributions.ledger", month=str(_month_arg())))
    return _ledger_page(form, 400)


@coordinator_required
def reverse_entry(contribution_id: int) -> ResponseReturnValue:
    """Cancel a ledger entry by a reversing one; the original stays, as the ledger is append-only."""
    org = current_org()
    form = ReverseForm()
    if not form.validate_on_submit():
        flash("Say why the entry is wrong before reversing it.", "error")
        return _ledger_page(_contribution_form(), 400)
    get_scoped_or_404(Contribution, org, contribution_id)
    try:
        reverse(org, contribution_id, utcnow(), current_user.id, form.reason.data)
    except ServiceError as error:
        flash(str(error), "error")
        return _ledger_page(_contribution_form(), 409)
    flash("Reversed: a new entry cancels it; the original stays in the ledger.", "success")
    return redirect(url_for("contributions.ledger", month=str(_month_arg())))


def _rate_form(form: RateForm | None = None) -> RateForm:
    form = form or RateForm()
    form.target.choices = [SelectChoice("kind:time", "All general volunteering (time)"),
                           SelectChoice("kind:expertise", "All skilled or professional time (expertise)")] + [
        SelectChoice(f"role:{r.id}", f"Role: {r.name}") for r in rota_queries.roles(current_org())]
    return form


def _rates_page(form: RateForm, status: int = 200) -> ResponseReturnValue:
    return render_template("contributions/rates.html", form=form, rows=rates.rate_rows(current_org()),
                           defaults=UK_DEFAULT_RATES), status


@coordinator_required
def rate_card() -> ResponseReturnValue:
    """Show the organisation's rates for valuing time, beside the UK defaults."""
    return _rates_page(_rate_form())


@coordinator_required
def add_rate() -> ResponseReturnValue:
    """Add a rate from a date on; issued reports keep the values they were issued with."""
    form = _rate_form()
    if form.validate_on_submit():
        kind, _, ident = (form.target.data or "").partition(":")
        try:
            rate = rates.add_rate(current_org(), value_per_hour=Decimal(form.value_per_hour.data),
                           effective_from=form.effective_from.data, note=form.note.data,
                           kind=ident if kind == "kind" else None,
                           role_id=_int_or_none(ident) if kind == "role" else None)
        except ServiceError as error:
            field = getattr(form, error.field or "", None) or form.target
            field.errors = [*field.errors, str(error)]
        else:
            audit.record(current_org(), g.membership.person_id, "contributions.rates_add", "rate", rate.id,
                         now=utcnow(), kind=rate.kind, role_id=rate.role_id, value_per_hour=rate.value_per_hour,
                         effective_from=rate.effective_from)
            flash("Rate added. Issued reports keep the values they were issued with.", "success")
            return redirect(url_for("contributions.rate_card"))
    return _rates_page(form, 400)


@coordinator_required
def delete_rate(rate_id: int) -> ResponseReturnValue:
    """Remove a rate (404 for one not in the organisation)."""
    if not rates.remove_rate(current_org(), rate_id):
        abort(404)
    audit.record(current_org(), g.membership.person_id, "contributions.rates_remove", "rate", rate_id, now=utcnow())
    flash("Rate removed.", "success")
    return redirect(url_for("contributions.rate_card"))
