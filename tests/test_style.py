"""The course's look: the palette, one colour per activation, and the matplotlib defaults."""
import matplotlib as mpl
import numpy as np
import pytest

from helpers import style


def test_every_activation_has_its_own_palette_colour():
    colours = list(style.ACTIVATION_COLORS.values())
    assert sorted(style.ACTIVATION_COLORS) == ["linear", "relu", "sigmoid", "tanh"]
    assert len(set(colours)) == 4 and set(colours) <= set(style.INK.values())
    assert len(set(style.CYCLE)) == len(style.CYCLE) == 6 and set(style.CYCLE) == set(style.INK.values())


def test_line_and_text_colours_contrast_with_white_and_yellow_is_never_one():
    """WCAG asks 3:1 of graphics; Okabe-Ito orange, sky blue and yellow fall short on white."""
    for name, colour in style.INK.items():
        assert style.contrast_ratio(colour, "white") >= 3.0, name
    assert style.PALETTE["yellow"] not in style.INK.values()
    assert style.contrast_ratio(style.PALETTE["orange"], "white") < 3.0        # why INK exists
    assert style.contrast_ratio(style.REFERENCE_STYLE["color"], "white") >= 3.0
    for colours in (style.ACTIVATION_COLORS, style.MODEL_COLORS):
        assert set(colours.values()) <= set(style.INK.values())


def test_contrast_ratio_and_luminance_follow_wcag():
    assert style.contrast_ratio("black", "white") == pytest.approx(21.0)
    assert style.contrast_ratio("white", "white") == pytest.approx(1.0)
    assert style.contrast_ratio("#777777", "white") == pytest.approx(4.48, abs=0.01)     # WCAG's grey
    assert style.relative_luminance("white") == pytest.approx(1.0)
    assert style.text_color_on("#000080") == "white" and style.text_color_on("#FFFF80") == "black"


@pytest.mark.parametrize("label, model", [
    ("Gaussian, tanh", "tanh RNN, Gaussian"), ("tanh RNN, 32 units", "tanh RNN, Gaussian"),
    ("orthogonal, tanh", "tanh RNN, orthogonal"), ("identity, ReLU (IRNN)", "IRNN"), ("IRNN", "IRNN"),
    ("LSTM, 16 units", "LSTM"), (r"LSTM carousel alone, $\Pi\, f_t$", "LSTM"), ("GRU", "GRU"),
    ("ESN forecast", "ESN"), ("echo state network", "ESN"),
])
def test_each_model_has_one_colour_whatever_the_label_says_beside_it(label, model):
    assert style.model_color(label) == style.MODEL_COLORS[model]


def test_series_styles_give_models_their_colours_and_others_the_cycle():
    assert style.model_color("truncate = 5") is None and style.model_color("full BPTT") is None
    looks = style.series_styles(["Gaussian, tanh", "orthogonal, tanh", "identity, ReLU (IRNN)"])
    assert [l["color"] for l in looks] == [style.MODEL_COLORS[m] for m in
                                           ("tanh RNN, Gaussian", "tanh RNN, orthogonal", "IRNN")]
    assert [l["linestyle"] for l in looks] == ["-", "--", "-"]       # orthogonal can hide the Gaussian: dashed
    # the LSTM (lesson 06) is vermillion in every figure, not the second colour of the cycle
    assert style.series_styles(["LSTM, 16 units", "tanh RNN, 32 units"])[0]["color"] == style.MODEL_COLORS["LSTM"]
    two_lstm = style.series_styles(["LSTM cell", "LSTM carousel"])
    assert two_lstm[0]["color"] == two_lstm[1]["color"] and two_lstm[1]["linestyle"] == "--"
    others = style.series_styles(["full BPTT", "truncate = 20", "LSTM"])
    assert others[2]["color"] == style.MODEL_COLORS["LSTM"]
    assert style.MODEL_COLORS["LSTM"] not in [o["color"] for o in others[:2]]   # free colours only
    with pytest.raises(ValueError, match="label must be a string"):
        style.model_color(3)


def test_reference_lines_share_one_style_and_are_labelled_directly():
    from matplotlib.figure import Figure
    ax = Figure().add_subplot()
    ax.plot([0, 1], [0, 2], label="data")
    line = style.reference_line(ax, 1.0, "chance")
    assert (line.get_color(), line.get_linestyle()) == (style.REFERENCE_STYLE["color"], "--")
    assert line.get_label() == "_chance" and [t.get_text() for t in ax.texts] == [" chance"]
    assert ax.get_legend_handles_labels()[1] == ["data"]              # kept out of legends
    vertical = style.reference_line(ax, 0.5, vertical=True)
    assert list(vertical.get_xdata()) == [0.5, 0.5]


def test_legend_in_line_order_reads_like_the_line_ends():
    from matplotlib.figure import Figure
    ax = Figure().add_subplot()
    ax.plot([0, 1], [1, 3], label="ends in the middle")
    ax.plot([0, 1], [2, 5], label="ends on top")
    ax.plot([0, 1], [3, 0.1], label="ends at the bottom")
    ax.set_yscale("log")
    legend = style.legend_in_line_order(ax)
    assert [t.get_text() for t in legend.get_texts()] == ["ends on top", "ends in the middle", "ends at the bottom"]


def test_decade_ticks_are_round_multiples_of_decades():
    from matplotlib.figure import Figure
    ax = Figure().add_subplot()
    ax.set_yscale("log")
    ax.set_ylim(1e-21, 1e1)
    style.decade_ticks(ax)
    np.testing.assert_allclose(np.log10(ax.get_yticks()), [-20, -15, -10, -5, 0])
    np.testing.assert_allclose(ax.get_ylim(), (1e-21, 1e1))


def test_use_course_style_sets_the_defaults():
    with mpl.rc_context():
        mpl.rcdefaults()
        style.use_course_style()
        assert [c["color"] for c in mpl.rcParams["axes.prop_cycle"]] == style.CYCLE
        assert tuple(mpl.rcParams["figure.figsize"]) == style.RC["figure.figsize"]
        for key in ("font.size", "axes.grid", "image.cmap", "axes.spines.top", "legend.frameon"):
            assert mpl.rcParams[key] == style.RC[key], key


def test_the_canvas_is_opaque_white_for_dark_themes():
    with mpl.rc_context():
        mpl.rcdefaults()
        mpl.rcParams["figure.facecolor"] = (1, 1, 1, 0)     # what the inline backend sets
        style.use_course_style()
        assert mpl.colors.to_rgba(mpl.rcParams["figure.facecolor"]) == (1, 1, 1, 1)
        assert mpl.colors.to_rgba(mpl.rcParams["savefig.facecolor"]) == (1, 1, 1, 1)


def test_deck_mode_renders_sharper_and_follows_the_environment(monkeypatch):
    with mpl.rc_context():
        monkeypatch.delenv("COURSE_DECK", raising=False)
        style.use_course_style()
        assert mpl.rcParams["savefig.dpi"] == style.RC["savefig.dpi"]
        monkeypatch.setenv("COURSE_DECK", "1")
        style.use_course_style()
        assert mpl.rcParams["savefig.dpi"] == style.DECK_DPI >= 2 * style.RC["savefig.dpi"]
        style.use_course_style(deck=False)
        assert mpl.rcParams["savefig.dpi"] == style.RC["savefig.dpi"]


def test_font_sizes_reports_the_smallest_visible_text_of_each_kind():
    from matplotlib.figure import Figure
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="a line")
    ax.legend(fontsize=7.5)
    ax.set_title("title", fontsize=13)
    ax.set_xlabel("x", fontsize=10)
    ax.tick_params(labelsize=9)
    ax.text(0.5, 0.5, "hidden", fontsize=4, visible=False)
    assert style.font_sizes(fig) == {"tick": 9.0, "legend": 7.5, "text": 10.0}


@pytest.mark.parametrize("call, message", [
    (lambda: style.contrast_ratio("not a colour", "white"), "a must be a matplotlib colour, got 'not a colour'"),
    (lambda: style.relative_luminance(None), "color must be a matplotlib colour, got None"),
    (lambda: style.series_styles(["LSTM", 3]), "labels must be strings, got 3"),
    (lambda: style.halo(0), "linewidth must be a positive finite number, got 0"),
    (lambda: style.reference_line(_axes(), float("nan")), "value must be a finite number, got nan"),
    (lambda: style.decade_ticks(_axes()), "ax must have a log y-axis, got yscale 'linear'"),
    (lambda: style.decade_ticks(None), "ax must be a matplotlib Axes (such as fig.add_subplot()), got None"),
    (lambda: style.reference_line(_axes(), "1.0"), "value must be a finite number, got '1.0'"),
    (lambda: style.reference_line(_axes(), 1.0, inside="yes"), "inside must be True or False, got 'yes'"),
    (lambda: style.legend_in_line_order("ax"), "ax must be a matplotlib Axes"),
    (lambda: style.font_sizes(None), "fig must be a matplotlib Figure, got None"),
    (lambda: style.series_styles("LSTM"), "labels must be a list of legend labels (strings), got 'LSTM'"),
    (lambda: style.halo(2.0, "no-such-colour"), "color must be a matplotlib colour, got 'no-such-colour'"),
    (lambda: style.text_color_on("no-such-colour"), "background must be a matplotlib colour"),
    (lambda: style.use_course_style(deck="no"), "deck must be True or False, got 'no'"),
])
def test_bad_input_raises_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


def _axes():
    from matplotlib.figure import Figure
    return Figure().add_subplot()
