"""The exercises' answer keys (helpers.exercises): one call per check, the expected value never in
the lesson, hints instead of errors, and a record of every result. (Typical mistakes of every
exercise, and every correct form of an answer, are in test_exercise_checks.py.)"""
import math

import numpy as np
import pytest

from helpers import exercises as ex
from helpers.activations import get_activation
from helpers.bptt import wrong_immediate_only_gradient
from helpers.rnn import rnn_backward, rnn_forward


def _lines(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_every_lesson_has_keys_numbered_from_one():
    lessons: dict[str, list[int]] = {}
    for key in ex.KEYS:
        lesson, n = key.split(".")
        lessons.setdefault(lesson, []).append(int(n))
    assert sorted(lessons) == ["00", "01", "02", "03", "04", "05", "06", "07"]
    assert lessons.pop("00")[0] == 0                          # lesson 00's demonstration, "Demo"
    assert all(ns == list(range(1, len(ns) + 1)) for ns in lessons.values()), lessons


def test_a_check_prints_one_line_and_records_the_result(capsys):
    assert ex.check("02.2", 320 + 1024 + 32 + 160 + 5) is True
    assert ex.check("00.2", 43) is False
    assert ex.check("00.0", 4) is True
    assert _lines(capsys) == ["✓ Exercise 2: correct.",
                              "✗ Exercise 2: not yet. Hint: a whole number of multiplications, the first t with "
                              "0.9**t < 0.01: try 40, then adjust; or use logarithms.",
                              "✓ Demo: correct."]
    assert ex.results()["02.2"] is True and ex.results()["00.2"] is False
    ex.check("00.2", 44.0)                                     # the last answer counts
    assert ex.results()["00.2"] is True


def test_the_placeholder_and_answers_of_the_wrong_kind_get_hints_not_errors(capsys):
    for key in ex.KEYS:
        assert ex.check(key, None) is False
        assert ex.check(key, "a word") is False
        assert ex.check(key, [[1.0, 2.0], [3.0]]) is False     # ragged: not numbers
    out = _lines(capsys)
    assert len(out) == 3 * len(ex.KEYS)
    assert all(line.startswith(("✗ Exercise ", "✗ Demo")) and ": not yet. Hint: " in line for line in out)
    assert all("replace None with your answer;" in line for line in out[::3])


def test_no_message_shows_the_expected_value(capsys):
    for key, wrong in [("04.1", 0.9), ("06.3", 10), ("02.4", 61), ("01.2", 100)]:
        ex.check(key, wrong)
    out = " ".join(_lines(capsys))
    for right in ("0.558", "11", "62", "109"):
        assert right not in out


def test_an_unknown_exercise_is_refused_with_the_known_ids():
    with pytest.raises(ValueError, match=r"exercise must be one of '00\.0', '00\.1', .* got '4\.1'"):
        ex.check("4.1", 0.5)
    for wrong in (4.1, ["04.1"], None):                        # not a string: the same clear error
        with pytest.raises(ValueError, match="exercise must be one of"):
            ex.check(wrong, 0.5)


def test_the_softplus_derivative_is_checked_against_finite_differences(capsys):
    answers = [get_activation("sigmoid").f, np.tanh, lambda z: 1.0, 0.5, lambda z: 1 / (1 + math.exp(-z))]
    assert [ex.check("03.1", a) for a in answers] == [True, False, False, False, False]
    out = _lines(capsys)
    assert out[0] == "✓ Exercise 1: correct."
    assert out[1].startswith("✗ Exercise 1: not yet. Hint: the worst relative error is")
    assert out[2].startswith("✗ Exercise 1: not yet. Hint: dsoftplus(z) should have the shape of z, (5, 2, 4), got ()")
    assert out[3].startswith("✗ Exercise 1: not yet. Hint: dsoftplus must be a function of z (def or lambda), "
                             "got float")
    assert out[4].startswith("✗ Exercise 1: not yet. Hint: dsoftplus failed on an array of z values (TypeError:")
    assert "use np.exp, not math.exp" in out[4]


def _drops_the_first_step(dh, cache):
    """A backward pass that forgets the first step's term δ_1 h_0ᵀ: right whenever h_0 = 0."""
    dz, g = np.zeros_like(dh), np.zeros_like(dh[0])
    for t in range(dh.shape[0] - 1, -1, -1):
        dz[t] = (dh[t] + g) * cache.activation.df(cache.z[t])
        g = dz[t] @ cache.W_hh
    return {"W_hh": np.einsum("tbi,tbj->ij", dz[1:], cache.h_prev[1:]),
            "W_xh": np.einsum("tbi,tbj->ij", dz, cache.x), "b_h": dz.sum(axis=(0, 1))}


def test_the_backward_pass_check_needs_every_term(capsys):
    answers = [lambda dh, cache: rnn_backward(dh, cache), wrong_immediate_only_gradient, _drops_the_first_step,
               lambda dh, cache: {"W_xh": 0},
               rnn_backward(np.zeros((1, 1, 1)), rnn_forward(np.zeros((1, 1, 1)), np.zeros((1, 1)), np.eye(1),
                                                             np.eye(1), np.zeros(1))[1])]
    assert [ex.check("03.2", a) for a in answers] == [True, False, False, False, False]
    out = _lines(capsys)
    assert out[1].startswith("✗ Exercise 2: not yet. Hint: the worst relative error is")
    assert out[2].startswith("✗ Exercise 2: not yet. Hint: the worst relative error is")
    assert out[3].startswith("✗ Exercise 2: not yet. Hint: return a dict with W_xh of shape (4, 3);")
    assert out[4].startswith("✗ Exercise 2: not yet. Hint: backward must be a function of (dh, cache), got dict;")
    assert all("compare each line with the equations" in line for line in out[1:])


def test_close_turns_down_wrong_values_at_its_tolerances():
    pair, one = ex.close(lambda: [1.0, 2.0]), ex.close(lambda: 1.0)
    assert pair([1.0, 2.0]) is None and pair(np.array([1.0, 2.1])) == ""              # one entry off
    assert pair([1.0]) == "the answer should have shape (2,), got (1,);"
    assert one(1.0 + 5e-7) is None and one(1.0 + 2e-6) == ""                            # rtol 1e-6
    near = ex.close(lambda: 31, atol=3.0)
    assert near(33) is None and near(35) == ""
    assert near("31") is None                                                          # numbers as text count
    assert near("thirty") == "the answer should be numbers, got str;"


def test_whole_accepts_every_spelling_of_the_number_and_only_it():
    judge = ex.whole(lambda: 44)
    assert [judge(a) for a in (44, 44.0, np.int64(44), np.float32(44))] == [None] * 4
    assert judge(45) == "" and judge(43) == ""
    assert judge(43.7) == "the answer should be a whole number (a count of steps), got 43.7;"
    assert judge(True) == "the answer should be a whole number, got bool;"
    assert judge("44") == "the answer should be a whole number, got str;"
