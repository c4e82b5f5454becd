"""Truncated BPTT and what it costs (lesson 03): which terms C[t, s] a training method keeps, the
error truncation makes, whether the truncated gradient still points downhill, chunked training,
and the time and memory of BPTT.

Indexing as in :mod:`helpers.bptt`: t and s are steps (s ≤ t), C[t, s] is the gradient that the
loss at step t sends into the copy of the parameters used at step s, and the 0-based arrays hold
it at ``[t-1, s-1]``.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ._validate import (
    as_float_array,
    check_targets,
    choice,
    function,
    int_list,
    overflow_as_inf,
    positive_float,
    positive_int,
    scaled_cosine,
    scaled_norm,
)
from ._validate import seed as check_seed
from .activations import Activation, get_activation
from .gradcheck import numerical_jacobian, relative_error
from .rnn import (
    RECURRENT_PARAMS,
    RNNCache,
    check_cache,
    check_params,
    output_loss,
    rnn_backward,
    rnn_forward,
    rnn_loss_and_grads,
    rnn_outputs,
)


def window_mask(T: int, truncate: int | None = None, chunk: int | None = None) -> np.ndarray:
    """(T, T) boolean: which terms C[t, s] of :func:`helpers.bptt.contributions` a training method keeps.

    Entry [t-1, s-1] is for the term C[t, s] (0-based arrays, as for contributions).
    full BPTT (both None): every s ≤ t.  truncate=n: t − n ≤ s ≤ t (the window slides with t).
    chunk=c: the window starts at the first step of t's chunk (steps 1 … c, c+1 … 2c, …), so steps
    early in a chunk get almost no history. Give at most one of truncate, chunk.
    """
    T = positive_int("T", T)
    truncate = None if truncate is None else positive_int("truncate", truncate, minimum=0)
    chunk = None if chunk is None else positive_int("chunk", chunk)
    if truncate is not None and chunk is not None:
        raise ValueError(f"give at most one of truncate and chunk, got truncate={truncate} and chunk={chunk}")
    t = np.arange(T)[:, None]                       # array indices: t here is the maths' t − 1
    s = np.arange(T)[None, :]
    mask = s <= t
    if truncate is not None:
        mask &= s >= t - truncate
    if chunk is not None:
        mask &= s >= (t // chunk) * chunk
    return mask


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
    keys of params. Where the forward pass overflows float64, the loss and the gradients that it
    reaches are inf, as in :func:`helpers.rnn.rnn_loss_and_grads` (a state that overflowed is
    carried on as ± the largest float64).
    """
    p = check_params(params)
    get_activation(activation)
    x = as_float_array("x", x, ("T", "B", p["W_xh"].shape[1]))
    T, B, _ = x.shape
    K, H = p["W_hy"].shape
    check_targets(x, y, loss, K)
    output_loss(np.zeros((T, B, K)), y, loss)                # checks y itself before it is cut into chunks
    y = np.asarray(y)
    chunk = positive_int("chunk", chunk)
    state = np.zeros((B, H)) if h0 is None else as_float_array("h0", h0, (B, H))
    total = 0.0
    grads = {name: np.zeros_like(p[name]) for name in params}
    with np.errstate(over="ignore", invalid="ignore"):       # overflowed gradients add up to inf (below), not NaN
        for start in range(0, T, chunk):
            piece = slice(start, start + chunk)
            value, g = rnn_loss_and_grads(params, x[piece], y[piece], loss, h0=state, activation=activation)
            total += value
            for name in grads:
                grads[name] += g[name]
            state = np.nan_to_num(rnn_outputs(params, x[piece], state, activation)[1][-1])   # carried, as a constant
    for g in grads.values():
        overflow_as_inf(g)
    return float(total), grads


def truncated_gradient_cosines(params: Mapping, x, y, truncates: Sequence[int],
                                activation: str | Activation = "tanh"):
    """How far truncated gradients of the recurrent weights are from the true one, and where they point.

    For each n in ``truncates``: g_n, the gradient of (W_xh, W_hh, b_h) with truncate=n (as one
    long vector; W_hy and b_y are exact either way), against the true gradient g = ∇L.

    Returns
    -------
    (cosines, dropped): two (len(truncates),) arrays, cos∠(g_n, g), and ‖g_n − g‖ / ‖g‖, the size of
    the dropped terms relative to the gradient. dropped < 1 guarantees cosine > 0 (g_n is then a
    descent direction): g_n · g ≥ ‖g‖ (‖g‖ − ‖g_n − g‖). A g_n of zero has cosine 0. Raises
    ValueError if g is zero or a gradient overflows float64 (then no direction is defined).
    """
    truncates = int_list("truncates", truncates, minimum=0)

    def recurrent(**kw):
        grads = rnn_loss_and_grads(params, x, y, activation=activation, **kw)[1]
        return _finite(np.concatenate([np.ravel(grads[name]) for name in RECURRENT_PARAMS]))

    full = recurrent()
    norm = scaled_norm(full)
    if norm == 0:
        raise ValueError("params, x, y give a zero gradient of W_xh, W_hh, b_h: no direction to compare with")
    cosines, dropped = [], []
    for n in truncates:
        g = recurrent(truncate=n)
        cosines.append(scaled_cosine([g], [full]) if np.any(g) else 0.0)
        dropped.append(scaled_norm(g / norm - full / norm))
    return np.array(cosines), np.array(dropped)


def _finite(g: np.ndarray) -> np.ndarray:
    """``g`` if every entry is finite; a gradient that overflowed float64 has no direction to compare."""
    if not np.all(np.isfinite(g)):
        raise ValueError("params, x, y give a gradient that overflows float64 (inf): the weights are too large "
                         "for this many steps, so its direction is undefined; use smaller weights or a shorter x")
    return g


def gradient_field_jacobian(grad_fn: Callable[[np.ndarray], np.ndarray], theta, eps: float = 1e-5) -> np.ndarray:
    """(n, n) central-difference Jacobian of a vector field g(θ), θ of shape (n,).

    If g is the gradient of some function, this matrix is that function's Hessian and is
    symmetric; a clearly non-symmetric result proves g is the gradient of nothing. Column j is
    (g(θ + eps·e_j) − g(θ − eps·e_j)) / (2 eps), as :func:`helpers.gradcheck.numerical_jacobian`
    takes it: eps must move θ_j, and g must stay finite there (a ValueError names grad_fn,
    theta and eps otherwise); ±inf where a quotient exceeds float64.
    """
    theta = as_float_array("theta", theta, ("n",)).copy()
    eps = positive_float("eps", eps)
    function("grad_fn", grad_fn, "lambda theta: 2 * theta (theta -> g(theta))")
    n = theta.size

    def g(t):
        out = as_float_array("grad_fn(theta)", grad_fn(t), ("n",), finite=False, nan=True)
        if out.shape != (n,):
            raise ValueError(f"grad_fn must return an array of shape ({n},), like theta; got shape {out.shape}")
        return out

    return numerical_jacobian(g, theta, eps, names=("grad_fn", "theta"))


def scalar_rnn_gradient(theta, x, y, truncate: int | None = None) -> np.ndarray:
    """[∂L/∂w, ∂L/∂u] for the scalar RNN h_t = tanh(w h_{t-1} + u x_t), h_0 = 0, L = Σ_t ½(h_t − y_t)².

    theta = (w, u); x (T,), y (T,) with NaN where a step has no target; truncate as in rnn_backward.
    """
    w, u = as_float_array("theta", theta, (2,))
    x = as_float_array("x", x, ("T",))
    y = as_float_array("y", y, ("T",), finite=False, nan=True)
    if y.size != x.size:
        raise ValueError(f"x has T = {x.size} steps but y has {y.size}; expected y of shape ({x.size},), "
                         "one target a step")
    params = {"W_xh": [[u]], "W_hh": [[w]], "b_h": [0.0], "W_hy": [[1.0]], "b_y": [0.0]}
    _, g = rnn_loss_and_grads(params, x[:, None, None], y[:, None, None], truncate=truncate)
    return np.array([g["W_hh"][0, 0], g["W_xh"][0, 0]])


def truncation_errors(params: Mapping, x, y, reaches: Sequence[int], param: str = "W_hh",
                      activation: str | Activation = "tanh"):
    """Relative distance of the truncated gradients of ``param`` to the true one, at equal reach.

    For each n in ``reaches`` (n >= 0), two methods whose gradient travels at most n steps back:
    truncate=n in rnn_backward's sense (n + 1 terms for every t), and chunked training with chunks
    of n + 1 steps (0 … n steps back, depending on where t sits in its chunk).

    Returns (err_truncate, err_chunk), two (len(reaches),) arrays of relative errors. Raises
    ValueError if a gradient overflows float64.
    """
    param = choice("param", param, RECURRENT_PARAMS)
    reaches = int_list("reaches", reaches, minimum=0)
    true = _finite(rnn_loss_and_grads(params, x, y, activation=activation)[1][param])
    truncated = [rnn_loss_and_grads(params, x, y, activation=activation, truncate=n)[1][param] for n in reaches]
    chunked = [chunked_loss_and_grads(params, x, y, n + 1, activation=activation)[1][param] for n in reaches]
    err_truncate = [relative_error(_finite(g), true) for g in truncated]
    err_chunk = [relative_error(_finite(g), true) for g in chunked]
    return np.array(err_truncate), np.array(err_chunk)


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
    T_values = int_list("T_values", T_values)
    rng = np.random.default_rng(check_seed("seed", seed))
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
