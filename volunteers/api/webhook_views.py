"""``/settings/webhooks``: coordinators register and remove endpoints and see the last deliveries.

The secret is rendered once, in the answer to the POST that made it (never
in the session or a redirect); afterwards only the URL and events show.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from volunteers.api import webhooks
from volunteers.api.webhook_models import EVENT_TYPES
from volunteers.core.auth import coordinator_required
from volunteers.core.errors import ServiceError
from volunteers.core.timeutil import utcnow
from volunteers.core.widgets import FastForm
from volunteers.rota.forms import MultiCheckboxField
from volunteers.settings.site_limit import refuse_site_coordinators


class NewEndpointForm(FastForm):
    url = StringField("Address (URL)", validators=[DataRequired(message="Give the address to send events to.")],
                      description="http:// or https://, without a user name or password.")
    events = MultiCheckboxField("Events", choices=[SelectChoice(name, name) for name in EVENT_TYPES])


@coordinator_required
def webhooks_page() -> ResponseReturnValue:
    """List the endpoints and the last deliveries; register a new endpoint (its secret shown once)."""
    refuse_site_coordinators()  # organisation-wide, as every /settings page: every site's shifts go out
    membership = g.membership
    org = membership.organisation
    form = NewEndpointForm()
    made = None
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                made = webhooks.register_endpoint(org, membership.person_id, form.url.data or "",
                                                  form.events.data or [], utcnow())
            except ServiceError as error:
                getattr(form, error.field or "url", form.url).errors = [str(error)]
                status = 400
            else:
                form = NewEndpointForm(formdata=None)
        else:
            status = 400
    return render_template("settings/webhooks.html", form=form, made=made, org=org,
                           endpoints=webhooks.endpoints_of(org), deliveries=webhooks.recent_deliveries(org)), status


@coordinator_required
def remove(endpoint_id: int) -> ResponseReturnValue:
    """Stop sending to an endpoint; its queued deliveries are dropped."""
    refuse_site_coordinators()
    membership = g.membership
    try:
        endpoint = webhooks.remove_endpoint(membership.organisation, membership.person_id, endpoint_id, utcnow())
    except ServiceError as error:
        flash(str(error), "error")
    else:
        flash(f"Removed {endpoint.url}: nothing more is sent to it.", "success")
    return redirect(url_for("api_pages.webhooks_page"))
