"""Load rules and burn-out warnings."""
