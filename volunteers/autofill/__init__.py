"""Filling places: ranked candidates for one shift, assigning by hand, and the auto-rota.

The shift panel (``/rota/shifts/<id>``) ranks who fits a gap and puts a
coordinator's choice on it with the eligibility and load checks
(``assign``); the auto-rota proposes a whole period or a replacement with
the CP-SAT model in ``domain/`` (``services``, ``/rota/fill``, ``rota fill``).
"""
