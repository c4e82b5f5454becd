"""The sliders of lesson 06, built on :class:`helpers.livefig.LiveFigure`.

- :func:`clipping_paths`: gradient descent on the cliff surface of Pascanu et al. (2013), with and
  without norm clipping; sliders for the learning rate and the clipping threshold;
- :func:`esn_explorer`: an echo state network forecasting CO₂, with a spectral-radius slider; the
  forecast and the echo state property (two runs from different starts) update together.

The update functions change the artists in place and return a one-line status; all maths comes
from :mod:`helpers.cliff` and :mod:`helpers.esn`.
"""
from __future__ import annotations

import ipywidgets as w
import matplotlib.dates as mdates
import numpy as np

from . import cliff, esn
from ._validate import as_float_array, positive_int
from .livefig import LiveFigure, new_figure
from .style import CMAP_SEQUENTIAL, PALETTE, halo, model_color


def _layout() -> w.Layout:
    return w.Layout(width="330px")


def clipping_paths(start: tuple[float, float] = (5.0, -4.0), steps: int = 60, *,
                   w_range: tuple[float, float] = (2.0, 8.0), b_range: tuple[float, float] = (-6.0, 1.0),
                   grid: int = 200, live: bool = True) -> LiveFigure:
    """Two gradient-descent paths over E(w, b) from the same start: plain (vermillion) and with
    norm clipping (blue). Sliders: learning rate (log scale) and clipping threshold.

    A step that lands near the wall meets a huge gradient; without clipping it throws the
    parameters far away (often off the plot: then a note points to where the path leaves the plot
    and gives its end point), with clipping the step is at most lr · threshold.
    """
    steps = positive_int("steps", steps)
    start = as_float_array("start", start, (2,))
    w_axis = np.linspace(*w_range, grid)
    b_axis = np.linspace(*b_range, grid)
    W, B = np.meshgrid(w_axis, b_axis)
    E = cliff.error_and_grad(W, B)[0]

    from .plots_remedies import _wall        # here, not at the top: this module loads before pyplot

    fig = new_figure(live=live, figsize=(8.4, 3.8))
    ax = fig.add_subplot()
    # A muted map, so that the two paths (on white halos) stand out everywhere.
    im = ax.pcolormesh(W, B, E, cmap=CMAP_SEQUENTIAL, shading="auto", alpha=0.45)
    fig.colorbar(im, ax=ax, label="E")
    _wall(ax, w_axis)
    path = {"lw": 2.5, "path_effects": halo(2.5)}
    (plain,) = ax.plot([], [], color=PALETTE["vermillion"], label="no clipping", **path)
    (clipped,) = ax.plot([], [], color=PALETTE["blue"], label="norm clipping", **path)
    ax.plot(*start, marker="*", ms=14, color=PALETTE["yellow"], mec="black", ls="none", label="start")
    # Where the plain path leaves the plot for good: an arrow to that point on the border and a note
    # with the end point (a path thrown off the plot cannot show where it ends).
    off_plot = ax.annotate("", xy=(0.5, 0.5), xycoords="axes fraction", xytext=(0.97, 0.04),
                           textcoords="axes fraction", ha="right", va="bottom", fontsize=10,
                           color=PALETTE["vermillion"],
                           bbox=dict(boxstyle="round", fc="white", alpha=0.9, lw=0),
                           arrowprops=dict(arrowstyle="->", color=PALETTE["black"], lw=1))
    lo = np.array([w_range[0], b_range[0]])
    span = np.array([w_range[1], b_range[1]]) - lo
    ax.set_xlim(*w_range)
    ax.set_ylim(*b_range)
    ax.grid(False)
    ax.set_xlabel("recurrent weight w")
    ax.set_ylabel("bias b")
    ax.legend(loc="upper right", fontsize=10, framealpha=0.9, frameon=True)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.14, top=0.88)

    # Steps of 2^(1/30) (2.3 %), so that the starting values 2 and 0.5 lie on the sliders' grids
    # (a browser snaps a slider to its grid and sends the value back). lr 0.1 … 10, threshold
    # 0.01 … 10.
    lr = w.FloatLogSlider(value=2.0, base=2, min=-10 / 3, max=10 / 3, step=1 / 30, description="learning rate",
                          readout_format=".2f", layout=_layout(), style={"description_width": "90px"})
    thr = w.FloatLogSlider(value=0.5, base=2, min=-20 / 3, max=10 / 3, step=1 / 30, description="threshold",
                           readout_format=".2f", layout=_layout(), style={"description_width": "90px"})

    def update(lr: float, threshold: float) -> str:
        p_plain, e_plain, _ = cliff.gd_path(*start, lr=lr, steps=steps)
        p_clip, e_clip, n_clip = cliff.gd_path(*start, lr=lr, steps=steps, clip=threshold)
        plain.set_data(p_plain[:, 0], p_plain[:, 1])
        clipped.set_data(p_clip[:, 0], p_clip[:, 1])
        jump = np.linalg.norm(np.diff(p_plain, axis=0), axis=1).max()
        ax.set_title(f"Clipped steps ≤ lr · threshold = {lr * threshold:.2g}; "
                     f"unclipped, the longest is {jump:.2g}", pad=10)
        frac = (p_plain - lo) / span                              # the path in axes fractions
        inside = np.all((frac >= 0) & (frac <= 1), axis=1)
        off_plot.set_visible(bool(inside.any() and not inside[-1]))
        if off_plot.get_visible():
            last = np.flatnonzero(inside)[-1]                     # the last step still on the plot
            a, d = frac[last], frac[last + 1] - frac[last]
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.concatenate([(0 - a) / d, (1 - a) / d])
            exit_ = a + np.nanmin(t[t > 0]) * d                   # where the next step crosses the border
            off_plot.xy = tuple(exit_)
            off_plot.set_text(f"no clipping: leaves the plot at step {last + 1},\n"
                              f"ends at w = {p_plain[-1, 0]:.3g}, b = {p_plain[-1, 1]:.3g}")
        return (f"no clipping: longest step {jump:.3g}, final E {e_plain[-1]:.3g} · "
                f"norm clipping: clipped {int((n_clip > threshold).sum())} of {steps} steps, final E {e_clip[-1]:.3g}")

    return LiveFigure(fig, [lr, thr], ["lr", "threshold"], update,
                      "gradient descent on the cliff, with and without norm clipping")


def esn_explorer(series, dates=None, *, horizon: int = 6, n_train: int = 300, washout: int = 50, N: int = 100,
                 seed: int = 0, input_scale: float = 0.1, ridge: float = 1e-5, live: bool = True) -> LiveFigure:
    """An echo state network forecasting the change of a monthly series ``horizon`` months ahead,
    with a spectral-radius slider.

    Left: the test-period forecast against the truth (series units). Right: ‖h_t − h'_t‖ for two
    runs from different random initial states (log scale): the echo state property holds when it
    falls to zero. The reservoir (from ``seed``) is the same at every ρ, only rescaled.
    ``dates`` (N,) datetime64 of the series labels the forecast's time axis (else month indices).
    """
    if dates is not None:
        dates = np.asarray(dates)
        if dates.shape != np.shape(series):
            raise ValueError(f"dates must have the shape of series {np.shape(series)}, got {dates.shape}")
    u, y = esn.change_forecast_problem(series, horizon, n_train)
    base = esn.make_reservoir(N, 1, seed, rho=1.0, input_scale=input_scale)
    rng = np.random.default_rng(seed + 1)
    h0_a, h0_b = rng.uniform(-1, 1, (1, N)), rng.uniform(-1, 1, (1, N))
    T = u.shape[0]
    t_test = np.arange(n_train, T)
    if dates is not None:
        t_test = dates[1 + n_train:1 + T]            # u_t is the change into month t + 1
    t_dist = np.arange(n_train)

    fig = new_figure(live=live, figsize=(8.2, 3.0))     # short: figure, status and scrubber share a slide
    ax_f, ax_d = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})
    esn_color = model_color("ESN")                   # the same in every figure of lesson 06
    # The truth is a wide grey band under the forecast, so that a good forecast does not hide it.
    ax_f.plot(t_test, y[n_train:, 0, 0], color="0.55", lw=4.0, label="truth")
    (pred,) = ax_f.plot(t_test, np.zeros(len(t_test)), color=esn_color, lw=1.2, label="ESN forecast")
    span = np.abs(y).max()
    ax_f.set_ylim(-2 * span, 2 * span)
    if dates is not None:                            # a few years, not one label per year
        years = mdates.AutoDateLocator(minticks=3, maxticks=6)
        ax_f.xaxis.set_major_locator(years)
        ax_f.xaxis.set_major_formatter(mdates.ConciseDateFormatter(years))
    ax_f.set_xlabel("test period" if dates is not None else "month index (test period)")
    ax_f.set_ylabel(f"{horizon}-month change (ppm)")
    ax_f.legend(loc="upper left", ncols=2)
    (dist,) = ax_d.plot(t_dist, np.ones(len(t_dist)), color=esn_color, lw=1.5)
    ax_d.set_yscale("log")
    ax_d.set_ylim(1e-12, 1e2)
    ax_d.set_xlabel("step t")
    ax_d.set_ylabel(r"$\|h_t - h'_t\|$ (two starts)")
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.17, top=0.83, wspace=0.35)

    rho = w.FloatSlider(value=0.9, min=0.1, max=2.0, step=0.05, description="spectral radius ρ",
                        readout_format=".2f", layout=_layout(), style={"description_width": "110px"})

    def update(rho: float) -> str:
        res = esn.rescale(base, rho)
        states = esn.reservoir_states(res, u)
        W_out = esn.fit_readout(states[:n_train], y[:n_train], ridge=ridge, washout=washout)
        p = esn.readout(states, W_out)
        pred.set_ydata(p[n_train:, 0, 0])
        err = esn.nrmse(p[n_train:], y[n_train:])
        d = esn.state_distance(res, u[:n_train], h0_a, h0_b)[:, 0]
        dist.set_ydata(np.maximum(d, 1e-300))
        verdict = "forgotten" if d[-1] < 1e-6 else "still remembered"
        quality = "follows the truth" if err < 0.3 else "is rough" if err < 0.6 else "breaks down"
        ax_f.set_title(f"ρ = {rho:.2f}: the forecast {quality} (NRMSE {err:.2f})")
        ax_d.set_title("the two starts converge:\nthe echo state property holds" if d[-1] < 1e-6
                       else f"after {n_train} steps the two starts still\ndiffer: the start is not forgotten",
                       fontsize=10)
        return (f"ρ = {rho:.2f}: test NRMSE {err:.2f} (1 = no better than the mean) · "
                f"after {n_train} steps the start is {verdict} (distance {d[-1]:.1e})")

    return LiveFigure(fig, [rho], ["rho"], update, "echo state network with a spectral-radius slider")
