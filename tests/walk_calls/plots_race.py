"""Valid calls of helpers.plots_race (see walk_calls/__init__.py)."""
import numpy as np

from helpers import race


def _results():
    cells = tuple(race.CELLS)
    per_cell = {c: 0.1 for c in cells}
    return race.RaceResults(cells, np.array([5, 80]), np.arange(3), {c: np.full((2, 3), 0.5) for c in cells},
                            per_cell, {c: np.array([0.1]) for c in cells}, np.array([20]), 10,
                            {c: np.ones((1, 1)) for c in cells}, {c: 3721 for c in cells}, {c: 32 for c in cells},
                            per_cell)


CALLS = {
    "plot_race": lambda: {"results": _results(), "chance": 0.125, "title": "the race"},
}
