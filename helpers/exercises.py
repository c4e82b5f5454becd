"""The exercises' automatic checks: ``check("04.1", answer)`` prints ✓ or a hint, and records the result.

Every exercise of every lesson has an answer key here, under its id ``"NN.k"`` (lesson NN, exercise
k). The key knows what the exercise's answer must be and which hint to give; a lesson's cell only
says ``check("04.1", answer_1)``, so the expected value is never one ``print`` away from the
learner. :func:`results` returns what every check said in this session, for a grader to read.

A key that needs the lesson's data (lesson 01's prices, lesson 02's small example, lesson 05's
untrained network) rebuilds it here with the lesson's own calls and seeds; the worked solution of
each exercise passes its check (``tests/test_notebook_files.py``), which keeps the two in step.
"""
from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from . import gru
from ._validate import choice, function, real
from .activations import Activation
from .cliff import bistable_interval
from .data import load_stocks
from .gradcheck import numerical_gradient, relative_error
from .init import clue_params, example_problem, gru_params, lstm_params, recurrent_matrix, rnn_params
from .linalg import largest_singular_value, matrix_power_norms
from .longterm import attractor, last_step_loss_and_grads
from .lstm import gate_slice, lstm_forward
from .optim import clip_by_global_norm
from .regulariser import omega
from .rnn import RECURRENT_PARAMS, output_loss, rnn_backward, rnn_forward, rnn_loss_and_grads, rnn_outputs
from .sequences import build_vocabulary, lag_autocorrelation, one_hot, perturbation_response, tokenize
from .tasks import clue_task, copy_first_symbol
from .truncation import scalar_rnn_gradient, window_mask
from .vanishing import gamma_lambda1, nonnormal_matrix

Judge = Callable[[Any], "str | None"]     # None when the answer is right, else a hint for this mistake


@dataclass(frozen=True)
class _Key:
    hint: str        # the general hint, printed after any hint the judge gives for the mistake
    judge: Judge
    nan_ok: bool = False     # NaN belongs in a right answer (02.3: the steps without a target)


_RESULTS: dict[str, bool] = {}


def check(exercise: str, answer: Any) -> bool:
    """Check the answer to exercise ``"NN.k"``: print ``✓ Exercise k: correct.`` or ``✗ … Hint: …``.

    ``None`` (the placeholder of every exercise cell), a wrong type or a wrong shape gets a hint,
    never an error; so does NaN, inf or a complex number anywhere in the answer (a number, an
    array, a dict or list of them, or what a function answer returns). The result is recorded for
    :func:`results`; returns whether the answer is right.
    """
    key = KEYS[choice("exercise", exercise, tuple(KEYS))]
    if answer is None:
        mistake = "replace None with your answer;"
    elif (bad := _not_real(answer, key.nan_ok)) is not None:
        mistake = f"your answer contains {bad};"
    else:
        try:
            mistake = key.judge(_guarded(answer, key.nan_ok) if callable(answer) else answer)
        except _NotReal as exc:
            mistake = f"your function's result contains {exc};"
        except (TypeError, ValueError, ArithmeticError) as exc:
            mistake = f"your answer could not be checked ({type(exc).__name__}: {exc});"
    ok = mistake is None
    _RESULTS[exercise] = ok
    n = exercise.split(".")[1]
    label = "Demo" if n == "0" else f"Exercise {n}"
    print(f"✓ {label}: correct." if ok else f"✗ {label}: not yet. Hint: {mistake + ' ' if mistake else ''}{key.hint}")
    return ok


def results() -> dict[str, bool]:
    """What every :func:`check` said in this session, by exercise id (the last answer counts)."""
    return dict(_RESULTS)


# --------------------------------------------------------------------------- judges

def _not_real(answer: Any, nan_ok: bool = False) -> str | None:
    """"complex numbers", "NaN" or "inf" if ``answer`` (a number, an array, or a dict, list or
    tuple of them, at any depth) holds any (NaN is let through when ``nan_ok``); else None."""
    if isinstance(answer, Mapping):
        answer = list(answer.values())
    if isinstance(answer, (list, tuple)):
        return next((bad for a in answer if (bad := _not_real(a, nan_ok)) is not None), None)
    if not isinstance(answer, (numbers.Number, np.generic)) and not hasattr(answer, "__array__"):
        return None                                           # text, functions, records: for the judge
    a = np.asarray(answer)
    if a.dtype == object:
        return None if a.ndim == 0 else _not_real(a.ravel().tolist(), nan_ok)
    if a.dtype.kind == "c":
        return "complex numbers"
    if a.dtype.kind == "f" and not nan_ok and np.isnan(a).any():
        return "NaN"
    if a.dtype.kind == "f" and np.isinf(a).any():
        return "inf"
    return None


class _NotReal(Exception):
    """A function given as an answer returned NaN, inf or complex numbers (not a ValueError, which
    a judge may catch as the learner's mistake of another kind)."""


def _guarded(fn: Callable, nan_ok: bool) -> Callable:
    """``fn``, raising :class:`_NotReal` when what it returns holds NaN, inf or complex numbers."""
    def guarded(*args, **kwargs):
        out = fn(*args, **kwargs)
        if (bad := _not_real(out, nan_ok)) is not None:
            raise _NotReal(bad)
        return out
    return guarded


def _numbers(answer: Any, shape: tuple) -> np.ndarray | str:
    try:
        a = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return f"the answer should be numbers, got {type(answer).__name__};"
    if a.shape != shape:
        return f"the answer should have shape {shape}, got {a.shape};"
    return a


def close(expected: Callable[[], Any], *, rtol: float = 1e-6, atol: float = 0.0) -> Judge:
    """Right when the answer has the expected shape and values within rtol/atol of ``expected()``."""
    function("expected", expected, "lambda: 0.5")
    rtol, atol = real("rtol", rtol, minimum=0.0), real("atol", atol, minimum=0.0)

    def judge(answer):
        e = np.asarray(expected(), dtype=np.float64)
        a = _numbers(answer, e.shape)
        if isinstance(a, str):
            return a
        return None if np.allclose(a, e, rtol=rtol, atol=atol) else ""
    return judge


def whole(expected: Callable[[], int]) -> Judge:
    """Right when the answer is the whole number ``expected()`` (44, 44.0 and np.int64(44) all count)."""
    function("expected", expected, "lambda: 44")

    def judge(answer):
        if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.integer, np.floating)):
            return f"the answer should be a whole number, got {type(answer).__name__};"
        if not float(answer).is_integer():
            return f"the answer should be a whole number (a count of steps), got {answer};"
        return None if int(answer) == expected() else ""
    return judge


# --------------------------------------------------------------------------- lesson 00

def _zeros_6_4_2(x):
    if not isinstance(x, np.ndarray):
        return f"x should be a numpy array, got {type(x).__name__};"
    if x.shape != (6, 4, 2):
        return f"x has shape {x.shape};"
    return None if not x.any() else "every entry should be 0;"


def _grows_1000_in_40(w):
    a = _numbers(w, ())
    if isinstance(a, str):
        return a
    return None if a > 0 and abs(a ** 40 / 1000 - 1) < 0.02 else ""


def _fragment(answer):
    return None if str(answer).strip().lower() == "fragment" else ""


# --------------------------------------------------------------------------- lesson 01

@cache
def _ibm_log_returns() -> np.ndarray:
    return np.diff(np.log(load_stocks("IBM")[1]))


def _lag1_autocorrelation(answer):
    """Either lag-1 autocorrelation of lesson 01 counts, to three decimals: the correlation of the pairs
    (Pearson), or the textbook one, Σ (r_i − r̄)(r_{i+1} − r̄) / Σ (r_i − r̄)²."""
    a = _numbers(answer, ())
    if isinstance(a, str):
        return a
    r = _ibm_log_returns() - _ibm_log_returns().mean()
    textbook = np.sum(r[:-1] * r[1:]) / np.sum(r * r)
    right = (lag_autocorrelation(_ibm_log_returns()), textbook)
    return None if any(abs(a - e) <= 1e-3 for e in right) else ""             # three decimals are enough


def _man_bites_dog():
    small_vocab = build_vocabulary([tokenize(s) for s in ("dog bites man", "man bites dog", "dog sleeps")], pad=None)
    return one_hot(tokenize("man bites dog"), small_vocab)


def _one_hot_rows(answer):
    e = _man_bites_dog()
    a = _numbers(answer, e.shape)
    if isinstance(a, str):
        if np.shape(answer) == e.T.shape:
            return f"the answer has shape {np.shape(answer)}, (V, T): one row per token, so (T, V) = {e.shape};"
        return a
    return None if np.array_equal(a, e) else ""


def _padding_steps() -> int:
    lengths = [len(tokenize(s)) for s in ("The movie my friend has not seen is good",
                                           "The movie my friend has seen is not good", "The movie is good")]
    return sum(max(lengths) - n for n in lengths)


# --------------------------------------------------------------------------- lesson 02

def _small_example():
    """Lesson 02's example worked by hand: W_xh (3, 2), W_hh (3, 3), b_h (3,), h_0 (3,), x_1 … x_4."""
    W_xh = np.array([[0.5, -1.0], [0.2, 0.3], [-0.4, 0.1]])
    W_hh = np.array([[0.1, 0.4, 0.0], [-0.3, 0.2, 0.5], [0.0, -0.1, 0.3]])
    b_h, h_0 = np.array([0.1, 0.0, -0.2]), np.array([0.5, -0.5, 0.2])
    xs = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]])
    return W_xh, W_hh, b_h, h_0, xs


def _h_2():
    W_xh, W_hh, b_h, h_0, xs = _small_example()
    return rnn_forward(xs[:, None, :], h_0[None, :], W_xh, W_hh, b_h)[0][1, 0]


@cache
def _loss_section():
    """Lesson 02's loss section: outputs o (5, 2, 1) and targets y_many (5, 2, 1)."""
    rng = np.random.default_rng(3)
    T, B, D, H, K = 5, 2, 2, 3, 1
    params = {"W_xh": rng.standard_normal((H, D)), "W_hh": recurrent_matrix(H, 0.8, "orthogonal", seed=4),
              "b_h": np.zeros(H), "W_hy": rng.standard_normal((K, H)), "b_y": np.zeros(K)}
    x = rng.standard_normal((T, B, D))
    y_many = rng.standard_normal((T, B, K))
    return rnn_outputs(params, x)[0], y_many


def _targets_at_1_3_5(y_gaps):
    o, y_many = _loss_section()
    a = _numbers(y_gaps, y_many.shape)
    if isinstance(a, str):
        return (f"keep all {y_many.shape[0]} rows (one per step, shape {y_many.shape}) and write NaN into the "
                f"rows without a target; yours has shape {np.shape(y_gaps)};")
    gaps = np.isnan(a).reshape(len(a), -1)
    partial = np.flatnonzero(gaps.any(axis=1) & ~gaps.all(axis=1))
    if partial.size:
        return (f"your answer contains NaN in only part of row {partial[0]}: a step without a target is a whole "
                "row of NaN;")
    expected = sum(0.5 * np.sum((o[t] - y_many[t]) ** 2) for t in (0, 2, 4)) / o.shape[1]
    return None if np.isclose(output_loss(o, a)[0], expected, rtol=1e-9, atol=0) else ""


def _steps_below_1e_6() -> int:
    x_long = np.random.default_rng(8).standard_normal((100, 1, 1))
    W_hh = recurrent_matrix(4, 0.8, "orthogonal")
    dh = perturbation_response(x_long, np.ones((4, 1)), W_hh, np.zeros(4), np.ones(1), "linear")[:, 0]
    n = np.linalg.norm(dh, axis=1)
    return int(np.argmax(n / n[0] < 1e-6))


# --------------------------------------------------------------------------- lesson 03

def _softplus_derivative(dsoftplus):
    """BPTT through an RNN with φ = softplus and φ′ = the learner's function, against finite differences."""
    if not callable(dsoftplus):
        return f"dsoftplus must be a function of z (def or lambda), got {type(dsoftplus).__name__};"
    act = Activation("softplus", lambda z: np.logaddexp(0.0, z), dsoftplus, 1.0)     # γ = sup σ = 1
    params, x, y = example_problem(T=5, B=2, D=3, H=4, K=2, scale=1.2, seed=0)
    z = rnn_outputs(params, x, None, act)[2].z
    try:
        shape = np.shape(dsoftplus(z))
    except (TypeError, ValueError) as exc:                     # e.g. math.exp on an array
        return (f"dsoftplus failed on an array of z values ({type(exc).__name__}: {exc}); it receives a whole "
                "numpy array, so use np.exp, not math.exp;")
    if shape != z.shape:
        return f"dsoftplus(z) should have the shape of z, {z.shape}, got {shape};"
    grads = rnn_loss_and_grads(params, x, y, activation=act)[1]
    worst = max(relative_error(grads[name], numerical_gradient(
        lambda _: rnn_loss_and_grads(params, x, y, activation=act)[0], params[name])) for name in RECURRENT_PARAMS)
    return None if worst < 1e-7 else f"the worst relative error is {worst:.2g};"


def _backward_pass(backward):
    """The learner's ``backward(dh, cache)`` against central differences of L = Σ dh·h, from an
    initial state h_0 ≠ 0 (so the first step's term δ_1 h_0ᵀ counts)."""
    if not callable(backward):
        return f"backward must be a function of (dh, cache), got {type(backward).__name__};"
    params, x, _ = example_problem(T=5, B=2, D=3, H=4, K=2, scale=1.2, seed=1)
    rng = np.random.default_rng(101)
    h0 = 0.5 * rng.standard_normal((x.shape[1], params["W_hh"].shape[0]))
    G = rng.standard_normal((x.shape[0], *h0.shape))
    def L(_):
        return float(np.sum(G * rnn_forward(x, h0, params["W_xh"], params["W_hh"], params["b_h"])[0]))

    got = backward(G, rnn_forward(x, h0, params["W_xh"], params["W_hh"], params["b_h"])[1])
    worst = 0.0
    for name in RECURRENT_PARAMS:
        num = numerical_gradient(L, params[name])
        if not isinstance(got, Mapping) or np.shape(got.get(name)) != num.shape:
            return f"return a dict with {name} of shape {num.shape};"
        worst = max(worst, relative_error(got[name], num))
    return None if worst < 1e-7 else f"the worst relative error is {worst:.2g};"


def _truncated_scalar_gradient() -> float:
    xs, y = np.array([1.0, -0.5, 0.8, 0.3]), 0.2
    return scalar_rnn_gradient([0.9, 0.7], xs, [np.nan, np.nan, np.nan, y], truncate=1)[0]


# --------------------------------------------------------------------------- lesson 04

def _bound_steps() -> int:
    gl = gamma_lambda1(recurrent_matrix(32, 2.0, "gaussian", seed=0), "sigmoid")
    return int(np.floor(np.log(1e-6) / np.log(gl))) + 1


# --------------------------------------------------------------------------- lesson 05

def _attractor_appears() -> float:
    w_grid = np.linspace(1.0, 3.0, 200_001)                # the first w with an upper attractor of tanh(w h − 0.2)
    return float(w_grid[~np.isnan(attractor(w_grid, -0.2)[0])][0])


@cache
def _untrained_profile() -> np.ndarray:
    """Lesson 05's profile[k]: ‖∂L/∂x_{T−k}‖ / ‖∂L/∂x_T‖ of the untrained network on gap-40 sentences."""
    dx = last_step_loss_and_grads(clue_params(H=32, seed=0), *clue_task(gap=40, B=256, seed=7))[2]
    norms = np.linalg.norm(dx, axis=2).mean(axis=1)
    return norms[::-1] / norms[-1]


def _predicted_step(answer):
    a = _numbers(answer, ())
    if isinstance(a, str):
        return a
    measured = int(np.argmax(_untrained_profile() < 1e-6))
    return None if abs(a - measured) <= 3 else ""


# --------------------------------------------------------------------------- lesson 06

def _bistable(answer):
    e = np.asarray(bistable_interval(8.0))
    a = _numbers(answer, e.shape)
    if isinstance(a, str):
        return a
    if np.allclose(a, e, rtol=1e-4, atol=0):
        return None
    return "the two values are in the wrong order: (b_low, b_high) with b_low < b_high;" if np.allclose(
        a[::-1], e, rtol=1e-4, atol=0) else ""


def _clipped():
    clipped = clip_by_global_norm({"W": np.array([[3.0, -4.0]]), "b": np.array([12.0])}, 6.5)[0]
    return np.concatenate([clipped["W"].ravel(), clipped["b"]])


def _half_after_50(b_f):
    a = _numbers(b_f, ())
    if isinstance(a, str):
        return a
    p = {"W_x": np.zeros((4, 1)), "W_h": np.zeros((4, 1)), "b": np.zeros(4)}
    p["b"][gate_slice("f", 1)] = a
    kept = lstm_forward(np.zeros((50, 1, 1)), np.zeros((1, 1)), np.ones((1, 1)), p)[1][-1, 0, 0]
    return None if np.isclose(kept, 0.5, rtol=1e-3, atol=0) else f"with your b_f the cell keeps {kept:.4f};"


def _smallest_window() -> int:
    params, (x, y) = rnn_params(4, 32, 4, seed=0), copy_first_symbol(12, 32, seed=1)
    o, _, cache_ = rnn_outputs(params, x)
    dW_hy = output_loss(o, y, "softmax")[1] @ params["W_hy"]
    return min(k for k in range(12) if np.abs(rnn_backward(dW_hy, cache_, truncate=k)["x"][0]).max() > 0)


def _omega_one_unit() -> float:
    """Ω_k of one tanh unit with w = 2.5 whose state h_{k+1} is 0.6 (δ_{k+1} = −0.3): a run of two
    steps from h_0 = 0 with x_2 = atanh(0.6), so that h_2 = 0.6, and Ω = Ω_1 by helpers.regulariser."""
    p = {"W_xh": np.ones((1, 1)), "W_hh": np.array([[2.5]]), "b_h": np.zeros(1), "W_hy": np.ones((1, 1)),
         "b_y": np.zeros(1)}
    x = np.array([0.0, np.arctanh(0.6)]).reshape(2, 1, 1)
    return omega(p, x, np.array([1.0, -0.3]).reshape(2, 1, 1))


# --------------------------------------------------------------------------- lesson 07

def _gru_step_derivative() -> float:
    """∂h_t/∂h_(t−1) of exercise 07.2's one-unit GRU (x_t = 1 carries the input parts of the three gates)."""
    params = {"W_x": np.array([[0.2], [-0.4], [0.3]]), "W_h": np.array([[0.8], [-1.1], [1.5]]),
              "b_x": np.zeros(3), "b_h": np.array([0.0, 0.0, 0.1])}
    _, cache_ = gru.gru_forward(np.ones((1, 1, 1)), np.full((1, 1), 0.5), params)
    return float(gru.state_jacobians(cache_)[0, 0, 0, 0])


def _gru_derivative(answer):
    a = _numbers(answer, ())
    if isinstance(a, str):
        return a
    if np.isclose(a, _gru_step_derivative(), rtol=1e-3, atol=0):
        return None
    z = 1 / (1 + np.exp(0.4 + 1.1 * 0.5))                 # the update gate at these numbers
    if np.isclose(a, z, rtol=1e-3, atol=0):
        return "that is the direct path z_t alone; h_(t−1) also reaches h_t through z_t and through n_t;"
    return ""


def _parameter_counts(answer):
    a = _numbers(answer, (2,))
    if isinstance(a, str):
        return a
    if not np.all(a == np.round(a)):
        return f"the answer should be two whole numbers (counts), got {answer};"
    lstm_count, gru_count = (sum(v.size for k, v in params.items() if k not in ("W_hy", "b_y"))
                             for params in (lstm_params(10, 32, 1), gru_params(10, 32, 1)))
    if a[0] == lstm_count and a[1] == gru_count:
        return None
    if a[0] == gru_count and a[1] == lstm_count:
        return "the two numbers are in the wrong order: (LSTM, GRU);"
    if a[1] == 3 * 32 * (10 + 32 + 1):
        return "this course's GRU has two bias vectors, b_x and b_h (3H numbers each);"
    return ""


# --------------------------------------------------------------------------- the keys

KEYS: dict[str, _Key] = {
    "00.0": _Key("add the two numbers.", whole(lambda: 4)),          # lesson 00's demonstration of a check
    "00.1": _Key("an array of zeros: np.zeros takes the shape as a tuple (T, B, D).", _zeros_6_4_2),
    "00.2": _Key("a whole number of multiplications, the first t with 0.9**t < 0.01: try 40, then adjust; "
                 "or use logarithms.", whole(lambda: 44)),
    "00.3": _Key("take logarithms: 40 ln w = ln 1000 (w > 0; three decimals are enough).", _grows_1000_in_40),
    "00.4": _Key("it is one of 'slide', 'subslide', 'fragment', 'skip', 'notes'.", _fragment),
    "01.1": _Key("the log-returns are the differences of the log prices (np.diff, np.log); then the lag-1 "
                 "autocorrelation from above (three decimals are enough).", _lag1_autocorrelation),
    "01.2": _Key("the last window must leave room for a target 3 steps after it: M = N − width − horizon + 1.",
                 whole(lambda: load_stocks("IBM")[1].size - 12 - 3 + 1)),
    "01.3": _Key("one_hot of the token list, with small_vocab: one row per token.", _one_hot_rows),
    "01.4": _Key("each sentence is padded up to the longest one: add up the shortfalls.", whole(_padding_steps)),
    "02.1": _Key("h_1 = tanh(W_xh @ xs[0] + W_hh @ h_0 + b_h), then the same with xs[1] and h_1 "
                 "(xs[0] holds x_1).", close(_h_2)),
    "02.2": _Key("H·D + H·H + H + K·H + K; the length does not enter (weight sharing).",
                 whole(lambda: 32 * 10 + 32 * 32 + 32 + 5 * 32 + 5)),
    "02.3": _Key("start from a copy of y_many; a step without a target is a whole row of NaN, and row t − 1 "
                 "holds step t.", _targets_at_1_3_5, nan_ok=True),
    "02.4": _Key("solve 0.8**n < 1e-6 for the smallest whole n (logarithms).", whole(_steps_below_1e_6)),
    "03.1": _Key("dsoftplus(z) must return softplus′(z) element by element, the same shape as z; differentiate "
                 "softplus by hand and test dsoftplus against (softplus(z+1e-6) - softplus(z-1e-6)) / 2e-6.",
                 _softplus_derivative),
    "03.2": _Key("compare each line with the equations: which state multiplies δ_t in ∂L/∂W_hh (at t = 1 too), "
                 "and which matrix carries ∂L/∂z_t back to h_{t−1}?", _backward_pass),
    "03.3": _Key("keep one term δ_s h_{s−1} for each step s the window reaches (s = 4, 3), and get δ_3 from δ_4 by "
                 "one step back through w and tanh′(z_3).", close(_truncated_scalar_gradient, rtol=1e-3)),
    "03.4": _Key("for each t, count the steps s that the window keeps, then add up over t (the picture in "
                 "Truncated BPTT shows the pattern for T = 12).",
                 close(lambda: (window_mask(20, chunk=5).sum(), window_mask(20, truncate=4).sum()))),
    "04.1": _Key("γ = 1 for tanh and λ₁ grows in proportion to the scale, so scale · λ₁(W0) = 1 "
                 "(largest_singular_value); four decimals are enough.",
                 close(lambda: 1.0 / largest_singular_value(recurrent_matrix(32, 1.0, "gaussian", seed=0)),
                       rtol=1e-3)),
    "04.2": _Key("solve (γλ₁)^k < 1e-6 for k: k > ln(1e-6) / ln(γλ₁), then take the next integer (γ = 1/4).",
                 whole(_bound_steps)),
    "04.3": _Key("compute ‖A^k‖ for k = 0 … 100 (matrix_power_norms) and take the argmax; the corner "
                 "c·k·ρ^(k−1) suggests k ≈ 1/ln(1/ρ).",
                 whole(lambda: int(np.argmax(matrix_power_norms(nonnormal_matrix(0.9, 5.0), 100))))),
    "05.1": _Key("the best constant is E S, its loss ½ Var S, and the variances of independent numbers add.",
                 close(lambda: 0.5, rtol=1e-3)),
    "05.2": _Key("solve longterm.noise_margin(w) = 0.2 for w: bisect between w = 1 (margin 0) and w = 3 "
                 "(margin > 0.2).", close(_attractor_appears, rtol=1e-4)),
    "05.3": _Key("fit r, c on k = 0 … 9, then solve c·r^k = 1e-6 for k: k = log(1e-6 / c) / log(r), rounded up.",
                 _predicted_step),
    "06.1": _Key("σ(x) = (1 ± √(1 − 4/w))/2 gives x = log(σ/(1 − σ)); then b = x − wσ(x) for each root.", _bistable),
    "06.2": _Key("the global norm is √(3² + 4² + 12²); multiply every entry by c / norm.", close(_clipped)),
    "06.3": _Key("the gradient enters at h_12 and may travel k steps back, reaching h_(12−k); x_1 feeds h_1.",
                 whole(_smallest_window)),
    "06.4": _Key("with one unit, δ_(k+1) J_(k+1) = δ_(k+1) · w (1 − h_(k+1)²), so the ratio is |w (1 − h²)| whatever "
                 "δ is; tanh′ at the net input is 1 − h² of the state itself; then Ω_k = (ratio − 1)² (three "
                 "decimals are enough).", close(_omega_one_unit, rtol=1e-3)),
    "07.1": _Key("σ(b_f)⁵⁰ = 1/2, so σ(b_f) = 2^(−1/50); invert σ with log(s / (1 − s)).", _half_after_50),
    "07.2": _Key("add the three terms of ∂h_t/∂h_(t−1): z_t, (h_(t−1) − n_t) z_t(1 − z_t) W_hz, and "
                 "(1 − z_t)(1 − n_t²)(r_t W_hn + (W_hn h_(t−1) + b_hn) r_t(1 − r_t) W_hr); four significant digits "
                 "are enough.", _gru_derivative),
    "07.3": _Key("each gate has H·D input weights, H·H recurrent weights and its biases: four gates and one bias "
                 "vector for the LSTM, three gates and two bias vectors for the GRU.", _parameter_counts),
}

