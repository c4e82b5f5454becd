"""The remedies of lesson 06 compared on one task: training a model on copy-the-first-symbol.

The task (:func:`helpers.tasks.copy_first_symbol`) puts the clue at step 0 and asks for it at
the last step, so a model learns it only if the gradient crosses all T steps. Every model is
trained the same way, so what differs between two runs is the model alone.
"""
from __future__ import annotations

import itertools
from collections.abc import Mapping

from . import lstm, rnn, tasks
from ._validate import choice, positive_int
from .optim import History, train_sgd

BATCH = 32            # sequences in each fresh training batch
TEST_SIZE = 500       # held-out sequences for the test accuracy
TEST_SEED = 99_999    # the held-out batch's seed (training batches use seeds below it)


def train_on_copy(params: Mapping, T: int, *, model: str = "rnn", activation: str = "tanh",
                  truncate: int | None = None, steps: int = 800, lr: float = 0.1,
                  seed: int = 0) -> tuple[History, float]:
    """SGD with norm clipping at 1 on fresh batches of copy-the-first-symbol, then the accuracy.

    Parameters
    ----------
    params : initial parameters, from :func:`helpers.init.rnn_params` (model="rnn") or
        :func:`helpers.init.lstm_params` (model="lstm")
    T : sequence length, integer >= 1
    model : "rnn" or "lstm"; activation and truncate apply to the RNN (as in
        :func:`helpers.rnn.rnn_loss_and_grads`)
    steps, lr : as in :func:`helpers.optim.train_sgd`; training batch i has seed 10000·seed + i
    seed : integer >= 0

    Returns
    -------
    (History of the training run, test accuracy on TEST_SIZE held-out sequences)
    """
    T = positive_int("T", T)
    model = choice("model", model, ("rnn", "lstm"))
    batch_seeds = itertools.count(10_000 * positive_int("seed", seed, minimum=0))

    def loss_and_grads(p):
        x, y = tasks.copy_first_symbol(T, BATCH, next(batch_seeds))
        if model == "lstm":
            return lstm.lstm_loss_and_grads(p, x, y, "softmax")
        return rnn.rnn_loss_and_grads(p, x, y, "softmax", activation=activation, truncate=truncate)

    hist = train_sgd(params, loss_and_grads, steps=steps, lr=lr, clip=1.0)
    x_test, y_test = tasks.copy_first_symbol(T, TEST_SIZE, seed=TEST_SEED)
    if model == "lstm":
        o = lstm.lstm_outputs(hist.params, x_test)[0]
    else:
        o = rnn.rnn_outputs(hist.params, x_test, activation=activation)[0]
    return hist, tasks.accuracy(o, y_test)
