"""Registering and removing a webhook endpoint on /settings/webhooks is audited (the URL, never the secret)."""
from __future__ import annotations

from sqlalchemy import select

from volunteers.api.webhook_models import WebhookEndpoint
from volunteers.extensions import db

from .conftest import only
from .coverage import audits


@audits("api_pages.webhooks_page", "api_pages.remove_webhook")
def test_webhook_registered_and_removed(client, auth, trail, clock) -> None:
    auth.login("cora@tackley.example")
    page = client.post("/settings/webhooks", data={"url": "https://hall.example/hook",
                                                   "events": ["shift.created", "assignment.removed"]})
    assert page.status_code == 200
    endpoint = db.session.scalar(select(WebhookEndpoint))
    made = only(trail.org, "webhooks.register")
    assert (made.actor_person_id, made.target_type, made.target_id, made.created_at) == (
        trail.coordinator.person_id, "webhook_endpoint", endpoint.id, clock.now)
    assert made.details["url"] == "https://hall.example/hook"
    assert made.details["events"] == ["shift.created", "assignment.removed"]
    assert endpoint.secret not in str(made.details)
    client.post(f"/settings/webhooks/{endpoint.id}/remove")
    removed = only(trail.org, "webhooks.remove")
    assert (removed.actor_person_id, removed.target_id) == (trail.coordinator.person_id, endpoint.id)


@audits("api_pages.webhooks_page", "api_pages.remove_webhook")
def test_the_trail_keeps_no_query_string_of_a_webhook_address(client, auth, trail) -> None:
    """Some receivers take their secret in the query (``?token=…``): the trail keeps scheme, host and path."""
    auth.login("cora@tackley.example")
    client.post("/settings/webhooks", data={"url": "https://hooks.example:8443/in/volunteers?token=s3cret#x",
                                            "events": ["shift.created"]})
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert endpoint.url.endswith("?token=s3cret#x")  # the endpoint itself still posts to the whole address
    client.post(f"/settings/webhooks/{endpoint.id}/remove")
    for action in ("webhooks.register", "webhooks.remove"):
        entry = only(trail.org, action)
        assert entry.details["url"] == "https://hooks.example:8443/in/volunteers"
        assert "s3cret" not in str(entry.details)
