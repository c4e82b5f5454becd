"""helpers.deck: the pictures decks show, and what they say about their text; and how
scripts/build_slides.py writes them into a deck (alt text, scrubbers)."""
import io
import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from PIL import Image

from helpers import deck, style
from helpers.alt import describe

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import build_slides  # noqa: E402


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
    assert course["alt"] == "Figure: A line that falls" and course["described"] is False
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


def test_figure_png_carries_the_figures_own_alt_text():
    fig = describe(_figure(), "A line falls from 1 to 0.")
    course = deck.figure_png(fig)[1]["course"]
    assert course["alt"] == "A line falls from 1 to 0." and course["described"] is True


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
                nbformat.v4.new_code_cell("fig, ax = plt.subplots(figsize=(4, 2)); ax.set_title('t'); ax.plot([0, 1])"),
                nbformat.v4.new_code_cell("from helpers.alt import describe\n"
                                          "fig, ax = plt.subplots(figsize=(4, 2)); describe(fig, 'A rising line.');")]
    client = NotebookClient(nb, timeout=120, kernel_name="python3")
    with client.setup_kernel(env={**os.environ, "COURSE_DECK": "1"}):
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
    (out,) = [o for o in nb.cells[1].outputs if "image/png" in o.get("data", {})]
    course = out["metadata"]["image/png"]["course"]
    assert course["dpi"] >= style.DECK_DPI and course["alt"] == "Figure: t" and set(course["fonts"]) == {"tick", "text"}
    assert not course["described"] and "alt" not in out["metadata"]["image/png"]
    (out,) = [o for o in nb.cells[2].outputs if "image/png" in o.get("data", {})]
    meta = out["metadata"]["image/png"]
    assert meta["alt"] == meta["course"]["alt"] == "A rising line." and meta["course"]["described"]


# scripts/build_slides.py: every <img alt> is the figure's own alt text, or the build stops.

def _png_output(meta: dict) -> dict:
    return {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"},
            "metadata": {"image/png": meta}}


def _deck(*outputs: dict):
    import nbformat
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("draw()")
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    nb.cells = [nbformat.v4.new_markdown_cell("# a lesson"), cell]
    return nb


def test_a_static_figure_gets_the_alt_text_of_its_output_metadata():
    shown = build_slides.static_copy(_deck(_png_output(
        {"alt": "Loss falls <fast> & \"far\".", "course": {"dpi": 200, "alt": "Figure: t", "described": False}})))
    html = shown.cells[1].outputs[0]["data"]["text/html"]
    assert 'alt="Loss falls &lt;fast&gt; &amp; &quot;far&quot;."' in html and 'data-dpi="200"' in html


def test_a_figure_without_alt_text_stops_the_build_naming_it():
    with pytest.raises(build_slides.UndescribedFigure, match=r"cell 1's figure has no alt text \(Figure: t\)"):
        build_slides.static_copy(_deck(_png_output({"course": {"dpi": 200, "alt": "Figure: t", "described": False}})))


def _frame(value: str, alt: str | None, default=False) -> dict:
    return {"value": value, "status": f"<b>w = {value}</b>", "default": default, "png": "iVBORw0KGgo=",
            "dpi": 200.0, "fonts": {}, "alt": alt or "Figure: w", "described": alt is not None}


def test_a_scrubber_labels_its_control_announces_its_status_and_describes_each_frame():
    frames = [_frame("0.60", "w = 0.60: it falls."), _frame("0.80", "w = 0.80: it falls slower.", default=True),
              _frame("1.40", "w = 1.40: it explodes.")]
    html = build_slides.scrubber_html({"label": "w", "name": "weight w", "frames": frames})
    assert 'aria-label="weight w"' in html and 'aria-valuetext="0.80"' in html and 'value="1"' in html
    assert '<div class="course-stack" role="status" aria-live="polite" aria-atomic="true">' in html
    alts = [html.split(f'data-frame="{i}"', 2)[2].split('alt="')[1].split('"')[0] for i in range(3)]
    assert alts == ["w = 0.60: it falls.", "w = 0.80: it falls slower.", "w = 1.40: it explodes."]
    with pytest.raises(build_slides.UndescribedFigure, match="frame w = 1.40 has no alt text"):
        build_slides.scrubber_html({"label": "w", "name": "weight w", "frames": [*frames[:2], _frame("1.40", None)]})
