"""Set-up pages: roles (intensity, required qualification, on call, priority), sites, qualifications.

Each kind has a list with an add form, an edit page and archive/restore.
Archived records stay on old shifts and in reports but leave the forms.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from volunteers.core import audit
from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import current_org, get_scoped_or_404
from volunteers.core.timeutil import utcnow
from volunteers.people.models import Qualification
from volunteers.rota import catalogue as setup
from volunteers.rota.forms import QualificationForm, RoleForm, SiteForm, choices
from volunteers.rota.models import Role, Site

KINDS: dict[str, dict[str, Any]] = {
    "roles": {"model": Role, "form": RoleForm, "title": "Roles", "one": "role", "list": setup.roles_all,
              "audited": ("name", "intensity", "required_names", "on_call", "priority")},
    "sites": {"model": Site, "form": SiteForm, "title": "Sites", "one": "site", "list": setup.sites_all,
              "audited": ("name", "address")},
    "qualifications": {"model": Qualification, "form": QualificationForm, "title": "Qualifications",
                       "one": "qualification", "list": setup.qualifications_all,
                       "audited": ("name", "kind", "validity_months")},
}


def _form(org: Organisation, kind: str, record: Any = None) -> Any:
    form = KINDS[kind]["form"](obj=record if request.method == "GET" else None)
    if kind == "roles":
        held = {q.id for q in record.required_qualifications} if record is not None else set()
        # an archived qualification a role still needs stays ticked (unticking it is how it goes)
        form.required_qualification_ids.choices = choices(
            [q for q in setup.qualifications_all(org) if q.archived_at is None or q.id in held])
        if request.method == "GET" and record is not None:
            form.required_qualification_ids.data = sorted(held)
    return form


def _save(org: Organisation, kind: str, form: Any, record: Any) -> Any:
    savers: dict[str, Callable[[], Any]] = {
        "roles": lambda: setup.save_role(org, setup.RoleSpec(
            form.name.data, Decimal(form.intensity.data), tuple(form.required_qualification_ids.data or ()),
            bool(form.on_call.data), form.priority.data), record),
        "sites": lambda: setup.save_site(org, form.name.data, form.address.data, record),
        "qualifications": lambda: setup.save_qualification(org, form.name.data, form.validity_months.data, record,
                                                           form.kind.data),
    }
    return savers[kind]()


def _page(org: Organisation, kind: str, form: Any, record: Any, status: int = 200) -> ResponseReturnValue:
    return render_template("rota/setup.html", kind=kind, info=KINDS[kind], form=form, record=record,
                           records=KINDS[kind]["list"](org)), status


def _submit(org: Organisation, kind: str, record: Any) -> ResponseReturnValue:
    form = _form(org, kind, record)
    if form.validate_on_submit():
        before = audit.snapshot(record, KINDS[kind]["audited"])
        try:
            saved = _save(org, kind, form, record)
        except ServiceError as error:
            getattr(form, error.field or "name").errors = [str(error)]
        else:
            one = KINDS[kind]["one"]
            if record is None:
                audit.record(org, g.membership.person_id, f"rota.{one}_create", one, saved.id, now=utcnow(),
                             values=audit.snapshot(saved, KINDS[kind]["audited"]).values)
            else:
                audit.record(org, g.membership.person_id, f"rota.{one}_update", one, saved.id, now=utcnow(),
                             changes=before.changes(saved))
            flash(f"{saved.name} saved.", "success")
            return redirect(url_for("rota.setup_list", kind=kind))
    return _page(org, kind, form, record, 422 if form.errors else 200)


@coordinator_required
def setup_list(kind: str) -> ResponseReturnValue:
    return _submit(current_org(), kind, None)


@coordinator_required
def setup_edit(kind: str, record_id: int) -> ResponseReturnValue:
    org = current_org()
    return _submit(org, kind, get_scoped_or_404(KINDS[kind]["model"], org, record_id))


@coordinator_required
def setup_archive(kind: str, record_id: int) -> ResponseReturnValue:
    org = current_org()
    record = get_scoped_or_404(KINDS[kind]["model"], org, record_id)
    archive = request.form.get("restore") != "1"
    setup.set_archived(record, archive, utcnow())
    one = KINDS[kind]["one"]
    audit.record(org, g.membership.person_id, f"rota.{one}_{'archive' if archive else 'restore'}", one, record.id,
                 now=utcnow())
    flash(f"{record.name} {'archived' if archive else 'restored'}.", "success")
    return redirect(url_for("rota.setup_list", kind=kind))
