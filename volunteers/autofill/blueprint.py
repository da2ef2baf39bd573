"""Every URL rule of ``volunteers.autofill``, in one place; the views are plain functions."""
from __future__ import annotations

from flask import Blueprint

from volunteers.autofill import fill_views, panel_views

fill = Blueprint("autofill", __name__, url_prefix="/rota/fill")
fill.add_url_rule('', view_func=fill_views.propose, methods=["GET"])
fill.add_url_rule('', view_func=fill_views.accept, methods=["POST"])
fill.add_url_rule('/replace/<int:assignment_id>', view_func=fill_views.replacement, methods=["GET"])
fill.add_url_rule('/replace/<int:assignment_id>', view_func=fill_views.accept_replacement, methods=["POST"])

shifts = Blueprint("shifts", __name__, url_prefix="/rota")
shifts.add_url_rule('/shifts/<int:shift_id>', view_func=panel_views.show_shift, methods=["GET"])
shifts.add_url_rule('/shifts/<int:shift_id>/assign', view_func=panel_views.assign, methods=["POST"])
shifts.add_url_rule('/assignments/<int:assignment_id>/remove', view_func=panel_views.remove_assignment,
                    methods=["POST"])
shifts.add_url_rule('/shifts/<int:shift_id>/needed', view_func=panel_views.set_needed, methods=["POST"])
shifts.add_url_rule('/shifts/<int:shift_id>/undo', view_func=panel_views.undo, methods=["POST"])
shifts.add_url_rule('/shifts/<int:shift_id>/cancel', view_func=panel_views.cancel_shift, methods=["POST"])

BLUEPRINTS = (fill, shifts,)
