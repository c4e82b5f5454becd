"""Valid calls of helpers.vanishing (see walk_calls/__init__.py)."""
import numpy as np

from helpers import vanishing
from helpers.init import rnn_params
from helpers.optim import train_sgd
from helpers.rnn import rnn_loss_and_grads


def _W():
    return np.random.default_rng(0).standard_normal((3, 3))


def _problem():
    rng = np.random.default_rng(1)
    return rnn_params(2, 3, 2, seed=0), rng.standard_normal((4, 2, 2)), rng.standard_normal((4, 2, 2))


def _history(record_params=False):
    p, x, y = _problem()
    return train_sgd(p, lambda q: rnn_loss_and_grads(q, x, y, "mse", activation="relu"), steps=2, lr=0.1,
                     verbose=False, record_params=record_params)


def _state():
    s = vanishing.gradient_state(1.0, "tanh", T=4, H=3)
    return {f: getattr(s, f) for f in s.__dataclass_fields__}


CALLS = {
    "gamma_lambda1": lambda: {"W_hh": _W(), "activation": "tanh"},
    "bound_curve": lambda: {"gamma_lambda": 0.9, "k": np.arange(4.0)},
    "nonnormal_matrix": lambda: {"rho": 0.95, "coupling": 10.0, "H": 2},
    "log_activation_derivative": lambda: {"activation": "tanh", "z": np.linspace(-3.0, 3.0, 5)},
    "log10_jacobian_norms": lambda: {"log_dphi": vanishing.log_activation_derivative(
        "tanh", np.random.default_rng(2).standard_normal((4, 3))), "W_hh": _W()},
    "GradientState": _state,
    "power_of_ten_text": lambda: {"log10_value": -2.2},
    "rate_text": lambda: {"log10_rate": 0.01},
    "classify": lambda: {"gamma_lambda": 1.2, "log10_ratio": -3.0, "k": 20},
    "gamma_lambda_text": lambda: {"gamma_lambda": 0.9},
    "verdict": lambda: {"gamma_lambda": 1.2, "log10_ratio": -3.0, "k": 20, "activation": "tanh",
                        "overflow_step": 5, "gamma_rho": 0.8, "mean_dphi": 0.5},
    "gradient_state": lambda: {"scale": 1.0, "activation": "tanh", "T": 5, "amplitude": 1.0, "init": "gaussian",
                               "seed": 0, "H": 3},
    "phase_diagram": lambda: {"activation": "tanh", "scales": np.array([0.5, 1.5]), "lengths": np.array([2, 4]),
                              "H": 3, "amplitude": 1.0, "init": "gaussian", "seed": 0},
    "edge_scale": lambda: {"activation": "tanh", "H": 3, "init": "gaussian", "seed": 0, "which": "lambda1"},
    "feedforward_draws": lambda: {"scale": 1.0, "depth": 3, "H": 3, "trials": 2, "amplitude": 1.0, "seed": 0},
    "feedforward_vs_recurrent": lambda: {"activation": "tanh", "scale": 1.0, "depth": 3, "H": 3, "trials": 2,
                                         "amplitude": 1.0, "seed": 0},
    "input_gradient_norms": lambda: dict(zip(("params", "x", "y"), _problem(), strict=True), loss="mse",
                                         activation="tanh"),
    "dead_units": lambda: {"params": _problem()[0], "x": _problem()[1], "activation": "relu"},
    "describe_runs": lambda: {"histories": [_history(), _history()], "last": 2},
    "step_table": lambda: {"history": _history(True), "batch": lambda t: _problem()[1], "steps": 2,
                           "activation": "relu"},
}

RECORDS = {"GradientState": "returned by gradient_state; the views that take one check its type"}

EXEMPT = {
    "log_activation_derivative.z": {"nan": "φ′ of an overflowed net input: NaN stays NaN (documented)"},
    "log10_jacobian_norms.log_dphi": {"nan": "ln φ′ of an overflowed state: the product is NaN (documented)"},
    "power_of_ten_text.log10_value": {"nan": "prints 'undefined (NaN)'"},
    "rate_text.log10_rate": {"nan": "prints 'undefined (NaN)'"},
    "classify.log10_ratio": {"nan": "a product through overflowed states: 'exploding' (documented)"},
    "verdict.log10_ratio": {"nan": "a product through overflowed states: 'undefined (NaN)' (documented)"},
    "verdict.mean_dphi": {"nan": "gradient_state passes NaN when no step is finite"},
}
