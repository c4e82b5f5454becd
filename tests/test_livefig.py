import base64

import ipywidgets as w
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers.exercises import check_close, check_true
from helpers.livefig import LiveFigure, new_figure


def _app(live, blit=False):
    """x**power on [0, 1] with a power slider; past power 2.5 the y axis grows to [0, 2]."""
    fig = new_figure(live=live, figsize=(4, 2))
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 50)
    (line,) = ax.plot(x, x)
    label = fig.text(0.5, 0.95, "", ha="center")
    ax.set_ylim(0, 1)
    slider = w.FloatSlider(value=1.0, min=0.5, max=3.0)

    def update(power):
        line.set_ydata(x ** power)
        label.set_text(f"x^{power:.1f}")
        ax.set_ylim(0, 2 if power > 2.5 else 1)
        return f"power = {power:.1f}"

    app = LiveFigure(fig, [slider], ["power"], update, "power demo", animated=[line, label] if blit else ())
    return app, line, slider


def _pixels(fig):
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def _count_draws(fig):
    count = []
    fig.canvas.mpl_connect("draw_event", lambda _e: count.append(1))
    return count


@pytest.mark.parametrize("blit", [False, True])
@pytest.mark.parametrize("live", [False, True])
def test_moving_a_control_updates_artists_in_place_and_the_status(live, blit):
    app, line, slider = _app(live, blit)
    assert app.status.value == "<b>power = 1.0</b>"
    before = app.png()
    slider.value = 2.0
    np.testing.assert_allclose(line.get_ydata(), np.linspace(0, 1, 50) ** 2)
    assert app.status.value == "<b>power = 2.0</b>"
    assert app.png() != before
    assert len(app.fig.axes[0].lines) == 1           # updated in place, nothing piled up


@pytest.mark.parametrize("live", [False, True])
def test_blitting_shows_exactly_what_a_full_draw_shows(live):
    app, line, slider = _app(live, blit=True)
    draws = _count_draws(app.fig)
    slider.value = 2.0                                   # limits unchanged: blit only
    assert not draws, "a change that keeps every axis limit must not redraw the whole figure"
    blitted = _pixels(app.fig)
    app.fig.canvas.draw()                                # a full draw, as a browser refresh asks for
    assert np.array_equal(blitted, _pixels(app.fig))
    slider.value = 3.0                                   # the y limit changes: full draw
    assert len(draws) == 2
    assert app.fig.axes[0].get_ylim() == (0, 2)


def test_blitted_figures_save_with_their_animated_artists():
    """savefig (the PNG stored with the notebook) must include the animated artists, axes-level
    and figure-level alike, drawn once."""
    with_line, line, slider = _app(False, blit=True)
    slider.value = 2.0
    plain, _, plain_slider = _app(False, blit=False)
    plain_slider.value = 2.0
    assert with_line.png() == plain.png()


def test_display_bundle_has_widget_view_png_and_stable_text():
    app, _, _ = _app(True)
    bundle = app._repr_mimebundle_()
    assert bundle["text/plain"] == "<interactive: power demo (run the notebook to use the controls)>"
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert app.fig.canvas in app.children


def test_animated_artists_must_belong_to_the_figure():
    fig, other = new_figure(live=False), new_figure(live=False)
    (line,) = other.add_subplot().plot([0, 1])
    with pytest.raises(ValueError, match="animated must hold artists of fig"):
        LiveFigure(fig, [w.IntSlider()], ["a"], lambda a: None, "x", animated=[line])
    with pytest.raises(ValueError, match="animated must hold artists of fig"):
        LiveFigure(fig, [w.IntSlider()], ["a"], lambda a: None, "x", animated=["not an artist"])
    bare = Figure()                                     # matplotlib's base canvas cannot blit
    (line,) = bare.add_subplot().plot([0, 1])
    with pytest.raises(ValueError, match="fig must draw on an Agg canvas"):
        LiveFigure(bare, [w.IntSlider()], ["a"], lambda a: None, "x", animated=[line])


def test_names_must_match_controls():
    fig = new_figure(live=False)
    with pytest.raises(ValueError, match="names must have one entry per control"):
        LiveFigure(fig, [w.IntSlider()], ["a", "b"], lambda **k: None, "x")


def test_exercise_checks_report_and_return(capsys):
    assert check_close("Exercise 1", [1.0, 2.0], np.array([1.0, 2.0]), "think") is True
    assert check_close("Exercise 1", None, 1.0, "think") is False
    assert check_close("Exercise 2", [1.0], [1.0, 2.0], "shape!") is False
    assert check_true("Exercise 3", 1 + 1 == 3, "arithmetic") is False
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✓ Exercise 1: correct."
    assert out[1] == "✗ Exercise 1: not yet. Hint: replace None with your answer; think"
    assert out[2] == "✗ Exercise 2: not yet. Hint: the answer should have shape (2,), got (1,); shape!"
    assert out[3] == "✗ Exercise 3: not yet. Hint: arithmetic"


def test_check_close_turns_down_wrong_values_at_its_tolerances(capsys):
    assert check_close("E", [1.0, 2.1], [1.0, 2.0], "h") is False               # one entry off
    assert check_close("E", 1.0 + 2e-6, 1.0, "h") is False                      # beyond rtol 1e-6
    assert check_close("E", 1.0 + 5e-7, 1.0, "h") is True                       # within it
    assert check_close("E", 5e-10, 0.0, "h") is True and check_close("E", 2e-9, 0.0, "h") is False   # atol 1e-9
    assert check_close("E", 33, 31, "h", atol=3.0) is True and check_close("E", 35, 31, "h", atol=3.0) is False
    assert check_close("E", "31", 31, "h") is True                              # numbers as text still count
    assert check_close("E", "thirty", 31, "h") is False
    out = capsys.readouterr().out.splitlines()
    assert [line[0] for line in out] == ["✗", "✗", "✓", "✓", "✗", "✓", "✗", "✓", "✗"]
    assert out[-1] == "✗ E: not yet. Hint: the answer should be numbers, got str; h"


def test_importing_livefig_leaves_the_notebook_backend_alone():
    import subprocess
    import sys
    code = ("import matplotlib; matplotlib.use('svg'); import matplotlib.pyplot; "
            "import helpers.livefig; print(matplotlib.get_backend())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "svg"
