"""A volunteer's own rota: my shifts, open shifts, cancelling, offers and swaps, availability and leave.

Also the coordinator's side of those requests (``/rota/requests``), the
personal calendar feed and shift reminders. The notice rules are pure, in
``domain/notice.py``.
"""
