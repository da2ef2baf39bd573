"""Every URL rule of ``volunteers.peersupport``, in one place; the views are plain functions."""
from __future__ import annotations

from flask import Blueprint

from volunteers.peersupport import views

peersupport = Blueprint("peersupport", __name__)
peersupport.add_url_rule("/me/mothers", view_func=views.my_mothers, methods=["GET"])
peersupport.add_url_rule("/cases/due", view_func=views.due, methods=["GET"])
peersupport.add_url_rule("/cases/new", view_func=views.new_case, methods=["GET", "POST"])
peersupport.add_url_rule("/cases/hand-over", view_func=views.hand_over, methods=["GET", "POST"])
peersupport.add_url_rule("/cases/<int:case_id>", view_func=views.show_case, methods=["GET"])
peersupport.add_url_rule("/cases/<int:case_id>/contacts/new", view_func=views.log_contact, methods=["GET", "POST"])
peersupport.add_url_rule("/cases/<int:case_id>/reassign", view_func=views.reassign, methods=["POST"])
peersupport.add_url_rule("/cases/<int:case_id>/close", view_func=views.close_case, methods=["POST"])

BLUEPRINTS = (peersupport,)
