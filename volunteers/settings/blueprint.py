"""Every URL rule of ``volunteers.settings``, in one place; the views are plain functions.

``/settings/security`` (two-factor for coordinators) is the people package's page, linked from this menu.
"""
from __future__ import annotations

from flask import Blueprint

from volunteers.settings import load_views, views
from volunteers.settings.site_limit import refuse_site_coordinators

bp = Blueprint("settings", __name__, url_prefix="/settings")
bp.before_request(refuse_site_coordinators)  # organisation-wide: not for a coordinator limited to some sites
bp.add_url_rule("", view_func=views.organisation, methods=["GET", "POST"], endpoint="organisation")
bp.add_url_rule("/rota", view_func=views.rota_rules, methods=["GET", "POST"], endpoint="rota_rules")
bp.add_url_rule("/waiting-list", view_func=views.waiting_list, methods=["GET", "POST"], endpoint="waiting_list")
bp.add_url_rule("/load", view_func=load_views.show_load_policy, methods=["GET"])
bp.add_url_rule("/load", view_func=load_views.save_load_policy, methods=["POST"])
bp.add_url_rule("/load/roles", view_func=load_views.save_role_limit, methods=["POST"])
bp.add_url_rule("/money", view_func=views.money, methods=["GET", "POST"], endpoint="money")
bp.add_url_rule("/retention", view_func=views.retention, methods=["GET", "POST"], endpoint="retention")

BLUEPRINTS = (bp,)
