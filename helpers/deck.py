"""Figures for decks: sharper pictures that say how large their text is.

With ``COURSE_DECK=1`` in the kernel's environment (the static deck builder and `make present` set
it), :func:`helpers.style.use_course_style` calls :func:`enable`: every matplotlib figure a cell
shows is then a PNG at :data:`helpers.style.DECK_DPI` whose display metadata carries what a deck
needs to show it large and check it is legible (:func:`figure_png`).
"""
from __future__ import annotations

import io

from matplotlib.figure import Figure

from helpers import style

from ._validate import figure, real
from .alt import alt_text, png_formatter

# The largest a deck shows a figure, in CSS pixels of a 1280x720 slide (scripts/build_slides.py's
# style sheet), and how many picture pixels it wants per pixel shown.
SLIDE_BOX = (1200, 560)
DENSITY = 2
# The resolutions figure_png accepts: below 36 dpi, text of 1 pt is under half a pixel and
# matplotlib's font renderer refuses it; above 1200 a slide's picture would be needlessly large.
DPI_RANGE = (36, 1200)


def describe(fig: Figure) -> str:
    """A stand-in for the alt text of a figure nobody described (:mod:`helpers.alt`): its title,
    else its panels' titles. A deck refuses such a figure (scripts/build_slides.py), naming it so."""
    figure("fig", fig)
    sup = fig._suptitle.get_text().strip() if fig._suptitle is not None else ""
    titles = [ax.get_title().strip() for ax in fig.axes if ax.get_visible() and ax.get_title().strip()]
    text = sup or "; ".join(titles)
    return f"Figure: {text}" if text else "Figure"


def deck_dpi(fig: Figure) -> float:
    """The resolution that gives ``fig`` :data:`DENSITY` picture pixels per pixel shown when a
    deck draws it as large as :data:`SLIDE_BOX` allows (at least :data:`helpers.style.DECK_DPI`).
    A 15 % margin covers the tight bounding box, which trims the figure a little."""
    width, height = figure("fig", fig).get_size_inches()
    shown_per_inch = min(SLIDE_BOX[0] / width, SLIDE_BOX[1] / height)
    return float(max(style.DECK_DPI, round(1.15 * DENSITY * shown_per_inch)))


def figure_png(fig: Figure, dpi: float | None = None) -> tuple[bytes, dict]:
    """``fig`` as a PNG at ``dpi`` (default :func:`deck_dpi`), and its metadata:
    ``{"course": {"dpi": …, "fonts": {"tick": pt, "legend": pt, "text": pt}, "alt": str,
    "described": bool}}``: the smallest font of each kind in points (:func:`helpers.style.font_sizes`),
    measured as drawn; the figure's own alt text (:func:`helpers.alt.alt_text`), else the stand-in
    :func:`describe` with ``described`` False. ``dpi`` from :data:`DPI_RANGE` (36 to 1200)."""
    figure("fig", fig)
    if dpi is not None:
        dpi = real("dpi", dpi, positive=True)
        if not DPI_RANGE[0] <= dpi <= DPI_RANGE[1]:
            raise ValueError(f"dpi must be from {DPI_RANGE[0]} to {DPI_RANGE[1]} dots per inch (below {DPI_RANGE[0]} "
                             f"a glyph of 1 pt is under half a pixel, which matplotlib cannot draw; above "
                             f"{DPI_RANGE[1]} the picture is needlessly large), got {dpi:g}")
    else:
        dpi = deck_dpi(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    alt = alt_text(fig)
    meta = {"dpi": float(dpi), "fonts": style.font_sizes(fig), "alt": alt or describe(fig),
            "described": alt is not None}
    return buf.getvalue(), {"course": meta}


def enable() -> bool:
    """Show every figure of this IPython kernel with :func:`figure_png`. Returns False outside
    IPython (nothing to do). Safe to call more than once."""
    png = png_formatter()      # the inline backend's printer is registered: ours, after it, wins
    if png is None:
        return False
    png.for_type(Figure, figure_png)
    return True
