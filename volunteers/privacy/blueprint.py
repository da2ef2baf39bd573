"""Every URL rule of ``volunteers.privacy``, in one place; the views are plain functions."""
from __future__ import annotations

from flask import Blueprint

from volunteers.privacy import views

privacy = Blueprint("privacy", __name__)
privacy.add_url_rule("/me/data", view_func=views.my_data, methods=["GET"])
privacy.add_url_rule("/people/<int:membership_id>/data.zip", view_func=views.member_data, methods=["GET"])
privacy.add_url_rule("/people/<int:membership_id>/erase", view_func=views.erase, methods=["GET", "POST"])

BLUEPRINTS = (privacy,)
