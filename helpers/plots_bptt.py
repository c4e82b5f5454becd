"""Static figures of lesson 03 (BPTT): the graph with its two gradient paths, per-step
contributions, activation derivatives, truncation windows and errors, and the cost of BPTT.

Each function takes numbers computed elsewhere (helpers.bptt, helpers.rnn) and returns a
pyplot Figure; the notebook's inline backend shows it at the end of the cell.
"""
from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ._validate import drawable, float_arrays, mapping, optional_text, real, received
from .activations import get_activation
from .alt import describe, number
from .style import ACTIVATION_COLORS, CMAP_SEQUENTIAL, CYCLE, PALETTE, text_color_on


def _near_peak(values: np.ndarray, top: int) -> tuple[int, int]:
    """The widest run of gaps around ``top`` (the index of the peak of ``values``, (T,)) where
    ``values`` stays within 2× of the peak: (first k, last k)."""
    near = values >= values[top] / 2
    lo, hi = top, top
    while lo > 0 and near[lo - 1]:
        lo -= 1
    while hi < values.size - 1 and near[hi + 1]:
        hi += 1
    return lo, hi


def plot_contributions(norms: Mapping[str, np.ndarray], title: str | None = None) -> Figure:
    """Norm of the gradient part that travelled k steps back, against the gap k = t − s, one line per case.

    norms : label -> (T,) array of ‖Σ_t C[t, t−k]‖ for k = 0 … T−1, e.g. from
        helpers.bptt.contribution_norms_by_gap; zeros (terms multiplied by h_0 = 0) are skipped.
    title : what to notice in these curves; None gives a neutral title.
    """
    norms = float_arrays("norms", norms, "curves {label: (T,) norms ‖Σ_t C[t, t−k]‖ >= 0}")
    negative = [label for label, values in norms.items() if np.any(values < 0)]
    if negative:
        raise ValueError(f"norms[{negative[0]!r}] must be >= 0 (they are norms)")
    title = optional_text("title", title)
    fig, ax = plt.subplots(figsize=(8.0, 3.6))
    for (label, values), color in zip(norms.items(), CYCLE, strict=False):
        k = np.arange(values.size)
        keep = values > 0
        ax.semilogy(k[keep], values[keep], "o-", color=color, markersize=3, label=label)
    ax.set_xlabel(r"gap $k = t - s$ (steps the gradient travelled back)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(r"$\|\Sigma_t\, C[t, t-k]\|$ (Frobenius)")
    ax.set_title(r"Per-gap contributions to $\partial L/\partial W_{hh}$" if title is None else title)
    ax.legend()
    fig.tight_layout()
    cases = []
    for label, values in norms.items():
        k = np.flatnonzero(values > 0)
        if not k.size:
            cases.append(f"{label} is 0 at every gap")
            continue
        first, last, top = values[k[0]], values[k[-1]], k[np.argmax(values[k])]
        if k[0] < top < k[-1]:                     # a hump: where it stays near its peak, not its last points
            lo, hi = _near_peak(values, top)
            near = f"from k = {lo} to {hi}" if lo < hi else "only there"
            cases.append(f"{label} rises from {number(first)} at k = {k[0]} to a peak of {number(values[top])} at "
                         f"k = {top}, within 2× of it {near} (last point {number(last)} at k = {k[-1]})")
            continue
        verb = "falls" if last < first else "rises" if last > first else "stays"
        cases.append(f"{label} {verb} from {number(first)} at k = {k[0]} to {number(last)} at k = {k[-1]}")
    alt = (f"Log-scale line chart of the norm of the part of ∂L/∂W_hh that travelled k steps back, against the gap k, "
           f"one line per case: {'; '.join(cases)}.")
    return describe(fig, alt)


def plot_activation_derivatives(z_max: float = 6.0) -> Figure:
    """σ and σ' (left), tanh and tanh' (right) on [−z_max, z_max] (0 < z_max <= 1e300), with the
    maxima of φ' marked."""
    z_max = drawable("z_max", real("z_max", z_max, positive=True))
    z = np.linspace(-z_max, z_max, 601)
    fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.4), sharey=True)
    for ax, name, peak in ((axes[0], "sigmoid", 0.25), (axes[1], "tanh", 1.0)):
        act = get_activation(name)
        color = ACTIVATION_COLORS[name]
        symbol = "σ" if name == "sigmoid" else name
        # One style per quantity, as in lesson 04: the function thin and dashed, its derivative bold.
        ax.plot(z, act.f(z), color=color, linewidth=1.2, linestyle="--", label=f"{symbol}(z)")
        ax.plot(z, act.df(z), color=color, linewidth=2.4, label=f"{symbol}′(z)")
        ax.axhline(peak, color=PALETTE["black"], linestyle=":", linewidth=1)
        # The label sits inside the axes (top left, where both curves are low), the arrow to the peak.
        ax.annotate(f"max {symbol}′ = {peak:g} at z = 0", (0, peak), xytext=(0.03, 0.96),
                    textcoords="axes fraction", ha="left", va="top", fontsize=10,
                    arrowprops={"arrowstyle": "->", "linewidth": 0.8, "shrinkB": 3})
        ax.set_xlabel("net input z")
        ax.set_title(f"{name}: {symbol}′ ≤ {peak:g}, and ≈ 0 for large |z|")
        ax.legend(loc="lower right")
    axes[0].set_ylabel("value")
    axes[0].set_ylim(-1.1, 1.45)
    fig.tight_layout()
    sig, tanh = get_activation("sigmoid"), get_activation("tanh")
    alt = (f"Two panels, σ with σ′ (left) and tanh with tanh′ (right), over z from {number(-z_max)} to "
           f"{number(z_max)}: σ′ peaks at {number(sig.df(0.0))} and tanh′ at {number(tanh.df(0.0))}, at z = 0, "
           f"and at z = ±{number(z_max)} they are down to {number(sig.df(z_max))} and {number(tanh.df(z_max))}.")
    return describe(fig, alt)


def plot_gradcheck(errors: Mapping[tuple[str, str], float]) -> Figure:
    """Heat map of gradient-check relative errors: one row per parameter, one column per activation.

    errors : {(activation, parameter): relative error}, as returned by bptt.gradcheck_table.
    Each cell is annotated with its value; the colour is log10 of the error.
    """
    mapping("errors", errors, "relative errors {(activation, parameter): error}")
    for key, error in errors.items():
        if not (isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            raise ValueError("errors must be keyed by (activation, parameter) pairs of names, "
                             f"got the key {received(key)}")
        real(f"errors[{key!r}]", error, minimum=0.0)
    acts = list(dict.fromkeys(a for a, _ in errors))
    names = list(dict.fromkeys(n for _, n in errors))
    missing = [(a, n) for a in acts for n in names if (a, n) not in errors]
    if missing:
        raise ValueError(f"errors must hold every (activation, parameter) pair; missing {missing}")
    E = np.array([[errors[(a, n)] for a in acts] for n in names], dtype=np.float64)
    logE = np.log10(np.maximum(E, 1e-16))
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    im = ax.imshow(logE, cmap=CMAP_SEQUENTIAL, vmin=-12, vmax=-6, aspect="auto")
    for i in range(len(names)):
        for j in range(len(acts)):
            ax.text(j, i, f"{E[i, j]:.1e}", ha="center", va="center", fontsize=10,
                    color=text_color_on(im.to_rgba(logE[i, j])))
    ax.set_xticks(range(len(acts)), acts)
    ax.set_yticks(range(len(names)), names)
    ax.grid(False)
    fig.colorbar(im, ax=ax, label="log10 relative error")
    ax.set_title("BPTT vs central differences: every error far below 1e-7", fontsize=11)
    fig.tight_layout()
    (i_hi, j_hi), (i_lo, j_lo) = np.unravel_index(E.argmax(), E.shape), np.unravel_index(E.argmin(), E.shape)
    above = int(np.sum(E >= 1e-7))
    alt = (f"Heat map of the relative error of BPTT against central differences, {len(names)} parameters by "
           f"{len(acts)} activations, each cell labelled: the largest is {number(E[i_hi, j_hi])} ({names[i_hi]}, "
           f"{acts[j_hi]}), the smallest {number(E[i_lo, j_lo])} ({names[i_lo]}, {acts[j_lo]}); "
           + ("every error is below 1e-7." if not above else f"{above} of {E.size} errors are at 1e-7 or above."))
    return describe(fig, alt)


