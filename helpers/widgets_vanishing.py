"""The vanishing / exploding gradient explorer of lesson 04, built on
:class:`helpers.livefig.LiveFigure`.

The maths is :func:`helpers.vanishing.gradient_state` (a function of the control values
returning arrays and a verdict); this module only moves artists. Each panel of the figure is a
small class that makes its artists once and moves them in ``draw(state, activation)``: data,
colour limits, texts and axis limits change in place, nothing is cleared or plotted again.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from ._validate import flag, instance, positive_int
from .alt import number
from .init import INITS
from .livefig import Control, Controls, LiveFigure, new_figure
from .style import ACTIVATION_COLORS, CMAP_DIVERGING, CMAP_SEQUENTIAL, PALETTE
from .vanishing import ACTIVATION_NAMES, SATURATED_BELOW, GradientState, gradient_state

# The scale slider moves in steps of 2^(1/30) (2.3 %, small enough that a key press mostly keeps
# the axes) from 2^(-20/3) ≈ 0.01 to 2^(20/3) ≈ 102, so 0.5, 1, 2, 4 … are exact settings. A
# browser snaps a slider to its grid and sends the value back: a default off the grid (0.5 on the
# old 10^0.01 grid became 0.501) changed the figure as it appeared.
SCALE_EXPONENTS = (-20 / 3, 20 / 3, 1 / 30)  # base 2: min, max, step
SCALE_RANGE = (2.0 ** SCALE_EXPONENTS[0], 2.0 ** SCALE_EXPONENTS[1])
T_RANGE = (2, 200)
AMPLITUDE_RANGE = (0.0, 10.0)
SEED_RANGE = (0, 9)
INIT_LABELS = {"gaussian": "Gaussian", "orthogonal": "orthogonal", "identity": "identity"}
# What the explorer shows for every control; gradient_explorer(**defaults) overrides these.
DEFAULTS = {"scale": 0.5, "activation": "tanh", "T": 100, "amplitude": 1.0, "init": "gaussian", "seed": 0}
# The gradient axis spans 10⁻⁶⁰ … 10⁶⁰ for every setting: moving a control tilts the line instead of
# relabelling the axis. The lines are log₁₀ values, exact however far they go (the verdict quotes
# them); points beyond the axis are also marked on its edges (▲ above, ▼ below), and so are the
# gradients that are undefined because the states overflowed (▲) and true zeros of relu (▼).
DECADES = (-60.0, 60.0)
# The alt text calls ρ and γλ₁ equal to 1 (on the unit circle, a bound that stays at 1), and a
# gradient that ends where it starts steady, within this: round-off of an orthogonal or identity
# Wₕₕ × 1 (ρ = 1.0000000000000033) is not growth.
ON_ONE = 1e-9

_LOOK = {"width": "330px", "description_width": "110px"}
_CONTROLS = Controls(
    Control("scale", "log-slider", DEFAULTS["scale"], range=SCALE_EXPONENTS[:2], step=SCALE_EXPONENTS[2], base=2,
            description="Wₕₕ scale", readout_format=".3g",
            label="Wₕₕ scale: scale of the recurrent weights", **_LOOK),
    Control("activation", "dropdown", DEFAULTS["activation"], options=ACTIVATION_NAMES, description="activation φ",
            **_LOOK),
    Control("T", "slider", DEFAULTS["T"], range=T_RANGE, step=1, description="length T",
            label="sequence length T", **_LOOK),
    Control("amplitude", "slider", DEFAULTS["amplitude"], range=AMPLITUDE_RANGE, step=0.1,
            description="input amplitude", readout_format=".1f", **_LOOK),
    Control("init", "dropdown", DEFAULTS["init"], options=tuple((INIT_LABELS[k], k) for k in INITS),
            description="initialisation", label="initialisation of the recurrent weights", **_LOOK),
    Control("seed", "slider", DEFAULTS["seed"], range=SEED_RANGE, step=1, description="seed", **_LOOK),
)


def _drawable(logs: np.ndarray) -> np.ndarray:
    """log₁₀ values as a line can draw them: finite values stay (however far beyond the axis), -inf
    (true zeros) and NaN (undefined) become gaps, which get their own marks."""
    return np.where(np.isfinite(logs), logs, np.nan)


_RADII = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def _nice_ceil(x: float, mantissas: tuple = _RADII) -> float:
    """The smallest m × 10ⁿ >= x (x > 0) with m one of ``mantissas`` (ascending, 1 … 10)."""
    e = np.floor(np.log10(x))
    m = x / 10.0 ** e
    return float(mantissas[int(np.searchsorted(mantissas, m * (1 - 1e-12)))] * 10.0 ** e)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _from_log10(log10: float) -> str:
    """The number 10^log10 written as :func:`helpers.alt.number` writes numbers (0.25, 3.7e5,
    2.4e-49, 1000 for 10^2.99999), exact far beyond float64's range, which the explorer's logs reach."""
    if abs(log10) < 300:
        return number(10.0 ** log10)
    e = int(np.floor(log10))
    mantissa = f"{10.0 ** (log10 - e):.2g}"
    if mantissa == "10":                     # (9.96 rounds up to the next power of ten)
        mantissa, e = "1", e + 1
    return f"{mantissa}e{e}"


def _power_of_ten(value: float, _pos=None) -> str:
    """Tick label 10ⁿ for a tick at n decades (plain text: much faster to draw than mathtext)."""
    return "10" + f"{value:.0f}".translate(_SUPERSCRIPT) if value != 0 else "1"


class _NormsPanel:
    """‖∂h_T/∂h_{T-k}‖ against k and the bound (γλ₁)^k: their exact log₁₀ values on a linear axis
    fixed at 10⁻⁶⁰ … 10⁶⁰ (ticks labelled as powers of ten). Values beyond it, gradients that are
    undefined because the states overflowed (NaN) and true zeros (relu) are marks on the top and
    bottom edges, explained on the x label's row."""

    def __init__(self, ax):
        self.ax = ax
        (self.measured,) = ax.plot([0], [0], lw=2.2, label="measured")
        (self.bound,) = ax.plot([0], [0], lw=1.6, ls="--", color=PALETTE["black"], label="bound (γλ₁)ᵏ")
        # The key sits above the panel, clear of the lines wherever they go.
        self.key = ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=10,
                             borderaxespad=0.1, handlelength=1.8, columnspacing=1.0)
        edge = blended_transform_factory(ax.transData, ax.transAxes)
        marks = {"ls": "none", "ms": 6, "color": PALETTE["black"], "transform": edge, "clip_on": False}
        (self.inf_marks,) = ax.plot([], [], marker="^", **marks)
        (self.zero_marks,) = ax.plot([], [], marker="v", **marks)
        for m in (self.inf_marks, self.zero_marks):
            m.set_in_layout(False)           # on the axes' edges; with no data they would sit at (0, 0)
        self.note = ax.text(1.0, -0.2, "", transform=ax.transAxes, ha="right", va="center",
                            fontsize=10, color=PALETTE["black"])
        ax.set_ylim(*DECADES)
        ax.set_yticks(np.arange(DECADES[0], DECADES[1] + 1, 30))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.grid(axis="x", visible=False)
        ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
        ax.set_xlabel("k (steps back in time)", ha="left")
        ax.xaxis.set_label_coords(0.0, -0.2)
        ax.set_ylabel(r"$\|\partial h_T/\partial h_{T-k}\|_2$")
        ax.set_title("gradient k steps back", fontsize=11, loc="left")
        self.artists = [self.measured, self.bound, self.inf_marks, self.zero_marks, self.note]
        # k runs 0 … T-1 (a spine's ends are drawn from the limits too, to the last pixel); the
        # key's colour changes with the activation only
        self.rescaled = [ax.xaxis, *ax.spines.values(), self.key]

    def draw(self, s: GradientState, activation: str) -> None:
        color = ACTIVATION_COLORS[activation]
        lo, hi = DECADES
        logs = s.log10_norms
        self.measured.set_data(s.k, _drawable(logs))
        self.measured.set_color(color)
        self.bound.set_data(s.k, _drawable(s.log10_bound))
        if self.key.legend_handles[0].get_color() != color:    # (a changed key is redrawn)
            self.key.legend_handles[0].set_color(color)
        undefined, zero = np.isnan(logs), logs == -np.inf
        with np.errstate(invalid="ignore"):
            high, low = logs > hi, (logs < lo) & ~zero
        above, below = undefined | high, zero | low
        self.inf_marks.set_data(s.k[above], np.full(int(above.sum()), 1.0))
        self.zero_marks.set_data(s.k[below], np.zeros(int(below.sum())))
        up = [f"above {_power_of_ten(hi)}"] if high.any() else []
        up += ["undefined (overflow)"] if undefined.any() else []
        down = ([f"below {_power_of_ten(lo)}"] if low.any() else []) + (["exactly 0"] if zero.any() else [])
        notes = [f"{mark} " + " or ".join(words) for mark, words in (("▲", up), ("▼", down)) if words]
        self.note.set_text("   ".join(notes))
        self.ax.set_xlim(0, max(s.k.size - 1, 1))


class _StatesPanel:
    """The hidden states over time as a heat map with its colour bar. tanh states lie in [-1, 1],
    sigmoid states in [0, 1]; relu and linear states are unbounded, so they are shown as
    sign(h)·log₁₀(1 + |h|) (still finite at 1e300), on a colour bar that grows in round steps."""

    def __init__(self, ax, cax, H: int):
        self.ax, self.H = ax, H
        self.cmaps: dict = {}
        self.image = ax.imshow(np.zeros((H, 2)), aspect="auto", interpolation="nearest",
                               cmap=self._cmap(CMAP_DIVERGING), vmin=-1, vmax=1, origin="lower")
        self.colorbar = ax.figure.colorbar(self.image, cax=cax)
        self.colorbar.ax.yaxis.set_major_locator(MaxNLocator(nbins=3, symmetric=False))
        ax.set_xlabel("time step t")
        ax.set_ylabel("unit")
        self.title = ax.text(0.0, 1.04, "", transform=ax.transAxes, ha="left", va="bottom", fontsize=11)
        ax.grid(False)
        ax.set_yticks([1, H])
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        # The frame goes over the image.
        self.artists = [self.image, *ax.spines.values(), self.title]
        self.rescaled = [ax.xaxis, cax]                          # t runs 1 … T; the colour bar's range

    def _cmap(self, name: str):
        # One colour map object per name, with a colour for overflowed (∞/NaN) states.
        if name not in self.cmaps:
            cmap = colormaps[name].copy()
            cmap.set_bad(PALETTE["black"])
            self.cmaps[name] = cmap
        return self.cmaps[name]

    def draw(self, s: GradientState, activation: str) -> None:
        h = s.h.T
        if activation in ("tanh", "sigmoid"):
            clim = (-1.0, 1.0) if activation == "tanh" else (0.0, 1.0)
            shown_as = "hidden states hₜ"
        else:
            with np.errstate(invalid="ignore"):
                h = np.sign(h) * np.log10(1.0 + np.abs(h))
            finite_h = h[np.isfinite(h)]
            top_h = _nice_ceil(max(float(np.abs(finite_h).max()) if finite_h.size else 0.0, 1.0))
            clim = (-top_h, top_h)
            shown_as = "sign(h)·log₁₀(1+|h|)"
        cmap = self._cmap(CMAP_SEQUENTIAL if activation == "sigmoid" else CMAP_DIVERGING)
        if self.image.get_cmap() is not cmap:                 # each change redraws the colour bar
            self.image.set_cmap(cmap)
        if self.image.get_clim() != clim:
            self.image.set_clim(*clim)
        self.image.set_data(h)
        self.image.set_extent((0.5, s.k.size + 0.5, 0.5, self.H + 0.5))
        if s.overflow_step is not None:
            title = f"{shown_as}: black = overflow (∞/NaN) from t = {s.overflow_step}"
        elif s.saturated is not None:
            title = f"{shown_as}: {100 * s.saturated:.0f}% saturated (φ′ < {SATURATED_BELOW:g} γ)"
        else:
            title = f"{shown_as}: largest |h| = {np.abs(s.h).max():.2g}"
        self.title.set_text(title)


class _EigsPanel:
    """The eigenvalues of W_hh in the complex plane with the unit circle, the circle of radius 1/γ
    (left out where it is the unit circle) and the circle of radius λ₁ (left out where it would be a
    few pixels under the eigenvalues; the title gives λ₁); the limits grow in round steps, so most
    changes keep them."""

    def __init__(self, ax, H: int):
        self.ax = ax
        self.circle = np.exp(1j * np.linspace(0, 2 * np.pi, 181))
        (unit,) = ax.plot(self.circle.real, self.circle.imag, color="0.45", lw=1.2, label="|λ| = 1")
        (self.gamma_circle,) = ax.plot(self.circle.real, self.circle.imag, lw=1.4, ls="--",
                                       color=PALETTE["black"], label="|λ| = 1/γ")
        (self.lambda_circle,) = ax.plot(self.circle.real, self.circle.imag, lw=1.4, ls=":",
                                        color=PALETTE["black"], label="|λ| = λ₁")
        self.eigs = ax.scatter(np.zeros(H), np.zeros(H), s=16, zorder=3)
        ax.set_aspect("equal", adjustable="box")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(MaxNLocator(nbins=3, symmetric=True))
        ax.grid(False)
        ax.set_xlabel("Re λ", labelpad=1)
        ax.set_ylabel("Im λ", labelpad=1)
        ax.set_title(" ", fontsize=10.5)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=10, handlelength=1.3,
                  columnspacing=0.8, handletextpad=0.4, borderaxespad=0.0)
        self.artists = [self.gamma_circle, self.lambda_circle, self.eigs, ax.title]
        self.rescaled = [ax.xaxis, ax.yaxis, unit, *ax.spines.values()]   # the limits, and what they scale

    def draw(self, s: GradientState, activation: str) -> None:
        ev = s.eigenvalues
        self.eigs.set_offsets(np.column_stack([ev.real, ev.imag]))
        self.eigs.set_color(ACTIVATION_COLORS[activation])
        r_gamma = 1.0 / s.gamma
        self.gamma_circle.set_data(r_gamma * self.circle.real, r_gamma * self.circle.imag)
        self.gamma_circle.set_visible(not np.isclose(r_gamma, 1.0))
        self.lambda_circle.set_data(s.lambda1 * self.circle.real, s.lambda1 * self.circle.imag)
        R = _nice_ceil(1.1 * max(1.0, r_gamma, s.lambda1))
        self.lambda_circle.set_visible(s.lambda1 >= R / 20)       # smaller, it hides under the eigenvalues
        self.ax.set_xlim(-R, R)
        self.ax.set_ylim(-R, R)
        self.ax.set_title(f"eigenvalues of Wₕₕ\nρ = {s.rho:.3g}, λ₁ = {s.lambda1:.3g}, 1/γ = {r_gamma:g}",
                          fontsize=10.5)


class ExplorerView:
    """The figure of the explorer and its in-place update: the norms panel (top left), the states
    panel with its colour bar (bottom left), the eigenvalue panel (right) and a header naming the
    setting. ``update(**controls)`` returns the verdict, which the status line shows (the figure
    does not repeat it). The layout is fixed: nothing moves when the values change.
    """

    # Panel boxes in inches (left, bottom, width, height) on the 9.1 × 4.3 in figure.
    BOXES = {"norms": (0.85, 2.3, 4.45, 1.25), "states": (0.85, 0.5, 4.45, 0.95),
             "colorbar": (5.38, 0.5, 0.12, 0.95), "eigs": (6.45, 0.95, 2.45, 2.45)}

    def __init__(self, fig: Figure, H: int = 32):
        instance("fig", fig, Figure, "a matplotlib Figure (from helpers.livefig.new_figure)")
        H = positive_int("H", H)
        self.fig, self.H = fig, H
        width, height = fig.get_size_inches()
        ax = {k: fig.add_axes((l / width, b / height, w_ / width, h / height))
              for k, (l, b, w_, h) in self.BOXES.items()}
        self.ax_norms, self.ax_states, self.ax_colorbar, self.ax_eigs = (ax[k] for k in self.BOXES)
        self.header = fig.text(0.5, 1 - 0.2 / height, "", ha="center", va="center", fontsize=12,
                               weight="bold", color=PALETTE["black"])
        # Speed: axis labels get fixed positions, so a redraw does not measure tick labels to place them.
        for a, x_of_ylabel, y_of_xlabel in ((ax["norms"], -0.13, -0.2), (ax["states"], -0.13, -0.27)):
            a.yaxis.set_label_coords(x_of_ylabel, 0.5)
            a.xaxis.set_label_coords(0.5, y_of_xlabel)
        self.norms = _NormsPanel(ax["norms"])
        self.states = _StatesPanel(ax["states"], ax["colorbar"], H)
        self.eigenvalues = _EigsPanel(ax["eigs"], H)
        panels = self.panels = (self.norms, self.states, self.eigenvalues)
        # What an update changes, in drawing order (LiveFigure redraws only these), and what
        # changes only with an axis limit (redrawn under them when a limit moves).
        self.animated = [self.header] + [a for p in panels for a in p.artists]
        self.rescaled = [a for p in panels for a in p.rescaled]

    def draw_state(self, s: GradientState, activation: str, init: str, scale: float,
                   amplitude: float) -> None:
        """Move every artist to show ``s``."""
        for panel in self.panels:
            panel.draw(s, activation)
        self.header.set_text(f"{activation} RNN, {INIT_LABELS[init]} Wₕₕ × {scale:.3g}, T = {s.k.size}, "
                             f"input amplitude {amplitude:g}")
        self.shown = s

    def alt(self) -> str:
        """The setting, what the gradient does against its bound over k, and the two other panels."""
        s = self.shown
        logs, k = s.log10_norms, s.k
        if np.isnan(logs[-1]):
            first = int(k[np.flatnonzero(np.isnan(logs))[0]])
            measured = f"is undefined from k = {first} on, because the hidden states overflow"
        elif logs[-1] == -np.inf:
            first = int(k[np.flatnonzero(logs == -np.inf)[0]])
            measured = f"is exactly 0 from k = {first} on (switched-off units)"
        elif abs(logs[-1] - logs[0]) < ON_ONE:
            measured = f"stays at {_from_log10(logs[-1])} up to k = {k[-1]}"
        else:
            verb = "falls" if logs[-1] < logs[0] else "grows"
            measured = f"{verb} to {_from_log10(logs[-1])} at k = {k[-1]}"
        end = _from_log10(s.log10_bound[-1])
        bound = ("stays at 1" if abs(s.gamma_lambda - 1) < ON_ONE else
                 f"falls to {end}" if s.gamma_lambda < 1 else f"grows to {end}")
        known = np.isfinite(logs)
        gap = s.log10_bound[known] - logs[known]
        bound += (": the measured norm lies on it" if np.all(np.abs(gap) < 1e-6) else
                  ": the measured norm stays below it" if np.all(gap > -1e-6) else
                  ": the measured norm rises above it")
        if s.overflow_step is not None:
            states = f"overflow (black) from t = {s.overflow_step}"
        elif s.saturated is not None:
            states = f"are {100 * s.saturated:.0f}% saturated"
        else:
            states = f"reach |h| = {number(np.abs(s.h).max())}"
        inside = "on" if abs(s.rho - 1) < ON_ONE else "inside" if s.rho < 1 else "outside"
        return (f"{self.header.get_text()}: in the top left, the measured gradient norm ‖∂h_T/∂h_(T−k)‖ "
                f"{measured}, while the bound (γλ₁)^k, γλ₁ = {number(s.gamma_lambda, 3)}, {bound}. The hidden states "
                f"(bottom left) {states}; the eigenvalues of Wₕₕ (right) reach ρ = {number(s.rho, 3)}, {inside} the "
                "unit circle.")

    def update(self, scale: float, activation: str, T: int, amplitude: float, init: str, seed: int) -> str:
        """Compute the state for these control values, move the artists, return the verdict."""
        s = gradient_state(scale, activation, T, amplitude, init, seed, H=self.H)
        self.draw_state(s, activation, init, scale, amplitude)
        return s.verdict


def gradient_explorer(*, live: bool = True, H: int = 32, **defaults) -> LiveFigure:
    """The vanishing / exploding gradient explorer.

    Controls: the recurrent weight scale (log slider in steps of 2^(1/30), 0.01 … 102; a starting
    value is rounded to the nearest step), the activation (tanh, sigmoid, relu, linear), the
    sequence length T (2 … 200), the input amplitude (0 … 10, drives saturation), the
    initialisation of W_hh (Gaussian, orthogonal, identity) and a seed.
    Keyword arguments set their starting values (names as in ``DEFAULTS``).

    Panels: log₁₀‖∂h_T/∂h_{T-k}‖ against k with the bound k log₁₀ γλ₁, exact logs on an axis fixed
    at 10⁻⁶⁰ … 10⁶⁰ (▲/▼ mark values beyond it, gradients left undefined by overflowed states, and
    true zeros); the hidden states as a heat map with a
    colour bar; the eigenvalues of W_hh with the unit circle and the circles of radius 1/γ and λ₁.
    The header names the setting, the status line holds the verdict. Overflow is drawn as labelled
    marks, never an error.

    live=False gives an Agg canvas (tests, benchmarks); H is the number of hidden units.
    """
    values = _CONTROLS.check(defaults, owner="gradient_explorer")
    H = positive_int("H", H)
    # 819×387 px: fits JupyterLab at 1280×720 with the file browser open, and a slide with the
    # controls and the two-line status (at most 4.3 in tall, as every live figure)
    view = ExplorerView(new_figure(live=flag("live", live), figsize=(9.1, 4.3), dpi=90), H)
    return LiveFigure.from_view(view, _CONTROLS, "vanishing / exploding gradient explorer: "
                                "‖∂h_T/∂h_(T-k)‖ with the bound (γλ₁)^k", values)
