"""Fixtures for the privacy tests: the report tests' Tackley ledger, and people in two organisations."""
from tests.integration.reports.helpers import ledger  # noqa: F401
