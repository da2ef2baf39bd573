"""Every URL rule of ``volunteers.people``, in one place; the views are plain functions."""
from __future__ import annotations

from flask import Blueprint

from volunteers.people import auth_views, qualification_views, twofactor_views, views

auth = Blueprint("auth", __name__)
auth.add_url_rule("/login", view_func=auth_views.login, methods=["GET", "POST"])
auth.add_url_rule("/login/two-factor", view_func=auth_views.two_factor, methods=["GET", "POST"])
auth.add_url_rule("/logout", view_func=auth_views.logout, methods=["POST"])
auth.add_url_rule("/logout/everywhere", view_func=auth_views.logout_everywhere, methods=["POST"])
auth.add_url_rule("/welcome", view_func=auth_views.no_membership, methods=["GET"])
auth.add_url_rule("/password/forgot", view_func=auth_views.forgot_password, methods=["GET", "POST"])
auth.add_url_rule("/password/reset/<token>", view_func=auth_views.reset_password, methods=["GET", "POST"])
auth.add_url_rule("/invite/<token>", view_func=auth_views.accept_invitation, methods=["GET", "POST"])

people = Blueprint("people", __name__, url_prefix="/people")
people.add_url_rule("", view_func=views.list_people, methods=["GET"])
people.add_url_rule("/new", view_func=views.new_person, methods=["GET", "POST"])
people.add_url_rule("/<int:membership_id>", view_func=views.edit_person, methods=["GET", "POST"])
people.add_url_rule("/<int:membership_id>/qualifications", view_func=views.add_qualification, methods=["POST"])
people.add_url_rule("/<int:membership_id>/qualifications/<int:qualification_id>/remove",
                    view_func=views.remove_qualification, methods=["POST"])
people.add_url_rule("/<int:membership_id>/supervision", view_func=qualification_views.add_supervision,
                    methods=["POST"])
people.add_url_rule("/<int:membership_id>/supervision/<int:session_id>/remove",
                    view_func=qualification_views.remove_supervision, methods=["POST"])
people.add_url_rule("/expiring", view_func=qualification_views.expiring, methods=["GET"])
people.add_url_rule("/<int:membership_id>/invite", view_func=views.invite_person, methods=["POST"])
people.add_url_rule("/import", view_func=views.import_people, methods=["GET", "POST"])

#: a person's own security settings, and an organisation's
account = Blueprint("account", __name__)
account.add_url_rule("/me/security", view_func=twofactor_views.security, methods=["GET"])
account.add_url_rule("/me/security/start", view_func=twofactor_views.start_enrolment, methods=["POST"])
account.add_url_rule("/me/security/confirm", view_func=twofactor_views.confirm_enrolment, methods=["POST"])
account.add_url_rule("/me/security/recovery-codes", view_func=twofactor_views.regenerate_codes, methods=["POST"])
account.add_url_rule("/me/security/disable", view_func=twofactor_views.disable, methods=["POST"])
account.add_url_rule("/settings/security", view_func=twofactor_views.organisation_security, methods=["GET", "POST"])

BLUEPRINTS = (auth, people, account)
