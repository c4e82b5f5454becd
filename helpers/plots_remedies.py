"""Static figures of lesson 06 (remedies). Each function draws what it is given and returns the
Figure; the numbers come from :mod:`helpers.cliff`, :mod:`helpers.lstm`, :mod:`helpers.esn`,
:mod:`helpers.rnn` and :mod:`helpers.optim`."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ._validate import as_float_array, drawable, flag, float_arrays, non_empty, positive_int, real, text
from .style import legend_in_line_order, reference_line, series_styles

CHANCE_ON_LOG = (1e-12, 1e100)
"""The levels :func:`plot_losses` draws as its guessing line on a log axis (the course's are near 1):
beyond them the axis does not reach the line, or its arithmetic overflows."""


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
                      marker="o")


def _log_lines(x, curves: Mapping[str, Sequence[float]], *, names: tuple[str, str], xlabel: str, ylabel: str,
               title: str, marker: str | None = None) -> Figure:
    """One line per entry of ``curves`` (label -> (N,) values over x (N,)) on a log y axis, each
    model in its colour (:func:`helpers.style.series_styles`); values <= 0 (nothing to show on a
    log axis) are left out. The legend lists the lines in the order of their ends. ``names``: the
    public arguments that x and curves are, for messages."""
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
    return fig


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
    return fig


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
    return fig


def plot_jacobian_decay(k, curves: Mapping[str, Sequence[float]], *, title: str,
                        ylabel: str = r"$\|\partial h_T/\partial h_{T-k}\|_2$, median") -> Figure:
    """Gradient-flow curves against the gap k = 0, 1, … (label -> values), log y axis; each model in
    its colour, the tanh RNN from an orthogonal W_hh dashed (it can lie on the Gaussian one).
    k : (N,) gaps; curves : label -> (N,) values."""
    return _log_lines(k, curves, names=("k", "curves"), xlabel=r"gap $k$ (steps back in time)", ylabel=ylabel,
                      title=title)
