"""Where ``?next=`` may send someone after signing in: only to a path on this site."""
from __future__ import annotations

import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.integration.auth_support import VOLUNTEER, seed, sign_in
from volunteers.people.redirects import safe_next


@pytest.mark.parametrize("target", [
    "/\t/evil.example",           # ?next=/%09/evil.example: a browser drops the tab and reads //evil.example
    "/\n/evil.example",
    "/\r/evil.example",
    "//evil.example",
    "/\\evil.example",            # a browser reads \ as /
    "\\\\evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    " /x",
    "/x ",
    "/\u2028/evil.example",       # other invisible characters are refused too
    "/\u200b/evil.example",
    "evil.example",
    "",
])
def test_next_that_could_leave_the_site_is_refused(target: str) -> None:
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/", "/rota?week=2026-12-07", "/me/shifts#calendar", "/people/3"])
def test_next_on_this_site_is_followed(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize("target", [
    "/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", " /x",
])
def test_signing_in_with_a_hostile_next_lands_at_home(client, db, target: str) -> None:
    seed(client.application)
    response = sign_in(client, query={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_signing_in_with_a_next_on_this_site_goes_there(client, db) -> None:
    seed(client.application)
    response = sign_in(client, query={"next": "/rota?week=2026-12-07"})
    assert response.headers["Location"] == "/rota?week=2026-12-07"


def test_the_raw_tab_probe_from_the_issue_is_refused(client, db) -> None:
    seed(client.application)
    response = client.post("/login?next=/%09/evil.example", data={"email": VOLUNTEER, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/"
