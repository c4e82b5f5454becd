"""The sliders of lessons 00 and 02, built on :class:`helpers.livefig.LiveFigure`.

- :func:`power_slider` (lesson 00): a first slider, w^t against t, the course in one picture;
- :func:`hidden_state_player` (lesson 02): a time slider stepping through real sequences and
  showing the hidden states computed so far as heat maps;
- :func:`memory_fade` (lesson 02): a slider for the recurrent weight scale; the first input is
  changed and ‖Δh_t‖ is drawn against t on a log axis.

Each is a view (a small class that makes the artists once; ``update`` moves them and returns the
status line) and a controls table, put together by :meth:`LiveFigure.from_view`; the maths comes
from :mod:`helpers.rnn` and :mod:`helpers.sequences`.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ._validate import as_float_array, drawable, flag, non_empty, positive_int, received, scaled_norm, text
from ._validate import seed as check_seed
from .alt import number
from .livefig import Control, Controls, LiveFigure, new_figure
from .sequences import fade_verdict, memory_fade_norms
from .style import CMAP_DIVERGING, PALETTE, halo, reference_line

SLIDER_WIDTH = "340px"


# ----------------------------------------------------------------------------------------------
# Lesson 00: a first slider
# ----------------------------------------------------------------------------------------------

_POWER_CONTROLS = Controls(
    Control("w_value", "slider", 0.8, range=(0.6, 1.4), step=0.01, description="w", readout_format=".2f",
            width=SLIDER_WIDTH, label="weight w"),
)


class _PowerView:
    """w^t against t on a log axis fixed from 0.6^T to 1.4^T (a decade to spare at each end)."""

    def __init__(self, fig: Figure, T: int):
        self.fig, self.T, self.t = fig, T, np.arange(T + 1)
        w_min, w_max = _POWER_CONTROLS[0].range
        low = 10.0 ** (np.floor(T * np.log10(w_min)) - 1)          # below w_min^T, the lowest point
        high = 10.0 ** (np.ceil(T * np.log10(w_max)) + 1)          # above w_max^T, the highest point
        ax = self.ax = fig.add_subplot()
        (self.line,) = ax.plot(self.t, np.ones(T + 1), marker=".", color=PALETTE["blue"])
        reference_line(ax, 1.0, "wᵗ = 1", inside=True)
        ax.set_yscale("log")
        ax.set_ylim(low, high)
        ax.set_xlim(0, T)
        ax.set_xlabel("t (number of multiplications)")
        ax.set_ylabel("$w^t$")
        fig.subplots_adjust(left=0.13, right=0.97, bottom=0.18, top=0.88)
        # Drawn over the curve in a full draw, so redrawn after it: the spines (the curve starts
        # on the left one) and the label of the line at 1 (the curve crosses it when w is near 1).
        self.animated = [self.line, *ax.spines.values(), *ax.texts, ax.title]

    def update(self, w_value: float) -> str:
        values = self.values = float(w_value) ** self.t
        self.w_value = float(w_value)
        self.line.set_ydata(values)
        self.ax.set_title(f"$w^t$ for w = {w_value:.2f}: " + ("fades" if w_value < 1 else
                          "stays" if w_value == 1 else "explodes"))
        return f"w = {w_value:.2f}: after {self.T} steps wᵗ = {values[-1]:.2e}"

    def alt(self) -> str:
        end = self.values[-1]
        trend = (f"it falls to {number(end)} at t = {self.T}" if end < 1 else
                 f"it stays at 1 up to t = {self.T}" if end == 1 else
                 f"it grows to {number(end)} at t = {self.T}")
        return (f"wᵗ for t = 0 … {self.T} on a log axis, with w = {self.w_value:.2f}: {trend}. "
                "Below 1 the product fades, above 1 it explodes.")


def power_slider(T: int = 40, live: bool = True) -> LiveFigure:
    """w^t for t = 0 … T on a log axis, with a slider for w (0.6 … 1.4).

    The same multiplication, repeated, is what happens to a gradient that travels back through
    an RNN: below 1 it fades away, above 1 it blows up. Lesson 04 makes this precise.
    The y-axis spans the whole curve for every slider value, from 0.6^T to 1.4^T, with a decade
    to spare at each end (10^-10 … 10^7 for T = 40). T is at most 1000, so that 0.6^T and 1.4^T stay
    within float64.
    """
    T = positive_int("T", T, maximum=1000)
    view = _PowerView(new_figure(live=flag("live", live), figsize=(7.2, 2.8)), T)
    return LiveFigure.from_view(view, _POWER_CONTROLS, "w^t against t with a slider for w")


# ----------------------------------------------------------------------------------------------
# Lesson 02: the hidden states, step by step
# ----------------------------------------------------------------------------------------------

class _HiddenStatesView:
    """One heat map per sequence (units × steps) filled up to step t, the current step outlined."""

    def __init__(self, fig: Figure, h: np.ndarray, tokens, names):
        self.fig, self.h, self.tokens, self.names = fig, h, tokens, names
        T, B, H = h.shape
        vmax = max(float(np.abs(h).max()), 1e-12)
        # The steps not reached yet are NaN: drawn in the axes' white, opaque, so that a frame
        # drawn over the previous one (blitting) shows none of it.
        self.axes = fig.subplots(B, 1, squeeze=False)[:, 0]
        cmap = colormaps[CMAP_DIVERGING].copy()
        cmap.set_bad(self.axes[0].get_facecolor())
        self.images, self.boxes, self.animated = [], [], []
        for b, ax in enumerate(self.axes):
            img = ax.imshow(np.full((H, T), np.nan), cmap=cmap, vmin=-vmax, vmax=vmax,
                            aspect="auto", interpolation="nearest")
            box = Rectangle((-0.5, -0.5), 1, H, fill=False, edgecolor="black", linewidth=2, path_effects=halo(2))
            ax.add_patch(box)
            ax.set_xticks(range(T), list(tokens[b]), fontsize=10)
            ax.set_yticks([0, H - 1], ["1", str(H)], fontsize=10)
            ax.set_ylabel("unit")
            ax.grid(False)
            self.images.append(img)
            self.boxes.append(box)
            # the image, the outline of the step, the frame over both, the title
            self.animated += [img, box, *ax.spines.values(), ax.title]
        self.axes[-1].set_xlabel("time step t (the token read at that step)")
        fig.colorbar(self.images[0], ax=list(self.axes), label="$h_t$ (unit value)")
        self.shown = np.full((B, H, T), np.nan)
        # The layout is solved once, with the titles of the last step, and then kept: every title
        # is one line of the same size, so no step would move a panel (and a full draw skips the
        # solver, which would otherwise leave its last digits a little different each time).
        self.update(T)
        fig.draw_without_rendering()
        fig.set_layout_engine("none")

    def update(self, t: int) -> str:
        T, B, H = self.h.shape
        self.t_shown = t
        i = t - 1                                               # h_t is the array row h[t - 1]
        for b in range(B):
            shown = self.shown[b]
            shown[:, :t] = self.h[:t, b].T
            shown[:, t:] = np.nan
            self.images[b].set_data(shown)
            self.boxes[b].set_x(i - 0.5)
            self.axes[b].set_title(f"{self.names[b]}: states after reading '{self.tokens[b][i]}' "
                                   f"(step {t} of {T})", fontsize=10)
        if B == 1:
            return f"t = {t}: '{self.tokens[0][i]}', ‖hₜ‖ = {scaled_norm(self.h[i, 0]):.3f}"
        gap = self._gap(i)
        return (f"t = {t}: '{self.tokens[0][i]}' / '{self.tokens[1][i]}': "
                f"‖hₜ({self.names[0]}) − hₜ({self.names[1]})‖ = {gap:.3f}")

    def _gap(self, i: int) -> float:
        """‖h_t(A) − h_t(B)‖ at array row i (t = i + 1)."""
        return 2 * scaled_norm(self.h[i, 0] / 2 - self.h[i, 1] / 2)          # (halves: no overflow)

    def alt(self) -> str:
        T, B, H = self.h.shape
        t = self.t_shown
        read = " and ".join(f"{name} ('{' '.join(tok[:t])}')" for name, tok in zip(self.names, self.tokens,
                                                                                   strict=True))
        shown = (f"Heat maps of the {H} hidden units (rows) against the steps of sequence{'s' if B > 1 else ''} "
                 f"{read}, filled up to step t = {t} of {T}")
        if B == 1:
            return f"{shown}; ‖hₜ‖ = {scaled_norm(self.h[t - 1, 0]):.3f}."
        gaps = np.array([self._gap(i) for i in range(t)])
        apart = np.flatnonzero(gaps > 0)
        gap = f"‖hₜ({self.names[0]}) − hₜ({self.names[1]})‖ = {gaps[-1]:.3f} at t = {t}"
        if apart.size == 0:
            return f"{shown}: the two maps are identical at every step so far ({gap})."
        words = [i for i in range(T) if self.tokens[0][i] != self.tokens[1][i]]
        cause = (f", the first step whose words differ ('{self.tokens[0][apart[0]]}' / "
                 f"'{self.tokens[1][apart[0]]}')" if words and words[0] == apart[0] else "")
        same = f"are identical up to step {apart[0]} and " if apart[0] > 0 else ""
        return f"{shown}: the two maps {same}differ from step {apart[0] + 1} on{cause}; {gap}."


def _player_controls(T: int) -> Controls:
    """The hidden-state player's time slider, t = 1 … T, starting at T."""
    return Controls(Control("t", "slider", T, range=(1, T), step=1, description="t", width=SLIDER_WIDTH,
                            label="time step t"))


def hidden_state_player(h, tokens: Sequence[Sequence[str]], names: Sequence[str],
                        live: bool = True) -> LiveFigure:
    """Step through sequences with a time slider; the states h_1 … h_t appear as heat maps.
    The slider counts steps as the maths does, t = 1 … T. It opens on the last step, so the
    figure shows the whole run before anyone drags (and in a static export).

    Parameters
    ----------
    h : (T, B, H) states from :func:`helpers.rnn.rnn_forward`, B = 1 or 2 sequences, within ±1e300
    tokens : B lists of T labels (the token read at each step)
    names : B short names of the sequences (panel titles)
    live : False for an Agg canvas (tests)

    With two sequences the status line reports ‖h_t(A) − h_t(B)‖: zero while the sequences
    agree, nonzero from the first step where they differ.
    """
    h = drawable("h", non_empty("h", as_float_array("h", h, ("T", "B", "H"))))
    T, B, H = h.shape
    if B not in (1, 2):
        raise ValueError(f"h must hold 1 or 2 sequences, shape (T, B, H) with B in (1, 2); got shape {h.shape}")
    if (not isinstance(tokens, (list, tuple)) or len(tokens) != B
            or any(not isinstance(tok, (list, tuple)) or len(tok) != T for tok in tokens)):
        got = ([len(tok) if isinstance(tok, (list, tuple)) else type(tok).__name__ for tok in tokens]
               if isinstance(tokens, (list, tuple)) else type(tokens).__name__)
        raise ValueError(f"tokens must be {B} lists of {T} labels (one per step of h, shape {h.shape}), got {got}")
    for b, tok in enumerate(tokens):
        for t, label in enumerate(tok):
            text(f"tokens[{b}][{t}]", label)
    if not isinstance(names, (list, tuple)) or len(names) != B:
        raise ValueError(f"names must be {B} short names (one per sequence of h), got {received(names)}")
    for b, name in enumerate(names):
        text(f"names[{b}]", name)
    fig = new_figure(live=flag("live", live), figsize=(8.2, 1.0 + 1.5 * B), layout="constrained")
    view = _HiddenStatesView(fig, h, tokens, names)
    return LiveFigure.from_view(view, _player_controls(T), "hidden states step by step with a time slider")


# ----------------------------------------------------------------------------------------------
# Lesson 02: memory fades
# ----------------------------------------------------------------------------------------------

MEMORY_FLOOR = 1e-300
"""Norms below this are not drawn (they are zero in float64 or indistinguishable from it)."""

_MEMORY_CONTROLS = Controls(
    Control("scale", "slider", 0.8, range=(0.5, 2.0), step=0.01, description="λ₁ of Wₕₕ", readout_format=".2f",
            width=SLIDER_WIDTH, description_width="80px",
            label="λ₁ of Wₕₕ: largest singular value of the recurrent weights"),
    Control("activation", "toggle", "tanh", options=("tanh", "linear"), description="φ", button_width="70px",
            label="activation φ"),
)


class _MemoryFadeView:
    """The measured ‖Δh_t‖ and the line λ₁^(t−1) ‖Δh_1‖ on a log axis fixed at 10⁻²⁴ … 10¹⁶."""

    def __init__(self, fig: Figure, T: int, H: int, seed: int):
        self.fig, self.T, self.H, self.seed = fig, T, H, seed
        self.t = np.arange(1, T + 1)                            # maths steps; h_t is h[t - 1]
        ax = self.ax = fig.add_subplot()
        (self.measured,) = ax.plot(self.t, np.ones(T), marker=".", color=PALETTE["blue"],
                                   label=r"measured $\|\Delta h_t\|$")
        (self.bound,) = ax.plot(self.t, np.ones(T), linestyle="--", color=PALETTE["black"],
                                label=r"$\lambda_1^{t-1}\,\|\Delta h_1\|$")
        ax.set_yscale("log")
        ax.set_ylim(1e-24, 1e16)
        ax.set_xlim(1, T)
        ax.set_xlabel("time step t (the first input, $x_1$, changed)")
        ax.set_ylabel(r"$\|\Delta h_t\|$")
        key = ax.legend(loc="upper right")
        fig.subplots_adjust(left=0.12, right=0.97, bottom=0.16, top=0.88)
        # the lines, then what a full draw puts over them: the spines, the title and the key
        self.animated = [self.measured, self.bound, *ax.spines.values(), ax.title, key]

    def update(self, scale: float, activation: str) -> str:
        norms = memory_fade_norms(scale, activation, self.T, self.H, self.seed)
        with np.errstate(over="ignore", under="ignore"):
            line = norms[0] * float(scale) ** (self.t - 1)
        self.measured.set_ydata(np.where(norms > MEMORY_FLOOR, norms, np.nan))
        self.bound.set_ydata(line)
        self.shown = (float(scale), activation, norms, line)
        ratio = norms[-1] / norms[0]
        self.ax.set_title(f"λ₁ = {scale:.2f}, {activation}: the change at step 1 "
                          f"{fade_verdict(ratio, activation)}", fontsize=10)
        return (f"λ₁ = {scale:.2f} ({activation}): after {self.T - 1} steps the change of h is "
                f"{ratio:.1e} × the change at step 1")

    def alt(self) -> str:
        scale, activation, norms, line = self.shown
        verdict = fade_verdict(norms[-1] / norms[0], activation)
        with np.errstate(invalid="ignore"):
            exact = bool(np.allclose(norms, line, rtol=1e-6, atol=0))
            above = bool(np.any(norms > line * (1 + 1e-9)))
        where = ("on the dashed line λ₁^(t−1)‖Δh₁‖ all the way" if exact else
                 "crossing above the dashed line λ₁^(t−1)‖Δh₁‖" if above else
                 "never above the dashed line λ₁^(t−1)‖Δh₁‖")
        return (f"‖Δhₜ‖ against t = 1 … {self.T} on a log axis after a change of the first input, for a "
                f"{activation} RNN with λ₁ = {scale:.2f}: the measured change goes from {number(norms[0])} at t = 1 "
                f"to {number(norms[-1])} at t = {self.T} ({verdict}), {where}, which ends at {number(line[-1])}.")


def memory_fade(T: int = 50, H: int = 16, seed: int = 0, live: bool = True) -> LiveFigure:
    """Change the first input of a random tanh/linear RNN and watch what becomes of the change of h_t.

    The network is :func:`helpers.sequences.memory_fade_network` (λ₁, T, H, seed): W_hh is a
    random orthogonal matrix times the slider value λ₁ (every singular value is λ₁); x is random
    (seeded), and the first input x_1 gets a change of norm 1. The measured ‖Δh_t‖, t = 1 … T
    (exact, :func:`helpers.sequences.perturbation_response`), is drawn with the line
    λ₁^(t−1) ‖Δh_1‖: a step can stretch a change by at most λ₁ (and tanh by at most 1 more), so
    for tanh and linear the measurement never rises above this line. The title's verdict is
    :func:`helpers.sequences.fade_verdict` of ‖Δh_T‖ / ‖Δh_1‖.
    """
    T = positive_int("T", T, minimum=2)
    H = positive_int("H", H)
    seed = check_seed("seed", seed)
    view = _MemoryFadeView(new_figure(live=flag("live", live), figsize=(7.2, 3.2)), T, H, seed)
    return LiveFigure.from_view(view, _MEMORY_CONTROLS,
                                "memory fades: change of h_t after a change of the first input, with a slider for λ₁")
