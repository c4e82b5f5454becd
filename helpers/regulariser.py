"""Pascanu, Mikolov & Bengio's regulariser Ω (2013, eq. 9) for the course's tanh RNN (:mod:`helpers.rnn`).

With δ_t = ∂E/∂h_t the *total* error at step t (from every later step's loss, both paths into h_t)
and J_t = ∂h_t/∂h_{t−1} = diag(1 − h_t²) W_hh, one step back scales the error by

    r_k = ‖δ_{k+1} J_{k+1}‖ / ‖δ_{k+1}‖,        k = 1 … T−1 (δ a row vector),

the factor by which J_{k+1} stretches the error in the error's own direction. Ω asks every factor
to be 1, so that the error keeps its norm on the way back:

    Ω = Σ_k (r_k − 1)²     per sequence, averaged over the batch (as the loss, (1/B) Σ_b).

A term whose δ_{k+1} is exactly zero (no error to keep) is left out. The ratio does not change
when δ is scaled, so each δ_{k+1} is first scaled by a power of two near its largest entry (exact):
an error of 1e-300 gives the same r_k as one of 1.

Two gradients of Ω with respect to W_hh, both with the errors δ held constant (they are an
argument here, so the functions are plain functions of W_hh); ``through_states`` chooses:

- ``through_states=False``, the paper's: Pascanu et al. (2013, eq. 10) write it with ∂⁺, their
  immediate derivative, and their code (Theano, github.com/pascanur/trainingRNNs, RNN.py) takes
  the gradient of Ω on placeholders for the states and the errors and then puts the real ones in,
  so the states h_{k+1} are held too and only the explicit W_hh of each J_{k+1} is differentiated.
  It costs one matrix product a step and no backward pass beyond the one that gives δ.
- ``through_states=True``, the exact gradient of Ω with δ frozen: W_hh also moves the states h_{k+1}
  (1 − h_{k+1}² depends on W_hh through the forward pass); that second path is a BPTT of ∂Ω/∂h_t,
  done by :func:`helpers.rnn.rnn_backward` (one more backward pass).

As in the paper, only W_hh gets Ω's gradient in training (:func:`regularised_loss_and_grads`);
norm clipping stays the trainer's.

The sum runs over k = 1 … T−1, the steps inside the sequence. The authors' code also keeps a term
for the step out of h_0 (k = 0, δ_1 J_1 = ∂E/∂h_0). Here h_0 is given, not computed from any weight,
so the error that arrives there reaches no weight and has nothing to carry: we leave that term out,
so the ratios kept are exactly the T − 1 factors of ‖δ_1‖/‖δ_T‖ = ∏_k r_k when the only loss is at T
(lesson 06's check). Their code also differs from eq. 9 in two details we do not follow: it compares
squared norms, (‖δJ‖²/‖δ‖² − 1)², and divides the sum by the number of steps kept (a mean over
steps, not a sum).

Overflow: with huge weights the ratios, Ω and its gradient come out as inf, never NaN (the rule of
``_validate.overflow_as_inf``); a forward pass that cannot be computed raises ValueError.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._validate import as_float_array, check_targets, choice, flag, overflow_as_inf, real, row_norms
from .rnn import RNNCache, check_params, output_loss, rnn_backward, rnn_loss_and_grads, rnn_outputs


def _scaled_rows(errors: np.ndarray) -> np.ndarray:
    """Each row δ[t, b] (…, H) times 2⁻ᵉ with e from its largest |entry| (exact; a zero row stays zero)."""
    e = np.frexp(np.max(np.abs(errors), axis=-1, initial=0.0))[1]
    return np.ldexp(errors, -e[..., None])


def _forward(params: Mapping, x, errors, h0) -> tuple[dict, RNNCache, np.ndarray]:
    """(the checked parameters, the forward cache, the errors checked as (T, B, H) finite numbers)."""
    p = check_params(params)
    _, h, cache = rnn_outputs(p, x, h0, "tanh")
    errors = as_float_array("errors", errors, ("T", "B", "H"))
    if errors.shape != h.shape:
        raise ValueError(f"errors must have shape {h.shape}, one ∂E/∂h_t per state of x (shape {cache.x.shape}) "
                         f"and params (H = {h.shape[2]}), got shape {errors.shape}")
    return p, cache, errors


def _ratios(cache: RNNCache, errors: np.ndarray):
    """(r (T−1, B), kept (T−1, B) bool, δ̂ (T−1, B, H) scaled errors δ_{k+1}, v = δ̂ ⊙ (1 − h²_{k+1}),
    u = v W_hh (T−1, B, H)), for k = 1 … T−1 (array index k − 1). r is 0 where the term is left out."""
    h = cache.h[1:]                                       # h_{k+1} for k = 1 … T−1
    delta = _scaled_rows(errors[1:])                      # δ_{k+1}, largest |entry| in [0.5, 1)
    with np.errstate(over="ignore", invalid="ignore"):
        v = delta * (1.0 - h * h)                         # δ_{k+1} diag(1 − h²_{k+1})
        u = v @ cache.W_hh                                # δ_{k+1} J_{k+1}, one row per sequence
        norm_delta = row_norms(delta)
        kept = norm_delta > 0
        r = np.where(kept, row_norms(u) / np.where(kept, norm_delta, 1.0), 0.0)
    return overflow_as_inf(r), kept, delta, v, u


def norm_ratios(params: Mapping, x, errors, h0=None) -> np.ndarray:
    """The factors r_k = ‖δ_{k+1} J_{k+1}‖ / ‖δ_{k+1}‖ by which one step back scales the error.

    Parameters
    ----------
    params : the RNN's parameters (W_xh (H, D), W_hh (H, H), b_h (H,), W_hy (K, H), b_y (K,)); tanh
    x : (T, B, D) inputs (T = 1: no step back, no ratio, Ω = 0); h0 : (B, H) or None for zeros
    errors : (T, B, H), errors[t] = δ_t = ∂E/∂h_t in total (:func:`backprop_errors`), held fixed

    Returns
    -------
    (T − 1, B): [k − 1, b] = r_k of sequence b for k = 1 … T − 1; NaN where δ_{k+1} = 0 (no error,
    no ratio); inf where it overflowed.
    """
    _, cache, errors = _forward(params, x, errors, h0)
    r, kept, *_ = _ratios(cache, errors)
    return np.where(kept, r, np.nan)


def _omega_and_grad(cache: RNNCache, errors: np.ndarray, through_states: bool) -> tuple[float, np.ndarray]:
    """(Ω, ∂Ω/∂W_hh (H, H)) with the errors held fixed, and the states too unless ``through_states``;
    see the module's docstring."""
    r, kept, delta, v, u = _ratios(cache, errors)
    T, B, H = cache.h.shape
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        omega = float(np.sum(np.where(kept, (r - 1.0) ** 2, 0.0)) / B)
        # a = ∂Ω/∂u = (2/B)(r − 1) u / (‖u‖ ‖δ̂‖); 0 for a term left out and where u = 0 (‖u‖ has no slope there)
        norm_u = row_norms(u)
        live = kept & (norm_u > 0)
        scale = np.where(live, 2.0 * (r - 1.0) / (B * np.where(live, norm_u * row_norms(delta), 1.0)), 0.0)
        a = scale[..., None] * u
        explicit = v.reshape(-1, H).T @ a.reshape(-1, H)             # Σ_k,b v_k a_kᵀ: the W_hh inside J
        if not through_states:                                       # the paper's ∂⁺: the states held
            return (np.inf if np.isnan(omega) else omega), overflow_as_inf(explicit)
        dh = np.zeros((T, B, H))
        dh[1:] = (a @ cache.W_hh.T) * delta * (-2.0 * cache.h[1:])     # ∂Ω/∂h_{k+1}: through 1 − h²_{k+1}
        overflow_as_inf(dh)
    states_path = rnn_backward(dh, cache)["W_hh"]                     # …and on through every earlier state
    with np.errstate(over="ignore", invalid="ignore"):
        grad = explicit + states_path
    return (np.inf if np.isnan(omega) else omega), overflow_as_inf(grad)


def omega(params: Mapping, x, errors, h0=None) -> float:
    """Ω = (1/B) Σ_b Σ_k (r_k − 1)² (Pascanu, Mikolov & Bengio, 2013, eq. 9) with the errors given.

    params, x, errors, h0 : as in :func:`norm_ratios`. Terms with δ_{k+1} = 0 are left out.
    Returns Ω >= 0 (inf where it overflowed).
    """
    _, cache, errors = _forward(params, x, errors, h0)
    return _omega_and_grad(cache, errors, False)[0]


def omega_grad(params: Mapping, x, errors, h0=None, *, through_states: bool) -> dict:
    """∂Ω/∂W_hh with the errors δ held fixed.

    params, x, errors, h0 : as in :func:`norm_ratios`
    through_states : False for the paper's gradient (Pascanu et al., 2013, eq. 10, ∂⁺; the states
        h_{k+1} held too: only the W_hh inside each J_{k+1}); True for the exact gradient with δ
        frozen (also through the states, a BPTT of ∂Ω/∂h_t by :func:`helpers.rnn.rnn_backward`)

    Returns {"W_hh": (H, H)} (inf where it overflowed).
    """
    through_states = flag("through_states", through_states)
    _, cache, errors = _forward(params, x, errors, h0)
    return {"W_hh": _omega_and_grad(cache, errors, through_states)[1]}


def backprop_errors(params: Mapping, x, y, loss: str = "softmax", h0=None) -> np.ndarray:
    """δ_t = ∂E/∂h_t in total for every step (every later loss, both paths into h_t), for the loss of
    :func:`helpers.rnn.rnn_loss_and_grads` ((1/B) Σ_b Σ_t ℓ_t, tanh RNN).

    params, x, h0 : as in :func:`norm_ratios`; y, loss : as in :func:`helpers.rnn.rnn_loss_and_grads`
    Returns (T, B, H) (inf where it overflowed).
    """
    return _errors(params, x, y, loss, h0)[0]


def _errors(params: Mapping, x, y, loss: str, h0) -> tuple[np.ndarray, RNNCache]:
    """(δ (T, B, H) of :func:`backprop_errors`, the forward cache it came from)."""
    choice("loss", loss, ("mse", "softmax"))
    p = check_params(params)
    o, _, cache = rnn_outputs(p, x, h0, "tanh")
    check_targets(cache.x, y, loss, p["W_hy"].shape[0])
    do = output_loss(o, y, loss)[1]
    with np.errstate(over="ignore", invalid="ignore"):
        dh = overflow_as_inf(do @ p["W_hy"])                 # through the output at each step only
    return rnn_backward(dh, cache, state_grads=True)["h"], cache


def regularised_loss_and_grads(params: Mapping, x, y, loss: str = "softmax", omega_weight: float = 1.0,
                               h0=None, *, through_states: bool) -> tuple[float, dict]:
    """E + α Ω and the gradient to train with: ∇E for every parameter, and for W_hh
    ∂E/∂W_hh + α ∂Ω/∂W_hh with the errors δ (from :func:`backprop_errors`) held fixed.

    params, x, y, loss, h0 : as in :func:`helpers.rnn.rnn_loss_and_grads` (tanh RNN)
    omega_weight : α >= 0 (0 gives E and ∇E exactly)
    through_states : which ∂Ω/∂W_hh, as in :func:`omega_grad` (False: the paper's, states held)

    Returns
    -------
    (E + α Ω, grads) with grads having the keys of params; the ``loss_and_grads`` that
    :func:`helpers.optim.train_sgd` takes. inf (never NaN) where a value overflowed.
    """
    alpha = real("omega_weight", omega_weight, minimum=0.0)
    through_states = flag("through_states", through_states)
    value, grads = rnn_loss_and_grads(params, x, y, loss, h0, "tanh")
    if alpha == 0.0:
        return value, grads
    errors, cache = _errors(params, x, y, loss, h0)
    omega_value, d_omega = _omega_and_grad(cache, errors, through_states)
    with np.errstate(over="ignore", invalid="ignore"):
        total = value + alpha * omega_value
        grads["W_hh"] = overflow_as_inf(grads["W_hh"] + alpha * d_omega)
    return (np.inf if np.isnan(total) else float(total)), grads
