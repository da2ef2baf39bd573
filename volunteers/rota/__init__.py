"""The rota itself: roles, sites and qualifications, series, shifts, places, the board, publishing.

Also the shifts CSV (``import shifts``, ``rota export``) and who may take a
shift (``domain/eligibility.py``). Putting people on shifts with load checks
is a floor up, in ``autofill`` and ``selfservice``; the load rules in
``wellbeing`` hear of every change through ``core.signals``.
"""
