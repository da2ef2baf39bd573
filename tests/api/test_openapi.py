"""schemathesis against /api/v1/openapi.json: with a coordinator's and a volunteer's token, calls generated from
the document find no server error and no answer the document does not describe (status, media type, schema)."""
from __future__ import annotations

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from volunteers.api.errors import PROBLEM_TYPES

from .conftest import World

CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance)


def _operations(app: Flask) -> list:
    document = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in document.get_all_operations()]


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_answer_is_described_by_the_document(app: Flask, world: World, data: st.DataObject) -> None:
    """Each example draws an operation and a call to it (schemathesis' strategies), made with both tokens."""
    operations = _operations(app)
    case = data.draw(st.one_of([operation.as_strategy() for operation in operations]))
    for token in (world.coordinator_token, world.volunteer_token):
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=CHECKS)
        if response.status_code >= 400:  # and every problem's type is one the docs page describes
            code = response.json()["type"].rsplit("#problem-", 1)[-1]
            assert code in PROBLEM_TYPES or response.status_code == 405, code


def test_the_document_needs_no_token_and_lists_every_endpoint(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/me/shifts", "/api/v1/reports/monthly/{month}", "/api/v1/load/assess"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_docs_page_is_plain_html(client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "<script>" not in text and "style=" not in text and "/api/v1/me/shifts" in text
