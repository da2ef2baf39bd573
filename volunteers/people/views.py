"""Coordinator pages for people: list and filter, add, edit, qualifications, invite, import."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from volunteers.core import audit, change_marks
from volunteers.core.auth import coordinator_required
from volunteers.core.csrf_tokens import request_token
from volunteers.core.kept_text import keeps_page, mark_to_keep_by
from volunteers.core.models import Organisation
from volunteers.core.page_frame import whole_page
from volunteers.core.reads import reading_connection
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import local_date, utcnow
from volunteers.core.uploads import UNPROCESSABLE, import_upload
from volunteers.core.webparams import id_arg, page_arg
from volunteers.people import person_page, queries, services, site_limits, supervision
from volunteers.people.domain.availability import (
    format_availability,
    parse_availability,
)
from volunteers.people.domain.volunteer_csv import parse_volunteers_csv
from volunteers.people.form_markup import field
from volunteers.people.forms import ImportForm, QualificationRecordForm, VolunteerForm
from volunteers.people.kept_pages import (
    at_mark,
    keep,
    keep_at_mark,
    keep_person_at_mark,
    kept_content,
    person_at_mark,
)
from volunteers.people.list_markup import people_rows, sort_headings
from volunteers.people.models import MEMBERSHIP_ROLES, MEMBERSHIP_STATUSES, Membership
from volunteers.people.qualification_views import supervision_form


def _today() -> date:
    return local_date(utcnow(), current_org().timezone)


@coordinator_required
def list_people() -> ResponseReturnValue:
    org = current_org()
    qualification_id = id_arg("qualification")
    filters = queries.PeopleFilter(
        search=request.args.get("q", "")[:100],
        status=request.args.get("status", "") if request.args.get("status") in MEMBERSHIP_STATUSES else "",
        role=request.args.get("role", "") if request.args.get("role") in MEMBERSHIP_ROLES else "",
        qualification_id=qualification_id,
        expiring_soon=request.args.get("expiring") == "1",
    )
    today = _today()
    conn = reading_connection()  # its reads on it
    sort, number = request.args.get("sort", ""), page_arg()
    per_page = page_arg("per", queries.PER_PAGE_CHOICES, queries.PER_PAGE)
    rows_only = bool(request.headers.get("HX-Request"))
    # the organisation's change mark first (core.change_marks): while it reads as when this viewer's page was made,
    # no row it shows has changed, and the page is served without reading them (people.kept_pages.at_mark)
    # (none inside a transaction that wrote: its own changes are under no mark yet)
    mark = mark_to_keep_by(org.id)
    mark_key = ("list", org.id, g.membership.id, g.membership.role, rows_only, filters, sort, number, per_page, today,
                request.script_root)
    content = at_mark(mark_key, mark)
    if content is not None:
        return content if rows_only else whole_page("people/list.html", content.encode())
    read = queries.read_people_page(org, filters, today, viewer=g.membership, sort=sort, number=number,
                                    per_page=per_page, conn=conn)
    qualifications = queries.qualifications(org, conn)
    # kept between views while the rows read now are those it was made of (people.kept_pages): the rows as the
    # driver gave them (equal ones convert alike; each holds how many match), the qualifications to filter by and
    # today (the badges' states)
    key = ("list", rows_only, filters, read.sort, read.number, read.per_page, g.membership.role, request.script_root)
    facts = (read.rows.rows, qualifications, today)
    content = kept_content(key, org.id, facts)
    if content is None:
        page = queries.page_of(read, today)
        args = _list_args(filters, page)
        content = render_template(
            "people/_rows.html" if rows_only else "people/_list_content.html", page=page, filters=filters,
            # one url_for for every row's link: the member's id goes after it
            rows=people_rows(page.members, url_for("people.edit_person", membership_id=0).removesuffix("0")),
            headings=sort_headings(url_for("people.list_people"), args, page.sort),
            qualifications=[queries.QualificationChoice(q_id, name) for q_id, name in qualifications],
            roles=MEMBERSHIP_ROLES, statuses=MEMBERSHIP_STATUSES, args=args,
            per_page_choices=queries.PER_PAGE_CHOICES,
        )
        keep(key, org.id, facts, content)
    keep_at_mark(mark_key, mark, content)
    # base.html around the content: its frame kept (page_frame)
    return content if rows_only else whole_page("people/list.html", content.encode())


def _list_args(filters: queries.PeopleFilter, page: queries.PeoplePage) -> dict[str, str | int]:
    """The query arguments that keep this list's filters, order and page size on its other pages' links."""
    args: dict[str, str | int] = {"q": filters.search, "status": filters.status, "role": filters.role,
                                  "qualification": filters.qualification_id or "",
                                  "expiring": "1" if filters.expiring_soon else ""}
    if page.sort != queries.DEFAULT_SORT:
        args["sort"] = page.sort
    if page.per_page != queries.PER_PAGE:
        args["per"] = page.per_page
    return {name: value for name, value in args.items() if value}


@coordinator_required
def new_person() -> ResponseReturnValue:
    org = current_org()
    form = VolunteerForm()
    if request.method == "GET":
        form.role.data, form.status.data = "volunteer", "active"
    if form.validate_on_submit():
        membership = _save(org, form, None)
        if membership is not None:
            audit.record(org, g.membership.person_id, "people.create", "membership", membership.id, now=utcnow(),
                         person_id=membership.person_id, role=membership.role, status=membership.status)
            flash(f"{membership.person.name} added.", "success")
            return redirect(url_for("people.edit_person", membership_id=membership.id))
    content = render_template("people/_person_content.html", form=form, membership=None, field=field)
    return render_template("people/form.html", content=Markup(content), membership=None, form=form), \
        400 if form.errors else 200


@coordinator_required
def edit_person(membership_id: int) -> ResponseReturnValue:
    org = current_org()
    if request.method == "GET":
        return _show_person(org, membership_id)
    # also another site's is a 404, for a limited coordinator; their person in the same statement
    membership = site_limits.member_or_404(org, membership_id, with_person=True)
    form = VolunteerForm()
    if form.validate_on_submit():
        before = _before(org, membership)
        if _save(org, form, membership) is not None:
            _record_update(org, membership, before)
            flash("Saved.", "success")
            return redirect(url_for("people.edit_person", membership_id=membership.id))
    return _person_page(org, membership, form)


def _show_person(org: Organisation, membership_id: int) -> ResponseReturnValue:
    """The page as a GET draws it: the member, their person and windows, their qualifications and supervision
    read as columns (``person_page``), the content kept between views while the rows read now are those it was
    made of (``kept_pages``); before them the organisation's change mark, at which the content and title kept
    for this page, viewer and day are served without any of those reads (``kept_pages.person_at_mark``)."""
    today = _today()  # the records' states (expired, expiring soon) are judged on it: the clock's one way in
    token = request_token()
    # the mark first (core.change_marks), before any of the page's rows; none for a page with messages or of a
    # development server (never kept), nor inside a transaction that wrote
    mark = mark_to_keep_by(org.id) if keeps_page() else None
    csrf = current_app.config.get("WTF_CSRF_ENABLED")  # the form's own token field, or none
    mark_key = ("person", membership_id, change_marks.as_loaded(org, g.membership), today, request.script_root, csrf)
    served = person_at_mark(mark_key, mark, token)
    if served is not None:
        return whole_page("people/form.html", served[0].encode(), title=served[1])
    # also another site's is a 404, for a limited coordinator
    reads = person_page.read_or_404(org, membership_id)
    member = person_page.shown_member(reads)
    viewer_role = g.membership.role
    # the sites section reads the coordinator's sites as it is drawn: made afresh every time
    keeps = not (member.role == "coordinator" and viewer_role == "admin")
    key = ("person", member.id, viewer_role, request.script_root, csrf)
    facts = (reads.made_of(), today)  # the records' states are judged on today
    content = kept_content(key, org.id, facts, token) if keeps else None
    if content is None:
        windows = person_page.windows_of(reads)
        qualifications, records = queries.qualifications_and_records(org, member.id, today, reads.qualifications)
        sessions = person_page.sessions_of(reads)
        form = VolunteerForm(obj=member)
        form.name.data = member.person.name
        form.email.data = member.person.email
        form.phone.data = member.person.phone
        form.availability.data = format_availability(windows).replace(";", "; ")
        content = _content(form, member, qualifications, records, sessions, person_page.supervisors_of(reads))
        if keeps:  # the token: once in each small form (one a record and a session, three more) and the form's own
            keep(key, org.id, facts, content, token, 3 + len(records) + len(sessions) + (1 if form.meta.csrf else 0))
    # kept at the mark as kept above (not an admin's view of a coordinator: not kept there either), with its title
    # (the member's name), which is drawn outside the content
    keep_person_at_mark(mark_key, mark, member.person.name, key, org.id, facts)
    return whole_page("people/form.html", content.encode(), title=member.person.name)  # its frame kept


def _content(form: VolunteerForm, membership: Membership | person_page.MemberShown,
             qualifications: list[queries.QualificationChoice], records: list[queries.QualificationRecord],
             sessions: list[supervision.SessionRow], supervisors: list[tuple[int, str]]) -> str:
    """The page's content: its forms, qualifications, supervision and the rest (``people/_person_content.html``)."""
    return render_template(
        "people/_person_content.html", form=form, field=field, membership=membership, qualifications=qualifications,
        records=records, sessions=sessions, supervision_form=supervision_form(supervisors))


def _person_page(org: Organisation, membership: Membership, form: VolunteerForm) -> ResponseReturnValue:
    """The page with a refused edit's form (made afresh)."""
    qualifications, records = queries.qualifications_and_records(org, membership.id, _today())
    content = _content(form, membership, qualifications, records, supervision.sessions_of(org, membership.id),
                       supervision.supervisors(org))
    return render_template("people/form.html", content=Markup(content), membership=membership, form=form), \
        400 if form.errors else 200


def _before(org: Organisation, membership: Membership) -> services.EditSnapshot:
    return services.edit_snapshot(org, membership)


def _record_update(org: Organisation, membership: Membership, before: services.EditSnapshot) -> None:
    audit.record(org, g.membership.person_id, "people.update", "membership", membership.id, now=utcnow(),
                 person_id=membership.person_id, changes=services.edit_changes(org, membership, before))


def _save(org: Organisation, form: VolunteerForm, membership: Membership | None) -> Membership | None:
    """Apply the form; put errors on the form's fields and return None if it is refused."""
    if form.role.data != (membership.role if membership is not None else "volunteer") and \
            site_limits.is_limited(g.membership):  # a new coordinator or admin would have no site limit
        form.role.errors = ["Only an admin, or a coordinator of every site, can give or change a coordinator's "
                            "or an admin's role."]
        return None
    try:
        windows = parse_availability(form.availability.data)
    except ValueError as error:
        form.availability.errors = [str(error)]
        return None
    email = form.email.data.strip().lower()
    if membership is None:
        try:
            membership = services.add_member(org, email=email, name=form.name.data, phone=form.phone.data or None)
        except services.ServiceError as error:
            getattr(form, error.field or "email").errors = [str(error)]
            return None
    try:  # the edit's rules are the service's (the API's PATCH /people/<id> calls it too)
        services.update_member(membership, actor_person_id=g.membership.person_id, today=_today(),
                               name=form.name.data, email=email, phone=form.phone.data or None,
                               role=form.role.data, status=form.status.data)
    except services.ServiceError as error:
        getattr(form, error.field or "email").errors = [str(error)]
        return None
    membership.pledged_hours_per_week = form.pledged_hours_per_week.data
    membership.joined_on = form.joined_on.data
    membership.last_supervised_on = form.last_supervised_on.data
    supervision.derive_last_supervised(org, membership)  # recorded sessions decide it when there are any
    membership.notes = form.notes.data or None
    services.set_availability(org, membership, windows)
    return membership


@coordinator_required
def add_qualification(membership_id: int) -> ResponseReturnValue:
    org = current_org()
    membership = site_limits.member_or_404(org, membership_id)
    form = QualificationRecordForm()
    if not form.validate_on_submit():
        flash("Give the qualification's name (and an expiry date if it expires).", "error")
        return redirect(url_for("people.edit_person", membership_id=membership.id) + "#qualifications")
    try:
        services.check_qualification_dates(form.expires_on.data, form.obtained_on.data)
    except services.ServiceError as error:
        flash(str(error), "error")
    else:
        qualification = services.qualification_named(org, form.qualification.data)
        assert qualification is not None
        record = services.set_qualification(org, membership, qualification, form.expires_on.data,
                                            form.obtained_on.data, form.certificate_number.data or None,
                                            form.update_service_checked_on.data)
        audit.record(org, g.membership.person_id, "people.qualification_add", "membership", membership.id,
                     now=utcnow(), qualification_id=qualification.id, record_id=record.id,
                     expires_on=record.expires_on, obtained_on=record.obtained_on,
                     certificate_recorded=record.certificate_number is not None,
                     update_service_checked_on=record.update_service_checked_on)
        flash(f"{qualification.name} recorded.", "success")
    return redirect(url_for("people.edit_person", membership_id=membership.id) + "#qualifications")


@coordinator_required
def remove_qualification(membership_id: int, qualification_id: int) -> ResponseReturnValue:
    org = current_org()
    membership = site_limits.member_or_404(org, membership_id)
    services.remove_qualification(org, membership, qualification_id)
    audit.record(org, g.membership.person_id, "people.qualification_remove", "membership", membership.id,
                 now=utcnow(), qualification_id=qualification_id)
    flash("Qualification removed.", "success")
    return redirect(url_for("people.edit_person", membership_id=membership.id) + "#qualifications")


@coordinator_required
def invite_person(membership_id: int) -> ResponseReturnValue:
    org = current_org()
    membership = site_limits.member_or_404(org, membership_id)
    if membership.status == "left":
        abort(400)
    services.invite(org, membership, utcnow())
    audit.record(org, g.membership.person_id, "people.invite", "membership", membership.id, now=utcnow(),
                 person_id=membership.person_id)
    flash(f"Invitation queued for {membership.person.email}.", "success")
    return redirect(url_for("people.edit_person", membership_id=membership.id))


@coordinator_required
def import_people() -> ResponseReturnValue:
    org = current_org()
    form = ImportForm()
    errors: list[str] = []
    if form.validate_on_submit():
        counts, errors = import_upload(
            request.files.get("file"),
            lambda data, name: services.import_volunteers(org, parse_volunteers_csv(data, name)))
        if counts is not None:
            audit.record(org, g.membership.person_id, "people.import", "organisation", org.id, now=utcnow(),
                         source="web", added=counts[0], updated=counts[1])
            flash(f"Imported: {counts[0]} added, {counts[1]} updated.", "success")
            return redirect(url_for("people.list_people"))
    return render_template("people/import.html", form=form, errors=errors), UNPROCESSABLE if errors else 200
