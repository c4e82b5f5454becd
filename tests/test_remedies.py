"""The remedies trained side by side (helpers.remedies.train_on_copy), small and fast: T = 5, five
steps. What it returns is checked against a forward pass written here with helpers.rnn and
helpers.lstm on the batches it documents."""
import numpy as np
import pytest

from helpers import lstm, remedies, rnn, tasks
from helpers.init import lstm_params, rnn_params
from helpers.optim import History

T, STEPS = 5, 5


def _rnn_start(seed=0):
    return rnn_params(4, 8, 4, scale=1.0, seed=seed)          # copy-first-symbol: 4 symbols in, 4 classes out


def test_train_on_copy_returns_a_history_and_an_accuracy():
    hist, acc = remedies.train_on_copy(_rnn_start(), T, steps=STEPS, lr=0.1, seed=0)
    assert isinstance(hist, History) and hist.status == "finished"
    assert hist.loss.shape == hist.grad_norm.shape == hist.clipped.shape == (STEPS,)
    assert isinstance(acc, float) and 0.0 <= acc <= 1.0
    assert set(hist.params) == {"W_xh", "W_hh", "b_h", "W_hy", "b_y"}


def test_the_first_loss_is_that_of_the_first_documented_batch():
    """Training batch i has seed 10000·seed + i; the first loss is the start's loss on batch 0."""
    start = _rnn_start()
    hist, _ = remedies.train_on_copy(start, T, steps=STEPS, seed=3)
    x, y = tasks.copy_first_symbol(T, remedies.BATCH, 30_000)
    o, _, _ = rnn.rnn_outputs(start, x)
    logits = o[-1]                                            # the only step with a target
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    assert hist.loss[0] == pytest.approx(-log_p[np.arange(remedies.BATCH), y[-1]].mean(), rel=1e-12)
    assert np.all(hist.grad_norm > 0)
    np.testing.assert_array_equal(hist.clipped, hist.grad_norm > 1.0)          # clipped at norm 1


def test_the_accuracy_is_that_of_the_trained_parameters_on_held_out_sequences():
    hist, acc = remedies.train_on_copy(_rnn_start(), T, steps=STEPS, seed=0)
    x, y = tasks.copy_first_symbol(T, remedies.TEST_SIZE, remedies.TEST_SEED)
    o, _, _ = rnn.rnn_outputs(hist.params, x)
    assert acc == np.mean(o[-1].argmax(axis=1) == y[-1])


def test_the_same_seed_gives_identical_results_and_another_seed_does_not():
    start = _rnn_start()
    (h1, a1), (h2, a2) = (remedies.train_on_copy(start, T, steps=STEPS, seed=1) for _ in range(2))
    np.testing.assert_array_equal(h1.loss, h2.loss)
    for k in h1.params:
        np.testing.assert_array_equal(h1.params[k], h2.params[k])
    assert a1 == a2
    h3, _ = remedies.train_on_copy(start, T, steps=STEPS, seed=2)
    assert not np.array_equal(h1.loss, h3.loss)
    np.testing.assert_array_equal(start["W_hh"], _rnn_start()["W_hh"])        # the start is not changed


def test_activation_and_truncate_reach_the_rnn():
    start = _rnn_start()
    tanh, _ = remedies.train_on_copy(start, T, steps=STEPS, seed=0)
    relu, _ = remedies.train_on_copy(start, T, steps=STEPS, seed=0, activation="relu")
    cut, _ = remedies.train_on_copy(start, T, steps=STEPS, seed=0, truncate=0)
    assert tanh.loss[0] != relu.loss[0]                       # another forward pass
    assert cut.loss[0] == tanh.loss[0] and not np.array_equal(cut.grad_norm, tanh.grad_norm)   # only the gradient


def test_lstm_trains_from_init_lstm_params():
    start = lstm_params(4, 6, 4, seed=0)
    hist, acc = remedies.train_on_copy(start, T, model="lstm", steps=STEPS, seed=0)
    assert hist.status == "finished" and hist.loss.shape == (STEPS,) and 0.0 <= acc <= 1.0
    assert set(hist.params) == set(start)
    x, y = tasks.copy_first_symbol(T, remedies.BATCH, 0)
    assert hist.loss[0] == pytest.approx(lstm.lstm_loss_and_grads(start, x, y, "softmax")[0], rel=1e-12)
    again, acc_again = remedies.train_on_copy(start, T, model="lstm", steps=STEPS, seed=0)
    np.testing.assert_array_equal(hist.loss, again.loss)
    assert acc == acc_again


@pytest.mark.parametrize("kwargs, message", [
    ({"model": "gru"}, "model must be one of 'rnn', 'lstm'; got 'gru'"),
    ({"model": None}, "model must be one of 'rnn', 'lstm'; got None"),
    ({"T": 0}, "T must be an integer >= 1, got 0"),
    ({"seed": -1}, "seed must be an integer >= 0, got -1"),
    ({"steps": 0}, "steps must be an integer >= 1, got 0"),
])
def test_bad_input_raises_value_error_naming_the_argument(kwargs, message):
    args = {"T": T, "steps": STEPS} | kwargs
    with pytest.raises(ValueError) as info:
        remedies.train_on_copy(_rnn_start(), **args)
    assert message in str(info.value)
