"""The course's look: one colour-blind-safe palette (Okabe & Ito, 2008) and figure defaults
sized for slides at 1280×720."""
from __future__ import annotations

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
}


def use_course_style() -> None:
    """Apply the course's matplotlib defaults (palette, sizes for slides, light grid)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({**RC, "axes.prop_cycle": cycler(color=CYCLE)})
