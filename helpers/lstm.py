"""A numpy LSTM layer (Hochreiter & Schmidhuber, 1997, with the forget gate of Gers, Schmidhuber &
Cummins, 2000): forward pass, hand-written BPTT through both the hidden and the cell path, the cell
Jacobians ∂c_T/∂c_{T−k} and ∂h_T/∂h_{T−k} (k the gap), and a loss with an output layer.

Column-vector maths, time-major batched arrays, as in :mod:`helpers.rnn`: h_0 and c_0 are the
initial state, the inputs are x_1 … x_T, and array index t − 1 holds step t (x[0] holds x_1).

    a_t = W_x x_t + W_h h_{t-1} + b                     (4H,): the four gate pre-activations
    i_t = σ(a_t[i]),  f_t = σ(a_t[f]),  o_t = σ(a_t[o]),  g_t = tanh(a_t[g])
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t                      the cell: the constant error carousel
    h_t = o_t ⊙ tanh(c_t)

The gate weights are stacked in that order, one block of H rows each:
    W_x (4H, D), W_h (4H, H), b (4H,) with rows [0:H] = input gate i, [H:2H] = forget gate f,
    [2H:3H] = output gate o, [3H:4H] = candidate g.
So one step is ``a = x[t] @ W_x.T + h[t-1] @ W_h.T + b``.

Overflow, as in :mod:`helpers.rnn`: the forward pass saturates (gates in [0, 1], |h| < 1, |c_t| ≤
|c_0| + t), but the backward pass and the Jacobian products can outgrow float64 with large
weights; they then report inf, never NaN (the rule of ``_validate.overflow_as_inf``).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_float_array,
    cell_param,
    cell_weights,
    check_targets,
    choice,
    overflow_as_inf,
    readout,
    stacked_rows,
)
from .rnn import output_loss, readout_gradients

GATES = ("i", "f", "o", "g")
BIASES = ("b",)   # the bias vector of the stacked gates (4H,)


def gate_slice(name: str, H: int) -> slice:
    """Rows of W_x, W_h and b that belong to gate ``name`` ("i", "f", "o" or "g")."""
    return stacked_rows(name, H, GATES)


@dataclass(frozen=True)
class LSTMCache:
    """What the backward pass needs: x (T, B, D), h0 and c0 (B, H), the weights, the gate
    activations i, f, o, g (T, B, H) each, the cells c (T, B, H), tanh(c) and the states h."""

    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    W_x: np.ndarray
    W_h: np.ndarray
    i: np.ndarray
    f: np.ndarray
    o: np.ndarray
    g: np.ndarray
    c: np.ndarray
    tanh_c: np.ndarray
    h: np.ndarray

    @property
    def h_prev(self) -> np.ndarray:
        """(T, B, H): h[t-1] for every t, with h0 in front."""
        return np.concatenate([self.h0[None], self.h[:-1]], axis=0)

    @property
    def c_prev(self) -> np.ndarray:
        """(T, B, H): c[t-1] for every t, with c0 in front."""
        return np.concatenate([self.c0[None], self.c[:-1]], axis=0)


def lstm_forward(x, h0, c0, params: Mapping):
    """Run the LSTM over a batch of sequences.

    Parameters
    ----------
    x : (T, B, D) inputs, time-major
    h0, c0 : (B, H) initial hidden state and cell
    params : dict with W_x (4H, D), W_h (4H, H), b (4H,) (other keys are ignored)

    Returns
    -------
    h : (T, B, H) hidden states; c : (T, B, H) cells; cache : LSTMCache for :func:`lstm_backward`.
    Raises ValueError naming x and params if a gate pre-activation exceeds float64 (its sign, and
    so its gate, would be lost).
    """
    x, W_x, W_h, (b,) = cell_weights(params, x, BIASES, 4)
    T, B, D = x.shape
    H = W_h.shape[1]
    h0 = as_float_array("h0", h0, (B, H))
    c0 = as_float_array("c0", c0, (B, H))

    # σ(z) = (1 + tanh(z/2)) / 2, so all four gates are one tanh of scaled pre-activations:
    # gates = scale · tanh(scale · a) + add, with (scale, add) = (½, ½) for i, f, o and (1, 0) for g.
    scale = np.r_[np.full(3 * H, 0.5), np.ones(H)]
    add = np.r_[np.full(3 * H, 0.5), np.zeros(H)]
    # A pre-activation whose sum overflows float64 has lost its sign (a partial sum may overflow
    # while the whole does not), so its gate cannot be computed: refused, by name, below.
    with np.errstate(over="ignore", invalid="ignore"):
        a = ((x.reshape(T * B, D) @ W_x.T).reshape(T, B, 4 * H) + b) * scale     # input part, hoisted
        W_h_scaled = W_h.T * scale
        G = np.empty((T, B, 4 * H))                                  # i, f, o, g side by side
        c, tanh_c, h = (np.empty((T, B, H)) for _ in range(3))
        h_t, c_t = h0, c0
        for t in range(T):
            pre = a[t] + h_t @ W_h_scaled
            if not np.isfinite(pre).all():
                raise ValueError(f"x and params (W_x, W_h, b) give a gate pre-activation W_x x_t + W_h h_(t-1) + b "
                                 f"beyond float64 at step t = {t + 1}, so its sign and its gate cannot be computed; "
                                 "use smaller inputs x or weights")
            G[t] = np.tanh(pre) * scale + add
            c_t = c[t] = G[t, :, H:2 * H] * c_t + G[t, :, :H] * G[t, :, 3 * H:]
            tanh_c[t] = np.tanh(c_t)
            h_t = h[t] = G[t, :, 2 * H:3 * H] * tanh_c[t]
    i, f, o, g = (G[..., k * H:(k + 1) * H] for k in range(4))
    return h, c, LSTMCache(x, h0, c0, W_x, W_h, i, f, o, g, c, tanh_c, h)


def _check_cache(cache) -> LSTMCache:
    if not isinstance(cache, LSTMCache):
        raise ValueError(f"cache must be the LSTMCache returned by lstm_forward, got {type(cache).__name__}")
    return cache


def lstm_backward(dh, cache: LSTMCache, dc=None) -> dict:
    """Backpropagation through time for the LSTM, through the hidden and the cell paths.

    Going back from t = T to 1 (array index t − 1), with δh = ∂L/∂h_t and δc = ∂L/∂c_t (both summed
    over all paths):
        δh   = (from the output at t) dh_t + (from step t+1) W_hᵀ δa_{t+1}
        δo   = δh ⊙ tanh(c_t);   δc = (from step t+1) δc ⊙ f_{t+1} + dc_t + δh ⊙ o_t ⊙ (1 − tanh²c_t)
        δi   = δc ⊙ g_t,  δf = δc ⊙ c_{t-1},  δg = δc ⊙ i_t
        δa   = [δi ⊙ i(1−i), δf ⊙ f(1−f), δo ⊙ o(1−o), δg ⊙ (1−g²)]
    The cell path carries δc back multiplied only by f: with f ≈ 1 the error flows unchanged.

    Parameters
    ----------
    dh : (T, B, H), dh[t-1] = dh_t = ∂L/∂h_t through the output at step t only
    cache : from :func:`lstm_forward`
    dc : None or (T, B, H), dc[t-1] = dc_t = ∂L/∂c_t from outside the recurrence (for instance a loss on the
        final cell); None means zeros

    Returns
    -------
    dict with "x" (T, B, D), "h0" (B, H), "c0" (B, H), "W_x" (4H, D), "W_h" (4H, H), "b" (4H,); inf
    where a gradient overflowed (never NaN). dh and dc may hold inf (a gradient that overflowed)
    but not NaN: every helper reports an overflow as inf, so a NaN can only be a mistake.
    """
    cache = _check_cache(cache)
    T, B, H = cache.h.shape
    D = cache.x.shape[2]
    dh = as_float_array("dh", dh, (T, B, H), finite=False)
    dc = np.zeros((T, B, H)) if dc is None else as_float_array("dc", dc, (T, B, H), finite=False)
    i, f, o, g = cache.i, cache.f, cache.o, cache.g
    # Everything that does not depend on the backward recursion is computed for all t at once:
    # δc picks up δh ⊙ A_t; δa_t = [δc, δc, δh, δc] ⊙ P_t.
    A = o * (1.0 - cache.tanh_c ** 2)
    P = np.concatenate([g * i * (1.0 - i), cache.c_prev * f * (1.0 - f),
                        cache.tanh_c * o * (1.0 - o), i * (1.0 - g ** 2)], axis=2)
    da = np.empty((T, B, 4 * H))
    W_h = cache.W_h
    with np.errstate(over="ignore", invalid="ignore"):
        dh_next = np.zeros((B, H))
        dc_next = np.zeros((B, H))
        for t in range(T - 1, -1, -1):
            dh_t = dh[t] + dh_next
            dc_t = dc_next + dc[t] + dh_t * A[t]
            da[t] = np.concatenate([dc_t, dc_t, dh_t, dc_t], axis=1) * P[t]
            dh_next = da[t] @ W_h
            dc_next = dc_t * f[t]
        da2 = da.reshape(T * B, 4 * H)
        grads = {
            "x": da @ cache.W_x,
            "h0": dh_next,
            "c0": dc_next,
            "W_x": da2.T @ cache.x.reshape(T * B, D),
            "W_h": da2.T @ cache.h_prev.reshape(T * B, H),
            "b": da2.sum(axis=0),
        }
    for g in grads.values():                                # the overflow rule
        overflow_as_inf(g)
    return grads


def state_jacobians(cache: LSTMCache) -> np.ndarray:
    """(T, B, 2H, 2H): [t, b] = ∂(c_t, h_t)/∂(c_{t-1}, h_{t-1}), the full one-step Jacobian.

    Blocks (rows: c_t then h_t; columns: c_{t-1} then h_{t-1}):
        ∂c_t/∂c_{t-1} = diag(f_t)                       (the carousel: no weight matrix, no squashing)
        ∂c_t/∂h_{t-1} = diag(c_{t-1} f'_t) W_hf + diag(g_t i'_t) W_hi + diag(i_t g'_t) W_hg
        ∂h_t/∂c_{t-1} = diag(o_t tanh'(c_t)) ∂c_t/∂c_{t-1}
        ∂h_t/∂h_{t-1} = diag(tanh(c_t) o'_t) W_ho + diag(o_t tanh'(c_t)) ∂c_t/∂h_{t-1}
    where σ' = σ(1−σ) for i, f, o and tanh' = 1 − tanh² for g, and W_hi = W_h[i rows], etc.
    """
    cache = _check_cache(cache)
    T, B, H = cache.h.shape
    W = {k: cache.W_h[gate_slice(k, H)] for k in GATES}
    i, f, o, g = cache.i, cache.f, cache.o, cache.g
    c_prev = cache.c_prev
    dtanh_c = 1.0 - cache.tanh_c ** 2
    J = np.zeros((T, B, 2 * H, 2 * H))
    eye = np.eye(H)
    dc_dc = f[..., :, None] * eye
    dc_dh = ((c_prev * f * (1 - f))[..., :, None] * W["f"] + (g * i * (1 - i))[..., :, None] * W["i"]
             + (i * (1 - g ** 2))[..., :, None] * W["g"])
    scale = (o * dtanh_c)[..., :, None]
    J[..., :H, :H] = dc_dc
    J[..., :H, H:] = dc_dh
    J[..., H:, :H] = scale * dc_dc
    J[..., H:, H:] = (cache.tanh_c * o * (1 - o))[..., :, None] * W["o"] + scale * dc_dh
    return J


def _state_products(cache: LSTMCache, rows: slice, into) -> np.ndarray:
    """(T, B) spectral norms [k, b] of rows · J_T ⋯ J_{T−k+1} · into(s), s = T − k (0-based T − 1 − k),
    where rows picks c_T or h_T out of (c_T, h_T) and into(s) (B, 2H, H) says how the perturbed
    quantity at step s enters the state (c_s, h_s)."""
    J = state_jacobians(cache)
    T, B, H = cache.h.shape
    P = np.broadcast_to(np.eye(2 * H)[rows], (B, H, 2 * H)).copy()
    out = np.empty((T, B))
    with np.errstate(over="ignore", invalid="ignore"):     # a product may overflow: inf, by the rule
        for k in range(T):
            s = T - 1 - k
            if k:
                P = overflow_as_inf(P @ J[s + 1])
            M = overflow_as_inf(P @ into(s))
            overflowed = np.isinf(M).any(axis=(1, 2))
            out[k] = np.linalg.norm(np.where(overflowed[:, None, None], 0.0, M), ord=2, axis=(1, 2))
            out[k, overflowed] = np.inf
    return out


def cell_jacobian_norms(cache: LSTMCache) -> np.ndarray:
    """(T, B) spectral norms [k, b] = ‖∂c_T/∂c_{T−k}‖₂ for the gap k = 0 … T−1, so [0] = 1. (Array
    index t − 1 holds step t: [k] compares c[T-1] with c[T-1-k].)

    Total derivative: a change of c at step s = T − k also changes h_s = o_s ⊙ tanh(c_s) (the gate
    o_s is fixed by h_{s−1}), and both then flow forward through :func:`state_jacobians`:
        ∂c_T/∂c_s = [I 0] · J_T ⋯ J_{s+1} · [I ; diag(o_s tanh'(c_s))]
    It takes every path from c_s to c_T: the carousel alone (:func:`forget_products`) and the paths
    that leave the cell through h and come back through the gates.
    """
    cache = _check_cache(cache)
    H = cache.h.shape[2]
    eye = np.eye(H)

    def into(s):
        return np.concatenate([np.broadcast_to(eye, cache.o[s].shape + (H,)),
                               (cache.o[s] * (1 - cache.tanh_c[s] ** 2))[:, :, None] * eye], axis=1)
    return _state_products(cache, slice(0, H), into)


def hidden_jacobian_norms(cache: LSTMCache) -> np.ndarray:
    """(T, B) spectral norms [k, b] = ‖∂h_T/∂h_{T−k}‖₂ for the gap k = 0 … T−1, so [0] = 1: what a
    change of the hidden state h_s (s = T − k), the cell c_s held fixed, does to h_T, through
    every path. The quantity :func:`helpers.rnn.jacobian_norms` gives for the vanilla RNN, so the
    two models can be compared like with like:
        ∂h_T/∂h_s = [0 I] · J_T ⋯ J_{s+1} · [0 ; I]
    """
    cache = _check_cache(cache)
    B, H = cache.h.shape[1:]
    entry = np.broadcast_to(np.eye(2 * H)[:, H:], (B, 2 * H, H))
    return _state_products(cache, slice(H, 2 * H), lambda s: entry)


def forget_products(cache: LSTMCache) -> np.ndarray:
    """(T, B, H): [k] = f_T ⊙ f_{T−1} ⊙ … ⊙ f_{T−k+1} (ones at k = 0), the carousel alone:
    ∂⁺c_T/∂c_{T−k} along the cell path, holding the gates fixed (a diagonal matrix, stored as its
    diagonal). Array index t − 1 holds step t, so [k] multiplies f[T-1] … f[T-k]."""
    cache = _check_cache(cache)
    f = cache.f
    T = f.shape[0]
    out = np.ones_like(f)
    for k in range(1, T):
        out[k] = out[k - 1] * f[T - k]
    return out


def lstm_outputs(params: Mapping, x, h0=None, c0=None):
    """Outputs o[t] = W_hy h[t] + b_y. Returns o (T, B, K) (inf, never NaN, where an output
    overflowed), h (T, B, H) and the forward cache."""
    H = as_float_array("params['W_h']", cell_param(params, "W_h", BIASES, 4), ("4H", "H")).shape[1]
    W_hy, b_y = readout(params, H, BIASES, 4)
    x = as_float_array("x", x, ("T", "B", "D"))
    B = x.shape[1]
    h0 = np.zeros((B, H)) if h0 is None else h0
    c0 = np.zeros((B, H)) if c0 is None else c0
    h, _, cache = lstm_forward(x, h0, c0, params)
    with np.errstate(over="ignore", invalid="ignore"):
        o = h @ W_hy.T + b_y
    return overflow_as_inf(o), h, cache


def lstm_loss_and_grads(params: Mapping, x, y, loss: str = "mse", h0=None, c0=None):
    """Loss of the LSTM with an output layer, and its gradient for every parameter.

    Mirrors :func:`helpers.rnn.rnn_loss_and_grads`: o[t] = W_hy h[t] + b_y, loss = (1/B) Σ_b Σ_t ℓ_t
    with ℓ_t and the "no target" marks of :func:`helpers.rnn.output_loss` (mse: whole-NaN rows of y;
    softmax: label -1).

    Parameters
    ----------
    params : dict with W_x (4H, D), W_h (4H, H), b (4H,), W_hy (K, H), b_y (K,)
    x : (T, B, D); y : (T, B, K) floats for "mse", (T, B) ints for "softmax"
    h0, c0 : (B, H) or None for zeros

    Returns
    -------
    (loss, grads) with grads a dict W_x, W_h, b, W_hy, b_y shaped like the parameters; inf (never
    NaN) where a value overflowed.
    """
    choice("loss", loss, ("mse", "softmax"))
    o, h, cache = lstm_outputs(params, x, h0, c0)
    check_targets(cache.x, y, loss, o.shape[2])
    value, do = output_loss(o, y, loss)
    dh, readout = readout_gradients(do, h, params["W_hy"])
    back = lstm_backward(dh, cache)
    grads = {"W_x": back["W_x"], "W_h": back["W_h"], "b": back["b"], **readout}
    return float(value), grads
