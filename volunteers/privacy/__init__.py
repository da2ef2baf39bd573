"""A person's rights over their data: the download, erasure that keeps the ledger's totals, retention.

Flask-free at import: the pure rules are in :mod:`volunteers.privacy.domain`.
"""
