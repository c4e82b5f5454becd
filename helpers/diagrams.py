"""Matplotlib drawings of RNN architectures for lessons 01–02.

Each function returns a pyplot Figure (the notebook's inline backend shows it at the end of the
cell). Inputs are drawn in sky blue, hidden states in blue, outputs in orange, the same in every
drawing; arrows carry the name of the weight matrix they stand for.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from ._validate import positive_int
from .alt import describe
from .style import PALETTE

NODE_COLORS = {"x": PALETTE["sky"], "h": PALETTE["blue"], "y": PALETTE["orange"]}
_SIZE = 0.56            # side of a node, in data units (columns are 1 apart)


def _node(ax: Axes, xy: tuple[float, float], label: str, kind: str) -> FancyBboxPatch:
    """A rounded square centred at ``xy`` with a mathtext label; kind "x", "h" or "y"."""
    x, y = xy
    patch = FancyBboxPatch((x - _SIZE / 2, y - _SIZE / 2), _SIZE, _SIZE,
                           boxstyle="round,pad=0.02,rounding_size=0.12",
                           facecolor=NODE_COLORS[kind], edgecolor="black", linewidth=0.8,
                           alpha=0.9 if kind == "h" else 1.0, zorder=2)
    ax.add_patch(patch)
    ax.text(x, y, label, ha="center", va="center", fontsize=10, zorder=3,
            color="white" if kind == "h" else "black")
    return patch


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], label: str = "",
           *, rad: float = 0.0, label_offset: tuple[float, float] = (0.0, 0.0),
           color: str = "black") -> FancyArrowPatch:
    """An arrow between the edges of two nodes centred at ``start`` and ``end``."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    # distance from a node's centre to its edge along the arrow (a square of side _SIZE)
    reach = _SIZE / 2 / max(abs(dx), abs(dy)) + 0.02
    tail = (start[0] + reach * dx, start[1] + reach * dy)
    head = (end[0] - reach * dx, end[1] - reach * dy)
    arrow = FancyArrowPatch(tail, head, arrowstyle="-|>", mutation_scale=9, linewidth=1.0,
                            color=color, shrinkA=0, shrinkB=0,
                            connectionstyle=f"arc3,rad={rad}", zorder=1)
    ax.add_patch(arrow)
    if label:
        mx = (start[0] + end[0]) / 2 + label_offset[0]
        my = (start[1] + end[1]) / 2 + label_offset[1]
        ax.text(mx, my, label, ha="center", va="center", fontsize=10, color=color,
                bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"},
                zorder=3)
    return arrow


def _self_loop(ax: Axes, xy: tuple[float, float], label: str) -> FancyArrowPatch:
    """A loop leaving the right side of the node at ``xy`` and re-entering it from above."""
    x, y = xy
    h = _SIZE / 2
    loop = Path([(x + h, y), (x + 1.1, y), (x + 0.12, y + 1.0), (x + 0.12, y + h + 0.02)],
                [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
    arrow = FancyArrowPatch(path=loop, arrowstyle="-|>", mutation_scale=9, linewidth=1.0,
                            color=PALETTE["vermillion"], zorder=1)
    ax.add_patch(arrow)
    if label:
        ax.text(x + 0.62, y + 0.55, label, ha="left", va="center", fontsize=10,
                color=PALETTE["vermillion"])
    return arrow


def _frame(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")


# ----------------------------------------------------------------------------------------------
# The four kinds of sequence models, after one to one for comparison
# ----------------------------------------------------------------------------------------------

# (title, input steps, output steps, encoder-decoder?, shapes, example)
SEQUENCE_MODEL_KINDS = (
    ("one to one", 1, 1, False, "x (B, D) → y (B, K)", "image classification\n(no sequence at all)"),
    ("one to many", 1, 3, False, "x (B, D) → y (T, B, K)", "image captioning,\nmusic generation"),
    ("many to one", 3, 1, False, "x (T, B, D) → y (B, K)", "sentiment analysis"),
    ("many to many\n(equal lengths)", 3, 3, False, "x (T, B, D) → y (T, B, K)", "named-entity\nrecognition"),
    ("many to many\n(unequal lengths)", 3, 2, True, "x (T, B, D) → y (T′, B, K)", "translation"),
)


def _steps(T: int) -> str:
    """``T`` steps in words: "1 step", "4 steps"."""
    return f"{T} step{'s' * (T > 1)}"


def _chain(T: int) -> str:
    """The states along time, h_0 → … → h_T, written out in full up to T = 3."""
    shown = range(T + 1) if T <= 3 else (0, 1, None, T)
    return " → ".join("…" if t is None else f"h_{t}" for t in shown)


def _every(T: int) -> str:
    """Every one of the ``T`` steps drawn, in words: "its one step", "both steps", "all 4 steps"."""
    return {1: "its one step", 2: "both steps"}.get(T, f"all {T} steps")


def draw_sequence_model_kinds() -> Figure:
    """One to one (no sequence, for comparison), then the four kinds of sequence models: one to
    many, many to one, and many to many with equal or unequal lengths; one panel each.

    Each panel shows inputs (bottom), hidden states (middle) and outputs (top) over time, with
    the shapes of x and y in the course's time-major layout and an example task.
    """
    widths = [max(n_in + n_out if enc else max(n_in, n_out), 2) + 0.9
              for _, n_in, n_out, enc, _, _ in SEQUENCE_MODEL_KINDS]
    fig, axes = plt.subplots(1, len(SEQUENCE_MODEL_KINDS), figsize=(10.0, 3.2), width_ratios=widths)
    kinds = zip(axes, widths, SEQUENCE_MODEL_KINDS, strict=True)
    for ax, width, (title, n_in, n_out, enc_dec, shapes, example) in kinds:
        if enc_dec:                      # read n_in inputs, then write n_out outputs
            steps = n_in + n_out
            ins = list(range(n_in))
            outs = list(range(n_in, steps))
        else:
            steps = max(n_in, n_out)
            ins = list(range(n_in))
            outs = list(range(steps - n_out, steps)) if n_out < steps else list(range(steps))
        for t in range(steps):
            _node(ax, (t, 1), f"$h_{t + 1}$", "h")
            if t:
                _arrow(ax, (t - 1, 1), (t, 1), color=PALETTE["vermillion"])
        for t in ins:
            _node(ax, (t, 0), f"$x_{t + 1}$", "x")
            _arrow(ax, (t, 0), (t, 1))
        for t in outs:
            _node(ax, (t, 2), f"$\\hat{{y}}_{t + 1}$", "y")
            _arrow(ax, (t, 1), (t, 2))
        centre = (width - 0.9 - 1) / 2
        _frame(ax, (centre - width / 2, centre + width / 2), (-1.7, 2.5))
        ax.set_title(title, fontsize=11)
        ax.text(centre, -0.55, shapes, ha="center", va="top", fontsize=9.5)
        ax.text(centre, -1.1, example, ha="center", va="top", fontsize=10, style="italic")
    fig.suptitle("One to one, then four kinds of sequence models: where the inputs enter and the outputs leave",
                 fontsize=12)
    fig.subplots_adjust(left=0.01, right=0.99, wspace=0.08, top=0.86, bottom=0.0)
    panels = "; ".join(f"{' '.join(title.split())} {n_in} → {n_out}, e.g. {' '.join(example.split())}"
                       for title, n_in, n_out, _, _, example in SEQUENCE_MODEL_KINDS)
    alt = (f"{len(SEQUENCE_MODEL_KINDS)} diagrams of an RNN over time (inputs x bottom, states h middle, outputs ŷ "
           f"top), inputs → outputs: {panels}.")
    return describe(fig, alt)


# ----------------------------------------------------------------------------------------------
# Feed-forward against recurrent, the unrolled graph, a stacked RNN
# ----------------------------------------------------------------------------------------------

def draw_feedforward_vs_recurrent() -> Figure:
    """A feed-forward layer (x → h → y) beside a recurrent one (the same, plus h's loop to itself).

    The loop W_hh feeds h_{t-1} into the computation of h_t: the state is the network's memory.
    """
    fig, (ax_ff, ax_rnn) = plt.subplots(1, 2, figsize=(6.0, 3.2))
    for ax, recurrent in ((ax_ff, False), (ax_rnn, True)):
        _node(ax, (0, 0), "$x$" if not recurrent else "$x_t$", "x")
        _node(ax, (0, 1.3), "$h$" if not recurrent else "$h_t$", "h")
        _node(ax, (0, 2.6), r"$\hat{y}$" if not recurrent else r"$\hat{y}_t$", "y")
        _arrow(ax, (0, 0), (0, 1.3), "$W_{xh}$")
        _arrow(ax, (0, 1.3), (0, 2.6), "$W_{hy}$")
        if recurrent:
            _self_loop(ax, (0, 1.3), "$W_{hh}$: $h_{t-1}$\ninto $h_t$")
        _frame(ax, (-1.4, 1.8), (-0.5, 3.1))
    ax_ff.set_title("feed-forward: each input on its own", fontsize=11)
    ax_rnn.set_title("recurrent: the state loops back", fontsize=11)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.88, bottom=0.02)
    alt = ("Two diagrams. Feed-forward: x → h → ŷ through W_xh and W_hy, each input on its own. Recurrent: "
           "the same x_t → h_t → ŷ_t, plus a loop W_hh from h_t back into itself that feeds h_(t−1) into h_t: "
           "the state loops back and carries the past.")
    return describe(fig, alt)


def draw_unrolled(T: int = 4) -> Figure:
    """The recurrent layer folded (left) and unrolled over ``T`` steps (right).

    The unrolled graph is a deep feed-forward network with one layer per time step, in which
    every step uses the same W_xh, W_hh and W_hy (weight sharing).
    """
    T = positive_int("T", T)
    if T > 8:
        raise ValueError(f"T must be at most 8 to fit on a slide, got {T}")
    fig, (ax_fold, ax_unroll) = plt.subplots(1, 2, figsize=(8.0, 3.4), width_ratios=(1.2, T + 1.2))
    _node(ax_fold, (0, 0), "$x_t$", "x")
    _node(ax_fold, (0, 1.3), "$h_t$", "h")
    _node(ax_fold, (0, 2.6), r"$\hat{y}_t$", "y")
    _arrow(ax_fold, (0, 0), (0, 1.3))
    _arrow(ax_fold, (0, 1.3), (0, 2.6))
    _self_loop(ax_fold, (0, 1.3), "")
    _frame(ax_fold, (-0.5, 1.0), (-0.5, 3.1))
    ax_fold.text(1.05, 1.3, "=", fontsize=20, ha="center", va="center")

    _node(ax_unroll, (0, 1.3), "$h_0$", "h")
    for t in range(1, T + 1):
        _node(ax_unroll, (t, 0), f"$x_{t}$", "x")
        _node(ax_unroll, (t, 1.3), f"$h_{t}$", "h")
        _node(ax_unroll, (t, 2.6), f"$\\hat{{y}}_{t}$", "y")
        _arrow(ax_unroll, (t, 0), (t, 1.3), "$W_{xh}$")
        _arrow(ax_unroll, (t, 1.3), (t, 2.6), "$W_{hy}$")
        _arrow(ax_unroll, (t - 1, 1.3), (t, 1.3), "$W_{hh}$", label_offset=(0, 0.22),
               color=PALETTE["vermillion"])
    _frame(ax_unroll, (-0.5, T + 0.6), (-0.5, 3.1))
    ax_unroll.set_title(f"unrolled over T = {T} steps: the same three matrices at every step", fontsize=11)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.88, bottom=0.02, wspace=0.05)
    alt = (f"The recurrent layer folded (x_t → h_t → ŷ_t with a loop on h_t) equals the RNN unrolled over T = "
           f"{_steps(T)}: {_chain(T)} along {T} W_hh arrow{'s' * (T > 1)}, each h_t fed by x_t through W_xh and "
           f"feeding ŷ_t through W_hy; the same three matrices at {_every(T)}.")
    return describe(fig, alt)


def draw_stacked_rnn(T: int = 4) -> Figure:
    """Two recurrent layers stacked: layer 1 reads x_t, layer 2 reads layer 1's state h¹_t.

    Each layer has its own W_xh, W_hh, b_h (shared over time within the layer); every arrow is
    labelled, so the sharing shows.
    """
    T = positive_int("T", T)
    if T > 8:
        raise ValueError(f"T must be at most 8 to fit on a slide, got {T}")
    dx, dy = 1.6, 1.15                      # wide columns: room for a label beside every arrow
    fig, ax = plt.subplots(figsize=(8.0, 4.3))
    beside = (0.42, 0.0)                    # labels of upward arrows: right of the arrow
    above = (0.0, 0.3)                      # labels of arrows along time: above the arrow
    for layer in (1, 2):
        _node(ax, (0, layer * dy), f"$h^{{({layer})}}_0$", "h")
    for t in range(1, T + 1):
        x = t * dx
        _node(ax, (x, 0), f"$x_{t}$", "x")
        _arrow(ax, (x, 0), (x, dy), "$W^{(1)}_{xh}$", label_offset=beside)
        for layer in (1, 2):
            y = layer * dy
            _node(ax, (x, y), f"$h^{{({layer})}}_{t}$", "h")
            _arrow(ax, (x - dx, y), (x, y), f"$W^{{({layer})}}_{{hh}}$", label_offset=above,
                   color=PALETTE["vermillion"])
        _arrow(ax, (x, dy), (x, 2 * dy), "$W^{(2)}_{xh}$", label_offset=beside)
        _node(ax, (x, 3 * dy), f"$\\hat{{y}}_{t}$", "y")
        _arrow(ax, (x, 2 * dy), (x, 3 * dy), "$W_{hy}$", label_offset=beside)
    _frame(ax, (-0.6, T * dx + 0.9), (-0.5, 3 * dy + 0.45))
    ax.set_title("two stacked layers: layer 2's input at step t is layer 1's state $h^{(1)}_t$", fontsize=11)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.91, bottom=0.02)
    alt = (f"Two recurrent layers unrolled over T = {_steps(T)}, each column x_t → h¹_t → h²_t → ŷ_t: layer 1 "
           f"reads x_t through W¹_xh, layer 2 reads layer 1's state h¹_t through W²_xh, and W_hy gives ŷ_t. Each layer "
           f"passes its state along time through its own W_hh (W¹_hh, W²_hh), the same at {_every(T)}.")
    return describe(fig, alt)


def _text_arrow(ax, start, end, color, style="-", rad=0.0, shrink=14):
    """An arrow between two text-box nodes (the BPTT graph's), stopping ``shrink`` points short of
    each centre; the other diagrams' square nodes use :func:`_arrow`, which stops at their edges."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=10, linewidth=1.2,
                                 color=color, linestyle=style, shrinkA=shrink, shrinkB=shrink,
                                 connectionstyle=f"arc3,rad={rad}", zorder=1))


def draw_bptt_graph(T: int = 4) -> Figure:
    """The unrolled graph with its losses: forward arrows in black, gradient arrows dashed.

    Every h_t receives gradient along two paths, from its own loss ℓ_t and from h_{t+1}; the
    shared W_hh sits on every horizontal arrow, so it collects gradient at every step.
    """
    T = positive_int("T", T)
    if T > 6:
        raise ValueError(f"T must be at most 6 to fit on a slide, got {T}")
    fig, ax = plt.subplots(figsize=(8.0, 3.6))
    rows = {"x": 0.0, "h": 1.0, "o": 2.0, "l": 3.0}
    colors = {"x": PALETTE["sky"], "h": PALETTE["blue"], "o": PALETTE["orange"], "l": PALETTE["yellow"]}
    names = {"x": "x_{%d}", "h": "h_{%d}", "o": "o_{%d}", "l": "\\ell_{%d}"}

    def node(t, kind):
        label = "h_0" if (kind == "h" and t == 0) else names[kind] % t
        ax.text(t, rows[kind], f"${label}$", ha="center", va="center", fontsize=11, zorder=3,
                color="white" if kind == "h" else "black",
                bbox={"boxstyle": "round,pad=0.35", "facecolor": colors[kind], "edgecolor": "black"})

    node(0, "h")
    grad = PALETTE["vermillion"]
    for t in range(1, T + 1):
        for kind in rows:
            node(t, kind)
        _text_arrow(ax, (t, 0), (t, 1), "black")
        _text_arrow(ax, (t, 1), (t, 2), "black")
        _text_arrow(ax, (t, 2), (t, 3), "black")
        _text_arrow(ax, (t - 1, 1), (t, 1), "black", rad=0.25)
        ax.text(t - 0.5, 0.78, "$W_{hh}$", ha="center", va="top", fontsize=10)
        _text_arrow(ax, (t + 0.08, 3), (t + 0.08, 1), grad, style="--", rad=-0.35)      # from ℓ_t
        _text_arrow(ax, (t, 1), (t - 1, 1), grad, style="--", rad=0.25)                  # to h_{t-1}
    ax.plot([], [], color="black", label="forward")
    ax.plot([], [], color=grad, linestyle="--", label="gradient (backward)")
    ax.legend(loc="lower left", borderaxespad=0.2)
    ax.set_xlim(-0.5, T + 0.6)
    ax.set_ylim(-0.4, 3.4)
    ax.axis("off")
    ax.set_title("Unrolled RNN: each $h_t$ gets gradient from $\\ell_t$ AND from $h_{t+1}$; "
                 "$W_{hh}$ is on every step")
    fig.tight_layout()
    later = "" if T == 1 else f" and, for t < {T}, from h_(t+1) too"
    alt = (f"The RNN unrolled over T = {_steps(T)} with its losses, each column x_t → h_t → o_t → ℓ_t and "
           f"{_chain(T)} along W_hh (solid forward arrows). Dashed gradient arrows reach each h_t from its own loss "
           f"ℓ_t{later}; the shared W_hh sits on {_every(T)}, so it collects "
           f"gradient {'there' if T == 1 else 'at every step'}.")
    return describe(fig, alt)
