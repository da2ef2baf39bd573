"""Failed sign-ins are limited per account and per IP address, in storage every worker shares;
signing in successfully costs nothing."""
from __future__ import annotations

import os
import time
from collections.abc import Iterator
from types import SimpleNamespace

import limits.storage.memory
import pytest
import redis
from flask import Flask

from config import TestingConfig
from tests.integration.auth_support import VOLUNTEER, WRONG, seed, send, sign_in
from tests.ratelimits import KEY_PREFIX
from volunteers.extensions import limiter


@pytest.fixture()
def limited(app: Flask, make_app) -> Iterator:
    """Build apps with rate limits on; afterwards the shared limiter is off again, as for the other tests."""
    def build(**settings: str) -> Flask:
        config = type("Limited", (TestingConfig,), {"RATELIMIT_ENABLED": True, **settings})
        built = make_app(config)
        seed(built)
        return built

    yield build
    limiter.init_app(app)  # one Limiter serves every app: hand it back to the suite's (limits off)


def test_failures_for_one_account_lock_it_from_every_address(limited) -> None:
    client = limited(LOGIN_RATE_LIMIT="3 per minute", LOGIN_IP_RATE_LIMIT="100 per minute").test_client()
    codes = [sign_in(client, password=WRONG, ip=f"192.0.2.{n}").status_code for n in range(3)]
    assert codes == [401, 401, 401]
    assert sign_in(client, ip="198.51.100.7").status_code == 429
    assert sign_in(client, email="someone.else@tackley.example", password=WRONG).status_code == 401


def test_failures_from_one_address_lock_it_whatever_account_they_name(limited) -> None:
    client = limited(LOGIN_RATE_LIMIT="100 per minute", LOGIN_IP_RATE_LIMIT="3 per minute").test_client()
    codes = [sign_in(client, email=f"guess{n}@tackley.example", password=WRONG).status_code for n in range(3)]
    assert codes == [401, 401, 401]
    assert sign_in(client).status_code == 429
    assert sign_in(client, ip="198.51.100.7").status_code == 302


def test_the_account_key_is_the_address_as_it_is_looked_up(limited) -> None:
    client = limited(LOGIN_RATE_LIMIT="2 per minute", LOGIN_IP_RATE_LIMIT="100 per minute").test_client()
    sign_in(client, email="Volunteer@Tackley.example", password=WRONG, ip="192.0.2.1")
    sign_in(client, email=" volunteer@tackley.EXAMPLE ", password=WRONG, ip="192.0.2.2")
    assert sign_in(client, ip="192.0.2.3").status_code == 429


def test_successful_sign_ins_do_not_count(limited) -> None:
    client = limited(LOGIN_RATE_LIMIT="3 per minute", LOGIN_IP_RATE_LIMIT="3 per minute").test_client()
    for _ in range(5):
        assert sign_in(client).status_code == 302
        send(client, "POST", "/logout")


def test_the_right_password_works_again_after_the_window(limited, monkeypatch) -> None:
    client = limited(LOGIN_RATE_LIMIT="2 per minute", LOGIN_IP_RATE_LIMIT="100 per minute").test_client()
    assert [sign_in(client, password=WRONG).status_code for _ in range(2)] == [401, 401]
    assert sign_in(client).status_code == 429
    # a minute and a bit later, by the clock of the limiter's memory storage (nothing else reads it)
    later = time.time() + 61
    monkeypatch.setattr(limits.storage.memory, "time", SimpleNamespace(time=lambda: later))
    assert sign_in(client).status_code == 302


TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


@pytest.fixture()
def redis_url() -> Iterator[str]:
    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set; .ci/run sets it to redis://127.0.0.1:6379/15 and starts Redis")
    store = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        store.ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"Redis at {TEST_REDIS_URL} is not reachable: {error}")
    try:
        yield TEST_REDIS_URL
    finally:
        for key in store.scan_iter(f"*{KEY_PREFIX}*"):
            store.delete(key)
        store.close()


def test_the_limit_holds_across_workers_sharing_redis(limited, redis_url) -> None:
    settings = {"RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_KEY_PREFIX": KEY_PREFIX,
                "LOGIN_RATE_LIMIT": "3 per minute", "LOGIN_IP_RATE_LIMIT": "100 per minute"}
    first = limited(**settings).test_client()
    assert [sign_in(first, password=WRONG, ip=f"192.0.2.{n}").status_code for n in range(3)] == [401] * 3
    assert any(redis.Redis.from_url(redis_url).scan_iter(f"*{KEY_PREFIX}*account:{VOLUNTEER}*"))

    # another worker: its own app and its own connection to the storage, made after the failures
    second = limited(**settings).test_client()
    assert sign_in(second, ip="198.51.100.7").status_code == 429
    assert sign_in(second, email="someone.else@tackley.example", password=WRONG).status_code == 401


def test_memory_storage_would_not_hold_across_workers(limited) -> None:
    """The control for the test above: per-process counts start again in each worker."""
    settings = {"RATELIMIT_STORAGE_URI": "memory://",
                "LOGIN_RATE_LIMIT": "3 per minute", "LOGIN_IP_RATE_LIMIT": "100 per minute"}
    first = limited(**settings).test_client()
    assert [sign_in(first, password=WRONG).status_code for _ in range(3)] == [401] * 3
    second = limited(**settings).test_client()
    assert sign_in(second).status_code == 302
