"""Peer-support pages: my mothers, a case, logging a contact, registering, reassigning, handing over, closing,
and the coordinators' due list.

A record is looked up among the organisations of the signed-in person's own
memberships, and shown only to that organisation's coordinators and the
person's own supporter: anyone else gets the 404 a missing record gets.
Every page showing a record puts the read in the audit trail. Views parse
the form, call one service and redirect with a message (plain POSTs: they
work on any phone, with or without JavaScript).
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from wtforms import Field, SelectChoice

from volunteers.core import audit
from volunteers.core.auth import coordinator_required, member_required, refuse_until_enrolled
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.params import parse_count
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import local_date, utcnow
from volunteers.core.webparams import id_arg
from volunteers.extensions import db
from volunteers.peersupport import casework, queries, services
from volunteers.peersupport.domain.access import may_use_records
from volunteers.peersupport.domain.matching import Suggestion, rank
from volunteers.peersupport.domain.retention import RETENTION_SETTING, retention_months
from volunteers.peersupport.forms import (
    MODE_LABELS,
    NOBODY,
    REASON_LABELS,
    UNASSIGN,
    CaseForm,
    CloseForm,
    ContactForm,
    HandOverForm,
    ReassignForm,
)
from volunteers.peersupport.models import SupportedPerson
from volunteers.people.models import Membership

#: the highest page number of the due list
MAX_PAGE = 1000


def _case(case_id: int, what: str, *,
          coordinators_only: bool = False) -> tuple[Organisation, Membership, SupportedPerson]:
    """The case, if the signed-in person may see it (its view then in the trail); else 404.

    ``coordinators_only`` is for the coordinators' actions (reassign, close):
    ``coordinator_required`` judged the organisation chosen in the session, so
    a supporter who coordinates *another* organisation is refused here, in the
    case's own organisation.
    """
    memberships = {m.organisation_id: m for m in g.memberships}
    case = db.session.scalar(select(SupportedPerson).where(
        SupportedPerson.id == case_id, SupportedPerson.organisation_id.in_(memberships)))
    if case is None:
        abort(404)
    viewer = memberships[case.organisation_id]
    if coordinators_only and not viewer.is_coordinator:
        abort(404)
    if viewer.is_coordinator:
        refuse_until_enrolled(viewer)  # before the read is recorded: she is sent to set up two-factor first
    try:
        casework.record_view(viewer.organisation, viewer, case, utcnow(), what)
    except LookupError:
        abort(404)
    return viewer.organisation, viewer, case


def _active_only(membership: Membership) -> None:
    """A paused membership opens no record, list or registration form (403, as for a page not one's own)."""
    if not may_use_records(membership_status=membership.status):
        abort(403)


def _field_error(form: object, error: ServiceError, fallback: str) -> None:
    field: Field | None = getattr(form, error.field or "", None)
    if field is None:
        field = getattr(form, fallback)
    field.errors = [*field.errors, str(error)] if isinstance(field.errors, list) else [str(error)]


@member_required
def my_mothers() -> ResponseReturnValue:
    """The signed-in counsellor's open cases, the next contact due first."""
    membership, now = g.membership, utcnow()
    _active_only(membership)
    org = membership.organisation
    today = local_date(now, org.timezone)
    rows = queries.my_cases(org, membership, today)
    # the list shows the records (names, phones): a read, in the trail like a case page, by ids only
    audit.record(org, membership.person_id, "peersupport.view_my_cases", "membership", membership.id, now=now,
                 cases=[r.case.id for r in rows])
    return render_template("peersupport/my_mothers.html", rows=rows, today=today, org=org,
                           shifts=queries.recent_shifts(org, membership, now))


def _suggestions(org: Organisation, case: SupportedPerson) -> tuple[list[Suggestion], ReassignForm]:
    ranked = rank(queries.counsellors(org, casework.supporters_contacts(org, case.id)), language=case.language,
                  area=case.area, exclude=case.supporter_membership_id)
    form = ReassignForm(prefix="reassign")
    form.supporter.choices = [SelectChoice(NOBODY, "Choose… (best suited first)")] + [
        SelectChoice(str(s.counsellor.membership_id), f"{s.counsellor.name} — {', '.join(s.reasons)}")
        for s in ranked] + [SelectChoice(UNASSIGN, "Nobody for now")]
    return ranked, form


def _case_page(org: Organisation, viewer: Membership, case: SupportedPerson, status: int = 200,
               reassign: ReassignForm | None = None, close: CloseForm | None = None) -> ResponseReturnValue:
    today = local_date(utcnow(), org.timezone)
    page = queries.case_page(org, case, today)
    ranked: list[Suggestion] = []
    if viewer.is_coordinator:
        ranked, fresh = _suggestions(org, case)
        if reassign is not None:
            reassign.supporter.choices = fresh.supporter.choices
        reassign = reassign or fresh
        close = close or CloseForm(prefix="close", data={"closed_on": today})
    return render_template("peersupport/case.html", case=case, page=page, viewer=viewer, org=org,
                           suggestions=ranked[:3], reassign_form=reassign, close_form=close,
                           retention=retention_months(org.setting(RETENTION_SETTING)),
                           modes=MODE_LABELS, reasons=REASON_LABELS), status


@member_required
def show_case(case_id: int) -> ResponseReturnValue:
    """One case: the plan's steps, the contacts, and (coordinators) reassign or close."""
    org, viewer, case = _case(case_id, "case")
    return _case_page(org, viewer, case)


@member_required
def log_contact(case_id: int) -> ResponseReturnValue:
    """Log a contact in a few taps; the date is today (the organisation's zone) unless changed."""
    org, viewer, case = _case(case_id, "log_contact")
    now = utcnow()
    form = ContactForm(data={"contact_on": local_date(now, org.timezone)} if request.method == "GET" else None)
    if form.validate_on_submit():
        assert form.contact_on.data is not None and form.minutes.data is not None
        try:
            casework.log_contact(org, case, viewer, on=form.contact_on.data, mode=form.mode.data or "",
                                 minutes=form.minutes.data, outcome=(form.outcome.data or "").strip(), now=now)
        except ServiceError as error:
            if error.field is None:
                form.form_errors.append(str(error))
            else:
                _field_error(form, error, "contact_on")
        else:
            flash(f"Contact with {case.first_name} logged.", "success")
            back = url_for(".show_case", case_id=case.id) if viewer.is_coordinator else url_for(".my_mothers")
            return redirect(back)
    status = 400 if form.is_submitted() else 200
    return render_template("peersupport/contact_form.html", form=form, case=case, org=org), status


def _member_choices(org: Organisation, blank: str | None) -> list[SelectChoice]:
    found = [SelectChoice(str(c.membership_id), f"{c.name} ({c.open_cases}"
                          + (f" of {c.caseload_limit}" if c.caseload_limit is not None else "") + " open cases)")
             for c in queries.counsellors(org)]
    return ([SelectChoice(NOBODY, blank)] if blank is not None else []) + found


@member_required
def new_case() -> ResponseReturnValue:
    """Register a mother; from a ward shift (``?shift=``) the counsellor who made the visit supports her."""
    membership = g.membership
    _active_only(membership)
    org = membership.organisation
    if membership.is_coordinator:
        refuse_until_enrolled(membership)
    now = utcnow()
    form = CaseForm()
    if not membership.is_coordinator:
        del form.reference  # the service makes her one: a refused reference would tell her another record has it
    shift_id = id_arg("shift") if request.method == "GET" else (int(form.shift.data) if form.shift.data else None)
    # a volunteer registers her own: the field is not shown, and the service makes her the supporter
    form.supporter.choices = _member_choices(org, "Nobody yet") if membership.is_coordinator else [
        SelectChoice(NOBODY, "Me")]
    visit = None
    if shift_id is not None:
        try:
            visit = casework.ward_visitor(org, shift_id, membership)
        except ServiceError:
            abort(404)
        if request.method == "GET":
            form.shift.data = str(shift_id)
            form.born_on.data = form.born_on.data or visit[0].local_date
            if visit[1] is not None and membership.is_coordinator:
                form.supporter.data = str(visit[1].id)
    if form.validate_on_submit():
        assert form.born_on.data is not None
        new = casework.NewCase(
            (form.reference.data or "").strip() if membership.is_coordinator else "",
            (form.first_name.data or "").strip(), form.born_on.data,
            (form.area.data or "").strip() or None, (form.phone.data or "").strip() or None,
            (form.language.data or "").strip() or None, form.consent_on.data,
            (form.consent_to.data or "").strip() or None,
            int(form.supporter.data) if membership.is_coordinator and form.supporter.data else None)
        try:
            case = casework.register(org, new, now=now, actor=membership)
        except ServiceError as error:
            _field_error(form, error, "reference" if membership.is_coordinator else "first_name")
        else:
            flash(f"{case.first_name} is registered.", "success")
            return redirect(url_for(".show_case", case_id=case.id))
    status = 400 if form.is_submitted() else 200
    return render_template("peersupport/case_form.html", form=form, visit=visit, org=org,
                           coordinator=membership.is_coordinator), status


@coordinator_required
def reassign(case_id: int) -> ResponseReturnValue:
    """Give the case to the chosen supporter (the suggestions are ranked on the case page)."""
    org, viewer, case = _case(case_id, "reassign", coordinators_only=True)
    _, form = _suggestions(org, case)
    if form.validate_on_submit():
        try:
            chosen = form.supporter.data or ""
            casework.reassign(org, case, None if chosen == UNASSIGN else int(chosen), now=utcnow(),
                              actor=viewer, reason=(form.reason.data or "").strip() or None)
        except ServiceError as error:
            _field_error(form, error, "supporter")
        else:
            flash(f"{case.first_name}'s case is reassigned.", "success")
            return redirect(url_for(".show_case", case_id=case.id))
    return _case_page(org, viewer, case, 400, reassign=form)


@coordinator_required
def close_case(case_id: int) -> ResponseReturnValue:
    """Close the case with a reason; it is erased a retention period later."""
    org, viewer, case = _case(case_id, "close", coordinators_only=True)
    form = CloseForm(prefix="close")
    if form.validate_on_submit():
        assert form.closed_on.data is not None
        try:
            casework.close(org, case, form.reason.data or "", on=form.closed_on.data, now=utcnow(), actor=viewer)
        except ServiceError as error:
            _field_error(form, error, "reason")
        else:
            flash(f"{case.first_name}'s case is closed.", "success")
            return redirect(url_for(".show_case", case_id=case.id))
    return _case_page(org, viewer, case, 400, close=form)


@coordinator_required
def hand_over() -> ResponseReturnValue:
    """Hand every open case of one counsellor to another in one step."""
    org, me = current_org(), g.membership
    _active_only(me)
    form = HandOverForm(data={"from_member": str(id_arg("from") or "")} if request.method == "GET" else None)
    form.from_member.choices = _member_choices(org, "Choose…")
    form.to_member.choices = _member_choices(org, "Choose…")
    if form.validate_on_submit():
        try:
            moved = casework.hand_over(org, int(form.from_member.data or 0), int(form.to_member.data or 0),
                                       now=utcnow(), actor=me, reason=(form.reason.data or "").strip() or None)
        except ServiceError as error:
            _field_error(form, error, "to_member")
        else:
            flash(f"{moved} open case{'s' if moved != 1 else ''} handed over.", "success")
            return redirect(url_for(".due"))
    status = 400 if form.is_submitted() else 200
    return render_template("peersupport/hand_over.html", form=form, org=org), status


def _filters(org: Organisation) -> queries.DueFilter:
    status = request.args.get("status", "week")
    if status not in queries.STATUS_FILTERS:
        abort(400, description="The address is not understood: 'status' is not one of the choices.")
    step = request.args.get("step", "").strip()
    if step and services.contact_plan(org).step(step) is None:
        abort(400, description="The address is not understood: 'step' is not a step of the plan.")
    area = request.args.get("area", "").strip()[:100]
    counsellor = request.args.get("counsellor", "").strip()
    unassigned = counsellor == "none"
    return queries.DueFilter(status, step, area, None if unassigned else id_arg("counsellor"), unassigned)


@coordinator_required
def due() -> ResponseReturnValue:
    """Contacts due this week and overdue, by counsellor, filtered, 50 a page."""
    org, now = current_org(), utcnow()
    _active_only(g.membership)
    today = local_date(now, org.timezone)
    filters = _filters(org)
    raw = request.args.get("page", "").strip()
    try:
        number = parse_count(raw, 1, MAX_PAGE) if raw else 1
    except ValueError:
        abort(400, description="The address is not understood: 'page' must be a page number.")
    page = queries.due_page(org, today, filters, number)
    # the list names the mothers: a read of special-category records, in the trail like a case page
    audit.record(org, current_user.id, "peersupport.view_due", "organisation", org.id, now=now,
                          filters=filters.as_args(), page=page.number)
    return render_template("peersupport/due.html", org=org, page=page, filters=filters, today=today,
                           week_end=queries.week_end(today), statuses=queries.STATUS_FILTERS,
                           steps=[s.name for s in services.contact_plan(org).steps], areas=queries.areas(org),
                           members=_member_choices(org, None), args=filters.as_args())
