"""Crafted input: no 5xx from any query string or form value, no traceback from the CLI."""
