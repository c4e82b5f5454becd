"""Valid calls of helpers.gated (see walk_calls/__init__.py)."""
import numpy as np

from helpers import gated, init, tasks

V = len(tasks.VOCAB)


def _clue():
    return tasks.clue_task(5, 3, seed=0)


def _fields(record):
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


CALLS = {
    "Flow": lambda: _fields(gated.gradient_flow("GRU", init.gru_params(V, 2, V, seed=0), _clue()[0])),
    "ClueUnit": lambda: _fields(gated.clue_unit("GRU", init.gru_params(V, 2, V, seed=0), *_clue())),
    "gradient_flow": lambda: {"model": "LSTM", "params": init.lstm_params(V, 2, V, seed=0), "x": _clue()[0]},
    "correlation_ratio": lambda: {"values": np.random.default_rng(0).standard_normal((6, 2)),
                                  "labels": np.array([0, 0, 1, 1, 2, 2])},
    "clue_unit": lambda: {"model": "LSTM", "params": init.lstm_params(V, 2, V, seed=0), "x": _clue()[0],
                          "y": _clue()[1], "unit": 1, "clue_step": 5},
}

RECORDS = {"Flow": "returned by gradient_flow", "ClueUnit": "returned by clue_unit"}
