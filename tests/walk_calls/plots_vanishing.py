"""Valid calls of helpers.plots_vanishing (see walk_calls/__init__.py)."""
import numpy as np

from helpers.optim import History


def _history(loss, status="finished"):
    loss = np.asarray(loss, dtype=float)
    return History({}, loss, 10 * loss, np.zeros(loss.size, bool), status, "")


CALLS = {
    "plot_phase_diagram": lambda: {"activations": ("tanh",), "scales": np.array([0.5, 2.0]),
                                   "lengths": np.array([2, 4]), "H": 2, "amplitude": 1.0, "init": "gaussian",
                                   "seed": 0},
    "plot_nonnormal_powers": lambda: {"rho": 0.95, "coupling": 10.0, "k_max": 5},
    "plot_gaussian_spectrum": lambda: {"H": 4, "seed": 0},
    "plot_sigmoid_saturation": lambda: {"z_max": 12.0},
    "plot_exploding_run": lambda: {"histories": {"lr = 0.1": _history([1.0, 0.9, 0.8]),
                                                 "lr = 0.2": _history([1.0, 1e30], "diverged")},
                                   "steps_shown": 4},
    "plot_vanishing_plateau": lambda: {"histories": {"T = 5": _history([1.4, 1.0, 0.5])}, "chance": 1.39,
                                       "input_grads": {"before": 0.5 ** np.arange(4.0)[::-1]}},
    "plot_feedforward_vs_recurrent": lambda: {"results": {"tanh": (np.zeros((3, 4)), -np.ones((3, 4)))}},
}
