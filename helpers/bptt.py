"""The pieces of lesson 03 (BPTT derived step by step) beyond :mod:`helpers.rnn`.

Everything here is written to be read, not to be fast: explicit Jacobian products, one sequence
at a time, column-vector maths as in the lesson. Some functions are deliberately WRONG (they are
named so and say so): the lesson runs them to show which mistake a gradient check catches.

Indexing: arrays are time-major as everywhere in the course, ``h[t]`` is the state after input
``x[t]`` and ``h[t-1]`` is the state before it (``h0`` for t = 0). The contributions tensor is
indexed ``[t, k]``: the gradient that the loss at step t sends into the parameters at step k.
"""
from __future__ import annotations

import time
from typing import Callable, Mapping, Sequence

import numpy as np

from ._validate import as_float_array, check_dim, choice, int_list, positive_float, positive_int
from .activations import Activation, get_activation
from .exercises import check_true
from .gradcheck import numerical_gradient, relative_error
from .rnn import PARAM_SHAPES, RNNCache, check_cache, output_loss, rnn_backward, rnn_forward, rnn_loss_and_grads, rnn_outputs

RECURRENT_PARAMS = ("W_xh", "W_hh", "b_h")


def _check_dh(dh, cache: RNNCache) -> np.ndarray:
    return as_float_array("dh", dh, cache.h.shape)


def _check_param(param: str) -> str:
    return choice("param", param, RECURRENT_PARAMS)


def _check_index(param: str, index, shape: tuple[int, ...]) -> tuple[int, ...]:
    index = tuple(int(i) for i in np.atleast_1d(index))
    if len(index) != len(shape) or any(not 0 <= i < n for i, n in zip(index, shape)):
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


def example_problem(T: int = 6, B: int = 2, D: int = 3, H: int = 4, K: int = 2, scale: float = 1.0,
                    seed: int = 0):
    """A seeded RNN with an output layer and many-to-many regression targets.

    Returns (params, x, y): W_xh (H, D) ~ N(0, 1/D), W_hh (H, H) ~ N(0, scale²/H), b_h (H,) and b_y (K,)
    small, W_hy (K, H) ~ N(0, 1/H); x (T, B, D) ~ N(0, 1); y (T, B, K) ~ N(0, 1).
    """
    T, B, D, H, K = (positive_int(n, v) for n, v in zip("TBDHK", (T, B, D, H, K)))
    scale = positive_float("scale", scale)
    rng = np.random.default_rng(seed)
    params = {"W_xh": rng.normal(size=(H, D)) / np.sqrt(D),
              "W_hh": rng.normal(size=(H, H)) * scale / np.sqrt(H),
              "b_h": rng.normal(size=H) * 0.1,
              "W_hy": rng.normal(size=(K, H)) / np.sqrt(H),
              "b_y": rng.normal(size=K) * 0.1}
    return params, rng.normal(size=(T, B, D)), rng.normal(size=(T, B, K))


def report(label: str, value, reference, tol: float = 1e-7) -> None:
    """Print "label: relative error …" for two arrays, the error shown as in :func:`describe_error`."""
    print(f"{label}: relative error {describe_error(relative_error(value, reference), tol)}")


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


def window_mask(T: int, truncate: int | None = None, chunk: int | None = None) -> np.ndarray:
    """(T, T) boolean: which (t, k) terms of :func:`contributions` a training method keeps.

    full BPTT (both None): every k ≤ t.  truncate=n: t − n ≤ k ≤ t (the window slides with t).
    chunk=c: c·⌊t/c⌋ ≤ k ≤ t (the window starts at the first step of t's chunk, so steps early in
    a chunk get almost no history). Give at most one of truncate, chunk.
    """
    T = positive_int("T", T)
    if truncate is not None and chunk is not None:
        raise ValueError("give at most one of truncate and chunk, got both")
    t = np.arange(T)[:, None]
    k = np.arange(T)[None, :]
    mask = k <= t
    if truncate is not None:
        mask &= k >= t - positive_int("truncate", truncate, minimum=0)
    if chunk is not None:
        mask &= k >= (t // positive_int("chunk", chunk)) * chunk
    return mask


def immediate_gradient(dh, cache: RNNCache) -> dict:
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
    "recurrent": J_{t+1}ᵀ ∂L/∂h_{t+1} is never added (gives the same as :func:`immediate_gradient`);
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


def chunked_loss_and_grads(params: Mapping, x, y, chunk: int, loss: str = "mse", h0=None,
                           activation: str | Activation = "tanh"):
    """Chunked truncated BPTT: carry the state across chunks, cut the gradient at chunk borders.

    The sequence is cut into pieces of ``chunk`` steps (the last may be shorter). Each piece starts
    from the final state of the previous one (its value is carried), but that state is treated as
    a constant input, so no gradient flows into earlier pieces. The gradients of the pieces are
    added, as one parameter update over the whole sequence would use them.

    Returns
    -------
    (loss, grads): the loss equals the full loss (the forward pass is unchanged); grads has the
    keys of params.
    """
    x = as_float_array("x", x, ("T", "B", "D"))
    chunk = positive_int("chunk", chunk)
    T, B, _ = x.shape
    H = np.asarray(params["W_hh"]).shape[0]
    state = np.zeros((B, H)) if h0 is None else h0
    total = 0.0
    grads = {name: np.zeros_like(np.asarray(params[name], dtype=np.float64)) for name in params}
    for start in range(0, T, chunk):
        piece = slice(start, start + chunk)
        value, g = rnn_loss_and_grads(params, x[piece], y[piece], loss, h0=state, activation=activation)
        total += value
        for name in grads:
            grads[name] += g[name]
        state = rnn_outputs(params, x[piece], state, activation)[1][-1]   # carried, as a constant
    return total, grads


def gradient_field_jacobian(grad_fn: Callable[[np.ndarray], np.ndarray], theta, eps: float = 1e-5) -> np.ndarray:
    """(n, n) central-difference Jacobian of a vector field g(θ), θ of shape (n,).

    If g is the gradient of some function, this matrix is that function's Hessian and is
    symmetric; a clearly non-symmetric result proves g is the gradient of nothing.
    """
    theta = as_float_array("theta", theta, ("n",)).copy()
    eps = positive_float("eps", eps)
    if not callable(grad_fn):
        raise ValueError(f"grad_fn must be a callable theta -> g(theta), got {type(grad_fn).__name__}")
    n = theta.size

    def g(t):
        out = np.asarray(grad_fn(t))
        if out.shape != (n,):
            raise ValueError(f"grad_fn must return an array of shape ({n},), like theta; got shape {out.shape}")
        return out

    J = np.empty((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = eps
        J[:, j] = (g(theta + e) - g(theta - e)) / (2 * eps)
    return J


def _power_str(value: float) -> str:
    mantissa, exponent = f"{value:e}".split("e")
    return f"1e{int(exponent)}" if float(mantissa) == 1.0 else f"{value:g}"


def describe_error(err: float, tol: float = 1e-7) -> str:
    """A relative error as stored notebook output that is the same on every machine.

    Below ``tol`` the digits are rounding noise that varies with the CPU and BLAS, so only a
    bound is shown: "< 1e-12 ✓" (rounding level: two computations of the same exact quantity),
    "< 1e-8 ✓" (the accuracy of central differences, typically 1e-11 … 1e-9), else "< tol ✓".
    The bounds sit far from where such errors fall, so the text does not flip between machines.
    At or above ``tol``: two significant digits and ✗.
    """
    err = float(err)
    tol = positive_float("tol", tol)
    if not np.isfinite(err) or err < 0:
        raise ValueError(f"err must be a finite number >= 0, got {err!r}")
    if err >= tol:
        return f"{err:.2g} ✗"
    bound = next(b for b in (1e-12, 1e-8, tol) if err < b <= tol)   # tol itself always fits
    return f"< {_power_str(bound)} ✓"


def scalar_rnn_gradient(theta, x, y, truncate: int | None = None) -> np.ndarray:
    """[∂L/∂w, ∂L/∂u] for the scalar RNN h_t = tanh(w h_{t-1} + u x_t), h_0 = 0, L = Σ_t ½(h_t − y_t)².

    theta = (w, u); x (T,), y (T,) with NaN where a step has no target; truncate as in rnn_backward.
    """
    w, u = as_float_array("theta", theta, (2,))
    x = as_float_array("x", x, ("T",))
    y = as_float_array("y", y, (x.size,), finite=False)
    params = {"W_xh": [[u]], "W_hh": [[w]], "b_h": [0.0], "W_hy": [[1.0]], "b_y": [0.0]}
    _, g = rnn_loss_and_grads(params, x[:, None, None], y[:, None, None], truncate=truncate)
    return np.array([g["W_hh"][0, 0], g["W_xh"][0, 0]])


def cosine(a: Mapping, b: Mapping) -> float:
    """Cosine of the angle between two gradients given as dicts of arrays with the same keys."""
    for name, g in (("a", a), ("b", b)):
        if not isinstance(g, Mapping):
            raise ValueError(f"{name} must be a dict of gradient arrays, such as the grads of "
                             f"rnn_loss_and_grads; got {type(g).__name__}")
    if set(a) != set(b):
        raise ValueError(f"a and b must have the same keys; got {sorted(a)} and {sorted(b)}")
    for k in a:
        if np.shape(a[k]) != np.shape(b[k]):
            raise ValueError(f"a[{k!r}] and b[{k!r}] must have the same shape; got {np.shape(a[k])} "
                             f"and {np.shape(b[k])}")
    dot = sum(float(np.sum(np.asarray(a[k]) * np.asarray(b[k]))) for k in a)
    norm_a = np.sqrt(sum(float(np.sum(np.square(a[k]))) for k in a))
    norm_b = np.sqrt(sum(float(np.sum(np.square(b[k]))) for k in b))
    if norm_a == 0 or norm_b == 0:
        raise ValueError("a and b must be non-zero gradients to have an angle; got a zero gradient")
    return dot / (norm_a * norm_b)


def truncation_errors(params: Mapping, x, y, reaches: Sequence[int], param: str = "W_hh",
                      activation: str | Activation = "tanh"):
    """Relative distance of the truncated gradients of ``param`` to the true one, at equal reach.

    For each n in ``reaches`` (n >= 0), two methods whose gradient travels at most n steps back:
    truncate=n in rnn_backward's sense (n + 1 terms for every t), and chunked training with chunks
    of n + 1 steps (0 … n steps back, depending on where t sits in its chunk).

    Returns (err_truncate, err_chunk), two (len(reaches),) arrays of relative errors.
    """
    param = _check_param(param)
    reaches = int_list("reaches", reaches, minimum=0)
    true = rnn_loss_and_grads(params, x, y, activation=activation)[1][param]
    err_truncate = [relative_error(rnn_loss_and_grads(params, x, y, activation=activation, truncate=n)[1][param], true)
                    for n in reaches]
    err_chunk = [relative_error(chunked_loss_and_grads(params, x, y, n + 1, activation=activation)[1][param], true)
                 for n in reaches]
    return np.array(err_truncate), np.array(err_chunk)


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
            num = numerical_gradient(lambda _: rnn_loss_and_grads(trial, x, y, loss, h0, act)[0], arr)
            errors[(act, name)] = relative_error(grads[name], num)
    width = 12
    lines = ["parameter".ljust(10) + "".join(a.ljust(width) for a in activations)]
    for name in PARAM_SHAPES:
        lines.append(name.ljust(10) + "".join(describe_error(errors[(a, name)], tol).ljust(width)
                                              for a in activations))
    return errors, "\n".join(line.rstrip() for line in lines)


def cache_nbytes(cache: RNNCache) -> int:
    """Bytes of the arrays the forward pass stores for BPTT that grow with T: x, z and h.

    Exactly 8·T·B·(D + 2H) for float64: memory O(T·H) for the stored states.
    """
    cache = check_cache(cache)
    return int(cache.x.nbytes + cache.z.nbytes + cache.h.nbytes)


def time_bptt(T_values: Sequence[int], H: int = 32, B: int = 1, D: int = 4, repeats: int = 7,
              seed: int = 0) -> np.ndarray:
    """Seconds for one forward + backward pass at each sequence length (best of ``repeats``).

    Wall-clock times vary from run to run: plot them, do not print them in stored outputs. The
    rounds go over all lengths in turn (round-robin), so a burst of other work on the machine
    slows one sample of several lengths rather than every sample of one length; the best of each
    length is kept. The defaults keep T·B small: above a few hundred rows OpenBLAS starts threads
    for the (T·B)-row matmuls, and on a busy machine with few cores that adds jumps that have
    nothing to do with T.
    """
    H, B, D = positive_int("H", H), positive_int("B", B), positive_int("D", D)
    repeats = positive_int("repeats", repeats)
    if isinstance(T_values, str) or np.ndim(T_values) != 1 or len(T_values) == 0:
        raise ValueError(f"T_values must be a non-empty list of sequence lengths, got {T_values!r}")
    T_values = [positive_int("T_values entry", T) for T in T_values]
    rng = np.random.default_rng(seed)
    W_xh = rng.normal(size=(H, D)) / np.sqrt(D)
    W_hh = rng.normal(size=(H, H)) * 0.9 / np.sqrt(H)
    b_h, h0 = np.zeros(H), np.zeros((B, H))
    problems = [(rng.normal(size=(T, B, D)), rng.normal(size=(T, B, H))) for T in T_values]
    best = np.full(len(T_values), np.inf)
    for _ in range(repeats):
        for i, (x, dh) in enumerate(problems):
            start = time.perf_counter()
            _, cache = rnn_forward(x, h0, W_xh, W_hh, b_h)
            rnn_backward(dh, cache)
            best[i] = min(best[i], time.perf_counter() - start)
    return best


# ----------------------------------------------------------------------------------------------
# Exercise checks
# ----------------------------------------------------------------------------------------------

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
