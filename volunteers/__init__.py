"""Rotas, hours and burn-out warnings for volunteer and peer-support programmes.

Importing ``volunteers`` must not import Flask: the domain packages are used
by command-line tools and tests that need no application.
"""

__version__ = "0.1.0"
