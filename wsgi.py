"""WSGI entry point for `gunicorn wsgi:app` and `flask --app wsgi ...`."""
from flask.helpers import get_debug_flag

from config import DevelopmentConfig, ProductionConfig
from volunteers.app import create_app

app = create_app(DevelopmentConfig if get_debug_flag() else ProductionConfig)
