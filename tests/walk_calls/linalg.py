"""Valid calls of helpers.linalg (see walk_calls/__init__.py)."""
import numpy as np


def _W():
    return np.random.default_rng(0).standard_normal((3, 3))


CALLS = {
    # check_square names W by the caller's name for it: called as check_square("W", W), its
    # messages name W (given "W_hh", they say W_hh, which is right for that caller)
    "check_square": lambda: {"name": "W", "W": _W()},
    "spectral_radius": lambda: {"W": _W()},
    "largest_singular_value": lambda: {"W": _W()},
    "spectrum": lambda: {"W": _W()},
    "matrix_power_norms": lambda: {"A": _W(), "k_max": 4},
}
