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

from ._validate import (
    as_float_array,
    drawable,
    float_arrays,
    int_list,
    mapping,
    matching,
    non_empty,
    positive_int,
    received,
    text,
)
from ._validate import real as real_number
from .alt import describe, number, plain
from .style import CYCLE, PALETTE, decade_ticks, legend_in_line_order


def _month(date) -> str:
    return str(np.datetime64(date, "M"))


def _series(dates, values) -> tuple[np.ndarray, np.ndarray]:
    """(dates, values) checked: (N,) datetime64 without NaT, and (N,) finite numbers within ±1e300, N >= 1."""
    values = drawable("values", non_empty("values", as_float_array("values", values, ("N",))))
    if not np.issubdtype(np.asarray(dates).dtype, np.datetime64):
        raise ValueError(f"dates must be an array of numpy datetime64 (one date per value), got {received(dates)}")
    dates = np.asarray(dates)
    if dates.ndim != 1 or np.isnat(dates).any():
        raise ValueError(f"dates must be datetime64 of shape ({values.size},) without NaT (one date per value), "
                         f"got shape {dates.shape}" + (" with NaT" if dates.ndim == 1 else ""))
    if dates.size != values.size:
        raise ValueError(f"dates and values must have the same length (one date per value), got {dates.size} "
                         f"dates and {values.size} values")
    return dates, values


def plot_series(dates, values, label: str, unit: str = "US$") -> Figure:
    """A series over time: ``dates`` (N,) datetime64, ``values`` (N,), ``label`` names it."""
    dates, values = _series(dates, values)
    label, unit = text("label", label), text("unit", unit)
    fig, ax = plt.subplots(figsize=(8.0, 3.2))
    ax.plot(dates, values, color=PALETTE["blue"], marker=".", markersize=4, linewidth=1.2)
    ax.set_xlabel("month")
    ax.set_ylabel(f"{label} price ({unit})")
    ax.set_title(f"{label}, one value a month: each value is close to the one before it")
    fig.tight_layout()
    alt = (f"Line chart of the {label} price ({unit}), {values.size} monthly values from {_month(dates[0])} to "
           f"{_month(dates[-1])}: it ranges from {number(values.min(), 3)} to {number(values.max(), 3)}")
    if values.size > 1:
        step = np.abs(np.diff(values))
        alt += (f", while the median change from one month to the next is {number(np.median(step))} "
                f"(largest {number(step.max())})")
    return describe(fig, alt + ".")


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
    dates, values = _series(dates, values)
    width = positive_int("width", width)
    starts = int_list("starts", starts, minimum=0)
    label, unit = text("label", label), text("unit", unit)
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
    shown = "; ".join(f"window {k + 1} from {_month(dates[i])}, target {number(values[i + width], 3)}"
                      for k, i in enumerate(starts))
    alt = (f"Line chart of {label} ({unit}) over {values.size} months, with {len(starts)} windows of {width} "
           f"consecutive values highlighted and a dot on the value right after each, the target it predicts: "
           f"{shown}.")
    return describe(fig, alt)


def plot_order_test(real: float, shuffled, statistic: str) -> Figure:
    """Histogram of a statistic over shuffled orders, with its value on the real order marked.

    Parameters
    ----------
    real : the statistic of the series in its real order
    shuffled : (n,) the statistic of n shuffled copies
    statistic : what was measured, used as the x-axis label
    (real and shuffled within ±1e300)
    """
    real = drawable("real", real_number("real", real))
    shuffled = drawable("shuffled", non_empty("shuffled", as_float_array("shuffled", shuffled, ("n",))))
    statistic = text("statistic", statistic)
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
    above, below = int(np.sum(shuffled >= real)), int(np.sum(shuffled <= real))
    n = shuffled.size
    where = (f"above every one of them (largest {number(shuffled.max(), 3)})" if above == 0 else
             f"below every one of them (smallest {number(shuffled.min(), 3)})" if below == 0 else
             f"inside them: {above} of the {n} are at least as large, {below} at most as large")
    alt = (f"Histogram of {plain(statistic)} over {n} shuffled orders of the series, from "
           f"{number(shuffled.min(), 3)} to {number(shuffled.max(), 3)}, with the real order's value "
           f"{number(real, 3)} marked by a line: it lies {where}.")
    return describe(fig, alt)


def _tokens(name: str, tokens) -> list[str]:
    """A sentence's tokens: a non-empty list of strings."""
    if not isinstance(tokens, (list, tuple)) or not tokens:
        raise ValueError(f"{name} must be a non-empty list of tokens (strings), got {received(tokens)}")
    return [text(f"{name}[{t}]", token) for t, token in enumerate(tokens)]


def _vocabulary(vocab, sentences: Mapping[str, list[str]]) -> list[str]:
    """The words of ``vocab`` ({token: index}, indices 0 … V−1 once each) in index order, after
    checking that it holds every token of ``sentences`` (argument name → tokens)."""
    mapping("vocab", vocab, "token → index (0 … V−1)")
    V = len(vocab)
    for token, i in vocab.items():
        text("vocab's tokens", token)
        positive_int(f"vocab[{token!r}]", i, minimum=0, maximum=V - 1)
    if len(set(vocab.values())) != V:
        raise ValueError(f"vocab must give each of its {V} tokens its own index 0 … {V - 1}, got {received(vocab)}")
    for name, tokens in sentences.items():
        unknown = [token for token in tokens if token not in vocab]
        if unknown:
            raise ValueError(f"every token of {name} must be in vocab; {unknown[:3]} are not")
    return sorted(vocab, key=vocab.get)


def plot_one_hot_and_bag(tokens_a: Sequence[str], tokens_b: Sequence[str],
                         vocab: Mapping[str, int], one_hot_a, one_hot_b, bag_a, bag_b) -> Figure:
    """Two sentences as one-hot sequences (two heat maps) and as bags of words (bars).

    Parameters
    ----------
    tokens_a, tokens_b : the sentences' tokens (T_a,), (T_b,)
    vocab : {token: index}, V entries
    one_hot_a : (T_a, V), one_hot_b : (T_b, V); bag_a, bag_b : (V,) counts (within ±1e300)
    """
    tokens_a, tokens_b = _tokens("tokens_a", tokens_a), _tokens("tokens_b", tokens_b)
    words = _vocabulary(vocab, {"tokens_a": tokens_a, "tokens_b": tokens_b})
    V = len(words)
    oh = [matching(f"one_hot_{s}", m, (len(tokens), V), f"one row per token of tokens_{s}, one column per "
                    "entry of vocab") for s, m, tokens in (("a", one_hot_a, tokens_a), ("b", one_hot_b, tokens_b))]
    bags = [drawable(name, matching(name, bag, (V,), "one count per entry of vocab"))
            for name, bag in (("bag_a", bag_a), ("bag_b", bag_b))]
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
    steps = sum(a != b for a, b in zip(tokens_a, tokens_b, strict=False)) + abs(len(tokens_a) - len(tokens_b))
    differ = [w for w, a, b in zip(words, *bags, strict=True) if a != b]
    bags_say = ("identical" if not differ else
                f"different in {len(differ)} of {V} words ({', '.join(repr(w) for w in differ[:3])}"
                f"{', …' if len(differ) > 3 else ''})")
    alt = (f"Two one-hot heat maps (tokens across, the {V} vocabulary words down) of sentence A "
           f"'{' '.join(tokens_a)}' and B '{' '.join(tokens_b)}', and bars of their word counts: the "
           f"sequences differ at {steps} of {max(len(tokens_a), len(tokens_b))} steps, the bags of words are "
           f"{bags_say}.")
    return describe(fig, alt)


def plot_memory_fading(norms: Mapping[str, np.ndarray], title: str) -> Figure:
    """‖Δh_t‖ against t on a log axis, one curve per setting; the legend lists them in the order of
    their ends, and the axis is ticked at round multiples of decades.

    Parameters
    ----------
    norms : {legend label: (T,) norms ‖Δh_t‖ ≥ 0, t = 1 … T}; zeros (below float64) are left out of the plot
    title : what to notice
    """
    norms = float_arrays("norms", norms, "curves {label: (T,) norms ‖Δh_t‖ >= 0}")
    negative = [label for label, n in norms.items() if np.any(n < 0)]
    if negative:
        raise ValueError(f"norms[{negative[0]!r}] must be >= 0 (they are norms)")
    title = text("title", title)
    fig, ax = plt.subplots(figsize=(8.0, 3.4))
    for k, (label, n) in enumerate(norms.items()):
        ax.plot(np.arange(1, n.size + 1), np.where(n > 0, n, np.nan), color=CYCLE[k % len(CYCLE)],
                marker=".", markersize=4, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("time step t (the first input, $x_1$, changed)")
    ax.set_ylabel(r"$\|\Delta h_t\|$")
    decade_ticks(ax)
    ax.set_title(title)
    legend_in_line_order(ax, loc="best")
    fig.tight_layout()
    ends = "; ".join(f"{label}: {number(n[0])} → {number(n[-1])}" for label, n in norms.items())
    lengths = {n.size for n in norms.values()}
    last = f"t = {lengths.pop()}" if len(lengths) == 1 else "each curve's last step"
    alt = (f"Log-scale line chart of ‖Δh_t‖, the change in the hidden state after the first input changed, "
           f"against the step t, one curve per setting; from t = 1 to {last}: {ends}.")
    return describe(fig, alt)
