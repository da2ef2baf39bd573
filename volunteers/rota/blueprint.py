"""Every URL rule of ``volunteers.rota``, in one place; the views are plain functions."""
from __future__ import annotations

from flask import Blueprint

from volunteers.rota import (
    board_cards,
    board_month_html,
    board_views,
    catalogue_views,
    period_views,
    series_views,
    shift_views,
    site_limit_views,
)

rota = Blueprint("rota", __name__, url_prefix="/rota")
rota.add_url_rule("", view_func=board_views.board, methods=["GET"])
rota.add_app_template_global(board_cards.cards_html, "board_cards")  # a day's cards (rota/_week)
rota.add_app_template_global(board_month_html.month_table, "month_table")  # the month's table (rota/_month)
rota.add_url_rule("/print", view_func=board_views.print_week, methods=["GET"])
rota.add_url_rule("/shifts/new", view_func=shift_views.new_shift, methods=["GET", "POST"])
rota.add_url_rule("/series", view_func=series_views.list_series, methods=["GET"])
rota.add_url_rule("/series/new", view_func=series_views.new_series, methods=["GET", "POST"])
rota.add_url_rule("/series/<int:series_id>", view_func=series_views.edit_series, methods=["GET", "POST"])
rota.add_url_rule("/copy", view_func=period_views.copy_forward, methods=["POST"])
rota.add_url_rule("/publish", view_func=period_views.publish, methods=["POST"])
rota.add_url_rule("/import", view_func=period_views.import_shifts, methods=["GET", "POST"])
rota.add_url_rule("/export", view_func=period_views.export, methods=["GET"])
rota.add_url_rule("/<any(roles, sites, qualifications):kind>",
                  view_func=catalogue_views.setup_list, methods=["GET", "POST"])
rota.add_url_rule("/<any(roles, sites, qualifications):kind>/<int:record_id>",
                  view_func=catalogue_views.setup_edit, methods=["GET", "POST"])
rota.add_url_rule("/<any(roles, sites, qualifications):kind>/<int:record_id>/archive",
                  view_func=catalogue_views.setup_archive, methods=["POST"])

#: an admin limits a coordinator to some sites from the person's page (the section is drawn by the template global)
coordinator_sites = Blueprint("coordinator_sites", __name__)
coordinator_sites.add_url_rule("/people/<int:membership_id>/sites", view_func=site_limit_views.set_coordinator_sites,
                               methods=["POST"])
coordinator_sites.add_app_template_global(site_limit_views.coordinator_site_choices, "coordinator_site_choices")

BLUEPRINTS = (rota, coordinator_sites)
