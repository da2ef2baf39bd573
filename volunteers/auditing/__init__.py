"""The audit trail page: ``/audit`` for an organisation's admins (entries are written by ``core.audit``)."""
