"""Static figures of lesson 06 (remedies). Each function draws what it is given and returns the
Figure; the numbers come from :mod:`helpers.cliff`, :mod:`helpers.lstm`, :mod:`helpers.esn`,
:mod:`helpers.rnn` and :mod:`helpers.optim`."""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from . import cliff
from ._validate import as_float_array
from .style import CMAP_SEQUENTIAL, PALETTE, halo, legend_in_line_order, reference_line, series_styles


def plot_bifurcation(w: float = 5.0, b_range: tuple[float, float] = (-4.5, -0.5)) -> Figure:
    """Fixed points of x ↦ w σ(x) + b against b: stable branches solid, the unstable one dashed,
    and the bistable interval (computed by :func:`helpers.cliff.bistable_interval`) shaded."""
    x, b, stable = cliff.bifurcation_curve(w, -6.0, 6.0, 1201)
    lo, hi = cliff.bistable_interval(w)
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    ax.axvspan(lo, hi, color=PALETTE["orange"], alpha=0.2, lw=0, label="two stable fixed points")
    # Split into contiguous runs so that each branch is drawn as its own line.
    breaks = np.flatnonzero(np.diff(stable.astype(int))) + 1
    first_stable = first_unstable = True
    for seg in np.split(np.arange(len(x)), breaks):
        if stable[seg[0]]:
            ax.plot(b[seg], x[seg], color=PALETTE["blue"], lw=2.2, label="stable" if first_stable else None)
            first_stable = False
        else:
            ax.plot(b[seg], x[seg], color=PALETTE["vermillion"], lw=2, ls="--",
                    label="unstable" if first_unstable else None)
            first_unstable = False
    for v in (lo, hi):
        ax.axvline(v, color=PALETTE["black"], lw=1, ls=":")
    ax.set_xlim(*b_range)
    ax.set_ylim(-6, 6)
    ax.set_xlabel("bias b")
    ax.set_ylabel("fixed point x*")
    ax.set_title(f"w = {w:g}: two stable states coexist for b in ({lo:.3f}, {hi:.3f})")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def _wall(ax, w, x0: float = 0.5, label: bool = False) -> None:
    """The wall b = x0 − w σ(x0) over the values ``w`` (1-D): black, dotted (as lesson 06 says) on
    a white halo (it crosses every colour of the map); ``label`` names it a quarter of the way
    along. Also used by :func:`helpers.remedies_widgets.clipping_paths`."""
    b = cliff.wall_line(w, x0)
    ax.plot(w, b, color=PALETTE["black"], lw=2.0, ls=":", path_effects=halo(2.0))
    drawn = np.flatnonzero(np.isfinite(b))
    if label and drawn.size:
        i = drawn[len(drawn) // 4]                     # a quarter of the way along the drawn wall
        ax.annotate("wall", (w[i], b[i]), xytext=(2, 8), textcoords="offset points",
                    fontsize=11, weight="bold", color=PALETTE["black"],
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def _surface_axes(ax, W, B, E, x0: float):
    im = ax.pcolormesh(W, B, E, cmap=CMAP_SEQUENTIAL, shading="auto")
    _wall(ax, W[0], x0, label=True)
    ax.set_xlim(W.min(), W.max())
    ax.set_ylim(B.min(), B.max())
    ax.set_xlabel("recurrent weight w")
    ax.set_ylabel("bias b")
    ax.grid(False)
    return im


def plot_error_surface(W, B, E, grad_norm, x0: float = 0.5) -> Figure:
    """E(w, b) and log10 ‖∇E‖ over a grid (W, B from np.meshgrid); the wall line
    b = x0 − w σ(x0) (where x0 is the unstable fixed point) is dotted on both panels. The gradient's
    spike at the wall is far thinner than a grid cell, so the right panel shows the steep slopes
    around it, not the spike itself."""
    W, B, E, grad_norm = (np.asarray(a, dtype=np.float64) for a in (W, B, E, grad_norm))
    fig, axes = plt.subplots(1, 2, figsize=(8.6, 3.6), sharey=True)
    im = _surface_axes(axes[0], W, B, E, x0)
    fig.colorbar(im, ax=axes[0], label="E")
    axes[0].set_title("E = (σ(x₅₀) − 0.7)² jumps at the wall")
    with np.errstate(divide="ignore"):
        lg = np.log10(grad_norm)
    im = axes[1].pcolormesh(W, B, lg, cmap=CMAP_SEQUENTIAL, shading="auto", vmin=-6,
                            vmax=max(1.0, float(np.nanmax(lg))))
    _wall(axes[1], W[0], x0, label=True)
    axes[1].set_xlabel("recurrent weight w")
    axes[1].grid(False)
    axes[1].set_title("log₁₀ ‖∇E‖: steep left of the cusp; at the wall\n"
                      "the spike is thinner than a grid cell", fontsize=11)
    fig.colorbar(im, ax=axes[1], label="log₁₀ ‖∇E‖")
    fig.tight_layout()
    return fig


def plot_clip_directions(g: Sequence[float], g_norm: Sequence[float], g_value: Sequence[float],
                         threshold: float) -> Figure:
    """The raw gradient and its two clipped versions in the (∂E/∂w, ∂E/∂b) plane, drawn as unit
    directions (left; the raw gradient thin and dashed over the norm-clipped one, which has its
    direction) and to scale after clipping (right)."""
    g, g_norm, g_value = (as_float_array(n, v, (2,)) for n, v in
                          (("g", g), ("g_norm", g_norm), ("g_value", g_value)))
    fig, axes = plt.subplots(1, 2, figsize=(8.0, 4.0), layout="constrained")
    items = [("raw gradient", g, PALETTE["black"]), ("norm-clipped", g_norm, PALETTE["blue"]),
             ("value-clipped", g_value, PALETTE["vermillion"])]
    # Norm clipping keeps the direction, so its line lies on the raw one: the raw gradient is a thin
    # dashed line drawn on top, and both show.
    widths, orders, dashes = (1.4, 3.0, 3.0), (3, 2, 2), ("--", "-", "-")
    for (label, v, color), lw, z, ls in zip(items, widths, orders, dashes):
        u = v / np.linalg.norm(v)
        axes[0].annotate("", xy=u, xytext=(0, 0), zorder=z,
                         arrowprops=dict(arrowstyle="-", color=color, lw=lw, linestyle=ls, shrinkA=0, shrinkB=0))
        axes[0].plot([], [], color=color, lw=lw, ls=ls, label=label)
    for ax, r in ((axes[0], 1.1), (axes[1], 1.6 * float(threshold))):
        ax.set_xlim(-r, r)
        ax.set_ylim(-r, r)
        ax.set_aspect("equal")
    axes[0].set_xlabel(r"$\partial E/\partial w$ (direction)")
    axes[0].set_ylabel(r"$\partial E/\partial b$ (direction)")
    axes[0].set_title("directions")
    for label, v, color in items[1:]:
        axes[1].annotate("", xy=v, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color=color, lw=2))
    c = float(threshold)
    axes[1].add_patch(plt.Circle((0, 0), c, fill=False, color=PALETTE["blue"], ls=":"))
    axes[1].add_patch(plt.Rectangle((-c, -c), 2 * c, 2 * c, fill=False, color=PALETTE["vermillion"], ls=":"))
    axes[1].set_xlabel(r"$\partial E/\partial w$ after clipping")
    axes[1].set_ylabel(r"$\partial E/\partial b$ after clipping")
    axes[1].set_title(f"to scale: circle ‖g‖ = {c:g}, square |gᵢ| ≤ {c:g}")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=3)
    fig.suptitle("Norm clipping keeps the direction; value clipping turns it", fontsize=12)
    return fig


def plot_norms_against_length(T, norms: Mapping[str, Sequence[float]], *, title: str,
                              ylabel: str = r"$\|\nabla_\theta L\|$ (global norm)") -> Figure:
    """One line per entry of ``norms`` (label -> values over T), log y axis."""
    return _log_lines(T, norms, xlabel="sequence length T (steps)", ylabel=ylabel, title=title,
                      marker="o")


def _log_lines(x, curves: Mapping[str, Sequence[float]], *, xlabel: str, ylabel: str, title: str,
               marker: str | None = None) -> Figure:
    """One line per entry of ``curves`` (label -> values over x) on a log y axis, each model in its
    colour (:func:`helpers.style.series_styles`); values <= 0 (nothing to show on a log axis) are
    left out. The legend lists the lines in the order of their ends."""
    x = np.asarray(x)
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    for (label, values), look in zip(curves.items(), series_styles(curves)):
        v = np.asarray(values, dtype=float)
        shown = v > 0
        ax.plot(x[shown], v[shown], lw=2, marker=marker, ms=3, label=label, **look)
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    legend_in_line_order(ax)
    fig.tight_layout()
    return fig


def plot_input_gradients(per_step: Mapping[str, Sequence[float]], *, title: str) -> Figure:
    """‖∂L/∂x_t‖ for each step t (label -> (T,) values) on a log axis; exact zeros are drawn as
    crosses on the bottom edge and counted in the legend."""
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    finite_pos = np.concatenate([np.asarray(v, dtype=float)[np.asarray(v) > 0] for v in per_step.values()])
    floor = finite_pos.min() / 30 if finite_pos.size else 1e-12
    for (label, values), look, marker in zip(per_step.items(), series_styles(per_step), ("o", "s", "^", "D")):
        v = np.asarray(values, dtype=float)
        t = np.arange(len(v))
        zero = v == 0
        ax.plot(t[~zero], v[~zero], marker=marker, ms=4, label=label, **look)
        if zero.any():
            ax.plot(t[zero], np.full(zero.sum(), floor), ls="none", marker="x", ms=7, color=look["color"],
                    label=f"{label}: exactly 0 at {zero.sum()} steps")
    ax.set_yscale("log")
    ax.set_xlabel(r"input step $t$")
    ax.set_ylabel(r"$\|\partial L/\partial x_t\|$")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_losses(losses: Mapping[str, Sequence[float]], *, title: str, chance: float | None = None,
                window: int = 25, log: bool = True) -> Figure:
    """Training loss per step (thin) and its moving average over ``window`` steps (thick), one
    colour per run (each model in its colour, :func:`helpers.style.series_styles`); ``chance``
    draws the loss of guessing uniformly as the grey dashed reference, labelled "guessing"; ``log``
    puts the loss on a log axis (for losses that fall by decades)."""
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    for (label, values), look in zip(losses.items(), series_styles(losses)):
        v = np.asarray(values, dtype=float)
        ax.plot(v, color=look["color"], alpha=0.25, lw=0.8)
        if len(v) >= window:
            smooth = np.convolve(v, np.ones(window) / window, mode="valid")
            ax.plot(np.arange(window - 1, len(v)), smooth, lw=2, label=label, **look)
    if chance is not None:
        reference_line(ax, chance, "guessing")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("SGD step")
    ax.set_ylabel("training loss (nats)")
    ax.set_title(title)
    ax.legend(loc="best")
    fig.tight_layout()
    return fig


def plot_jacobian_decay(k, curves: Mapping[str, Sequence[float]], *, title: str,
                        ylabel: str = r"$\|\partial h_T/\partial h_{T-k}\|_2$, median") -> Figure:
    """Gradient-flow curves against the lag k (label -> values), log y axis; each model in its
    colour, the tanh RNN from an orthogonal W_hh dashed (it can lie on the Gaussian one)."""
    return _log_lines(k, curves, xlabel=r"lag $k$ (steps back in time)", ylabel=ylabel, title=title)
