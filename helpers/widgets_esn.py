"""The echo state network's live figure (lesson 06), on :class:`helpers.livefig.LiveFigure`:
a forecast of CO₂ and the echo state property (runs from several starts), with a
spectral-radius slider. All maths comes from :mod:`helpers.esn`.
"""
from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
from matplotlib.figure import Figure

from . import esn
from ._validate import received
from .alt import number
from .livefig import Control, Controls, LiveFigure, new_figure
from .style import model_color

_CONTROLS = Controls(
    Control("rho", "slider", 0.9, range=(0.1, 2.0), step=0.05, description="spectral radius ρ",
            readout_format=".2f", width="330px", description_width="110px"),
)


class _EsnView:
    """Left: the test-period forecast against the truth (a wide grey band under it, so that a good
    forecast does not hide it), graded against two baselines whose NRMSEs it names. Right: how far
    runs from 19 other starts still are from the run from h_0 = 0 (the largest distance, over the
    whole input, log axis), with the line fitted to its logarithm (whose slope gives the verdict,
    :func:`helpers.esn.convergence`). The reservoir is made once, at ρ = 1; the slider only
    rescales it."""

    def __init__(self, fig: Figure, u, y, base: esn.Reservoir, dates, *, horizon, n_train, washout, seed, ridge):
        self.fig, self.u, self.y, self.base = fig, u, y, base
        self.n_train, self.washout, self.ridge = n_train, washout, ridge
        self.starts = esn.echo_starts(base.W.shape[0], seed=seed + 1)    # h_0 = 0 first: the forecast's run
        self.baselines = esn.baseline_nrmse(u, y, n_train)
        T = u.shape[0]
        # u_t (array index t − 1) is the change into month t + 1
        t_test = np.arange(n_train + 1, T + 1) if dates is None else dates[1 + n_train:1 + T]
        self.t_dist = np.arange(1, T + 1)
        self.ax_f, self.ax_d = ax_f, ax_d = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1]})
        color = model_color("ESN")                       # the same in every figure of lesson 06
        ax_f.plot(t_test, y[n_train:, 0, 0], color="0.55", lw=4.0, label="truth")
        (self.pred,) = ax_f.plot(t_test, np.zeros(len(t_test)), color=color, lw=1.2, label="ESN forecast")
        span = np.abs(y).max()
        ax_f.set_ylim(-2 * span, 2 * span)
        if dates is not None:                            # a few years, not one label per year
            years = mdates.AutoDateLocator(minticks=3, maxticks=6)
            ax_f.xaxis.set_major_locator(years)
            ax_f.xaxis.set_major_formatter(mdates.ConciseDateFormatter(years))
        ax_f.set_xlabel("test period" if dates is not None else "month t (test period)")
        ax_f.set_ylabel(f"{horizon}-month change (ppm)")
        key = ax_f.legend(loc="upper left", ncols=2)
        ax_f.text(0.98, 0.04, "baselines' NRMSE: " + ", ".join(f"{k} {v:.2f}" for k, v in self.baselines.items()),
                  transform=ax_f.transAxes, ha="right", va="bottom", fontsize=10)
        (self.dist,) = ax_d.plot(self.t_dist, np.ones(T), color=color, lw=1.5,
                                 label=f"largest, {len(self.starts)} starts")
        (self.fit,) = ax_d.plot(self.t_dist, np.ones(T), color="0.45", lw=1.5, ls="--", label="fitted rate")
        ax_d.set_yscale("log")
        ax_d.set_ylim(esn.FORGOTTEN, 1e2)
        ax_d.set_xlabel("step t")
        ax_d.set_ylabel("distance between runs")
        key_d = ax_d.legend(loc="lower left", fontsize=10)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.17, top=0.83, wspace=0.35)
        # each line, then what a full draw puts over it: the spines, the title (and the key)
        self.animated = [self.pred, *ax_f.spines.values(), ax_f.title, key,
                         self.dist, self.fit, *ax_d.spines.values(), ax_d.title, key_d]

    def update(self, rho: float) -> str:
        f = esn.echo_forecast(self.base, rho, self.u, self.y, self.starts, self.n_train, ridge=self.ridge,
                              washout=self.washout)
        err, echo = f.error, f.echo
        self.pred.set_ydata(f.prediction[self.n_train:, 0, 0])   # the run from h_0 = 0
        grade = esn.compare_with_baselines(err, self.baselines)
        self.dist.set_ydata(np.maximum(f.distance, 1e-300))
        self.fit.set_data(self.t_dist[:len(echo.fitted)], echo.fitted)
        self.ax_f.set_title(f"ρ = {rho:.2f}: NRMSE {err:.2f}, {grade} the baselines")
        self.ax_d.set_title(f"runs {echo.verdict}, ×{echo.rate:.3f} a step:\n"
                            f"the echo state property {_PROPERTY[echo.verdict]}", fontsize=10)
        gone = f"; below {esn.FORGOTTEN:.0e} from step {echo.forgotten_at}" if echo.forgotten_at else ""
        self.shown = (float(rho), f, grade)
        return (f"ρ = {rho:.2f}: test NRMSE {err:.2f} (1 = no better than the mean): {grade} the baselines · "
                f"{len(self.starts)} starts: the runs {echo.verdict} (×{echo.rate:.3f} a step{gone})")


    def alt(self) -> str:
        rho, f, grade = self.shown
        echo, n, d = f.echo, len(self.starts), f.distance
        baselines = ", ".join(f"{k} {v:.2f}" for k, v in self.baselines.items())
        if echo.forgotten_at is not None:
            course = (f"falls from {number(d[0])} at step 1 below {number(esn.FORGOTTEN)}, the bottom of the axis, "
                      f"at step {echo.forgotten_at}")
        else:
            course = f"goes from {number(d[0])} at step 1 to {number(d[-1])} at step {d.size} on a log axis"
        if echo.verdict == "do not converge":        # judged by the tail: is it still shrinking at the end?
            rate = f"fitted over the run's second half, it changes ×{number(echo.late_rate, 4)} a step"
        else:
            rate = f"the fitted (dashed) line shrinks it ×{number(echo.rate, 3)} a step"
        return (f"Spectral radius ρ = {rho:.2f}. Left: the echo state network's test forecast against the truth, "
                f"NRMSE {f.error:.2f}, {grade} the baselines ({baselines}). Right: the largest "
                f"distance between runs from {n} starts {course}; {rate}: the runs {echo.verdict}, so the echo "
                f"state property {_PROPERTY[echo.verdict]}.")


_PROPERTY = {"converge": "holds", "converge slowly": "holds, but only just", "do not converge": "fails"}


def esn_explorer(series, dates=None, *, horizon: int = 6, n_train: int = 300, washout: int = 50, H: int = 100,
                 seed: int = 0, input_scale: float = 0.1, ridge: float = 1e-5, live: bool = True) -> LiveFigure:
    """An echo state network forecasting the change of a monthly series ``horizon`` months ahead,
    with a spectral-radius slider.

    Left: the test-period forecast against the truth (series units), graded against a seasonal-naive
    forecast and a linear AR(12) (:func:`helpers.esn.baseline_nrmse`). Right: the largest distance
    between the run from h_0 = 0 and runs from 19 random initial states (:func:`helpers.esn.start_spread`,
    log scale), judged by the rate at which it shrinks (:func:`helpers.esn.convergence`): the echo
    state property holds when the runs converge. The reservoir (from ``seed``) is the same at every
    ρ, only rescaled.
    ``dates`` (N,) datetime64 of the series labels the forecast's time axis (else month indices).
    """
    u, y = esn.change_forecast_problem(series, horizon, n_train)
    if dates is not None:
        dates = np.asarray(dates)
        if dates.dtype.kind != "M":
            raise ValueError(f"dates must be datetime64 values (one per entry of series), got {received(dates)}")
        if dates.shape != np.shape(series):
            raise ValueError(f"dates must have the shape of series {np.shape(series)}, got {dates.shape}")
    base = esn.make_reservoir(H, 1, seed, rho=1.0, input_scale=input_scale)
    fig = new_figure(live=live, figsize=(8.2, 3.0))     # short: figure, status and scrubber share a slide
    view = _EsnView(fig, u, y, base, dates, horizon=horizon, n_train=n_train, washout=washout, seed=seed,
                    ridge=ridge)
    return LiveFigure.from_view(view, _CONTROLS, "echo state network with a spectral-radius slider")
