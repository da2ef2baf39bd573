"""Texting phone confirmation codes is limited per member and per number (each text costs money and
lands on someone's phone); past a limit the form says so and nothing is texted.

Before, /me/messages/phone texted a new code on every POST: a script could
send hundreds of texts to any number from one account.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from config import TestingConfig
from tests.factories import make_member
from tests.integration.auth_support import VOLUNTEER, seed, send, sign_in
from tests.integration.test_auth_rate_limits import TEST_REDIS_URL
from tests.ratelimits import KEY_PREFIX
from volunteers.extensions import db as _db
from volunteers.extensions import limiter
from volunteers.mail.models import OutboxMessage
from volunteers.people import services
from volunteers.selfservice.channel_views import TOO_MANY_CODES

OTHER = "other@tackley.example"


@pytest.fixture()
def limited(app: Flask, make_app) -> Iterator:
    """Apps with rate limits on (and a second member); afterwards the shared limiter is off again."""
    def build(**settings: str) -> Flask:
        config = type("Limited", (TestingConfig,), {"RATELIMIT_ENABLED": True, **settings})
        built = make_app(config)
        seed(built)
        with built.app_context():
            if services.person_by_email(OTHER) is None:
                volunteer = services.person_by_email(VOLUNTEER)
                assert volunteer is not None
                make_member(volunteer.memberships[0].organisation, OTHER)
                _db.session.commit()
        return built

    yield build
    limiter.init_app(app)


def _signed_in(app: Flask, email: str = VOLUNTEER) -> FlaskClient:
    client = app.test_client()
    assert sign_in(client, email=email).status_code == 302
    return client


def _ask(client: FlaskClient, phone: str) -> int:
    response = send(client, "POST", "/me/messages/phone", data={"phone": phone})
    if response.status_code == 429:
        page = response.get_data(as_text=True)
        assert TOO_MANY_CODES in page and 'id="phone-error"' in page
    return response.status_code


def _texts(app: Flask) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.channel == "sms")) or 0


def test_a_member_gets_so_many_codes_whatever_numbers_she_types(limited) -> None:
    app = limited(PHONE_CODE_RATE_LIMIT="2 per hour", PHONE_CODE_NUMBER_RATE_LIMIT="100 per hour")
    client = _signed_in(app)
    assert [_ask(client, f"07911 12345{n}") for n in range(3)] == [302, 302, 429]
    assert _texts(app) == 2


def test_one_number_gets_so_many_codes_whoever_asks(limited) -> None:
    app = limited(PHONE_CODE_RATE_LIMIT="100 per hour", PHONE_CODE_NUMBER_RATE_LIMIT="2 per hour")
    first, second = _signed_in(app), _signed_in(app, OTHER)
    assert [_ask(first, "07911 123456"), _ask(first, "+44 7911 123456")] == [302, 302]
    assert _ask(second, "07911123456") == 429  # the same number, however typed
    assert _ask(second, "07911 123457") == 302
    assert _texts(app) == 3


def test_a_refused_number_costs_nothing(limited) -> None:
    app = limited(PHONE_CODE_RATE_LIMIT="1 per hour", PHONE_CODE_NUMBER_RATE_LIMIT="100 per hour")
    client = _signed_in(app)
    assert _ask(client, "call me") == 400
    assert _ask(client, "07911 123456") == 302


def test_the_limit_holds_across_workers_sharing_redis(limited) -> None:
    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set; .ci/run sets it to redis://127.0.0.1:6379/15 and starts Redis")
    store = redis.Redis.from_url(TEST_REDIS_URL)
    settings = {"RATELIMIT_STORAGE_URI": TEST_REDIS_URL, "RATELIMIT_KEY_PREFIX": KEY_PREFIX,
                "PHONE_CODE_RATE_LIMIT": "1 per hour", "PHONE_CODE_NUMBER_RATE_LIMIT": "100 per hour"}
    try:
        assert _ask(_signed_in(limited(**settings)), "07911 123456") == 302
        assert any(store.scan_iter(f"*{KEY_PREFIX}*phone-code*"))
        assert _ask(_signed_in(limited(**settings)), "07911 123458") == 429  # another worker, the same member
    finally:
        for key in store.scan_iter(f"*{KEY_PREFIX}*phone-code*"):
            store.delete(key)
        store.close()
