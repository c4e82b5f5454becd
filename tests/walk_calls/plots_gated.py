"""Valid calls of helpers.plots_gated (see walk_calls/__init__.py)."""
import numpy as np

CALLS = {
    "plot_flows": lambda: {"k": np.arange(5), "panels": {
        "at the start": {"LSTM": 0.5 ** np.arange(5.0), "GRU": np.ones(5)},
        "after training": {"LSTM": np.ones(5), "GRU": 0.8 ** np.arange(5.0)}},
        "title": "flow", "ylabel": "norm", "mark": 3.0, "mark_label": "clue"},
    "plot_gate_traces": lambda: {"traces": {"LSTM, trained": np.array([[0.2, 0.5, 0.9], [0.3, 0.6, 0.95],
                                                                       [0.4, 0.7, 0.99]])},
                                 "kept": {"LSTM, trained": np.array([[1.0, 0.9], [1.0, 0.95], [1.0, 0.99]])},
                                 "clue_step": 2, "title": "gate", "ylabel": "f"},
}
