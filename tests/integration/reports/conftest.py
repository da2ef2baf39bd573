"""Fixtures for the report tests."""
from tests.integration.reports.helpers import ledger, shared_app  # noqa: F401
