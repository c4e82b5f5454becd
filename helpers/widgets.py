"""The vanishing / exploding gradient explorer of lesson 04, built on
:class:`helpers.livefig.LiveFigure`.

The maths is :func:`helpers.gradient_theory.gradient_state` (a function of the control values
returning arrays and a verdict); this module only moves artists. Each update changes data, colour
limits, texts and axis limits in place: nothing is cleared or plotted again.
"""
from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from ._validate import choice, positive_int
from .gradient_theory import (ACTIVATION_NAMES, INITS, SATURATED_BELOW, GradientState, gamma_lambda_text,
                              gradient_state)
from .livefig import LiveFigure, new_figure
from .style import ACTIVATION_COLORS, CMAP_DIVERGING, CMAP_SEQUENTIAL, PALETTE

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
def _log10(values: np.ndarray) -> np.ndarray:
    """log₁₀ of positive finite values; NaN elsewhere (0 and ∞ get their own marks)."""
    ok = np.isfinite(values) & (values > 0)
    return np.where(ok, np.log10(np.where(ok, values, 1.0)), np.nan)


def _decade_limits(*logs: np.ndarray) -> tuple[float, float]:
    """y-limits (in decades) holding every drawn value with a margin, rounded out to a step of
    1, 2, 5, 10, 20, … decades (about a twelfth of the span): they stay put while a slider moves a
    little, so the axis does not jitter and the explorer redraws only its lines."""
    vals = np.concatenate([a[np.isfinite(a)] for a in logs])
    lo, hi = (float(vals.min()), float(vals.max())) if vals.size else (0.0, 0.0)
    pad = max(0.06 * (hi - lo), 0.2)                  # room for the line labels
    step = _nice_ceil(max(hi - lo, 12.0) / 12, _STEPS)
    return float(np.floor((lo - pad) / step) * step), float(np.ceil((hi + pad) / step) * step)


_STEPS = (1.0, 2.0, 5.0, 10.0)
_RADII = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def _nice_ceil(x: float, mantissas: tuple = _RADII) -> float:
    """The smallest m × 10ⁿ >= x (x > 0) with m one of ``mantissas`` (ascending, 1 … 10)."""
    e = np.floor(np.log10(x))
    m = x / 10.0 ** e
    return float(mantissas[int(np.searchsorted(mantissas, m * (1 - 1e-12)))] * 10.0 ** e)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _header_regime(s: GradientState) -> str:
    """"γλ₁ = 0.90 < 1 → vanishing" (the bound decides); from γλ₁ ≥ 1 on only the measurement
    does, so no arrow: "γλ₁ = 2.15 > 1: exploding"."""
    text = gamma_lambda_text(s.gamma_lambda)
    return f"{text} → {s.regime}" if s.gamma_lambda < 1 else f"{text}: {s.regime}"


def _power_of_ten(value: float, _pos=None) -> str:
    """Tick label 10ⁿ for a tick at n decades (plain text: much faster to draw than mathtext)."""
    return "10" + f"{value:.0f}".translate(_SUPERSCRIPT) if value != 0 else "1"


class ExplorerView:
    """The figure of the explorer and its in-place update.

    Panels: ‖∂h_T/∂h_{T-k}‖ against k with the bound (γλ₁)^k (top left), the hidden states as a
    heat map (bottom left), the eigenvalues of W_hh with the unit circle, the circle of radius
    1/γ and the circle of radius λ₁ (right). ``update(**controls)`` returns the one-line verdict.
    """

    def __init__(self, fig: Figure, H: int = 32):
        self.fig, self.H = fig, H
        self.cmaps: dict = {}
        gs = fig.add_gridspec(2, 3, width_ratios=[1, 1, 1.05], height_ratios=[1.15, 1],
                              left=0.115, right=0.975, bottom=0.1, top=0.86, wspace=0.45, hspace=0.55)
        ax_n = self.ax_norms = fig.add_subplot(gs[0, :2])
        ax_h = self.ax_states = fig.add_subplot(gs[1, :2])
        ax_e = self.ax_eigs = fig.add_subplot(gs[:, 2])
        self.header = fig.text(0.5, 0.965, "", ha="center", va="center", fontsize=12, weight="bold")
        # Speed: titles and axis labels get fixed positions, so a redraw does not measure tick
        # labels to place them; lines are labelled directly instead of through legends.
        for ax, x_of_ylabel, y_of_xlabel in ((ax_n, -0.125, -0.17), (ax_h, -0.125, -0.2), (ax_e, -0.06, -0.15)):
            ax.yaxis.set_label_coords(x_of_ylabel, 0.5)
            ax.xaxis.set_label_coords(0.5, y_of_xlabel)

        # ‖∂h_T/∂h_{T-k}‖ against k
        (self.measured,) = ax_n.plot([0], [0], lw=2)
        (self.bound,) = ax_n.plot([0], [0], lw=1.6, ls="--", color=PALETTE["black"])
        self.measured_label = ax_n.text(0, 0, "measured", fontsize=9, ha="right", va="top", weight="bold")
        self.bound_label = ax_n.text(0, 0, "bound (γλ₁)ᵏ", fontsize=9, ha="right", va="bottom")
        ax_n.axhline(0.0, color="0.6", lw=0.8, zorder=0)
        edge = blended_transform_factory(ax_n.transData, ax_n.transAxes)
        (self.inf_marks,) = ax_n.plot([], [], ls="none", marker="^", ms=5, color=PALETTE["vermillion"],
                                      transform=edge, clip_on=False)
        (self.zero_marks,) = ax_n.plot([], [], ls="none", marker="v", ms=5, color=PALETTE["vermillion"],
                                       transform=edge, clip_on=False)
        self.note = ax_n.text(1.0, -0.17, "", transform=ax_n.transAxes, ha="right", va="top",
                              fontsize=9, color=PALETTE["vermillion"])
        # A log axis drawn as decades on a linear axis: its ticks stay exact from 1e-300 to 1e300.
        ax_n.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax_n.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax_n.grid(axis="x", visible=False)
        ax_n.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
        ax_n.set_xlabel("k = steps back in time")
        ax_n.set_ylabel("gradient factor (log scale)")
        ax_n.set_title(r"$\|\partial h_T / \partial h_{T-k}\|_2$: how much gradient survives k steps back",
                       fontsize=11, loc="left", y=1.02)

        # hidden states over time
        self.image = ax_h.imshow(np.zeros((H, 2)), aspect="auto", interpolation="nearest",
                                 cmap=self._cmap(CMAP_DIVERGING), vmin=-1, vmax=1, origin="lower")
        ax_h.set_xlabel("time step t")
        ax_h.set_ylabel("unit")
        ax_h.set_title(" ", fontsize=10, y=1.02)
        ax_h.grid(False)
        ax_h.set_yticks([1, H])
        ax_h.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))

        # eigenvalues of W_hh in the complex plane
        circle = np.exp(1j * np.linspace(0, 2 * np.pi, 181))
        self.circle = circle
        ax_e.plot(circle.real, circle.imag, color="0.45", lw=1.2)
        (self.gamma_circle,) = ax_e.plot(circle.real, circle.imag, lw=1.4, ls="--")
        (self.lambda_circle,) = ax_e.plot(circle.real, circle.imag, lw=1.2, ls=":", color=PALETTE["black"])
        self.eigs = ax_e.scatter(np.zeros(H), np.zeros(H), s=14, zorder=3)
        ax_e.set_aspect("equal", adjustable="box")
        ax_e.xaxis.set_major_locator(MaxNLocator(nbins=2, symmetric=True))
        ax_e.yaxis.set_major_locator(MaxNLocator(nbins=2, symmetric=True))
        ax_e.tick_params(labelleft=False)          # equal aspect: the x labels give the scale
        ax_e.grid(False)
        ax_e.set_xlabel("Re λ")
        ax_e.set_ylabel("Im λ")
        ax_e.set_title(" ", fontsize=10, y=1.02)
        # (the title names the circles: one text object instead of a legend, for speed)

        # Everything draw_state changes apart from axis limits, in drawing order (LiveFigure
        # redraws only these while the limits stay). The heat map's frame goes over the image.
        self.animated = [self.header, self.measured, self.bound, self.measured_label, self.bound_label,
                         self.inf_marks, self.zero_marks, self.note, self.image,
                         *ax_h.spines.values(), ax_h.title, self.gamma_circle, self.lambda_circle,
                         self.eigs, ax_e.title]

    def _cmap(self, name: str):
        # One colour map object per name, with a colour for overflowed (∞/NaN) states.
        if name not in self.cmaps:
            cmap = colormaps[name].copy()
            cmap.set_bad(PALETTE["black"])
            self.cmaps[name] = cmap
        return self.cmaps[name]

    def draw_state(self, s: GradientState, activation: str, init: str, scale: float,
                   amplitude: float) -> None:
        """Move every artist to show ``s``."""
        color = ACTIVATION_COLORS[activation]
        T = s.k.size
        finite = np.isfinite(s.norms)
        # Norms: non-finite values are drawn as ∞ marks on the top edge, exact zeros as marks on
        # the bottom edge (a log axis cannot show either).
        shown = _log10(s.norms)
        bound = _log10(s.bound)
        self.measured.set_data(s.k, shown)
        self.measured.set_color(color)
        self.bound.set_data(s.k, bound)
        self.measured_label.set_color(color)
        k_inf, k_zero = s.k[~finite], s.k[s.norms == 0]
        self.inf_marks.set_data(k_inf, np.full(k_inf.size, 1.0))
        self.zero_marks.set_data(k_zero, np.zeros(k_zero.size))
        notes = []
        if k_inf.size:
            notes.append(f"▲ ∞ or NaN (k ≥ {k_inf.min()})")
        if k_zero.size:
            notes.append(f"▼ exactly 0 (k ≥ {k_zero.min()})")
        self.note.set_text("  ".join(notes))
        ax = self.ax_norms
        ax.set_xlim(0, max(T - 1, 1))
        lo, hi = _decade_limits(shown, bound)
        ax.set_ylim(lo, hi)
        # Direct labels at the last drawn point of each line, nudged off the line.
        for label, y, nudge in ((self.measured_label, shown, -0.03), (self.bound_label, bound, 0.03)):
            last = np.flatnonzero(np.isfinite(y))
            label.set_visible(last.size > 0)
            if last.size:
                label.set_position((s.k[last[-1]], y[last[-1]] + nudge * (hi - lo)))
                label.set_horizontalalignment("right" if last[-1] > T / 4 else "left")

        # Hidden states: tanh in [-1, 1], sigmoid in [0, 1]; relu and linear states are unbounded,
        # so they are shown as sign(h)·log₁₀(1 + |h|) (still finite at 1e300).
        h = s.h.T
        if activation in ("tanh", "sigmoid"):
            lo, hi = (-1.0, 1.0) if activation == "tanh" else (0.0, 1.0)
            label = "red +1, blue −1" if activation == "tanh" else "yellow 1, purple 0"
        else:
            with np.errstate(invalid="ignore"):
                h = np.sign(h) * np.log10(1.0 + np.abs(h))
            finite_h = h[np.isfinite(h)]
            top = float(np.abs(finite_h).max()) if finite_h.size else 0.0
            lo, hi = -max(top, 1.0), max(top, 1.0)
            label = "colour ∝ sign(h)·log₁₀(1+|h|)"
        cmap = self._cmap(CMAP_SEQUENTIAL if activation == "sigmoid" else CMAP_DIVERGING)
        if self.image.get_cmap() is not cmap:                 # each change redraws the colour bar
            self.image.set_cmap(cmap)
        if self.image.get_clim() != (lo, hi):
            self.image.set_clim(lo, hi)
        self.image.set_data(h)
        self.image.set_extent((0.5, T + 0.5, 0.5, self.H + 0.5))
        if s.overflow_step is not None:
            title = f"hidden states hₜ ({label}): black = overflow (∞/NaN) from t = {s.overflow_step}"
        elif s.saturated is not None:
            title = f"hidden states hₜ ({label}): {100 * s.saturated:.0f}% saturated, φ′ < {SATURATED_BELOW:g} γ"
        else:
            title = f"hidden states hₜ ({label}): largest |h| = {np.abs(s.h).max():.2g}"
        self.ax_states.set_title(title, fontsize=10, y=1.02)

        # Eigenvalues with the unit circle, the 1/γ circle and the λ₁ circle.
        ev = s.eigenvalues
        self.eigs.set_offsets(np.column_stack([ev.real, ev.imag]))
        self.eigs.set_color(color)
        r_gamma = 1.0 / s.gamma
        self.gamma_circle.set_data(r_gamma * self.circle.real, r_gamma * self.circle.imag)
        self.gamma_circle.set_color(color)
        self.lambda_circle.set_data(s.lambda1 * self.circle.real, s.lambda1 * self.circle.imag)
        R = _nice_ceil(1.1 * max(1.0, r_gamma, s.lambda1))     # steps, so most changes only blit
        self.ax_eigs.set_xlim(-R, R)
        self.ax_eigs.set_ylim(-R, R)
        self.ax_eigs.set_title(f"eigenvalues of Wₕₕ: ρ = {s.rho:.3g}\ncircles: 1 (—), 1/γ = {r_gamma:g} (- -),\n"
                               f"λ₁ = {s.lambda1:.3g} (···)", fontsize=9.5, y=1.02)
        self.header.set_text(f"{activation}, {INIT_LABELS[init]} Wₕₕ × {scale:.3g}, T = {T}, "
                             f"input amplitude {amplitude:g}:  {_header_regime(s)}")
        self.header.set_color(color)

    def update(self, scale: float, activation: str, T: int, amplitude: float, init: str, seed: int) -> str:
        """Compute the state for these control values, move the artists, return the verdict."""
        s = gradient_state(scale, activation, T, amplitude, init, seed, H=self.H)
        self.draw_state(s, activation, init, scale, amplitude)
        return s.verdict


def _controls(values: dict) -> list:
    wide = w.Layout(width="330px")
    style = {"description_width": "110px"}
    lo, hi, step = SCALE_EXPONENTS
    return [
        w.FloatLogSlider(value=values["scale"], base=2, min=lo, max=hi, step=step,
                         description="W_hh scale", readout_format=".3g", layout=wide, style=style),
        w.Dropdown(options=list(ACTIVATION_NAMES), value=values["activation"], description="activation φ",
                   layout=wide, style=style),
        w.IntSlider(value=values["T"], min=T_RANGE[0], max=T_RANGE[1], description="length T",
                    layout=wide, style=style),
        w.FloatSlider(value=values["amplitude"], min=AMPLITUDE_RANGE[0], max=AMPLITUDE_RANGE[1], step=0.1,
                      description="input amplitude", readout_format=".1f", layout=wide, style=style),
        w.Dropdown(options=[(INIT_LABELS[k], k) for k in INITS], value=values["init"],
                   description="initialisation", layout=wide, style=style),
        w.IntSlider(value=values["seed"], min=SEED_RANGE[0], max=SEED_RANGE[1], description="seed",
                    layout=wide, style=style),
    ]


def _number(name: str, value) -> float:
    """``value`` as a float, or a ValueError that names the control."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None


def _check_defaults(defaults: dict) -> dict:
    unknown = sorted(set(defaults) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"gradient_explorer got unknown control(s) {', '.join(unknown)}; "
                         f"expected some of {', '.join(DEFAULTS)}")
    v = {**DEFAULTS, **defaults}
    scale, amplitude = (_number(name, v[name]) for name in ("scale", "amplitude"))
    if not SCALE_RANGE[0] <= scale <= SCALE_RANGE[1]:
        raise ValueError(f"scale must be in [{SCALE_RANGE[0]:.3g}, {SCALE_RANGE[1]:.3g}], got {v['scale']!r}")
    lo, _, step = SCALE_EXPONENTS                # the nearest setting of the slider (see above)
    scale = 2.0 ** round(lo + round((np.log2(scale) - lo) / step) * step, 10)
    choice("activation", v["activation"], ACTIVATION_NAMES)
    choice("init", v["init"], INITS)
    T = positive_int("T", v["T"], minimum=T_RANGE[0])
    if T > T_RANGE[1]:
        raise ValueError(f"T must be in [{T_RANGE[0]}, {T_RANGE[1]}], got {T}")
    if not AMPLITUDE_RANGE[0] <= amplitude <= AMPLITUDE_RANGE[1]:
        raise ValueError(f"amplitude must be in [{AMPLITUDE_RANGE[0]:g}, {AMPLITUDE_RANGE[1]:g}], got {v['amplitude']!r}")
    seed = positive_int("seed", v["seed"], minimum=SEED_RANGE[0])
    if seed > SEED_RANGE[1]:
        raise ValueError(f"seed must be in [{SEED_RANGE[0]}, {SEED_RANGE[1]}], got {seed}")
    return {**v, "scale": scale, "T": T, "amplitude": amplitude, "seed": seed}


def gradient_explorer(*, live: bool = True, H: int = 32, **defaults) -> LiveFigure:
    """The vanishing / exploding gradient explorer.

    Controls: the recurrent weight scale (log slider in steps of 2^(1/30), 0.01 … 102; a starting
    value is rounded to the nearest step), the activation (tanh, sigmoid, relu, linear), the
    sequence length T (2 … 200), the input amplitude (0 … 10, drives saturation), the
    initialisation of W_hh (Gaussian, orthogonal, identity) and a seed.
    Keyword arguments set their starting values (names as in ``DEFAULTS``).

    Panels: ‖∂h_T/∂h_{T-k}‖ against k on a log axis with the bound (γλ₁)^k; the hidden states as a
    heat map; the eigenvalues of W_hh with the unit circle and the circle of radius 1/γ. The
    status line holds the verdict. Overflow is drawn as labelled ∞ marks, never an error.

    live=False gives an Agg canvas (tests, benchmarks); H is the number of hidden units.
    """
    values = _check_defaults(defaults)
    H = positive_int("H", H)
    # 819×468 px: fits JupyterLab at 1280×720 with the file browser open, and a slide with the controls
    fig = new_figure(live=live, figsize=(9.1, 5.2), dpi=90)
    view = ExplorerView(fig, H)
    names = ["scale", "activation", "T", "amplitude", "init", "seed"]
    controls = _controls(values)
    app = LiveFigure(fig, controls, names, view.update,
                     "vanishing / exploding gradient explorer: ‖∂h_T/∂h_(T-k)‖ with the bound (γλ₁)^k",
                     animated=view.animated)
    app.view = view
    return app
