"""Valid calls of helpers.plots_truncation (see walk_calls/__init__.py)."""
import numpy as np

CALLS = {
    "plot_truncation_windows": lambda: {"T": 5, "truncate": 2, "chunk": 3},
    "plot_truncation_error": lambda: {"reaches": np.arange(3), "err_truncate": np.array([0.4, 0.1, 0.0]),
                                      "err_chunk": np.array([0.3, 0.2, 0.1]), "param": "W_hh"},
    "plot_cost": lambda: {"T_values": np.array([10, 20, 40]), "seconds": np.array([1e-3, 2e-3, 4e-3]),
                          "nbytes": np.array([1e3, 2e3, 4e3])},
}
