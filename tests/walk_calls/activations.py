"""Valid calls of helpers.activations (see walk_calls/__init__.py)."""
import numpy as np

CALLS = {
    "Activation": lambda: {"name": "softplus", "f": lambda z: np.logaddexp(0.0, z),
                           "df": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)), "gamma": 1.0},
    "get_activation": lambda: {"name": "sigmoid"},
}
