"""Form fields speak only when they have something to say, and a refused form opens with an error summary.

The field macro (templates/_macros.html) once wrote ``aria-invalid="None"``
and ``aria-describedby="None"`` on every field (WTForms writes a None value
out as text): axe's critical ``aria-valid-attr-value``, and a screen reader
may call every field invalid. A refused form now starts with the GOV.UK
error summary, each problem a link to its field.
"""
from __future__ import annotations

import re

import pytest


@pytest.fixture()
def coordinator(rota, auth):
    auth.login("coordinator@tackley.example")
    return rota


def test_a_clean_form_has_no_aria_attribute_without_a_value(client, coordinator) -> None:
    for path in ("/rota/roles", "/rota/series/new", "/people/new", "/rates", "/me/availability", "/me/hours"):
        page = client.get(path).get_data(as_text=True)
        assert "<input" in page or "<select" in page, path
        assert '="None"' not in page, path
        assert "aria-invalid" not in page, path
        assert "error-summary" not in page, path


def test_a_field_with_a_hint_is_described_by_it(client, coordinator) -> None:
    page = client.get("/rota/series/new").get_data(as_text=True)
    for field_id in re.findall(r'<small id="([\w-]+)-help"', page):
        assert f'aria-describedby="{field_id}-help"' in page, field_id


def test_a_refused_form_opens_with_a_summary_linked_to_its_fields(client, coordinator) -> None:
    reply = client.post("/rota/roles", data={"name": "shop COUNTER", "intensity": "1",
                                             "priority": "1"})
    assert reply.status_code == 422
    page = reply.get_data(as_text=True)
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "There is a problem" in summary and 'href="#name"' in summary
    bad = client.post("/rota/roles", data={"name": "Helpline", "intensity": "",
                                           "priority": "1"}).get_data(as_text=True)
    assert 'href="#intensity"' in bad.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    # it comes before the form, and each field says it is invalid and which message describes it
    assert page.index('class="error-summary"') < page.index('id="name"')
    assert re.search(r'<input[^>]*aria-describedby="name-error"[^>]*aria-invalid="true"|'
                     r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="name-error"', page)
    assert page.count('id="name-error"') == 1 and '="None"' not in page
