"""The pieces of lesson 03 (BPTT derived step by step) beyond :mod:`helpers.rnn`.

Everything here is written to be read, not to be fast: explicit Jacobian products, one sequence
at a time, column-vector maths as in the lesson. Some functions are deliberately WRONG (they are
named so and say so): the lesson runs them to show which mistake a gradient check catches.

Indexing: the maths counts steps t = 1 … T from the initial state h_0; the arrays are 0-based and
time-major as everywhere in the course, so array index t−1 holds h_t and x_t (``h[0]`` is h_1,
``x[0]`` is x_1, ``h0`` is h_0). Letters: t and s are steps (s ≤ t, s the earlier one) and
k = t − s is the gap between them. The contributions tensor is indexed ``[t-1, s-1]`` for the term
C[t, s]: the gradient that the loss at step t sends into the copy of the parameters used at step s.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import numpy as np

from ._validate import (
    as_float_array,
    check_dim,
    check_targets,
    choice,
    overflow_as_inf,
    positive_float,
    positive_int,
    received,
    scaled_norm,
)
from .activations import ACTIVATIONS, Activation, get_activation
from .gradcheck import describe_error, numerical_gradient, relative_error
from .rnn import (
    PARAM_SHAPES,
    RECURRENT_PARAMS,
    RNNCache,
    check_cache,
    check_params,
    check_rnn_inputs,
    output_loss,
    rnn_forward,
    rnn_loss_and_grads,
    rnn_outputs,
)


def _check_dh(dh, cache: RNNCache) -> np.ndarray:
    return as_float_array("dh", dh, cache.h.shape, finite=False)     # inf: the output gradient overflowed


def _inf_on_overflow(fn):
    """Run ``fn`` without numpy's overflow warnings and report every NaN in the array (or dict of
    arrays) it returns as inf: from finite weights and inputs a NaN only comes from a value that
    overflowed float64 (inf − inf, 0 · inf), the rule of :mod:`helpers.rnn`."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore"):
            out = fn(*args, **kwargs)
        for arr in out.values() if isinstance(out, dict) else (out,):
            overflow_as_inf(arr)
        return out
    return wrapper


def _check_param(param: str) -> str:
    return choice("param", param, RECURRENT_PARAMS)


def _check_index(param: str, index, shape: tuple[int, ...]) -> tuple[int, ...]:
    entries = tuple(index) if isinstance(index, (tuple, list, np.ndarray)) and np.ndim(index) == 1 else (index,)
    if len(entries) != len(shape) or not all(
            isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)) and 0 <= i < n
            for i, n in zip(entries, shape, strict=True)):
        raise ValueError(f"index must pick one entry of {param}, whose shape is {shape}; got {received(index)}")
    return tuple(int(i) for i in entries)


def _jacobian(cache: RNNCache, t: int, b: int) -> np.ndarray:
    """(H, H) J = diag(φ'(z[t])) W_hh for sequence b, built from its definition: the step Jacobian
    ∂h[t]/∂h[t-1] of array index t (the maths' J_{t+1} = ∂h_{t+1}/∂h_t)."""
    return np.diag(cache.activation.df(cache.z[t, b])) @ cache.W_hh


def _immediate_tensor(cache: RNNCache, param: str, t: int, b: int) -> np.ndarray:
    """∂⁺h[t]/∂θ for sequence b (array index t) as an explicit tensor of shape (H, *θ.shape).

    Entry [m, i, j] of the W_hh tensor is ∂⁺h[t]_m/∂W_hh[i, j] = [m = i] φ'(z[t]_i) h[t-1]_j: only
    row i of h[t] feels W_hh[i, j], and h[t-1] is held fixed (that is what ∂⁺ means).
    """
    H = cache.h.shape[2]
    dphi = cache.activation.df(cache.z[t, b])
    if param == "b_h":
        return np.diag(dphi)
    inp = cache.h_prev[t, b] if param == "W_hh" else cache.x[t, b]
    tensor = np.zeros((H, H, inp.size))
    for i in range(H):
        tensor[i, i, :] = dphi[i] * inp
    return tensor


@_inf_on_overflow
def immediate_state_derivative(cache: RNNCache, param: str, index: tuple[int, ...]) -> np.ndarray:
    """∂⁺h[t]/∂θ[index] for every step: the derivative with the previous state held fixed.

    Parameters
    ----------
    cache : from :func:`helpers.rnn.rnn_forward`
    param : "W_xh", "W_hh" or "b_h"
    index : the entry of θ, e.g. (i, j) for a matrix or (i,) for b_h

    Returns
    -------
    (T, B, H) array; [t, b] = ∂⁺h[t]/∂θ[index] for sequence b.
    """
    cache = check_cache(cache)
    param = _check_param(param)
    T, B, H = cache.h.shape
    index = _check_index(param, index, {"W_hh": (H, H), "W_xh": cache.W_xh.shape, "b_h": (H,)}[param])
    out = np.empty(cache.h.shape)
    for t in range(T):
        for b in range(B):
            out[t, b] = _immediate_tensor(cache, param, t, b)[(slice(None), *index)]
    return out


@_inf_on_overflow
def numerical_state_derivative(x, h0, W_xh, W_hh, b_h, activation: str | Activation, param: str,
                               index: tuple[int, ...] | None = None, eps: float = 1e-6) -> np.ndarray:
    """Total derivative ∂h_t/∂θ of every state, by central differences of the forward pass.

    Parameters
    ----------
    x (T, B, D), h0 (B, H), W_xh (H, D), W_hh (H, H), b_h (H,), activation : the RNN
    param : "W_xh", "W_hh" or "b_h", the θ to nudge
    index : one entry of θ, e.g. (i, j) for a matrix or (i,) for b_h; None for every entry
    eps : step size

    Returns
    -------
    With an index: (T, B, H), (h(θ + eps·e) − h(θ − eps·e)) / (2 eps), entry [t-1, b] for h_t.
    With index=None: (T, B, H, *θ.shape), entry [t-1, b, m, i, j] = ∂h_t[m]/∂θ[i, j] for sequence b:
    for each entry of θ, a vector in R^H (so ∂h_t/∂W_hh is an H × (H × H) array).
    """
    param = _check_param(param)
    eps = positive_float("eps", eps)
    get_activation(activation)
    x, W_xh, W_hh, b_h = check_rnn_inputs(x, W_xh, W_hh, b_h)
    h0 = as_float_array("h0", h0, (x.shape[1], W_hh.shape[0]))
    weights = {"W_xh": W_xh, "W_hh": W_hh, "b_h": b_h}
    if index is None:
        shape = weights[param].shape
        per_entry = [numerical_state_derivative(x, h0, W_xh, W_hh, b_h, activation, param, i, eps)
                     for i in np.ndindex(shape)]
        return np.stack(per_entry, axis=-1).reshape(*per_entry[0].shape, *shape)
    index = _check_index(param, index, weights[param].shape)
    plus, minus = dict(weights), dict(weights)
    plus[param] = weights[param].copy()
    minus[param] = weights[param].copy()
    plus[param][index] += eps
    minus[param][index] -= eps
    h_plus = rnn_forward(x, h0, plus["W_xh"], plus["W_hh"], plus["b_h"], activation)[0]
    h_minus = rnn_forward(x, h0, minus["W_xh"], minus["W_hh"], minus["b_h"], activation)[0]
    return (h_plus - h_minus) / (2 * eps)


@_inf_on_overflow
def contributions(dh, cache: RNNCache, param: str = "W_hh") -> np.ndarray:
    """Every term C[t, s] = ∂ℓ_t/∂h_t · ∂h_t/∂h_s · ∂⁺h_s/∂θ of ∂L/∂θ = Σ_t Σ_{s≤t} C[t, s], kept apart.

    Slow and explicit on purpose: ∂h_t/∂h_s is formed as the matrix product
    J_t J_{t-1} … J_{s+1} with J_i = diag(φ'(z_i)) W_hh (the identity when s = t), and ∂⁺h_s/∂θ as
    the tensor of :func:`immediate_state_derivative`. It shares no code with ``rnn_backward``.

    Parameters
    ----------
    dh : (T, B, H), dh[t] = ∂ℓ_t/∂h[t] through the output at step t only (as for rnn_backward)
    cache : from :func:`helpers.rnn.rnn_forward`
    param : "W_xh", "W_hh" or "b_h"

    Returns
    -------
    (T, T, *θ.shape) array C, 0-based: C[t-1, s-1] holds the term C[t, s] that the loss at step t
    sends to θ through the state h_s (summed over the batch); it is 0 for s > t.
    Σ_t Σ_s C[t, s] = ∂L/∂θ.
    """
    cache = check_cache(cache)
    param = _check_param(param)
    dh = _check_dh(dh, cache)
    T, B, H = cache.h.shape
    shape = {"W_hh": (H, H), "W_xh": cache.W_xh.shape, "b_h": (H,)}[param]
    C = np.zeros((T, T, *shape))
    for b in range(B):
        for t in range(T):
            dh_t_dh_s = np.eye(H)                          # ∂h_t/∂h_s, starting at s = t
            for s in range(t, -1, -1):
                row = dh[t, b] @ dh_t_dh_s                 # ∂ℓ_t/∂h_t · ∂h_t/∂h_s, shape (H,)
                C[t, s] += np.tensordot(row, _immediate_tensor(cache, param, s, b), axes=1)
                dh_t_dh_s = dh_t_dh_s @ _jacobian(cache, s, b)
    return C


def _output_gradient(params: Mapping, x, y, loss: str, h0, activation) -> tuple[RNNCache, np.ndarray]:
    """The forward cache and dh (T, B, H), dh[t] = ∂ℓ_t/∂h[t] through the output (includes 1/B)."""
    o, _, cache = rnn_outputs(params, x, h0, activation)
    check_targets(cache.x, y, loss, o.shape[2])
    _, do = output_loss(o, y, loss)
    return cache, overflow_as_inf(do @ np.asarray(params["W_hy"], dtype=np.float64))


@_inf_on_overflow
def loss_contributions(params: Mapping, x, y, param: str = "W_hh", loss: str = "mse", h0=None,
                       activation: str | Activation = "tanh") -> np.ndarray:
    """:func:`contributions` for the loss of an RNN with an output layer (dh = ∂ℓ_t/∂o_t · W_hy).

    Returns (T, T, *θ.shape); see :func:`contributions`.
    """
    cache, dh = _output_gradient(params, x, y, loss, h0, activation)
    return contributions(dh, cache, param)


def contribution_norms_by_gap(C) -> np.ndarray:
    """(T,) Frobenius norms ‖Σ_t C[t, t−k]‖ for the gaps k = t − s = 0 … T−1.

    C : (T, T, ...) as returned by :func:`contributions`. Entry k is the part of the gradient that
    travelled exactly k steps back in time.
    """
    C = as_float_array("C", C, ("T", "T", *("n" * max(np.ndim(C) - 2, 0))), finite=False)  # inf: an overflowed term
    if C.shape[0] != C.shape[1]:
        raise ValueError(f"C must have shape (T, T, ...) as returned by contributions, got shape {C.shape}")
    T = C.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):     # a sum of overflowed terms is inf, never NaN
        return np.array([scaled_norm(overflow_as_inf(np.asarray(sum(C[t, t - k] for t in range(k, T)))))
                         for k in range(T)])


@_inf_on_overflow
def wrong_immediate_only_gradient(dh, cache: RNNCache) -> dict:
    """WRONG on purpose: ∂L/∂θ computed as Σ_t ∂ℓ_t/∂h_t · ∂⁺h_t/∂θ ("total = immediate").

    This is the derivation that forgets that h_{t-1} also depends on θ. It keeps only the s = t
    terms C[t, t] of :func:`contributions`. Returns dict "W_xh" (H, D), "W_hh" (H, H), "b_h" (H,).
    """
    cache = check_cache(cache)
    dh = _check_dh(dh, cache)
    delta = dh * cache.activation.df(cache.z)              # ∂ℓ_t/∂z_t through the output only
    return {"W_xh": np.einsum("tbi,tbj->ij", delta, cache.x),
            "W_hh": np.einsum("tbi,tbj->ij", delta, cache.h_prev),
            "b_h": delta.sum(axis=(0, 1))}


@_inf_on_overflow
def readable_backward(dh, cache: RNNCache, forget: str | None = None) -> dict:
    """BPTT one sequence and one step at a time, in column-vector maths.

    With ``forget=None`` this is correct: the total gradient at h_t sums two paths,
        ∂L/∂h_t = ∂ℓ_t/∂h_t  (output path)  +  J_{t+1}ᵀ ∂L/∂h_{t+1}  (recurrent path).
    ``forget`` makes it WRONG on purpose by dropping one path:
    "recurrent": J_{t+1}ᵀ ∂L/∂h_{t+1} is never added (gives the same as :func:`wrong_immediate_only_gradient`);
    "output": ∂ℓ_t/∂h_t enters only at the last step (the gradient of ℓ_T alone).

    Returns
    -------
    dict "W_xh" (H, D), "W_hh" (H, H), "b_h" (H,), "h0" (B, H) and "dL_dh" (T, B, H), the total
    gradient ∂L/∂h_t that the pass computed at each state.
    """
    cache = check_cache(cache)
    dh = _check_dh(dh, cache)
    if forget is not None:
        choice("forget", forget, ("output", "recurrent"))
    T, B, H = cache.h.shape
    grads = {"W_xh": np.zeros_like(cache.W_xh), "W_hh": np.zeros((H, H)), "b_h": np.zeros(H),
             "h0": np.zeros((B, H)), "dL_dh": np.zeros((T, B, H))}
    for b in range(B):
        from_next = np.zeros(H)                             # J_{t+1}ᵀ ∂L/∂h_{t+1}
        for t in range(T - 1, -1, -1):
            from_output = dh[t, b] if (forget != "output" or t == T - 1) else np.zeros(H)
            from_future = from_next if forget != "recurrent" else np.zeros(H)
            g = from_output + from_future                   # ∂L/∂h_t
            grads["dL_dh"][t, b] = g
            delta = cache.activation.df(cache.z[t, b]) * g  # ∂L/∂z_t
            grads["W_hh"] += np.outer(delta, cache.h_prev[t, b])
            grads["W_xh"] += np.outer(delta, cache.x[t, b])
            grads["b_h"] += delta
            from_next = cache.W_hh.T @ delta                # = J_tᵀ ∂L/∂h_t, sent to h_{t-1}
        grads["h0"][b] = from_next
    return grads


@_inf_on_overflow
def rtrl_gradients(params: Mapping, x, y, loss: str = "mse", h0=None,
                   activation: str | Activation = "tanh") -> dict:
    """∂L/∂W_xh, ∂L/∂W_hh and ∂L/∂b_h by real-time recurrent learning (Williams & Zipser, 1989).

    Forward mode: the sensitivities P_t = ∂h_t/∂θ of the state to all n = H·(D + H + 1) recurrent
    parameters θ = (W_xh, W_hh, b_h) are carried forward with the recursion of lesson 03,
        P_t = ∂⁺h_t/∂θ + J_t P_{t-1},   P_0 = 0 (h_0 does not depend on θ),
    and ∂ℓ_t/∂h_t · P_t is added as soon as ℓ_t is known. Nothing of the past is stored, so it can
    learn online; but P_t is an H × n matrix, and J_t P_{t-1} costs H²·n = O(H⁴) multiply-adds a
    step, where BPTT's backward step costs O(H²). Written to be read (one sequence at a time).

    Parameters
    ----------
    params, x, y, loss, h0, activation : as for :func:`helpers.rnn.rnn_loss_and_grads`

    Returns
    -------
    dict "W_xh" (H, D), "W_hh" (H, H), "b_h" (H,): the same gradients as BPTT's.
    """
    cache, dh = _output_gradient(params, x, y, loss, h0, activation)     # ∂ℓ_t/∂h_t (includes 1/B)
    T, B, H = cache.h.shape
    names = RECURRENT_PARAMS
    shapes = [{"W_xh": cache.W_xh.shape, "W_hh": (H, H), "b_h": (H,)}[name] for name in names]
    n = sum(int(np.prod(shape)) for shape in shapes)
    grad = np.zeros(n)
    for b in range(B):
        P = np.zeros((H, n))                                        # P_0 = ∂h_0/∂θ = 0
        for t in range(T):
            immediate = np.concatenate([_immediate_tensor(cache, name, t, b).reshape(H, -1) for name in names],
                                       axis=1)                     # ∂⁺h_t/∂θ, (H, n)
            P = immediate + _jacobian(cache, t, b) @ P              # P_t = ∂⁺h_t/∂θ + J_t P_{t-1}
            grad += dh[t, b] @ P                                    # ∂ℓ_t/∂h_t · ∂h_t/∂θ, online
    out, start = {}, 0
    for name, shape in zip(names, shapes, strict=True):
        size = int(np.prod(shape))
        out[name] = grad[start:start + size].reshape(shape)
        start += size
    return out


@_inf_on_overflow
def numerical_step_jacobian(x_t, h_prev, W_xh, W_hh, b_h, activation: str | Activation = "tanh",
                            eps: float = 1e-6) -> np.ndarray:
    """(H, H) ∂h_t/∂h_{t-1} of one step h_t = φ(W_xh x_t + W_hh h_{t-1} + b_h), by central differences.

    x_t (D,), h_prev (H,), W_xh (H, D), W_hh (H, H), b_h (H,); entry [i, j] = ∂h_t[i]/∂h_{t-1}[j].
    Raises ValueError if h_t overflows float64 (no difference to take).
    """
    act = get_activation(activation)
    W_hh = as_float_array("W_hh", W_hh, ("H", "H"))
    H = W_hh.shape[0]
    check_dim("W_hh", W_hh, 1, H, (H, H))
    W_xh = as_float_array("W_xh", W_xh, (H, "D"))
    x_t = as_float_array("x_t", x_t, (W_xh.shape[1],))
    b_h = as_float_array("b_h", b_h, (H,))
    h = as_float_array("h_prev", h_prev, (H,)).copy()
    if not np.all(np.isfinite(act.f(W_xh @ x_t + W_hh @ h + b_h))):
        raise ValueError("h_t = φ(W_xh x_t + W_hh h_prev + b_h) overflows float64 for these x_t, h_prev and "
                         "weights: central differences of an overflowed value are undefined")
    eps = positive_float("eps", eps)
    rows = [numerical_gradient(lambda hp, i=i: act.f(W_xh @ x_t + W_hh @ hp + b_h)[i], h, eps,
                               names=(f"h_t[{i}]", "h_prev"))
            for i in range(H)]
    return np.array(rows)


def _finite_loss(value: float) -> None:
    """Raise ValueError if the loss overflowed float64: central differences of it are undefined."""
    if not np.isfinite(value):
        raise ValueError("params, x, y and h0 give a loss that overflows float64 (inf): central differences of "
                         "it are undefined; use smaller weights, a smaller h0 or a shorter x")


@_inf_on_overflow
def numerical_state_gradient(params: Mapping, x, y, t: int, loss: str = "mse", h0=None,
                             activation: str | Activation = "tanh", eps: float = 1e-6) -> np.ndarray:
    """(B, H) total gradient ∂L/∂h[t] by central differences, independently of any backward pass.

    t is an array index (h[t] is the maths' h_{t+1}). ∂L/∂h[t] is how L changes when that state
    alone is nudged and the rest of the sequence is re-run from it, the weights and the earlier
    states held fixed. L is split at h[t]: the losses before t do not depend on h[t]; ℓ_t depends
    on it through the output; the losses after t through the rest of the sequence, re-run from h[t]
    as its h0. Raises ValueError if the loss overflows float64.
    """
    o, h, cache = rnn_outputs(params, x, h0, activation)
    check_targets(cache.x, y, loss, o.shape[2])
    _finite_loss(output_loss(o, y, loss)[0])                 # also checks y itself
    T = h.shape[0]
    t = positive_int("t", t, minimum=0)
    if t >= T:
        raise ValueError(f"t must be a step index 0 … {T - 1}, got {t}")
    eps = positive_float("eps", eps)
    W_hy = np.asarray(params["W_hy"], dtype=np.float64)
    b_y = np.asarray(params["b_y"], dtype=np.float64)
    y = np.asarray(y)

    def L_from(h_t):
        value = output_loss((h_t @ W_hy.T + b_y)[None], y[t:t + 1], loss)[0]
        if t < T - 1:
            value += rnn_loss_and_grads(params, x[t + 1:], y[t + 1:], loss, h0=h_t, activation=activation)[0]
        return value

    return numerical_gradient(L_from, h[t].copy(), eps, names=("the loss", f"h[{t}]"))


def loss_with_step_weights(params: Mapping, x, y, W_hh_steps, loss: str = "mse", h0=None,
                           activation: str | Activation = "tanh") -> float:
    """The loss of the RNN when step t uses its own copy W_hh_steps[t] instead of the shared W_hh.

    W_hh_steps : (T, H, H). With every copy equal to W_hh this is the ordinary loss; its gradient
    with respect to copy t is what step t contributes, and the shared W_hh gets their sum. A loss
    that overflows float64 is inf, as in :func:`helpers.rnn.rnn_loss_and_grads`.
    """
    act = get_activation(activation)
    p = check_params(params)
    x, W_xh, _, b_h = check_rnn_inputs(x, p["W_xh"], p["W_hh"], p["b_h"])
    T, B, _ = x.shape
    H = b_h.shape[0]
    check_targets(x, y, loss, p["W_hy"].shape[0])
    W_hh_steps = as_float_array("W_hh_steps", W_hh_steps, ("T", H, H))
    if W_hh_steps.shape[0] != T:
        raise ValueError(f"x has T = {T} steps but W_hh_steps has {W_hh_steps.shape[0]} copies; expected "
                         f"W_hh_steps of shape ({T}, {H}, {H}), one W_hh a step")
    h_t = np.zeros((B, H)) if h0 is None else as_float_array("h0", h0, (B, H))
    h = np.empty((T, B, H))
    with np.errstate(over="ignore", invalid="ignore"):        # large weights may overflow: inf
        for t in range(T):
            h_t = h[t] = act.f(x[t] @ W_xh.T + h_t @ W_hh_steps[t].T + b_h)
        o = overflow_as_inf(h @ p["W_hy"].T + p["b_y"])         # an output beyond float64: inf
    value = output_loss(o, y, loss)[0]
    return float(np.inf if np.isnan(value) else value)      # NaN only from an overflow (inf − inf)


def gradcheck_table(params: Mapping, x, y, activations: Sequence[str] = ("tanh", "sigmoid", "relu", "linear"),
                    loss: str = "mse", h0=None, tol: float = 1e-7):
    """Relative error of every BPTT parameter gradient against central differences, per activation.

    Returns
    -------
    (errors, text): errors[(activation, name)] = relative error; text = an aligned table with one
    row per parameter and one column per activation (values as in :func:`describe_error`).
    Raises ValueError if the loss overflows float64 for an activation.
    """
    if isinstance(activations, str) or not isinstance(activations, (list, tuple)) or not activations:
        raise ValueError(f"activations must be a non-empty list of activation names such as ('tanh', 'relu'), "
                         f"got {received(activations)}")
    for i, act in enumerate(activations):
        choice(f"activations[{i}]", act, tuple(ACTIVATIONS))
    tol = positive_float("tol", tol)
    errors = {}
    for act in activations:
        value, grads = rnn_loss_and_grads(params, x, y, loss, h0, act)
        _finite_loss(value)
        for name in PARAM_SHAPES:
            arr = np.array(params[name], dtype=np.float64)
            trial = dict(params)
            trial[name] = arr
            num = numerical_gradient(lambda _, p=trial, a=act: rnn_loss_and_grads(p, x, y, loss, h0, a)[0], arr)
            errors[(act, name)] = relative_error(grads[name], num)
    width = 12
    lines = ["parameter".ljust(10) + "".join(a.ljust(width) for a in activations)]
    for name in PARAM_SHAPES:
        lines.append(name.ljust(10) + "".join(describe_error(errors[(a, name)], tol).ljust(width)
                                              for a in activations))
    return errors, "\n".join(line.rstrip() for line in lines)
