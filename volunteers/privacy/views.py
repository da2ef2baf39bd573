"""Pages: the signed-in person's download, a coordinator's download of a member, and erasure.

A volunteer asking for a member's download (someone else's data) gets a 404,
as does a coordinator asking for another organisation's member: the page
does not say whether such a person exists.
"""
from __future__ import annotations

import io

from flask import abort, flash, g, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from volunteers.core.auth import coordinator_required, refuse_until_enrolled
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import local_date, utcnow
from volunteers.extensions import db
from volunteers.people import site_limits
from volunteers.people.models import Person
from volunteers.privacy import services
from volunteers.privacy.domain.rules import export_filename
from volunteers.privacy.export import export_zip
from volunteers.privacy.forms import EraseForm, same_name


def _download(person: Person, org: Organisation | None) -> ResponseReturnValue:
    now = utcnow()
    timezone = org.timezone if org is not None else (g.membership.organisation.timezone if g.membership
                                                      else "Europe/London")
    with export_zip(person, org, actor_person_id=current_user.id, source="web", now=now) as archive:
        # read the (compressed) zip whole: a response holding an open file leaks it if never read to the end
        body = io.BytesIO(archive.read())
    return send_file(body, mimetype="application/zip", as_attachment=True,
                     download_name=export_filename(local_date(now, timezone)), max_age=0)


@login_required
def my_data() -> ResponseReturnValue:
    """Everything held about the signed-in person, in every organisation, as a zip."""
    person = db.session.get(Person, current_user.id)
    if person is None:
        abort(404)
    return _download(person, None)


@login_required
def member_data(membership_id: int) -> ResponseReturnValue:
    """A coordinator's download of one member: this organisation's data only."""
    membership = getattr(g, "membership", None)
    if membership is None or not membership.is_coordinator:
        abort(404)  # someone else's data: not even whether it exists
    refuse_until_enrolled(membership)  # as every coordinator page does
    org = current_org()
    member = site_limits.member_or_404(org, membership_id)
    return _download(member.person, org)


@coordinator_required
def erase(membership_id: int) -> ResponseReturnValue:
    """Confirm and erase a member: type their name and give a reason."""
    org = current_org()
    member = site_limits.member_or_404(org, membership_id)
    now = utcnow()
    plan = services.plan_erasure(org, member, now)
    form = EraseForm()
    own = member.person_id == current_user.id
    if form.validate_on_submit() and not own and not plan.already_erased:
        if not same_name(form.confirm_name.data or "", member.person.name):
            form.confirm_name.errors = [f"Type {member.person.name} exactly as shown to confirm."]
        else:
            try:
                services.erase_member(org, member, actor_person_id=current_user.id, reason=form.reason.data or "",
                                      now=now, source="web")
            except ServiceError as error:
                getattr(form, error.field or "reason", form.reason).errors = [str(error)]
            else:
                flash("Erased. Their past contributions stay in the ledger and reports as "
                      f"\u201c{member.person.name}\u201d." if plan.scope.wipes_person
                      else "Erased from this organisation; they keep their sign-in for the others.", "success")
                return redirect(url_for("people.edit_person", membership_id=member.id))
    status = 400 if form.errors or (form.is_submitted() and (own or plan.already_erased)) else 200
    return render_template("privacy/erase.html", member=member, plan=plan, form=form, own=own), status
