"""Every URL rule of ``volunteers.contributions``, in one place; the views are plain functions."""
from __future__ import annotations

from flask import Blueprint

from volunteers.contributions import hours_page, ledger_views, views

contributions = Blueprint("contributions", __name__)
# attendance: a day's shifts, everyone on a shift at once, or one place attended / a no-show
contributions.add_url_rule("/attendance", view_func=views.attendance, methods=["GET"])
contributions.add_url_rule("/attendance/shifts/<int:shift_id>/attended", view_func=views.all_attended,
                           methods=["POST"])
contributions.add_url_rule("/attendance/places/<int:assignment_id>/<any(attended, 'no-show'):mark>",
                           view_func=views.mark_place, methods=["POST"])
# hours volunteers logged, waiting for a decision
contributions.add_url_rule("/approvals", view_func=views.approvals, methods=["GET"])
contributions.add_url_rule("/approvals", view_func=views.decide, methods=["POST"])
# the ledger itself
contributions.add_url_rule("/contributions", view_func=ledger_views.ledger, methods=["GET"])
contributions.add_url_rule("/contributions", view_func=ledger_views.record, methods=["POST"])
contributions.add_url_rule("/contributions/<int:contribution_id>/reverse", view_func=ledger_views.reverse_entry,
                           methods=["POST"])
# the rate card
contributions.add_url_rule("/rates", view_func=ledger_views.rate_card, methods=["GET"])
contributions.add_url_rule("/rates", view_func=ledger_views.add_rate, methods=["POST"])
contributions.add_url_rule("/rates/<int:rate_id>/delete", view_func=ledger_views.delete_rate, methods=["POST"])

hours = Blueprint("hours", __name__, url_prefix="/me")
hours.add_url_rule("/hours", "my_hours", view_func=hours_page.show_hours, methods=["GET", "POST"])

BLUEPRINTS = (contributions, hours)
