"""The header: the organisation's full name in the brand's title, one menu, and "My shifts" said once."""
from __future__ import annotations

import re

import pytest

VOLUNTEER_PAGES = ("/me/shifts", "/me/shifts/open", "/me/availability", "/me/hours", "/me/statement",
                   "/me/security")


def _my_shifts_links(page: str) -> int:
    return len(re.findall(r'<a href="/me/shifts"[^>]*>My shifts</a>', page))


@pytest.mark.parametrize("path", VOLUNTEER_PAGES)
def test_a_volunteer_sees_my_shifts_once_on_each_of_their_pages(client, auth, rota, path) -> None:
    auth.login("ann@example.org")
    page = client.get(path).get_data(as_text=True)
    assert _my_shifts_links(page) == 1, path
    # a volunteer's menu has none of the coordinators' pages
    menu = page.split('<details class="menu">', 1)[1].split("</details>", 1)[0]
    assert "/rota" not in menu and "/people" not in menu and "Sign out" in menu


def test_the_brand_names_the_organisation_in_full_and_the_menu_is_one_details(client, auth, rota) -> None:
    auth.login("coordinator@tackley.example")
    page = client.get("/rota").get_data(as_text=True)
    brand = re.search(r'<a class="brand" href="/" title="([^"]+)">([^<]+)</a>', page)
    assert brand and brand.group(1) == brand.group(2) == rota.org.name
    assert page.count('<details class="menu">') == 1 and page.count("<main") == 1
    menu = page.split('<details class="menu">', 1)[1].split("</details>", 1)[0]
    for label in ("Rota", "People", "Requests", "Hours &amp; reports", "Warnings", "My pages", "Security"):
        assert f">{label}</a>" in menu, label
    assert 'aria-current="page">Rota</a>' in menu


@pytest.mark.parametrize("path", VOLUNTEER_PAGES[:4])
def test_a_coordinator_on_their_own_pages_sees_my_shifts_once_under_my_pages(client, auth, rota, path) -> None:
    auth.login("coordinator@tackley.example")
    page = client.get(path).get_data(as_text=True)
    assert _my_shifts_links(page) == 1, path  # in the page's own menu (me/_nav.html), not the header too
    menu = page.split('<details class="menu">', 1)[1].split("</details>", 1)[0]
    assert 'aria-current="page">My pages</a>' in menu and "My shifts" not in menu
