"""The vanilla RNN: forward pass, hand-written BPTT (full and truncated), Jacobians, losses.

Time-major, batched, column-vector maths stored as in the equations:
    z[t] = W_xh x[t] + W_hh h[t-1] + b_h,   h[t] = φ(z[t]),   h[-1] = h0
    x (T, B, D), h0 (B, H), h (T, B, H), W_xh (H, D), W_hh (H, H), b_h (H,)

Overflow: with relu or linear and large weights the states can outgrow float64 (lesson 04 shows
it). Every function here reports such an overflow as inf, never NaN: from finite inputs a NaN can
only be inf − inf or 0 · inf after an overflow, so it is replaced by inf (the rule of
``_validate.overflow_as_inf``) in the states, the outputs, the loss, the gradients and the Jacobians.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_float_array,
    check_dim,
    check_targets,
    choice,
    flag,
    has_nan,
    overflow_as_inf,
    positive_int,
    received,
    shape_str,
)
from .activations import ACTIVATIONS, Activation, get_activation

_COURSE_TANH_OK: bool | None = None       # see _is_course_tanh; decided on first use


def _is_course_tanh(act: Activation) -> bool:
    """True for the course's tanh while f(z) is np.tanh(z) and df(z) is 1 − tanh(z)² computed from
    that same tanh(z). Then rnn_forward may write np.tanh(z[t], out=h[t]) (no temporary a step) and
    rnn_backward may take φ'(z_t) = 1 − h_t² from the stored states (no second tanh), both equal to
    f and df bit for bit. Confirmed once on a probe, so a later change of either formula in
    activations.py switches these shortcuts off by itself."""
    global _COURSE_TANH_OK
    tanh = ACTIVATIONS["tanh"]
    if act is not tanh:
        return False
    if _COURSE_TANH_OK is None:
        probe = np.concatenate([np.linspace(-25.0, 25.0, 2001),
                                np.random.default_rng(0).standard_normal(2000) * 3.0,
                                [0.0, -0.0, 1e-300, -1e-300, 1e-8, 710.0, -710.0, np.inf, -np.inf]])
        with np.errstate(all="ignore"):
            h = tanh.f(probe)
            _COURSE_TANH_OK = bool(np.array_equal(h, np.tanh(probe))
                                   and np.array_equal(tanh.df(probe), 1.0 - h * h))
    return _COURSE_TANH_OK


PARAM_SHAPES = {"W_xh": ("H", "D"), "W_hh": ("H", "H"), "b_h": ("H",), "W_hy": ("K", "H"), "b_y": ("K",)}
RECURRENT_PARAMS = ("W_xh", "W_hh", "b_h")     # the parameters inside the recurrence


@dataclass(frozen=True)
class RNNCache:
    """What the backward pass needs from the forward pass.

    x (T, B, D), h0 (B, H), W_xh (H, D), W_hh (H, H), z (T, B, H) net inputs, h (T, B, H) states.
    """

    x: np.ndarray
    h0: np.ndarray
    W_xh: np.ndarray
    W_hh: np.ndarray
    z: np.ndarray
    h: np.ndarray
    activation: Activation

    @property
    def h_prev(self) -> np.ndarray:
        """(T, B, H): h[t-1] for every t, with h0 in front."""
        return np.concatenate([self.h0[None], self.h[:-1]], axis=0)


def check_rnn_inputs(x, W_xh, W_hh, b_h):
    """Validate the inputs and weights of an RNN run: x (T, B, D) with T, B >= 1, W_hh (H, H),
    W_xh (H, D), b_h (H,). Returns them as float64 arrays; raises ValueError naming the argument."""
    x = as_float_array("x", x, ("T", "B", "D"))
    T, B, D = x.shape
    if T == 0 or B == 0:
        raise ValueError(f"x must have shape (T, B, D) with T >= 1 and B >= 1, got shape {x.shape}")
    W_hh = as_float_array("W_hh", W_hh, ("H", "H"))
    H = W_hh.shape[0]
    check_dim("W_hh", W_hh, 1, H, (H, H))
    if H == 0:
        raise ValueError(f"W_hh must have shape (H, H) with H >= 1 hidden units, got shape {W_hh.shape}")
    W_xh = as_float_array("W_xh", W_xh, (H, "D"))
    if W_xh.shape[1] != D:
        raise ValueError(f"x has D = {D} numbers per step (shape {x.shape}), but W_xh has shape "
                         f"{W_xh.shape}, which takes D = {W_xh.shape[1]}; expected x of shape "
                         f"(T, B, {W_xh.shape[1]}) or W_xh of shape ({H}, {D})")
    return x, W_xh, W_hh, as_float_array("b_h", b_h, (H,))


def rnn_forward(x, h0, W_xh, W_hh, b_h, activation: str | Activation = "tanh"):
    """Run the RNN over a batch of sequences.

    Parameters
    ----------
    x : (T, B, D) inputs, time-major
    h0 : (B, H) initial state
    W_xh : (H, D), W_hh : (H, H), b_h : (H,)
    activation : "tanh", "sigmoid", "relu" or "linear"

    Returns
    -------
    h : (T, B, H) with h[t] = φ(x[t] W_xhᵀ + h[t-1] W_hhᵀ + b_h), h[-1] = h0; read-only, as the
        cache holds it (copy it to change it). inf where a state overflowed (never NaN).
    cache : RNNCache for :func:`rnn_backward`, :func:`hidden_jacobians`, :func:`jacobian_norms`
    """
    act = get_activation(activation)
    x, W_xh, W_hh, b_h = check_rnn_inputs(x, W_xh, W_hh, b_h)
    T, B, D = x.shape
    H = W_hh.shape[0]
    h0 = as_float_array("h0", h0, (B, H))

    # Overflow to inf is a legitimate outcome for relu/linear with large weights (lesson 04
    # shows it); callers check for it, so numpy's warnings would only be noise.
    # Speed (benchmarks/bench_rnn.py): the input projection is one matmul for all steps, and the
    # time loop allocates nothing large: the recurrent term goes into one (B, H) buffer, tanh
    # writes straight into h[t]. (W_hhᵀ stays a transposed view: a C-ordered copy multiplies a
    # little faster, but OpenBLAS's small-matrix kernels then round differently.)
    with np.errstate(over="ignore", invalid="ignore"):
        z = (x.reshape(T * B, D) @ W_xh.T).reshape(T, B, H)    # input projection, hoisted
        z += b_h
        h = np.empty_like(z)
        rec = np.empty((B, H))                                  # h[t-1] W_hhᵀ, reused every step
        h_t = h0
        W_hh_T = W_hh.T
        tanh = _is_course_tanh(act)
        for t in range(T):
            z_t = z[t]
            np.matmul(h_t, W_hh_T, out=rec)
            z_t += rec
            if tanh:
                h_t = np.tanh(z_t, out=h[t])
            else:
                h_t = h[t] = act.f(z_t)
    # The overflow rule, once for the run. The course's φ map NaN to NaN and ±inf to numbers, so a
    # NaN in z is one in h and a look at h finds it (a learner's φ gets a look at z as well).
    if has_nan(h) or (act is not ACTIVATIONS.get(act.name) and has_nan(z)):
        if act.name in ("tanh", "sigmoid") and act is ACTIVATIONS[act.name]:
            # a bounded φ cannot make a state overflow: a NaN net input is inf − inf inside the sums
            # of W_xh x_t + W_hh h_{t-1} + b_h, whose sign (so whose state, ±1 or 0/1) is lost
            step = int(np.isnan(z).any(axis=(1, 2)).argmax()) + 1
            raise ValueError(f"x, W_xh, W_hh and b_h are too large for float64: the net input W_xh x_t + "
                             f"W_hh h_t-1 + b_h overflows (inf − inf) at step {step}, so {act.name}'s state "
                             "there is unknown; use smaller weights or inputs")
        overflow_as_inf(z)
        overflow_as_inf(h)
    # The backward pass reads the cache: h and z are read-only (an in-place change of the
    # returned h would silently change the gradient), and the cache keeps its own copies of the
    # small arrays a caller may update in place (h0, and the weights after an SGD step).
    z.flags.writeable = h.flags.writeable = False
    return h, RNNCache(x, h0.copy(order="K"), W_xh.copy(order="K"), W_hh.copy(order="K"), z, h, act)


def check_cache(cache) -> RNNCache:
    """``cache`` itself if it is an RNNCache (from :func:`rnn_forward`), else a ValueError."""
    if not isinstance(cache, RNNCache):
        raise ValueError(f"cache must be the RNNCache returned by rnn_forward, got {type(cache).__name__}")
    return cache


def rnn_backward(dh, cache: RNNCache, truncate: int | None = None, *, state_grads: bool = False) -> dict:
    """Backpropagation through time.

    Parameters
    ----------
    dh : (T, B, H), dh[t] = ∂L/∂h[t] through the output at step t only (the function adds the
        recurrent path h[t] -> h[t+1]).
    cache : from :func:`rnn_forward`
    truncate : None for full BPTT, or k >= 0: the gradient that enters at h[t] flows back at most k
        recurrent steps (reaching h[t], ..., h[t-k]; h0 only when t-k <= -1), and each state it
        reaches contributes its immediate ∂⁺h/∂θ. k >= T equals full BPTT.
    state_grads : also return "h" (T, B, H), the total ∂L/∂h[t] of every step (both paths into
        h[t], before φ'), the error δ that Pascanu et al.'s regulariser (2013) reads

    Returns
    -------
    dict with "x" (T, B, D), "h0" (B, H), "W_xh" (H, D), "W_hh" (H, H), "b_h" (H,) (and "h"); with the
    course's activations, inf where a gradient overflowed (never NaN). dh may hold inf (an output
    gradient that overflowed) but not NaN: every helper reports an overflow as inf, so a NaN can
    only be a mistake.
    """
    cache = check_cache(cache)
    T, B, H = cache.h.shape
    D = cache.x.shape[2]
    dh = as_float_array("dh", dh, (T, B, H), finite=False)      # inf: the output gradient overflowed
    if truncate is not None:
        truncate = positive_int("truncate", truncate, minimum=0)
    dh_total = np.empty_like(dh) if flag("state_grads", state_grads) else None

    # δ_t is the row dz[t] (B, H), one row per sequence, so W_hhᵀ δ_t is dz[t] @ W_hh. φ'(z_t) comes a
    # step at a time; for tanh as 1 − h_t² from the stored states, as in min-char-rnn (_is_course_tanh).
    W_hh, z, h, df = cache.W_hh, cache.z, cache.h, cache.activation.df
    if _is_course_tanh(cache.activation):
        def dphi(t): return 1.0 - h[t] * h[t]
    else:
        def dphi(t): return df(z[t])
    with np.errstate(over="ignore", invalid="ignore"):    # a diverging run may overflow: no warnings
        dz = np.empty_like(dh)                              # δ_t for every t, (T, B, H)
        if truncate is None or truncate >= T:
            g = np.zeros((B, H))                            # nothing arrives from h_{T+1}
            for t in reversed(range(T)):
                if dh_total is not None:
                    dh_total[t] = dh[t] + g                 # ∂L/∂h_t, kept on request
                dz[t] = (dh[t] + g) * dphi(t)               # δ_t: both paths into h_t, then through φ
                g = dz[t] @ W_hh                            # W_hhᵀ δ_t, on to h_{t-1}
        else:
            # A[j] is what entered at h_{t+j} and has come back j steps to h_t: at most k+1 of
            # them are in flight, and all travel together, one matmul a step.
            A = np.zeros((truncate + 1, B, H))
            for t in reversed(range(T)):
                A[0] = dh[t]                                # enters at h_t, from the output only
                if dh_total is not None:
                    dh_total[t] = A.sum(axis=0)             # ∂L/∂h_t as far as the window lets it
                A *= dphi(t)                                # each through φ at step t
                dz[t] = A.sum(axis=0)                       # δ_t: the sum of those in flight
                A[1:] = A[:-1] @ W_hh                       # on to h_{t-1}; A[k] has used its k steps
            g = A[1:].sum(axis=0)                           # those that reach h_0

        dz2 = dz.reshape(T * B, H)                          # every δ_t of every sequence, as rows
        grads = {
            "x": (dz2 @ cache.W_xh).reshape(T, B, D),       # W_xhᵀ δ_t
            "h0": g,                                        # what reaches h_0
            "W_xh": dz2.T @ cache.x.reshape(T * B, D),      # Σ_t δ_t x_tᵀ
            "W_hh": dz[0].T @ cache.h0 + dz2[B:].T @ h[:-1].reshape(-1, H),   # Σ_t δ_t h_{t-1}ᵀ
            "b_h": dz2.sum(axis=0),                         # Σ_t δ_t
        }
        if dh_total is not None:
            grads["h"] = dh_total
    # The overflow rule, for the course's φ only: a learner's φ' that returns NaN keeps its NaN
    if cache.activation is ACTIVATIONS.get(cache.activation.name):
        for g in grads.values():
            overflow_as_inf(g)
    return grads


def hidden_jacobians(cache: RNNCache) -> np.ndarray:
    """(T, B, H, H) with [t, b] = ∂h[t]/∂h[t-1] = diag(φ'(z[t])) W_hh for sequence b (inf, not NaN,
    where an entry overflowed)."""
    cache = check_cache(cache)
    with np.errstate(over="ignore", invalid="ignore"):
        J = cache.activation.df(cache.z)[..., :, None] * cache.W_hh
    overflow_as_inf(J)
    return J


def _matrices(name: str, P) -> None:
    """Raise ValueError unless ``P`` is a float64 array of n × m matrices, n, m >= 1 (inf allowed, not NaN)."""
    if not (isinstance(P, np.ndarray) and P.dtype == np.float64 and P.ndim >= 2):
        raise ValueError(f"{name} must be a float64 numpy array of shape (..., n, m), got "
                         f"{type(P).__name__} {getattr(P, 'dtype', '')} {shape_str(np.shape(P))}")
    if 0 in P.shape[-2:]:
        raise ValueError(f"{name} must hold matrices of shape (n, m) with n, m >= 1, got shape {P.shape}")


def renormalise(P: np.ndarray) -> np.ndarray:
    """Divide each matrix of P (..., n, m) in place by its largest |entry| and return the natural
    log of the divisors (...,). A matrix whose largest entry is 0 or inf is left as it is (log 1 =
    0); NaN is refused. Carrying the logs beside P keeps long products of Jacobians inside float64."""
    _matrices("P", P)
    if not P.flags.writeable:
        raise ValueError("P must be writeable: renormalise divides it in place")
    m = np.abs(P).max(axis=(-2, -1))
    if np.isnan(m).any():
        raise ValueError(f"P contains NaN; expected matrices of numbers (inf allowed), shape {P.shape}")
    m = np.where((m > 0) & np.isfinite(m), m, 1.0)
    P /= m[..., None, None]
    return np.log(m)


def log_spectral_norms(P: np.ndarray, logs: np.ndarray) -> np.ndarray:
    """ln ‖P · exp(logs)‖₂ for each matrix of P (..., n, m) and its log scale (...,): one batched
    SVD. -inf for a zero matrix, inf for a matrix with an inf entry or an inf log scale; overflow
    is left to the caller (exp of it gives inf, never NaN). NaN is refused."""
    _matrices("P", P)
    if np.shape(logs) != P.shape[:-2]:
        raise ValueError(f"logs must hold one log scale per matrix of P: P has shape {P.shape}, so logs must "
                         f"have shape {shape_str(P.shape[:-2])}; got {received(logs)}")
    logs = as_float_array("logs", logs, P.shape[:-2], finite=False)
    overflowed = np.isinf(P).any(axis=(-2, -1))
    if np.isnan(P).any():
        raise ValueError(f"P contains NaN; expected matrices of numbers (inf allowed), shape {P.shape}")
    if overflowed.any():
        P = np.where(overflowed[..., None, None], 0.0, P)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = logs + np.log(np.linalg.svd(P, compute_uv=False)[..., 0])
    return np.where(overflowed | (logs == np.inf), np.inf, out)


def product_norms(J) -> np.ndarray:
    """(T, B) spectral norms [k, b] = ‖J[T-1] ⋯ J[T-k]‖₂ of the products of the last k step
    Jacobians J (T, B, H, H) of sequence b, for k = 0 … T-1, so [0] = 1.

    The products are renormalised as they grow, so a product too large or too small for float64
    comes out as inf or 0 (never NaN) while the rest stay exact. J may hold inf (an entry that
    overflowed), not NaN.
    """
    J = as_float_array("J", J, ("T", "B", "H", "H"), finite=False)
    T, B, H, H2 = J.shape
    if min(T, B, H) == 0 or H2 != H:
        raise ValueError(f"J must have shape (T, B, H, H) with T, B, H >= 1 (square step Jacobians), "
                         f"got shape {J.shape}")
    P = np.broadcast_to(np.eye(H), (B, H, H)).copy()
    log_scale = np.zeros(B)
    Q = np.empty((T, B, H, H))
    logs = np.empty((T, B))
    with np.errstate(over="ignore", invalid="ignore"):     # a product may overflow: inf, by the rule
        for k in range(T):
            if k:
                P = overflow_as_inf(P @ J[T - k])           # J[T-1] ⋯ J[T-k]
            log_scale += renormalise(P)
            Q[k], logs[k] = P, log_scale
        return np.exp(log_spectral_norms(Q, logs))


def jacobian_norms(cache: RNNCache) -> np.ndarray:
    """(T, B) spectral norms [k, b] = ‖∂h[T-1]/∂h[T-1-k]‖₂ for k = 0 … T-1, so [0] = 1: the
    :func:`product_norms` of :func:`hidden_jacobians` (inf or 0 beyond float64, never NaN)."""
    return product_norms(hidden_jacobians(cache))


def check_params(params: Mapping) -> dict:
    """The RNN's parameters as float64 arrays, after checking that ``params`` has exactly the keys
    W_xh (H, D), W_hh (H, H), b_h (H,), W_hy (K, H), b_y (K,) with shapes that fit together."""
    if not isinstance(params, Mapping):
        raise ValueError(f"params must be a dict with keys {', '.join(PARAM_SHAPES)}, got {type(params).__name__}")
    missing = [k for k in PARAM_SHAPES if k not in params]
    if missing:
        raise ValueError(f"params is missing {', '.join(missing)}; expected keys {', '.join(PARAM_SHAPES)}")
    extra = [repr(k) for k in params if k not in PARAM_SHAPES]
    if extra:
        raise ValueError(f"params has unexpected key(s) {', '.join(extra)}; expected exactly the keys "
                         f"{', '.join(PARAM_SHAPES)} (pass h0 and other settings as arguments)")
    W_hh = as_float_array("params['W_hh']", params["W_hh"], ("H", "H"))
    H = W_hh.shape[0]
    check_dim("params['W_hh']", W_hh, 1, H, (H, H))
    out = {"W_hh": W_hh}
    out["W_hy"] = as_float_array("params['W_hy']", params["W_hy"], ("K", H))
    K = out["W_hy"].shape[0]
    out["W_xh"] = as_float_array("params['W_xh']", params["W_xh"], (H, "D"))
    out["b_h"] = as_float_array("params['b_h']", params["b_h"], (H,))
    out["b_y"] = as_float_array("params['b_y']", params["b_y"], (K,))
    return out


def rnn_outputs(params: Mapping, x, h0=None, activation: str | Activation = "tanh"):
    """Outputs o[t] = W_hy h[t] + b_y.

    Returns o (T, B, K), h (T, B, H) and the forward cache (inf where a value overflowed, never NaN).
    """
    p = check_params(params)
    x = as_float_array("x", x, ("T", "B", p["W_xh"].shape[1]))
    H = p["W_hh"].shape[0]
    h0 = np.zeros((x.shape[1], H)) if h0 is None else h0
    h, cache = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"], activation)
    with np.errstate(over="ignore", invalid="ignore"):
        o = h @ p["W_hy"].T + p["b_y"]
    overflow_as_inf(o)
    return o, h, cache


def _mse_targets(y, T: int, B: int, K: int) -> tuple[np.ndarray, np.ndarray]:
    """(y with NaN rows as 0, has_target (T, B)): y (T, B, K) checked, a whole NaN row = no target."""
    y = as_float_array("y", y, (T, B, K), finite=False, nan=True)
    missing = np.isnan(y)
    has_target = ~missing.all(axis=-1)
    if np.any(missing.any(axis=-1) & has_target):
        raise ValueError("y has a row that is only partly NaN; mark a step without a target "
                         "with a whole row of NaN (shape (K,) at y[t, b])")
    if not np.all(np.isfinite(y[has_target])):
        raise ValueError("y contains inf; expected finite targets (or whole NaN rows for no target)")
    return np.nan_to_num(y), has_target


def _class_labels(y, T: int, B: int, K: int) -> np.ndarray:
    """y (T, B) checked as integer class labels in 0 … K-1, -1 for no target; as int64."""
    y = np.asarray(y)
    if y.shape != (T, B):
        raise ValueError(f"y must have shape {shape_str((T, B))} for loss='softmax', got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        if y.dtype.kind not in "f":
            raise ValueError(f"y must hold integer class labels for loss='softmax' (-1 for no target), "
                             f"got an array of dtype {y.dtype}")
        bad = ~np.equal(np.mod(y, 1), 0)
        if np.any(bad):
            where = ", ".join(str(int(i)) for i in np.argwhere(bad)[0])
            raise ValueError(f"y must hold integer class labels for loss='softmax', got "
                             f"{float(y[bad][0]):g} at y[{where}]; mark a step without a target "
                             "with -1, not NaN")
        y = y.astype(np.int64)
    if np.any((y < -1) | (y >= K)):
        raise ValueError(f"y must hold class labels in 0 … {K - 1} (or -1 for no target); "
                         f"got values from {y.min()} to {y.max()}")
    return y


def output_loss(o, y, loss: str = "mse"):
    """Loss of outputs o (T, B, K) against targets, averaged over the batch, and ∂loss/∂o.

    loss="mse": y (T, B, K), ℓ_t = ½‖o[t] - y[t]‖²; a row of NaN in y means "no target here".
    loss="softmax": y (T, B) integer classes, ℓ_t = -log softmax(o[t])[y[t]]; -1 means no target.
    Returns (loss, do) with do (T, B, K). Outputs that overflowed (inf in o) give an inf loss and
    inf, never NaN, in do; NaN in o is refused (every helper reports an overflow as inf).
    """
    choice("loss", loss, ("mse", "softmax"))
    o = as_float_array("o", o, ("T", "B", "K"), finite=False)     # inf: outputs that overflowed
    T, B, K = o.shape
    _check_outputs_and_targets(o, y, loss)
    with np.errstate(over="ignore", invalid="ignore"):
        if loss == "mse":
            y, has_target = _mse_targets(y, T, B, K)
            diff = np.where(has_target[..., None], o - y, 0.0)            # o_t − y_t where there is a target
            return _overflowed_as_inf(o, 0.5 * np.sum(diff * diff) / B, diff / B)
        y = _class_labels(y, T, B, K)
        has_target, label = y >= 0, np.maximum(y, 0)[..., None]
        shifted = o - o.max(axis=-1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))     # log softmax(o_t)
        value = -np.sum(np.where(has_target, np.take_along_axis(logp, label, axis=-1)[..., 0], 0.0)) / B
        do = np.exp(logp)                                                    # softmax(o_t) − onehot(y_t)
        np.put_along_axis(do, label, np.take_along_axis(do, label, axis=-1) - 1.0, axis=-1)
        return _overflowed_as_inf(o, value, np.where(has_target[..., None], do, 0.0) / B)


def _overflowed_as_inf(o: np.ndarray, value, do: np.ndarray) -> tuple:
    """(value, do) of :func:`output_loss` under the overflow rule (o holds no NaN, only inf)."""
    overflow_as_inf(do)
    return (np.float64(np.inf) if np.isnan(value) else value), do


def _check_outputs_and_targets(o: np.ndarray, y, loss: str) -> None:
    """Raise ValueError naming o and y when y (an array of the right number of axes) does not have
    one target per output: (T, B, K) like o for "mse", (T, B) for "softmax"; and for "softmax"
    unless o has K >= 1 classes."""
    T, B, K = o.shape
    want = (T, B, K) if loss == "mse" else (T, B)
    try:
        got = np.shape(y)
    except ValueError:                          # a ragged list: y's own check names it
        return
    if len(got) == len(want) and got != want:
        raise ValueError(f"o has shape {o.shape} but y has shape {got}; expected y of shape "
                         f"{shape_str(want)} for loss={loss!r} (one target per output step), or o of "
                         "the shape y fits")
    if loss == "softmax" and K == 0:
        raise ValueError(f"o must have K >= 1 class scores per step for loss='softmax', got shape {o.shape}")


def readout_gradients(do, h, W_hy) -> tuple[np.ndarray, dict]:
    """Back through the output layer o[t] = W_hy h[t] + b_y of any recurrent cell.

    do : (T, B, K) ∂L/∂o[t]; h : (T, B, H) the states; W_hy : (K, H)
    Returns dh (T, B, H) = do @ W_hy, the gradient that enters each h[t] from its output, and
    {"W_hy": (K, H), "b_y": (K,)}; inf (never NaN) where a value overflowed.
    """
    do = as_float_array("do", do, ("T", "B", "K"), finite=False)
    h = as_float_array("h", h, ("T", "B", "H"), finite=False)      # a relu state may overflow to inf
    W_hy = as_float_array("W_hy", W_hy, ("K", "H"))
    (T, B, K), H = do.shape, h.shape[2]
    if h.shape[:2] != (T, B) or W_hy.shape != (K, H):
        raise ValueError(f"do (T, B, K), h (T, B, H) and W_hy (K, H) must agree; got do {do.shape}, h {h.shape}, "
                         f"W_hy {W_hy.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        dh = do @ W_hy
        do2 = do.reshape(T * B, K)
        grads = {"W_hy": do2.T @ h.reshape(T * B, H), "b_y": do2.sum(axis=0)}
    for g in (dh, *grads.values()):
        overflow_as_inf(g)
    return dh, grads


def rnn_loss_and_grads(params: Mapping, x, y, loss: str = "mse", h0=None,
                       activation: str | Activation = "tanh", truncate: int | None = None):
    """Loss of the RNN with an output layer, and its gradient with respect to every parameter.

    o[t] = W_hy h[t] + b_y; loss = (1/B) Σ_b Σ_t ℓ_t (see :func:`output_loss` for ℓ_t and for how
    steps without a target are marked; many-to-one = a target at the last step only).

    Parameters
    ----------
    params : dict with W_xh (H, D), W_hh (H, H), b_h (H,), W_hy (K, H), b_y (K,)
    x : (T, B, D); y : (T, B, K) floats for "mse", (T, B) ints for "softmax"
    h0 : (B, H) or None for zeros; truncate : as in :func:`rnn_backward`

    Returns
    -------
    (loss, grads) with grads having the keys of params; inf (never NaN) where a value overflowed.
    """
    choice("loss", loss, ("mse", "softmax"))
    o, h, cache = rnn_outputs(params, x, h0, activation)
    W_hy = np.asarray(params["W_hy"], dtype=np.float64)
    check_targets(cache.x, y, loss, W_hy.shape[0])
    value, do = output_loss(o, y, loss)
    dh, readout = readout_gradients(do, h, W_hy)
    back = rnn_backward(dh, cache, truncate)
    grads = {"W_xh": back["W_xh"], "W_hh": back["W_hh"], "b_h": back["b_h"], **readout}
    return float(value), {k: grads[k] for k in params}
