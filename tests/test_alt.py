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
    assert alt.png_formatter() is None and alt.enable() is False


def test_number_writes_values_as_the_figures_labels_do():
    cases = {2.04e-49: "2e-49", 0.00251: "0.0025", 0.934: "0.93", 5812.0: "5800", 1.5e20: "1.5e20",
             99999.0: "1e5", 1.0: "1", float("inf"): "inf", -float("inf"): "-inf"}
    assert {x: alt.number(x) for x in cases} == cases
    assert alt.number(3.14159, digits=4) == "3.142"
    with pytest.raises(ValueError, match="digits must be an integer >= 1, got 0"):
        alt.number(1.0, digits=0)


def test_plain_writes_mathtext_as_text_a_screen_reader_can_say():
    assert alt.plain(r"$\|\partial h_T/\partial h_{T-k}\|_2$, median") == "‖∂h_T/∂h_(T-k)‖_2, median"
    assert alt.plain(r"$\theta$ and $\Sigma$ outside: 1 $\leq$ 2") == "θ and Σ outside: 1 ≤ 2"
    assert alt.plain("no maths here") == "no maths here"
