"""Valid calls of helpers.truncation (see walk_calls/__init__.py)."""
import numpy as np

from helpers import init, rnn


def _model():
    p, x, y = init.example_problem(T=4, B=2, D=2, H=2, K=2, seed=0)
    return {"params": p, "x": x, "y": y, "activation": "tanh"}


def _cache():
    p, x, _ = init.example_problem(T=4, B=2, D=2, H=2, K=2, seed=0)
    return rnn.rnn_forward(x, np.zeros((2, 2)), p["W_xh"], p["W_hh"], p["b_h"])[1]


CALLS = {
    "window_mask": lambda: {"T": 5, "truncate": None, "chunk": 2},
    "chunked_loss_and_grads": lambda: {**_model(), "chunk": 2, "loss": "mse", "h0": np.zeros((2, 2))},
    "truncated_gradient_cosines": lambda: {**_model(), "truncates": [0, 2]},
    "gradient_field_jacobian": lambda: {"grad_fn": lambda theta: 2.0 * theta, "theta": np.array([1.0, -2.0]),
                                        "eps": 1e-5},
    "scalar_rnn_gradient": lambda: {"theta": np.array([0.5, 0.3]), "x": np.array([1.0, -1.0, 0.5]),
                                    "y": np.array([0.1, 0.2, 0.1]), "truncate": 1},
    "truncation_errors": lambda: {**_model(), "reaches": [0, 2], "param": "W_hh"},
    "cache_nbytes": lambda: {"cache": _cache()},
    "time_bptt": lambda: {"T_values": [2, 3], "H": 2, "B": 1, "D": 2, "repeats": 1, "seed": 0},
}

EXEMPT = {
    "scalar_rnn_gradient.y": {"nan": "NaN marks a step without a target (documented)"},
}
