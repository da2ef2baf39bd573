"""An admin limits a coordinator to some sites, from the person's page (/people/<id>, section "Sites").

The section is drawn by the ``coordinator_site_choices`` template global
(the people package sits below rota, so its view cannot load sites); the
form posts here, and the change is audited as ``people.sites_set``.
"""
from __future__ import annotations

from typing import NamedTuple

from flask import abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from volunteers.core import audit
from volunteers.core.auth import admin_required
from volunteers.core.tenancy import current_org, get_scoped_or_404
from volunteers.core.timeutil import utcnow
from volunteers.people.models import Membership
from volunteers.rota import queries, site_scope


class SiteChoice(NamedTuple):
    """One checkbox of the person page's "Sites" section."""

    id: int
    name: str
    chosen: bool


def coordinator_site_choices(membership: Membership) -> list[SiteChoice]:
    """The organisation's sites, those the coordinator is limited to ticked (two queries, only on that page)."""
    org = current_org()
    chosen = site_scope.site_ids_of(org, membership.id)
    return [SiteChoice(site.id, site.name, site.id in chosen) for site in queries.sites(org)]


@admin_required
def set_coordinator_sites(membership_id: int) -> ResponseReturnValue:
    org = current_org()
    membership = get_scoped_or_404(Membership, org, membership_id)
    if membership.role != "coordinator":
        abort(404)  # only a coordinator's view is limited: admins see all, volunteers see their own
    try:
        site_ids = {int(value) for value in request.form.getlist("site")}
        before, after = site_scope.set_sites(org, membership, site_ids)
    except ValueError:
        flash("Choose sites of this organisation.", "error")
        return redirect(url_for("people.edit_person", membership_id=membership.id) + "#sites")
    if before != after:
        audit.record(org, g.membership.person_id, "people.sites_set", "membership", membership.id, now=utcnow(),
                     person_id=membership.person_id, changes={"site_ids": [before, after]})
        flash("Sites saved." if after else "Sites saved: every site.", "success")
    return redirect(url_for("people.edit_person", membership_id=membership.id) + "#sites")
