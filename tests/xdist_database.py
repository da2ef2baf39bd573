"""Give each pytest-xdist worker a PostgreSQL database of its own (``make test`` runs ``-n auto``).

Why: the suite creates its tables once per session and empties them after
every test, so two workers on one database would truncate each other's
rows mid-test. Worker ``gw1`` of ``TEST_DATABASE_URL=…/volunteers_test``
uses ``…/volunteers_test_gw1``, created when missing (the controller's own
run, without workers, keeps the database it was given). ``config.py`` reads
``TEST_DATABASE_URL`` when it is imported, so this runs first, from the top
of ``tests/conftest.py``. SQLite needs nothing: each worker's in-memory
database is its own already.
"""
from __future__ import annotations

import os

from sqlalchemy import create_engine, make_url, text


def use_worker_database() -> None:
    """Point ``TEST_DATABASE_URL`` at this worker's own database, making it if it does not exist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url_text = os.environ.get("TEST_DATABASE_URL", "")
    if not worker or not url_text.startswith("postgresql"):
        return
    url = make_url(url_text)
    if url.database and url.database.endswith(f"_{worker}"):
        return  # already this worker's (a worker re-importing the conftest)
    name = f"{url.database}_{worker}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first() is None:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    os.environ["TEST_DATABASE_URL"] = url.set(database=name).render_as_string(hide_password=False)
