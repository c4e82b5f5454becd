"""Valid calls of helpers.tasks (see walk_calls/__init__.py)."""
import numpy as np

from helpers import tasks

CALLS = {
    "make_corpus": lambda: {"n_sentences": 3, "gap_range": (5, 7), "seed": 0},
    "encode": lambda: {"sentences": tasks.make_corpus(2, (5, 6), 0), "one_hot": True, "targets": "answer"},
    "decode": lambda: {"x": tasks.encode(tasks.make_corpus(2, (5, 6), 0), one_hot=False)[0]},
    "clue_task": lambda: {"gap": 5, "B": 2, "seed": 0, "one_hot": True},
    "adding_problem": lambda: {"T": 4, "B": 2, "seed": 0},
    "adding_baseline_mse": lambda: {},
    "copy_first_symbol": lambda: {"T": 3, "B": 2, "seed": 0, "n_symbols": 3},
    "temporal_order": lambda: {"T": 4, "B": 2, "seed": 0},
    "accuracy": lambda: {"o": np.random.default_rng(0).standard_normal((3, 2, 4)),
                         "y": np.array([[-1, -1], [0, 1], [2, 3]])},
}
