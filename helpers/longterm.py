"""Long-term dependencies in numbers: small seeded training runs on the clue task, and the
one-unit network of Bengio, Simard & Frasconi (1994) that shows why memory and trainability pull
against each other.

Pure numerics (no plotting); :mod:`helpers.plots_longterm` draws the results.

Training runs (lesson 05, first half)
    The clue task of :func:`helpers.tasks.clue_task` is many-to-one: a single softmax target at
    the last step, decided by the country ``gap`` steps earlier (at step ``CLUE_STEP``). A
    vanilla tanh RNN is trained on it with :func:`helpers.optim.train_sgd`, a fresh batch at
    every step, and at every step we record how much of the error signal reaches the clue:

        clue_grad = mean_b ‖∂L/∂x_clue‖ / mean_b ‖∂L/∂x_{T-1}‖,

    the gradient with respect to the clue token's input, relative to the gradient with respect to
    the last input (which sits right next to the loss).

One-unit network (lesson 05, second half)
    h_t = tanh(w h_{t-1} + u x_t). With no input and w > 1 it has two stable fixed points ±h*
    (the attractors that store one bit); the gradient through T steps near them is
    ∂h_T/∂h_0 = Π_t w (1 - h_t²) ≈ s^T with s = w (1 - h*²) < 1.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import tasks
from ._validate import as_float_array, int_list, positive_float, positive_int
from .init import clue_params
from .optim import train_sgd
from .rnn import check_params, output_loss, rnn_backward, rnn_forward, rnn_loss_and_grads

CLUE_STEP = 4
"""Index of the clue (the country) in every sequence of :func:`helpers.tasks.clue_task`."""
TEST_SEED = 1_000_000
"""Test batches are drawn with seeds from here on; training batches use seeds below it."""


# ----------------------------------------------------------------------------------------------
# Many-to-one training on the clue task
# ----------------------------------------------------------------------------------------------

def last_step_loss_and_grads(params: Mapping[str, np.ndarray], x, y):
    """Softmax loss at the last step only, its gradients, and how much gradient reaches each input.

    o = W_hy h_{T-1} + b_y; L = (1/B) Σ_b -log softmax(o_b)[y_b]. Only the last step is read out,
    so this is the many-to-one loss of :func:`helpers.rnn.rnn_loss_and_grads` with targets at the
    last step only, computed without the unused outputs of the other steps.

    Parameters
    ----------
    params : dict with W_xh (H, D), W_hh (H, H), b_h (H,), W_hy (K, H), b_y (K,)
    x : (T, B, D) inputs; y : (T, B) int classes, of which only the last row y[T-1] is used
        (ids in 0 … K-1)

    Returns
    -------
    loss : float
    grads : dict with the keys of params, the gradient of L
    dx : (T, B, D) ∂L/∂x, the gradient that reaches each input (note the 1/B of the batch mean)
    """
    p = check_params(params)
    x = as_float_array("x", x, ("T", "B", "D"))
    T, B, _ = x.shape
    y = np.asarray(y)
    if y.shape != (T, B) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be integer class ids of shape ({T}, {B}); got dtype {y.dtype}, shape {y.shape}")
    W_hy = p["W_hy"]
    H = W_hy.shape[1]
    h, cache = rnn_forward(x, np.zeros((B, H)), p["W_xh"], p["W_hh"], p["b_h"])
    o = h[-1] @ W_hy.T + p["b_y"]                                        # (B, K)
    loss, do = output_loss(o[None], y[-1:], "softmax")
    do = do[0]
    dh = np.zeros_like(h)
    dh[-1] = do @ W_hy
    back = rnn_backward(dh, cache)
    grads = {"W_xh": back["W_xh"], "W_hh": back["W_hh"], "b_h": back["b_h"],
             "W_hy": do.T @ h[-1], "b_y": do.sum(axis=0)}
    return loss, {k: grads[k] for k in params}, back["x"]


def clue_accuracy(params: Mapping[str, np.ndarray], gap: int, B: int = 512, seed: int = TEST_SEED) -> float:
    """Accuracy of the RNN's last-step answer on a fresh batch of the clue task (chance = 1/8)."""
    p = check_params(params)
    x, y = tasks.clue_task(gap, B, seed)
    h, _ = rnn_forward(x, np.zeros((x.shape[1], p["W_hh"].shape[0])), p["W_xh"], p["W_hh"], p["b_h"])
    o = h[-1] @ p["W_hy"].T + p["b_y"]
    return tasks.accuracy(o[None], y[-1:])


@dataclass
class ClueRun:
    """One training run on the clue task.

    gap : clue-to-answer distance; seed : the run's seed
    accuracy : on a fresh test batch after training
    loss : (steps,) training loss; clue_grad : (steps,) mean ‖∂L/∂x_clue‖ / mean ‖∂L/∂x_{T-1}‖
    status : "finished" or "diverged" (from :func:`helpers.optim.train_sgd`)
    """

    gap: int
    seed: int
    accuracy: float
    loss: np.ndarray
    clue_grad: np.ndarray
    status: str


def _training_seeds(steps, seed) -> tuple[int, int]:
    """steps and seed checked: training batch i has seed seed·steps + i, all below TEST_SEED."""
    steps = positive_int("steps", steps)
    seed = positive_int("seed", seed, minimum=0)
    if (seed + 1) * steps > TEST_SEED:
        raise ValueError(f"seed and steps must satisfy (seed + 1) * steps <= {TEST_SEED} (training batches "
                         f"would reuse test seeds); got seed={seed}, steps={steps}")
    return steps, seed


def train_clue(gap: int, *, H: int = 32, B: int = 64, steps: int = 300, lr: float = 0.3,
               scale: float = 1.0, seed: int = 0, params: Mapping | None = None) -> ClueRun:
    """Train a vanilla tanh RNN on the clue task with a fixed gap, recording the clue gradient.

    Plain SGD (no clipping) on the loss of :func:`last_step_loss_and_grads`, with a fresh batch
    from :func:`helpers.tasks.clue_task` at every step (seeds ``seed * steps + step``, which must
    stay below ``TEST_SEED``, so that no training batch is a test batch), starting from
    :func:`helpers.init.clue_params` ``(H, scale, seed)``
    unless ``params`` is given. Accuracy is measured afterwards by :func:`clue_accuracy` on a test
    batch of 512 (seed ``TEST_SEED + seed``).
    """
    gap = positive_int("gap", gap, minimum=tasks.MIN_GAP)
    steps, seed = _training_seeds(steps, seed)
    B = positive_int("B", B)
    if params is None:
        params = clue_params(H, scale, seed)
    recorded = []

    def loss_and_grads(theta):
        x, y = tasks.clue_task(gap, B, seed * steps + len(recorded))
        loss, grads, dx = last_step_loss_and_grads(theta, x, y)
        dx_norm = np.linalg.norm(dx, axis=2).mean(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            recorded.append(dx_norm[CLUE_STEP] / dx_norm[-1])
        return loss, grads

    hist = train_sgd(params, loss_and_grads, steps=steps, lr=lr, verbose=False)
    n = len(hist.loss)
    return ClueRun(gap, seed, clue_accuracy(hist.params, gap, seed=TEST_SEED + seed), hist.loss,
                   np.array(recorded[:n]), hist.status)


@dataclass
class GapSweep:
    """Runs of :func:`train_clue` over gaps and seeds.

    gaps : (G,) ints; seeds : (S,) ints
    accuracy : (G, S) test accuracy; loss, clue_grad : (G, S, steps) as in :class:`ClueRun`
    """

    gaps: np.ndarray
    seeds: np.ndarray
    accuracy: np.ndarray
    loss: np.ndarray
    clue_grad: np.ndarray


def gap_sweep(gaps: Sequence[int], seeds: Sequence[int] = (0,), **train_kwargs) -> GapSweep:
    """:func:`train_clue` for every gap and seed (same hyperparameters ``train_kwargs`` for all)."""
    gaps = int_list("gaps", gaps, minimum=tasks.MIN_GAP)
    seeds = int_list("seeds", seeds, minimum=0)
    runs = [[train_clue(g, seed=s, **train_kwargs) for s in seeds] for g in gaps]
    diverged = [(r.gap, r.seed) for row in runs for r in row if r.status != "finished"]
    if diverged:
        raise RuntimeError(f"training diverged for (gap, seed) in {diverged}; lower lr")
    return GapSweep(np.array(gaps), np.array(seeds),
                    np.array([[r.accuracy for r in row] for row in runs]),
                    np.array([[r.loss for r in row] for row in runs]),
                    np.array([[r.clue_grad for r in row] for row in runs]))


def decay_fit(k, ratio) -> tuple[float, float]:
    """Fit ratio ≈ c · r^k by least squares on log10(ratio); return (r, c).

    k : (N,) distances in steps; ratio : (N,) positive gradient ratios.
    """
    k = as_float_array("k", k, ("N",))
    ratio = as_float_array("ratio", ratio, (k.shape[0],))
    if k.shape[0] < 2 or np.any(ratio <= 0):
        raise ValueError(f"decay_fit needs at least 2 points with positive ratio; got {k.shape[0]} "
                         f"points, smallest ratio {ratio.min() if ratio.size else None}")
    slope, intercept = np.polyfit(k, np.log10(ratio), 1)
    return float(10.0 ** slope), float(10.0 ** intercept)


@dataclass
class AddingRun:
    """One training run on the adding problem.

    T : sequence length; loss : (steps,) training loss ½ (o_{T-1} - y)² averaged over the batch;
    test_loss : the same loss on a fresh batch of 2000 after training; status : as in ClueRun
    """

    T: int
    loss: np.ndarray
    test_loss: float
    status: str


def train_adding(T: int, *, H: int = 32, B: int = 64, steps: int = 400, lr: float = 0.03,
                 seed: int = 0) -> AddingRun:
    """Train a vanilla tanh RNN on :func:`helpers.tasks.adding_problem` with plain SGD.

    Loss: :func:`helpers.rnn.rnn_loss_and_grads` with ``loss="mse"`` (½ squared error at the last
    step, averaged over the batch), a fresh batch at every step (seeds ``seed * steps + step``),
    test batch seed ``TEST_SEED + seed``. Initial weights: W_xh (H, 2) entries N(0, 1), W_hh (H, H)
    entries N(0, 1/H), W_hy (1, H) entries N(0, 1/H), zero biases.
    """
    T = positive_int("T", T, minimum=2)
    H = positive_int("H", H)
    steps, seed = _training_seeds(steps, seed)
    B = positive_int("B", B)
    rng = np.random.default_rng(seed)
    params = {"W_xh": rng.standard_normal((H, 2)), "W_hh": rng.standard_normal((H, H)) / np.sqrt(H),
              "b_h": np.zeros(H), "W_hy": rng.standard_normal((1, H)) / np.sqrt(H), "b_y": np.zeros(1)}
    step = [0]

    def loss_and_grads(theta):
        x, y = tasks.adding_problem(T, B, seed * steps + step[0])
        step[0] += 1
        return rnn_loss_and_grads(theta, x, y, "mse")

    hist = train_sgd(params, loss_and_grads, steps=steps, lr=lr, verbose=False)
    x, y = tasks.adding_problem(T, 2000, TEST_SEED + seed)
    return AddingRun(T, hist.loss, rnn_loss_and_grads(hist.params, x, y, "mse")[0], hist.status)


# ----------------------------------------------------------------------------------------------
# The one-unit network h_t = tanh(w h_{t-1} + u x_t)
# ----------------------------------------------------------------------------------------------

def attractor(w, b=0.0) -> tuple[np.ndarray, np.ndarray]:
    """The upper stable fixed point h* = tanh(w h* + b) of the one-unit map, and its slope there.

    The fixed points are the roots of z = w tanh(z) + b in the net input z = atanh(h). For z
    above z_m = acosh(√w) (0 when w <= 1), where the map's slope w (1 - tanh² z) is below 1,
    F(z) = z - w tanh z - b increases, so it has at most one root there: the upper attractor. It
    exists when F(z_m) <= 0, and is found by bisection (to float64 precision).

    Parameters
    ----------
    w : recurrent weight(s), any shape, finite; b : constant net input (bias, or u·x held
        fixed), broadcast with w

    Returns
    -------
    h_star, slope : arrays of the broadcast shape; h* and s = w (1 - h*²) = dh_t/dh_{t-1} there;
    NaN where the upper attractor does not exist (for b = 0: never; for b < 0: when w <= 1 or
    b < -:func:`noise_margin` (w)). For w <= 1 and b = 0 the only fixed point is h* = 0, with
    slope w: a single attractor that stores nothing.
    """
    w = as_float_array("w", w, tuple("N" * np.ndim(w)))
    b = as_float_array("b", b, tuple("N" * np.ndim(b)))
    w, b = np.broadcast_arrays(w, b)
    z_m = np.arccosh(np.sqrt(np.maximum(w, 1.0)))
    lo = z_m.copy()
    hi = np.abs(w) + np.abs(b) + 1.0                      # F(hi) > 0: the root lies below
    F_m = lo - w * np.tanh(lo) - b
    exists = F_m <= 0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if np.all((mid == lo) | (mid == hi)):
            break
        below = mid - w * np.tanh(mid) - b <= 0
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    z = np.where(F_m == 0, z_m, 0.5 * (lo + hi))          # a root exactly at z_m (w <= 1, b = 0) stays
    z = np.where(exists, z, np.nan)
    return np.tanh(z), w / np.cosh(z) ** 2


def noise_margin(w) -> np.ndarray:
    """ε_c(w): the largest constant push u·x = -ε against the stored bit that the attractor survives.

    The upper fixed points solve atanh(h) - w h = -ε. On (0, 1) the left side falls to its
    minimum at h_m = √(1 - 1/w) and rises again, so a solution exists iff
    ε <= ε_c(w) = w h_m - atanh(h_m). At ε = ε_c the attractor meets the unstable fixed point
    and its slope w (1 - h²) reaches 1. For w <= 1 there is no bistability: ε_c = 0.
    """
    w = as_float_array("w", w, tuple("N" * np.ndim(w)))
    h_m = np.sqrt(np.maximum(1.0 - 1.0 / np.maximum(w, 1.0), 0.0))
    return w * h_m - np.arctanh(h_m)


def one_unit_run(w, x, h0, u: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Run h_t = tanh(w h_{t-1} + u x_t) for t = 1 … T and return the states and ∂h_T/∂h_0.

    Parameters
    ----------
    w : (N,) or scalar recurrent weight(s), one per sequence; x : (T, N) inputs; h0 : (N,)
        initial states; u : input weight

    Returns
    -------
    h : (T, N) states h_1 … h_T; dhT_dh0 : (N,) = Π_{t=1}^{T} w (1 - h_t²)
    """
    x = as_float_array("x", x, ("T", "N"))
    T, N = x.shape
    w = as_float_array("w", w, () if np.ndim(w) == 0 else (N,))
    w = np.broadcast_to(w, (N,))
    h_prev = as_float_array("h0", h0, (N,))
    u = float(as_float_array("u", u, ()))
    h = np.empty((T, N))
    for t in range(T):
        h_prev = h[t] = np.tanh(w * h_prev + u * x[t])
    with np.errstate(under="ignore"):
        return h, np.prod(w * (1.0 - h * h), axis=0)


@dataclass
class MemorySweep:
    """Storing one bit in the one-unit network, for a range of weights w.

    w : (W,); retention : (W,) fraction of noisy runs whose final sign still equals the stored bit;
    gradient : (W,) median over runs of |∂h_T/∂h_0|; slope : (W,) s = w (1 - h*²) at the attractor
    (:func:`attractor`; for w <= 1 the attractor is h* = 0 and s = w); margin : (W,) :func:`noise_margin`;
    T, noise, runs : the settings used.
    """

    w: np.ndarray
    retention: np.ndarray
    gradient: np.ndarray
    slope: np.ndarray
    margin: np.ndarray
    T: int
    noise: float
    runs: int


def memory_sweep(w, *, T: int = 50, noise: float = 0.3, runs: int = 2000, seed: int = 0) -> MemorySweep:
    """Write a bit, add noise for T steps, and ask whether the bit is still there and whether a
    gradient can still reach the moment it was written.

    Each run starts at h_0 = ±1 (the bit, half the runs each) and receives u·x_t ~ N(0, noise²)
    for T steps (the same noise for every w, so the weights are compared on equal terms).
    """
    w = as_float_array("w", w, ("W",))
    T = positive_int("T", T)
    noise = positive_float("noise", noise)
    runs = positive_int("runs", runs, minimum=2)
    rng = np.random.default_rng(positive_int("seed", seed, minimum=0))
    bit = np.where(np.arange(runs) % 2 == 0, 1.0, -1.0)
    x = noise * rng.standard_normal((T, runs))
    W = w.shape[0]
    h, grad = one_unit_run(np.repeat(w, runs), np.tile(x, (1, W)), np.tile(bit, W))
    kept = (np.sign(h[-1]) == np.tile(bit, W)).reshape(W, runs)
    _, slope = attractor(w)
    return MemorySweep(w, kept.mean(axis=1), np.median(np.abs(grad).reshape(W, runs), axis=1),
                       slope, noise_margin(w), T, noise, runs)
