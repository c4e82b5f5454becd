"""Valid calls of helpers.remedies (see walk_calls/__init__.py)."""
import numpy as np

from helpers.data import DATA_DIR
from helpers.init import rnn_params

CALLS = {
    "train_on_copy": lambda: {"params": rnn_params(4, 3, 4, seed=0), "T": 3, "activation": "tanh",
                              "truncate": 2, "omega": 0.0, "through_states": False, "steps": 2, "lr": 0.1, "seed": 0},
    "gradient_norms_against_length": lambda: {"params": rnn_params(4, 3, 4, seed=0), "lengths": np.array([2, 3]),
                                              "truncate": 1, "B": 2, "seed": 0},
    "start_params": lambda: {"run": "T12 full BPTT", "seed": 0},
    "train_run": lambda: {"run": "T12 truncate 4", "seed": 0},
    "error_flow": lambda: {"params": rnn_params(4, 3, 4, seed=0), "T": 3, "B": 2, "seed": 0},
    "flow_runs": lambda: {},
    "load_seed_runs": lambda: {"data_dir": str(DATA_DIR)},
    "seed_range": lambda: {"accuracies": np.array([0.3, 0.25, 0.31])},
}

EXEMPT = {}
