"""The API's flask-smorest objects: the ``Api`` extension (the OpenAPI document) and the one blueprint.

flask-smorest is an extension on the app we already build (APIFlask would
replace the ``Flask`` class in ``create_app``): see README's dependency list.
The view modules decorate their functions with this blueprint's
``arguments``/``response`` (which write the OpenAPI document);
``api/blueprint.py`` lists every URL rule.
"""
from __future__ import annotations

import http
import os
from typing import Any

from flask import Flask
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint
from flask_smorest.utils import prepare_response

from volunteers.api.errors import MEDIA_TYPE
from volunteers.api.schemas.common import ProblemSchema

PREFIX = "/api/v1"
CONFIG: dict[str, Any] = {
    "API_TITLE": "volunteers",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {"description": (
            "Rotas, hours and load warnings of one organisation. Every call but this document takes "
            "`Authorization: Bearer <token>`, a personal access token made on /me/tokens. A token acts as "
            "its person, with their role, in one organisation. Errors are application/problem+json "
            "(RFC 9457); lists are paginated with `limit` and `cursor` and give a `next` link.")},
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearerAuth": []}],
        "servers": [{"url": "/"}],
    },
}


class Api(SmorestApi):
    """flask-smorest's Api, documenting errors as problem+json and leaving error handling to the app."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        """Do nothing: ``api.blueprint`` and ``create_app`` send every API error through ``api.errors``."""

    def _register_responses(self) -> None:
        """Register a problem+json response per status (flask-smorest refers to them) and the default one."""
        for status in http.HTTPStatus:
            if status >= 400:
                response = {"description": status.phrase, "schema": self.ERROR_SCHEMA}
                prepare_response(response, self.spec, MEDIA_TYPE)
                self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, MEDIA_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


api = Api()
bp = Blueprint("api", __name__, url_prefix=PREFIX, description="The JSON API, version 1.")


def configure(app: Flask) -> None:
    """Give the API its settings (an app may override any of them first); ``API_RATE_LIMIT`` (calls per
    token, e.g. ``300/minute``, the default) may also come from the environment."""
    for key, value in CONFIG.items():
        app.config.setdefault(key, value)
    app.config.setdefault("API_RATE_LIMIT", os.environ.get("API_RATE_LIMIT", "300/minute"))
