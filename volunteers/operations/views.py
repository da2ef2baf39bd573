"""/metrics and /readyz: thin views over metrics, access and readiness."""
from __future__ import annotations

from flask import Response, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from volunteers.operations import access, metrics, readiness


def show_metrics() -> ResponseReturnValue:
    """The node's metrics in Prometheus' text format, to allowed scrapers only (404 to others)."""
    allowed = access.networks(current_app.config.get("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"]))
    if not access.may_read_metrics(request.remote_addr, request.headers.get("Authorization"),
                                   allowed, current_app.config.get("METRICS_TOKEN")):
        abort(404)
    body, content_type = metrics.render()
    return Response(body, content_type=content_type)


def readyz() -> ResponseReturnValue:
    """200 when this node may take traffic; 503 naming the check that failed."""
    checks = readiness.readiness(current_app.config.get("RATELIMIT_STORAGE_URI", ""))
    ready = all(check.ok for check in checks.values())
    body = {"status": "ready" if ready else "unavailable",
            "checks": {name: {"ok": check.ok, "detail": check.detail} for name, check in checks.items()}}
    return jsonify(body), 200 if ready else 503
