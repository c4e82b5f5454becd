"""helpers.deck: the pictures decks show, and what they say about their text."""
import io

import pytest
from matplotlib.figure import Figure
from PIL import Image

from helpers import deck, style


def _figure(width=6.0, height=3.0):
    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot()
    ax.plot([0, 1], [1, 0], label="falls")
    ax.legend(fontsize=9)
    ax.tick_params(labelsize=10.5)
    ax.set_title("A line that falls", fontsize=12)
    return fig


def test_figure_png_is_drawn_at_the_deck_resolution_and_reports_its_fonts():
    fig = _figure()
    data, meta = deck.figure_png(fig)
    course = meta["course"]
    # shown at most 560 px tall, a 6 x 3 in figure is 1120 px wide: 2 x 1120 / 6 px per inch, + 15 %
    assert course["dpi"] == deck.deck_dpi(fig) == round(1.15 * 2 * 560 / 3)
    assert course["fonts"] == {"tick": 10.5, "legend": 9.0, "text": 12.0}   # (the title: no axis labels)
    assert course["alt"] == "Figure: A line that falls"
    with Image.open(io.BytesIO(data)) as png:
        width, _ = png.size
    # a tight box trims the margins a little, never by half: about 6 in at that dpi
    assert 0.8 * 6 * course["dpi"] < width <= 6 * course["dpi"]


@pytest.mark.parametrize("size", [(4.0, 2.0), (6.0, 3.0), (8.0, 3.6), (5.0, 5.0), (12.0, 3.0)])
def test_the_picture_has_twice_the_pixels_of_the_largest_size_a_slide_shows(size):
    fig = _figure(*size)
    data, meta = deck.figure_png(fig)
    with Image.open(io.BytesIO(data)) as png:
        width, height = png.size
    shown = min(deck.SLIDE_BOX[0] / width, deck.SLIDE_BOX[1] / height) * width   # width when shown largest
    assert width >= deck.DENSITY * shown and meta["course"]["dpi"] >= style.DECK_DPI


def test_describe_prefers_the_figure_title_and_falls_back_to_panel_titles():
    fig = _figure()
    assert deck.describe(fig) == "Figure: A line that falls"
    fig.suptitle("The whole story")
    assert deck.describe(fig) == "Figure: The whole story"
    assert deck.describe(Figure()) == "Figure"


@pytest.mark.parametrize("bad", [None, "fig", 3])
def test_bad_figures_and_resolutions_are_refused(bad):
    with pytest.raises(ValueError, match="fig must be a matplotlib Figure"):
        deck.figure_png(bad)
    with pytest.raises(ValueError, match="fig must be a matplotlib Figure"):
        deck.describe(bad)


@pytest.mark.parametrize("dpi", [0, -5, "300", float("nan"), True])
def test_bad_resolutions_are_refused(dpi):
    with pytest.raises(ValueError, match="dpi must be a positive finite number, got"):
        deck.figure_png(_figure(), dpi=dpi)


@pytest.mark.parametrize("dpi", [1e-310, 1.0, 35.9, 1200.5, 1e6])
def test_resolutions_a_picture_cannot_use_are_refused_with_the_reason(dpi):
    """Below 36 dpi matplotlib's font renderer fails on small text (it raised a RuntimeError, or
    for 1e-310 a message about NaN that did not name dpi)."""
    with pytest.raises(ValueError, match=r"dpi must be from 36 to 1200 dots per inch \(below 36 a glyph of 1 pt"):
        deck.figure_png(_figure(), dpi=dpi)


def test_the_ends_of_the_resolution_range_draw_even_tiny_text():
    for dpi in deck.DPI_RANGE:
        fig = _figure()
        fig.axes[0].text(0.5, 0.5, "tiny", fontsize=1)
        assert deck.figure_png(fig, dpi=float(dpi))[1]["course"]["dpi"] == dpi


def test_enable_outside_ipython_does_nothing():
    assert deck.enable() is False


def test_in_a_kernel_deck_mode_shows_figures_as_deck_pictures():
    """A real kernel with COURSE_DECK=1: a figure a cell shows arrives as a deck PNG with its
    metadata, after the inline backend had its say (the course's setup cell imports pyplot)."""
    import os

    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\n"
                                          "from helpers.style import use_course_style\nuse_course_style()"),
                nbformat.v4.new_code_cell("fig, ax = plt.subplots(figsize=(4, 2)); ax.set_title('t'); ax.plot([0, 1])")]
    client = NotebookClient(nb, timeout=120, kernel_name="python3")
    with client.setup_kernel(env={**os.environ, "COURSE_DECK": "1"}):
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
    (out,) = [o for o in nb.cells[1].outputs if "image/png" in o.get("data", {})]
    course = out["metadata"]["image/png"]["course"]
    assert course["dpi"] >= style.DECK_DPI and course["alt"] == "Figure: t" and set(course["fonts"]) == {"tick", "text"}
