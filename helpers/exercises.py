"""Automatic checks for the exercises: each prints ✓ or a hint, and returns whether it passed.

:func:`check_close` and :func:`check_true` serve every lesson; :func:`check_activation_backward`
and :func:`check_backward_pass` replay a learner's backward code from lesson 03 against
finite differences.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .activations import Activation
from .gradcheck import numerical_gradient, relative_error
from .init import example_problem
from .rnn import RECURRENT_PARAMS, rnn_forward, rnn_loss_and_grads, rnn_outputs


def _report(label: str, ok: bool, hint: str) -> bool:
    print(f"✓ {label}: correct." if ok else f"✗ {label}: not yet. Hint: {hint}")
    return ok


def check_close(label: str, answer: Any, expected: Any, hint: str, *, rtol: float = 1e-6,
                atol: float = 1e-9) -> bool:
    """Check that ``answer`` matches ``expected`` (same shape, values within rtol/atol).

    ``None`` (the placeholder left in exercise cells) and wrong shapes give the hint, not an error.
    """
    if answer is None:
        return _report(label, False, "replace None with your answer; " + hint)
    try:
        a = np.asarray(answer, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return _report(label, False, f"the answer should be numbers, got {type(answer).__name__}; " + hint)
    if a.shape != e.shape:
        return _report(label, False, f"the answer should have shape {e.shape}, got {a.shape}; " + hint)
    return _report(label, bool(np.allclose(a, e, rtol=rtol, atol=atol)), hint)


def check_true(label: str, ok: bool, hint: str) -> bool:
    """Report a condition the caller has already evaluated."""
    return _report(label, bool(ok), hint)


def check_activation_backward(label: str, f: Callable, df: Callable | None, seed: int = 0) -> None:
    """Exercise check: BPTT through an RNN with activation f and derivative df vs finite differences.

    Prints "✓ label: correct." when every parameter gradient agrees to a relative error below
    1e-7, else a hint (via :func:`helpers.exercises.check_true`).
    """
    hint = ("df(z) must return φ'(z) element by element, the same shape as z; "
            "differentiate f by hand and test df against (f(z+1e-6) - f(z-1e-6)) / 2e-6.")
    if df is None:
        check_true(label, False, "replace None with a function. " + hint)
        return
    if not (callable(f) and callable(df)):
        which = "f" if not callable(f) else "df"
        check_true(label, False, f"{which} must be a function of z (def or lambda), got "
                                 f"{type(f if which == 'f' else df).__name__}. " + hint)
        return
    act = Activation(label, f, df, float("nan"))
    params, x, y = example_problem(T=5, B=2, D=3, H=4, K=2, scale=1.2, seed=seed)
    _, _, cache = rnn_outputs(params, x, None, act)
    try:
        shape = np.shape(df(cache.z))
    except (TypeError, ValueError) as exc:                   # e.g. math.exp on an array
        check_true(label, False, f"df failed on an array of z values ({type(exc).__name__}: {exc}); it "
                                 "receives a whole numpy array, so use np.exp, not math.exp. " + hint)
        return
    if shape != cache.z.shape:
        check_true(label, False, hint)
        return
    _, grads = rnn_loss_and_grads(params, x, y, activation=act)
    worst = 0.0
    for name in RECURRENT_PARAMS:
        num = numerical_gradient(lambda _: rnn_loss_and_grads(params, x, y, activation=act)[0], params[name])
        worst = max(worst, relative_error(grads[name], num))
    check_true(label, worst < 1e-7, f"the worst relative error is {worst:.2g}. " + hint)


def check_backward_pass(label: str, backward: Callable | None, seed: int = 1) -> None:
    """Exercise check: ``backward(dh, cache)`` must return the true W_xh, W_hh and b_h gradients.

    The reference is central differences of L = Σ dh·h (so dh[t] = ∂L/∂h[t] through the output).
    Prints ✓ or a hint (via :func:`helpers.exercises.check_true`).
    """
    hint = ("Compare each line with the equations: which state multiplies δ_t in ∂L/∂W_hh, and "
            "which matrix carries ∂L/∂z_t back to h_{t-1}?")
    if backward is None:
        check_true(label, False, "replace None with your function. " + hint)
        return
    if not callable(backward):
        check_true(label, False, f"backward must be a function of (dh, cache), got "
                                 f"{type(backward).__name__}. " + hint)
        return
    params, x, _ = example_problem(T=5, B=2, D=3, H=4, K=2, scale=1.2, seed=seed)
    B, H = x.shape[1], params["W_hh"].shape[0]
    h0 = np.zeros((B, H))
    G = np.random.default_rng(seed + 100).normal(size=(x.shape[0], B, H))
    _, cache = rnn_forward(x, h0, params["W_xh"], params["W_hh"], params["b_h"])
    got = backward(G, cache)
    def L(_):
        return float(np.sum(G * rnn_forward(x, h0, params["W_xh"], params["W_hh"], params["b_h"])[0]))

    worst = 0.0
    for name in RECURRENT_PARAMS:
        num = numerical_gradient(L, params[name])
        if not isinstance(got, Mapping) or np.shape(got.get(name)) != num.shape:
            check_true(label, False, f"return a dict with {name} of shape {num.shape}. " + hint)
            return
        worst = max(worst, relative_error(got[name], num))
    check_true(label, worst < 1e-7, f"the worst relative error is {worst:.2g}. " + hint)
