"""Static figures of truncated BPTT (lesson 03): the windows of terms C[t, s] each method keeps,
the error truncation makes, and the time and memory of BPTT. Each function draws numbers computed
by :mod:`helpers.truncation` and returns the Figure."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ._validate import choice, drawable, int_list, matching, positive_int
from .alt import describe, number
from .rnn import PARAM_SHAPES
from .style import CMAP_SEQUENTIAL, PALETTE
from .truncation import window_mask


def plot_truncation_windows(T: int, truncate: int, chunk: int) -> Figure:
    """Which terms C[t, s] full BPTT, truncate=n and chunks of c steps keep, side by side.

    The axes count steps as the maths does, t, s = 1 … T (mask entry [t-1, s-1] of window_mask).
    """
    T = positive_int("T", T)
    truncate = positive_int("truncate", truncate, minimum=0)
    chunk = positive_int("chunk", chunk)
    cases = ((r"full BPTT: every $s \leq t$", window_mask(T)),
             (f"truncate = {truncate}: a sliding band", window_mask(T, truncate=truncate)),
             (f"chunk = {chunk}: triangles per chunk", window_mask(T, chunk=chunk)))
    inner = MaxNLocator(nbins=3, integer=True).tick_values(1, T)
    ticks = sorted({1, T} | {int(m) for m in inner if 1 < m < T})   # first and last step, round ones between
    fig, axes = plt.subplots(1, 3, figsize=(8.0, 3.6), sharey=True, layout="constrained")
    for ax, (title, mask) in zip(axes, cases, strict=True):
        ax.imshow(mask, cmap=CMAP_SEQUENTIAL, vmin=0, vmax=1.4, origin="upper", interpolation="nearest",
                  extent=(0.5, T + 0.5, T + 0.5, 0.5))             # pixel centres at steps 1 … T
        ax.set_title(f"{title}\n{int(mask.sum())} terms kept", fontsize=10)
        ax.set_xticks(ticks)
        ax.set_yticks(ticks)
        ax.set_xlabel(r"$s$ (state $h_s$ reached)")
        ax.grid(False)
    axes[0].set_ylabel(r"$t$ (loss $\ell_t$ it comes from)")
    fig.suptitle("Kept terms (bright): truncation keeps the same window for every $t$; chunks do not",
                 fontsize=12)
    kept = [int(mask.sum()) for _, mask in cases]
    alt = (f"Three {T} × {T} masks of the terms C[t, s] each method keeps (loss step t down, state s across, kept "
           f"bright): full BPTT keeps all {kept[0]} with s ≤ t; truncate = {truncate} keeps {kept[1]}, a band "
           f"t − {truncate} ≤ s ≤ t that slides with t; chunks of {chunk} keep {kept[2]}, a triangle per chunk, so "
           f"a chunk's first step keeps only s = t.")
    return describe(fig, alt)


def plot_truncation_error(reaches: Sequence[int], err_truncate, err_chunk, param: str = "W_hh") -> Figure:
    """Relative distance to the true gradient against the reach n, for truncate=n and chunks of n+1.

    reaches : (m,) reaches n, the most steps the gradient travels back; err_truncate[i] uses
        truncate=reaches[i], err_chunk[i] chunks of reaches[i] + 1 steps (as returned by
        helpers.truncation.truncation_errors).
    param : the parameter whose gradient was compared (as passed to truncation_errors).
    Zero distances (exact gradient) are drawn at 1e-16, the bottom of the axis.
    """
    reaches = np.array(int_list("reaches", reaches, minimum=0))
    err_truncate, err_chunk = (matching(name, err, reaches.shape, "one distance per reach in reaches")
                               for name, err in (("err_truncate", err_truncate), ("err_chunk", err_chunk)))
    for name, err in (("err_truncate", err_truncate), ("err_chunk", err_chunk)):
        if np.any((err < 0) | (err > 1)):
            raise ValueError(f"{name} must hold relative distances in [0, 1], got values from {err.min():g} to "
                             f"{err.max():g}")
    param = choice("param", param, tuple(PARAM_SHAPES))
    fig, ax = plt.subplots(figsize=(8.0, 3.6))
    floor = 1e-16
    ax.semilogy(reaches, np.maximum(err_truncate, floor), "o-", color=PALETTE["blue"],
                label=r"truncate = $n$ (the same $n$-step window for every $t$)")
    ax.semilogy(reaches, np.maximum(err_chunk, floor), "s--", color=PALETTE["vermillion"],
                label=r"chunks of $n+1$ steps (0 … $n$ steps back, by place in the chunk)")
    ax.set_xlabel(r"reach $n$ (most steps the gradient travels back)")
    letter, sub = param.split("_")      # "W_hh" -> W_{hh}
    true = rf"\partial L/\partial {letter}_{{{sub}}}"
    ax.set_ylabel(r"$\|g_{\mathrm{trunc}} - g\|\,/\,(\|g_{\mathrm{trunc}}\| + \|g\|)$")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Distance to the true gradient $g = {true}$ at equal reach: truncation converges fast;\n"
                 "chunks stay off (a chunk's first steps see little or no past)", fontsize=10)
    ax.legend()
    fig.tight_layout()
    first, last = int(np.argmin(reaches)), int(np.argmax(reaches))
    lo, hi = sorted((err_truncate[last], err_chunk[last]))
    closer = ("the two are equally far" if lo == hi else
              f"{'truncation is' if err_truncate[last] < err_chunk[last] else 'chunks are'} "
              f"{'exact' if lo == 0 else f'{number(hi / lo)}× closer'}")
    alt = (f"Log-scale chart of the relative distance to the true ∂L/∂{param} against the reach n = "
           f"{reaches[first]} … {reaches[last]}: truncate = n goes from {number(err_truncate[first])} to "
           f"{number(err_truncate[last])}, chunks of n + 1 steps from {number(err_chunk[first])} to "
           f"{number(err_chunk[last])}; at n = {reaches[last]}, {closer}.")
    return describe(fig, alt)


def plot_cost(T_values: Sequence[int], seconds, nbytes) -> Figure:
    """Time (with a least-squares line) and stored-state memory against sequence length T.

    T_values : (n,) lengths, two different ones at least; seconds, nbytes : (n,) the time and memory
    of each, within ±1e300 (the time is drawn in ms: 1e3 × seconds).
    """
    T = np.array(int_list("T_values", T_values), dtype=np.float64)
    if np.unique(T).size < 2:
        raise ValueError(f"T_values must hold at least 2 lengths to fit a line (2 different ones), got {T_values!r}")
    seconds, nbytes = (drawable(name, matching(name, v, T.shape, "one per length in T_values"))
                       for name, v in (("seconds", seconds), ("nbytes", nbytes)))
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
    i, j = int(np.argmin(T)), int(np.argmax(T))
    # Wall-clock times depend on the machine: the alt text states only their ratio (the figure, redrawn
    # on each machine, shows the times themselves).
    time_ratio = f"grows {number(seconds[j] / seconds[i])}×" if seconds[i] > 0 else "starts at 0"
    alt = (f"Two panels against the sequence length T from {T[i]:.0f} to {T[j]:.0f} ({number(T[j] / T[i])}× longer), "
           f"each point measured: the forward + backward time {time_ratio}, drawn with a least-squares line; the "
           f"stored x, z, h go from {number(nbytes[i] / 1024, 3)} to {number(nbytes[j] / 1024, 3)} KiB"
           + (f" ({number(nbytes[j] / nbytes[i])}×)." if nbytes[i] > 0 else "."))
    return describe(fig, alt)
