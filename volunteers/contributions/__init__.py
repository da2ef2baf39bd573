"""contributions package."""
