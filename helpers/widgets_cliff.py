"""The cliff's live figure (lesson 06), on :class:`helpers.livefig.LiveFigure`: gradient descent
on the cliff surface of Pascanu et al. (2013), with and without norm clipping, with sliders for
the learning rate and the clipping threshold. All maths comes from :mod:`helpers.cliff`.
"""
from __future__ import annotations

import functools

import numpy as np
from matplotlib.figure import Figure

from . import cliff
from ._validate import as_float_array, interval, positive_int
from .alt import number
from .livefig import Control, Controls, LiveFigure, new_figure
from .plots_cliff import draw_wall
from .style import CMAP_SEQUENTIAL, PALETTE, halo

# Steps of 2^(1/30) (2.3 %), so that the starting values 2 and 0.5 lie on the sliders' grids
# (a browser snaps a slider to its grid and sends the value back). lr 0.1 … 10, threshold
# 0.01 … 10.
_LOOK = {"readout_format": ".2f", "width": "330px", "description_width": "90px"}
_CONTROLS = Controls(
    Control("lr", "log-slider", 2.0, range=(-10 / 3, 10 / 3), step=1 / 30, base=2, description="learning rate",
            **_LOOK),
    Control("threshold", "log-slider", 0.5, range=(-20 / 3, 10 / 3), step=1 / 30, base=2, description="threshold",
            label="clipping threshold", **_LOOK),
)


class _ClippingView:
    """The error surface (a muted map, with its wall), the two paths on white halos, the start, and
    for each path that leaves the plot a note pointing to where it leaves (a path thrown off the
    plot cannot show where it ends)."""

    def __init__(self, fig: Figure, start: np.ndarray, steps: int, w_range, b_range, grid: int):
        self.fig, self.start, self.steps = fig, start, steps
        w_axis = np.linspace(*w_range, grid)
        b_axis = np.linspace(*b_range, grid)
        W, B = np.meshgrid(w_axis, b_axis)
        E = cliff.error_and_grad(W, B)[0]
        ax = self.ax = fig.add_subplot()
        # A muted map, so that the two paths (on white halos) stand out everywhere.
        im = ax.pcolormesh(W, B, E, cmap=CMAP_SEQUENTIAL, shading="auto", alpha=0.45)
        fig.colorbar(im, ax=ax, label="E")
        draw_wall(ax, w_axis)
        path = {"lw": 2.5, "path_effects": halo(2.5)}
        (self.plain,) = ax.plot([], [], color=PALETTE["vermillion"], label="no clipping", **path)
        (self.clipped,) = ax.plot([], [], color=PALETTE["blue"], label="norm clipping", **path)
        (start_mark,) = ax.plot(*start, marker="*", ms=14, color=PALETTE["yellow"], mec="black", ls="none",
                                label="start")
        # A note for each path that leaves the plot, pointing to where it leaves: the plain path's in the
        # bottom right corner, the clipped path's in the bottom left (the high-E corner, which no path crosses)
        self.off_plot = {name: ax.annotate("", xy=(0.5, 0.5), xycoords="axes fraction", xytext=(x, 0.04),
                                           textcoords="axes fraction", ha=ha, va="bottom", fontsize=10,
                                           color=color, bbox=dict(boxstyle="round", fc="white", alpha=0.9, lw=0),
                                           arrowprops=dict(arrowstyle="->", color=PALETTE["black"], lw=1))
                         for name, color, x, ha in (("no clipping", PALETTE["vermillion"], 0.97, "right"),
                                                    ("norm clipping", PALETTE["blue"], 0.03, "left"))}
        self.leaves = dict.fromkeys(self.off_plot)             # the step at which each path leaves the plot
        self.lo = np.array([w_range[0], b_range[0]])
        self.span = np.array([w_range[1], b_range[1]]) - self.lo
        ax.set_xlim(*w_range)
        ax.set_ylim(*b_range)
        ax.grid(False)
        ax.set_xlabel("recurrent weight w")
        ax.set_ylabel("bias b")
        key = ax.legend(loc="upper right", fontsize=10, framealpha=0.9, frameon=True)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.14, top=0.88)
        # the paths, then what a full draw puts over them: the start, the spines, the note, the
        # title and the key
        self.animated = [self.plain, self.clipped, start_mark, *ax.spines.values(), *self.off_plot.values(), ax.title,
                         key]
        # The plain path depends on the learning rate only: moving the threshold reuses it.
        self.plain_path = functools.lru_cache(maxsize=64)(
            lambda lr: cliff.gd_path(*start, lr=lr, steps=steps)[:2])

    def update(self, lr: float, threshold: float) -> str:
        p_plain, e_plain = self.plain_path(lr)
        p_clip, e_clip, n_clip = cliff.gd_path(*self.start, lr=lr, steps=self.steps, clip=threshold)
        self.plain.set_data(p_plain[:, 0], p_plain[:, 1])
        self.clipped.set_data(p_clip[:, 0], p_clip[:, 1])
        jump = np.linalg.norm(np.diff(p_plain, axis=0), axis=1).max()
        self.ax.set_title(f"Clipped steps ≤ lr · threshold = {lr * threshold:.2g}; "
                          f"unclipped, the longest is {jump:.2g}", pad=10)
        self._point_off_plot("no clipping", p_plain)
        self._point_off_plot("norm clipping", p_clip)
        self.shown = (lr, threshold, p_plain, e_plain, p_clip, e_clip, n_clip)
        return (f"no clipping: longest step {jump:.3g}, final E {e_plain[-1]:.3g} · "
                f"norm clipping: clipped {int((n_clip > threshold).sum())} of {self.steps} steps, "
                f"final E {e_clip[-1]:.3g}")

    def alt(self) -> str:
        lr, threshold, p_plain, e_plain, p_clip, e_clip, n_clip = self.shown
        w0, b0 = self.start

        def fate(name: str, path: np.ndarray, e: np.ndarray) -> str:
            where = f"leaves the plot at step {self.leaves[name]} and " if self.leaves[name] else ""
            return (f"{where}ends at w = {number(path[-1, 0], 3)}, b = {number(path[-1, 1], 3)} "
                    f"with E = {number(e[-1], 3)}")

        plain_jump = np.linalg.norm(np.diff(p_plain, axis=0), axis=1).max()
        clip_jump = np.linalg.norm(np.diff(p_clip, axis=0), axis=1).max()
        clipped = int((n_clip > threshold).sum())
        return (f"{self.steps} step{'' if self.steps == 1 else 's'} of gradient descent on the error surface "
                f"E(w, b) from w = {w0:g}, b = {b0:g}, "
                f"learning rate {lr:.2f}. Unclipped, the longest step is {number(plain_jump, 3)} and the path "
                f"{fate('no clipping', p_plain, e_plain)}. Norm-clipped at {threshold:.2f}, {clipped} "
                f"step{'' if clipped == 1 else 's'} clipped, the longest {number(clip_jump, 3)} (at most "
                f"lr · threshold = {number(lr * threshold, 3)}), and the path {fate('norm clipping', p_clip, e_clip)}.")

    def _point_off_plot(self, name: str, path: np.ndarray) -> None:
        """Show the path's note where it leaves the plot for good (and only then)."""
        note = self.off_plot[name]
        frac = (path - self.lo) / self.span                     # the path in axes fractions
        inside = np.all((frac >= 0) & (frac <= 1), axis=1)
        note.set_visible(bool(inside.any() and not inside[-1]))
        self.leaves[name] = None
        if note.get_visible():
            last = np.flatnonzero(inside)[-1]                   # the last step still on the plot
            self.leaves[name] = int(last + 1)
            a, d = frac[last], frac[last + 1] - frac[last]
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.concatenate([(0 - a) / d, (1 - a) / d])
            note.xy = tuple(a + np.nanmin(t[t > 0]) * d)       # where the next step crosses the border
            note.set_text(f"{name}:\nleaves the plot at step {last + 1},\n"
                          f"ends at w = {path[-1, 0]:.3g}, b = {path[-1, 1]:.3g}")


def clipping_paths(start: tuple[float, float] = (5.0, -4.0), steps: int = 60, *,
                   w_range: tuple[float, float] = (2.0, 8.0), b_range: tuple[float, float] = (-6.0, 1.0),
                   grid: int = 200, live: bool = True) -> LiveFigure:
    """Two gradient-descent paths over E(w, b) from the same start: plain (vermillion) and with
    norm clipping (blue). Sliders: learning rate (log scale) and clipping threshold.

    Where a path meets a large gradient (near the cusp, where the wall meets the edge of the
    bistable band, or right at the wall), plain descent throws the parameters far away; with
    clipping the step is at most lr · threshold. A path that leaves the plot (either of them) gets a
    note pointing to where it leaves and giving its end point.

    start : (w, b); w_range, b_range : (low, high) of the axes; grid : points per axis (>= 2).
    """
    steps = positive_int("steps", steps)
    start = as_float_array("start", start, (2,))
    w_range, b_range = interval("w_range", w_range), interval("b_range", b_range)
    grid = positive_int("grid", grid, minimum=2)
    view = _ClippingView(new_figure(live=live, figsize=(8.4, 3.8)), start, steps, w_range, b_range, grid)
    return LiveFigure.from_view(view, _CONTROLS, "gradient descent on the cliff, with and without norm clipping")
