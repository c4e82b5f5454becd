"""The static plots of lesson 05: accuracy against the clue-to-answer gap, the gradient that reaches
the clue, the adding problem's constant baseline, and the one-unit network's memory against its
gradient.

Each function takes results computed in the notebook (mostly by :mod:`helpers.longterm`) and
returns a pyplot Figure; none of them computes maths of its own beyond what it draws.
"""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ._validate import as_float_array, drawable, instance, mapping, matching, non_empty, positive_int, real, received
from .alt import describe, number
from .longterm import AddingRun, GapSweep, MemorySweep, SeedRuns, attractor
from .style import CYCLE, INK, PALETTE, decade_ticks, legend_in_line_order, reference_line

_RUNS = "a GapSweep or SeedRuns (from helpers.longterm.gap_sweep or helpers.longterm.load_seed_runs)"


def _listed(items: list) -> str:
    """"a", "a and b", "a, b and c": for alt text."""
    items = [str(i) for i in items]
    return " and ".join(items) if len(items) < 3 else f"{', '.join(items[:-1])} and {items[-1]}"


def plot_gap_accuracy(sweep: GapSweep | SeedRuns, chance: float = 1 / 8, learnt: float = 0.9) -> Figure:
    """Test accuracy against the clue-to-answer gap: one dot per seed, the line through their mean,
    with the chance level and the "learnt" threshold drawn across. ``sweep``: the runs of
    :func:`helpers.longterm.gap_sweep`, or those of the data file (:func:`helpers.longterm.load_seed_runs`)."""
    instance("sweep", sweep, (GapSweep, SeedRuns), _RUNS)
    chance = real("chance", chance, minimum=0.0, maximum=1.0)
    learnt = real("learnt", learnt, minimum=0.0, maximum=1.0)
    fig, ax = plt.subplots(figsize=(8.0, 3.4))
    for j in range(sweep.seeds.size):
        ax.plot(sweep.gaps, sweep.accuracy[:, j], "o", color=PALETTE["blue"], markerfacecolor="white",
                markersize=6, label="one seed" if j == 0 else None)
    ax.plot(sweep.gaps, sweep.accuracy.mean(axis=1), "-", color=PALETTE["blue"], linewidth=2,
            label=f"mean of {sweep.seeds.size} seeds")
    reference_line(ax, chance, f"chance {chance:.3g}")
    reference_line(ax, learnt, f"learnt ≥ {learnt:g}")
    ax.set_xticks(sweep.gaps)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("gap k between clue and answer (steps)")
    ax.set_ylabel("test accuracy")
    ax.set_title("Same network, same training: short gaps are learnt, long ones stay at chance")
    ax.legend(loc="center right")
    fig.tight_layout()
    mean = sweep.accuracy.mean(axis=1)
    learnt_gaps = sweep.gaps[mean >= learnt]
    alt = (f"Test accuracy against the gap k between clue and answer, a dot per seed and a line through the mean of "
           f"{sweep.seeds.size} seeds, with chance {chance:.3g} and learnt {learnt:g} as dashed levels: the mean is "
           f"{_listed([f'{m:.2f}' for m in mean])} at gaps {_listed(sweep.gaps)}; "
           + (f"it reaches {learnt:g} at gap{'s' * (learnt_gaps.size > 1)} {_listed(learnt_gaps)} only."
              if learnt_gaps.size else f"it reaches {learnt:g} at no gap."))
    return describe(fig, alt)


def _fit(fit, gaps: np.ndarray) -> tuple[float, float]:
    """The pair (r, c) of :func:`helpers.longterm.decay_fit`, both > 0, whose line c·r^k over ``gaps``
    stays within 1e±100 (where a log axis can show it)."""
    if not isinstance(fit, (tuple, list)) or len(fit) != 2:
        raise ValueError(f"fit must be None or the pair (r, c) of helpers.longterm.decay_fit, got {received(fit)}")
    r, c = real("fit[0] (r)", fit[0], positive=True), real("fit[1] (c)", fit[1], positive=True)
    ends = np.log10(c) + np.array([gaps.min(), gaps.max()]) * np.log10(r)
    if np.any(np.abs(ends) > 100):
        raise ValueError(f"fit (r, c) = ({r:g}, {c:g}) gives c·r^k from 1e{ends[0]:.0f} to 1e{ends[1]:.0f} over the "
                         "gaps of sweep; a log axis holds 1e-100 … 1e100")
    return r, c


def plot_clue_gradient(sweep: GapSweep | SeedRuns, fit: tuple[float, float] | None = None) -> Figure:
    """Left: the clue gradient ratio ‖∂L/∂x_5‖ / ‖∂L/∂x_T‖ during training, one line per gap
    (median over seeds). Right: its value before training (the first training step) against the
    gap k, on a log scale, with the fit ``(r, c)`` of :func:`helpers.longterm.decay_fit` drawn as
    c·r^k if given. ``sweep`` as in :func:`plot_gap_accuracy`."""
    instance("sweep", sweep, (GapSweep, SeedRuns), _RUNS)
    fit = None if fit is None else _fit(fit, sweep.gaps)
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(9.2, 3.6), width_ratios=(1.2, 1))
    steps = np.arange(sweep.clue_grad.shape[2])
    for i, gap in enumerate(sweep.gaps):
        ax0.plot(steps, np.median(sweep.clue_grad[i], axis=0), color=CYCLE[i % len(CYCLE)], label=f"gap {gap}")
    ax0.set_yscale("log")
    ax0.set_xlabel("training step")
    ax0.set_ylabel(r"$\|\partial L/\partial x_5\| \,/\, \|\partial L/\partial x_T\|$")
    ax0.set_title("Long gaps: the clue never hears the error")
    legend_in_line_order(ax0, loc="center left", bbox_to_anchor=(1.0, 0.5), borderaxespad=0.3,
                         handlelength=1.2)
    start = sweep.clue_grad[:, :, 0]
    for j in range(sweep.seeds.size):
        ax1.plot(sweep.gaps, start[:, j], "o", color=PALETTE["blue"], markerfacecolor="white",
                 label="measured, before training" if j == 0 else None)
    if fit is not None:
        r, c = fit
        g = np.linspace(sweep.gaps.min(), sweep.gaps.max(), 100)
        ax1.plot(g, c * r ** g, color=INK["vermillion"], label=f"fit {c:.2g}·{r:.2f}$^k$")
    ax1.set_yscale("log")
    ax1.set_xlabel("gap k (steps)")
    ax1.set_ylabel("ratio before training")
    ax1.set_title("Exponential in the gap")
    ax1.legend()
    fig.tight_layout()
    median = np.median(sweep.clue_grad, axis=1)                         # (G, steps), as drawn on the left
    at_start = np.median(start, axis=1)
    alt = (f"Left, log scale: the clue gradient ratio ‖∂L/∂x_5‖ / ‖∂L/∂x_T‖ over {steps.size} training steps, the "
           f"median of {sweep.seeds.size} seeds per gap; at the last step it is "
           f"{_listed([f'{number(m)} (gap {gap})' for m, gap in zip(median[:, -1], sweep.gaps, strict=True)])}. "
           f"Right: before training, one dot per seed against the gap, the median "
           f"{'falling' if at_start[-1] < at_start[0] else 'rising' if at_start[-1] > at_start[0] else 'staying'} from "
           f"{number(at_start[0])} at gap {sweep.gaps[0]} to {number(at_start[-1])} at gap {sweep.gaps[-1]}"
           + (f"; the fit {number(fit[1])}·{fit[0]:.2f}^k." if fit is not None else "."))
    return describe(fig, alt)


def plot_adding_baseline(sums, c, simulated, analytic) -> Figure:
    """Left: histogram of the adding problem's targets S (``sums`` (N,), in [0, 2]). Right: the loss of the
    constant answer c, ``simulated`` and ``analytic`` (both (C,) over ``c`` (C,)); c, simulated and
    analytic within ±1e300."""
    sums = non_empty("sums", as_float_array("sums", sums, ("N",)))
    if np.any((sums < 0) | (sums > 2)):
        raise ValueError(f"sums must be targets S = U₁ + U₂ in [0, 2], got values from {sums.min():g} to "
                         f"{sums.max():g}")
    c = drawable("c", non_empty("c", as_float_array("c", c, ("C",))))
    simulated, analytic = (drawable(name, matching(name, v, c.shape, "one loss per constant answer in c"))
                           for name, v in (("simulated", simulated), ("analytic", analytic)))
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(8.0, 3.4))
    ax0.hist(sums, bins=40, range=(0, 2), density=True, color=PALETTE["sky"])
    ax0.axvline(sums.mean(), color=PALETTE["vermillion"], label=f"mean {sums.mean():.3f}")
    ax0.set_xlabel("target S = U₁ + U₂")
    ax0.set_ylabel("density")
    ax0.set_title("Targets pile up around 1")
    ax0.legend(loc="upper right")
    ax1.plot(c, analytic, color=PALETTE["blue"], label="½((1 − c)² + 1/6)")
    ax1.plot(c, simulated, "o", color=INK["vermillion"], markersize=5, label="simulated")
    i = int(np.argmin(analytic))
    best = f"{analytic[i]:.4f}" if abs(analytic[i]) < 1e4 else f"{analytic[i]:.4g}"     # (not 300 digits)
    ax1.annotate(f"best: c = {c[i]:.3g}, loss {best}", (c[i], analytic[i]),
                 xytext=(0.22, 0.5), textcoords="axes fraction", arrowprops={"arrowstyle": "->"})
    ax1.set_xlabel("constant answer c")
    ax1.set_ylabel("loss ½(c − S)², mean")
    ax1.set_title("The best constant answer and its loss")
    ax1.legend(loc="upper center")
    fig.tight_layout()
    alt = (f"Left: histogram of the {sums.size} targets S = U₁ + U₂ on [0, 2], mean {sums.mean():.3f}. Right: the "
           f"loss of answering a constant c from {number(c.min())} to {number(c.max())}, formula ½((1 − c)² + 1/6) "
           f"and simulation (at most {number(np.max(np.abs(simulated - analytic)))} apart): the best is c = "
           f"{c[i]:.3g}, loss {best}.")
    return describe(fig, alt)


def plot_adding_runs(runs: Sequence[AddingRun], levels: dict[str, float], window: int = 20) -> Figure:
    """Training loss of runs on the adding problem (faint: every training step; bold: moving
    average over ``window`` training steps), with horizontal reference ``levels`` {label: loss}
    such as the constant-answer baseline. A run shorter than ``window`` is drawn bold as it is."""
    window = positive_int("window", window)
    if not isinstance(runs, (list, tuple)) or not runs:
        raise ValueError(f"runs must be a non-empty list of AddingRun (from helpers.longterm.train_adding), "
                         f"got {received(runs)}")
    for i, run in enumerate(runs):
        instance(f"runs[{i}]", run, AddingRun, "an AddingRun (from helpers.longterm.train_adding)")
    mapping("levels", levels, "reference losses {label: loss > 0}", empty_ok=True)
    levels = {label: real(f"levels[{label!r}]", value, positive=True) for label, value in levels.items()}
    fig, ax = plt.subplots(figsize=(8.0, 3.4))
    kernel = np.ones(window) / window
    for i, run in enumerate(runs):
        color = CYCLE[i % len(CYCLE)]
        ax.plot(np.arange(run.loss.size), run.loss, color=color, linewidth=0.8, alpha=0.3)
        if run.loss.size >= window:
            smooth = np.convolve(run.loss, kernel, mode="valid")
            ax.plot(np.arange(window - 1, run.loss.size), smooth, color=color, linewidth=2, label=f"T = {run.T}")
        else:
            ax.plot(np.arange(run.loss.size), run.loss, color=color, linewidth=2, label=f"T = {run.T}")
    for label, value in levels.items():
        reference_line(ax, value, label)
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel(f"training loss (line: mean of {window})")
    ax.set_title("Read the loss against the baseline: T = 50 stops at the constant answer")
    ax.legend(loc="lower left")
    fig.tight_layout()
    ends = []
    for run in (run for run in runs if run.loss.size):
        end = float(np.mean(run.loss[-window:]))
        near = min(levels, key=lambda label: abs(np.log(levels[label] / end))) if levels and end > 0 else None
        ends.append(f"T = {run.T} ends at {number(end)}" + (f", nearest '{near}'" if near else ""))
    alt = (f"Log-scale training loss of {len(runs)} run{'s' * (len(runs) > 1)} on the adding problem, the mean of "
           f"{window} steps in bold"
           + (f", with the levels {_listed([f'{label} ({number(v)})' for label, v in levels.items()])}"
              if levels else "")
           + f": {'; '.join(ends)}.")
    return describe(fig, alt)


def plot_one_unit(w_values: Sequence[float], h_grid, maps, trajectories) -> Figure:
    """Left: the maps h ↦ tanh(w h), one per w (``maps`` (W, N) over ``h_grid`` (N,)), with the
    diagonal, whose crossings are the fixed points; the attractors (±h* of
    :func:`helpers.longterm.attractor`, or 0 for w ≤ 1) are dots. Right: noisy trajectories (``trajectories``
    (W, T) states h_1 … h_T, one per w) started from h_0 = 1. Every number within ±1e300."""
    w_values = drawable("w_values", non_empty("w_values", as_float_array("w_values", w_values, ("W",))))
    h_grid = drawable("h_grid", non_empty("h_grid", as_float_array("h_grid", h_grid, ("N",))))
    maps = drawable("maps", matching("maps", maps, (w_values.size, h_grid.size),
                                      "one row per w in w_values, one column per h in h_grid"))
    trajectories = drawable("trajectories", as_float_array("trajectories", trajectories, ("W", "T")))
    if trajectories.shape[0] != w_values.size:
        raise ValueError(f"trajectories must have shape ({w_values.size}, T) (one row per w in w_values), "
                         f"got shape {trajectories.shape}")
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(8.0, 3.6))
    ax0.plot(h_grid, h_grid, color="0.5", linewidth=1, linestyle="--", label=r"$h_t = h_{t-1}$")
    for i, w in enumerate(w_values):
        color = CYCLE[i % len(CYCLE)]
        ax0.plot(h_grid, maps[i], color=color, linewidth=2, label=f"w = {w:g}")
        T = trajectories.shape[1]
        ax1.plot(np.arange(T + 1), np.concatenate([[1.0], trajectories[i]]), color=color, linewidth=1.5,
                 label=f"w = {w:g}")
    ax0.set_xlabel(r"$h_{t-1}$")
    ax0.set_ylabel(r"$h_t = \tanh(w\, h_{t-1})$")
    # The attractors ±h* (helpers.longterm.attractor; for w ≤ 1 the one fixed point 0) as dots.
    h_star, _ = attractor(w_values)
    for i, h in enumerate(np.atleast_1d(h_star)):
        points = [-h, h] if h > 0 else [0.0]
        ax0.scatter(points, points, s=45, color=CYCLE[i % len(CYCLE)], edgecolor="black", zorder=3)
    ax0.set_title("Attractors (dots): where the map crosses the diagonal")
    ax0.legend(loc="upper left")
    ax1.axhline(0, color="0.5", linewidth=1)
    ax1.set_ylim(-1.05, 1.05)
    ax1.set_xlabel("time step t")
    ax1.set_ylabel(r"$h_t$ (the bit is its sign)")
    ax1.set_title(r"From $h_0 = 1$, with input noise")
    ax1.legend(loc="lower left")
    fig.tight_layout()
    fixed = _listed([f"{'±' if h > 0 else ''}{number(h)} (w = {w:g})" for w, h in zip(w_values, np.atleast_1d(h_star),
                                                                                     strict=True)])
    paths = []
    for w, h in zip(w_values, trajectories, strict=True):
        negative = np.signbit(np.concatenate([[1.0], h]))                # from h_0 = 1
        flips = int(np.count_nonzero(negative[1:] != negative[:-1]))
        paths.append(f"w = {w:g} ends at {number(np.r_[1.0, h][-1])} "
                     + (f"after {flips} sign change{'s' * (flips != 1)}" if flips else "without a sign change"))
    alt = (f"Left: the maps h ↦ tanh(w h) with the diagonal; the attractors lie at {fixed}. Right: noisy "
           f"trajectories over {trajectories.shape[1]} steps from h_0 = 1, whose sign is the bit: {'; '.join(paths)}.")
    return describe(fig, alt)


def plot_memory_vs_trainability(sweep: MemorySweep) -> Figure:
    """Left: the fraction of runs that keep the bit, and the noise margin, against w.
    Right: the median |∂h_T/∂h_0| and a^T (a = the slope at the attractor) on a log scale."""
    instance("sweep", sweep, MemorySweep, "a MemorySweep (from helpers.longterm.memory_sweep)")
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(8.0, 3.6), sharex=True)
    ax0.plot(sweep.w, sweep.retention, color=PALETTE["blue"], linewidth=2, label="bit kept (fraction)")
    ax0.plot(sweep.w, sweep.margin, color=PALETTE["green"], linestyle="--", label=r"noise margin $\varepsilon_c(w)$")
    reference_line(ax0, 1.0, vertical=True)
    ax0.set_xlabel("recurrent weight w")
    ax0.set_ylabel("fraction / margin")
    ax0.set_title(f"Memory: bit kept after T = {sweep.T} noisy steps")
    ax0.legend(loc="lower right")
    with np.errstate(under="ignore"):
        ax1.plot(sweep.w, sweep.gradient, color=PALETTE["vermillion"], linewidth=2,
                 label=r"median $|\partial h_T/\partial h_0|$, measured")
        ax1.plot(sweep.w, np.abs(sweep.slope) ** sweep.T, color=PALETTE["black"], linestyle=":",
                 label=r"$a^T$ at the attractor")
    reference_line(ax1, 1.0, vertical=True)
    ax1.set_yscale("log")
    decade_ticks(ax1)
    ax1.set_xlabel("recurrent weight w")
    ax1.set_ylabel(r"$|\partial h_T/\partial h_0|$")
    ax1.set_title("Trainability: the gradient is gone")
    ax1.legend(loc="lower left")
    fig.tight_layout()
    kept = sweep.retention >= 0.9
    alt = (f"Two panels against the recurrent weight w from {sweep.w.min():g} to {sweep.w.max():g}. Left: the fraction "
           f"of runs that keep the bit after T = {sweep.T} noisy steps goes from {sweep.retention[0]:.2f} to "
           f"{sweep.retention[-1]:.2f}, with the noise margin. Right, log scale: the median |∂h_T/∂h_0| peaks at "
           f"{number(sweep.gradient.max())} at w = {sweep.w[np.argmax(sweep.gradient)]:.3g}; "
           + (f"where at least 90% keep the bit (w ≥ {sweep.w[kept].min():.3g}) it is at most "
              f"{number(sweep.gradient[kept].max())}." if kept.any() else "no w keeps the bit in 90% of runs."))
    return describe(fig, alt)
