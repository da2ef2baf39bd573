"""The polled lists (my shifts, the coordinator's shifts) kept at the organisation's change mark (``api.caching``).

A list served kept runs one statement, the token's read (which brings the
mark), and is the list made afresh; any change to the organisation's rows,
however made, shows at once; the clock ends a volunteer's list when a place
leaves its 60 days; each token, page and date range has its own.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import g
from sqlalchemy import text
from werkzeug.test import TestResponse

from config import TestingConfig
from tests.conftest import AuthActions
from tests.factories import DEFAULT_PASSWORD, make_member, make_org, make_role, make_shift, make_site, put_on
from tests.querycount import statements_run
from volunteers.api import caching, tokens
from volunteers.extensions import db

from .conftest import World

#: (token owner, path) of each list kept
LISTS = [
    ("volunteer", "/api/v1/me/shifts"),
    ("coordinator", "/api/v1/shifts?from=2026-11-30&to=2026-12-13"),
    ("coordinator", "/api/v1/shifts"),
]


def _token(world: World, who: str) -> str:
    return {"volunteer": world.volunteer_token, "coordinator": world.coordinator_token,
            "colleague": world.colleague_token, "other": world.other_token}[who]


def _get(call, world: World, who: str, path: str, **kw: Any) -> tuple[TestResponse, bool]:
    """The call's answer, and whether it was served kept: the token's read (with the mark) and nothing else."""
    g.__dict__.clear()  # the test's calls share one app context; in production each call's starts empty
    with statements_run() as statements:
        response = call("GET", path, _token(world, who), **kw)
    assert response.status_code in (200, 304), response.get_data(as_text=True)
    assert "organisation_changes" in statements[0]
    return response, len(statements) == 1


def _kept(call, world: World, who: str, path: str) -> TestResponse:
    """The list, made and kept: a token's first call of a minute records its use (it wrote), so keeps nothing,
    and the next call makes it again."""
    made, served = _get(call, world, who, path)
    assert not served
    again, served = _get(call, world, who, path)
    assert again.get_data() == made.get_data()
    if not served:
        kept, served = _get(call, world, who, path)
        assert served and kept.get_data() == made.get_data()
    return made


@pytest.mark.parametrize(("who", "path"), LISTS)
def test_a_kept_list_is_the_list_made_afresh(world: World, call, who: str, path: str) -> None:
    made = _kept(call, world, who, path)
    kept, served = _get(call, world, who, path)
    assert served
    assert kept.get_data() == made.get_data() and kept.headers["ETag"] == made.headers["ETag"]
    assert kept.get_json()["items"]
    caching.KEPT.forget()
    afresh, served = _get(call, world, who, path)
    assert not served and afresh.get_data() == kept.get_data()


@pytest.mark.parametrize(("who", "path"), LISTS)
def test_a_kept_list_answers_not_modified(world: World, call, who: str, path: str) -> None:
    made = _kept(call, world, who, path)
    answer, served = _get(call, world, who, path, headers={"If-None-Match": made.headers["ETag"]})
    assert served and answer.status_code == 304 and not answer.get_data()
    assert answer.headers["ETag"] == made.headers["ETag"]


@pytest.mark.parametrize(("who", "path"), LISTS)
def test_a_change_made_anyhow_shows_at_once(world: World, call, who: str, path: str) -> None:
    """Bare SQL on another connection: the database's triggers give the organisation a new mark."""
    _kept(call, world, who, path)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE sites SET name = 'The new shop' WHERE id = :s"), {"s": world.shift.site_id})
    db.session.expire_all()
    changed, served = _get(call, world, who, path)
    assert not served
    assert {item["site"] for item in changed.get_json()["items"]} == {"The new shop"}


def test_another_organisations_change_keeps_the_list(world: World, call) -> None:
    path = "/api/v1/me/shifts"
    made = _kept(call, world, "volunteer", path)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE sites SET name = 'Elsewhere' WHERE id = :s"), {"s": world.other_shift.site_id})
    db.session.expire_all()
    kept, served = _get(call, world, "volunteer", path)
    assert served and kept.get_data() == made.get_data()


def _used(call, world: World, who: str) -> None:
    """A first call of the token, which records its use (a write: nothing is served or kept by such a call)."""
    assert call("GET", "/api/v1/me/load-note", _token(world, who)).status_code == 200


def test_each_token_has_its_own_list(world: World, call) -> None:
    mine = _kept(call, world, "volunteer", "/api/v1/me/shifts")
    _used(call, world, "colleague")
    theirs, served = _get(call, world, "colleague", "/api/v1/me/shifts")
    assert not served and theirs.get_json() != mine.get_json()
    assert {i["assignment_id"] for i in mine.get_json()["items"]} == {world.place.id}
    week = "/api/v1/shifts?from=2026-11-30&to=2026-12-13"
    ours = _kept(call, world, "coordinator", week)
    _used(call, world, "other")
    other, served = _get(call, world, "other", week)
    assert not served
    assert {i["id"] for i in other.get_json()["items"]} == {world.other_shift.id}
    assert world.other_shift.id not in {i["id"] for i in ours.get_json()["items"]}


def test_each_page_of_a_list_has_its_own(world: World, call) -> None:
    first = _kept(call, world, "coordinator", "/api/v1/shifts?from=2026-11-30&to=2026-12-13&limit=1")
    cursor = first.get_json()["next"]
    assert cursor
    second, served = _get(call, world, "coordinator", cursor)
    assert not served and second.get_json()["items"] != first.get_json()["items"]


def test_the_default_week_starts_on_the_day_the_call_is_made(world: World, call, clock) -> None:
    """With no ``from`` the list starts today: a kept list of yesterday's week is not today's."""
    path = "/api/v1/shifts"
    before = _kept(call, world, "coordinator", path)
    assert world.shift.id in {i["id"] for i in before.get_json()["items"]}
    clock.now += timedelta(days=5)  # the shift four days on is past today's list
    _get(call, world, "coordinator", path)  # the token's first call of the minute records its use: made
    after, served = _get(call, world, "coordinator", path)
    assert not served and world.shift.id not in {i["id"] for i in after.get_json()["items"]}


def test_my_list_ends_when_a_place_leaves_its_sixty_days(world: World, call, clock) -> None:
    past = make_shift(world.org, world.shift.role, world.shift.site, date(2026, 10, 20), needed=1)
    put_on(past, world.volunteer)
    db.session.commit()
    leaves = past.starts_at + timedelta(days=60)  # the list shows places from 60 days ago on
    path = "/api/v1/me/shifts"
    clock.now = leaves - timedelta(seconds=2)
    _kept(call, world, "volunteer", path)
    clock.now = leaves - timedelta(seconds=1)
    kept, served = _get(call, world, "volunteer", path)
    assert served and past.id in {i["shift_id"] for i in kept.get_json()["items"]}
    clock.now = leaves + timedelta(seconds=1)
    gone, served = _get(call, world, "volunteer", path)
    assert not served and past.id not in {i["shift_id"] for i in gone.get_json()["items"]}


def test_the_clock_set_back_is_not_served_a_later_list(world: World, call, clock) -> None:
    _kept(call, world, "volunteer", "/api/v1/me/shifts")
    clock.now -= timedelta(seconds=1)
    _, served = _get(call, world, "volunteer", "/api/v1/me/shifts")
    assert not served


def test_a_call_that_writes_keeps_nothing(world: World, call, clock) -> None:
    """The token's first call of a minute records its use: it is made, neither served nor kept."""
    _kept(call, world, "volunteer", "/api/v1/me/shifts")
    clock.now += timedelta(minutes=1)
    _, served = _get(call, world, "volunteer", "/api/v1/me/shifts")
    assert not served  # the mark is the same, but the call wrote: it may not be served what others read
    _, served = _get(call, world, "volunteer", "/api/v1/me/shifts")
    assert served  # the list kept before it stands
    caching.KEPT.forget()
    clock.now += timedelta(minutes=1)
    _, served = _get(call, world, "volunteer", "/api/v1/me/shifts")
    assert not served and not caching.KEPT.texts()


def test_the_store_is_bounded(world: World, call, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caching.KEPT, "at_most", 2)
    for limit in (1, 2, 3):
        _kept(call, world, "coordinator", f"/api/v1/shifts?limit={limit}")
    assert len(caching.KEPT.texts()) <= 2


def test_a_long_list_is_not_kept(world: World, call, monkeypatch: pytest.MonkeyPatch) -> None:
    path = "/api/v1/shifts?from=2026-11-30&to=2026-12-13"
    made = _kept(call, world, "coordinator", path)
    monkeypatch.setattr(caching, "LONGEST", len(made.get_data()) - 1)
    caching.KEPT.forget()
    for _ in range(2):
        again, served = _get(call, world, "coordinator", path)
        assert not served and again.get_data() == made.get_data()


def test_kept_with_the_limiter_on_and_a_session_cookie_sent(make_app, clock) -> None:
    """As served: the limiter's hook reads the token first (its key), the page hooks run, then the call is
    checked; a session cookie sent too adds its sign-in read and nothing else."""
    class Limited(TestingConfig):
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"
        API_RATE_LIMIT = "1000/minute"

    limited = make_app(Limited)
    with limited.app_context():
        org = make_org("tackley")
        ann = make_member(org, "ann@example.org")
        shift = make_shift(org, make_role(org), make_site(org), date(2026, 12, 2))
        put_on(shift, ann)
        token = tokens.create_token(org, ann, "screen", "read", 5, clock.now).token
        db.session.commit()
    bare, cookied = limited.test_client(), limited.test_client()
    AuthActions(cookied).login("ann@example.org", DEFAULT_PASSWORD)
    for client, sign_in_reads in ((bare, 0), (cookied, 1)):
        answers = []
        for _ in range(3):
            with limited.app_context(), statements_run() as statements:
                response = client.get("/api/v1/me/shifts", headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200 and response.headers["X-RateLimit-Limit"] == "1000"
            assert sum("FROM api_tokens" in sql for sql in statements) == 1  # (and, first, its use recorded)
            answers.append((response.get_data(), len(statements) == 1 + sign_in_reads))
        assert [served for _, served in answers] == [False, False, True] if sign_in_reads == 0 else answers[-1][1]
        assert len({body for body, _ in answers}) == 1


def test_a_list_made_by_a_call_that_wrote_while_making_it_is_not_kept(world: World, app, clock) -> None:
    """No list writes as it is made today; one that did must not keep what it read beside its own change."""
    def make() -> tuple[dict[str, Any], Any]:
        world.shift.needed += 1  # a change to flush: under no mark yet
        return {"items": []}, caching.FOREVER

    db.session.expire_all()
    with app.test_request_context("/api/v1/me/shifts"):
        assert caching.kept_json(("test",), world.org.id, clock.now, make).status_code == 200
    assert ("test",) not in caching.KEPT.texts()
    db.session.rollback()
