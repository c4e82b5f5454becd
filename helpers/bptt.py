"""The pieces of lesson 03 (BPTT derived step by step) beyond :mod:`helpers.rnn`.

Everything here is written to be read, not to be fast: explicit Jacobian products, one sequence
at a time, column-vector maths as in the lesson. Some functions are deliberately WRONG (they are
named so and say so): the lesson runs them to show which mistake a gradient check catches.

Indexing: arrays are time-major as everywhere in the course, ``h[t]`` is the state after input
``x[t]`` and ``h[t-1]`` is the state before it (``h0`` for t = 0). The contributions tensor is
indexed ``[t, k]``: the gradient that the loss at step t sends into the parameters at step k.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ._validate import as_float_array, check_dim, choice, positive_float, positive_int
from .activations import Activation, get_activation
from .gradcheck import describe_error, numerical_gradient, relative_error
from .rnn import (
    PARAM_SHAPES,
    RECURRENT_PARAMS,
    RNNCache,
    check_cache,
    output_loss,
    rnn_forward,
    rnn_loss_and_grads,
    rnn_outputs,
)


def _check_dh(dh, cache: RNNCache) -> np.ndarray:
    return as_float_array("dh", dh, cache.h.shape)


def _check_param(param: str) -> str:
    return choice("param", param, RECURRENT_PARAMS)


def _check_index(param: str, index, shape: tuple[int, ...]) -> tuple[int, ...]:
    index = tuple(int(i) for i in np.atleast_1d(index))
    if len(index) != len(shape) or any(not 0 <= i < n for i, n in zip(index, shape, strict=True)):
        raise ValueError(f"index must pick one entry of {param}, whose shape is {shape}; got {index}")
    return index


def _jacobian(cache: RNNCache, t: int, b: int) -> np.ndarray:
    """(H, H) ∂h[t]/∂h[t-1] = diag(φ'(z[t])) W_hh for sequence b, built from its definition."""
    return np.diag(cache.activation.df(cache.z[t, b])) @ cache.W_hh


def _immediate_tensor(cache: RNNCache, param: str, t: int, b: int) -> np.ndarray:
    """∂⁺h[t]/∂θ for sequence b as an explicit tensor of shape (H, *θ.shape).

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


def numerical_state_derivative(x, h0, W_xh, W_hh, b_h, activation: str | Activation, param: str,
                               index: tuple[int, ...], eps: float = 1e-6) -> np.ndarray:
    """Total derivative ∂h[t]/∂θ[index] of every state, by central differences of the forward pass.

    Returns (T, B, H): (h(θ + eps·e) − h(θ − eps·e)) / (2 eps), θ one of W_xh, W_hh, b_h.
    """
    param = _check_param(param)
    eps = positive_float("eps", eps)
    weights = {"W_xh": np.array(W_xh, dtype=np.float64), "W_hh": np.array(W_hh, dtype=np.float64),
               "b_h": np.array(b_h, dtype=np.float64)}
    index = _check_index(param, index, weights[param].shape)
    plus, minus = dict(weights), dict(weights)
    plus[param] = weights[param].copy()
    minus[param] = weights[param].copy()
    plus[param][index] += eps
    minus[param][index] -= eps
    h_plus = rnn_forward(x, h0, plus["W_xh"], plus["W_hh"], plus["b_h"], activation)[0]
    h_minus = rnn_forward(x, h0, minus["W_xh"], minus["W_hh"], minus["b_h"], activation)[0]
    return (h_plus - h_minus) / (2 * eps)


def contributions(dh, cache: RNNCache, param: str = "W_hh") -> np.ndarray:
    """Every term of ∂L/∂θ = Σ_t Σ_{k≤t} ∂ℓ_t/∂h_t · ∂h_t/∂h_k · ∂⁺h_k/∂θ, kept apart.

    Slow and explicit on purpose: ∂h_t/∂h_k is formed as the matrix product
    J_t J_{t-1} … J_{k+1} with J_i = diag(φ'(z_i)) W_hh (the identity when k = t), and ∂⁺h_k/∂θ as
    the tensor of :func:`immediate_state_derivative`. It shares no code with ``rnn_backward``.

    Parameters
    ----------
    dh : (T, B, H), dh[t] = ∂ℓ_t/∂h[t] through the output at step t only (as for rnn_backward)
    cache : from :func:`helpers.rnn.rnn_forward`
    param : "W_xh", "W_hh" or "b_h"

    Returns
    -------
    (T, T, *θ.shape) array C; C[t, k] is the term that the loss at step t sends to θ through the
    state h[k] (summed over the batch); C[t, k] = 0 for k > t. Σ_t Σ_k C[t, k] = ∂L/∂θ.
    """
    cache = check_cache(cache)
    param = _check_param(param)
    dh = _check_dh(dh, cache)
    T, B, H = cache.h.shape
    shape = {"W_hh": (H, H), "W_xh": cache.W_xh.shape, "b_h": (H,)}[param]
    C = np.zeros((T, T, *shape))
    for b in range(B):
        for t in range(T):
            dh_t_dh_k = np.eye(H)                          # ∂h_t/∂h_k, starting at k = t
            for k in range(t, -1, -1):
                row = dh[t, b] @ dh_t_dh_k                 # ∂ℓ_t/∂h_t · ∂h_t/∂h_k, shape (H,)
                C[t, k] += np.tensordot(row, _immediate_tensor(cache, param, k, b), axes=1)
                dh_t_dh_k = dh_t_dh_k @ _jacobian(cache, k, b)
    return C


def loss_contributions(params: Mapping, x, y, param: str = "W_hh", loss: str = "mse", h0=None,
                       activation: str | Activation = "tanh") -> np.ndarray:
    """:func:`contributions` for the loss of an RNN with an output layer (dh = ∂ℓ_t/∂o_t · W_hy).

    Returns (T, T, *θ.shape); see :func:`contributions`.
    """
    o, _, cache = rnn_outputs(params, x, h0, activation)
    _, do = output_loss(o, y, loss)
    return contributions(do @ np.asarray(params["W_hy"], dtype=np.float64), cache, param)


def contribution_norms_by_gap(C) -> np.ndarray:
    """(T,) Frobenius norms ‖Σ_t C[t, t−d]‖ for gaps d = t − k = 0 … T−1.

    Entry d is the part of the gradient that travelled exactly d steps back in time.
    """
    C = np.asarray(C, dtype=np.float64)
    if C.ndim < 2 or C.shape[0] != C.shape[1]:
        raise ValueError(f"C must have shape (T, T, ...) as returned by contributions, got shape {C.shape}")
    T = C.shape[0]
    return np.array([np.linalg.norm(sum(C[t, t - d] for t in range(d, T))) for d in range(T)])


def wrong_immediate_only_gradient(dh, cache: RNNCache) -> dict:
    """WRONG on purpose: ∂L/∂θ computed as Σ_t ∂ℓ_t/∂h_t · ∂⁺h_t/∂θ ("total = immediate").

    This is the derivation that forgets that h_{t-1} also depends on θ. It keeps only the k = t
    terms of :func:`contributions`. Returns dict "W_xh" (H, D), "W_hh" (H, H), "b_h" (H,).
    """
    cache = check_cache(cache)
    dh = _check_dh(dh, cache)
    delta = dh * cache.activation.df(cache.z)              # ∂ℓ_t/∂z_t through the output only
    return {"W_xh": np.einsum("tbi,tbj->ij", delta, cache.x),
            "W_hh": np.einsum("tbi,tbj->ij", delta, cache.h_prev),
            "b_h": delta.sum(axis=(0, 1))}


def readable_backward(dh, cache: RNNCache, forget: str | None = None) -> dict:
    """BPTT one sequence and one step at a time, in column-vector maths.

    With ``forget=None`` this is correct: the total gradient at h_t sums two paths,
        ∂L/∂h_t = ∂ℓ_t/∂h_t  (output path)  +  J_{t+1}ᵀ ∂L/∂h_{t+1}  (recurrent path).
    ``forget`` makes it WRONG on purpose by dropping one path:
    "recurrent": J_{t+1}ᵀ ∂L/∂h_{t+1} is never added (gives the same as :func:`wrong_immediate_only_gradient`);
    "output": ∂ℓ_t/∂h_t enters only at the last step (the gradient of ℓ_{T-1} alone).

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


def numerical_step_jacobian(x_t, h_prev, W_xh, W_hh, b_h, activation: str | Activation = "tanh",
                            eps: float = 1e-6) -> np.ndarray:
    """(H, H) ∂h_t/∂h_{t-1} of one step h_t = φ(W_xh x_t + W_hh h_{t-1} + b_h), by central differences.

    x_t (D,), h_prev (H,), W_xh (H, D), W_hh (H, H), b_h (H,); entry [i, j] = ∂h_t[i]/∂h_{t-1}[j].
    """
    act = get_activation(activation)
    W_hh = as_float_array("W_hh", W_hh, ("H", "H"))
    H = W_hh.shape[0]
    check_dim("W_hh", W_hh, 1, H, (H, H))
    W_xh = as_float_array("W_xh", W_xh, (H, "D"))
    x_t = as_float_array("x_t", x_t, (W_xh.shape[1],))
    b_h = as_float_array("b_h", b_h, (H,))
    h = as_float_array("h_prev", h_prev, (H,)).copy()
    rows = [numerical_gradient(lambda hp, i=i: act.f(W_xh @ x_t + W_hh @ hp + b_h)[i], h, eps)
            for i in range(H)]
    return np.array(rows)


def numerical_state_gradient(params: Mapping, x, y, t: int, loss: str = "mse", h0=None,
                             activation: str | Activation = "tanh", eps: float = 1e-6) -> np.ndarray:
    """(B, H) total gradient ∂L/∂h[t] by central differences, independently of any backward pass.

    L is split at h[t]: the losses before t do not depend on h[t]; ℓ_t depends on it through the
    output; the losses after t through the rest of the sequence, re-run from h[t] as its h0.
    """
    o, h, _ = rnn_outputs(params, x, h0, activation)
    T = h.shape[0]
    t = positive_int("t", t, minimum=0)
    if t >= T:
        raise ValueError(f"t must be a step index 0 … {T - 1}, got {t}")
    W_hy = np.asarray(params["W_hy"], dtype=np.float64)
    b_y = np.asarray(params["b_y"], dtype=np.float64)
    y = np.asarray(y)

    def L_from(h_t):
        value = output_loss((h_t @ W_hy.T + b_y)[None], y[t:t + 1], loss)[0]
        if t < T - 1:
            value += rnn_loss_and_grads(params, x[t + 1:], y[t + 1:], loss, h0=h_t, activation=activation)[0]
        return value

    return numerical_gradient(L_from, h[t].copy(), eps)


def loss_with_step_weights(params: Mapping, x, y, W_hh_steps, loss: str = "mse", h0=None,
                           activation: str | Activation = "tanh") -> float:
    """The loss of the RNN when step t uses its own copy W_hh_steps[t] instead of the shared W_hh.

    W_hh_steps : (T, H, H). With every copy equal to W_hh this is the ordinary loss; its gradient
    with respect to copy t is what step t contributes, and the shared W_hh gets their sum.
    """
    act = get_activation(activation)
    x = as_float_array("x", x, ("T", "B", "D"))
    T, B, _ = x.shape
    W_hh = as_float_array("params['W_hh']", params["W_hh"], ("H", "H"))
    H = W_hh.shape[0]
    W_hh_steps = as_float_array("W_hh_steps", W_hh_steps, (T, H, H))
    W_xh = np.asarray(params["W_xh"], dtype=np.float64)
    b_h = np.asarray(params["b_h"], dtype=np.float64)
    h_t = np.zeros((B, H)) if h0 is None else as_float_array("h0", h0, (B, H))
    h = np.empty((T, B, H))
    for t in range(T):
        h_t = h[t] = act.f(x[t] @ W_xh.T + h_t @ W_hh_steps[t].T + b_h)
    o = h @ np.asarray(params["W_hy"], dtype=np.float64).T + np.asarray(params["b_y"], dtype=np.float64)
    return float(output_loss(o, y, loss)[0])


def gradcheck_table(params: Mapping, x, y, activations: Sequence[str] = ("tanh", "sigmoid", "relu", "linear"),
                    loss: str = "mse", h0=None, tol: float = 1e-7):
    """Relative error of every BPTT parameter gradient against central differences, per activation.

    Returns
    -------
    (errors, text): errors[(activation, name)] = relative error; text = an aligned table with one
    row per parameter and one column per activation (values as in :func:`describe_error`).
    """
    errors = {}
    for act in activations:
        get_activation(act)
        _, grads = rnn_loss_and_grads(params, x, y, loss, h0, act)
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


# ----------------------------------------------------------------------------------------------
# Exercise checks
# ----------------------------------------------------------------------------------------------

