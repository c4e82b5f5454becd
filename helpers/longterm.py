"""Long-term dependencies in numbers: small seeded training runs on the clue task, and the
one-unit network of Bengio, Simard & Frasconi (1994) that shows why memory and trainability pull
against each other.

Pure numerics (no plotting); :mod:`helpers.plots_longterm` draws the results.

Time is counted as in the whole course: h_0 is the initial state and the inputs are x_1 … x_T;
arrays are 0-based, so ``x[t - 1]`` holds x_t and ``h[t - 1]`` holds h_t.

Training runs (lesson 05, first half)
    The clue task of :func:`helpers.tasks.clue_task` is many-to-one: a single softmax target,
    read from h_T, decided by the country k = ``gap`` steps earlier, the fifth word x_5 (array
    index ``CLUE_STEP`` = 4). A vanilla tanh RNN is trained on it with
    :func:`helpers.optim.train_sgd`, a fresh batch at every training step, and at every training
    step we record how much of the error signal reaches the clue:

        clue_grad = mean_b ‖∂L/∂x_5‖ / mean_b ‖∂L/∂x_T‖,

    the gradient with respect to the clue token's input, relative to the gradient with respect to
    the last input (which sits right next to the loss). :func:`clue_saturation` measures why it
    shrinks: the words drive the tanh units into saturation.

One-unit network (lesson 05, second half)
    h_t = tanh(w h_{t-1} + u x_t). With no input and w > 1 it has two stable fixed points ±h*
    (the attractors that store one bit); the gradient through T steps near them is
    ∂h_T/∂h_0 = Π_{t=1}^{T} w (1 - h_t²) ≈ a^T with the slope a = w (1 - h*²) < 1.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import tasks
from ._validate import (
    as_float_array,
    check_targets,
    flag,
    instance,
    int_list,
    magnitude,
    mapping,
    no_overflow,
    overflow_as_inf,
    positive_float,
    positive_int,
    real,
    reals,
    received,
    row_norms,
)
from ._validate import seed as check_seed
from .data import DataFileError, read_verified
from .init import clue_params
from .linalg import largest_singular_value, spectral_radius
from .optim import train_sgd
from .rnn import check_params, output_loss, rnn_backward, rnn_forward, rnn_loss_and_grads, rnn_outputs

CLUE_STEP = 4
"""Array index of the clue (the country) in every sequence of :func:`helpers.tasks.clue_task`:
``x[4]`` holds x_5, the fifth word."""
TEST_SEED = 1_000_000
"""Test batches are drawn with seeds from here on; training batches use seeds below it."""


# ----------------------------------------------------------------------------------------------
# Many-to-one training on the clue task
# ----------------------------------------------------------------------------------------------

def last_step_loss_and_grads(params: Mapping[str, np.ndarray], x, y):
    """Softmax loss at the last step only, its gradients, and how much gradient reaches each input.

    o = W_hy h_T + b_y (the array row ``h[-1]``); L = (1/B) Σ_b -log softmax(o_b)[y_b]. Only step T is read out,
    so this is the many-to-one loss of :func:`helpers.rnn.rnn_loss_and_grads` with targets at the
    last step only, computed without the unused outputs of the other steps.

    Parameters
    ----------
    params : dict with W_xh (H, D), W_hh (H, H), b_h (H,), W_hy (K, H), b_y (K,)
    x : (T, B, D) inputs x_1 … x_T; y : (T, B) int classes, of which only the last row ``y[-1]``
        (step T) is used (ids in 0 … K-1)

    Returns
    -------
    loss : float
    grads : dict with the keys of params, the gradient of L
    dx : (T, B, D) ∂L/∂x, the gradient that reaches each input: ``dx[t - 1]`` is ∂L/∂x_t (note
        the 1/B of the batch mean)
    Where a value overflows float64 (weights after an exploding step) it is inf, never NaN, as in
    :func:`helpers.rnn.rnn_loss_and_grads`.
    """
    p = check_params(params)
    x = as_float_array("x", x, ("T", "B", "D"))
    T, B, _ = x.shape
    W_hy = p["W_hy"]
    check_targets(x, y, "softmax", W_hy.shape[0])
    y = np.asarray(y)
    if y.shape != (T, B) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be integer class ids of shape ({T}, {B}); got dtype {y.dtype}, shape {y.shape}")
    H = W_hy.shape[1]
    h, cache = rnn_forward(x, np.zeros((B, H)), p["W_xh"], p["W_hh"], p["b_h"])
    with np.errstate(over="ignore", invalid="ignore"):      # beyond float64: inf (output_loss takes it)
        o = overflow_as_inf(h[-1] @ W_hy.T + p["b_y"])                    # (B, K)
    loss, do = output_loss(o[None], y[-1:], "softmax")
    do = do[0]
    dh = np.zeros_like(h)
    with np.errstate(over="ignore", invalid="ignore"):
        dh[-1] = overflow_as_inf(do @ W_hy)
        back = rnn_backward(dh, cache)
        grads = {"W_xh": back["W_xh"], "W_hh": back["W_hh"], "b_h": back["b_h"],
                 "W_hy": overflow_as_inf(do.T @ h[-1]), "b_y": overflow_as_inf(do.sum(axis=0))}
    return loss, {k: grads[k] for k in params}, back["x"]


def clue_accuracy(params: Mapping[str, np.ndarray], gap: int, B: int = 512, seed: int = TEST_SEED) -> float:
    """Accuracy of the RNN's last-step answer on a fresh batch of the clue task (chance = 1/8)."""
    p = check_params(params)
    x, y = tasks.clue_task(gap, B, seed)
    h, _ = rnn_forward(x, np.zeros((x.shape[1], p["W_hh"].shape[0])), p["W_xh"], p["W_hh"], p["b_h"])
    with np.errstate(over="ignore", invalid="ignore"):      # scores beyond float64 (a diverged run): inf
        o = overflow_as_inf(h[-1] @ p["W_hy"].T + p["b_y"])
    return tasks.accuracy(o[None], y[-1:])


@dataclass
class ClueRun:
    """One training run on the clue task.

    gap : clue-to-answer distance k (the clue is x_5, the answer is read from h_T, T = k + 5);
    seed : the run's seed
    accuracy : on a fresh test batch after training
    loss : (steps,) training loss; clue_grad : (steps,) mean ‖∂L/∂x_5‖ / mean ‖∂L/∂x_T‖, one value
        per training step (entry 0: the untrained network on the first batch)
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
    seed = check_seed("seed", seed)
    if (seed + 1) * steps > TEST_SEED:
        raise ValueError(f"seed and steps must satisfy (seed + 1) * steps <= {TEST_SEED} (training batches "
                         f"would reuse test seeds); got seed={seed}, steps={steps}")
    return steps, seed


def _clue_start(H, scale, seed: int, params) -> dict:
    """train_clue's starting weights: :func:`helpers.init.clue_params` ``(H, scale, seed)``, or ``params``
    checked to be clue-task weights with H hidden units."""
    H, scale = positive_int("H", H), positive_float("scale", scale)
    if params is None:
        return clue_params(H, scale, seed)
    p = check_params(params)
    V = len(tasks.VOCAB)
    if p["W_xh"].shape != (H, V) or p["W_hy"].shape != (V, H):
        raise ValueError(f"params must be clue-task weights for H = {H} hidden units and {V} words, W_xh ({H}, {V}) "
                         f"and W_hy ({V}, {H}); got W_xh {p['W_xh'].shape} and W_hy {p['W_hy'].shape} (pass the "
                         "H of params, or leave params out)")
    return p


def train_clue(gap: int, *, H: int = 32, B: int = 64, steps: int = 300, lr: float = 0.3,
               scale: float = 1.0, seed: int = 0, params: Mapping | None = None) -> ClueRun:
    """Train a vanilla tanh RNN on the clue task with a fixed gap, recording the clue gradient.

    Plain SGD (no clipping) on the loss of :func:`last_step_loss_and_grads`, with a fresh batch
    from :func:`helpers.tasks.clue_task` at every step (seeds ``seed * steps + step``, which must
    stay below ``TEST_SEED``, so that no training batch is a test batch), starting from
    :func:`helpers.init.clue_params` ``(H, scale, seed)``
    unless ``params`` is given (weights of that shape, with H hidden units). Accuracy is measured
    afterwards by :func:`clue_accuracy` on a test batch of 512 (seed ``TEST_SEED + seed``).
    """
    gap = positive_int("gap", gap, minimum=tasks.MIN_GAP)
    steps, seed = _training_seeds(steps, seed)
    B = positive_int("B", B)
    params = _clue_start(H, scale, seed, params)
    recorded = []

    def loss_and_grads(theta):
        x, y = tasks.clue_task(gap, B, seed * steps + len(recorded))
        loss, grads, dx = last_step_loss_and_grads(theta, x, y)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):   # a diverging run: inf or NaN
            dx_norm = row_norms(dx).mean(axis=1)            # np.linalg.norm's, without overflow
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
    """Fit ratio ≈ c · r^k by least squares on log10(ratio) (``np.polyfit``); return (r, c).

    k : (N,) distances in steps, at least 2 different, the largest |k| between 1e-100 and 1e100
    (np.polyfit scales k by √Σk², which must neither overflow nor underflow); ratio : (N,) positive
    gradient ratios. r or c is inf where it exceeds float64 (0 where it underflows).
    """
    k = as_float_array("k", k, ("N",))
    ratio = as_float_array("ratio", ratio, ("N",))
    if ratio.shape != k.shape:
        raise ValueError(f"k has {k.size} distances but ratio has {ratio.size} values; expected ratio of shape "
                         f"({k.size},)")
    if np.unique(k).size < 2 or np.any(ratio <= 0):
        raise ValueError(f"decay_fit needs at least 2 different k and a positive ratio at each; got k {k} "
                         f"and a smallest ratio of {ratio.min() if ratio.size else None}")
    magnitude("k", k, 1e100, "np.polyfit squares them")
    if np.abs(k).max() < 1e-100:
        raise ValueError(f"k must have its largest |value| at least 1e-100 (np.polyfit squares it), got "
                         f"{np.abs(k).max():.3g}")
    (slope, intercept), _, rank, _, _ = np.polyfit(k, np.log10(ratio), 1, full=True)
    if rank < 2:
        raise ValueError(f"k must spread out enough for a line to be fitted: its values {k} differ by too "
                         "little against their size (np.polyfit finds them collinear with a constant)")
    with np.errstate(over="ignore", under="ignore"):
        return float(10.0 ** slope), float(10.0 ** intercept)


@dataclass
class Saturation:
    """Why the clue gradient shrinks: how saturated the untrained networks' tanh units are along
    clue-task sentences, and how fast the error signal shrinks there; one entry per seed.

    seeds : (S,) seeds of :func:`helpers.init.clue_params` (each network reads a batch drawn with
        the same seed)
    mean_slope, rms_slope : (S,) mean and root mean square of tanh′(z_t) = 1 - h_t² over the steps
        t = 5 … T from the clue to the answer, the sequences and the units
    share_below : (S,) fraction of those values below ``cut``
    rms_gain : (S,) ‖W_hh‖_F / √H, the root mean square of the singular values of W_hh: how much
        W_hhᵀ stretches a vector of random direction, in the mean-square sense
    rho, lambda1 : (S,) spectral radius and largest singular value of W_hh
    factor : (S,) the measured shrinking per step: r of the fit ‖∂L/∂x_{T-k}‖ / ‖∂L/∂x_T‖ ≈ c·r^k
        over k = 0 … gap (:func:`decay_fit`, norms averaged over the batch)
    gap, input_scale, cut : the settings used
    """

    seeds: np.ndarray
    mean_slope: np.ndarray
    rms_slope: np.ndarray
    share_below: np.ndarray
    rms_gain: np.ndarray
    rho: np.ndarray
    lambda1: np.ndarray
    factor: np.ndarray
    gap: int
    input_scale: float
    cut: float

    @property
    def estimate(self) -> np.ndarray:
        """(S,) rms_slope · rms_gain: the factor per step expected when every step scales each
        unit's error by its tanh′ and W_hhᵀ then sends the result in a random direction."""
        return self.rms_slope * self.rms_gain

    def span(self, name: str, percent: bool = False) -> str:
        """The range "lowest–highest" of the per-seed field ``name`` (or "estimate"), to two decimals,
        or in whole percent if ``percent``: for a printout."""
        if name not in ("mean_slope", "rms_slope", "share_below", "rms_gain", "rho", "lambda1", "factor",
                        "estimate"):
            raise ValueError(f"name must be a per-seed field of Saturation, such as 'factor'; got {received(name)}")
        values = np.asarray(getattr(self, name), dtype=float)
        if flag("percent", percent):
            return f"{100 * values.min():.0f}–{100 * values.max():.0f} %"
        return f"{values.min():.2f}–{values.max():.2f}"


def clue_saturation(gap: int = 40, seeds: Sequence[int] = tuple(range(10)), *, H: int = 32, B: int = 256,
                    input_scale: float = 1.0, cut: float = 0.2) -> Saturation:
    """Measure tanh saturation along clue-task sentences, and the gradient's shrinking per step.

    For every seed s: the untrained network :func:`helpers.init.clue_params` ``(H, seed=s)``, with
    W_xh multiplied by ``input_scale`` (1: every one-hot word adds a net input of norm ≈ √H; 0.1:
    words ten times weaker), reads the batch ``tasks.clue_task(gap, B, s)``. From its states
    h_5 … h_T (the clue to the answer; array rows ``CLUE_STEP`` …) we take tanh′ = 1 - h_t², and
    from :func:`last_step_loss_and_grads` the norms ‖∂L/∂x_t‖ at t = 5 … T, fitted as c·r^k in
    the steps back k = T - t.

    Parameters
    ----------
    gap : the clue-to-answer gap k, integer >= 5; seeds : non-empty list of integers >= 0
    H : hidden units; B : sentences per seed
    input_scale : positive factor on W_xh (refused where it makes W_xh overflow float64); cut : the
        tanh′ threshold of ``share_below``

    Returns
    -------
    Saturation, with arrays of shape (len(seeds),); factor is 0 for a seed whose error signal
    vanishes to exactly 0 in float64 somewhere from the answer back to the clue (units so
    saturated, at a large input_scale, that tanh′ rounds to 0): shrinking beyond what float64 can
    measure, as an underflow is reported.
    """
    gap = positive_int("gap", gap, minimum=tasks.MIN_GAP)
    seeds = int_list("seeds", seeds, minimum=0)
    H, B = positive_int("H", H), positive_int("B", B)
    input_scale = positive_float("input_scale", input_scale)
    cut = positive_float("cut", cut)
    rows = []
    for seed in seeds:
        p = clue_params(H, seed=seed)
        with no_overflow("input_scale"):
            p["W_xh"] = input_scale * p["W_xh"]
        x, y = tasks.clue_task(gap, B, seed)
        h, _ = rnn_forward(x, np.zeros((B, H)), p["W_xh"], p["W_hh"], p["b_h"])
        slopes = 1.0 - h[CLUE_STEP:] ** 2                                   # tanh′(z_t), t = 5 … T
        _, _, dx = last_step_loss_and_grads(p, x, y)
        norms = row_norms(dx[CLUE_STEP:]).mean(axis=1)      # ‖∂L/∂x_t‖, t = 5 … T (no underflow at small scales)
        r = decay_fit(np.arange(norms.size), norms[::-1] / norms[-1])[0] if np.all(norms > 0) else 0.0
        rows.append((slopes.mean(), np.sqrt(np.mean(slopes ** 2)), np.mean(slopes < cut),
                     np.linalg.norm(p["W_hh"]) / np.sqrt(H), spectral_radius(p["W_hh"]),
                     largest_singular_value(p["W_hh"]), r))
    cols = np.array(rows, dtype=float).T
    return Saturation(np.array(seeds), *cols, gap=gap, input_scale=input_scale, cut=cut)


@dataclass
class AddingRun:
    """One training run on the adding problem.

    T : sequence length; loss : (steps,) training loss ½ (o_T - S)² averaged over the batch;
    test_loss : the same loss on a fresh batch of 2000 after training; status : as in ClueRun
    test_within : share of those 2000 test sequences answered within ``HS_TOLERANCE`` of S, the
        per-sequence test of Hochreiter & Schmidhuber (1997), who asked it of every one of the
        last 2000 training sequences (NaN when not measured)
    """

    T: int
    loss: np.ndarray
    test_loss: float
    status: str
    test_within: float = float("nan")


HS_TOLERANCE = 0.08
"""Hochreiter & Schmidhuber's (1997) adding-problem tolerance, 0.04 on a target scaled to [0, 1],
on the course's sum S in [0, 2]: a sequence counts as right when |o_T - S| < 0.08."""


def train_adding(T: int, *, H: int = 32, B: int = 64, steps: int = 400, lr: float = 0.03,
                 seed: int = 0) -> AddingRun:
    """Train a vanilla tanh RNN on :func:`helpers.tasks.adding_problem` with plain SGD.

    Loss: :func:`helpers.rnn.rnn_loss_and_grads` with ``loss="mse"`` (½ squared error at the last
    step T, averaged over the batch), a fresh batch at every step (seeds ``seed * steps + step``),
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
    o = rnn_outputs(hist.params, x)[0]
    with np.errstate(invalid="ignore"):                     # a diverged run's outputs may be NaN
        within = float(np.mean(np.abs(o[-1, :, 0] - y[-1, :, 0]) < HS_TOLERANCE))
    return AddingRun(T, hist.loss, rnn_loss_and_grads(hist.params, x, y, "mse")[0], hist.status, within)


# ----------------------------------------------------------------------------------------------
# The same runs over many seeds, computed once by scripts/longterm_seeds.py
# ----------------------------------------------------------------------------------------------

SEED_RUNS_FILE = "longterm_seeds.json"
"""The data file (in ``data/``) that :func:`load_seed_runs` reads and ``scripts/longterm_seeds.py`` writes."""


@dataclass
class SeedRuns:
    """Lesson 05's training runs repeated over many seeds: the numbers behind its claims about
    every seed, too slow to recompute in the lesson (``data/longterm_seeds.json``).

    gaps : (G,); seeds : (S,) as in :func:`gap_sweep`
    accuracy : (G, S) test accuracy after training
    clue_grad : (G, S, steps) the clue gradient ratio of :class:`ClueRun` at every training step,
        to 4 significant digits (enough to draw it; the figures of :mod:`helpers.plots_longterm`
        take a SeedRuns wherever they take a :class:`GapSweep`)
    ratio_first, ratio_last, ratio_max : (G, S) the same ratio, exact: at the first training step
        (the untrained network), at the last, and its largest value
    adding_T : (A,) sequence lengths; adding_seeds : (R,) seeds of :func:`train_adding`
    adding_test_loss, adding_test_within : (A, R) test loss and :attr:`AddingRun.test_within` after training
    settings : {"clue": keyword arguments of :func:`gap_sweep`, "adding": of :func:`train_adding`}
    provenance : how the numbers were made (script, command, date, package versions)
    """

    gaps: np.ndarray
    seeds: np.ndarray
    accuracy: np.ndarray
    clue_grad: np.ndarray
    ratio_first: np.ndarray
    ratio_last: np.ndarray
    ratio_max: np.ndarray
    adding_T: np.ndarray
    adding_seeds: np.ndarray
    adding_test_loss: np.ndarray
    adding_test_within: np.ndarray
    settings: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)


def _settings(name: str, kwargs, keys: tuple[str, ...]) -> dict:
    """Training settings (a dict, keys among ``keys``) checked entry by entry, each named ``name['key']``."""
    mapping(name, kwargs, "training settings such as {'H': 32, 'steps': 200}", empty_ok=True)
    for key, value in kwargs.items():
        if key not in keys:
            raise ValueError(f"{name} has an unknown setting {key!r}; expected some of {', '.join(keys)}")
        (positive_int if key in ("H", "B", "steps") else positive_float)(f"{name}[{key!r}]", value)
    return dict(kwargs)


def seed_runs(gaps: Sequence[int], seeds: Sequence[int], adding_T: Sequence[int], adding_seeds: Sequence[int],
              clue_kwargs: Mapping, adding_kwargs: Mapping) -> SeedRuns:
    """Run :func:`gap_sweep` ``(gaps, seeds, **clue_kwargs)`` and :func:`train_adding`
    ``(T, seed=s, **adding_kwargs)`` for every T in ``adding_T`` and s in ``adding_seeds``.

    Parameters
    ----------
    gaps, seeds : as in :func:`gap_sweep`; adding_T : sequence lengths >= 2; adding_seeds : integers >= 0
    clue_kwargs, adding_kwargs : the other keyword arguments of :func:`train_clue` (H, B, steps, lr, scale)
        and :func:`train_adding` (H, B, steps, lr)

    Returns
    -------
    SeedRuns with what the lesson quotes (provenance empty: the caller, scripts/longterm_seeds.py, adds it)
    """
    adding_T = int_list("adding_T", adding_T, minimum=2)
    adding_seeds = int_list("adding_seeds", adding_seeds, minimum=0)
    clue_kwargs = _settings("clue_kwargs", clue_kwargs, ("H", "B", "steps", "lr", "scale"))
    adding_kwargs = _settings("adding_kwargs", adding_kwargs, ("H", "B", "steps", "lr"))
    sweep = gap_sweep(gaps, seeds, **clue_kwargs)
    runs = [[train_adding(T, seed=s, **adding_kwargs) for s in adding_seeds] for T in adding_T]
    diverged = [(r.T, s) for row in runs for r, s in zip(row, adding_seeds, strict=True) if r.status != "finished"]
    if diverged:
        raise RuntimeError(f"adding-problem training diverged for (T, seed) in {diverged}; lower lr")
    return SeedRuns(sweep.gaps, sweep.seeds, sweep.accuracy, _four_digits(sweep.clue_grad),
                    sweep.clue_grad[:, :, 0], sweep.clue_grad[:, :, -1],
                    sweep.clue_grad.max(axis=2), np.array(adding_T), np.array(adding_seeds),
                    np.array([[r.test_loss for r in row] for row in runs]),
                    np.array([[r.test_within for r in row] for row in runs]),
                    {"clue": dict(clue_kwargs), "adding": dict(adding_kwargs)})


def _four_digits(values: np.ndarray) -> np.ndarray:
    """``values`` rounded to 4 significant digits (what the data file stores of a whole training curve)."""
    return np.vectorize(lambda v: float(f"{v:.4g}"), otypes=[float])(values)


def _json_text(value, indent: str = "") -> str:
    """JSON with one line per innermost row of numbers (floats written exactly, as repr does)."""
    inner = indent + " "
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {_json_text(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and isinstance(value[0], list):
        return "[\n" + ",\n".join(inner + _json_text(row, inner) for row in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def seed_runs_to_json(runs: SeedRuns) -> str:
    """The text of ``data/longterm_seeds.json`` for ``runs`` (read back by :func:`load_seed_runs`)."""
    instance("runs", runs, SeedRuns, "a SeedRuns (from seed_runs)")
    record = {
        "about": "Lesson 05's training runs over many seeds (helpers.longterm.seed_runs); "
                 "read with helpers.longterm.load_seed_runs().",
        "provenance": runs.provenance,
        "clue": {"settings": runs.settings.get("clue", {}), "gaps": runs.gaps.tolist(), "seeds": runs.seeds.tolist(),
                 "accuracy": runs.accuracy.tolist(), "clue_grad": runs.clue_grad.tolist(),
                 "ratio_first": runs.ratio_first.tolist(),
                 "ratio_last": runs.ratio_last.tolist(), "ratio_max": runs.ratio_max.tolist()},
        "adding": {"settings": runs.settings.get("adding", {}), "T": runs.adding_T.tolist(),
                   "seeds": runs.adding_seeds.tolist(), "test_loss": runs.adding_test_loss.tolist(),
                   "test_within": runs.adding_test_within.tolist()},
    }
    return _json_text(record) + "\n"


def load_seed_runs(data_dir: str | os.PathLike | None = None) -> SeedRuns:
    """Read ``data/longterm_seeds.json`` (after checking its SHA-256 against ``data/SHA256SUMS``,
    like every loader of :mod:`helpers.data`) into a :class:`SeedRuns`.

    data_dir : folder holding the data files; None for the course's ``data/``
    """
    raw = read_verified(SEED_RUNS_FILE, data_dir)
    try:
        d = json.loads(raw.decode("utf-8"))
        clue, adding = d["clue"], d["adding"]
        gaps, seeds = np.array(clue["gaps"], dtype=int), np.array(clue["seeds"], dtype=int)
        G, S = gaps.size, seeds.size
        accuracy = as_float_array("clue['accuracy']", clue["accuracy"], (G, S))
        clue_grad = as_float_array("clue['clue_grad']", clue["clue_grad"], (G, S, "steps"))
        per_gap = [as_float_array(f"clue[{name!r}]", clue[name], (G, S))
                   for name in ("ratio_first", "ratio_last", "ratio_max")]
        adding_T, adding_seeds = np.array(adding["T"], dtype=int), np.array(adding["seeds"], dtype=int)
        test_loss, test_within = (as_float_array(f"adding[{name!r}]", adding[name], (adding_T.size, adding_seeds.size))
                                  for name in ("test_loss", "test_within"))
        settings = {"clue": dict(clue["settings"]), "adding": dict(adding["settings"])}
        provenance = dict(d["provenance"])
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(f"The data file {SEED_RUNS_FILE} could not be read ({exc}). Regenerate it with "
                            "`.venv/bin/python scripts/longterm_seeds.py`, then update data/SHA256SUMS.") from None
    return SeedRuns(gaps, seeds, accuracy, clue_grad, *per_gap, adding_T, adding_seeds, test_loss, test_within,
                    settings, provenance)


# ----------------------------------------------------------------------------------------------
# The one-unit network h_t = tanh(w h_{t-1} + u x_t)
# ----------------------------------------------------------------------------------------------

def attractor(w, b=0.0) -> tuple[np.ndarray, np.ndarray]:
    """The upper stable fixed point h* = tanh(w h* + b) of the one-unit map, and its slope a there.

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
    h_star, slope : arrays of the broadcast shape; h* and a = w (1 - h*²) = dh_t/dh_{t-1} there;
    NaN where the upper attractor does not exist (for b = 0: never; for b < 0: when w <= 1 or
    b < -:func:`noise_margin` (w)). For w <= 1 and b = 0 the only fixed point is h* = 0, with
    slope w: a single attractor that stores nothing.
    """
    w, b = reals("w", w), reals("b", b)
    try:
        w, b = np.broadcast_arrays(w, b)
    except ValueError:
        raise ValueError(f"w and b must broadcast together, got shapes {w.shape} and {b.shape}") from None
    z_m = np.arccosh(np.sqrt(np.maximum(w, 1.0)))
    lo = z_m.copy()
    # F's sums can leave float64 only where |w| or |b| nears its largest number: the overflowed value
    # keeps the true sign (one finite term cannot bring a sum beyond float64 back), which is all the
    # bisection reads; a root beyond float64 comes out as z* = inf, whose tanh (1) and slope (0) are
    # the true ones to float64 precision. Midpoints are 0.5 lo + 0.5 hi, equal to 0.5 (lo + hi) bit for
    # bit but without the overflow of lo + hi.
    with np.errstate(over="ignore"):
        hi = np.abs(w) + np.abs(b) + 1.0                  # F(hi) > 0: the root lies below (inf if that overflows)
        F_m = lo - w * np.tanh(lo) - b
        exists = F_m <= 0
        for _ in range(200):
            mid = 0.5 * lo + 0.5 * hi
            if np.all((mid == lo) | (mid == hi)):
                break
            below = mid - w * np.tanh(mid) - b <= 0
            lo = np.where(below, mid, lo)
            hi = np.where(below, hi, mid)
    z = np.where(F_m == 0, z_m, 0.5 * lo + 0.5 * hi)      # a root exactly at z_m (w <= 1, b = 0) stays
    z = np.where(exists, z, np.nan)
    # a = w / cosh² z*; cosh² overflows for |z*| > 355, where 1/cosh² z = 4q/(1 + q)² with q = e^(−2|z|)
    # gives it without overflow (the plain form is kept below that: the lessons print its digits).
    near = np.abs(z) < 355.0
    with np.errstate(over="ignore"):                      # −2|z*| beyond float64: −inf, and q = 0 exactly
        q = np.exp(-2.0 * np.abs(z))
    slope = np.where(near, w / np.cosh(np.where(near, z, 0.0)) ** 2, w * (4.0 * q / (1.0 + q) ** 2))
    return np.tanh(z), slope[()]


def noise_margin(w) -> np.ndarray:
    """ε_c(w): the largest constant push u·x = -ε against the stored bit that the attractor survives.

    The upper fixed points solve atanh(h) - w h = -ε. On (0, 1) the left side falls to its
    minimum at h_m = √(1 - 1/w) and rises again, so a solution exists iff
    ε <= ε_c(w) = w h_m - atanh(h_m). At ε = ε_c the attractor meets the unstable fixed point
    and its slope w (1 - h²) reaches 1. For w <= 1 there is no bistability: ε_c = 0. Since
    1 - h_m² = 1/w, atanh(h_m) = ln(1 + h_m) + ½ ln w, which stays finite where h_m rounds to 1 (w > 1e16).
    """
    w = np.maximum(reals("w", w), 1.0)                  # w <= 1: h_m = 0 and ε_c = 0
    h_m = np.sqrt(1.0 - 1.0 / w)
    return w * h_m - (np.log1p(h_m) + 0.5 * np.log(w))


def one_unit_run(w, x, h0, u: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Run h_t = tanh(w h_{t-1} + u x_t) for t = 1 … T and return the states and ∂h_T/∂h_0.

    Parameters
    ----------
    w : (N,) or scalar recurrent weight(s), one per sequence; x : (T, N) inputs; h0 : (N,)
        initial states, in [-1, 1] (states of a tanh unit); u : input weight

    Returns
    -------
    h : (T, N) states h_1 … h_T; dhT_dh0 : (N,) = Π_{t=1}^{T} w (1 - h_t²), inf where it exceeds float64
    """
    x = as_float_array("x", x, ("T", "N"))
    T, N = x.shape
    w = reals("w", w)
    if w.ndim > 0 and w.shape != (N,):
        raise ValueError(f"x has N = {N} sequences (shape {x.shape}), but w has shape {w.shape}; "
                         f"expected one weight or w of shape ({N},)")
    w = np.broadcast_to(w, (N,))
    h_prev = as_float_array("h0", h0, (N,))
    if np.any(np.abs(h_prev) > 1):
        raise ValueError(f"h0 must hold states of a tanh unit, in [-1, 1]; got values up to {np.abs(h_prev).max():g}")
    u = real("u", u)
    h = np.empty((T, N))
    # |w h_{t-1}| <= |w| is finite; only the sum w h_{t-1} + u x_t can overflow, to ±inf, whose tanh
    # (±1) is the true state to float64 precision. The product overflows where ∂h_T/∂h_0 exceeds float64.
    with np.errstate(over="ignore", under="ignore"):
        for t in range(T):
            h_prev = h[t] = np.tanh(w * h_prev + u * x[t])
        return h, np.prod(w * (1.0 - h * h), axis=0)


@dataclass
class MemorySweep:
    """Storing one bit in the one-unit network, for a range of weights w.

    w : (W,); retention : (W,) fraction of noisy runs whose final sign still equals the stored bit;
    gradient : (W,) median over runs of |∂h_T/∂h_0|; slope : (W,) a = w (1 - h*²) at the attractor
    (:func:`attractor`; for w <= 1 the attractor is h* = 0 and a = w); margin : (W,) :func:`noise_margin`;
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
    at t = 1 … T (the same noise for every w, so the weights are compared on equal terms). noise
    is at most 1e300, so that its draws stay within float64.
    """
    w = as_float_array("w", w, ("W",))
    T = positive_int("T", T)
    noise = positive_float("noise", noise)
    if noise > 1e300:
        raise ValueError(f"noise must be at most 1e300 (its N(0, noise²) draws would overflow float64), got {noise:g}")
    runs = positive_int("runs", runs, minimum=2)
    rng = np.random.default_rng(check_seed("seed", seed))
    bit = np.where(np.arange(runs) % 2 == 0, 1.0, -1.0)
    x = noise * rng.standard_normal((T, runs))
    W = w.shape[0]
    h, grad = one_unit_run(np.repeat(w, runs), np.tile(x, (1, W)), np.tile(bit, W))
    kept = (np.sign(h[-1]) == np.tile(bit, W)).reshape(W, runs)
    _, slope = attractor(w)
    return MemorySweep(w, kept.mean(axis=1), np.median(np.abs(grad).reshape(W, runs), axis=1),
                       slope, noise_margin(w), T, noise, runs)
