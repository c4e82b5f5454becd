"""Valid calls of helpers.sequences (see walk_calls/__init__.py)."""
import numpy as np

from helpers import init, sequences


def _vocab():
    return {"<pad>": 0, "a": 1, "b": 2}


def _rnn():
    p, x, _ = init.example_problem(T=4, B=2, D=3, H=3, K=2, seed=0)
    return {"x": x, "W_xh": p["W_xh"], "W_hh": p["W_hh"], "b_h": p["b_h"]}


CALLS = {
    "tokenize": lambda: {"text": "The movie is good."},
    "build_vocabulary": lambda: {"token_lists": [["a", "b"], ["b", "c"]], "pad": "<pad>"},
    "token_ids": lambda: {"tokens": ["a", "b", "a"], "vocab": _vocab()},
    "one_hot": lambda: {"tokens": ["a", "b", "a"], "vocab": _vocab()},
    "bag_of_words": lambda: {"tokens": ["a", "b", "a"], "vocab": _vocab()},
    "pad_batch": lambda: {"sequences": [np.ones((3, 2)), np.ones((2, 2))]},
    "lag_autocorrelation": lambda: {"series": np.sin(np.arange(8.0)), "lag": 1},
    "shuffled_statistic": lambda: {"series": np.sin(np.arange(8.0)), "statistic": sequences.lag_autocorrelation,
                                   "n_shuffles": 3, "seed": 0},
    "naive_forecast": lambda: {"inputs": np.arange(6.0).reshape(3, 2), "method": "last"},
    "perturbation_response": lambda: {**_rnn(), "delta": np.ones((2, 3)), "activation": "tanh",
                                      "h0": np.zeros((2, 3))},
    "memory_fade_network": lambda: {"scale": 0.9, "T": 4, "H": 3, "seed": 0, "input_scale": 1.0},
    "memory_fade_norms": lambda: {"scale": 0.9, "activation": "tanh", "T": 4, "H": 3, "seed": 0,
                                  "input_scale": 1.0},
    "fade_verdict": lambda: {"ratio": 0.5, "activation": "tanh"},
}

EXEMPT = {
    "build_vocabulary.pad": {"None": "None is documented: a vocabulary without a padding token"},
}
