"""Every URL rule of ``volunteers.wellbeing``, in one place; the views are plain functions."""
from __future__ import annotations

from flask import Blueprint

from volunteers.wellbeing import views

bp = Blueprint("wellbeing", __name__, url_prefix="/warnings", static_folder="static", static_url_path="/static")
bp.add_url_rule('', view_func=views.list_warnings, methods=["GET"])
bp.add_url_rule('/history', view_func=views.history, methods=["GET"])
bp.add_url_rule('/<int:warning_id>/acknowledge', view_func=views.acknowledge, methods=["POST"])
bp.add_url_rule('/<int:warning_id>/snooze', view_func=views.snooze, methods=["POST"])

BLUEPRINTS = (bp,)
