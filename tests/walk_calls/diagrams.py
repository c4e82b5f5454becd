"""Valid calls of helpers.diagrams (see walk_calls/__init__.py)."""
CALLS = {
    "draw_sequence_model_kinds": lambda: {},
    "draw_feedforward_vs_recurrent": lambda: {},
    "draw_unrolled": lambda: {"T": 3},
    "draw_stacked_rnn": lambda: {"T": 3},
    "draw_bptt_graph": lambda: {"T": 3},
}
