"""A one-off shift, outside any series: the form and its save."""
from __future__ import annotations

from contextlib import suppress

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from volunteers.core import audit
from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.params import parse_date
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import utcnow
from volunteers.rota import queries, services
from volunteers.rota.forms import ShiftForm, choices


@coordinator_required
def new_shift() -> ResponseReturnValue:
    """A one-off shift, outside any series."""
    org = current_org()
    form = ShiftForm()
    form.role_id.choices = choices(queries.roles(org))
    form.site_id.choices = choices(queries.sites(org, g.membership))  # a coordinator limited to some: hers only
    if request.method == "GET":
        with suppress(ValueError):  # no day asked for, or an unreadable one: the form starts empty
            form.day.data = parse_date(request.args.get("day", ""))
    if form.validate_on_submit():
        try:
            shift = services.create_shift(org, services.ShiftSpec(
                form.day.data, form.start_time.data, form.end_time.data, form.role_id.data, form.site_id.data,
                form.needed.data, form.notes.data))
        except ServiceError as error:
            getattr(form, error.field or "day").errors = [str(error)]
        else:
            audit.record(org, g.membership.person_id, "shifts.create", "shift", shift.id, now=utcnow(),
                         starts_at=shift.starts_at, ends_at=shift.ends_at, role_id=shift.role_id,
                         site_id=shift.site_id, needed=shift.needed)
            flash("Shift added.", "success")
            return redirect(url_for("shifts.show_shift", shift_id=shift.id))
    return render_template("rota/shift_form.html", form=form), 422 if form.errors else 200
