"""Valid calls of helpers.plots_remedies (see walk_calls/__init__.py)."""
import numpy as np

CALLS = {
    "plot_norms_against_length": lambda: {"T": np.arange(10, 41, 10), "norms": {
        "full BPTT": 1.3 ** np.arange(10.0, 41.0, 10.0), "truncate = 5": np.full(4, 1.3 ** 5)},
        "title": "Truncation caps each term", "ylabel": "norm"},
    "plot_input_gradients": lambda: {"per_step": {"full BPTT": np.array([0.1, 0.2, 0.4]),
                                                  "truncate = 1": np.array([0.0, 0.2, 0.4])}, "title": "x₁ gets none"},
    "plot_losses": lambda: {"losses": {"IRNN": np.linspace(1.4, 0.1, 8), "tanh RNN": np.full(8, 1.38)},
                            "title": "copy task", "chance": 1.38, "window": 3, "log": True},
    "plot_jacobian_decay": lambda: {"k": np.arange(5), "curves": {"IRNN": np.ones(5), "tanh": 0.5 ** np.arange(5.0)},
                                    "title": "decay", "ylabel": "norm"},
    "plot_over_seeds": lambda: {"values": {"Gaussian": np.array([0.25, 0.3]), "Gaussian, α = 1": np.array([0.3, 0.6])},
                                "ylabel": "test accuracy", "title": "copy task", "log": False, "reference": 0.25,
                                "reference_label": "chance", "xlabel": "run"},
}
