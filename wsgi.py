"""WSGI entry point for `gunicorn wsgi:app` and `flask --app wsgi ...`."""
import gc

from flask.helpers import get_debug_flag

from config import DevelopmentConfig, ProductionConfig
from volunteers.app import create_app

app = create_app(DevelopmentConfig if get_debug_flag() else ProductionConfig)

# What the app is made of (modules, mapped classes, templates and statements compiled: ~150,000 objects) lives
# as long as the worker. Frozen, it is out of the collector's reach: a full collection, which otherwise walks all
# of it every few hundred requests (~170 ms, inside someone's request: a p99 of its own), looks only at what
# requests have made since. Collected first, so the start-up's own garbage is not kept for ever.
gc.collect()
gc.freeze()
