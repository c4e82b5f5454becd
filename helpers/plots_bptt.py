"""Static figures of lesson 03 (BPTT): the graph with its two gradient paths, per-step
contributions, activation derivatives, truncation windows and errors, and the cost of BPTT.

Each function takes numbers computed elsewhere (helpers.bptt_steps, helpers.rnn) and returns a
pyplot Figure; the notebook's inline backend shows it at the end of the cell.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.ticker import MaxNLocator

from ._validate import as_float_array, choice, positive_int
from .activations import get_activation
from .bptt_steps import window_mask
from .rnn import PARAM_SHAPES
from .style import ACTIVATION_COLORS, CMAP_SEQUENTIAL, CYCLE, PALETTE, text_color_on


def _arrow(ax, start, end, color, style="-", rad=0.0, shrink=14):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=10, linewidth=1.2,
                                 color=color, linestyle=style, shrinkA=shrink, shrinkB=shrink,
                                 connectionstyle=f"arc3,rad={rad}", zorder=1))


def plot_bptt_graph(T: int = 4) -> Figure:
    """The unrolled graph with its losses: forward arrows in black, gradient arrows dashed.

    Every h_t receives gradient along two paths, from its own loss ℓ_t and from h_{t+1}; the
    shared W_hh sits on every horizontal arrow, so it collects gradient at every step.
    """
    T = positive_int("T", T)
    if T > 6:
        raise ValueError(f"T must be at most 6 to fit on a slide, got {T}")
    fig, ax = plt.subplots(figsize=(8.0, 3.6))
    rows = {"x": 0.0, "h": 1.0, "o": 2.0, "l": 3.0}
    colors = {"x": PALETTE["sky"], "h": PALETTE["blue"], "o": PALETTE["orange"], "l": PALETTE["yellow"]}
    names = {"x": "x_{%d}", "h": "h_{%d}", "o": "o_{%d}", "l": "\\ell_{%d}"}

    def node(t, kind):
        label = "h_0" if (kind == "h" and t == 0) else names[kind] % t
        ax.text(t, rows[kind], f"${label}$", ha="center", va="center", fontsize=11, zorder=3,
                color="white" if kind == "h" else "black",
                bbox={"boxstyle": "round,pad=0.35", "facecolor": colors[kind], "edgecolor": "black"})

    node(0, "h")
    grad = PALETTE["vermillion"]
    for t in range(1, T + 1):
        for kind in rows:
            node(t, kind)
        _arrow(ax, (t, 0), (t, 1), "black")
        _arrow(ax, (t, 1), (t, 2), "black")
        _arrow(ax, (t, 2), (t, 3), "black")
        _arrow(ax, (t - 1, 1), (t, 1), "black", rad=0.25)
        ax.text(t - 0.5, 0.78, "$W_{hh}$", ha="center", va="top", fontsize=10)
        _arrow(ax, (t + 0.08, 3), (t + 0.08, 1), grad, style="--", rad=-0.35)      # from ℓ_t
        _arrow(ax, (t, 1), (t - 1, 1), grad, style="--", rad=0.25)                  # to h_{t-1}
    ax.plot([], [], color="black", label="forward")
    ax.plot([], [], color=grad, linestyle="--", label="gradient (backward)")
    ax.legend(loc="lower left", borderaxespad=0.2)
    ax.set_xlim(-0.5, T + 0.6)
    ax.set_ylim(-0.4, 3.4)
    ax.axis("off")
    ax.set_title("Unrolled RNN: each $h_t$ gets gradient from $\\ell_t$ AND from $h_{t+1}$; "
                 "$W_{hh}$ is on every step")
    fig.tight_layout()
    return fig


def plot_contributions(norms: Mapping[str, np.ndarray], title: str | None = None) -> Figure:
    """Norm of the gradient part that travelled d steps back, against d, one line per case.

    norms : label -> (T,) array of ‖Σ_t C[t, t−d]‖, e.g. from
        helpers.bptt_steps.contribution_norms_by_gap; zeros (terms multiplied by h_0 = 0) are skipped.
    title : what to notice in these curves; None gives a neutral title.
    """
    if not norms:
        raise ValueError("norms must map at least one label to an array of shape (T,), got nothing")
    fig, ax = plt.subplots(figsize=(8.0, 3.6))
    for (label, values), color in zip(norms.items(), CYCLE):
        values = as_float_array(f"norms[{label!r}]", values, ("T",))
        d = np.arange(values.size)
        keep = values > 0
        ax.semilogy(d[keep], values[keep], "o-", color=color, markersize=3, label=label)
    ax.set_xlabel(r"gap $d = t - k$ (steps the gradient travelled back)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(r"$\|\Sigma_t\, C[t, t-d]\|$ (Frobenius)")
    ax.set_title(r"Per-gap contributions to $\partial L/\partial W_{hh}$" if title is None else title)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_activation_derivatives(z_max: float = 6.0) -> Figure:
    """σ and σ' (left), tanh and tanh' (right) on [−z_max, z_max], with the maxima of φ' marked."""
    z_max = float(z_max)
    if not np.isfinite(z_max) or z_max <= 0:
        raise ValueError(f"z_max must be a positive finite number, got {z_max!r}")
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
    return fig


def plot_truncation_windows(T: int, truncate: int, chunk: int) -> Figure:
    """Which (t, k) terms full BPTT, truncate=n and chunks of c steps keep, side by side.

    The axes count steps as the maths does, t, k = 1 … T (mask entry [t-1, k-1] of window_mask).
    """
    T = positive_int("T", T)
    cases = ((r"full BPTT: every $k \leq t$", window_mask(T)),
             (f"truncate = {truncate}: a sliding band", window_mask(T, truncate=truncate)),
             (f"chunk = {chunk}: triangles per chunk", window_mask(T, chunk=chunk)))
    inner = MaxNLocator(nbins=3, integer=True).tick_values(1, T)
    ticks = sorted({1, T} | {int(m) for m in inner if 1 < m < T})   # first and last step, round ones between
    fig, axes = plt.subplots(1, 3, figsize=(8.0, 3.6), sharey=True, layout="constrained")
    for ax, (title, mask) in zip(axes, cases):
        ax.imshow(mask, cmap=CMAP_SEQUENTIAL, vmin=0, vmax=1.4, origin="upper", interpolation="nearest",
                  extent=(0.5, T + 0.5, T + 0.5, 0.5))             # pixel centres at steps 1 … T
        ax.set_title(f"{title}\n{int(mask.sum())} terms kept", fontsize=10)
        ax.set_xticks(ticks)
        ax.set_yticks(ticks)
        ax.set_xlabel(r"$k$ (state $h_k$ reached)")
        ax.grid(False)
    axes[0].set_ylabel(r"$t$ (loss $\ell_t$ it comes from)")
    fig.suptitle("Kept terms (bright): truncation keeps the same window for every $t$; chunks do not",
                 fontsize=12)
    return fig


def plot_truncation_error(reaches: Sequence[int], err_truncate, err_chunk, param: str = "W_hh") -> Figure:
    """Relative distance to the true gradient against the reach n, for truncate=n and chunks of n+1.

    reaches : (m,) reaches n, the most steps the gradient travels back; err_truncate[i] uses
        truncate=reaches[i], err_chunk[i] chunks of reaches[i] + 1 steps (as returned by
        helpers.bptt_steps.truncation_errors).
    param : the parameter whose gradient was compared (as passed to truncation_errors).
    Zero distances (exact gradient) are drawn at 1e-16, the bottom of the axis.
    """
    reaches = np.asarray(reaches)
    err_truncate = as_float_array("err_truncate", err_truncate, (reaches.size,))
    err_chunk = as_float_array("err_chunk", err_chunk, (reaches.size,))
    fig, ax = plt.subplots(figsize=(8.0, 3.6))
    floor = 1e-16
    ax.semilogy(reaches, np.maximum(err_truncate, floor), "o-", color=PALETTE["blue"],
                label=r"truncate = $n$ (the same $n$-step window for every $t$)")
    ax.semilogy(reaches, np.maximum(err_chunk, floor), "s--", color=PALETTE["vermillion"],
                label=r"chunks of $n+1$ steps (0 … $n$ steps back, by place in the chunk)")
    ax.set_xlabel(r"reach $n$ (most steps the gradient travels back)")
    letter, sub = choice("param", param, tuple(PARAM_SHAPES)).split("_")      # "W_hh" -> W_{hh}
    true = rf"\partial L/\partial {letter}_{{{sub}}}"
    ax.set_ylabel(r"$\|g_{\mathrm{trunc}} - g\|\,/\,(\|g_{\mathrm{trunc}}\| + \|g\|)$")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Distance to the true gradient $g = {true}$ at equal reach: truncation converges fast;\n"
                 "chunks stay off (a chunk's first steps see little or no past)", fontsize=10)
    ax.legend()
    fig.tight_layout()
    return fig


def plot_gradcheck(errors: Mapping[tuple[str, str], float]) -> Figure:
    """Heat map of gradient-check relative errors: one row per parameter, one column per activation.

    errors : {(activation, parameter): relative error}, as returned by bptt_steps.gradcheck_table.
    Each cell is annotated with its value; the colour is log10 of the error.
    """
    if not errors:
        raise ValueError("errors must hold at least one (activation, parameter) entry, got nothing")
    acts = list(dict.fromkeys(a for a, _ in errors))
    names = list(dict.fromkeys(n for _, n in errors))
    missing = [(a, n) for a in acts for n in names if (a, n) not in errors]
    if missing:
        raise ValueError(f"errors must hold every (activation, parameter) pair; missing {missing}")
    E = np.array([[errors[(a, n)] for a in acts] for n in names], dtype=np.float64)
    if not np.all(np.isfinite(E)) or np.any(E < 0):
        raise ValueError("errors must be finite relative errors >= 0")
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
    return fig


def plot_cost(T_values: Sequence[int], seconds, nbytes) -> Figure:
    """Time (with a least-squares line) and stored-state memory against sequence length T."""
    T = np.asarray(T_values, dtype=np.float64)
    seconds = as_float_array("seconds", seconds, (T.size,))
    nbytes = as_float_array("nbytes", nbytes, (T.size,))
    if T.size < 2:
        raise ValueError(f"T_values must hold at least 2 lengths to fit a line, got {T.size}")
    slope, intercept = np.polyfit(T, seconds, 1)
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(8.0, 3.4))
    ax_t.plot(T, seconds * 1e3, "o", color=PALETTE["blue"], label="measured")
    grid = np.linspace(0, T.max(), 50)
    ax_t.plot(grid, (slope * grid + intercept) * 1e3, color=PALETTE["vermillion"], label="fitted line")
    ax_t.set_xlabel("sequence length T (steps)")
    ax_t.set_ylabel("forward + backward time (ms)")
    ax_t.set_title("Time grows linearly in T")
    ax_t.legend()
    ax_m.plot(T, nbytes / 1024, "o-", color=PALETTE["green"])
    ax_m.set_xlabel("sequence length T (steps)")
    ax_m.set_ylabel("stored x, z, h (KiB)")
    ax_m.set_title("Memory grows linearly in T")
    fig.tight_layout()
    return fig
