"""The course's look: one colour-blind-safe palette (Okabe & Ito, 2008), one colour per activation
and per model, one style for reference lines, and figure defaults sized for slides at 1280×720.

Decks render the same figures sharper: with ``COURSE_DECK=1`` in the environment (the deck builder
sets it in its kernel) :func:`use_course_style` adds :data:`DECK_RC`.

Legibility rules every drawing helper keeps (tests/test_figures_for_slides.py checks them on every
figure): tick labels and legends at 10 pt or more, other text at 9 pt or more; figures at most
4.6 in tall (live figures 4.3 in: controls and status share the slide), wide rather than tall;
lines, markers and text at a contrast of 3:1 or more against what lies under them.
"""
from __future__ import annotations

import os
from collections.abc import Iterable

from ._validate import (
    axes,
    figure,
    flag,
    optional_text,
    positive_float,
    positive_int,
    real,
    received,
    text,
)

# Okabe & Ito's eight colours, distinguishable under the common colour-vision deficiencies. Use
# them as they are for areas (bars, bands, spans, boxes of diagrams).
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
# Colours for lines, markers and text: each at a contrast of 3:1 or more against white (WCAG's
# minimum for graphics). Okabe-Ito orange (2.3:1) and yellow (1.3:1) are too light for that, and an
# orange dark enough looks like vermillion to deuteranopes, so neither is used; sky blue is darkened
# (same hue) to 3.2:1.
INK = {
    "blue": PALETTE["blue"],
    "vermillion": PALETTE["vermillion"],
    "green": PALETTE["green"],
    "purple": PALETTE["purple"],
    "sky": "#1D98DD",
    "black": PALETTE["black"],
}
# Series that are not activations or models take these in turn.
CYCLE = [INK[k] for k in ("blue", "vermillion", "green", "purple", "sky", "black")]
# One colour per activation, the same in every lesson.
ACTIVATION_COLORS = {"tanh": INK["blue"], "sigmoid": INK["vermillion"],
                     "relu": INK["green"], "linear": INK["purple"]}
# One colour per model, the same in every lesson: the tanh RNN (Gaussian W_hh) is always blue, the
# same network from an orthogonal W_hh a lighter blue (dashed where the two may overlap), the IRNN
# green, the LSTM vermillion; purple is kept for a GRU; the echo state network is black.
MODEL_COLORS = {
    "tanh RNN, Gaussian": INK["blue"],
    "tanh RNN, orthogonal": INK["sky"],
    "IRNN": INK["green"],
    "LSTM": INK["vermillion"],
    "GRU": INK["purple"],
    "ESN": INK["black"],
}
# Reference levels (chance, a baseline, the value 1): grey dashed in every figure, labelled directly.
REFERENCE_STYLE = {"color": "0.45", "linestyle": "--", "linewidth": 1.2}
# Sequential and diverging colour maps that stay readable in grey and for colour-blind viewers.
CMAP_SEQUENTIAL = "viridis"
CMAP_DIVERGING = "RdBu_r"

RC = {
    "axes.prop_cycle": None,  # set in use_course_style (needs matplotlib's cycler)
    "figure.figsize": (8.0, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "image.cmap": CMAP_SEQUENTIAL,
    # An opaque white canvas: on JupyterLab's dark theme a transparent one put dark text on dark.
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}
# Static decks scale a figure up to the slide, so they need more pixels per inch (2x or more of
# the size shown on a 1280x720 slide; scripts/build_slides.py).
DECK_DPI = 300
DECK_RC = {"savefig.dpi": DECK_DPI}


def use_course_style(deck: bool | None = None) -> None:
    """Apply the course's matplotlib defaults (palette, sizes for slides, light grid).

    deck : add :data:`DECK_RC` and show figures as :mod:`helpers.deck` PNGs (sharper, with their
        font sizes, for decks); None reads ``COURSE_DECK=1`` from the environment.

    Every figure shown afterwards carries its alt text in its output's metadata (:mod:`helpers.alt`).
    """
    import matplotlib as mpl
    from cycler import cycler

    deck = os.environ.get("COURSE_DECK") == "1" if deck is None else flag("deck", deck)
    mpl.rcParams.update({**RC, **(DECK_RC if deck else {}), "axes.prop_cycle": cycler(color=CYCLE)})
    if deck:                                     # figures shown as deck PNGs (helpers.deck)
        from helpers import deck as deck_figures
        deck_figures.enable()
    from helpers import alt
    alt.enable()                                 # every figure shown carries its alt text


def font_sizes(fig) -> dict[str, float]:
    """The smallest font size in points of each kind of visible text of ``fig``: ``tick`` (tick
    labels), ``legend`` (legend entries and titles) and ``text`` (titles, axis labels,
    annotations). A kind with no visible text is left out. Decks turn these into pixels on the slide."""
    from matplotlib.text import Text

    figure("fig", fig)

    def shown(t: Text) -> bool:
        return t.get_visible() and bool(t.get_text().strip()) and (t.axes is None or t.axes.get_visible())

    legends = {id(t) for leg in [*fig.legends, *(a.get_legend() for a in fig.axes)] if leg is not None
               for t in [*leg.get_texts(), leg.get_title()]}
    ticks = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for t in [*axis.get_ticklabels(), *axis.get_ticklabels(minor=True)]}
    sizes: dict[str, float] = {}
    for t in fig.findobj(Text):
        if not shown(t):
            continue
        kind = "legend" if id(t) in legends else "tick" if id(t) in ticks else "text"
        sizes[kind] = min(sizes.get(kind, float("inf")), float(t.get_fontsize()))
    return sizes


def model_color(label: str) -> str | None:
    """The colour of the model that a legend label names, or None.

    Parameters
    ----------
    label : a series' legend label, as the lessons write them. Recognised: "LSTM", "GRU", "IRNN"
        (or "identity" with "ReLU"), "ESN" or "echo state", "orthogonal" (a tanh RNN from an
        orthogonal W_hh), "Gaussian" or "tanh RNN" (from a Gaussian W_hh). A label such as
        "truncate = 5" names no model.

    Returns
    -------
    A colour of :data:`MODEL_COLORS`, or None.
    """
    lower = text("label", label).lower()
    words = set(label.replace(",", " ").replace("(", " ").replace(")", " ").split())
    if "lstm" in lower:
        return MODEL_COLORS["LSTM"]
    if "GRU" in words:
        return MODEL_COLORS["GRU"]
    if "irnn" in lower or ("identity" in lower and "relu" in lower):
        return MODEL_COLORS["IRNN"]
    if "ESN" in words or "echo state" in lower:
        return MODEL_COLORS["ESN"]
    if "orthogonal" in lower:
        return MODEL_COLORS["tanh RNN, orthogonal"]
    if "gaussian" in lower or "tanh rnn" in lower:
        return MODEL_COLORS["tanh RNN, Gaussian"]
    return None


_DASHES = ("-", "--", ":", "-.")


def series_styles(labels) -> list[dict]:
    """Colour and line style for each series of a figure, by its legend label.

    A label that names a model (:func:`model_color`) gets the model's colour; the others take the
    :data:`CYCLE` colours that the models leave free, in turn. Lines are solid, except that a tanh
    RNN from an orthogonal W_hh is dashed (it can lie on top of the Gaussian one), and a second
    (third) series of the same colour is dashed (dotted).

    Parameters
    ----------
    labels : (n,) legend labels (strings), in drawing order

    Returns
    -------
    (n,) list of ``{"color": …, "linestyle": …}``, keyword arguments for ``Axes.plot``.
    """
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Iterable):
        raise ValueError(f"labels must be a list of legend labels (strings), got {received(labels)}")
    labels = list(labels)
    bad = [label for label in labels if not isinstance(label, str)]
    if bad:
        raise ValueError(f"labels must be strings, got {bad[0]!r}")
    models = [model_color(label) for label in labels]
    free = iter([c for c in CYCLE if c not in models] * (len(labels) + 1))
    colors = [m if m is not None else next(free) for m in models]
    styles, seen = [], {}
    for model, color in zip(models, colors, strict=True):
        k = seen.get(color, 0)
        seen[color] = k + 1
        if model is not None and model == MODEL_COLORS["tanh RNN, orthogonal"]:
            k = max(k, 1)
        styles.append({"color": color, "linestyle": _DASHES[k % len(_DASHES)]})
    return styles


def reference_line(ax, value: float, label: str | None = None, *, inside: bool = False,
                   vertical: bool = False):
    """A reference level (chance, a baseline, the value 1) in the course's one style
    (:data:`REFERENCE_STYLE`), under the data, so a series that stays at the level stays visible.

    Parameters
    ----------
    ax : the Axes to draw on
    value : the level: y of a horizontal line, or x of a ``vertical`` one (a finite number)
    label : written directly by the line (None: no label): right of a horizontal line's end, just
        outside the axes, or ``inside`` them above the line; at the top of a vertical line. The
        Line2D's own label is ``"_" + label``, which keeps it out of legends.

    Returns
    -------
    The Line2D.
    """
    axes("ax", ax)
    value, label = real("value", value), optional_text("label", label)
    inside, vertical = flag("inside", inside), flag("vertical", vertical)
    draw = ax.axvline if vertical else ax.axhline
    line = draw(value, **REFERENCE_STYLE, zorder=1.5, label=f"_{label}" if label else None)
    if label:
        color = REFERENCE_STYLE["color"]
        if vertical:
            ax.annotate(label, (value, 1.0), xycoords=ax.get_xaxis_transform(), xytext=(3, -3),
                        textcoords="offset points", ha="left", va="top", fontsize=10, color=color)
        elif inside:
            ax.annotate(label, (1.0, value), xycoords=ax.get_yaxis_transform(), xytext=(-3, 3),
                        textcoords="offset points", ha="right", va="bottom", fontsize=10, color=color)
        else:
            ax.annotate(f" {label}", (1.0, value), xycoords=ax.get_yaxis_transform(), ha="left",
                        va="center", fontsize=10, color=color)
    return line


def legend_in_line_order(ax, **kwargs):
    """``ax.legend(**kwargs)`` with the labelled lines listed top to bottom in the order of their
    last drawn points (NaN and, on a log axis, values <= 0 are not drawn), so that the legend reads
    like the lines' ends. Returns the Legend."""
    import numpy as np

    axes("ax", ax)

    def last(handle):
        y = np.asarray(handle.get_ydata(), dtype=float) if hasattr(handle, "get_ydata") else np.array([])
        y = y[np.isfinite(y)]
        if ax.get_yscale() == "log":
            y = np.log10(y[y > 0])
        return y[-1] if y.size else -np.inf

    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(handles)), key=lambda i: -last(handles[i]))
    return ax.legend([handles[i] for i in order], [labels[i] for i in order], **kwargs)


def decade_ticks(ax, max_ticks: int = 6) -> None:
    """Ticks of a log y-axis at round multiples of decades (1, 10²⁰, 10⁴⁰ … rather than 10⁸, 10²³ …).

    Parameters
    ----------
    ax : an Axes with a log y-axis; its y-limits as they are now are kept
    max_ticks : at most this many ticks (an integer >= 1)
    """
    import numpy as np

    if axes("ax", ax).get_yscale() != "log":
        raise ValueError(f"ax must have a log y-axis, got yscale {ax.get_yscale()!r}")
    max_ticks = positive_int("max_ticks", max_ticks)
    lo, hi = np.log10(ax.get_ylim())
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if (hi - lo) / s <= max_ticks), 1000)
    ax.set_yticks(10.0 ** np.arange(np.ceil(lo / step) * step, hi + 1e-9, step))
    ax.set_ylim(10.0 ** lo, 10.0 ** hi)


def halo(linewidth: float, color: str = "white") -> list:
    """Path effects (for ``path_effects=``) that draw a line of width ``linewidth`` (points) over an
    outline of ``color`` 2 pt wider on each side: a line that crosses a colour map (or another
    line) then keeps its contrast everywhere."""
    from matplotlib import patheffects
    linewidth = positive_float("linewidth", linewidth)
    _rgb("color", color)
    return [patheffects.Stroke(linewidth=linewidth + 4.0, foreground=color), patheffects.Normal()]


def _rgb(name: str, color) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb
    try:
        return to_rgb(color)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a matplotlib colour, got {color!r}") from None


def relative_luminance(color) -> float:
    """WCAG 2 relative luminance of a matplotlib colour ``color``: 0 (black) … 1 (white)."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb("color", color)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(a, b) -> float:
    """WCAG 2 contrast ratio of the colours ``a`` and ``b``: 1 (the same) … 21 (black on white).
    WCAG asks 3:1 of lines and other graphics, 4.5:1 of body text."""
    la = relative_luminance(_rgb("a", a))
    lb = relative_luminance(_rgb("b", b))
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def text_color_on(background) -> str:
    """"black" or "white", whichever contrasts more with the colour ``background`` (for a label on
    a heat map cell)."""
    background = _rgb("background", background)
    return "black" if contrast_ratio("black", background) >= contrast_ratio("white", background) else "white"
