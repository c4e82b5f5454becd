"""Valid calls of helpers.plots_sequences (see walk_calls/__init__.py)."""
import numpy as np


def _dates(n=8):
    return np.datetime64("2000-01") + np.arange(n).astype("timedelta64[M]")


def _values(n=8):
    return 100.0 + np.arange(n) % 3


CALLS = {
    "plot_series": lambda: {"dates": _dates(), "values": _values(), "label": "IBM", "unit": "US$"},
    "plot_windows": lambda: {"dates": _dates(), "values": _values(), "width": 3, "starts": [0, 2],
                             "label": "price", "unit": "US$"},
    "plot_order_test": lambda: {"real": 0.9, "shuffled": np.array([0.1, -0.2, 0.05, 0.0]),
                                "statistic": "lag-1 autocorrelation"},
    "plot_one_hot_and_bag": lambda: {"tokens_a": ["a", "b"], "tokens_b": ["b", "a"], "vocab": {"a": 0, "b": 1},
                                     "one_hot_a": np.eye(2), "one_hot_b": np.eye(2)[::-1].copy(),
                                     "bag_a": np.ones(2), "bag_b": np.ones(2)},
    "plot_memory_fading": lambda: {"norms": {"λ₁ = 0.5": 0.5 ** np.arange(5.0), "λ₁ = 2": 2.0 ** np.arange(5.0)},
                                   "title": "fades"},
}
