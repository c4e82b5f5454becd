"""Valid calls of helpers.bptt (see walk_calls/__init__.py)."""
import numpy as np

from helpers import init, rnn


def _problem():
    return init.example_problem(T=3, B=2, D=2, H=2, K=2, seed=0)


def _cache():
    p, x, _ = _problem()
    return rnn.rnn_forward(x, np.zeros((2, 2)), p["W_xh"], p["W_hh"], p["b_h"])[1]


def _model():
    p, x, y = _problem()
    return {"params": p, "x": x, "y": y, "loss": "mse", "h0": np.zeros((2, 2)), "activation": "tanh"}


def _weights():
    p, x, _ = _problem()
    return {"x": x, "h0": np.zeros((2, 2)), "W_xh": p["W_xh"], "W_hh": p["W_hh"], "b_h": p["b_h"]}


CALLS = {
    "immediate_state_derivative": lambda: {"cache": _cache(), "param": "W_hh", "index": (0, 1)},
    "numerical_state_derivative": lambda: {**_weights(), "activation": "tanh", "param": "W_hh", "index": (0, 1),
                                           "eps": 1e-6},
    "contributions": lambda: {"dh": np.ones((3, 2, 2)), "cache": _cache(), "param": "W_hh"},
    "loss_contributions": lambda: {**_model(), "param": "W_hh"},
    "contribution_norms_by_gap": lambda: {"C": np.random.default_rng(0).standard_normal((3, 3, 2, 2))},
    "wrong_immediate_only_gradient": lambda: {"dh": np.ones((3, 2, 2)), "cache": _cache()},
    "readable_backward": lambda: {"dh": np.ones((3, 2, 2)), "cache": _cache(), "forget": "recurrent"},
    "rtrl_gradients": _model,
    "numerical_step_jacobian": lambda: {"x_t": np.ones(2), "h_prev": np.zeros(2), **{
        k: v for k, v in _weights().items() if k in ("W_xh", "W_hh", "b_h")}, "activation": "tanh", "eps": 1e-6},
    "numerical_state_gradient": lambda: {**_model(), "t": 1, "eps": 1e-6},
    "loss_with_step_weights": lambda: {**_model(), "W_hh_steps": np.stack([_problem()[0]["W_hh"]] * 3)},
    "gradcheck_table": lambda: {**{k: v for k, v in _model().items() if k != "activation"},
                                "activations": ("tanh", "relu"), "tol": 1e-7},
}
