"""Announcements on the web: the coordinator's list and form, withdrawing one, and a volunteer dismissing one.

The form checks what WTForms can (dates, times, choices among the
organisation's roles and the coordinator's own sites) and then the domain's
rules (lengths, the audience's choice, an expiry in the future and within 90
days, in the organisation's zone); every refusal is a message beside its field
and nothing is saved. Sending and withdrawing are audited.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import Optional

from volunteers.core import audit
from volunteers.core.auth import coordinator_required, member_required
from volunteers.core.errors import ServiceError
from volunteers.core.models import Organisation
from volunteers.core.tenancy import current_org
from volunteers.core.timeutil import utcnow
from volunteers.core.webparams import SaneDate
from volunteers.core.widgets import FastForm
from volunteers.people.models import Membership
from volunteers.rota import queries
from volunteers.selfservice import announcements
from volunteers.selfservice.domain.announcements import (
    AUDIENCES,
    BODY_MAX,
    TITLE_MAX,
    Audience,
    check_draft,
    default_expiry,
)


class AnnouncementForm(FastForm):
    title = StringField("Title", validators=[Optional()], description=f"Up to {TITLE_MAX} characters.")
    body = TextAreaField(
        "Message", validators=[Optional()],
        description=f"Up to {BODY_MAX:,} characters. People who chose texts for announcements get a text when "
                    "it fits in two (about 300 letters with the title), an e-mail otherwise.")
    audience = SelectField("Who it is for", choices=[SelectChoice(k, v) for k, v in AUDIENCES.items()])
    role_id = SelectField("Role", coerce=int, validators=[Optional()],
                          description="For “People of one role”: who has been or will be on its shifts (90 days).")
    site_id = SelectField("Site", coerce=int, validators=[Optional()],
                          description="For “People at one site”: who has been or will be on its shifts (90 days).")
    on = DateField("Day", validators=[Optional(), SaneDate()],
                   description="For “People on one day's shifts”.")
    expires_on = DateField("Show until (day)", validators=[Optional(), SaneDate()])
    expires_time = TimeField("Show until (time)", validators=[Optional()],
                             description="In the organisation's time zone; at most 90 days ahead.")


def _form(org: Organisation, viewer: Membership) -> AnnouncementForm:
    form = AnnouncementForm()
    limited = announcements.limited(org, viewer)
    form.audience.choices = [SelectChoice(k, v) for k, v in AUDIENCES.items() if not (limited and k == "everyone")]
    form.role_id.choices = [SelectChoice(0, "—"), *(SelectChoice(r.id, r.name) for r in queries.roles(org))]
    form.site_id.choices = [SelectChoice(0, "—"), *(SelectChoice(s.id, s.name) for s in queries.sites(org, viewer))]
    if request.method == "GET":
        form.expires_on.data, form.expires_time.data = default_expiry(utcnow(), org.timezone)
    return form


@coordinator_required
def list_announcements() -> ResponseReturnValue:
    """Current and past announcements, with how many were reached on each channel."""
    org, now = current_org(), utcnow()
    items = announcements.listing(org, g.membership, now)
    return render_template("selfservice/announcements.html", items=items, org=org,
                           names=announcements.reference_names(org) if items else {},
                           words=announcements.audience_words, until=announcements.until,
                           paragraphs=announcements.paragraphs)


@coordinator_required
def new_announcement() -> ResponseReturnValue:
    org, now = current_org(), utcnow()
    form = _form(org, g.membership)
    if request.method == "POST":
        form.validate_on_submit()  # types and choices; the rules below name the other fields
        errors: dict[str, str] = {}
        data = form.data
        audience = Audience(data["audience"], data["role_id"] or None, data["site_id"] or None, data["on"])
        draft, errors = check_draft(data["title"] or "", data["body"] or "", audience, data["expires_on"],
                                    data["expires_time"], org.timezone, now)
        if draft is not None and not form.errors:
            try:
                sent = announcements.announce(org, g.membership, draft, now)
            except ServiceError as error:
                errors = {error.field or "audience": str(error)}
            else:
                a = sent.announcement
                audit.record(org, g.membership.person_id, "announcements.send", "announcement", a.id, now=now,
                             title=a.title, audience=a.audience, role_id=a.role_id, site_id=a.site_id,
                             shifts_on=a.shifts_on, expires_at=a.expires_at, by_email=sent.by_email,
                             by_text=sent.by_text)
                flash(f"Sent to {sent.people} {'person' if sent.people == 1 else 'people'}: "
                      f"{sent.by_email} by e-mail, {sent.by_text} by text.", "success")
                return redirect(url_for("announcements.list_announcements"))
        for name, message in errors.items():
            field = form[name]
            if not field.errors:  # a value WTForms already refused keeps its own message
                field.errors = [*field.errors, message]
        return render_template("selfservice/announcement_form.html", form=form), 422
    return render_template("selfservice/announcement_form.html", form=form)


@coordinator_required
def withdraw_announcement(announcement_id: int) -> ResponseReturnValue:
    """Stop an announcement before it expires (its unsent texts are not sent)."""
    org, now = current_org(), utcnow()
    found = announcements.withdraw(org, g.membership, announcement_id, now)
    if found is None:
        abort(404)
    announcement, stopped = found
    if stopped:
        audit.record(org, g.membership.person_id, "announcements.withdraw", "announcement", announcement.id,
                     now=now, title=announcement.title)
        flash(f"Withdrawn: “{announcement.title}” no longer shows.", "success")
    else:
        flash("That announcement had already stopped showing.", "info")
    return redirect(url_for("announcements.list_announcements"))


@member_required
def dismiss_announcement(announcement_id: int) -> ResponseReturnValue:
    """Hide an announcement from my shifts page."""
    if not announcements.dismiss(g.memberships, announcement_id, utcnow()):
        abort(404)
    return redirect(url_for("me.shifts"))
