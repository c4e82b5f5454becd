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
