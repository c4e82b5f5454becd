"""Valid calls of helpers.init (see walk_calls/__init__.py)."""

CALLS = {
    "recurrent_matrix": lambda: {"H": 3, "scale": 1.0, "init": "orthogonal", "seed": 0},
    "rnn_params": lambda: {"D": 2, "H": 3, "K": 2, "scale": 1.0, "init": "gaussian", "seed": 0},
    "example_problem": lambda: {"T": 3, "B": 2, "D": 2, "H": 3, "K": 2, "scale": 1.0, "seed": 0},
    "clue_params": lambda: {"H": 3, "scale": 1.0, "seed": 0},
    "lstm_params": lambda: {"D": 2, "H": 3, "K": 2, "seed": 0, "forget_bias": 1.0, "scale": 0.5},
    "gru_params": lambda: {"D": 2, "H": 3, "K": 2, "seed": 0, "scale": 0.5},
}
