"""The demo organisations: Tackley Village Shop and Sure Start Gateshead peer counsellors.

``flask --app wsgi demo`` loads them (``volunteers.demo.cli``);
``volunteers.demo.data.load_demo(now)`` builds them relative to ``now``.
This package is imported only by the command, never by the app itself.
"""
