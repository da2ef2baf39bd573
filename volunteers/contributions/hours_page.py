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
(``core.page_frame``).

**At the change marks** (:data:`BY_MARK`): before anything else a GET reads the change mark of each of the
volunteer's organisations (``core.change_marks``: the database changes it at every write to that organisation's
data, the ledger's entries and the roles among them) and serves the content made at the same marks without the
page's two statements, for the same key as above with the memberships and their organisations as the sign-in
read loaded them (``as_loaded``) and the CSRF setting. The clock reaches the content only through the key: the
signed-in organisation's local day (the form's day) and each organisation's local month (the months shown, and
the first day the totals read from); the page top's time is drawn on every view. Not served or kept: a page with
messages to flash, and pages of a development server. At most :data:`BY_MARK_AT_MOST` texts of at most
:data:`LONGEST` characters (the demo's are ~6 K; many organisations' roles make a longer form), without rows:
~3 MB of the demo's, 256 x 32 K characters (~16 MB at two bytes a character) at worst.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from volunteers.contributions import my_hours
from volunteers.core import change_marks
from volunteers.core.auth import member_required
from volunteers.core.compiled_sql import driver_rows
from volunteers.core.csrf_tokens import request_token
from volunteers.core.errors import ServiceError
from volunteers.core.kept_text import TOKEN_MARK, KeptTexts, keeps_page, mark_to_keep_by
from volunteers.core.page_frame import whole_page
from volunteers.core.reads import reading_connection
from volunteers.core.timeutil import local_date, utcnow
from volunteers.people.models import Membership

#: volunteers' pages kept per app (one per volunteer, day and organisation signed in); dropped together past this
KEPT_AT_MOST = 512
PAGES = KeptTexts("contributions.hours_page", KEPT_AT_MOST)
#: the same contents by the organisations' change marks (made of: the marks), without rows; dropped together past
#: :data:`BY_MARK_AT_MOST`
BY_MARK_AT_MOST = 256
BY_MARK = KeptTexts("contributions.hours_page.by_mark", BY_MARK_AT_MOST)
#: a longer content is not kept by mark
LONGEST = 32 * 1024


def _marks(memberships: list[Membership]) -> tuple[int, ...] | None:
    """The change marks of the memberships' organisations, read before any of the page's rows (None: keep
    nothing by them: one has none, or this transaction wrote)."""
    if not keeps_page():
        return None
    read = [mark_to_keep_by(m.organisation_id) for m in memberships]
    return None if None in read else tuple(mark for mark in read if mark is not None)


def page(memberships: list[Membership], now: datetime) -> bytes | str:
    """The page a GET draws: the content kept at the organisations' change marks, else the content kept while the
    rows read now are those it was made of."""
    marks = _marks(memberships)  # first: before any of the page's rows
    many = len(memberships) > 1
    one = not many
    # the clock's ways in: the signed-in organisation's local day (the form's) and each one's local month
    this_months, firsts = my_hours.month_window(memberships, now)
    day = local_date(now, g.membership.organisation.timezone)
    key: tuple[Any, ...] = (tuple(m.id for m in memberships), g.membership.organisation_id, day,
                            tuple(this_months), request.endpoint, request.script_root)
    mark_key = (tuple(change_marks.as_loaded(m.organisation, m) for m in memberships), key,
                current_app.config.get("WTF_CSRF_ENABLED"))
    token = request_token()
    found = BY_MARK.texts().get(mark_key) if marks is not None else None
    if found is not None and found.made_of == marks:
        return whole_page("contributions/my_hours.html", token.join(found.pieces).encode())
    conn = reading_connection()  # both reads on it
    roles = driver_rows(conn, my_hours.roles_read, (one,), my_hours.roles_params(memberships))
    totals = driver_rows(conn, my_hours.totals_read, (one,), my_hours.totals_params(memberships, firsts))
    made_of = (tuple((m.organisation_id, m.organisation.name) for m in memberships), roles.rows, totals.rows)
    text = PAGES.get(key, made_of, token)
    if text is None:
        organisations, choices = my_hours.choices(memberships, roles.typed())
        fields = my_hours.blank_fields(organisations, choices, day, many)
        text = my_hours.content(memberships, fields, many, my_hours.month_totals(memberships, now, totals.typed()))
        PAGES.keep(key, made_of, text, 1, mark=token)
    kept = PAGES.texts().get(key)
    # kept by the marks only when made of the rows this view read after them (another thread may have kept another)
    if marks is not None and kept is not None and kept.made_of == made_of and len(text) <= LONGEST:
        BY_MARK.keep(mark_key, marks, TOKEN_MARK.join(kept.pieces), len(kept.pieces) - 1)
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
    BY_MARK.forget()
