"""Every figure the helpers draw carries specific alt text (issue 18): for every entry of
tests/figure_gallery.py, static and live, the text that helpers.alt attaches says what the figure
shows with the numbers that make its point, not just its title.

The per-module tests (tests/test_plots_*.py, tests/test_diagrams.py, tests/test_widgets_*.py)
check that those numbers are the right ones for known inputs.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib.figure import Figure

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figure_gallery as gallery  # noqa: E402

from helpers import style  # noqa: E402
from helpers.alt import alt_text  # noqa: E402
from helpers.livefig import LiveFigure  # noqa: E402

MAX_CHARS = 400                 # one to three sentences
MIN_CHARS = 80                  # shorter than this says too little to stand for a figure
NON_FINITE = re.compile(r"\b(nan|inf|-inf)\b", re.IGNORECASE)
# Gallery entries whose data really hold a NaN or an infinity that the alt text may name.
NON_FINITE_DATA: dict[str, str] = {}


@pytest.fixture(autouse=True)
def course_style():
    with mpl.rc_context():
        style.use_course_style(deck=False)
        yield


def _titles(fig: Figure) -> set[str]:
    found = {ax.get_title() for ax in fig.axes} | {ax.get_title(loc) for ax in fig.axes for loc in ("left", "right")}
    if fig._suptitle is not None:
        found.add(fig._suptitle.get_text())
    return {" ".join(t.split()) for t in found if t.strip()}


@pytest.mark.parametrize("name", list(gallery.GALLERY))
def test_every_figure_has_specific_alt_text(name):
    made = gallery.GALLERY[name]()
    fig = made.fig if isinstance(made, LiveFigure) else made
    alt = alt_text(fig)
    assert alt, f"{name} has no alt text (end the drawing function with `return describe(fig, alt)`)"
    assert MIN_CHARS <= len(alt) <= MAX_CHARS, f"{name}: {len(alt)} characters, not {MIN_CHARS}–{MAX_CHARS}: {alt}"
    assert alt not in _titles(fig), f"{name}: the alt text is only the title: {alt}"
    assert not alt.lower().startswith(("figure:", "figure ", "image")), f"{name}: {alt}"
    if not name.startswith("diagrams."):                       # a plot of data states its numbers
        assert re.search(r"\d", alt), f"{name}: no number in {alt}"
    if name not in NON_FINITE_DATA:
        assert not NON_FINITE.search(alt), f"{name}: nan or inf in {alt}"
    assert alt.rstrip().endswith("."), f"{name}: not a finished sentence: {alt}"
