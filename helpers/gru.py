"""A numpy GRU layer (the gated recurrent unit of Cho et al., 2014, in the form PyTorch's ``nn.GRU``
and NVIDIA cuDNN compute it): forward pass, hand-written BPTT, the one-step Jacobians ∂h_t/∂h_{t−1},
‖∂h_T/∂h_{T−k}‖ (k the gap), the direct path through the update gate, and a loss with an output layer.

Column-vector maths, time-major batched arrays, as in :mod:`helpers.rnn` and :mod:`helpers.lstm`:
h_0 is the initial state, the inputs are x_1 … x_T, and array index t − 1 holds step t (x[0] holds x_1).

    r_t = σ(W_xr x_t + b_xr + W_hr h_{t-1} + b_hr)              the reset gate
    z_t = σ(W_xz x_t + b_xz + W_hz h_{t-1} + b_hz)              the update gate
    n_t = tanh(W_xn x_t + b_xn + r_t ⊙ (W_hn h_{t-1} + b_hn))    the candidate state
    h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}

The weights are stacked one block of H rows a gate, in the order r, z, n (PyTorch's and cuDNN's):
    W_x (3H, D), W_h (3H, H), b_x (3H,), b_h (3H,) with rows [0:H] = r, [H:2H] = z, [2H:3H] = n.
So the input part of one step is ``x[t] @ W_x.T + b_x`` and the recurrent part ``h[t-1] @ W_h.T + b_h``.
There are two biases because the reset gate multiplies the recurrent part of n together with its
bias b_hn (b_hn sits inside r ⊙ (…), b_xn outside); for r and z only the sums b_xr + b_hr and
b_xz + b_hz matter.

The variant of Cho et al. (2014) in the published paper (arXiv:1406.1078v3) resets the state before
the product instead, n_t = tanh(W_xn x_t + W_hn (r_t ⊙ h_{t-1}) + b_n); applying r_t after the product,
as the paper's first arXiv version did, lets the three recurrent products of a step be one matrix
product W_h h_{t-1}. cuDNN, PyTorch and Keras (with ``reset_after=True``) compute that form, and so
does this course, so every number here can be held against a framework's GRU (PyTorch's
``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0`` are W_x, W_h, b_x, b_h). Some texts
(Chung et al., 2014) swap the roles of z_t and 1 − z_t; here z_t ≈ 1 keeps the state.

Overflow, as in :mod:`helpers.lstm`: the forward pass saturates (gates in [0, 1], n in [−1, 1], and
h_t a convex mix of n_t and h_{t−1}, so |h_t| ≤ max(1, max|h_0|)), but the backward pass and the
Jacobians can outgrow float64 with large weights; they then report inf, never NaN (the rule of
``_validate.overflow_as_inf``).
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
from .rnn import output_loss, product_norms, readout_gradients

GATES = ("r", "z", "n")
BIASES = ("b_x", "b_h")   # the two bias vectors (3H,): b_x beside W_x, b_h beside W_h (b_hn inside r ⊙ (…))


def gate_slice(name: str, H: int) -> slice:
    """Rows of W_x, W_h, b_x and b_h that belong to gate ``name`` ("r", "z" or "n")."""
    return stacked_rows(name, H, GATES)


@dataclass(frozen=True)
class GRUCache:
    """What the backward pass needs: x (T, B, D), h0 (B, H), the weights W_x (3H, D) and W_h (3H, H),
    the gates r, z and the candidate n (T, B, H) each, hn (T, B, H) = W_hn h_{t-1} + b_hn (the part
    the reset gate scales) and the states h (T, B, H)."""

    x: np.ndarray
    h0: np.ndarray
    W_x: np.ndarray
    W_h: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    hn: np.ndarray
    h: np.ndarray

    @property
    def h_prev(self) -> np.ndarray:
        """(T, B, H): h[t-1] for every t, with h0 in front."""
        return np.concatenate([self.h0[None], self.h[:-1]], axis=0)


def gru_forward(x, h0, params: Mapping):
    """Run the GRU over a batch of sequences.

    Parameters
    ----------
    x : (T, B, D) inputs, time-major
    h0 : (B, H) initial state
    params : dict with W_x (3H, D), W_h (3H, H), b_x (3H,), b_h (3H,), rows r, z, n (other keys
        are ignored)

    Returns
    -------
    h : (T, B, H) hidden states; cache : GRUCache for :func:`gru_backward`.
    Raises ValueError naming x, h0 and params if a gate pre-activation exceeds float64 (its sign,
    and so its gate, would be lost).
    """
    x, W_x, W_h, (b_x, b_h) = cell_weights(params, x, BIASES, 3)
    T, B, D = x.shape
    H = W_h.shape[1]
    h0 = as_float_array("h0", h0, (B, H))

    # σ(a) = (1 + tanh(a/2)) / 2, so the r and z columns of both parts are halved once here and
    # each step takes one tanh for both gates: [r, z] = ½ tanh(½ a_rz) + ½.
    half = np.r_[np.full(2 * H, 0.5), np.ones(H)]
    W_h_half, b_h_half = W_h.T * half, b_h * half
    rz = np.empty((T, B, 2 * H))
    n, hn, h = (np.empty((T, B, H)) for _ in range(3))
    r, z = rz[..., :H], rz[..., H:]
    # A pre-activation whose sum overflows float64 has lost its sign (a partial sum may overflow
    # while the whole does not), so its gate cannot be computed: refused, by name, below. An
    # overflow in W_hn h + b_hn shows in a_n too (r ⊙ inf is inf or NaN).
    with np.errstate(over="ignore", invalid="ignore"):
        ax = ((x.reshape(T * B, D) @ W_x.T).reshape(T, B, 3 * H) + b_x) * half      # input part, hoisted
        h_t = h0
        for t in range(T):
            ah = h_t @ W_h_half + b_h_half                                  # recurrent part
            a_rz = ax[t, :, :2 * H] + ah[:, :2 * H]                         # ½ the pre-activations of r, z
            finite = np.isfinite(a_rz).all()
            if finite:
                rz[t] = 0.5 * np.tanh(a_rz) + 0.5
                hn[t] = ah[:, 2 * H:]                                       # W_hn h_(t-1) + b_hn
                a_n = ax[t, :, 2 * H:] + r[t] * hn[t]
                finite = np.isfinite(a_n).all()
            if not finite:
                raise ValueError(f"x, h0 and params (W_x, W_h, b_x, b_h) give a gate pre-activation beyond float64 "
                                 f"at step t = {t + 1} (W_x x_t + b_x or W_h h_(t-1) + b_h, or their sum), so "
                                 "its sign and its gate cannot be computed; use smaller inputs x, h0 or weights")
            n[t] = np.tanh(a_n)
            h_t = h[t] = (1.0 - z[t]) * n[t] + z[t] * h_t
    return h, GRUCache(x, h0, W_x, W_h, r.copy(), z.copy(), n, hn, h)


def _check_cache(cache) -> GRUCache:
    if not isinstance(cache, GRUCache):
        raise ValueError(f"cache must be the GRUCache returned by gru_forward, got {type(cache).__name__}")
    return cache


def gru_backward(dh, cache: GRUCache) -> dict:
    """Backpropagation through time for the GRU.

    Going back from t = T to 1 (array index t − 1), with δh = ∂L/∂h_t summed over all paths, and
    a_r, a_z, a_n the pre-activations of r_t, z_t, n_t (hn_t = W_hn h_{t-1} + b_hn):
        δh   = (from the output at t) dh_t + (from step t+1) what the last line sends back
        δn   = δh ⊙ (1 − z_t);         δz = δh ⊙ (h_{t-1} − n_t)
        δa_n = δn ⊙ (1 − n_t²);        δa_z = δz ⊙ z_t(1 − z_t)
        δr   = δa_n ⊙ hn_t;            δa_r = δr ⊙ r_t(1 − r_t);   δhn = δa_n ⊙ r_t
    The input side sees [δa_r, δa_z, δa_n] (for W_x, b_x and x), the recurrent side sees
    [δa_r, δa_z, δhn] (for W_h and b_h), and what flows to h_{t-1} is
        δh_{t-1} (from step t) = z_t ⊙ δh + W_hrᵀ δa_r + W_hzᵀ δa_z + W_hnᵀ δhn
    the direct path z_t ⊙ δh (no weight matrix, no squashing: GRU's analogue of the LSTM's carousel)
    beside the three paths through W_h.

    Parameters
    ----------
    dh : (T, B, H), dh[t-1] = dh_t = ∂L/∂h_t through the output at step t only
    cache : from :func:`gru_forward`

    Returns
    -------
    dict with "x" (T, B, D), "h0" (B, H), "W_x" (3H, D), "W_h" (3H, H), "b_x" (3H,), "b_h" (3H,); inf
    where a gradient overflowed (never NaN). dh may hold inf (a gradient that overflowed) but not
    NaN: every helper reports an overflow as inf, so a NaN can only be a mistake.
    """
    cache = _check_cache(cache)
    T, B, H = cache.h.shape
    D = cache.x.shape[2]
    dh = as_float_array("dh", dh, (T, B, H), finite=False)
    r, z, n = cache.r, cache.z, cache.n
    h_prev = cache.h_prev
    # Everything that does not depend on the backward recursion is computed for all t at once:
    # the input side's [δa_r, δa_z, δa_n] is δh (three times) ⊙ P_x.
    dh_da_n = (1.0 - z) * (1.0 - n ** 2)                     # ∂h_t/∂a_n, elementwise
    with np.errstate(over="ignore", invalid="ignore"):
        P_x = np.concatenate([dh_da_n * cache.hn * r * (1.0 - r), (h_prev - n) * z * (1.0 - z), dh_da_n], axis=2)
        da_x = np.empty((T, B, 3 * H))
        da_h = np.empty((T, B, 3 * H))
        W_h = cache.W_h
        dh_next = np.zeros((B, H))
        for t in range(T - 1, -1, -1):
            dh_t = dh[t] + dh_next
            da_x[t] = np.tile(dh_t, 3) * P_x[t]
            da_h[t] = da_x[t]
            da_h[t, :, 2 * H:] *= r[t]                      # δhn = δa_n ⊙ r_t
            dh_next = z[t] * dh_t + da_h[t] @ W_h
        da_x2 = da_x.reshape(T * B, 3 * H)
        da_h2 = da_h.reshape(T * B, 3 * H)
        grads = {
            "x": da_x @ cache.W_x,
            "h0": dh_next,
            "W_x": da_x2.T @ cache.x.reshape(T * B, D),
            "W_h": da_h2.T @ h_prev.reshape(T * B, H),
            "b_x": da_x2.sum(axis=0),
            "b_h": da_h2.sum(axis=0),
        }
    for g in grads.values():                                # the overflow rule
        overflow_as_inf(g)
    return grads


def state_jacobians(cache: GRUCache) -> np.ndarray:
    """(T, B, H, H): [t, b] = ∂h_t/∂h_{t-1}, the one-step Jacobian (array index t − 1 holds step t;
    inf, not NaN, where an entry overflowed).

    With h = h_{t-1}, h' = h_t and the gates of step t, written out by blocks:
        ∂h'/∂h = diag(z)                                         the direct path
               + diag((h − n) ⊙ z(1−z)) W_hz                      through the update gate
               + diag((1−z) ⊙ (1−n²)) [diag(r) W_hn               through the candidate
                                       + diag((W_hn h + b_hn) ⊙ r(1−r)) W_hr]   and its reset gate
    where W_hr, W_hz, W_hn are the r, z, n rows of W_h (:func:`gate_slice`).
    """
    cache = _check_cache(cache)
    H = cache.h.shape[2]
    W = {k: cache.W_h[gate_slice(k, H)] for k in GATES}
    r, z, n = cache.r, cache.z, cache.n
    with np.errstate(over="ignore", invalid="ignore"):
        J = (z[..., :, None] * np.eye(H)
             + ((cache.h_prev - n) * z * (1 - z))[..., :, None] * W["z"]
             + ((1 - z) * (1 - n ** 2))[..., :, None] * (r[..., :, None] * W["n"]
                                                          + (cache.hn * r * (1 - r))[..., :, None] * W["r"]))
    return overflow_as_inf(J)


def hidden_jacobian_norms(cache: GRUCache) -> np.ndarray:
    """(T, B) spectral norms [k, b] = ‖∂h_T/∂h_{T−k}‖₂ for the gap k = 0 … T−1, so [0] = 1 (array
    index t − 1 holds step t: [k] compares h[T-1] with h[T-1-k]). Every path counts:
        ∂h_T/∂h_{T−k} = J_T ⋯ J_{T−k+1},   J_t = :func:`state_jacobians`
    the quantity :func:`helpers.rnn.jacobian_norms` and :func:`helpers.lstm.hidden_jacobian_norms`
    give, so the three cells can be compared like with like. The products are renormalised as they
    grow (:func:`helpers.rnn.product_norms`), so one too large or too small for float64 comes out as
    inf or 0 (never NaN) while the rest stay exact.
    """
    return product_norms(state_jacobians(cache))


def update_products(cache: GRUCache) -> np.ndarray:
    """(T, B, H): [k] = z_T ⊙ z_{T−1} ⊙ … ⊙ z_{T−k+1} (ones at k = 0), the direct path alone:
    ∂⁺h_T/∂h_{T−k} along h' = … + z ⊙ h, holding the gates and the candidates fixed (a diagonal
    matrix, stored as its diagonal). GRU's analogue of the LSTM's carousel product Π f
    (:func:`helpers.lstm.forget_products`). Array index t − 1 holds step t, so [k] multiplies
    z[T-1] … z[T-k]."""
    z = _check_cache(cache).z
    out = np.ones_like(z)
    out[1:] = np.cumprod(z[::-1], axis=0)[:-1]
    return out


def gru_outputs(params: Mapping, x, h0=None):
    """Outputs o[t] = W_hy h[t] + b_y. Returns o (T, B, K) (inf, never NaN, where an output
    overflowed), h (T, B, H) and the forward cache. h0 : (B, H) or None for zeros."""
    H = as_float_array("params['W_h']", cell_param(params, "W_h", BIASES, 3), ("3H", "H")).shape[1]
    W_hy, b_y = readout(params, H, BIASES, 3)
    x = as_float_array("x", x, ("T", "B", "D"))
    h0 = np.zeros((x.shape[1], H)) if h0 is None else h0
    h, cache = gru_forward(x, h0, params)
    with np.errstate(over="ignore", invalid="ignore"):
        o = h @ W_hy.T + b_y
    return overflow_as_inf(o), h, cache


def gru_loss_and_grads(params: Mapping, x, y, loss: str = "mse", h0=None):
    """Loss of the GRU with an output layer, and its gradient for every parameter.

    Mirrors :func:`helpers.lstm.lstm_loss_and_grads`: o[t] = W_hy h[t] + b_y, loss = (1/B) Σ_b Σ_t ℓ_t
    with ℓ_t and the "no target" marks of :func:`helpers.rnn.output_loss` (mse: whole-NaN rows of y;
    softmax: label -1).

    Parameters
    ----------
    params : dict with W_x (3H, D), W_h (3H, H), b_x (3H,), b_h (3H,), W_hy (K, H), b_y (K,)
    x : (T, B, D); y : (T, B, K) floats for "mse", (T, B) ints for "softmax"
    h0 : (B, H) or None for zeros

    Returns
    -------
    (loss, grads) with grads a dict W_x, W_h, b_x, b_h, W_hy, b_y shaped like the parameters; inf
    (never NaN) where a value overflowed.
    """
    choice("loss", loss, ("mse", "softmax"))
    o, h, cache = gru_outputs(params, x, h0)
    check_targets(cache.x, y, loss, o.shape[2])
    value, do = output_loss(o, y, loss)
    dh, readout = readout_gradients(do, h, params["W_hy"])
    back = gru_backward(dh, cache)
    grads = {"W_x": back["W_x"], "W_h": back["W_h"], "b_x": back["b_x"], "b_h": back["b_h"], **readout}
    return float(value), grads
