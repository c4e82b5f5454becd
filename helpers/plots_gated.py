"""Static figures of lesson 07 (gated cells). Each function draws what it is given and returns the
Figure; the numbers come from :mod:`helpers.gated` (gradient flow, the unit that keeps the clue)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ._validate import as_float_array, drawable, float_arrays, mapping, non_empty, positive_int, real, text
from .alt import describe, number, plain
from .style import legend_in_line_order, reference_line, series_styles


def _curves(name: str, curves, x_name: str, x: np.ndarray, *, rows: int | None = None,
            within: tuple[float, float] | None = None) -> dict[str, np.ndarray]:
    """``curves`` checked: a dict label → one value per point of ``x`` ((N,) arrays, or (rows, N)
    when ``rows`` is given), finite or +inf (an overflow), each inside ``within`` when given."""
    shape = (x.size,) if rows is None else (rows, x.size)
    out = float_arrays(name, curves, f"label → values over {x_name}, shape {shape}", ndim=len(shape), finite=False)
    for label, v in out.items():
        if v.shape != shape:
            raise ValueError(f"{name}[{label!r}] has shape {v.shape} but {x_name} has {x.size} points; "
                             f"expected {name}[{label!r}] of shape {shape}")
        if np.any(v == -np.inf) or (within is not None and np.any((v < within[0]) | (v > within[1]))):
            span = "numbers or inf" if within is None else f"values from {within[0]:g} to {within[1]:g}"
            raise ValueError(f"{name}[{label!r}] must hold {span}, got values from {v.min():g} to {v.max():g}")
    return out


def plot_flows(k, panels: Mapping[str, Mapping[str, Sequence[float]]], *, title: str,
               ylabel: str = r"$\|\partial h_T/\partial h_{T-k}\|_2$, median", mark: float | None = None,
               mark_label: str = "clue") -> Figure:
    """Gradient-flow curves against the gap k, one panel per entry of ``panels``, on one log y axis.

    Parameters
    ----------
    k : (N,) gaps (steps back from the last step T)
    panels : panel title → {label → (N,) values >= 0}, one or two panels (one legend, right of the last
        panel, when both draw the same labels in the same order); a label that names a model
        ("LSTM", "GRU", "IRNN", "tanh RNN") gets the model's colour (:func:`helpers.style.series_styles`);
        values that are 0 or inf (an underflow or an overflow) cannot be drawn on a log axis and are left out
    title, ylabel : the figure's title and the y label
    mark, mark_label : a gap to mark with a labelled vertical line (the clue's distance), or None
    """
    k = non_empty("k", as_float_array("k", k, ("N",)))
    mapping("panels", panels, "panel title → {label → values}")
    if len(panels) > 2:
        raise ValueError(f"panels must hold one or two panels, got {len(panels)}")
    checked = {text("panels key", name): _curves(f"panels[{name!r}]", curves, "k", k, within=(0.0, np.inf))
               for name, curves in panels.items()}
    text("title", title), text("ylabel", ylabel), text("mark_label", mark_label)
    mark = None if mark is None else drawable("mark", real("mark", mark))
    fig, axes = plt.subplots(1, len(checked), figsize=(3.9 * len(checked) + 3.0, 3.6), sharey=True, squeeze=False)
    for ax, (name, curves) in zip(axes[0], checked.items(), strict=True):
        for (label, v), look in zip(curves.items(), series_styles(curves), strict=True):
            shown = (v > 0) & np.isfinite(v)
            ax.plot(k[shown], v[shown], lw=2, label=label, **look)
        ax.set_yscale("log")
        ax.set_xlabel(r"gap $k$ (steps back from $T$)")
        ax.set_title(name, fontsize=12)
        if mark is not None:
            reference_line(ax, mark, mark_label, vertical=True)
    if mark is not None:                              # headroom above the curves for the mark's label
        low, high = axes[0, 0].get_ylim()
        axes[0, 0].set_ylim(low, high * (high / low) ** 0.15)
    # One legend, right of the last panel, when every panel draws the same series (in the same
    # colours), in the order of the lines' ends there; else one a panel.
    same = all(list(curves) == list(checked[next(iter(checked))]) for curves in checked.values())
    for ax in axes[0, -1:] if same else axes[0]:
        legend_in_line_order(ax, fontsize=10, **({"loc": "center left", "bbox_to_anchor": (1.02, 0.5)} if same else {}))
    axes[0, 0].set_ylabel(ylabel)
    fig.suptitle(title)
    fig.tight_layout()
    at = int(np.argmin(np.abs(k - mark))) if mark is not None else int(np.argmax(k))
    where = f"k = {k[at]:g}" + (f" ({mark_label})" if mark is not None else "")
    ranked = []
    for name, curves in checked.items():
        there = {plain(label): v[at] for label, v in curves.items() if 0 < v[at] < np.inf}
        if not there:
            ranked.append(f"{plain(name)}: nothing drawn there")
            continue
        high, low = max(there, key=there.get), min(there, key=there.get)
        ranked.append(f"{plain(name)}: highest {high} {number(there[high])}, lowest {low} {number(there[low])}"
                      if high != low else f"{plain(name)}: {high} {number(there[high])}")
    alt = (f"{len(checked)} log-scale panel{'s' * (len(checked) > 1)} of {plain(ylabel)} against the gap k = "
           f"{k.min():g} … {k.max():g}, one line per series; at {where}: {'; '.join(ranked)}.")
    return describe(fig, alt)


def plot_gate_traces(traces: Mapping[str, Sequence[Sequence[float]]], kept: Mapping[str, Sequence[Sequence[float]]],
                     *, clue_step: int, title: str, ylabel: str = "keeping gate of the clue unit") -> Figure:
    """A keeping gate along the sequence (left) and what it keeps of the clue (right), one colour per
    model: the median over sequences as a line, the lower and upper quartiles as faint thin lines in
    its colour.

    Parameters
    ----------
    traces : label → (3, T) gate values in [0, 1] at steps t = 1 … T (array index t − 1 holds step t):
        rows lower quartile, median, upper quartile; every trace has the same T
    kept : label → (3, T − clue_step + 1) in [0, 1], the same labels: the gate's running product from the
        clue, Π_{s=clue_step+1}^{t} gate_s, at t = clue_step … T (rows as in ``traces``)
    clue_step : the step of the clue, 1 <= clue_step < T, marked on the left
    title, ylabel : the figure's title and the left y label
    """
    mapping("traces", traces, "label → (3, T) quartiles")
    first = np.shape(next(iter(traces.values())))
    T = first[-1] if len(first) == 2 and first[-1] > 0 else 1
    steps = np.arange(1.0, T + 1)
    traces = _quartiles("traces", traces, "the steps of the first trace", steps)
    if T < 2:
        raise ValueError(f"traces must have T >= 2 steps (a clue, then the answer), got {T}")
    clue_step = positive_int("clue_step", clue_step, maximum=T - 1)
    mapping("kept", kept, "label → quartiles of the running product")
    if list(kept) != list(traces):
        raise ValueError(f"kept must have the labels of traces, {list(traces)}, in that order; got {list(kept)}")
    after = np.arange(float(clue_step), T + 1)
    kept = _quartiles("kept", kept, f"the steps from clue_step = {clue_step} to T = {T}", after)
    text("title", title), text("ylabel", ylabel)
    fig, (ax_g, ax_k) = plt.subplots(1, 2, figsize=(10.0, 3.8), width_ratios=(1.25, 1))
    for ax, x, curves in ((ax_g, steps, traces), (ax_k, after, kept)):
        for (label, q), look in zip(curves.items(), series_styles(curves), strict=True):
            # the quartiles as faint thin lines, not a filled band: a band under another model's median
            # line would take that line below the contrast a slide needs
            ax.plot(x, q[0], lw=0.8, alpha=0.45, **look)
            ax.plot(x, q[2], lw=0.8, alpha=0.45, **look)
            ax.plot(x, q[1], lw=2, label=label, **look)
        ax.set_ylim(-0.02, 1.12)                          # room above 1 for the clue's label
        ax.set_xlabel(r"step $t$")
    reference_line(ax_g, clue_step, "clue", vertical=True)
    ax_g.set_ylabel(ylabel)
    ax_g.set_title("the gate, step by step", fontsize=12)
    ax_k.set_ylabel(rf"kept: gate$_{{{clue_step + 1}}} \cdots$ gate$_t$")
    ax_k.set_title("what it keeps of the clue", fontsize=12)
    ax_g.legend(loc="lower right", fontsize=10)          # after the clue the gates sit near 1: room below
    fig.suptitle(title)
    fig.tight_layout()
    after_clue = np.concatenate([q[1, clue_step:] for q in traces.values()])     # median gates, steps clue + 1 … T
    series = "; ".join(f"{plain(label)} {number(q[1, -1])}" for label, q in kept.items())
    alt = (f"Left: the clue unit's keeping gate over t = 1 … {T}, clue at step {clue_step}; right: the product of the "
           f"gates since the clue, what it keeps (medians over sequences, quartiles faint). After the clue every "
           f"median gate lies in {number(after_clue.min())}–{number(after_clue.max())}; at t = {T} it keeps: "
           f"{series}.")
    return describe(fig, alt)


def _quartiles(name: str, curves, x_name: str, x: np.ndarray) -> dict[str, np.ndarray]:
    """``curves`` checked: label → (3, N) values in [0, 1] over x (N,), each column ordered lower
    quartile <= median <= upper quartile."""
    out = _curves(name, curves, x_name, x, rows=3, within=(0.0, 1.0))
    for label, q in out.items():
        if np.any(np.diff(q, axis=0) < 0):
            raise ValueError(f"{name}[{label!r}] must hold the lower quartile, the median and the upper quartile "
                             "in that order (each row >= the one above it)")
    return out
