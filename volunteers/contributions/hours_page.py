"""The view of ``/me/hours``; a GET's page with its two reads compiled once, its content kept while unchanged.

What the page shows and how hours are logged: ``contributions.my_hours``.

Why: once the volunteer was signed in, most of the page's own time went on making the same text again from
the same rows (every month's totals folded and written, the blank form's choices, the template around them
and base.html around that) and on running two small statements through ``Connection.execute``. The content
(all but the site's header and menu) is a pure function of

* the rows of the two statements, read on every view as the driver gives them and compared with those it
  was made of: the membership's approved and waiting hours by day from the first month shown, and the open
  roles of the volunteer's organisations (a logged, approved or reversed entry, a renamed or archived role
  makes it again);
* the organisations' names (the sections' headings, the form's choices), compared too;
* what the key holds: the memberships (so the volunteer's own: no one else is served it), the signed-in
  organisation (the form's choice), the local day there (the form's day) and each organisation's local month
  (the months shown), the endpoint and the request's script root (the menu's and the stylesheet's URLs);
* the request's CSRF token, which the kept text leaves out: it is split where the token goes.

Kept per app (``core.kept_text``), at most :data:`KEPT_AT_MOST` (~6 KB of text and ~1 KB of rows each: ~4 MB
a worker at most), dropped together past that. base.html around the content is framed once
(``people.page_frame``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from volunteers.contributions import my_hours
from volunteers.core.auth import member_required
from volunteers.core.compiled_sql import driver_rows
from volunteers.core.csrf_tokens import request_token
from volunteers.core.errors import ServiceError
from volunteers.core.kept_text import KeptTexts
from volunteers.core.reads import reading_connection
from volunteers.core.timeutil import local_date, utcnow
from volunteers.people.models import Membership
from volunteers.people.page_frame import whole_page

#: volunteers' pages kept per app (one per volunteer, day and organisation signed in); dropped together past this
KEPT_AT_MOST = 512
PAGES = KeptTexts("contributions.hours_page", KEPT_AT_MOST)


def page(memberships: list[Membership], now: datetime) -> bytes | str:
    """The page a GET draws: the content kept while the rows read now are those it was made of."""
    many = len(memberships) > 1
    one = not many
    conn = reading_connection()  # both reads on it
    roles = driver_rows(conn, my_hours.roles_read, (one,), my_hours.roles_params(memberships))
    this_months, firsts = my_hours.month_window(memberships, now)
    totals = driver_rows(conn, my_hours.totals_read, (one,), my_hours.totals_params(memberships, firsts))
    day = local_date(now, g.membership.organisation.timezone)
    key: tuple[Any, ...] = (tuple(m.id for m in memberships), g.membership.organisation_id, day,
                            tuple(this_months), request.endpoint, request.script_root)
    made_of = (tuple((m.organisation_id, m.organisation.name) for m in memberships), roles.rows, totals.rows)
    token = request_token()
    text = PAGES.get(key, made_of, token)
    if text is None:
        organisations, choices = my_hours.choices(memberships, roles.typed())
        fields = my_hours.blank_fields(organisations, choices, day, many)
        text = my_hours.content(memberships, fields, many, my_hours.month_totals(memberships, now, totals.typed()))
        PAGES.keep(key, made_of, text, 1, mark=token)
    return whole_page("contributions/my_hours.html", text.encode())


@member_required
def show_hours() -> ResponseReturnValue:
    """Show my hours month by month in each organisation, and log hours given outside the rota."""
    memberships = list(g.memberships)
    many = len(memberships) > 1
    now = utcnow()
    if request.method == "GET":  # a blank form: the content kept (hours_page; a HEAD draws the form without data)
        return page(memberships, now), 200
    organisations, roles = my_hours.choices(memberships)
    form = my_hours.form_for(organisations, roles, None)
    if form.validate_on_submit():
        membership = next((m for m in memberships if m.organisation_id == form.organisation_id.data), None)
        if membership is None:
            form.organisation_id.errors = ["Choose one of your organisations."]
        else:
            try:
                my_hours.log_hours(membership.organisation, membership, form.day.data, form.hours.data,
                                   form.role_id.data or None, form.note.data, now, form.stage.data or None,
                                   form.kind.data or None)
            except ServiceError as error:
                # the error shows beside its field; one the form does not have goes beside the hours
                field = error.field if error.field in ("role_id", "day", "hours", "note", "stage", "kind") else "hours"
                getattr(form, field).errors = [str(error)]
            else:
                logged = form.hours.data.normalize()
                flash(f"Thank you! {logged:f} h logged; your coordinator will approve it.", "success")
                return redirect(url_for("hours.my_hours"))
    return _page(memberships, utcnow(), my_hours.fields_of(form, many), many, form), 400 if form.errors else 200


def _page(memberships: list[Membership], now: datetime, fields: Markup, many: bool,
          form: my_hours.LogHoursForm | None = None) -> str:
    """The page with the form's ``fields``; a sent ``form`` too, whose errors the site's layout sums up."""
    text = my_hours.content(memberships, fields, many, my_hours.month_totals(memberships, now))
    return render_template("contributions/my_hours.html", content=Markup(text), form=form)


def forget() -> None:
    """Drop this app's kept pages (tests: the pages made afresh)."""
    PAGES.forget()
