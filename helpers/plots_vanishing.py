"""Static figures of lesson 04: the phase diagram, non-normal powers, the spectrum of a Gaussian
W_hh, sigmoid saturation, an exploding training run, a vanishing plateau and the feed-forward
comparison.

Each function returns a pyplot Figure sized for a 1280×720 slide; the numbers come from
:mod:`helpers.vanishing` (or from training histories the notebook computed).
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from . import vanishing
from ._validate import (
    as_float_array,
    choice,
    drawable,
    float_arrays,
    instance,
    int_list,
    magnitude,
    mapping,
    non_empty,
    positive_int,
    real,
    received,
)
from ._validate import seed as check_seed
from .activations import get_activation
from .alt import describe, number
from .init import INITS, recurrent_matrix
from .linalg import largest_singular_value, matrix_power_norms, spectrum
from .optim import History
from .style import (
    ACTIVATION_COLORS,
    CMAP_DIVERGING,
    CYCLE,
    INK,
    PALETTE,
    decade_ticks,
    halo,
    reference_line,
)

PHASE_CLIP = 30.0      # decades shown by the phase diagram's colours (beyond: the end colours)


def _crossings(scales: np.ndarray, column: np.ndarray) -> np.ndarray:
    """The scales where log₁₀‖∂h_T/∂h_0‖ (``column``, (S,), over ``scales``) crosses 0, interpolated
    linearly between neighbouring cells as the figure's contour is (cells holding NaN are skipped)."""
    s0, s1, v0, v1 = scales[:-1], scales[1:], column[:-1], column[1:]
    sign_change = np.isfinite(v0) & np.isfinite(v1) & ((v0 < 0) != (v1 < 0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (s0 + (0 - v0) / (v1 - v0) * (s1 - s0))[sign_change]


def _crossing_phrase(scales: np.ndarray, column: np.ndarray) -> str:
    """Where the measured norm of one panel's longest-T row crosses 1, in words."""
    found = _crossings(scales, column)
    if found.size:
        where = [number(s) for s in found]
        return where[0] if len(where) == 1 else ", ".join(where[:-1]) + " and " + where[-1]
    if np.all(np.isnan(column)):
        return "nowhere (overflowed)"
    return "nowhere (above 1 throughout)" if np.nanmin(column) >= 0 else "nowhere (below 1 throughout)"


def plot_phase_diagram(activations: Sequence[str] = vanishing.ACTIVATION_NAMES, scales=None, lengths=None, *,
                       H: int = 32, amplitude: float = 1.0, init: str = "gaussian", seed: int = 0) -> Figure:
    """log₁₀‖∂h_T/∂h_0‖ over (weight scale × sequence length), one panel per activation.

    Colours: blue = vanishing, red = exploding (clipped at ±30 decades). Solid line: γλ₁ = 1 (left
    of it the bound guarantees vanishing); dashed: γρ = 1; green contour: the measured norm = 1
    (all three on white halos, so they show on every colour).
    Grey cells: the forward pass overflowed (the Jacobian is undefined).
    Defaults: 37 scales from 0.1 to 10^1.25 ≈ 18 (log-spaced, 16 a decade; far enough right for
    the sigmoid's measured edge, near 10) and T = 8, 16, …, 200.
    """
    if not isinstance(activations, (list, tuple)) or not activations:
        raise ValueError(f"activations must be a non-empty list of names from {vanishing.ACTIVATION_NAMES}, "
                         f"got {received(activations)}")
    for i, act in enumerate(activations):
        choice(f"activations[{i}]", act, vanishing.ACTIVATION_NAMES)
    scales = np.logspace(-1, 1.25, 37) if scales is None else as_float_array("scales", scales, ("S",))
    if scales.size == 0 or np.any(scales <= 0) or np.any(scales > 1e100):
        got = f"values from {scales.min():g} to {scales.max():g}" if scales.size else "an empty array"
        raise ValueError("scales must be a non-empty array of weight scales in (0, 1e100] (a log axis that stays "
                         f"within float64), got {got}")
    lengths = np.arange(8, 201, 8) if lengths is None else np.array(int_list("lengths", lengths))
    H = positive_int("H", H)
    amplitude = real("amplitude", amplitude, minimum=0.0)
    init = choice("init", init, INITS)
    seed = check_seed("seed", seed)
    fig, axes = plt.subplots(1, len(activations), figsize=(8.6, 3.7), sharey=True, squeeze=False,
                             layout="constrained")
    fig.get_layout_engine().set(wspace=0.06)           # room between neighbouring panels' end ticks
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-PHASE_CLIP, vmax=PHASE_CLIP)
    cmap = plt.get_cmap(CMAP_DIVERGING).with_extremes(bad="0.7")
    # Lines over the colours carry a white halo (black alone vanishes on the darkest blue and red);
    # the measured edge is green, so it never looks like one of the bound's lines.
    edge = {"color": PALETTE["black"], "path_effects": halo(1.6)}
    measured = {"colors": INK["green"], "linewidths": 2.0}
    longest = int(np.argmax(lengths))
    edges = []                                     # (activation, bound's line, measured edge at the longest T)
    for ax, act in zip(axes[0], activations, strict=True):
        grid = vanishing.phase_diagram(act, scales, lengths, H=H, amplitude=amplitude, init=init, seed=seed)
        bound = vanishing.edge_scale(act, H=H, init=init, seed=seed)
        rho_line = vanishing.edge_scale(act, H=H, init=init, seed=seed, which="rho")
        shown = np.clip(grid, -PHASE_CLIP, PHASE_CLIP)           # -inf (exact 0) → darkest blue
        mesh = ax.pcolormesh(scales, lengths, shown.T, cmap=cmap, norm=norm, shading="nearest",
                             rasterized=True)
        finite = np.where(np.isfinite(grid), grid, np.where(np.isnan(grid), np.nan, np.sign(grid) * 1e3))
        edges.append((act, bound, rho_line, finite[:, longest]))
        if np.nanmin(finite) < 0 < np.nanmax(finite):
            contour = ax.contour(scales, lengths, finite.T, levels=[0.0], **measured)
            contour.set_path_effects(halo(2.0))
        ax.axvline(bound, lw=1.6, **edge)
        ax.axvline(rho_line, lw=1.4, ls="--", **edge)
        ax.set_xscale("log")
        ax.set_title(act)
        ax.set_xlabel("weight scale")
        ax.grid(False)
    axes[0, 0].set_ylabel("sequence length T")
    cbar = fig.colorbar(mesh, ax=axes[0].tolist(), extend="both", shrink=0.9, pad=0.01)
    cbar.set_label(r"$\log_{10}\|\partial h_T/\partial h_0\|$")
    handles = [Line2D([], [], lw=1.6, label="γλ₁ = 1", **edge),
               Line2D([], [], lw=1.4, ls="--", label="γρ = 1", **edge),
               Line2D([], [], color=measured["colors"], lw=2.0, path_effects=halo(2.0),
                      label="measured = 1 (contour)")]
    fig.legend(handles=handles, loc="outside lower center", ncol=3)
    fig.suptitle("Blue vanishes, red explodes: the bound's line γλ₁ = 1 is safe, the true edge lies right of it",
                 fontsize=12)
    T = lengths[longest]
    panels = "; ".join(f"{act} {_crossing_phrase(scales, column)} (lines {number(bound)}, {number(rho)})"
                       for act, bound, rho, column in edges)
    right = all(_crossings(scales, column).size and np.all(_crossings(scales, column) > bound)
                for _, bound, _, column in edges)
    alt = (f"{len(activations)} heat map{'s' * (len(activations) > 1)} of log10‖∂h_T/∂h_0‖, weight scale "
           f"{number(scales.min())}–{number(scales.max())} across, T {lengths.min()}–{T} up, blue vanishing, red "
           f"exploding; lines γλ₁ = 1 (solid), γρ = 1 (dashed), measured norm = 1 (green). At T = {T} the norm "
           f"crosses 1 at: {panels}" + (", right of the solid line each time." if right else "."))
    return describe(fig, alt)


def plot_nonnormal_powers(rho: float = 0.95, coupling: float = 10.0, k_max: int = 150) -> Figure:
    """‖A^k‖ against k for the non-normal matrix of :func:`helpers.vanishing.nonnormal_matrix`,
    with ρ^k (what the eigenvalues promise) and σ₁^k (the bound); 0 < ρ < 1, as the title says."""
    rho, coupling = real("rho", rho, positive=True), real("coupling", coupling)
    if rho >= 1:
        raise ValueError(f"rho must be below 1 (the figure shows powers that fade in the end), got {rho:g}")
    k_max = positive_int("k_max", k_max)
    A = vanishing.nonnormal_matrix(rho, coupling)
    k = np.arange(k_max + 1)
    norms = matrix_power_norms(A, k_max)
    sigma1 = largest_singular_value(A)
    fig, ax = plt.subplots(figsize=(8, 3.4), layout="constrained")
    ax.set_yscale("log")                 # the axis first: data near float64's end cannot push its margins beyond
    ax.set_ylim(1e-4, 1e4)
    ax.plot(k, norms, color=PALETTE["blue"], lw=2.2, label=r"$\|A^k\|_2$ (measured)")
    rho_k, sigma1_k = vanishing.bound_curve(rho, k), vanishing.bound_curve(sigma1, k)
    ax.plot(k, rho_k, color=PALETTE["green"], lw=1.6, ls="--", label=rf"$\rho^k$, ρ = {rho:g}")
    ax.plot(k, sigma1_k, color=PALETTE["black"], lw=1.2, ls=":",
            label=rf"$\sigma_1^k$, σ₁ = {sigma1:.3g}")
    peak = int(np.argmax(norms))
    ax.plot(peak, norms[peak], "o", color=PALETTE["vermillion"])
    ax.annotate(f"peak {norms[peak]:.0f} at k = {peak}", (peak, norms[peak]), xytext=(10, 8),
                textcoords="offset points", color=PALETTE["vermillion"])
    reference_line(ax, 1.0)
    ax.set_xlim(0, k_max)
    ax.set_xlabel("k (power)")
    ax.set_ylabel("norm")
    ax.legend(loc="upper right")
    matrix = rf"$A = \genfrac{{(}}{{)}}{{0}}{{0}}{{{rho:g}\quad {coupling:g}}}{{0\quad\ \ {rho:g}}}$"
    ax.set_title(f"{matrix}: ρ(A) = {rho:g} < 1, yet ‖Aᵏ‖ first grows {norms[peak]:.0f}×")
    alt = (f"Log-scale chart of ‖A^k‖ for k = 0 … {k_max}, A = [[{rho:g}, {coupling:g}], [0, {rho:g}]], with ρ^k "
           f"(ρ = {rho:g}) and σ₁^k (σ₁ = {sigma1:.3g}): although ρ < 1 the norm first grows to {number(norms[peak])} "
           f"at k = {peak}, then falls to {number(norms[-1])} at k = {k_max}, where ρ^k is {number(rho_k[-1])} and "
           f"σ₁^k {number(sigma1_k[-1])}.")
    return describe(fig, alt)


def plot_gaussian_spectrum(H: int = 400, seed: int = 0) -> Figure:
    """Eigenvalues and singular values of one Gaussian W_hh (entries N(0, 1/H)).

    Left: the eigenvalues fill the unit disc (circular law; Girko 1984, Bai 1997) and ρ → 1
    (Geman 1986). Right: the singular values follow the quarter-circle density √(4 − s²)/π on
    [0, 2] (Marchenko & Pastur, 1967, for a square matrix) and σ₁ → 2 (Geman 1980), so σ₁ ≈ 2
    while ρ ≈ 1.
    """
    H, seed = positive_int("H", H), check_seed("seed", seed)
    ev, sv = spectrum(recurrent_matrix(H, 1.0, "gaussian", seed))
    rho, s1 = float(np.abs(ev).max()), float(sv[0])
    fig, (ax_e, ax_s) = plt.subplots(1, 2, figsize=(8, 3.5), layout="constrained",
                                     gridspec_kw={"width_ratios": [1, 1.4]})
    circle = np.exp(1j * np.linspace(0, 2 * np.pi, 200))
    ax_e.scatter(ev.real, ev.imag, s=4, color=PALETTE["blue"], label="eigenvalues")
    ax_e.plot(circle.real, circle.imag, color="0.4", lw=1.2, label="unit circle")
    ax_e.plot(s1 * circle.real, s1 * circle.imag, color=PALETTE["black"], lw=1.2, ls=":", label="radius σ₁")
    ax_e.set_aspect("equal")
    ax_e.set_xlim(-2.2, 2.2)
    ax_e.set_ylim(-2.2, 2.2)
    ax_e.set_xlabel("Re λ")
    ax_e.set_ylabel("Im λ")
    ax_e.set_title(f"eigenvalues: ρ = {rho:.2f}")
    ax_e.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), handlelength=1.2, borderaxespad=0.2)
    s = np.linspace(0, 2, 200)
    ax_s.hist(sv, bins=22, range=(0, 2.2), density=True, color=PALETTE["sky"], label="singular values")
    ax_s.plot(s, np.sqrt(4 - s * s) / np.pi, color=PALETTE["black"], lw=1.6, label=r"$\sqrt{4-s^2}/\pi$")
    # The two marks stop short of the top, which holds the legend.
    ax_s.axvline(rho, ymax=0.66, color=PALETTE["green"], lw=1.6, ls="--", label=f"ρ = {rho:.2f}")
    ax_s.axvline(s1, ymax=0.66, color=PALETTE["vermillion"], lw=1.6, label=f"σ₁ = {s1:.2f}")
    ax_s.set_xlabel("singular value s")
    ax_s.set_ylabel("density")
    ax_s.set_title(f"singular values: σ₁ = {s1:.2f} ≈ 2ρ")
    ax_s.set_ylim(0, 1.05)
    ax_s.legend(loc="upper center", ncol=2, borderaxespad=0.1, columnspacing=1.0)
    fig.suptitle(f"One Gaussian $W_{{hh}}$ ({H}×{H}, entries N(0, 1/{H})): the norm is twice the spectral radius",
                 fontsize=11)
    inside = np.mean(np.abs(ev) <= 1.0)
    alt = (f"Two panels for one Gaussian W_hh, {H} × {H} with entries N(0, 1/{H}): a scatter of its eigenvalues, "
           f"{inside:.0%} of them inside the unit circle, spectral radius ρ = {rho:.2f}; a histogram of its singular "
           f"values against the quarter circle √(4 − s²)/π, the largest σ₁ = {s1:.2f}: the norm is "
           f"{number(s1 / rho, 3)} times the spectral radius.")
    return describe(fig, alt)


def plot_sigmoid_saturation(z_max: float = 12.0) -> Figure:
    """σ and its derivative (with tanh' for comparison), linear and on a log axis: σ' ≤ 1/4 at
    best, and σ'(±10) ≈ 4.5e-5. The z axis spans [−z_max, z_max], 0 < z_max <= 1e300."""
    z_max = drawable("z_max", real("z_max", z_max, positive=True))
    z = np.linspace(-z_max, z_max, 481)
    sig, tanh = get_activation("sigmoid"), get_activation("tanh")
    fig, (ax_l, ax_r) = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
    # One style per quantity in both panels: derivatives solid (σ′ bold), the function thin and dashed.
    sig_df = {"color": ACTIVATION_COLORS["sigmoid"], "lw": 2.2, "label": "σ′(z)"}
    tanh_df = {"color": ACTIVATION_COLORS["tanh"], "lw": 1.4, "label": "tanh′(z)"}
    ax_l.plot(z, sig.f(z), color=ACTIVATION_COLORS["sigmoid"], lw=1.2, ls="--", label="σ(z)")
    ax_l.plot(z, sig.df(z), **sig_df)
    ax_l.plot(z, tanh.df(z), **tanh_df)
    ax_l.axhline(0.25, color="0.5", lw=0.8, ls=":")
    ax_l.text(-z_max, 0.27, "σ′ ≤ 1/4", fontsize=10, color="0.3")
    ax_l.set_xlabel("net input z")
    ax_l.set_ylabel("value")
    ax_l.set_title("σ′ is at most 1/4, at z = 0")
    ax_l.legend(loc="center left")
    ax_r.semilogy(z, sig.df(z), **sig_df)
    ax_r.semilogy(z, tanh.df(z), **tanh_df)
    for zz in (-10.0, 10.0):
        d = float(sig.df(zz))
        ax_r.plot(zz, d, "o", color=PALETTE["black"])
        # The label sits in the empty corner above the point, clear of both curves.
        sign = "−" if zz < 0 else "+"
        ax_r.annotate(f"σ′({sign}{abs(zz):.0f})\n= {d:.1e}", (zz, d), xytext=(np.sign(zz) * (z_max - 0.3), 0.05),
                      ha="left" if zz < 0 else "right", va="bottom", fontsize=10,
                      arrowprops={"arrowstyle": "->", "lw": 0.8})
    ax_r.set_xlabel("net input z")
    ax_r.set_ylabel("derivative (log scale)")
    ax_r.set_title("saturated: σ′ all but vanishes")
    ax_r.legend(loc="lower center")
    alt = (f"Two panels of σ′(z) and tanh′(z) for z from {number(-z_max)} to {number(z_max)} (with σ on the left), "
           f"linear and on a log axis: σ′ is at most {number(sig.df(0.0))}, at z = 0, where tanh′ is "
           f"{number(tanh.df(0.0))}; saturated it all but vanishes, σ′(±10) = {number(sig.df(10.0))} and "
           f"σ′(±{number(z_max)}) = {number(sig.df(z_max))}.")
    return describe(fig, alt)


def _histories(name: str, histories) -> Mapping[str, History]:
    """A non-empty dict {label: History from helpers.optim.train_sgd}."""
    mapping(name, histories, "training runs {label: History from helpers.optim.train_sgd}")
    for label, hist in histories.items():
        instance(f"{name}[{label!r}]", hist, History, "a History from helpers.optim.train_sgd")
    return histories


def _stop_label(message: str) -> str:
    """What stopped a diverged run, from the trainer's message: "inf: stopped" when the loss became
    inf, "NaN: stopped" when it became NaN, "gradient inf: stopped" for the gradient's norm, "weight
    inf/NaN: stopped" when an update made a weight so, else "stopped"."""
    found = re.search(r"the (loss|gradient norm) became (-?inf|nan)\b", message)
    if found:
        value = {"inf": "inf", "-inf": "−inf", "nan": "NaN"}[found[2]]
        return f"{value}: stopped" if found[1] == "loss" else f"gradient {value}: stopped"
    return "weight inf/NaN: stopped" if "made a weight" in message else "stopped"


def _mark_stop(ax, history: History, color: str) -> None:
    """An ✕ one step after the last recorded loss of a diverged run, labelled with what stopped it
    (:func:`_stop_label` of the History's message: "inf: stopped" when the loss overflowed)."""
    if history.status != "diverged":
        return
    step = len(history.loss)
    y = history.loss[-1] if len(history.loss) else 1.0
    ax.plot(step, y, marker="X", ms=11, color=color, ls="none", zorder=5)
    ax.annotate(_stop_label(str(history.message)), (step, y), xytext=(8, -4), textcoords="offset points",
                color=color, fontsize=10, va="top")


def plot_exploding_run(histories: Mapping[str, History], steps_shown: int | None = None) -> Figure:
    """Loss and gradient norm per step for a few training runs (log axes); a run that the trainer
    stopped on NaN/inf ends in a labelled ✕. When a run diverged, the runs whose loss stayed within
    10× of its start are drawn again in an inset on a linear scale (beside 10¹⁰⁰ they are flat)."""
    histories = _histories("histories", histories)
    if steps_shown is not None:
        steps_shown = positive_int("steps_shown", steps_shown)
    fig, (ax_l, ax_g) = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
    for (label, hist), color in zip(histories.items(), CYCLE, strict=False):
        steps = np.arange(len(hist.loss))
        ax_l.semilogy(steps, hist.loss, color=color, lw=1.6, marker=".", ms=4, label=label)
        ax_g.semilogy(steps, hist.grad_norm, color=color, lw=1.6, marker=".", ms=4, label=label)
        _mark_stop(ax_l, hist, color)
    for ax in (ax_l, ax_g):
        ax.set_xlabel("training step")
        if steps_shown is not None:
            ax.set_xlim(-1, steps_shown)
        decade_ticks(ax)
    ax_l.set_ylabel("loss (log scale)")
    ax_g.set_ylabel("‖gradient‖ (log scale)")
    ax_l.set_title("the loss jumps by orders of magnitude")
    ax_g.set_title("because the gradient does")
    ax_l.legend(loc="upper right")
    # Next to a run that reached 10¹⁰⁰, a healthy run is a flat line at the bottom: when some run
    # diverged, the runs whose loss stayed within 10× of its start are shown again on a linear scale.
    kept = [(label, hist, color) for (label, hist), color in zip(histories.items(), CYCLE, strict=False)
            if hist.status != "diverged" and len(hist.loss) and np.max(hist.loss) <= 10 * hist.loss[0]]
    inset_drawn = bool(kept) and any(hist.status == "diverged" for hist in histories.values())
    if inset_drawn:
        inset = ax_l.inset_axes([0.36, 0.26, 0.6, 0.34])
        for _, hist, color in kept:
            inset.plot(np.arange(len(hist.loss)), hist.loss, color=color, lw=1.4)
        if steps_shown is not None:
            inset.set_xlim(-1, steps_shown)
        inset.set_ylim(bottom=0)
        inset.yaxis.set_major_locator(MaxNLocator(3))
        inset.xaxis.set_major_locator(MaxNLocator(3, integer=True))
        inset.tick_params(labelsize=10)
        inset.set_title(", ".join(label for label, _, _ in kept) + ", linear scale", fontsize=10, pad=3)
    runs = []
    for label, hist in histories.items():
        drawn = slice(None if steps_shown is None else steps_shown + 1)          # the steps within the x axis
        loss, grad = (np.asarray(a, dtype=float)[drawn] for a in (hist.loss, hist.grad_norm))
        loss, grad = loss[np.isfinite(loss)], grad[np.isfinite(grad)]
        if not loss.size:
            runs.append(f"{label} has no finite loss")
            continue
        if hist.status == "diverged":
            run = f"{label}: loss {number(loss[0])} → {number(loss[-1])}"
        else:                                      # the steps drawn; a single noisy step would mislead
            shown = loss[-20:]
            run = (f"{label}: loss {number(loss[0])}, then {number(np.mean(shown))} on average over the last "
                   f"{shown.size} step{'s' * (shown.size > 1)} shown")
        if grad.size:
            run += f", gradient norm up to {number(grad.max())}"
        if hist.status == "diverged":
            stop = _stop_label(str(hist.message))
            run += f", stopped after {len(hist.loss)} step{'s' * (len(hist.loss) > 1)}"
            run += f" on {stop.removesuffix(': stopped')}" if stop != "stopped" else ""
        runs.append(run)
    alt = (f"Two log-scale panels, the loss and the gradient norm per training step, one line per run: "
           f"{'; '.join(runs)}."
           + (f" An inset shows {', '.join(label for label, _, _ in kept)} on a linear scale." if inset_drawn else ""))
    return describe(fig, alt)


def plot_vanishing_plateau(histories: Mapping[str, History], chance: float,
                           input_grads: Mapping[str, np.ndarray]) -> Figure:
    """Left: training loss of a few runs against the chance level (the grey dashed reference; a
    plateau there is silent).
    Right: ‖∂L/∂x_t‖ against the number of steps between x_t and the target (log axis), from
    :func:`helpers.vanishing.input_gradient_norms`."""
    histories = _histories("histories", histories)
    chance = real("chance", chance, positive=True)
    input_grads = float_arrays("input_grads", input_grads, "curves {label: (T,) norms ‖∂L/∂x_t‖}")
    fig, (ax_l, ax_g) = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
    for (label, hist), color in zip(histories.items(), CYCLE, strict=False):
        ax_l.plot(np.arange(len(hist.loss)), hist.loss, color=color, lw=1.4, label=label)
    reference_line(ax_l, chance, "chance", inside=True)
    ax_l.set_xlabel("training step")
    ax_l.set_ylabel("loss")
    ax_l.set_title("no error, no NaN: the long run just stays at chance", fontsize=10)
    ax_l.legend()
    for (label, g), color in zip(input_grads.items(), CYCLE[2:], strict=False):
        back = np.arange(g.size)[::-1]
        ax_g.semilogy(back, np.where(g > 0, g, np.nan), color=color, lw=1.8, marker=".", ms=4, label=label)
    ax_g.set_xlabel("steps between input x_t and the target")
    ax_g.set_ylabel(r"$\|\partial L/\partial x_t\|$ (log scale)")
    ax_g.set_title("the gradient from distant inputs is ~0", fontsize=10)
    ax_g.legend()
    ends = "; ".join(f"{label}: {number(np.mean(hist.loss[-20:]), 3)}" for label, hist in histories.items()
                     if len(hist.loss))
    grads = "; ".join(f"{label}: {number(g[-1])} next to it, {number(g[0])} at {g.size - 1} steps"
                      for label, g in input_grads.items())
    alt = (f"Left: training loss per step against the chance level {number(chance, 3)}, the mean of the last 20 "
           f"steps being {ends}. Right, log scale: ‖∂L/∂x_t‖ against the steps between x_t and the target: "
           f"{grads}.")
    return describe(fig, alt)


LOG_NORM_LIMIT = 1e100
"""The largest |finite log₁₀ norm| :func:`plot_feedforward_vs_recurrent` draws (no gradient of
float64 numbers comes near it); beyond it, ±inf."""


def _depth_runs(results) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{title: (feedforward, recurrent)}, each (trials, L + 1) of log₁₀ norms, depth 0 … L with L >= 1;
    −inf (a gradient exactly 0) and inf (one beyond float64) allowed, NaN not."""
    mapping("results", results, "panels {title: (feedforward, recurrent) from feedforward_vs_recurrent}")
    out = {}
    for title, pair in results.items():
        name = f"results[{title!r}]"
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"{name} must be the pair (feedforward, recurrent) of arrays of shape (trials, L + 1), "
                             f"got {received(pair)}")
        ff, rnn = (magnitude(f"{name}[{i}]", non_empty(f"{name}[{i}]", as_float_array(
                       f"{name}[{i}]", a, ("trials", "L + 1"), finite=False)), LOG_NORM_LIMIT,
                       "they are log₁₀ norms; −inf stands for a gradient exactly 0, inf for one beyond float64")
                   for i, a in enumerate(pair))
        if ff.shape[1] != rnn.shape[1] or ff.shape[1] < 2:
            raise ValueError(f"{name}'s feedforward and recurrent arrays must cover the same depths 0 … L, L >= 1 "
                             f"(shape (trials, L + 1)); got shapes {ff.shape} and {rnn.shape}")
        out[title] = ff, rnn
    return out


def _percentiles(data: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """np.percentile(data, q, axis=0) where ±inf entries (exact zero and overflowed norms) count as
    below (above) every finite one: a percentile that interpolates towards one of them is that
    infinity, not the NaN numpy gives for inf − inf. Unchanged (bit for bit) on finite data."""
    if np.all(np.isfinite(data)):
        return np.percentile(data, q, axis=0)
    # Stand-ins far beyond every finite entry (those are within LOG_NORM_LIMIT): interpolating
    # towards one lands beyond 1e200, which is read back as the infinity.
    out = np.percentile(np.clip(data, -1e300, 1e300), q, axis=0)
    return np.where(out > 1e200, np.inf, np.where(out < -1e200, -np.inf, out))


def plot_feedforward_vs_recurrent(results: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> Figure:
    """Median and 10–90 % band over trials of log₁₀‖∂h_L/∂h_0‖ against depth, for a feed-forward
    stack (new W each layer; black, band hatched on top) and an RNN (one W_hh; blue, band shaded),
    one panel per entry of ``results`` (title → the pair returned by
    :func:`helpers.vanishing.feedforward_vs_recurrent`). A median or band edge at −inf (the
    gradient is exactly 0, as relu units that all stopped firing give) is drawn on the bottom edge
    of its panel, and +inf (beyond float64) on the top edge; medians there are marked ▼ or ▲,
    explained in the legend."""
    results = _depth_runs(results)
    fig, axes = plt.subplots(1, len(results), figsize=(8, 3.8), layout="constrained", squeeze=False)
    ends = []                                       # per panel, at the deepest L: (lo, median, hi) of each
    marks = {"v": False, "^": False}                    # medians drawn on an edge, in any panel
    for ax, (title, (ff, rnn)) in zip(axes[0], results.items(), strict=True):
        depth = np.arange(ff.shape[1])
        curves = [_percentiles(data, [10, 50, 90]) for data in (ff, rnn)]
        ends.append((title, depth[-1], *(c[:, -1] for c in curves)))
        finite = np.concatenate([c[np.isfinite(c)] for c in curves])
        edges = None
        if not all(np.all(np.isfinite(c)) for c in curves):      # room for the infinities at the edges
            low, high = (finite.min(), finite.max()) if finite.size else (0.0, 0.0)
            pad = 0.08 * (high - low) if high > low else 1.0
            edges = (low - pad, high + pad)
        # The RNN's band is shaded; the feed-forward band is hatched on top, so neither hides the other.
        for (lo, mid, hi), label, color, band in (
                (curves[0], "feed-forward, new W each layer (hatched)", PALETTE["black"],
                 {"facecolor": "none", "edgecolor": PALETTE["black"], "hatch": "////", "lw": 0.8, "zorder": 2.5}),
                (curves[1], "RNN, the same W every step (shaded)", PALETTE["blue"],
                 {"color": PALETTE["blue"], "alpha": 0.25, "lw": 0, "zorder": 1})):
            if edges is not None:
                lo, mid, hi = (np.clip(c, *edges) for c in (lo, mid, hi))
            ax.fill_between(depth, lo, hi, **band)
            ax.plot(depth, mid, color=color, lw=2, label=label, zorder=3)
            for edge, marker in zip(edges or (), "v^", strict=False):       # (none without edges)
                at = mid == edge
                if at.any():
                    ax.plot(depth[at], mid[at], ls="none", marker=marker, ms=7, color=color, zorder=4)
                    marks[marker] = True
        if edges is not None:
            ax.set_ylim(*edges)
        ax.set_title(title, fontsize=11)
        ax.set_xlabel("depth L (layers or time steps)")
        ax.set_xlim(0, depth[-1])
    axes[0, 0].set_ylabel(r"$\log_{10}\|\partial h_L/\partial h_0\|$")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    for marker, label in (("v", "median −inf (gradient exactly 0), on the bottom edge"),
                          ("^", "median inf (beyond float64), on the top edge")):
        if marks[marker]:
            handles.append(Line2D([], [], ls="none", marker=marker, ms=7, color=INK["black"]))
            labels.append(label)
    fig.legend(handles, labels, loc="outside lower center", ncol=2,
               title="median, and 10–90 % band over random draws", title_fontsize=10)
    fig.suptitle("Both vanish; but the RNN reuses one W at every step, so its spread grows with depth",
                 fontsize=12)

    def spread(lo, mid, hi):
        return f"{mid:.1f} ({lo:.1f} to {hi:.1f})"

    panels = "; ".join(f"{title}, L = {L}: feed-forward {spread(*ff_end)}, RNN {spread(*rnn_end)}"
                       for title, L, ff_end, rnn_end in ends)
    def width(lo, _, hi):                           # in decades; an edge at ±inf on both sides is no band
        return 0.0 if lo == hi else hi - lo

    wider = sum(width(*rnn_end) > width(*ff_end) for _, _, ff_end, rnn_end in ends)
    alt = (f"{len(ends)} panel{'s' * (len(ends) > 1)} of log10‖∂h_L/∂h_0‖ against depth L, median and 10–90 % band of "
           f"random draws, for a feed-forward stack (new W each layer) and an RNN (one W every step); median (band): "
           f"{panels}. The RNN's band is the wider in {wider} of {len(ends)} panels.")
    return describe(fig, alt)
