"""Valid calls of helpers.gradcheck (see walk_calls/__init__.py)."""
import numpy as np


def _grads(sign=1.0):
    return {"W": sign * np.array([[1.0, 2.0], [0.5, -1.0]]), "b": np.array([0.3, -0.2])}


CALLS = {
    "numerical_gradient": lambda: {"f": lambda v: float(np.sum(v ** 2)), "x": np.array([1.0, -2.0]), "eps": 1e-6,
                           "names": ("f", "x")},
    "numerical_jacobian": lambda: {"f": lambda v: np.sin(v), "x": np.array([1.0, -2.0]), "eps": 1e-6,
                                   "names": ("f", "x")},
    "relative_error": lambda: {"a": np.array([1.0, 2.0]), "b": np.array([1.0, 2.1])},
    "report": lambda: {"label": "W_hh", "value": np.array([1.0, 2.0]), "reference": np.array([1.0, 2.0 + 1e-9]),
                       "tol": 1e-7},
    "describe_error": lambda: {"err": 1e-9, "tol": 1e-7},
    "cosine": lambda: {"a": _grads(), "b": _grads(-1.0)},
    "angle_degrees": lambda: {"a": _grads(), "b": _grads(-1.0)},
    "worst_relative_error": lambda: {"pairs": ((np.array([1.0, 2.0]), np.array([1.0, 2.1])),
                                               (np.array([3.0]), np.array([3.0])))},
}
