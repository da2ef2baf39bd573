"""Organisation settings are for coordinators of the whole organisation: not for one limited to some sites.

A coordinator limited to some sites (``rota.site_scope``) acts on those
sites' shifts and people; the settings (name, zone, rota rules, load
thresholds, money, retention, waiting list) hold for every site, so a change
there would reach the sites she may not touch. Every ``/settings`` page
answers her 403 (``settings.blueprint`` runs :func:`refuse_site_coordinators`
before each of them); admins are never limited.
"""
from __future__ import annotations

from flask import abort, g

from volunteers.rota.site_scope import is_limited


def refuse_site_coordinators() -> None:
    """403 for a site-limited coordinator (signed-out people and volunteers are left to the views' checks)."""
    if is_limited(getattr(g, "membership", None)):
        abort(403)
