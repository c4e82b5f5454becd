"""Alt text: every figure the helpers draw says what it shows and what to notice.

A drawing helper ends with ``return describe(fig, text)``, the text computed from the data where
the numbers are the point ("the measured norm falls to 2e-49 at k = 99 while the bound falls to
1.8e-5"). The text travels with the figure to every medium:

- a notebook: shown by IPython (after :func:`enable`, which :func:`helpers.style.use_course_style`
  calls), the figure's PNG output carries it in its metadata, ``{"image/png": {"alt": text}}``;
  a live figure (:class:`helpers.livefig.LiveFigure`) does the same for the state it shows;
- the decks (scripts/build_slides.py) write it into each ``<img alt>``;
- the website (scripts/build_site.py) gives it to myst-nb as ``mystnb.image.alt``.
"""
from __future__ import annotations

import re

from matplotlib.figure import Figure

from ._validate import figure, positive_int, real, text

ATTRIBUTE = "course_alt"
"""The attribute of a Figure that holds its alt text."""


def describe(fig: Figure, alt: str) -> Figure:
    """Attach ``alt`` (one or more sentences, whitespace collapsed) to ``fig``; returns ``fig``."""
    figure("fig", fig)
    alt = " ".join(text("alt", alt).split())
    if not alt:
        raise ValueError("alt must say what the figure shows, got an empty string")
    setattr(fig, ATTRIBUTE, alt)
    return fig


def alt_text(fig: Figure) -> str | None:
    """The alt text attached to ``fig`` by :func:`describe`, or None."""
    return getattr(figure("fig", fig), ATTRIBUTE, None)


def png_metadata(fig: Figure) -> dict:
    """The metadata of ``fig``'s PNG output: ``{"alt": text}``, or ``{}`` if it has none."""
    alt = alt_text(fig)
    return {} if alt is None else {"alt": alt}


def number(x: float, digits: int = 2) -> str:
    """``x`` as the figures' labels write it, for alt text: ``digits`` significant digits, an
    exponent only below 1e-4 or from 1e5 on, written bare (2e-49, 0.0025, 0.93, 5800, 1.5e20).
    ±inf is written as such (a gradient that overflowed, the log of an exact zero)."""
    x = real("x", x, finite=False)
    written = f"{x:.{positive_int('digits', digits)}g}"
    mantissa, _, exponent = written.partition("e")
    if not exponent:
        return written
    return f"{float(written):.0f}" if 0 <= int(exponent) < 5 else f"{mantissa}e{int(exponent)}"


_MATHTEXT = ((r"\\\|", "‖"), (r"\\partial\s*", "∂"), (r"\\nabla\s*", "∇"), (r"\\theta", "θ"),
             (r"\\Sigma\s*", "Σ"), (r"\\cdots", "⋯"), (r"\\leq", "≤"), (r"\\[,;]", " "),
             (r"_\{([^{}]{2,})\}", r"_(\1)"), (r"\\[A-Za-z]+\s*|[{}\\]", ""), (r"  +", " "))


def plain(label: str) -> str:
    """``label`` with its mathtext written as plain text ($\\|\\partial h_T\\|$ → ‖∂h_T‖), for alt text."""
    def unmath(found):
        math = found[1]
        for tex, written in _MATHTEXT:
            math = re.sub(tex, written, math)
        return math
    return re.sub(r"\$([^$]*)\$", unmath, text("label", label))


def _with_alt(printer):
    """A PNG formatter for Figures: ``printer``'s PNG, with the figure's alt text as metadata."""
    def formatter(fig: Figure):
        data = printer(fig)
        if isinstance(data, tuple):                      # a printer that returns metadata of its own
            data, meta = data
            return data, {**meta, **png_metadata(fig)}
        meta = png_metadata(fig)
        return (data, meta) if meta else data
    formatter.course_alt = True
    return formatter


def png_formatter():
    """This IPython kernel's formatter of PNG outputs, with the inline backend's printer of Figures
    registered (its module is imported first); None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    ip = get_ipython()
    if ip is None or not hasattr(ip, "display_formatter"):
        return None
    import matplotlib_inline.backend_inline  # noqa: F401  (registers its PNG printer on import)
    return ip.display_formatter.formatters["image/png"]


def enable() -> bool:
    """Give every Figure this IPython kernel shows its alt text, in its PNG output's metadata.
    Returns False outside IPython (nothing to do). Safe to call more than once, and after
    :func:`helpers.deck.enable`."""
    png = png_formatter()
    if png is None:
        return False
    try:
        printer = png.lookup_by_type(Figure)
    except KeyError:
        return False
    if not getattr(printer, "course_alt", False):
        png.for_type(Figure, _with_alt(printer))
    return True
