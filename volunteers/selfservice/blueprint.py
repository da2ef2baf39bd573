"""Every URL rule of ``volunteers.selfservice``, in one place; the views are plain functions."""
from __future__ import annotations

from flask import Blueprint

from volunteers.selfservice import (
    announcement_views,
    availability_views,
    calendar_feed,
    channel_views,
    me_nav,
    me_views,
    requests_views,
    text_inbound_views,
    waiting_list_views,
)

me = Blueprint("me", __name__, url_prefix="/me")
me.add_app_template_global(me_nav.me_nav, "me_nav")  # the menu of me/_nav.html, kept per endpoint
me.add_url_rule("/shifts", view_func=me_views.shifts, methods=["GET"])
me.add_url_rule("/shifts/open", view_func=me_views.open_shifts, methods=["GET"])
me.add_url_rule("/shifts/<int:shift_id>/sign-up", view_func=me_views.sign_up, methods=["POST"])
me.add_url_rule("/places/<int:assignment_id>/cancel", view_func=me_views.cancel_place, methods=["GET", "POST"])
me.add_url_rule("/places/<int:assignment_id>/offer", view_func=me_views.offer_place, methods=["GET", "POST"])
me.add_url_rule("/offers/<int:offer_id>/accept", view_func=me_views.accept_offer, methods=["POST"])
me.add_url_rule("/offers/<int:offer_id>/withdraw", view_func=me_views.withdraw_offer, methods=["POST"])
me.add_url_rule("/shifts/<int:shift_id>/waiting-list", view_func=waiting_list_views.join, methods=["POST"],
                endpoint="join_waiting_list")
me.add_url_rule("/waiting-list/<int:entry_id>/leave", view_func=waiting_list_views.leave, methods=["POST"],
                endpoint="leave_waiting_list")
me.add_url_rule("/waiting-list/<int:entry_id>/accept", view_func=waiting_list_views.accept, methods=["POST"],
                endpoint="accept_waiting_offer")
me.add_url_rule("/waiting-list/<int:entry_id>/decline", view_func=waiting_list_views.decline, methods=["POST"],
                endpoint="decline_waiting_offer")
me.add_url_rule("/announcements/<int:announcement_id>/dismiss",
                view_func=announcement_views.dismiss_announcement, methods=["POST"])
me.add_url_rule("/calendar", view_func=me_views.new_calendar_link, methods=["POST"])
me.add_url_rule("/calendar/revoke", view_func=me_views.revoke_calendar_link, methods=["POST"])
me.add_url_rule("/messages", view_func=channel_views.messages, methods=["GET", "POST"])
me.add_url_rule("/messages/phone", view_func=channel_views.send_phone_code, methods=["POST"])
me.add_url_rule("/messages/phone/confirm", view_func=channel_views.confirm_phone, methods=["POST"])
me.add_url_rule("/messages/phone/remove", view_func=channel_views.remove_phone, methods=["POST"])

calendar = Blueprint("calendar", __name__)
calendar.add_url_rule("/calendar/<token>.ics", view_func=calendar_feed.feed, methods=["GET"])

availability = Blueprint("availability", __name__)
availability.add_url_rule("/me/availability",
                          view_func=availability_views.my_availability, methods=["GET", "POST"])
availability.add_url_rule("/me/availability/leave",
                          view_func=availability_views.add_my_leave, methods=["POST"])
availability.add_url_rule("/me/availability/leave/<int:leave_id>/remove",
                          view_func=availability_views.remove_my_leave, methods=["POST"])
availability.add_url_rule("/people/<int:membership_id>/availability",
                          view_func=availability_views.member_availability, methods=["GET", "POST"])
availability.add_url_rule("/people/<int:membership_id>/availability/leave",
                          view_func=availability_views.add_member_leave, methods=["POST"])
availability.add_url_rule("/people/<int:membership_id>/availability/leave/<int:leave_id>/remove",
                          view_func=availability_views.remove_member_leave, methods=["POST"])

requests = Blueprint("requests", __name__)
requests.add_url_rule("/rota/requests", view_func=requests_views.list_requests, methods=["GET"])
requests.add_url_rule("/rota/requests/<int:offer_id>/approve",
                      view_func=requests_views.approve_request, methods=["POST"])
requests.add_url_rule("/rota/requests/<int:offer_id>/decline",
                      view_func=requests_views.decline_request, methods=["POST"])
requests.add_url_rule("/rota/places/<int:assignment_id>/no-show",
                      view_func=requests_views.mark_no_show, methods=["POST"])
requests.add_url_rule("/outbox", view_func=requests_views.outbox, methods=["GET"])
requests.add_url_rule("/rota/cover/<int:request_id>/ask", view_func=requests_views.ask_to_cover, methods=["POST"])

announcements = Blueprint("announcements", __name__)
announcements.add_url_rule("/announcements", view_func=announcement_views.list_announcements, methods=["GET"])
announcements.add_url_rule("/announcements/new", view_func=announcement_views.new_announcement,
                           methods=["GET", "POST"])
announcements.add_url_rule("/announcements/<int:announcement_id>/withdraw",
                           view_func=announcement_views.withdraw_announcement, methods=["POST"])

BLUEPRINTS = (me, calendar, availability, requests, text_inbound_views.sms_inbound, announcements)
