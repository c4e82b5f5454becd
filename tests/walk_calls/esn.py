"""Valid calls of helpers.esn (see walk_calls/__init__.py)."""
import numpy as np

from helpers import esn


def _res():
    return esn.make_reservoir(4, 1, 0, density=0.5)


def _u(T=12):
    return np.sin(np.arange(T) * 0.7)[:, None, None]


def _echo():
    f = esn.echo_forecast(_res(), 0.5, _u(), _u(), esn.echo_starts(4, 3), 8, washout=2)
    return f


CALLS = {
    "Reservoir": lambda: {f: getattr(_res(), f) for f in ("W_in", "W", "b", "rho")},
    "make_reservoir": lambda: {"H": 4, "D": 1, "seed": 0, "rho": 0.9, "input_scale": 1.0, "bias_scale": 0.2,
                               "density": 0.5},
    "rescale": lambda: {"res": _res(), "rho": 0.5},
    "reservoir_states": lambda: {"res": _res(), "u": np.ones((3, 2, 1)), "h0": np.zeros((2, 4))},
    "fit_readout": lambda: {"states": np.random.default_rng(0).standard_normal((6, 1, 4)), "y": _u(6),
                            "ridge": 1e-6, "washout": 1},
    "readout": lambda: {"states": np.random.default_rng(0).standard_normal((6, 1, 4)), "W_out": np.ones((1, 5))},
    "nrmse": lambda: {"prediction": np.arange(5.0) + 0.1, "target": np.arange(5.0)},
    "state_distance": lambda: {"res": _res(), "u": np.ones((3, 2, 1)), "h0_a": np.zeros((2, 4)),
                               "h0_b": np.ones((2, 4))},
    "echo_starts": lambda: {"H": 4, "n": 3, "seed": 0},
    "start_spread": lambda: {"res": _res(), "u": _u(5), "starts": esn.echo_starts(4, 3)},
    "Convergence": lambda: {f: getattr(_echo().echo, f) for f in ("rate", "late_rate", "fitted", "forgotten_at",
                                                                  "verdict")},
    "convergence": lambda: {"distance": 0.5 ** np.arange(1.0, 7.0)},
    "EchoForecast": lambda: {f: getattr(_echo(), f) for f in ("runs", "distance", "echo", "prediction", "error",
                                                              "error_other")},
    "echo_forecast": lambda: {"base": _res(), "rho": 0.5, "u": _u(), "y": _u(), "starts": esn.echo_starts(4, 3),
                              "n_train": 8, "ridge": 1e-5, "washout": 2},
    "change_forecast_problem": lambda: {"series": np.sin(np.arange(20.0)) + 0.1 * np.arange(20.0), "horizon": 2,
                                        "n_train": 5},
    "seasonal_naive": lambda: {"y": _u(6), "period": 2},
    "lagged_inputs": lambda: {"u": _u(5), "lags": 2},
    "baseline_nrmse": lambda: {"u": _u(), "y": np.cos(np.arange(12) * 0.7)[:, None, None], "n_train": 8,
                               "period": 2, "lags": 2, "ridge": 1e-5},
    "compare_with_baselines": lambda: {"error": 0.5, "baselines": {"seasonal naive": 0.6, "AR(2)": 0.7},
                                       "margin": 0.05},
}

RECORDS = {"Convergence": "returned by convergence; the views that take one check its type",
           "EchoForecast": "returned by echo_forecast; the views that take one check its type"}

