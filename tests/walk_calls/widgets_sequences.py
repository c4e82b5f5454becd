"""Valid calls of helpers.widgets_sequences (see walk_calls/__init__.py)."""
import numpy as np

CALLS = {
    "power_slider": lambda: {"T": 5, "live": False},
    "hidden_state_player": lambda: {"h": np.tanh(np.arange(18.0).reshape(3, 2, 3) / 9 - 1),
                                    "tokens": [["a", "b", "c"], ["a", "c", "b"]], "names": ["A", "B"],
                                    "live": False},
    "memory_fade": lambda: {"T": 4, "H": 2, "seed": 0, "live": False},
}
