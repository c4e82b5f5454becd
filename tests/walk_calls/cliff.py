"""Valid calls of helpers.cliff (see walk_calls/__init__.py)."""
import numpy as np

CALLS = {
    "step_map": lambda: {"x": np.array([0.0, 1.0]), "w": 5.0, "b": -2.5},
    "fixed_points": lambda: {"w": 5.0, "b": -2.5, "grid": 50, "iters": 10},
    "saddle_node_points": lambda: {"w": 5.0, "iters": 20},
    "bistable_interval": lambda: {"w": 5.0},
    "bifurcation_curve": lambda: {"w": 5.0, "x_min": -8.0, "x_max": 8.0, "n": 11},
    "trajectory": lambda: {"w": np.array([5.0, 6.0]), "b": np.array([-2.5, -3.0]), "T": 3, "x0": 0.5},
    "error_and_grad": lambda: {"w": np.array([5.0, 6.0]), "b": np.array([-2.5, -3.0]), "T": 3, "x0": 0.5,
                               "target": 0.7},
    "wall_line": lambda: {"w": np.array([5.0, 6.0]), "x0": 0.5},
    "gd_path": lambda: {"w0": 5.0, "b0": -4.0, "lr": 2.0, "steps": 3, "clip": 1.0, "clip_mode": "norm", "T": 5,
                        "x0": 0.5, "target": 0.7},
}

EXEMPT = {}
