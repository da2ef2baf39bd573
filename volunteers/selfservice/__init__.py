"""selfservice package."""
