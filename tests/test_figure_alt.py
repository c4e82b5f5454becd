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


# The live figures' alt text in every corner of their controls (m10 of issue 18's review): each
# control at its minimum and maximum (every option of a dropdown or toggle), the others where they
# were, and the explorer at scale 1 (orthogonal Wₕₕ: every eigenvalue on the unit circle).
LIVE = [name for name in gallery.GALLERY if name.startswith("widgets_") and "[" not in name]
NUMBER_OF_STEPS = re.compile(r"\b1 steps\b|\bstep 0\b|\bk = -|\bt = 0 of\b")


def _corners(app: LiveFigure):
    """(what was set, alt text) for each control at each end of its range, then back to its default."""
    for c in app.table:
        ends = c.values if c.kind in ("dropdown", "toggle") else [c.check(v) for v in c.bounds()]
        for value in ends:
            app.controls[c.name].value = value
            yield f"{c.name} = {value!r}", app.alt
        app.controls[c.name].value = app.table.check({})[c.name]


@pytest.mark.parametrize("name", LIVE)
def test_live_figures_alt_text_holds_in_every_corner_of_their_controls(name):
    app = gallery.GALLERY[name]()
    found = list(_corners(app))
    if name == "widgets_vanishing.gradient_explorer":
        for init in ("orthogonal", "identity"):
            app.controls["init"].value, app.controls["scale"].value = init, 1.0
            found.append((f"{init} × 1", app.alt))
            assert "γλ₁ = 1, stays at 1" in app.alt and app.alt.endswith("ρ = 1, on the unit circle."), app.alt
    for setting, alt in found:
        where = f"{name} at {setting}: {alt}"
        assert MIN_CHARS <= len(alt) <= MAX_CHARS, f"{len(alt)} characters: {where}"
        assert not NON_FINITE.search(alt), where
        assert not NUMBER_OF_STEPS.search(alt), where
        assert not re.search(r"\de\+|\de-0", alt), f"not helpers.alt.number's style (2e-49, 5.5e223): {where}"
