"""Valid calls of helpers.optim (see walk_calls/__init__.py)."""
import numpy as np


def _grads():
    return {"W": np.array([[3.0, 0.0], [0.0, 4.0]]), "b": np.array([1.0, -2.0])}


def _quadratic(p):
    return float(np.sum(p["w"] ** 2)), {"w": 2.0 * p["w"]}


CALLS = {
    "global_norm": lambda: {"grads": _grads()},
    "clip_by_global_norm": lambda: {"grads": _grads(), "threshold": 1.0},
    "clip_by_value": lambda: {"grads": _grads(), "threshold": 1.0},
    "History": lambda: {"params": {"w": np.zeros(2)}, "loss": np.ones(3), "grad_norm": np.ones(3),
                        "clipped": np.zeros(3, dtype=bool), "status": "finished", "message": "Finished 3 steps.",
                        "starts": None},
    "train_sgd": lambda: {"params": {"w": np.array([1.0, -2.0])}, "loss_and_grads": _quadratic, "steps": 3,
                          "lr": 0.1, "clip": 1.0, "clip_mode": "norm", "verbose": False, "record_params": True},
}

RECORDS = {"History": "returned by train_sgd; the views that take one check its type"}
