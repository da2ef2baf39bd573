"""Calls are limited per token through the app's Redis-backed limiter: past the limit, 429 as problem+json."""
from __future__ import annotations

import os

from flask import Flask

from config import TestingConfig
from tests.factories import make_member, make_org
from tests.ratelimits import KEY_PREFIX
from volunteers.api import tokens
from volunteers.extensions import db as _db
from volunteers.extensions import limiter

from .conftest import assert_problem

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_each_token_has_its_own_limit_and_reads_count(app: Flask, make_app, clock) -> None:
    class Limited(TestingConfig):
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = REDIS
        RATELIMIT_KEY_PREFIX = KEY_PREFIX  # the run's own keys in a shared Redis (tests/ratelimits.py)
        API_RATE_LIMIT = "3/minute"

    limited = make_app(Limited)
    try:
        with limited.app_context():
            org = make_org("tackley")
            ann, bob = make_member(org, "ann@example.org", password=None), make_member(org, "bob@example.org",
                                                                                          password=None)
            first, second = (tokens.create_token(org, m, "screen", "read", 5, clock.now).token for m in (ann, bob))
            _db.session.commit()
        client = limited.test_client()

        def get(token: str):
            return client.get("/api/v1/me/shifts", headers={"Authorization": f"Bearer {token}"})

        assert [get(first).status_code for _ in range(3)] == [200, 200, 200]
        refused = get(first)
        assert_problem(refused, 429)
        assert refused.headers["Retry-After"]
        assert get(second).status_code == 200  # another token counts on its own
    finally:
        limiter.init_app(app)  # one Limiter serves every app: hand it back to the suite's (limits off)


def test_invented_tokens_count_against_the_callers_address(app: Flask, make_app, clock) -> None:
    """A new made-up token per call used to get a fresh bucket each; unknown tokens now share the address's."""
    class Limited(TestingConfig):
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = REDIS
        RATELIMIT_KEY_PREFIX = KEY_PREFIX
        API_RATE_LIMIT = "3/minute"

    limited = make_app(Limited)
    try:
        with limited.app_context():
            org = make_org("tackley")
            ann = make_member(org, "ann@example.org", password=None)
            real = tokens.create_token(org, ann, "screen", "read", 5, clock.now).token
            _db.session.commit()
        client = limited.test_client()

        def get(token: str, address: str = "192.0.2.7"):
            return client.get("/api/v1/me/shifts", headers={"Authorization": f"Bearer {token}"},
                              environ_base={"REMOTE_ADDR": address})

        invented = [get(f"vol_invented-{n}").status_code for n in range(3)]
        assert invented == [401, 401, 401]
        assert_problem(get("vol_invented-3"), 429)  # a fourth new token: the same address's bucket
        assert get("vol_invented-4", "198.51.100.9").status_code == 401  # another address: its own bucket
        assert get(real).status_code == 200  # a live token counts on its own, whatever the address did
    finally:
        limiter.init_app(app)
