"""An admin limiting a coordinator to some sites leaves an audit entry with the site ids before and after."""
from __future__ import annotations

from tests.factories import make_site
from volunteers.extensions import db

from .conftest import entries, expect
from .coverage import audits


@audits("coordinator_sites.set_coordinator_sites")
def test_limiting_a_coordinator_to_sites_is_audited(client, desk, auth, clock) -> None:
    t = desk.t
    other = make_site(t.org, "Post office")
    db.session.commit()
    auth.logout()
    auth.login("ada@tackley.example")
    client.post(f"/people/{t.coordinator.id}/sites", data={"site": [str(desk.site.id), str(other.id)]})
    entry = expect(t.org, "people.sites_set", t.admin, "membership", t.coordinator.id, clock.now)
    assert entry.details == {"person_id": t.coordinator.person_id,
                             "changes": {"site_ids": [[], sorted([desk.site.id, other.id])]}}
    client.post(f"/people/{t.coordinator.id}/sites", data={"site": [str(other.id)]})  # the same again: no entry
    client.post(f"/people/{t.coordinator.id}/sites", data={"site": [str(other.id)]})
    assert len(entries(t.org, "people.sites_set")) == 2
