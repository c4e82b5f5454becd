"""Valid calls of helpers.race (see walk_calls/__init__.py)."""
import numpy as np

from helpers import race, tasks
from helpers.data import DATA_DIR


def _batch():
    x, _ = tasks.clue_task(5, 2, seed=0)
    y = np.full(x.shape[:2], -1)
    y[-1] = [3, 7]
    return {"x": x, "y": y}


def _results():
    cells = tuple(race.CELLS)
    per_cell = {c: 0.1 for c in cells}
    return {"cells": cells, "gaps": np.array([5, 80]), "seeds": np.arange(3),
            "accuracy": {c: np.full((2, 3), 0.5) for c in cells}, "lr": per_cell,
            "lr_grid": {c: np.array([0.1]) for c in cells}, "tuning_gaps": np.array([20]), "tuning_seed": 10,
            "validation": {c: np.ones((1, 1)) for c in cells},
            "parameters": {c: 3721 for c in cells}, "hidden": {c: 32 for c in cells}, "ms_per_step": per_cell}


CALLS = {
    "start_params": lambda: {"cell": "LSTM", "seed": 0},
    "parameter_count": lambda: {"params": {"W": np.ones((2, 3)), "b": np.zeros(2)}},
    "loss_and_grads": lambda: {"cell": "GRU", "params": race.start_params("GRU", 0), **_batch()},
    "outputs": lambda: {"cell": "IRNN", "params": race.start_params("IRNN", 0), "x": _batch()["x"]},
    "accuracy": lambda: {"cell": "tanh RNN", "params": race.start_params("tanh RNN", 0), "gap": 5,
                         "split": "validation"},
    "train": lambda: {"cell": "GRU", "gap": 5, "seed": 0, "lr": 0.1, "steps": 2, "split": "test"},
    "RaceResults": _results,
    "load_race": lambda: {"data_dir": str(DATA_DIR)},
    "load_trained": lambda: {"cell": "LSTM", "seed": 1, "data_dir": str(DATA_DIR)},
    "seed_table": lambda: {"results": race.RaceResults(**_results())},
}

