"""The sliders of lessons 00 and 02, built on :class:`helpers.livefig.LiveFigure`.

- :func:`power_slider` (lesson 00): a first slider, w^t against t, the course in one picture;
- :func:`hidden_state_player` (lesson 02): a time slider stepping through real sequences and
  showing the hidden states computed so far as heat maps;
- :func:`memory_fade` (lesson 02): a slider for the recurrent weight scale; the first input is
  changed and ‖Δh_t‖ is drawn against t on a log axis.

Every app's update function changes the artists in place and returns a one-line status; the
maths comes from :mod:`helpers.rnn` and :mod:`helpers.sequences`.
"""
from __future__ import annotations

from typing import Sequence

import ipywidgets as w
import numpy as np
from matplotlib.patches import Rectangle

from ._validate import as_float_array, positive_int
from .livefig import LiveFigure, new_figure
from .sequences import perturbation_response, recurrent_weights
from .style import CMAP_DIVERGING, PALETTE, halo, reference_line


def _slider_layout() -> w.Layout:
    return w.Layout(width="340px")


# ----------------------------------------------------------------------------------------------
# Lesson 00: a first slider
# ----------------------------------------------------------------------------------------------

def power_slider(T: int = 40, live: bool = True) -> LiveFigure:
    """w^t for t = 0 … T on a log axis, with a slider for w (0.6 … 1.4).

    The same multiplication, repeated, is what happens to a gradient that travels back through
    an RNN: below 1 it fades away, above 1 it blows up. Lesson 04 makes this precise.
    The y-axis spans the whole curve for every slider value, from 0.6^T to 1.4^T, with a decade
    to spare at each end (10^-10 … 10^7 for T = 40).
    """
    T = positive_int("T", T)
    t = np.arange(T + 1)
    w_min, w_max = 0.6, 1.4
    low = 10.0 ** (np.floor(T * np.log10(w_min)) - 1)          # below w_min^T, the lowest point
    high = 10.0 ** (np.ceil(T * np.log10(w_max)) + 1)          # above w_max^T, the highest point
    fig = new_figure(live=live, figsize=(7.2, 2.8))
    ax = fig.add_subplot()
    (line,) = ax.plot(t, np.ones_like(t, dtype=float), marker=".", color=PALETTE["blue"])
    reference_line(ax, 1.0, "wᵗ = 1", inside=True)
    ax.set_yscale("log")
    ax.set_ylim(low, high)
    ax.set_xlim(0, T)
    ax.set_xlabel("t (number of multiplications)")
    ax.set_ylabel("$w^t$")
    fig.subplots_adjust(left=0.13, right=0.97, bottom=0.18, top=0.88)
    slider = w.FloatSlider(value=0.8, min=w_min, max=w_max, step=0.01, description="w",
                           continuous_update=True, readout_format=".2f", layout=_slider_layout())

    def update(w_value: float) -> str:
        values = float(w_value) ** t
        line.set_ydata(values)
        ax.set_title(f"$w^t$ for w = {w_value:.2f}: " + ("fades" if w_value < 1 else
                     "stays" if w_value == 1 else "explodes"))
        return f"w = {w_value:.2f}: after {T} steps wᵗ = {values[-1]:.2e}"

    return LiveFigure(fig, [slider], ["w_value"], update, "w^t against t with a slider for w")


# ----------------------------------------------------------------------------------------------
# Lesson 02: the hidden states, step by step
# ----------------------------------------------------------------------------------------------

def hidden_state_player(h, tokens: Sequence[Sequence[str]], names: Sequence[str],
                        live: bool = True) -> LiveFigure:
    """Step through sequences with a time slider; the states h_1 … h_t appear as heat maps.
    The slider counts steps as the maths does, t = 1 … T. It opens on the last step, so the
    figure shows the whole run before anyone drags (and in a static export).

    Parameters
    ----------
    h : (T, B, H) states from :func:`helpers.rnn.rnn_forward`, B = 1 or 2 sequences
    tokens : B lists of T labels (the token read at each step)
    names : B short names of the sequences (panel titles)
    live : False for an Agg canvas (tests)

    With two sequences the status line reports ‖h_t(A) − h_t(B)‖: zero while the sequences
    agree, nonzero from the first step where they differ.
    """
    h = as_float_array("h", h, ("T", "B", "H"))
    T, B, H = h.shape
    if B not in (1, 2):
        raise ValueError(f"h must hold 1 or 2 sequences, shape (T, B, H) with B in (1, 2); got shape {h.shape}")
    if (not isinstance(tokens, (list, tuple)) or len(tokens) != B
            or any(not isinstance(tok, (list, tuple)) or len(tok) != T for tok in tokens)):
        got = ([len(tok) if isinstance(tok, (list, tuple)) else type(tok).__name__ for tok in tokens]
               if isinstance(tokens, (list, tuple)) else type(tokens).__name__)
        raise ValueError(f"tokens must be {B} lists of {T} labels (one per step), got {got}")
    if not isinstance(names, (list, tuple, str)) or len(names) != B:
        raise ValueError(f"names must be {B} short names (one per sequence), got {names!r:.60}")
    vmax = max(float(np.abs(h).max()), 1e-12)
    fig = new_figure(live=live, figsize=(8.2, 1.0 + 1.5 * B), layout="constrained")
    axes = fig.subplots(B, 1, squeeze=False)[:, 0]
    images, boxes = [], []
    for b, ax in enumerate(axes):
        img = ax.imshow(np.full((H, T), np.nan), cmap=CMAP_DIVERGING, vmin=-vmax, vmax=vmax,
                        aspect="auto", interpolation="nearest")
        box = Rectangle((-0.5, -0.5), 1, H, fill=False, edgecolor="black", linewidth=2, path_effects=halo(2))
        ax.add_patch(box)
        ax.set_xticks(range(T), list(tokens[b]), fontsize=10)
        ax.set_yticks([0, H - 1], ["1", str(H)], fontsize=10)
        ax.set_ylabel("unit")
        ax.grid(False)
        images.append(img)
        boxes.append(box)
    axes[-1].set_xlabel("time step t (the token read at that step)")
    fig.colorbar(images[0], ax=list(axes), label="$h_t$ (unit value)")
    slider = w.IntSlider(value=T, min=1, max=T, description="t", continuous_update=True,
                         layout=_slider_layout())

    def update(t: int) -> str:
        i = t - 1                                               # h_t is the array row h[t - 1]
        for b in range(B):
            shown = np.full((H, T), np.nan)
            shown[:, :t] = h[:t, b].T
            images[b].set_data(shown)
            boxes[b].set_x(i - 0.5)
            axes[b].set_title(f"{names[b]}: states after reading '{tokens[b][i]}' (step {t} of {T})",
                              fontsize=10)
        if B == 1:
            return f"t = {t}: '{tokens[0][i]}', ‖hₜ‖ = {np.linalg.norm(h[i, 0]):.3f}"
        gap = np.linalg.norm(h[i, 0] - h[i, 1])
        return (f"t = {t}: '{tokens[0][i]}' / '{tokens[1][i]}': "
                f"‖hₜ({names[0]}) − hₜ({names[1]})‖ = {gap:.3f}")

    return LiveFigure(fig, [slider], ["t"], update, "hidden states step by step with a time slider")


# ----------------------------------------------------------------------------------------------
# Lesson 02: memory fades
# ----------------------------------------------------------------------------------------------

MEMORY_FLOOR = 1e-300
"""Norms below this are not drawn (they are zero in float64 or indistinguishable from it)."""


def memory_fade(T: int = 50, H: int = 16, seed: int = 0, live: bool = True) -> LiveFigure:
    """Change the first input of a random tanh/linear RNN and watch the change of h_t fade.

    W_hh is a random orthogonal matrix times the slider value λ₁ (every singular value is λ₁);
    x is random (seeded), and the first input x_1 gets a change of norm 1. The measured
    ‖Δh_t‖, t = 1 … T (exact, :func:`helpers.sequences.perturbation_response`), is drawn with
    the line λ₁^(t−1) ‖Δh_1‖: a step can stretch a change by at most λ₁ (and tanh by at most 1 more), so for
    tanh and linear the measurement never rises above this line.
    """
    T = positive_int("T", T, minimum=2)
    H = positive_int("H", H)
    seed = positive_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    D = 1
    x = rng.standard_normal((T, 1, D))
    W_xh = rng.standard_normal((H, D))
    b_h = 0.1 * rng.standard_normal(H)
    delta = np.ones(D)
    t = np.arange(1, T + 1)                                     # maths steps; h_t is h[t - 1]

    fig = new_figure(live=live, figsize=(7.2, 3.2))
    ax = fig.add_subplot()
    (measured,) = ax.plot(t, np.ones(T), marker=".", color=PALETTE["blue"],
                          label=r"measured $\|\Delta h_t\|$")
    (bound,) = ax.plot(t, np.ones(T), linestyle="--", color=PALETTE["black"],
                       label=r"$\lambda_1^{t-1}\,\|\Delta h_1\|$")
    ax.set_yscale("log")
    ax.set_ylim(1e-24, 1e16)
    ax.set_xlim(1, T)
    ax.set_xlabel("time step t (the first input, $x_1$, changed)")
    ax.set_ylabel(r"$\|\Delta h_t\|$")
    ax.legend(loc="upper right")
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.16, top=0.88)
    scale = w.FloatSlider(value=0.8, min=0.5, max=2.0, step=0.01, description="λ₁ of Wₕₕ",
                          continuous_update=True, readout_format=".2f", layout=_slider_layout(),
                          style={"description_width": "80px"})
    activation = w.ToggleButtons(options=["tanh", "linear"], value="tanh", description="φ",
                                 style={"button_width": "70px"})

    def update(scale: float, activation: str) -> str:
        W_hh = recurrent_weights(H, scale, seed=seed + 1)
        norms = np.linalg.norm(perturbation_response(x, W_xh, W_hh, b_h, delta, activation)[:, 0], axis=-1)
        with np.errstate(over="ignore", under="ignore"):
            line = norms[0] * float(scale) ** (t - 1)
        measured.set_ydata(np.where(norms > MEMORY_FLOOR, norms, np.nan))
        bound.set_ydata(line)
        ratio = norms[-1] / norms[0]
        verdict = ("fades" if ratio < 1e-3 else "grows" if ratio > 1e3 else "lingers")
        ax.set_title(f"λ₁ = {scale:.2f}, {activation}: the change at step 1 {verdict}", fontsize=10)
        return (f"λ₁ = {scale:.2f} ({activation}): after {T - 1} steps the change of h is "
                f"{ratio:.1e} × the change at step 1")

    return LiveFigure(fig, [scale, activation], ["scale", "activation"], update,
                      "memory fades: change of h_t after a change of the first input, with a slider for λ₁")
