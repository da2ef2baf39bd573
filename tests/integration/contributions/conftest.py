"""Fixtures for the ledger tests (shared with the report tests)."""
from tests.integration.reports.helpers import ledger, shared_app  # noqa: F401
