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


def describe(fig: Figure) -> str:
    """A short description of ``fig`` for its alt text: its title, else its panels' titles."""
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    sup = fig._suptitle.get_text().strip() if fig._suptitle is not None else ""
    titles = [ax.get_title().strip() for ax in fig.axes if ax.get_visible() and ax.get_title().strip()]
    text = sup or "; ".join(titles)
    return f"Figure: {text}" if text else "Figure"


def figure_png(fig: Figure, dpi: float | None = None) -> tuple[bytes, dict]:
    """``fig`` as a PNG at ``dpi`` (default :data:`helpers.style.DECK_DPI`), and its metadata:
    ``{"course": {"dpi": …, "fonts": {"tick": pt, "legend": pt, "text": pt}, "alt": str}}``, the
    smallest font of each kind in points (:func:`helpers.style.font_sizes`), measured as drawn."""
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    dpi = style.DECK_DPI if dpi is None else dpi
    if isinstance(dpi, bool) or not (isinstance(dpi, (int, float)) and 0 < dpi <= 1200):
        raise ValueError(f"dpi must be a number in (0, 1200], got {dpi!r}")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    meta = {"dpi": float(dpi), "fonts": style.font_sizes(fig), "alt": describe(fig)}
    return buf.getvalue(), {"course": meta}


def enable() -> bool:
    """Show every figure of this IPython kernel with :func:`figure_png`. Returns False outside
    IPython (nothing to do). Safe to call more than once."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    ip = get_ipython()
    if ip is None or not hasattr(ip, "display_formatter"):
        return False
    # The inline backend registers its own PNG printer when its module is first imported; import it
    # now so that ours, registered after, is the one used.
    import matplotlib_inline.backend_inline  # noqa: F401
    ip.display_formatter.formatters["image/png"].for_type(Figure, figure_png)
    return True
