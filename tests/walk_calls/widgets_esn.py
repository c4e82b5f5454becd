"""Valid calls of helpers.widgets_esn (see walk_calls/__init__.py)."""
import numpy as np


def _series():
    t = np.arange(90.0)
    return 300.0 + 0.1 * t + 3.0 * np.sin(2 * np.pi * t / 12)


CALLS = {
    "esn_explorer": lambda: {"series": _series(), "dates": np.arange("2000-01", "2007-07", dtype="datetime64[M]"),
                             "horizon": 3, "n_train": 50, "washout": 10, "H": 4, "seed": 0, "input_scale": 0.1,
                             "ridge": 1e-5, "live": False},
}
