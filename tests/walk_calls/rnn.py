"""Valid calls of helpers.rnn (see walk_calls/__init__.py)."""
import numpy as np

from helpers import init, rnn


def _problem():
    return init.example_problem(T=4, B=2, D=3, H=4, K=2, seed=0)


def _forward():
    p, x, _ = _problem()
    return rnn.rnn_forward(x, np.zeros((2, 4)), p["W_xh"], p["W_hh"], p["b_h"])


def _cache_fields():
    h, c = _forward()
    return {f: getattr(c, f) for f in ("x", "h0", "W_xh", "W_hh", "z", "h", "activation")}


def _products():
    P = np.random.default_rng(0).standard_normal((3, 2, 2))
    return {"P": P, "logs": np.zeros(3)}


CALLS = {
    "RNNCache": _cache_fields,
    "check_rnn_inputs": lambda: {k: v for k, v in zip(("x", "W_xh", "W_hh", "b_h"), (
        _problem()[1], _problem()[0]["W_xh"], _problem()[0]["W_hh"], _problem()[0]["b_h"]), strict=True)},
    "rnn_forward": lambda: {"x": _problem()[1], "h0": np.zeros((2, 4)), **{k: _problem()[0][k] for k in
                            ("W_xh", "W_hh", "b_h")}, "activation": "tanh"},
    "check_cache": lambda: {"cache": _forward()[1]},
    "rnn_backward": lambda: {"dh": np.ones((4, 2, 4)), "cache": _forward()[1], "truncate": 2},
    "hidden_jacobians": lambda: {"cache": _forward()[1]},
    "renormalise": lambda: {"P": _products()["P"]},
    "log_spectral_norms": _products,
    "jacobian_norms": lambda: {"cache": _forward()[1]},
    "product_norms": lambda: {"J": np.random.default_rng(0).normal(size=(3, 2, 2, 2))},
    "readout_gradients": lambda: {"do": np.ones((3, 2, 2)), "h": np.ones((3, 2, 4)) * 0.5, "W_hy": np.ones((2, 4))},
    "check_params": lambda: {"params": _problem()[0]},
    "rnn_outputs": lambda: {"params": _problem()[0], "x": _problem()[1], "h0": np.zeros((2, 4)),
                            "activation": "relu"},
    "output_loss": lambda: {"o": np.ones((4, 2, 2)), "y": np.zeros((4, 2, 2)), "loss": "mse"},
    "rnn_loss_and_grads": lambda: {"params": _problem()[0], "x": _problem()[1], "y": _problem()[2],
                                   "loss": "mse", "h0": np.zeros((2, 4)), "activation": "tanh", "truncate": 3},
}

RECORDS = {"RNNCache": "returned by rnn_forward; every function that takes one checks its type (check_cache)"}
