"""What every request pays before and after its page (issue 13): one statement for who is signed in,
no rate-limiter work on reads, static fingerprints looked up once per production worker."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from config import ProductionConfig, TestingConfig
from tests.factories import make_org
from tests.integration.auth_support import VOLUNTEER, seed, send, sign_in
from tests.querycount import statements_run
from volunteers.core import static_assets
from volunteers.extensions import limiter
from volunteers.people.models import Membership
from volunteers.people.services import person_by_email


def test_a_signed_in_request_reads_the_person_and_their_memberships_in_one_statement(app, client, db) -> None:
    seed(app)
    other = make_org("surestart", "Sure Start Gateshead")
    gone = make_org("elsewhere", "Somewhere Left")
    person = person_by_email(VOLUNTEER)
    db.session.add(Membership(organisation_id=other.id, person_id=person.id, role="coordinator", status="active"))
    db.session.add(Membership(organisation_id=gone.id, person_id=person.id, role="volunteer", status="left"))
    db.session.commit()
    assert sign_in(client).status_code == 302

    with statements_run() as statements:
        home = send(client, "GET", "/")

    assert home.status_code == 302 and home.headers["Location"] == "/me/shifts"  # the first membership: volunteer
    assert len(statements) == 1, "\n".join(statements)
    shifts = send(client, "GET", "/me/shifts").get_data(as_text=True)
    assert "Sure Start Gateshead" in shifts and "Somewhere Left" not in shifts  # the switcher: current memberships


@pytest.fixture()
def limited(app: Flask, make_app) -> Iterator[Flask]:
    config = type("Limited", (TestingConfig,), {"RATELIMIT_ENABLED": True})
    built = make_app(config)
    seed(built)
    yield built
    limiter.init_app(app)  # one Limiter serves every app: hand it back to the suite's (limits off)


def test_reads_skip_the_rate_limiter_and_sign_ins_do_not(limited, monkeypatch) -> None:
    resolved: list[str | None] = []
    resolve = limiter.limit_manager.resolve_limits

    def spy(app, endpoint=None, *args, **kwargs):
        resolved.append(endpoint)
        return resolve(app, endpoint, *args, **kwargs)

    monkeypatch.setattr(limiter.limit_manager, "resolve_limits", spy)
    client = limited.test_client()
    for url in ("/healthz", "/login", "/static/app.css"):
        send(client, "GET", url).close()
    assert resolved == []

    assert sign_in(client, password="wrong").status_code == 401
    assert "auth.login" in resolved


def test_a_production_worker_fingerprints_each_static_file_once(make_app, monkeypatch) -> None:
    class Production(ProductionConfig):
        SECRET_KEY = "a-production-secret"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SCHEDULER_ENABLED = False
        RATELIMIT_ENABLED = False

    looked_up: list[str] = []
    real = static_assets.fingerprint

    def counting(folder, filename):
        looked_up.append(filename)
        return real(folder, filename)

    monkeypatch.setattr(static_assets, "fingerprint", counting)
    client = make_app(Production).test_client()
    first = client.get("/login").get_data(as_text=True)
    once = list(looked_up)
    second = client.get("/login").get_data(as_text=True)

    assert "app.css?v=" in first and len(once) == len(set(once)) >= 5
    assert looked_up == once  # the second page: every fingerprint from memory
    assert first.count("?v=") == second.count("?v=")


def test_a_production_worker_builds_each_static_url_once(make_app) -> None:
    class Production(ProductionConfig):
        SECRET_KEY = "a-production-secret"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SCHEDULER_ENABLED = False
        RATELIMIT_ENABLED = False

    app = make_app(Production)
    built: list[str] = []

    @app.url_defaults
    def counting(endpoint: str, values: dict) -> None:
        if endpoint == "static":
            built.append(values["filename"])

    client = app.test_client()
    first = client.get("/login").get_data(as_text=True)
    once = list(built)
    second = client.get("/login").get_data(as_text=True)
    assert len(once) >= 5 and built == once  # the second page: every static URL from memory
    assert re.findall(r'"(/static/[^"]+)"', first) == re.findall(r'"(/static/[^"]+)"', second)
    with app.test_request_context("/"):
        assert static_assets.is_static("static")
        fresh = app.url_for("static", filename="app.css")
    assert f'href="{fresh}"' in second and "?v=" in fresh



def test_the_health_check_runs_one_statement_whatever_the_data(app, client, db) -> None:
    def statements() -> list[str]:
        with statements_run() as run:
            assert send(client, "GET", "/healthz").status_code == 200
        return run

    few = statements()
    seed(app)
    for k in range(5):
        make_org(f"org{k}", f"Organisation {k}")
    db.session.commit()
    assert len(statements()) == len(few) == 1, few


def test_reads_leave_the_rate_limiters_context_alone_and_sign_ins_reset_it(limited, monkeypatch) -> None:
    """A read made no limiter context only for the limiter's teardown to make and reset one; a checked
    request still has its context reset at the end."""
    from flask_limiter._extension import LimiterContext

    resets: list[LimiterContext] = []
    reset = LimiterContext.reset

    def spy(self: LimiterContext) -> None:
        resets.append(self)
        reset(self)

    monkeypatch.setattr(LimiterContext, "reset", spy)
    client = limited.test_client()
    for url in ("/healthz", "/", "/static/app.css"):
        send(client, "GET", url).close()
    assert resets == []

    send(client, "GET", "/login").close()  # a view with its own limit (on POST) consults the limiter on a GET too
    assert len(resets) == 1
    assert sign_in(client, password="wrong").status_code == 401
    assert len(resets) == 2


def test_a_blueprints_page_gets_flasks_default_context_once(app) -> None:
    from flask.templating import _default_template_ctx_processor

    processors = app.template_context_processors
    assert processors[None].count(_default_template_ctx_processor) == 1
    assert all(_default_template_ctx_processor not in found for name, found in processors.items() if name is not None)
