"""autofill package."""
