"""Valid calls of helpers.widgets_vanishing (see walk_calls/__init__.py)."""
from helpers.livefig import new_figure

CALLS = {
    "ExplorerView": lambda: {"fig": new_figure(live=False, figsize=(9.1, 4.3), dpi=30), "H": 2},
    "gradient_explorer": lambda: {"live": False, "H": 2, "scale": 0.5, "activation": "tanh", "T": 4,
                                  "amplitude": 1.0, "init": "gaussian", "seed": 0},
}
