"""helpers.alt: alt text travels with a figure into its PNG output's metadata."""
import pytest
from IPython.core.formatters import DisplayFormatter
from matplotlib.figure import Figure

from helpers import alt


def _figure() -> Figure:
    fig = Figure(figsize=(2.0, 1.5))
    fig.add_subplot().plot([0, 1], [1, 0])
    return fig


def test_describe_attaches_the_text_with_its_whitespace_collapsed():
    fig = _figure()
    assert alt.alt_text(fig) is None and alt.png_metadata(fig) == {}
    assert alt.describe(fig, "  A line\n   falls from 1 to 0. ") is fig
    assert alt.alt_text(fig) == "A line falls from 1 to 0."
    assert alt.png_metadata(fig) == {"alt": "A line falls from 1 to 0."}


def test_describe_refuses_an_empty_text_and_a_non_figure():
    with pytest.raises(ValueError, match="alt must say what the figure shows, got an empty string"):
        alt.describe(_figure(), " \n ")
    with pytest.raises(ValueError, match="alt must be a string, got 3"):
        alt.describe(_figure(), 3)
    with pytest.raises(ValueError, match="fig must be a matplotlib Figure"):
        alt.alt_text("not a figure")


def test_the_wrapped_png_formatter_adds_the_alt_text_as_metadata():
    formatter = DisplayFormatter().formatters["image/png"]
    formatter.for_type(Figure, lambda fig: b"png-bytes")
    formatter.for_type(Figure, alt._with_alt(formatter.lookup_by_type(Figure)))
    described = alt.describe(_figure(), "Two panels.")
    assert formatter(described) == (b"png-bytes", {"alt": "Two panels."})
    assert formatter(_figure()) == b"png-bytes"                 # no alt text: no metadata
    # a printer with metadata of its own (helpers.deck.figure_png) keeps it
    formatter.for_type(Figure, alt._with_alt(lambda fig: (b"deck", {"course": {"dpi": 300.0}})))
    assert formatter(described) == (b"deck", {"course": {"dpi": 300.0}, "alt": "Two panels."})


def test_enable_is_a_no_op_outside_ipython():
    assert alt.enable() is False
