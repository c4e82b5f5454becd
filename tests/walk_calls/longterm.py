"""Valid calls of helpers.longterm (see walk_calls/__init__.py)."""
import numpy as np

from helpers import longterm, tasks
from helpers.data import DATA_DIR
from helpers.init import clue_params

_SMALL = {"H": 3, "B": 2, "steps": 2}


def _seed_runs():
    a = np.ones((1, 1))
    return {"gaps": np.array([5]), "seeds": np.array([0]), "accuracy": a, "clue_grad": np.ones((1, 1, 2)),
            "ratio_first": a, "ratio_last": a, "ratio_max": a, "adding_T": np.array([3]),
            "adding_seeds": np.array([0]), "adding_test_loss": a, "adding_test_within": a,
            "settings": {"clue": dict(_SMALL), "adding": dict(_SMALL)}, "provenance": {}}


def _fields(record):
    return {f: getattr(record, f) for f in record.__dataclass_fields__}


CALLS = {
    "last_step_loss_and_grads": lambda: {"params": clue_params(3), "x": tasks.clue_task(5, 2, 0)[0],
                                         "y": tasks.clue_task(5, 2, 0)[1]},
    "clue_accuracy": lambda: {"params": clue_params(3), "gap": 5, "B": 4, "seed": 0},
    "ClueRun": lambda: _fields(longterm.train_clue(5, **_SMALL)),
    "train_clue": lambda: {"gap": 5, "H": 3, "B": 2, "steps": 2, "lr": 0.3, "scale": 1.0, "seed": 0,
                           "params": clue_params(3)},
    "GapSweep": lambda: _fields(longterm.gap_sweep([5], [0], **_SMALL)),
    "gap_sweep": lambda: {"gaps": [5], "seeds": [0], **_SMALL},
    "decay_fit": lambda: {"k": np.arange(4.0), "ratio": 0.5 ** np.arange(4.0)},
    "Saturation": lambda: _fields(longterm.clue_saturation(5, [0], H=3, B=2)),
    "clue_saturation": lambda: {"gap": 5, "seeds": [0], "H": 3, "B": 2, "input_scale": 1.0, "cut": 0.2},
    "AddingRun": lambda: _fields(longterm.train_adding(3, **_SMALL)),
    "train_adding": lambda: {"T": 3, "H": 3, "B": 2, "steps": 2, "lr": 0.03, "seed": 0},
    "SeedRuns": _seed_runs,
    "seed_runs": lambda: {"gaps": [5], "seeds": [0], "adding_T": [3], "adding_seeds": [0],
                          "clue_kwargs": dict(_SMALL), "adding_kwargs": dict(_SMALL)},
    "seed_runs_to_json": lambda: {"runs": longterm.SeedRuns(**_seed_runs())},
    "load_seed_runs": lambda: {"data_dir": str(DATA_DIR)},
    "attractor": lambda: {"w": np.array([0.5, 2.0]), "b": 0.0},
    "noise_margin": lambda: {"w": np.array([0.5, 2.0])},
    "one_unit_run": lambda: {"w": np.array([2.0, 0.5]), "x": np.zeros((3, 2)), "h0": np.array([1.0, -1.0]),
                             "u": 1.0},
    "MemorySweep": lambda: _fields(longterm.memory_sweep(np.array([0.5, 2.0]), T=3, runs=4)),
    "memory_sweep": lambda: {"w": np.array([0.5, 2.0]), "T": 3, "noise": 0.3, "runs": 4, "seed": 0},
}

RECORDS = {name: "a result record, built by the helper that returns it; the helpers that take one check its type"
           for name in ("ClueRun", "GapSweep", "Saturation", "AddingRun", "SeedRuns", "MemorySweep")}

EXEMPT = {
    # not a wrong input: {} means train_clue's defaults, a valid call that trains for about 3 s; skipped only
    # to keep the walk fast
    "seed_runs.clue_kwargs": {"empty": "a valid but slow call (train_clue's defaults), skipped for speed"},
}
