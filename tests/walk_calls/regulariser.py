"""Valid calls of helpers.regulariser (see walk_calls/__init__.py)."""
import numpy as np

from helpers.init import rnn_params

T, B, D, H, K = 3, 2, 2, 2, 2


def _x():
    return np.random.default_rng(1).standard_normal((T, B, D))


def _errors():
    return np.random.default_rng(2).standard_normal((T, B, H))


def _y():
    return np.array([[0, 1], [1, -1], [0, 0]])


CALLS = {
    "norm_ratios": lambda: {"params": rnn_params(D, H, K, seed=0), "x": _x(), "errors": _errors(),
                            "h0": np.zeros((B, H))},
    "omega": lambda: {"params": rnn_params(D, H, K, seed=0), "x": _x(), "errors": _errors(), "h0": np.zeros((B, H))},
    "omega_grad": lambda: {"params": rnn_params(D, H, K, seed=0), "x": _x(), "errors": _errors(),
                           "h0": np.zeros((B, H)), "through_states": True},
    "backprop_errors": lambda: {"params": rnn_params(D, H, K, seed=0), "x": _x(), "y": _y(), "loss": "softmax",
                                "h0": np.zeros((B, H))},
    "regularised_loss_and_grads": lambda: {"params": rnn_params(D, H, K, seed=0), "x": _x(), "y": _y(),
                                           "loss": "softmax", "omega_weight": 0.5, "h0": np.zeros((B, H)),
                                           "through_states": False},
}
