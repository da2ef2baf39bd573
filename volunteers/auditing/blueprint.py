"""Every URL rule of ``volunteers.auditing``, in one place; the views are plain functions.

Both rules are GET: the trail is read here and never edited (there is no
edit or delete anywhere, and the database refuses both).
"""
from __future__ import annotations

from flask import Blueprint

from volunteers.auditing import views

bp = Blueprint("auditing", __name__)
bp.add_url_rule("/audit", view_func=views.trail, methods=["GET"])
bp.add_url_rule("/audit.csv", view_func=views.download, methods=["GET"])

BLUEPRINTS = (bp,)
