"""people package."""
