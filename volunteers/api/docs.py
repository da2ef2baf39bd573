"""``/api/v1/docs``: the OpenAPI document as a plain page, readable without a token.

A plain server-rendered page rather than Swagger UI or ReDoc: those run
inline scripts and styles the site's Content-Security-Policy refuses (and
would have to be vendored, a megabyte of JavaScript), while this page needs
no exception and works on any phone. Tools read ``/api/v1/openapi.json``.
"""
from __future__ import annotations

from typing import Any

from flask import render_template, url_for
from flask.typing import ResponseReturnValue

from volunteers.api.base import api
from volunteers.api.errors import PROBLEM_TYPES

METHODS = ("get", "post", "put", "patch", "delete")


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Return each operation of the document, in path order, with its parameters and answers."""
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            found.append({
                "method": method.upper(), "path": path, "id": f"{method}-{path}".replace("/", "-").strip("-"),
                "summary": operation.get("summary", ""), "description": operation.get("description", ""),
                "tags": operation.get("tags", []),
                "parameters": [*item.get("parameters", []), *operation.get("parameters", [])],
                "body": _ref_name(body.get("schema")),
                "responses": [(code, answer.get("description", "")) for code, answer in
                              operation.get("responses", {}).items()],
            })
    return found


def _ref_name(schema: dict[str, Any] | None) -> str | None:
    if not schema:
        return None
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] or "object"


def docs_page() -> ResponseReturnValue:
    """Show the API's operations and schemas, from the same document tools read."""
    spec = api.spec.to_dict()
    return render_template("api/docs.html", info=spec.get("info", {}), operations=_operations(spec),
                           schemas=spec.get("components", {}).get("schemas", {}),
                           document=url_for("api-docs.openapi_json"), problems=PROBLEM_TYPES)
