"""Valid calls of helpers.plots_longterm (see walk_calls/__init__.py)."""
import numpy as np

from helpers import longterm


def _sweep():
    rng = np.random.default_rng(0)
    return longterm.GapSweep(np.array([5, 10]), np.arange(2), rng.uniform(size=(2, 2)), rng.uniform(size=(2, 2, 3)),
                             10.0 ** rng.uniform(-4, 0, size=(2, 2, 3)))


def _memory():
    return longterm.MemorySweep(np.array([0.5, 2.0]), np.array([0.5, 1.0]), np.array([1e-3, 1e-6]),
                                np.array([0.5, 0.14]), np.array([0.0, 0.4]), 4, 0.3, 10)


CALLS = {
    "plot_gap_accuracy": lambda: {"sweep": _sweep(), "chance": 1 / 8, "learnt": 0.9},
    "plot_clue_gradient": lambda: {"sweep": _sweep(), "fit": (0.6, 1.0)},
    "plot_adding_baseline": lambda: {"sums": np.array([0.5, 1.0, 1.2, 1.6]), "c": np.array([0.5, 1.0, 1.5]),
                                     "simulated": np.array([0.2, 0.1, 0.2]), "analytic": np.array([0.2, 0.08, 0.2])},
    "plot_adding_runs": lambda: {"runs": [longterm.AddingRun(5, np.linspace(0.2, 0.01, 6), 0.01, "finished")],
                                 "levels": {"baseline": 1 / 12}, "window": 3},
    "plot_one_unit": lambda: {"w_values": (0.5, 2.0), "h_grid": np.linspace(-1, 1, 5),
                              "maps": np.tanh(np.outer([0.5, 2.0], np.linspace(-1, 1, 5))),
                              "trajectories": np.array([[0.5, 0.2, 0.1], [0.9, 0.95, 0.96]])},
    "plot_memory_vs_trainability": lambda: {"sweep": _memory()},
}
