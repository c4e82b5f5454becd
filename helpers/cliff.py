"""The one-unit recurrent model of Pascanu, Mikolov & Bengio (2013), where the gradient cliff lives.

    x_t = w σ(x_{t-1}) + b,   t = 1 … T,   x_0 given,   E = (σ(x_T) − target)²

Its fixed points, their stability, the bifurcation over b, the error surface over (w, b) with its
exact gradient (scalar BPTT, vectorised over any grid of (w, b)), and gradient-descent paths with
and without clipping. σ is the logistic sigmoid. A state or a b beyond float64 overflows to ±inf
(σ(±inf) is exact, so nothing turns into NaN).
"""
from __future__ import annotations

import math

import numpy as np

from ._validate import as_float_array, choice, overflow_as_inf, positive_float, positive_int, real, reals
from .activations import get_activation
from .optim import clip_by_global_norm, clip_by_value

_SIG = get_activation("sigmoid")


def step_map(x, w: float, b: float) -> np.ndarray:
    """One step of the model, x ↦ w σ(x) + b, element-wise (x any shape; ±inf allowed, an overflowed state)."""
    x = as_float_array("x", x, tuple("N" * np.ndim(x)), finite=False)
    return _step(x, real("w", w), real("b", b))


def _step(x, w: float, b: float):
    """step_map without the checks, for the loops below (their arguments are checked once)."""
    with np.errstate(over="ignore"):                        # a state beyond float64: ±inf
        return w * _SIG.f(x) + b


def fixed_points(w: float, b: float, *, grid: int = 4001, iters: int = 80):
    """All fixed points x* = w σ(x*) + b and whether each is stable.

    Every fixed point lies in [b, b + w] (w ≥ 0) or [b + w, b] (w < 0) because 0 < σ < 1. The
    residual r(x) = x − w σ(x) − b is scanned on ``grid`` points of that interval, and each sign
    change is refined by bisection. A fixed point is stable when |w σ'(x*)| < 1 (the map contracts
    around it).

    Returns
    -------
    x_star : (n,) sorted fixed points (n = 1 or 3; 2 only exactly at a saddle-node)
    stable : (n,) bool, |w σ'(x*)| < 1
    """
    w, b = real("w", w), real("b", b)
    if not np.isfinite(b + w):
        raise ValueError(f"w and b must keep b + w within float64 (the fixed points lie between b and b + w); "
                         f"got w = {w:g}, b = {b:g}")
    grid = positive_int("grid", grid, minimum=3)
    iters = positive_int("iters", iters)
    lo, hi = min(b, b + w), max(b, b + w)
    lo, hi = lo - 1e-9 - 1e-12 * abs(lo), hi + 1e-9 + 1e-12 * abs(hi)
    xs = np.linspace(lo, hi, grid)
    r = xs - _step(xs, w, b)
    roots = list(xs[r == 0])
    idx = np.nonzero(np.sign(r[:-1]) * np.sign(r[1:]) < 0)[0]
    a, c = xs[idx], xs[idx + 1]
    ra = r[idx]
    for _ in range(iters):                                   # vectorised bisection
        m = 0.5 * a + 0.5 * c                                # = 0.5 (a + c) exactly, and a + c cannot overflow
        rm = m - _step(m, w, b)
        left = np.sign(rm) == np.sign(ra)
        a, ra = np.where(left, m, a), np.where(left, rm, ra)
        c = np.where(left, c, m)
    x_star = np.sort(np.concatenate([roots, 0.5 * a + 0.5 * c]))
    stable = np.abs(w * _SIG.df(x_star)) < 1.0
    return x_star, stable


def saddle_node_points(w: float, *, iters: int = 200):
    """The two saddle-nodes of the map at a given w > 4, where a stable and an unstable fixed
    point meet and disappear.

    Conditions: x = w σ(x) + b (a fixed point) and w σ'(x) = 1 (the slope of the map is one).
    σ' is even and decreasing on x > 0, so w σ'(x) = 1 has one root x_s > 0, found by bisection on
    [0, x_max]; the other is −x_s. Each gives b = x − w σ(x).

    Returns
    -------
    x : (2,) the fixed points at the saddle-nodes, [x_s, −x_s]
    b : (2,) the matching b, ascending (b[0] < b[1]): the bistable interval is (b[0], b[1])
    """
    w = real("w", w)
    if w <= 4.0:
        raise ValueError(f"w must be > 4 for two stable fixed points to coexist (max σ' = 1/4); got {w}")
    iters = positive_int("iters", iters)
    lo, hi = 0.0, 1.0
    while w * _SIG.df(hi) > 1.0:                             # bracket the root on x > 0
        hi *= 2.0
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        if w * _SIG.df(mid) > 1.0:
            lo = mid
        else:
            hi = mid
    x_s = 0.5 * (lo + hi)
    x = np.array([x_s, -x_s])
    b = x - w * _SIG.f(x)
    return x, b


def bistable_interval(w: float) -> tuple[float, float]:
    """(b_low, b_high): for b strictly inside, the map at this w has two stable fixed points."""
    _, b = saddle_node_points(w)
    return float(b[0]), float(b[1])


def bifurcation_curve(w: float, x_min: float = -8.0, x_max: float = 8.0, n: int = 801):
    """The fixed points over b at fixed w, traced exactly by parametrising with x.

    Every x is a fixed point for exactly one b, namely b = x − w σ(x); so the curve (b(x), x)
    is the whole bifurcation diagram.

    Returns
    -------
    x : (n,) fixed points; b : (n,) the b for which each is a fixed point;
    stable : (n,) bool, |w σ'(x)| < 1
    """
    w = real("w", w)
    n = positive_int("n", n, minimum=2)
    x_min, x_max = real("x_min", x_min), real("x_max", x_max)
    if not x_max > x_min or not np.isfinite(x_max - x_min):
        raise ValueError(f"x_max must be greater than x_min, by less than float64's largest number; got "
                         f"x_min={x_min}, x_max={x_max}")
    x = np.linspace(x_min, x_max, n)
    with np.errstate(over="ignore"):                        # a b beyond float64: ±inf
        return x, x - w * _SIG.f(x), np.abs(w * _SIG.df(x)) < 1.0


def trajectory(w, b, *, T: int = 50, x0: float = 0.5) -> np.ndarray:
    """States x_0 … x_T for every (w, b) of broadcastable arrays: shape (T + 1, *broadcast shape)."""
    T = positive_int("T", T)
    w, b = reals("w", w), reals("b", b)
    x0 = real("x0", x0)
    try:
        shape = np.broadcast_shapes(w.shape, b.shape)
    except ValueError:
        raise ValueError(f"w and b must broadcast together, got shapes {w.shape} and {b.shape}") from None
    x = np.empty((T + 1,) + shape)
    x[0] = x0
    for t in range(1, T + 1):
        x[t] = _step(x[t - 1], w, b)
    return x


def _target(target) -> float:
    """target checked: a number within ±1e150. σ(x_T) lies in (0, 1), so E = (σ(x_T) − target)² and the
    first factor of its gradient, 2 (σ(x_T) − target), then stay far inside float64 (E < 1e301)."""
    target = real("target", target)
    if abs(target) > 1e150:
        raise ValueError(f"target must be within ±1e150 (σ(x_T) lies in (0, 1); E = (σ(x_T) − target)² would "
                         f"overflow float64 beyond it), got {target:g}")
    return target


def error_and_grad(w, b, *, T: int = 50, x0: float = 0.5, target: float = 0.7):
    """E = (σ(x_T) − target)² and its exact gradient (∂E/∂w, ∂E/∂b), by BPTT.

    Backward pass (δ_t = ∂E/∂x_t):
        δ_T = 2 (σ(x_T) − target) σ'(x_T)
        ∂E/∂w = Σ_t δ_t σ(x_{t-1}),   ∂E/∂b = Σ_t δ_t,   δ_{t-1} = δ_t w σ'(x_{t-1})
    Works element-wise on broadcastable arrays w and b (a whole grid at once).

    Returns
    -------
    E, dE_dw, dE_db : arrays with the broadcast shape of w and b; a gradient that exceeds float64 is
        inf (never NaN). target is within ±1e150 (so E stays within float64).
    """
    target = _target(target)
    x = trajectory(w, b, T=T, x0=x0)
    w = np.asarray(w, dtype=np.float64)
    s_T = _SIG.f(x[-1])
    E = (s_T - target) ** 2
    delta = 2.0 * (s_T - target) * _SIG.df(x[-1])
    dw = np.zeros_like(E)
    db = np.zeros_like(E)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(T, 0, -1):
            dw += delta * _SIG.f(x[t - 1])
            db += delta
            delta = delta * w * _SIG.df(x[t - 1])
    return E, overflow_as_inf(dw), overflow_as_inf(db)


def _sigmoid(z: float) -> float:
    return 0.5 * (1.0 + math.tanh(0.5 * z))          # the course's σ (activations.py), for one float


def _error_and_grad_one(w: float, b: float, T: int, x0: float, target: float) -> tuple[float, float, float]:
    """:func:`error_and_grad` for one (w, b), in Python floats: the same sums in the same order, about
    20 times faster than numpy on 0-d arrays. gd_path calls it at every step, and lesson 06's slider
    runs two paths for every update. It agrees with error_and_grad to about 1e-12 (math's and numpy's
    tanh differ in the last bits; tests/test_cliff.py holds the two together)."""
    x = [x0]
    for _ in range(T):
        x.append(w * _sigmoid(x[-1]) + b)
    s_T = _sigmoid(x[-1])
    delta = 2.0 * (s_T - target) * (s_T * _sigmoid(-x[-1]))
    dw = db = 0.0
    for t in range(T, 0, -1):
        s = _sigmoid(x[t - 1])
        dw += delta * s
        db += delta
        delta = delta * w * (s * _sigmoid(-x[t - 1]))
    return (s_T - target) ** 2, dw, db


def wall_line(w, x0: float = 0.5) -> np.ndarray:
    """b on the cliff for each w: where x0 is itself an unstable fixed point, b = x0 − w σ(x0).

    That fixed point is the watershed between the two basins: on one side of this line x_T ends
    at the low stable point, on the other at the high one, and E jumps. It is unstable only where
    w σ'(x0) > 1; elsewhere there is no wall and the entry is NaN (matplotlib leaves a gap).
    """
    w = reals("w", w)
    x0 = real("x0", x0)
    with np.errstate(over="ignore"):                        # a b beyond float64: ±inf
        return np.where(w * _SIG.df(x0) > 1.0, x0 - w * _SIG.f(x0), np.nan)


def gd_path(w0: float, b0: float, *, lr: float, steps: int, clip: float | None = None,
            clip_mode: str = "norm", T: int = 50, x0: float = 0.5, target: float = 0.7):
    """Gradient descent on E(w, b) from (w0, b0), optionally with clipping.

    Uses :func:`helpers.optim.clip_by_global_norm` ("norm": the step keeps its direction, its
    length is capped at lr·clip) or :func:`helpers.optim.clip_by_value` ("value": each of ∂E/∂w,
    ∂E/∂b capped on its own).

    Returns
    -------
    path : (steps + 1, 2) the points (w, b) visited
    E : (steps + 1,) the error at each point
    grad_norm : (steps,) ‖∇E‖ before clipping at each step
    """
    w0, b0 = real("w0", w0), real("b0", b0)
    lr = positive_float("lr", lr)
    steps = positive_int("steps", steps)
    choice("clip_mode", clip_mode, ("norm", "value"))
    if clip is not None:
        clip = positive_float("clip", clip)
    T = positive_int("T", T)
    x0, target = real("x0", x0), _target(target)
    path = np.empty((steps + 1, 2))
    errs = np.empty(steps + 1)
    norms = np.empty(steps)
    path[0] = w0, b0
    for k in range(steps):
        E, dw, db = _error_and_grad_one(float(path[k, 0]), float(path[k, 1]), T, x0, target)
        errs[k] = E
        g = {"w": dw, "b": db}
        norms[k] = np.hypot(dw, db)
        if clip is not None:
            g = clip_by_global_norm(g, clip)[0] if clip_mode == "norm" else clip_by_value(g, clip)
        path[k + 1] = path[k, 0] - lr * g["w"], path[k, 1] - lr * g["b"]
    errs[-1] = _error_and_grad_one(float(path[-1, 0]), float(path[-1, 1]), T, x0, target)[0]
    return path, errs, norms
