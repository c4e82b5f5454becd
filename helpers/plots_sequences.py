"""The static plots of lessons 01–02: a series and its windows, the shuffle test of "order carries
information", one-hot against bag of words, and fading memory.

Each function takes arrays computed in the notebook (or by :mod:`helpers.sequences`) and returns
a pyplot Figure; none of them computes maths of its own beyond what it draws.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from ._validate import as_float_array, int_list, positive_int
from .style import CYCLE, PALETTE, decade_ticks, legend_in_line_order


def _dates(dates, n: int, name: str = "dates") -> np.ndarray:
    dates = np.asarray(dates)
    if dates.shape != (n,) or not np.issubdtype(dates.dtype, np.datetime64):
        raise ValueError(f"{name} must be datetime64 of shape ({n},) (one per value), got "
                         f"dtype {dates.dtype}, shape {dates.shape}")
    return dates


def plot_series(dates, values, label: str, unit: str = "US$") -> Figure:
    """A series over time: ``dates`` (N,) datetime64, ``values`` (N,), ``label`` names it."""
    values = as_float_array("values", values, ("N",))
    dates = _dates(dates, values.size)
    fig, ax = plt.subplots(figsize=(8.0, 3.2))
    ax.plot(dates, values, color=PALETTE["blue"], marker=".", markersize=4, linewidth=1.2)
    ax.set_xlabel("month")
    ax.set_ylabel(f"{label} price ({unit})")
    ax.set_title(f"{label}, one value a month: each value is close to the one before it")
    fig.tight_layout()
    return fig


def plot_windows(dates, values, width: int, starts: Sequence[int], label: str = "price",
                 unit: str = "US$") -> Figure:
    """The series in grey, with a few windows ``values[i : i + width]`` shaded (each named at the
    top of its span) and, for each, the value right after it (the target) marked with a dot.

    Parameters
    ----------
    dates : (N,) datetime64; values : (N,)
    width : window length (integer >= 1)
    starts : indices i of the windows to highlight (each with i + width < N)
    """
    values = as_float_array("values", values, ("N",))
    dates = _dates(dates, values.size)
    width = positive_int("width", width)
    starts = int_list("starts", starts, minimum=0)
    bad = [i for i in starts if i + width >= values.size]
    if bad:
        raise ValueError(f"starts must satisfy i + width < len(values) = {values.size}; got {bad}")
    fig, ax = plt.subplots(figsize=(8.0, 3.2))
    ax.plot(dates, values, color="0.5", linewidth=1.0, label="the series")
    for k, i in enumerate(starts):
        color = CYCLE[k % len(CYCLE)]
        ax.plot(dates[i:i + width], values[i:i + width], color=color, linewidth=2.2,
                label=f"window {k + 1}: {width} values from {dates[i].astype('datetime64[M]')}")
        ax.axvspan(dates[i], dates[i + width - 1], color=color, alpha=0.08, linewidth=0)
        ax.plot([dates[i + width]], [values[i + width]], "o", color=color, markersize=7,
                markeredgecolor="black")
    # Each window is named at the top of its span (room made above the data), not in a legend.
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + 0.2 * (hi - lo))
    top = blended_transform_factory(ax.transData, ax.transAxes)
    for k, i in enumerate(starts):
        middle = dates[i] + (dates[i + width - 1] - dates[i]) / 2
        ax.text(middle, 0.97, f"window {k + 1}", transform=top, ha="center", va="top", fontsize=10,
                color=CYCLE[k % len(CYCLE)], weight="bold")
    ax.set_xlabel("month")
    ax.set_ylabel(f"{label} ({unit})")
    ax.set_title(f"Windows of {width} values (shaded) → the value right after each (dot)")
    fig.tight_layout()
    return fig


def plot_order_test(real: float, shuffled, statistic: str) -> Figure:
    """Histogram of a statistic over shuffled orders, with its value on the real order marked.

    Parameters
    ----------
    real : the statistic of the series in its real order
    shuffled : (n,) the statistic of n shuffled copies
    statistic : what was measured, used as the x-axis label
    """
    real = float(as_float_array("real", real, ()))
    shuffled = as_float_array("shuffled", shuffled, ("n",))
    fig, ax = plt.subplots(figsize=(8.0, 3.2))
    lo, hi = min(shuffled.min(), real), max(shuffled.max(), real)
    pad = 0.05 * (hi - lo if hi > lo else 1.0)
    bins = np.linspace(lo - pad, hi + pad, 50)
    ax.hist(shuffled, bins=bins, color=PALETTE["sky"], edgecolor="white",
            label=f"{shuffled.size} shuffled orders")
    ax.axvline(real, color=PALETTE["vermillion"], linewidth=2.5, label=f"real order: {real:.3g}")
    ax.set_xlabel(statistic)
    ax.set_ylabel("number of shuffles")
    ax.set_title("The real order lies far outside what shuffled orders give")
    ax.legend(loc="upper center")
    fig.tight_layout()
    return fig


def plot_one_hot_and_bag(tokens_a: Sequence[str], tokens_b: Sequence[str],
                         vocab: Mapping[str, int], one_hot_a, one_hot_b, bag_a, bag_b) -> Figure:
    """Two sentences as one-hot sequences (two heat maps) and as bags of words (bars).

    Parameters
    ----------
    tokens_a, tokens_b : the sentences' tokens (T_a,), (T_b,)
    vocab : {token: index}, V entries
    one_hot_a : (T_a, V), one_hot_b : (T_b, V); bag_a, bag_b : (V,)
    """
    V = len(vocab)
    oh = [as_float_array("one_hot_a", one_hot_a, (len(tokens_a), V)),
          as_float_array("one_hot_b", one_hot_b, (len(tokens_b), V))]
    bags = [as_float_array("bag_a", bag_a, (V,)), as_float_array("bag_b", bag_b, (V,))]
    words = sorted(vocab, key=vocab.get)
    fig, axes = plt.subplots(1, 3, figsize=(8.4, 3.9), width_ratios=(1, 1, 1.1))
    for ax, name, tokens, m in zip(axes[:2], "AB", (tokens_a, tokens_b), oh, strict=True):
        ax.imshow(m.T, cmap="Greys", vmin=0, vmax=1.4, aspect="auto")
        ax.set_xticks(range(len(tokens)), tokens, rotation=90, fontsize=10)
        ax.set_yticks(range(V), words, fontsize=10)
        ax.set_xlabel("time step (token)")
        ax.set_title(f"one-hot, sentence {name}", fontsize=11)
        ax.grid(False)
    axes[1].set_yticklabels([])
    y = np.arange(V)
    axes[2].barh(y - 0.2, bags[0], height=0.4, color=PALETTE["blue"], label="A")
    axes[2].barh(y + 0.2, bags[1], height=0.4, color=PALETTE["orange"], label="B")
    axes[2].set_yticks(y, words, fontsize=10)
    axes[2].invert_yaxis()
    axes[2].set_xlim(0, 1.6 * max(bags[0].max(), bags[1].max(), 1.0))
    axes[2].set_xlabel("count")
    axes[2].set_title("bags of words: identical", fontsize=11)
    axes[2].legend(fontsize=10, loc="lower right")
    fig.suptitle("Different one-hot sequences, the same bag of words", fontsize=12)
    fig.tight_layout()
    return fig


def plot_memory_fading(norms: Mapping[str, np.ndarray], title: str) -> Figure:
    """‖Δh_t‖ against t on a log axis, one curve per setting; the legend lists them in the order of
    their ends, and the axis is ticked at round multiples of decades.

    Parameters
    ----------
    norms : {legend label: (T,) norms ‖Δh_t‖ ≥ 0, t = 1 … T}; zeros (below float64) are left out of the plot
    title : what to notice
    """
    if not norms:
        raise ValueError("norms must be a non-empty dict {label: (T,) array}")
    fig, ax = plt.subplots(figsize=(8.0, 3.4))
    for k, (label, n) in enumerate(norms.items()):
        n = as_float_array(f"norms[{label!r}]", n, ("T",))
        if np.any(n < 0):
            raise ValueError(f"norms[{label!r}] must be >= 0 (they are norms)")
        ax.plot(np.arange(1, n.size + 1), np.where(n > 0, n, np.nan), color=CYCLE[k % len(CYCLE)],
                marker=".", markersize=4, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("time step t (the first input, $x_1$, changed)")
    ax.set_ylabel(r"$\|\Delta h_t\|$")
    decade_ticks(ax)
    ax.set_title(title)
    legend_in_line_order(ax, loc="best")
    fig.tight_layout()
    return fig
