"""Home, health check and switching between organisations."""
from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from volunteers.core import connection_check
from volunteers.core.tenancy import remember_org
from volunteers.extensions import db


def database_answers() -> bool:
    """Return True when a trivial query succeeds (on a pooled connection it checks itself: core.connection_check).

    The driver's own SQL (``exec_driver_sql``): a ``text()`` made and run each time also made its cache key and
    compiled form (~0.015 ms on SQLite, ~0.04 on PostgreSQL, of a ~1 ms request); still one statement the engine's
    events see.
    """
    try:
        connection_check.first_read(db.session(), lambda conn: conn.exec_driver_sql("SELECT 1").close())
        return True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        return False


def healthz() -> ResponseReturnValue:
    """Answer 200 when the database answers, 503 otherwise (load balancers poll this)."""
    if database_answers():
        return jsonify(status="ok")
    return jsonify(status="unavailable"), 503


def home() -> ResponseReturnValue:
    """Send each person to the page they need first: the board or their shifts."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    membership = g.membership
    if membership is None:
        return redirect(url_for("auth.no_membership"))
    if membership.is_coordinator:
        return redirect(url_for("rota.board"))
    return redirect(url_for("me.shifts"))


def switch_org() -> ResponseReturnValue:
    """Make another of the person's organisations the current one."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    try:
        org_id = int(request.form.get("organisation_id", ""))
    except ValueError:
        abort(400)
    membership = next((m for m in g.memberships if m.organisation_id == org_id), None)
    if membership is None:
        abort(404)
    remember_org(org_id)
    flash(f"Now working in {membership.organisation.name}.", "success")
    return redirect(url_for("core.home"))
