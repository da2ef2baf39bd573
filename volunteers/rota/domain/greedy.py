"""The greedy auto-rota baseline (see ``solver.greedy``), under its historical name."""

from volunteers.rota.domain.solver.greedy import greedy_fill, greedy_pairs

__all__ = ["greedy_fill", "greedy_pairs"]
