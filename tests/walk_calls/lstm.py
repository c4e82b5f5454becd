"""Valid calls of helpers.lstm (see walk_calls/__init__.py)."""
import numpy as np

from helpers import init, lstm

T, B, D, H, K = 3, 2, 2, 2, 2


def _params():
    return init.lstm_params(D, H, K, seed=0)


def _x():
    return np.random.default_rng(1).standard_normal((T, B, D))


def _forward():
    return lstm.lstm_forward(_x(), np.zeros((B, H)), np.zeros((B, H)), _params())


def _cache_fields():
    c = _forward()[2]
    return {f: getattr(c, f) for f in ("x", "h0", "c0", "W_x", "W_h", "i", "f", "o", "g", "c", "tanh_c", "h")}


CALLS = {
    "gate_slice": lambda: {"name": "f", "H": 3},
    "LSTMCache": _cache_fields,
    "lstm_forward": lambda: {"x": _x(), "h0": np.zeros((B, H)), "c0": np.full((B, H), 0.5), "params": _params()},
    "lstm_backward": lambda: {"dh": np.ones((T, B, H)), "cache": _forward()[2], "dc": np.ones((T, B, H))},
    "state_jacobians": lambda: {"cache": _forward()[2]},
    "cell_jacobian_norms": lambda: {"cache": _forward()[2]},
    "hidden_jacobian_norms": lambda: {"cache": _forward()[2]},
    "forget_products": lambda: {"cache": _forward()[2]},
    "lstm_outputs": lambda: {"params": _params(), "x": _x(), "h0": np.zeros((B, H)), "c0": np.zeros((B, H))},
    "lstm_loss_and_grads": lambda: {"params": _params(), "x": _x(),
                                    "y": np.random.default_rng(2).standard_normal((T, B, K)), "loss": "mse",
                                    "h0": np.zeros((B, H)), "c0": np.zeros((B, H))},
}

RECORDS = {"LSTMCache": "returned by lstm_forward; every function that takes one checks its type"}
