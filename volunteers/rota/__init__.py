"""rota package."""
