"""Valid calls of helpers.gru (see walk_calls/__init__.py)."""
import numpy as np

from helpers import gru, init

T, B, D, H, K = 3, 2, 2, 2, 2


def _params():
    return init.gru_params(D, H, K, seed=0)


def _x():
    return np.random.default_rng(1).standard_normal((T, B, D))


def _cache():
    return gru.gru_forward(_x(), np.zeros((B, H)), _params())[1]


def _cache_fields():
    c = _cache()
    return {f: getattr(c, f) for f in ("x", "h0", "W_x", "W_h", "r", "z", "n", "hn", "h")}


CALLS = {
    "gate_slice": lambda: {"name": "z", "H": 3},
    "GRUCache": _cache_fields,
    "gru_forward": lambda: {"x": _x(), "h0": np.full((B, H), 0.5), "params": _params()},
    "gru_backward": lambda: {"dh": np.ones((T, B, H)), "cache": _cache()},
    "state_jacobians": lambda: {"cache": _cache()},
    "hidden_jacobian_norms": lambda: {"cache": _cache()},
    "update_products": lambda: {"cache": _cache()},
    "gru_outputs": lambda: {"params": _params(), "x": _x(), "h0": np.zeros((B, H))},
    "gru_loss_and_grads": lambda: {"params": _params(), "x": _x(),
                                   "y": np.random.default_rng(2).standard_normal((T, B, K)), "loss": "mse",
                                   "h0": np.zeros((B, H))},
}

RECORDS = {"GRUCache": "returned by gru_forward; every function that takes one checks its type"}
