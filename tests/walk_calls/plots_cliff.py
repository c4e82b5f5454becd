"""Valid calls of helpers.plots_cliff (see walk_calls/__init__.py)."""
import numpy as np
from matplotlib.figure import Figure

from helpers import cliff


def _surface():
    W, B = np.meshgrid(np.linspace(2.0, 8.0, 4), np.linspace(-6.0, 1.0, 3))     # (3, 4): not square
    E, dw, db = cliff.error_and_grad(W, B, T=5)
    return {"W": W, "B": B, "E": E, "grad_norm": np.hypot(dw, db), "x0": 0.5}


CALLS = {
    "draw_wall": lambda: {"ax": Figure().add_subplot(), "w": np.linspace(2.0, 8.0, 5), "x0": 0.5, "label": True},
    "plot_bifurcation": lambda: {"w": 5.0, "b_range": (-4.5, -0.5)},
    "plot_error_surface": _surface,
    "plot_clip_directions": lambda: {"g": np.array([3.0, -4.0]), "g_norm": np.array([0.3, -0.4]),
                                     "g_value": np.array([0.5, -0.5]), "threshold": 0.5},
}
