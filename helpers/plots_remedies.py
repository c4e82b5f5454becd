"""Static figures of lesson 06 (remedies). Each function draws what it is given and returns the
Figure; the numbers come from :mod:`helpers.cliff`, :mod:`helpers.esn`, :mod:`helpers.rnn`,
:mod:`helpers.optim` and :mod:`helpers.remedies` (its runs over ten seeds)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ._validate import as_float_array, drawable, flag, float_arrays, non_empty, positive_int, real, text
from .alt import describe, number, plain
from .style import legend_in_line_order, reference_line, series_styles

CHANCE_ON_LOG = (1e-12, 1e100)
"""The levels :func:`plot_losses` draws as its guessing line on a log axis (the course's are near 1):
beyond them the axis does not reach the line, or its arithmetic overflows."""


def _label(label: str) -> str:
    """A series' or column's label as alt text names it: plain text on one line."""
    return " ".join(plain(label).split())


def _curves(name: str, curves, what: str, x_name: str | None = None, x: np.ndarray | None = None,
            *, minimum: float | None = None) -> dict[str, np.ndarray]:
    """``curves`` checked: a dict label → (N,) values (inf allowed: an overflow; not NaN), one per
    point of ``x`` when given, each >= ``minimum`` when given."""
    out = float_arrays(name, curves, what, finite=False)
    for label, v in out.items():
        if x is not None and v.shape != x.shape:
            raise ValueError(f"{name}[{label!r}] has {v.size} values but {x_name} has {x.size}; "
                             f"expected {name}[{label!r}] of shape {x.shape}")
        if minimum is not None and np.any(v < minimum):
            raise ValueError(f"{name}[{label!r}] must hold values >= {minimum:g} (norms), got {v.min():g}")
    return out


def plot_norms_against_length(T, norms: Mapping[str, Sequence[float]], *, title: str,
                              ylabel: str = r"$\|\nabla_\theta L\|$ (global norm)") -> Figure:
    """One line per entry of ``norms`` (label -> (N,) values over T (N,)), log y axis."""
    return _log_lines(T, norms, names=("T", "norms"), xlabel="sequence length T (steps)", ylabel=ylabel, title=title,
                      marker="o", x_symbol="T")


def _log_lines(x, curves: Mapping[str, Sequence[float]], *, names: tuple[str, str], xlabel: str, ylabel: str,
               title: str, x_symbol: str, marker: str | None = None) -> Figure:
    """One line per entry of ``curves`` (label -> (N,) values over x (N,)) on a log y axis, each
    model in its colour (:func:`helpers.style.series_styles`); values <= 0 (nothing to show on a
    log axis) are left out. The legend lists the lines in the order of their ends. ``names``: the
    public arguments that x and curves are, for messages; ``x_symbol`` names x in the alt text."""
    x_name, curves_name = names
    x = non_empty(x_name, as_float_array(x_name, x, ("N",)))
    curves = _curves(curves_name, curves, f"label → values over {x_name} (1-D arrays)", x_name, x)
    text("title", title), text("ylabel", ylabel)
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    for (label, v), look in zip(curves.items(), series_styles(curves), strict=True):
        shown = v > 0
        ax.plot(x[shown], v[shown], lw=2, marker=marker, ms=3, label=label, **look)
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    legend_in_line_order(ax)
    fig.tight_layout()
    drawn = {_label(label): np.flatnonzero(v > 0) for label, v in curves.items()}
    spans = {(i[0], i[-1]) for i in drawn.values() if i.size}
    same = len(spans) == 1                       # every line drawn over the same span of x: say it once

    def end(v, i):
        return f"{number(v[i])}" if same else f"{number(v[i])} at {x_symbol} = {x[i]:g}"

    ends = "; ".join(f"{label}: {end(v, i[0])} → {end(v, i[-1])}" if i.size else f"{label}: nothing above 0"
                     for (label, i), v in zip(drawn.items(), curves.values(), strict=True))
    first, last = next(iter(spans)) if same else (0, 0)
    alt = (f"Log-scale line chart of {plain(ylabel)} against {plain(xlabel)}, one line per run, "
           + (f"from {x_symbol} = {x[first]:g} to {x[last]:g}: " if same else "first → last point drawn: ")
           + f"{ends}.")
    return describe(fig, alt)


def plot_input_gradients(per_step: Mapping[str, Sequence[float]], *, title: str) -> Figure:
    """‖∂L/∂x_t‖ for each step t = 1 … T (label -> (T,) values, array index t − 1 holding x_t) on a
    log axis; exact zeros are drawn as crosses on the bottom edge and counted in the legend. At
    most four series (one marker each)."""
    per_step = _curves("per_step", per_step, "label → (T,) gradient norms", minimum=0.0)
    if len(per_step) > 4:
        raise ValueError(f"per_step must have at most 4 series (one marker each), got {len(per_step)}")
    text("title", title)
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    finite_pos = np.concatenate([v[(v > 0) & np.isfinite(v)] for v in per_step.values()])
    floor = finite_pos.min() / 30 if finite_pos.size else 1e-12
    markers = ("o", "s", "^", "D")                 # one per series (four at most); zip stops at the last series
    for (label, v), look, marker in zip(per_step.items(), series_styles(per_step), markers, strict=False):
        t = np.arange(1, len(v) + 1)               # x_1 … x_T
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
    series = []
    for label, v in per_step.items():
        zero = np.flatnonzero(v == 0) + 1
        run = zero.size > 1 and zero[-1] - zero[0] + 1 == zero.size           # t = a … b, every step between
        span = f" … {zero[-1]}" if run else f" to {zero[-1]}, not all" if zero.size > 1 else ""
        where = (f"exactly 0 at {zero.size} step{'s' * (zero.size > 1)} (t = {zero[0]}{span})" if zero.size
                 else "never 0")
        series.append(f"{_label(label)}: x_1 gets {number(v[0])}, x_{v.size} {number(v[-1])}, {where}")
    alt = (f"Log-scale chart of ‖∂L/∂x_t‖ for each input step t, one line per case, exact zeros as crosses on the "
           f"bottom edge: {'; '.join(series)}.")
    return describe(fig, alt)


def plot_losses(losses: Mapping[str, Sequence[float]], *, title: str, chance: float | None = None,
                window: int = 25, log: bool = True) -> Figure:
    """Training loss per step (thin) and its moving average over ``window`` steps (thick), one
    colour per run (each model in its colour, :func:`helpers.style.series_styles`); ``chance``
    draws the loss of guessing uniformly as the grey dashed reference, labelled "guessing"; ``log``
    puts the loss on a log axis (for losses that fall by decades).

    losses : label -> (n,) losses (inf allowed: a diverged step); ``window`` from 1 to the length of
    the longest run (a shorter run is drawn thin only); ``chance`` from 1e-12 to 1e100 on a log axis
    (its line and label must fall inside the axes), within ±1e300 on a linear one.
    """
    losses = _curves("losses", losses, "label → (n,) losses per step")
    window = positive_int("window", window, maximum=max(v.size for v in losses.values()))
    log = flag("log", log)
    if chance is not None:
        chance = drawable("chance", real("chance", chance, positive=log))
        if log and not CHANCE_ON_LOG[0] <= chance <= CHANCE_ON_LOG[1]:
            raise ValueError(f"chance must be from {CHANCE_ON_LOG[0]:g} to {CHANCE_ON_LOG[1]:g} on a log axis "
                             f"(matplotlib's log axis does not reach further to show its line), got {chance:g}")
    text("title", title)
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    for (label, v), look in zip(losses.items(), series_styles(losses), strict=True):
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
    ends = "; ".join(f"{_label(label)}: {number(np.mean(v[-window:]), 3)}" for label, v in losses.items())
    alt = (f"{'Log-scale line' if log else 'Line'} chart of the training loss per SGD step, one colour per run, thin "
           f"per step and thick as the mean of {window} steps"
           + (f", with guessing at {number(chance, 3)}" if chance is not None else "")
           + f"; the mean of the last {window} steps: {ends}.")
    return describe(fig, alt)


def plot_jacobian_decay(k, curves: Mapping[str, Sequence[float]], *, title: str,
                        ylabel: str = r"$\|\partial h_T/\partial h_{T-k}\|_2$, median") -> Figure:
    """Gradient-flow curves against the gap k = 0, 1, … (label -> values), log y axis; each model in
    its colour, the tanh RNN from an orthogonal W_hh dashed (it can lie on the Gaussian one).
    k : (N,) gaps; curves : label -> (N,) values."""
    return _log_lines(k, curves, names=("k", "curves"), xlabel=r"gap $k$ (steps back in time)", ylabel=ylabel,
                      title=title, x_symbol="k")


XLABEL_OVER_SEEDS = "run (a dot per seed, a bar at the median)"
"""The default x label of :func:`plot_over_seeds`."""


def plot_over_seeds(values: Mapping[str, Sequence[float]], *, ylabel: str, title: str, log: bool = False,
                    reference: float | None = None, reference_label: str = "chance",
                    xlabel: str = XLABEL_OVER_SEEDS) -> Figure:
    """One column per entry of ``values`` (label -> (S,) values, one per seed): a dot for every seed
    and a bar at the median, each model in its colour (:func:`helpers.style.series_styles`); the
    labels name the columns. A label of two lines, "group\ncolumn", shows its second line under the
    column and its group (such as the model) once, centred under the group's neighbouring columns.
    ``reference`` draws a grey dashed level labelled ``reference_label``.

    values : at most 10 columns of finite values (> 0 on a log axis); log : a log y axis
    """
    values = float_arrays("values", values, "label → (S,) values, one per seed")
    if len(values) > 10:
        raise ValueError(f"values must have at most 10 columns (one per run, legible on a slide), got {len(values)}")
    log = flag("log", log)
    if log and any(np.any(v <= 0) for v in values.values()):
        label = next(k for k, v in values.items() if np.any(v <= 0))
        raise ValueError(f"values[{label!r}] must hold values > 0 on a log axis, got {values[label].min():g}")
    for label, v in values.items():
        drawable(f"values[{label!r}]", v)
    if reference is not None:
        reference = drawable("reference", real("reference", reference, positive=log))
    text("ylabel", ylabel), text("title", title), text("reference_label", reference_label), text("xlabel", xlabel)
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    for i, (v, look) in enumerate(zip(values.values(), series_styles(values), strict=True)):
        spread = np.linspace(-0.18, 0.18, v.size) if v.size > 1 else np.zeros(1)
        ax.plot(i + spread, np.sort(v), ls="none", marker="o", ms=5, mfc="none", mew=1.4, color=look["color"])
        ax.plot([i - 0.3, i + 0.3], [np.median(v)] * 2, lw=3, color=look["color"])
    if reference is not None:
        reference_line(ax, reference, reference_label)
    if log:
        ax.set_yscale("log")
    ax.set_xlim(-0.6, len(values) - 0.4)
    _column_labels(ax, list(values), xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.tight_layout()
    medians = {_label(label): float(np.median(v)) for label, v in values.items()}
    low, high = min(medians, key=medians.get), max(medians, key=medians.get)
    alt = (f"Dot chart of {plain(ylabel)}{' (log scale)' * log}, {len(values)} columns with a dot per seed and a bar "
           f"at the median: the medians run from {number(medians[low], 3)} ({low}) to {number(medians[high], 3)} "
           f"({high})" + (f"; {_against(values, reference, reference_label)}" if reference is not None else "") + ".")
    if xlabel != XLABEL_OVER_SEEDS:                # the key to the column labels, in words
        alt += f" Columns: {_label(xlabel)}."
    return describe(fig, alt)


def _against(values: dict[str, np.ndarray], reference: float, reference_label: str) -> str:
    """Where the middle half of each column's seeds (its quartiles) lies against ``reference``: above,
    below, or straddling it (a column at chance), naming the columns when there are at most two."""
    where = {"above": [], "straddles": [], "below": []}
    for label, v in values.items():
        q1, q3 = np.percentile(v, [25, 75])
        where["above" if q1 > reference else "below" if q3 < reference else "straddles"].append(_label(label))
    parts = [f"{'straddles' if side == 'straddles' else f'lies {side}'} it in "
             + (" and ".join(names) if len(names) <= 2 else f"{len(names)} columns")
             for side, names in where.items() if names]
    return f"against {reference_label} ({number(reference, 3)}), the middle half of the seeds " + ", ".join(parts)


def _column_labels(ax, labels: list[str], xlabel: str) -> None:
    """Tick labels of :func:`plot_over_seeds`: each label's last line under its column; where every
    label has two lines, the first (its group) once under each run of neighbouring columns that
    share it, on a second row that carries the axis label."""
    parts = [label.split("\n") for label in labels]
    if not all(len(p) == 2 for p in parts):
        ax.set_xticks(range(len(labels)), labels)
        ax.set_xlabel(xlabel)
        return
    ax.set_xticks(range(len(labels)), [p[1] for p in parts])
    runs: list[list] = []                                   # [group, first column, last column]
    for i, (group, _) in enumerate(parts):
        if runs and runs[-1][0] == group:
            runs[-1][2] = i
        else:
            runs.append([group, i, i])
    groups = ax.secondary_xaxis("bottom")
    groups.set_xticks([(first + last) / 2 for _, first, last in runs], [group for group, _, _ in runs])
    groups.tick_params(length=0, pad=22)
    groups.spines["bottom"].set_visible(False)
    groups.set_xlabel(xlabel)
