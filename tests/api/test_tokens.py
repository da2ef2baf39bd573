"""Personal access tokens: stored hashed, shown once, scoped read or write, expiring, revocable (audited)."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from volunteers.api.models import ApiToken
from volunteers.api.tokens import hash_token
from volunteers.core.models import AuditLogEntry
from volunteers.extensions import db

from .conftest import assert_problem, token_for


def test_only_a_sha256_of_the_token_is_stored(world) -> None:
    rows = db.session.scalars(select(ApiToken)).all()
    stored = {row.token_hash for row in rows}
    assert hash_token(world.volunteer_token) == hashlib.sha256(world.volunteer_token.encode()).hexdigest()
    assert hash_token(world.volunteer_token) in stored
    for row in rows:
        assert world.volunteer_token not in (row.token_hash, row.prefix, row.name)
        assert len(row.prefix) == 10


def test_a_read_token_reads_but_may_not_write(world, call) -> None:
    assert call("GET", "/api/v1/me/shifts", world.volunteer_read_token).status_code == 200
    refused = call("POST", f"/api/v1/me/shifts/{world.shift.id}/sign-up", world.volunteer_read_token, json={})
    assert assert_problem(refused, 403)["type"].endswith("read-only-token")
    # assessing changes nothing, so a read token may ask (as a coordinator's would)
    assess = call("POST", "/api/v1/load/assess", token_for(world.coordinator, world.shift.created_at, "read"),
                  json={"as_of": "2026-11-30T12:00:00+00:00", "volunteers": []})
    assert assess.status_code == 200


def test_an_expired_token_is_401(world, call, clock) -> None:
    short = token_for(world.volunteer, clock.now, days=1)
    db.session.commit()
    assert call("GET", "/api/v1/me/shifts", short).status_code == 200
    clock.now += timedelta(days=1)
    assert_problem(call("GET", "/api/v1/me/shifts", short), 401)
    assert call("GET", "/api/v1/me/shifts", world.volunteer_token).status_code == 200


def test_a_token_of_someone_who_left_is_401(world, call) -> None:
    world.volunteer.status = "left"
    db.session.commit()
    assert_problem(call("GET", "/api/v1/me/shifts", world.volunteer_token), 401)


def test_last_used_is_recorded(world, call, clock) -> None:
    call("GET", "/api/v1/me/shifts", world.volunteer_token)
    db.session.expire_all()
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(world.volunteer_token)))
    assert row.last_used_at == clock.now


def test_made_on_the_page_shown_once_then_revoked_there(world, client, auth, call, clock) -> None:
    auth.login("ann@example.org")
    page = client.post("/me/tokens", data={"name": "Hall screen", "scope": "read", "days": "30"})
    assert page.status_code == 200
    token = re.search(r'<code id="new-token">(vol_[\w-]+)</code>', page.get_data(as_text=True)).group(1)
    assert call("GET", "/api/v1/me/shifts", token).status_code == 200
    listing = client.get("/me/tokens").get_data(as_text=True)
    assert "Hall screen" in listing and token not in listing
    row = db.session.scalar(select(ApiToken).where(ApiToken.name == "Hall screen"))
    assert client.post(f"/me/tokens/{row.id}/revoke").status_code == 302
    assert_problem(call("GET", "/api/v1/me/shifts", token), 401)
    actions = db.session.scalars(select(AuditLogEntry.action).where(AuditLogEntry.target_id == row.id,
                                                                    AuditLogEntry.target_type == "api_token"))
    assert sorted(actions) == ["api.token_create", "api.token_revoke"]


def test_someone_elses_token_cannot_be_revoked(world, client, auth, call) -> None:
    auth.login("bob@example.org")
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(world.volunteer_token)))
    client.post(f"/me/tokens/{row.id}/revoke")
    assert call("GET", "/api/v1/me/shifts", world.volunteer_token).status_code == 200


def test_the_page_names_the_field_of_a_bad_form(world, client, auth) -> None:
    auth.login("ann@example.org")
    page = client.post("/me/tokens", data={"name": "", "scope": "read", "days": "999"})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Give the token a name." in text and "Between 1 and 366." in text


def test_cli_prints_the_token_alone_on_its_last_line(world, runner, call) -> None:
    result = runner.invoke(args=["token", "create", "--email", "cora@tackley.example", "--org", "tackley",
                                 "--scope", "write"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"vol_[\w-]{43}", token)
    assert call("GET", "/api/v1/reports/monthly/2026-11", token).status_code == 200


def test_cli_refuses_a_stranger_naming_the_option(world, runner) -> None:
    result = runner.invoke(args=["token", "create", "--email", "gail@gateshead.example", "--org", "tackley"])
    assert result.exit_code == 1 and "--email" in result.output
    assert db.session.scalar(select(ApiToken).where(ApiToken.membership_id == world.other_coordinator.id,
                                                    ApiToken.organisation_id == world.org.id)) is None


def test_the_database_refuses_a_second_token_with_the_same_hash_in_any_organisation(world, clock) -> None:
    """A bearer token is found by its hash alone (before its organisation is known), so the hash is unique
    across organisations — the one exception to the Citus rules (docs/SCALING.md)."""
    taken = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(world.volunteer_token)))
    assert taken is not None
    copy = ApiToken(organisation_id=world.other.id, membership_id=world.other_coordinator.id, name="copy",
                    scope="read", token_hash=taken.token_hash, prefix=taken.prefix, created_at=clock.now,
                    expires_at=clock.now + timedelta(days=1))
    db.session.add(copy)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
