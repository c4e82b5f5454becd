"""Valid calls of helpers.plots_bptt (see walk_calls/__init__.py)."""
import numpy as np

CALLS = {
    "plot_contributions": lambda: {"norms": {"scale 0.5": 0.5 ** np.arange(4.0), "scale 3": np.r_[1.0, 2.0, 0.0, 3.0]},
                                   "title": "decay"},
    "plot_activation_derivatives": lambda: {"z_max": 6.0},
    "plot_gradcheck": lambda: {"errors": {(a, n): 1e-9 for a in ("tanh", "relu") for n in ("W_hh", "b_h")}},
}
