"""Making and revoking a personal access token on /me/tokens is audited (the name, never the token)."""
from __future__ import annotations

from sqlalchemy import select

from volunteers.api.models import ApiToken
from volunteers.extensions import db

from .conftest import only
from .coverage import audits


@audits("api_pages.tokens_page", "api_pages.revoke")
def test_token_made_and_revoked(client, auth, trail, clock) -> None:
    auth.login("cora@tackley.example")
    page = client.post("/me/tokens", data={"name": "Hall screen", "scope": "write", "days": "30"})
    assert page.status_code == 200
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Hall screen"))
    made = only(trail.org, "api.token_create")
    assert (made.actor_person_id, made.target_type, made.target_id) == (
        trail.coordinator.person_id, "api_token", token.id)
    assert made.details["scope"] == "write" and made.created_at == clock.now
    assert "vol_" not in str(made.details)
    client.post(f"/me/tokens/{token.id}/revoke")
    revoked = only(trail.org, "api.token_revoke")
    assert (revoked.actor_person_id, revoked.target_id) == (trail.coordinator.person_id, token.id)
