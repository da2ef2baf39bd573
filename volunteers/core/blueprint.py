"""Every URL rule of ``volunteers.core``, in one place; the views are plain functions."""
from __future__ import annotations

from flask import Blueprint

from volunteers.core import pwa, views

bp = Blueprint("core", __name__)
bp.add_url_rule("/healthz", view_func=views.healthz, methods=["GET"])
bp.add_url_rule("/", view_func=views.home, methods=["GET"])
bp.add_url_rule("/switch", view_func=views.switch_org, methods=["POST"])
bp.add_url_rule("/sw.js", view_func=pwa.service_worker, methods=["GET"])

BLUEPRINTS = (bp,)
