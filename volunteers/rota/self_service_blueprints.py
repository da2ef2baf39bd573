"""The blueprints of volunteer self-service besides ``me`` (registered by ``app.register_blueprints``).

``calendar`` (/calendar/<token>.ics), ``hours`` (/me/hours), ``availability``
(/me/availability, /people/<id>/availability) and ``requests``
(/rota/requests, /outbox for coordinators).
"""
from volunteers.people.availability_views import bp as availability_bp
from volunteers.rota.calendar_feed import bp as calendar_bp
from volunteers.rota.me_hours import bp as hours_bp
from volunteers.rota.requests_views import bp as requests_bp

BLUEPRINTS = (calendar_bp, hours_bp, availability_bp, requests_bp)
