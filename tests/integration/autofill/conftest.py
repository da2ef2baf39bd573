"""The autofill tests staff the rota tests' organisation (``rota`` fixture)."""
from tests.integration.rota.conftest import RotaOrg, rota

__all__ = ["RotaOrg", "rota"]
