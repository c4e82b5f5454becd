"""Every exercise check must turn down a typical wrong answer, not only accept the worked solution.

test_notebook_files.py shows that each check prints a hint for the unanswered exercise (None) and ✓
for the worked solution. Here each lesson's exercises are run once more from a clean kernel with every worked solution
changed into a mistake a learner is likely to make; each of those cells must then print ✗ with a
hint, and must not raise.
"""
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from helpers import exercises
from helpers.activations import get_activation
from helpers.data import load_stocks
from helpers.sequences import lag_autocorrelation, tokenize
from tests.exercise_mistakes import MISTAKES

ROOT = Path(__file__).resolve().parents[1]


def _solutions(nb) -> list:
    return [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]


def test_every_notebook_and_every_exercise_has_a_mistake():
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(MISTAKES) == notebooks
    for name in notebooks:
        solutions = _solutions(nbformat.read(ROOT / "notebooks" / name, as_version=4))
        assert [n for n, _, _ in MISTAKES[name]] == list(range(1, len(solutions) + 1)), name


# The exercises of these lessons work on the lesson's own numbers (its prices, its weights), so the
# replay runs their core path first; every other lesson's exercises need only the setup cell.
USE_THE_LESSON = {"01_sequence_data.ipynb", "02_rnn_forward.ipynb"}


def _replayed(nb, name: str):
    """The cells the replay runs: the setup cell (the first code cell) and the exercises, after the
    core path (every cell but checks and deeper sections, which define nothing the rest uses) for
    the lessons in USE_THE_LESSON."""
    start = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## Exercises"))
    if name in USE_THE_LESSON:
        before = [c for c in nb.cells[:start] if not {"check", "deeper"} & set(c.metadata.get("tags", []))]
    else:
        before = [next(c for c in nb.cells if c.cell_type == "code")]
    nb.cells = before + nb.cells[start:]
    return nb


@pytest.mark.slow                        # every lesson's exercises run again from a clean kernel
@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_every_check_turns_down_a_typical_mistake(name, monkeypatch):
    nb = _replayed(nbformat.read(ROOT / "notebooks" / name, as_version=4), name)
    solutions = _solutions(nb)
    for (n, right, wrong), cell in zip(MISTAKES[name], solutions, strict=True):
        assert right in cell.source, f"exercise {n}: the worked solution no longer contains {right!r}"
        cell.source = cell.source.replace(right, wrong)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")          # as make test runs the kernels
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    for (n, _, wrong), cell in zip(MISTAKES[name], solutions, strict=True):
        printed = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
        assert "✗" in printed and "Hint" in printed, f"exercise {n} accepted the mistake {wrong!r}: {printed[:300]!r}"


def _textbook_autocorrelation(r):
    r = r - r.mean()
    return np.sum(r[:-1] * r[1:]) / np.sum(r * r)


_RETURNS = np.diff(np.log(load_stocks("IBM")[1]))
_Y_MANY = exercises._loss_section()[1]

# More answers than one mistake per exercise: (exercise, answer, accepted?, why). The right answers
# in every form a careful learner may give, and the mistakes the reviews found slipping through.
ANSWERS = [
    ("00.4", "Fragment", True, "the case of a word is not the point"),
    ("00.4", " fragment ", True, "nor spaces around it"),
    ("01.1", lag_autocorrelation(_RETURNS), True, "the correlation of the pairs, as lag_autocorrelation"),
    ("01.1", _textbook_autocorrelation(_RETURNS), True, "the textbook autocorrelation the lesson shows too"),
    ("01.1", -0.125, True, "three decimals, as the worked solution prints"),
    ("01.1", -0.12, False, "two decimals are not enough"),
    ("01.1", lag_autocorrelation(np.diff(load_stocks("IBM")[1])), False, "price changes, not log-returns"),
    ("01.1", lag_autocorrelation(_RETURNS[1:]), False, "one return dropped"),
    ("01.3", np.eye(3, 4)[[2, 1, 0]].T, False, "transposed: one column per token"),
    ("02.3", _Y_MANY[::2], False, "three rows kept instead of five rows with NaN (a hint, not a ValueError)"),
    ("02.3", np.where(np.arange(5)[:, None, None] % 2 == 1, 0.0, _Y_MANY), False, "zeros instead of NaN"),
    ("04.1", 0.5583, True, "four decimals, as the worked solution prints"),
    ("04.1", 0.9367, False, "1/ρ instead of 1/λ₁"),
    ("06.1", (-2.9343, -5.0657), False, "the right pair in the wrong order gets its own hint"),
    ("06.1", (-5.0657, -2.9343), True, "four decimals, as the worked solution prints"),
    ("06.4", 0.36, True, "two decimals: Ω_k = 0.6² exactly"),
    ("06.4", 2.25, False, "(|w| − 1)²: tanh′ forgotten"),
    ("06.4", 0.6, False, "the ratio minus 1, not squared"),
    ("06.4", (0.3 * 1.6 - 1) ** 2, False, "δ kept in the ratio's numerator only"),
    ("07.1", 4.27, False, "two decimals keep 0.49945, outside the 0.1 % the question allows"),
    ("07.2", 0.7452, True, "four significant digits, as the question allows"),
    ("07.2", 0.2789, False, "the direct path z_t alone"),
    ("07.2", 0.7030, False, "the update gate's dependence on h_(t−1) forgotten"),
    ("07.3", [5504, 4224], True, "a list is as good as a tuple"),
    ("07.3", (4224, 5504), False, "(GRU, LSTM): the wrong order gets its own hint"),
    ("07.3", (5504 + 41 * 32 + 41, 4224 + 41 * 32 + 41), False, "an output layer counted, which it leaves out"),
]


@pytest.mark.parametrize(("exercise", "answer", "accepted", "why"), ANSWERS, ids=[a[0] + " " + a[3] for a in ANSWERS])
def test_every_correct_form_passes_and_every_found_mistake_fails(exercise, answer, accepted, why, capsys):
    assert exercises.check(exercise, answer) is accepted, why
    out = capsys.readouterr().out
    assert ("✓" in out) is accepted and ("Hint" in out) is not accepted


def test_the_order_mistake_gets_its_own_hint(capsys):
    exercises.check("06.1", (-2.9343, -5.0657))
    assert "the wrong order" in capsys.readouterr().out


def test_a_backward_pass_that_drops_the_first_step_fails():
    from tests.test_exercises import _drops_the_first_step
    assert exercises.check("03.2", _drops_the_first_step) is False


# --------------------------------------------------------------------------- NaN, inf, complex

def _my_backward(dh, cache):
    """Lesson 03's worked solution of exercise 2."""
    dz, g = np.zeros_like(dh), np.zeros_like(dh[0])
    for t in range(dh.shape[0] - 1, -1, -1):
        dz[t] = (dh[t] + g) * cache.activation.df(cache.z[t])
        g = dz[t] @ cache.W_hh
    return {"W_hh": np.einsum("tbi,tbj->ij", dz, cache.h_prev), "W_xh": np.einsum("tbi,tbj->ij", dz, cache.x),
            "b_h": dz.sum(axis=(0, 1))}


def _h_2():
    W_xh, W_hh, b_h, h_0, xs = exercises._small_example()          # lesson 02's numbers
    h_1 = np.tanh(W_xh @ xs[0] + W_hh @ h_0 + b_h)
    return np.tanh(W_xh @ xs[1] + W_hh @ h_1 + b_h)


def _y_gaps():
    y_gaps = _Y_MANY.copy()
    y_gaps[1::2] = np.nan                                           # rows 1 and 3 hold steps t = 2 and 4
    return y_gaps


def _truncated_gradient():
    w, u, xs, y = 0.9, 0.7, [1.0, -0.5, 0.8, 0.3], 0.2
    hs = [0.0]
    for x_t in xs:
        hs.append(np.tanh(w * hs[-1] + u * x_t))
    delta4 = (hs[4] - y) * (1 - hs[4] ** 2)
    delta3 = delta4 * w * (1 - hs[3] ** 2)
    return delta4 * hs[3] + delta3 * hs[2]


def _bistable_interval():
    s = (1 + np.sqrt(1 - 4 / 8.0)) / 2
    x_s = np.log(s / (1 - s))
    return (x_s - 8.0 * s, -x_s - 8.0 * (1 - s))


def _padding():
    lengths = [len(tokenize(s)) for s in ("The movie my friend has not seen is good",
                                          "The movie my friend has seen is not good", "The movie is good")]
    return sum(max(lengths) - n for n in lengths)


# A right answer to every exercise, as the worked solutions compute it (functions: built on demand).
# Where the key computes its answer with the same helpers (or the same expression), the right answer
# is a literal instead, computed once and checked against the lesson's printed output, so that a
# wrong key or a broken helper cannot pass by agreeing with itself.
RIGHT = {
    "00.0": lambda: 4,
    "00.1": lambda: np.zeros((6, 4, 2)),
    "00.2": lambda: 44,
    "00.3": lambda: 1000 ** (1 / 40),
    "00.4": lambda: "fragment",
    "01.1": lambda: -0.12486583183470551,       # lag-1 correlation of IBM's log-returns (lesson 01 prints -0.125)
    "01.2": lambda: 109,                        # 123 monthly prices − width 12 − horizon 3 + 1
    "01.3": lambda: np.eye(3, 4)[[2, 1, 0]],                        # man, bites, dog in the vocabulary's order
    "01.4": _padding,
    "02.1": _h_2,
    "02.2": lambda: 32 * 10 + 32 * 32 + 32 + 5 * 32 + 5,
    "02.3": _y_gaps,
    "02.4": lambda: int(np.ceil(np.log(1e-6) / np.log(0.8))),
    "03.1": lambda: get_activation("sigmoid").f,
    "03.2": lambda: _my_backward,
    "03.3": _truncated_gradient,
    "03.4": lambda: (4 * (1 + 2 + 3 + 4 + 5), sum(min(t, 4) + 1 for t in range(20))),
    "04.1": lambda: 0.5582852813267253,         # 1 / σ₁ of the seed-0 Gaussian W0 (np.linalg.svd; lesson 04: 0.5583)
    "04.2": lambda: 126,                        # first k with (γλ₁)^k < 1e-6, γλ₁ = 0.896 (lesson 04 prints 126)
    "04.3": lambda: 9,                          # argmax of ‖A^k‖₂ (np.linalg.matrix_power; lesson 04: k = 9)
    "05.1": lambda: 0.5 * 3 * (1 - (-1)) ** 2 / 12,
    "05.2": lambda: 1.486871192315124,          # w where the noise margin reaches 0.2 (lesson 05: 1.48687)
    "05.3": lambda: 33,                         # the decay fit's predicted step (lesson 05 prints k = 33)
    "06.1": _bistable_interval,
    "06.2": lambda: np.array([3.0, -4.0, 12.0]) * 6.5 / 13.0,
    "06.3": lambda: 11,
    "06.4": lambda: (2.5 * (1 - 0.6 ** 2) - 1) ** 2,          # one unit: the ratio is |w (1 − h²)| = 1.6
    "07.1": lambda: np.log(0.5 ** (1 / 50) / (1 - 0.5 ** (1 / 50))),
    "07.2": lambda: 0.745176174875612,          # ∂h_t/∂h_(t−1) of the one-unit GRU (by hand; lesson 07: 0.7452)
    "07.3": lambda: (4 * (32 * 10 + 32 * 32 + 32), 3 * (32 * 10 + 32 * 32 + 2 * 32)),   # 5504, 4224
}

POISONS = {"NaN": np.nan, "inf": np.inf, "complex numbers": 1j}


def _poisoned(answer, poison):
    """``answer`` with its first number made NaN or inf, or given an imaginary part (1j); a
    function answer returns its result poisoned; a word is replaced by the poison itself."""
    if callable(answer):
        return lambda *args: _poisoned(answer(*args), poison)
    if isinstance(answer, dict):
        first = next(iter(answer))
        return {**answer, first: _poisoned(answer[first], poison)}
    if isinstance(answer, tuple):
        return (_poisoned(answer[0], poison), *answer[1:])
    if isinstance(answer, str):
        return poison
    a = np.array(answer, dtype=complex if poison == 1j else float)
    a.flat[0] = a.flat[0] + poison if poison == 1j else poison
    return a if a.ndim else a[()]


def test_every_exercise_has_a_right_answer_here_and_it_passes(capsys):
    assert sorted(RIGHT) == sorted(exercises.KEYS)
    failed = [key for key, right in RIGHT.items() if not exercises.check(key, right())]
    assert not failed, capsys.readouterr().out


@pytest.mark.parametrize("what", POISONS)
@pytest.mark.parametrize("exercise", sorted(RIGHT))
def test_nan_inf_and_complex_answers_fail_with_a_hint_that_says_so(exercise, what, capsys):
    assert exercises.check(exercise, _poisoned(RIGHT[exercise](), POISONS[what])) is False
    out = capsys.readouterr().out
    assert out.startswith("✗") and f"contains {what}" in out.split("Hint:")[1], out


def test_the_reported_bugs_fail():
    """The reports: an all-NaN gradient passed the backward-pass check, a complex answer lost its
    imaginary part, and a NaN verdict printed ✓."""
    def nan_backward(dh, cache):
        return {k: np.full_like(v, np.nan) for k, v in _my_backward(dh, cache).items()}

    assert exercises.check("03.2", nan_backward) is False
    assert exercises.check("03.1", lambda z: np.full(np.shape(z), np.nan)) is False
    assert exercises.check("06.2", np.array([1.5, -2.0, 6.0]) + 0j) is False      # right real part, still complex
    assert exercises.check("00.3", float("nan")) is False
    assert exercises.check("00.2", [44, float("nan")]) is False


def test_nan_where_a_target_belongs_gets_its_own_hint(capsys):
    y_gaps = _y_gaps()
    y_gaps[0, 0, 0] = np.nan                                        # row 0 holds a target
    assert exercises.check("02.3", y_gaps) is False
    assert "NaN in only part of row 0" in capsys.readouterr().out
