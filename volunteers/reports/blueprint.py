"""Every URL rule of ``volunteers.reports``, in one place; the views are plain functions."""
from __future__ import annotations

from flask import Blueprint

from volunteers.reports import statement_views, views

reports = Blueprint("reports", __name__)
reports.add_url_rule("/reports", view_func=views.index, methods=["GET"])
reports.add_url_rule("/reports/recipients", view_func=views.recipients, methods=["POST"])
reports.add_url_rule("/reports/monthly/<month>", view_func=views.monthly, methods=["GET"])
reports.add_url_rule("/reports/monthly/<month>.<any(csv, xlsx, json, html):fmt>", view_func=views.download,
                     methods=["GET"])
reports.add_url_rule("/reports/monthly/<month>/issue", view_func=views.issue, methods=["POST"])
reports.add_url_rule("/reports/network/<month>", view_func=views.network, methods=["GET"])
reports.add_url_rule("/reports/network", view_func=views.network_latest, methods=["GET"])
reports.add_url_rule("/me/statement", view_func=statement_views.statement_page, methods=["GET"])

BLUEPRINTS = (reports,)
