"""The course's look: the palette, one colour per activation, and the matplotlib defaults."""
import matplotlib

matplotlib.use("Agg")
import matplotlib as mpl  # noqa: E402

from helpers import style  # noqa: E402


def test_every_activation_has_its_own_palette_colour():
    colours = list(style.ACTIVATION_COLORS.values())
    assert sorted(style.ACTIVATION_COLORS) == ["linear", "relu", "sigmoid", "tanh"]
    assert len(set(colours)) == 4 and set(colours) <= set(style.PALETTE.values())
    assert len(set(style.CYCLE)) == len(style.CYCLE) == 8


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
