"""The course's look: one colour-blind-safe palette (Okabe & Ito, 2008) and figure defaults
sized for slides at 1280×720.

Decks render the same figures sharper: with ``COURSE_DECK=1`` in the environment (the deck builder
sets it in its kernel) :func:`use_course_style` adds :data:`DECK_RC`.
"""
from __future__ import annotations

import os

# Okabe & Ito's eight colours, distinguishable under the common colour-vision deficiencies.
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
CYCLE = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "black", "yellow")]
# One colour per activation, the same in every lesson.
ACTIVATION_COLORS = {"tanh": PALETTE["blue"], "sigmoid": PALETTE["orange"],
                     "relu": PALETTE["green"], "linear": PALETTE["purple"]}
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

    deck : add :data:`DECK_RC` (sharper figures for static decks); None reads ``COURSE_DECK=1``
        from the environment.
    """
    import matplotlib as mpl
    from cycler import cycler

    if deck is None:
        deck = os.environ.get("COURSE_DECK") == "1"
    mpl.rcParams.update({**RC, **(DECK_RC if deck else {}), "axes.prop_cycle": cycler(color=CYCLE)})


def font_sizes(fig) -> dict[str, float]:
    """The smallest font size in points of each kind of visible text of ``fig``: ``tick`` (tick
    labels), ``legend`` (legend entries and titles) and ``text`` (titles, axis labels,
    annotations). A kind with no visible text is left out. Decks turn these into pixels on the slide."""
    from matplotlib.text import Text

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
