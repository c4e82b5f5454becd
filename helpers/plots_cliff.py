"""Static figures of the exploding-gradient cliff (lesson 06): the one-unit RNN's bifurcation,
its error surface with the wall, and how norm and value clipping turn a gradient. The numbers come
from :mod:`helpers.cliff`."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from . import cliff
from ._validate import (
    as_float_array,
    axes,
    drawable,
    flag,
    interval,
    non_empty,
    positive_float,
    real,
    received,
    scaled_norm,
    shape_str,
)
from .alt import describe, number
from .style import CMAP_SEQUENTIAL, PALETTE, halo


def plot_bifurcation(w: float = 5.0, b_range: tuple[float, float] = (-4.5, -0.5)) -> Figure:
    """Fixed points of x ↦ w σ(x) + b against b: stable branches solid, the unstable one dashed,
    and the bistable interval (computed by :func:`helpers.cliff.bistable_interval`) shaded.
    ``b_range`` (low, high) is the b axis shown; w and b_range within ±1e300."""
    w = drawable("w", real("w", w))
    b_range = drawable("b_range", interval("b_range", b_range))
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
    alt = (f"Bifurcation diagram: the fixed points x* of x ↦ {w:g} σ(x) + b against the bias b from {b_range[0]:g} to "
           f"{b_range[1]:g}, stable branches solid, the unstable one dashed. For b between {lo:.3f} and {hi:.3f} "
           f"(shaded) two stable states coexist, low and high; at each end of that band one of them meets the "
           f"unstable branch and vanishes, so the state jumps to the other.")
    return describe(fig, alt)


def draw_wall(ax, w, x0: float = 0.5, label: bool = False) -> None:
    """The wall b = x0 − w σ(x0) over the values ``w`` (1-D): black, dotted (as lesson 06 says) on
    a white halo (it crosses every colour of the map); ``label`` names it a quarter of the way
    along. Also drawn by :func:`helpers.widgets_cliff.clipping_paths`."""
    axes("ax", ax)
    label = flag("label", label)
    w = non_empty("w", as_float_array("w", w, ("N",)))
    b = cliff.wall_line(w, real("x0", x0))
    ax.plot(w, b, color=PALETTE["black"], lw=2.0, ls=":", path_effects=halo(2.0))
    drawn = np.flatnonzero(np.isfinite(b))
    if label and drawn.size:
        i = drawn[len(drawn) // 4]                     # a quarter of the way along the drawn wall
        ax.annotate("wall", (w[i], b[i]), xytext=(2, 8), textcoords="offset points",
                    fontsize=11, weight="bold", color=PALETTE["black"],
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def _surface_axes(ax, W, B, E, x0: float):
    im = ax.pcolormesh(W, B, E, cmap=CMAP_SEQUENTIAL, shading="auto")
    draw_wall(ax, W[0], x0, label=True)
    ax.set_xlim(W.min(), W.max())
    ax.set_ylim(B.min(), B.max())
    ax.set_xlabel("recurrent weight w")
    ax.set_ylabel("bias b")
    ax.grid(False)
    return im


def _on_grid(name: str, a, W: np.ndarray) -> np.ndarray:
    """``a`` checked as one finite value per point of the grid W, within ±1e300 (a figure draws it)."""
    a = as_float_array(name, a, ("rows", "cols"))
    if a.shape != W.shape:
        raise ValueError(f"{name} has shape {a.shape} but W has shape {W.shape}; expected {name} of shape "
                         f"{shape_str(W.shape)} (one value per grid point, as np.meshgrid makes W and B)")
    return drawable(name, a)


def _meshgrid(W: np.ndarray, B: np.ndarray) -> None:
    """W and B checked to be np.meshgrid(w, b) of increasing w and b: every row of W the same
    increasing values, every column of B likewise (the colour mesh's cells are drawn between them)."""
    for name, grid, axis in (("W", W, 0), ("B", B, 1)):
        lines = grid if axis == 0 else grid.T                     # W's rows, B's columns
        if not (np.all(lines == lines[:1]) and np.all(lines[0, 1:] > lines[0, :-1])):
            which = "row" if axis == 0 else "column"
            raise ValueError(f"{name} must be the {'first' if axis == 0 else 'second'} output of "
                             f"np.meshgrid(w, b) with w and b increasing (every {which} the same increasing "
                             f"values); got {which} 0 = {received(lines[0].tolist())}")


def plot_error_surface(W, B, E, grad_norm, x0: float = 0.5) -> Figure:
    """E(w, b) and log10 ‖∇E‖ over a grid (W, B from np.meshgrid); the wall line
    b = x0 − w σ(x0) (where x0 is the unstable fixed point) is dotted on both panels. The gradient's
    spike at the wall is far thinner than a grid cell, so the right panel shows the steep slopes
    around it, not the spike itself.

    W, B, E, grad_norm : (rows, cols) arrays of the same shape, within ±1e300; grad_norm >= 0; W and B
        as np.meshgrid(w, b) makes them from increasing w and b.
    """
    W = drawable("W", non_empty("W", as_float_array("W", W, ("rows", "cols"))))
    B, E, grad_norm = (_on_grid(name, a, W) for name, a in (("B", B), ("E", E), ("grad_norm", grad_norm)))
    _meshgrid(W, B)
    if np.any(grad_norm < 0):
        raise ValueError(f"grad_norm must hold norms (>= 0), got a smallest value of {grad_norm.min():g}")
    x0 = real("x0", x0)
    fig, axes = plt.subplots(1, 2, figsize=(8.6, 3.6), sharey=True)
    im = _surface_axes(axes[0], W, B, E, x0)
    fig.colorbar(im, ax=axes[0], label="E")
    axes[0].set_title("E = (σ(x₅₀) − 0.7)² jumps at the wall")
    with np.errstate(divide="ignore"):
        lg = np.log10(grad_norm)
    im = axes[1].pcolormesh(W, B, lg, cmap=CMAP_SEQUENTIAL, shading="auto", vmin=-6,
                            vmax=max(1.0, float(np.nanmax(lg))))
    draw_wall(axes[1], W[0], x0, label=True)
    axes[1].set_xlabel("recurrent weight w")
    axes[1].grid(False)
    axes[1].set_title("log₁₀ ‖∇E‖: steep left of the cusp; at the wall\n"
                      "the spike is thinner than a grid cell", fontsize=11)
    fig.colorbar(im, ax=axes[1], label="log₁₀ ‖∇E‖")
    fig.tight_layout()
    top = np.unravel_index(np.argmax(grad_norm), grad_norm.shape)
    b, wall = B[:, 0], cliff.wall_line(W[0], x0)
    row = np.searchsorted(b, wall)                 # the grid rows either side of the wall, column by column
    inside = np.flatnonzero((row > 0) & (row < b.size))
    across = (f"between neighbouring grid points across the wall E changes by up to "
              f"{number(np.abs(E[row[inside], inside] - E[row[inside] - 1, inside]).max())}" if inside.size
              else "the wall lies outside the grid")
    alt = (f"Two heat maps over the recurrent weight w from {number(W.min())} to {number(W.max())} and the bias b "
           f"from {number(b.min())} to {number(b.max())}, the wall b = {x0:g} − w σ({x0:g}) dotted on both. The "
           f"error E ranges from {number(E.min())} to {number(E.max())}; {across}. ‖∇E‖ ranges from "
           f"{number(grad_norm.min())} to {number(grad_norm.max())}, largest at w = {number(W[top], 3)}, "
           f"b = {number(B[top], 3)}.")
    return describe(fig, alt)


def plot_clip_directions(g: Sequence[float], g_norm: Sequence[float], g_value: Sequence[float],
                         threshold: float) -> Figure:
    """The raw gradient and its two clipped versions in the (∂E/∂w, ∂E/∂b) plane, drawn as unit
    directions (left; the raw gradient thin and dashed over the norm-clipped one, which has its
    direction) and to scale after clipping (right). g, g_norm, g_value : (2,) non-zero gradients;
    0 < threshold <= 1e300."""
    g, g_norm, g_value = (as_float_array(n, v, (2,)) for n, v in
                          (("g", g), ("g_norm", g_norm), ("g_value", g_value)))
    for name, v in (("g", g), ("g_norm", g_norm), ("g_value", g_value)):
        if not v.any():
            raise ValueError(f"{name} must be a non-zero gradient (it is drawn as a direction), got {v.tolist()}")
    threshold = drawable("threshold", positive_float("threshold", threshold))
    fig, axes = plt.subplots(1, 2, figsize=(8.0, 4.0), layout="constrained")
    items = [("raw gradient", g, PALETTE["black"]), ("norm-clipped", g_norm, PALETTE["blue"]),
             ("value-clipped", g_value, PALETTE["vermillion"])]
    # Norm clipping keeps the direction, so its line lies on the raw one: the raw gradient is a thin
    # dashed line drawn on top, and both show.
    widths, orders, dashes = (1.4, 3.0, 3.0), (3, 2, 2), ("--", "-", "-")
    for (label, v, color), lw, z, ls in zip(items, widths, orders, dashes, strict=True):
        u = v / scaled_norm(v)
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
    for _, v, color in items[1:]:
        axes[1].annotate("", xy=v, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color=color, lw=2))
    c = float(threshold)
    axes[1].add_patch(plt.Circle((0, 0), c, fill=False, color=PALETTE["blue"], ls=":"))
    axes[1].add_patch(plt.Rectangle((-c, -c), 2 * c, 2 * c, fill=False, color=PALETTE["vermillion"], ls=":"))
    axes[1].set_xlabel(r"$\partial E/\partial w$ after clipping")
    axes[1].set_ylabel(r"$\partial E/\partial b$ after clipping")
    axes[1].set_title(f"to scale: circle ‖g‖ = {c:g}, square |gᵢ| ≤ {c:g}")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=3)
    fig.suptitle("Norm clipping keeps the direction; value clipping turns it", fontsize=12)

    def turn(v):                                    # the angle from g to v, in degrees (0 … 180)
        return abs((np.degrees(np.arctan2(v[1], v[0]) - np.arctan2(g[1], g[0])) + 180.0) % 360.0 - 180.0)

    def pair(v):
        return f"({number(v[0])}, {number(v[1])})"

    alt = (f"Arrows in the (∂E/∂w, ∂E/∂b) plane, as directions (left) and to scale (right), threshold {c:g}: the raw "
           f"gradient {pair(g)}, of norm {number(scaled_norm(g))}; norm-clipped {pair(g_norm)}, turned "
           f"{turn(g_norm):.0f}° from it; value-clipped {pair(g_value)}, turned {turn(g_value):.0f}°.")
    return describe(fig, alt)
