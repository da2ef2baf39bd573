"""``/me/tokens``: make (shown once) and revoke personal access tokens for the API.

A token is made for the organisation the person is looking at (their
current membership) and acts with that membership's role. The new token is
rendered in the answer to the POST itself, never stored in the session or
a redirect, and the page is ``no-store`` (every /me page is).
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange

from volunteers.api import tokens
from volunteers.core.auth import member_required
from volunteers.core.errors import ServiceError
from volunteers.core.timeutil import utcnow
from volunteers.core.widgets import FastForm


class NewTokenForm(FastForm):
    name = StringField("Name", validators=[DataRequired(message="Give the token a name."), Length(max=100)],
                       description="What will use it, e.g. “Village hall screen”.")
    scope = SelectField("Access", choices=[SelectChoice("read", "Read only"), SelectChoice("write", "Read and write")],
                        default="read",
                        description="Read-only tokens can list and fetch; write tokens can also sign up and change.")
    days = IntegerField("Days until it expires", default=tokens.DEFAULT_DAYS,
                        validators=[DataRequired(message="Give a number of days."),
                                    NumberRange(min=1, max=tokens.MAX_DAYS,
                                                message=f"Between 1 and {tokens.MAX_DAYS}.")])


@member_required
def tokens_page() -> ResponseReturnValue:
    """List my tokens for this organisation; make a new one (shown once)."""
    membership = g.membership
    form = NewTokenForm()
    made = None
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                made = tokens.create_token(membership.organisation, membership, form.name.data or "",
                                           form.scope.data or "", form.days.data or 0, utcnow())
            except ServiceError as error:
                getattr(form, error.field or "name", form.name).errors = [str(error)]
                status = 400
            else:
                form = NewTokenForm(formdata=None)
        else:
            status = 400
    return render_template("api/tokens.html", form=form, made=made, org=membership.organisation,
                           tokens=tokens.my_tokens(membership), now=utcnow()), status


@member_required
def revoke(token_id: int) -> ResponseReturnValue:
    """Revoke one of my tokens; calls with it get 401 from now on."""
    membership = g.membership
    try:
        record = tokens.revoke_token(membership.organisation, membership, token_id, utcnow())
    except ServiceError:
        flash("That token is not one of yours.", "error")
        return redirect(url_for("api_pages.tokens_page"))
    flash(f"Revoked “{record.name}”. Anything using it can no longer call the API.", "success")
    return redirect(url_for("api_pages.tokens_page"))


