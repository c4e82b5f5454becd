"""The exercises' automatic checks (helpers.exercises): lesson 03's backward-pass checks accept the
right answer and give a hint, without raising, for every typical wrong one. (Each lesson's checks
are replayed against typical mistakes in test_exercise_checks.py.)"""
import math

import numpy as np

from helpers import exercises as ex
from helpers.activations import get_activation
from helpers.bptt import wrong_immediate_only_gradient
from helpers.rnn import rnn_backward, rnn_forward


def test_activation_exercise_check(capsys):
    softplus = lambda z: np.logaddexp(0.0, z)
    ex.check_activation_backward("E1", softplus, get_activation("sigmoid").f)
    ex.check_activation_backward("E1", softplus, np.tanh)
    ex.check_activation_backward("E1", softplus, None)
    ex.check_activation_backward("E1", softplus, lambda z: 1.0)
    ex.check_activation_backward("E1", softplus, 0.5)               # a value, not a function
    ex.check_activation_backward("E1", softplus, lambda z: 1 / (1 + math.exp(-z)))   # right maths, scalar exp
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✓ E1: correct."
    assert out[1].startswith("✗ E1: not yet. Hint: the worst relative error is")
    assert out[2].startswith("✗ E1: not yet. Hint: replace None with a function.")
    assert out[3].startswith("✗ E1: not yet. Hint: df(z) must return")
    assert out[4].startswith("✗ E1: not yet. Hint: df must be a function of z (def or lambda), got float.")
    assert out[5].startswith("✗ E1: not yet. Hint: df failed on an array of z values (TypeError:")
    assert "use np.exp, not math.exp" in out[5]


def test_backward_pass_exercise_check(capsys):
    ex.check_backward_pass("E2", lambda dh, cache: rnn_backward(dh, cache))
    ex.check_backward_pass("E2", lambda dh, cache: wrong_immediate_only_gradient(dh, cache))
    ex.check_backward_pass("E2", None)
    ex.check_backward_pass("E2", lambda dh, cache: {"W_xh": 0})
    ex.check_backward_pass("E2", rnn_backward(np.zeros((1, 1, 1)), rnn_forward(np.zeros((1, 1, 1)), np.zeros((1, 1)),
                                                                               np.eye(1), np.eye(1), np.zeros(1))[1]))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✓ E2: correct."
    assert out[1].startswith("✗ E2: not yet. Hint: the worst relative error is")
    assert out[2].startswith("✗ E2: not yet. Hint: replace None with your function.")
    assert out[3].startswith("✗ E2: not yet. Hint: return a dict with W_xh of shape (4, 3).")
    assert out[4].startswith("✗ E2: not yet. Hint: backward must be a function of (dh, cache), got dict.")
    for line in out[1:]:                                      # each sentence starts with a capital
        assert ". Compare each line with the equations: which state multiplies δ_t" in line
