import base64
import re

import ipywidgets as w
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import livefig
from helpers.alt import alt_text
from helpers.livefig import Control, Controls, LiveFigure, new_figure


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


def test_importing_livefig_leaves_the_notebook_backend_alone():
    import subprocess
    import sys
    code = ("import matplotlib; matplotlib.use('svg'); import matplotlib.pyplot; "
            "import helpers.livefig; print(matplotlib.get_backend())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "svg"


# ---------------------------------------------------------------------------------------------
# The controls table

TABLE = Controls(
    Control("scale", "log-slider", 0.5, range=(-2, 2), step=0.25, base=2, description="scale", readout_format=".3g"),
    Control("T", "slider", 10, range=(2, 20), step=1, description="T"),
    Control("amplitude", "slider", 1.0, range=(0.0, 10.0), step=0.1, description="amplitude"),
    Control("act", "dropdown", "tanh", options=("tanh", "relu"), description="φ"),
    Control("init", "dropdown", "gaussian", options=(("Gaussian", "gaussian"), ("identity", "identity"))),
    Control("mode", "toggle", "a", options=("a", "b"), button_width="70px"),
)


def test_the_table_builds_one_widget_per_row_with_its_range_and_look():
    widgets = TABLE.widgets(TABLE.check())
    assert [type(c).__name__ for c in widgets] == ["FloatLogSlider", "IntSlider", "FloatSlider", "Dropdown",
                                                   "Dropdown", "ToggleButtons"]
    scale, T, amplitude, act, init, mode = widgets
    assert (scale.base, scale.min, scale.max, scale.step, scale.value) == (2, -2, 2, 0.25, 0.5)
    assert scale.readout_format == ".3g" and scale.description == "scale"
    assert (T.min, T.max, T.step, T.value) == (2, 20, 1, 10)
    assert (amplitude.min, amplitude.max, amplitude.step, amplitude.value) == (0.0, 10.0, 0.1, 1.0)
    assert act.options == ("tanh", "relu") and init.value == "gaussian" and init.label == "Gaussian"
    assert mode.options == ("a", "b") and mode.style.button_width == "70px"
    assert TABLE.names == ["scale", "T", "amplitude", "act", "init", "mode"]


@pytest.mark.parametrize("values, message", [
    ({"scale": 8.0}, "scale must be in [0.25, 4], got 8.0"),
    ({"scale": 0}, "scale must be in [0.25, 4], got 0"),
    ({"scale": "big"}, "scale must be a number, got 'big'"),
    ({"T": 21}, "T must be in [2, 20], got 21"),
    ({"T": 1}, "T must be an integer >= 2, got 1"),
    ({"T": 2.5}, "T must be an integer >= 2, got 2.5"),
    ({"amplitude": -1}, "amplitude must be in [0, 10], got -1"),
    ({"amplitude": float("nan")}, "amplitude must be in [0, 10], got nan"),
    ({"amplitude": None}, "amplitude must be a number, got None"),
    ({"act": "elu"}, "act must be one of 'tanh', 'relu'; got 'elu'"),
    ({"init": "Gaussian"}, "init must be one of 'gaussian', 'identity'; got 'Gaussian'"),
    ({"mode": "c"}, "mode must be one of 'a', 'b'; got 'c'"),
    ({"gamma": 1}, "demo got unknown control(s) gamma; expected some of scale, T, amplitude, act, init, mode"),
])
def test_a_bad_starting_value_names_the_control_the_range_and_the_value(values, message):
    with pytest.raises(ValueError) as info:
        TABLE.check(values, owner="demo")
    assert str(info.value) == message


def test_a_starting_value_off_the_grid_is_put_on_it():
    values = TABLE.check({"scale": 0.6, "amplitude": 0.55, "T": 7})
    assert values["scale"] == 2 ** -0.75                     # 2^-0.737 → the nearest setting 2^-0.75
    assert values["amplitude"] == 0.6 and values["T"] == 7
    assert TABLE.check({"amplitude": 0.3})["amplitude"] == 0.3        # (not 0.30000000000000004)
    assert TABLE.check() == {"scale": 0.5, "T": 10, "amplitude": 1.0, "act": "tanh", "init": "gaussian", "mode": "a"}
    assert TABLE.check({"scale": 4.0})["scale"] == 4.0                 # the ends stay the ends
    even = Controls(Control("n", "slider", 4, range=(0, 9), step=2))
    assert even.check({"n": 7})["n"] == 8 and even.check({"n": 9})["n"] == 8   # (10 is off the slider)
    scale, _, amplitude, *_ = TABLE.widgets(TABLE.check({"scale": 3.0, "amplitude": 4.44}))
    for k in ((np.log2(scale.value) - scale.min) / scale.step, (amplitude.value - amplitude.min) / amplitude.step):
        assert abs(k - round(k)) < 1e-9                   # on the grid the browser snaps to


def test_the_table_itself_is_checked():
    with pytest.raises(ValueError, match="kind must be one of 'slider', 'log-slider', 'dropdown', 'toggle'"):
        Control("x", "knob", 1)
    with pytest.raises(ValueError, match=r"x: range must be two finite numbers \(low, high\) with low < high, "
                                          r"got \(2, 1\)"):
        Control("x", "slider", 1, range=(2, 1), step=1)
    with pytest.raises(ValueError, match="x: a dropdown needs two options or more"):
        Control("x", "dropdown", "a", options=("a",))
    with pytest.raises(ValueError, match="Controls takes Control rows with different names"):
        Controls(Control("x", "slider", 1, range=(0, 2), step=1), Control("x", "slider", 1, range=(0, 2), step=1))
    with pytest.raises(ValueError, match="T: default 30 is not a value of this control: T must be in"):
        Control("T", "slider", 30, range=(2, 20), step=1)        # a default off its own range


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "learning rate"}, "name must be a Python name (the keyword update takes), got 'learning rate'"),
    ({"name": None}, "name must be a string, got None"),
    ({"range": (0, float("nan"))}, "x: range[1] must be a finite number, got nan"),
    ({"range": "ab"}, "x: range must be two finite numbers (low, high) with low < high, got 'ab'"),
    ({"step": True}, "x: step must be a positive finite number, got True"),
    ({"step": 0}, "x: step must be a positive finite number, got 0"),
    ({"default": True}, "x: default True is not a value of this control: x must be a number, got True"),
    ({"default": "0.5"}, "x: default '0.5' is not a value of this control: x must be a number, got '0.5'"),
    ({"default": float("nan")}, "x: default nan is not a value of this control: x must be in [0, 1], got nan"),
    ({"base": 1.0}, "x: base must be a number > 1, got 1.0"),
    ({"options": "ab"}, "x: options must be a tuple of values or (label, value) pairs, got 'ab'"),
    ({"description": None}, "x: description must be a string, got None"),
    ({"readout_format": 2}, "x: readout_format must be a string, got 2"),
])
def test_every_field_of_a_control_is_checked(fields, message):
    with pytest.raises(ValueError) as info:
        Control(**{"name": "x", "kind": "slider", "default": 0.5, "range": (0.0, 1.0), "step": 0.1, **fields})
    assert str(info.value) == message


@pytest.mark.parametrize(("fields", "message"), [
    ({"step": 1e-310}, "x: step must be at least (range[1] − range[0]) / 1e+06 = 1e-06 (a slider offers at most "
                       "1e+06 settings), got 1e-310 for range (0.0, 1.0)"),
    ({"range": (-1.7e308, 1.7e308), "default": 0.0},
     "x: range must be narrower than float64's largest number (range[1] − range[0] overflows), got "
     "(-1.7e+308, 1.7e+308)"),
    ({"kind": "log-slider", "base": 1e305, "range": (-1.0, 1.0), "default": 1.0},
     "x: base and range: a log-slider's values base^range[0] … base^range[1] must stay within 1e±300 (float64), "
     "got base 1e+305 and range (-1.0, 1.0)"),
])
def test_a_slider_whose_values_float64_cannot_step_through_is_refused(fields, message):
    """A step of 1e-310 used to raise a raw OverflowError (the offset from min over the step is inf)."""
    with pytest.raises(ValueError) as info:
        Control(**{"name": "x", "kind": "slider", "default": 0.5, "range": (0.0, 1.0), "step": 0.1, **fields})
    assert str(info.value) == message


def test_the_methods_of_the_table_name_the_argument_at_fault():
    for call, message in [
            (lambda: TABLE.check("abc"), "values must be a dict of starting values {control: value}, got 'abc'"),
            (lambda: TABLE.check([("T", 3)]), "values must be a dict of starting values"),
            (lambda: TABLE.check({}, owner=None), "owner must be a string, got None"),
            (lambda: TABLE.check({1: 2, "gamma": 3}), "the live figure got unknown control(s) 1, gamma"),
            (lambda: TABLE.widgets(None), "values must be a dict of values {control: value} for scale, T, "
                                         "amplitude, act, init, mode, got None"),
            (lambda: TABLE.widgets("abc"), "values must be a dict of values"),
            (lambda: TABLE.widgets({"scale": 0.5}), "values must hold a value for every control (scale, T, amplitude, "
                                                   "act, init, mode) and no other; missing T, amplitude, act, init, "
                                                   "mode"),
            (lambda: TABLE.widgets({**TABLE.check(), "gamma": 1}), "and no other; unknown gamma"),
            (lambda: TABLE.widgets({**TABLE.check(), "T": "ten"}), "T must be an integer >= 2, got 'ten'"),
            (lambda: TABLE[0].widget(None), "scale must be a number, got None"),
            (lambda: TABLE[3].widget("elu"), "act must be one of 'tanh', 'relu'; got 'elu'"),
            (lambda: LiveFigure.from_view(None, DEMO, "demo"), "view must have fig, animated, update and alt"),
            (lambda: LiveFigure.from_view(_DemoView(new_figure(live=False)), [DEMO[0]], "demo"),
             "controls must be a Controls table (of Control rows), got [Control("),
            (lambda: LiveFigure.from_view(_DemoView(new_figure(live=False)), DEMO, None), "title must be a string"),
            (lambda: LiveFigure.from_view(_DemoView(new_figure(live=False)), DEMO, "demo", "abc"),
             "values must be a dict of starting values"),
            (lambda: LiveFigure.from_view(_DemoView(new_figure(live=False)), DEMO, "demo", owner=3),
             "owner must be a string, got 3")]:
        with pytest.raises(ValueError) as info:
            call()
        assert message in str(info.value), message
    assert len(TABLE.widgets(TABLE.check())) == len(TABLE)


def test_controls_and_live_figures_name_the_argument_at_fault():
    with pytest.raises(ValueError, match=r"controls\[1\] must be a Control row, got 'x'"):
        Controls(Control("x", "slider", 1, range=(0, 2), step=1), "x")
    fig = new_figure(live=False)
    (line,) = fig.add_subplot().plot([0, 1])
    args = {"fig": fig, "controls": [w.IntSlider()], "names": ["a"], "update": lambda a: None, "title": "x"}
    for wrong, message in [({"fig": None}, "fig must be a Figure from new_figure, got None"),
                           ({"controls": w.IntSlider()}, "controls must be a list of ipywidgets controls"),
                           ({"controls": [None]}, "controls[0] must be one of ipywidgets controls, got None"),
                           ({"names": [3]}, "names[0] must be a string, got 3"),
                           ({"names": ["a", "b"]}, "names must have one entry per control: controls has 1, "
                                                   "names has 2"),
                           ({"update": "f"}, "update must be a function"),
                           ({"title": None}, "title must be a string, got None"),
                           ({"rescaled": [None]}, "rescaled must hold artists of fig, got None"),
                           ({"alt": "text"}, "alt must be a function"),
                           ({"labels": "a"}, "labels must be a list of accessible names"),
                           ({"labels": [None]}, "labels[0] must be a string, got None"),
                           ({"labels": ["a", "b"]}, "labels must have one entry per control: controls has 1, "
                                                    "labels has 2"),
                           ({"animated": line}, "animated must be a list of artists of fig")]:
        with pytest.raises(ValueError) as info:
            LiveFigure(**{**args, **wrong})
        assert message in str(info.value)
    with pytest.raises(ValueError, match="live must be True or False, got 'no'"):
        new_figure(live="no")


class _DemoView:
    """x**power with the x axis 0 … width; the x axis is redrawn when the width changes."""

    def __init__(self, fig):
        self.fig = fig
        ax = self.ax = fig.add_subplot()
        self.x = np.linspace(0, 1, 50)
        (self.line,) = ax.plot(self.x, self.x)
        ax.set_ylim(0, 1)
        self.animated = [self.line, ax.title]
        self.rescaled = [ax.xaxis, *ax.spines.values()]

    def update(self, power: float, width: int) -> str:
        self.line.set_data(width * self.x, self.x ** power)
        self.ax.set_xlim(0, width)
        self.ax.set_title(f"x^{power:g}")
        return f"power {power:g}, width {width}"

    def alt(self) -> str:
        x, y = self.line.get_data()
        return f"x^p from 0 to {x[-1]:g}: it ends at {y[-1]:g}, and at x = {x[25]:.3f} it is {y[25]:.3f}."


DEMO = Controls(Control("power", "slider", 1.0, range=(0.5, 3.0), step=0.5, label="power p"),
                Control("width", "slider", 1, range=(1, 4), step=1, description="width"))


def test_from_view_puts_view_and_table_together():
    view = _DemoView(new_figure(live=False, figsize=(4, 2)))
    app = LiveFigure.from_view(view, DEMO, "demo", {"power": 2.0}, owner="demo")
    assert app.view is view and list(app.controls) == ["power", "width"]
    assert app.values() == {"power": 2.0, "width": 1}
    assert app.status.value == "<b>power 2, width 1</b>" and app.animated == view.animated
    assert app.rescaled == view.rescaled
    with pytest.raises(ValueError, match="demo got unknown control"):
        LiveFigure.from_view(_DemoView(new_figure(live=False)), DEMO, "demo", {"gamma": 1}, owner="demo")


def test_the_alt_text_follows_the_state_shown_into_the_display_metadata():
    """After every update the figure carries its view's alt text, which the display's PNG fallback
    carries as metadata (what notebooks, decks and the website read) and the Access widget as the
    canvas's label in the browser."""
    app = LiveFigure.from_view(_DemoView(new_figure(live=True, figsize=(4, 2))), DEMO, "demo")
    # x = 25/49 on [0, 1] at power 1, width 1: independent of the view, from the maths
    assert app.alt == "x^p from 0 to 1: it ends at 1, and at x = 0.510 it is 0.510."
    app.controls["power"].value = 2.0
    app.controls["width"].value = 3
    expected = f"x^p from 0 to 3: it ends at 1, and at x = {3 * 25 / 49:.3f} it is {(25 / 49) ** 2:.3f}."
    assert app.alt == expected == alt_text(app.fig) == app.access.alt
    data, meta = app._repr_mimebundle_()
    assert meta == {"image/png": {"alt": expected}}
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG") and data["text/plain"].startswith("<interactive")


def test_without_alt_a_live_figure_is_undescribed_and_its_display_has_no_metadata():
    app, _, slider = _app(False)
    slider.value = 2.0
    assert app.alt is None and isinstance(app._repr_mimebundle_(), dict)
    assert app.access.alt == "power demo"                  # the canvas is still labelled, by the title


def test_every_control_gets_an_accessible_name_and_the_access_widget_is_invisible():
    app = LiveFigure.from_view(_DemoView(new_figure(live=True, figsize=(4, 2))), DEMO, "demo")
    assert app.access.names == ["power p", "width"]          # the label, else the description
    assert app.children[-1] is app.access and app.access.layout.display == "none"
    assert app.fig.canvas in app.children
    names = [c.accessible_name for c in (Control("w", "slider", 1.0, range=(0, 2), step=1.0),
                                         Control("w", "slider", 1.0, range=(0, 2), step=1.0, description="w"),
                                         Control("w", "slider", 1.0, range=(0, 2), step=1.0, description="w",
                                                 label="weight w"))]
    assert names == ["w", "w", "weight w"]
    plain, _, _ = _app(False)
    assert plain.access.names == ["power"]                   # no description: the keyword name
    with pytest.raises(ValueError, match="names must be a list of accessible names"):
        livefig.Access("w")
    with pytest.raises(ValueError, match="alt must be a string, got 3"):
        livefig.Access(["w"], 3)
    with pytest.raises(ValueError, match="w: label must be a string, got 3"):
        Control("w", "slider", 1.0, range=(0, 2), step=1.0, label=3)


def test_a_limit_that_rescaled_artists_cover_is_redrawn_without_a_full_draw():
    app = LiveFigure.from_view(_DemoView(new_figure(live=False, figsize=(4, 2))), DEMO, "demo")
    app.fig.canvas.draw()
    draws = _count_draws(app.fig)
    for width in (2, 3, 4, 1):
        app.controls["width"].value = width                # the x limits change: rescaled, no full draw
        app.controls["power"].value = 1.5 + width % 2         # no limit changes: blit only
        assert not draws
        assert app.fig.axes[0].get_xlim() == (0, width)
        blitted = _pixels(app.fig)
        app.fig.canvas.draw()
        assert np.array_equal(blitted, _pixels(app.fig)), f"width {width}"
        draws.clear()
    app.fig.axes[0].set_ylim(0, 2)                            # a limit nothing covers: a full draw
    app.redraw()
    assert len(draws) == 1


def test_a_rescaled_colour_bar_follows_its_colour_limits():
    fig = new_figure(live=False, figsize=(4, 2))
    ax, cax = fig.add_axes((0.1, 0.1, 0.6, 0.8)), fig.add_axes((0.8, 0.1, 0.05, 0.8))
    image = ax.imshow(np.arange(12.0).reshape(3, 4), vmin=0, vmax=1)
    fig.colorbar(image, cax=cax)

    def update(top):
        image.set_clim(0, top)
        return None

    app = LiveFigure(fig, [w.IntSlider(value=1, min=1, max=20)], ["top"], update, "demo",
                     animated=[image, *ax.spines.values()], rescaled=[cax])   # (the frame goes over the image)
    fig.canvas.draw()
    draws = _count_draws(fig)
    for top in (5, 11, 20):
        app.controls["top"].value = top
        assert not draws and cax.get_ylim() == (0, top)
        blitted = _pixels(fig)
        fig.canvas.draw()
        assert np.array_equal(blitted, _pixels(fig)), top
        draws.clear()


def test_saved_figures_include_the_rescaled_artists_once():
    app = LiveFigure.from_view(_DemoView(new_figure(live=False, figsize=(4, 2))), DEMO, "demo")
    app.controls["width"].value = 3
    plain_view = _DemoView(new_figure(live=False, figsize=(4, 2)))
    plain_view.animated = plain_view.rescaled = ()
    plain = LiveFigure.from_view(plain_view, DEMO, "demo", {"width": 3})
    assert app.png() == plain.png()


def test_updates_run_on_one_blas_thread_and_restore_the_setting():
    threads = livefig._openblas_threads()
    if threads is None:
        pytest.skip("numpy does not use the wheels' OpenBLAS here")
    get, set_ = threads
    before = get()
    set_(2)
    try:
        seen = []
        app = LiveFigure(new_figure(live=False), [w.IntSlider()], ["a"], lambda a: seen.append(get()), "x")
        app.controls["a"].value = 3
        assert seen == [1, 1] and get() == 2
    finally:
        set_(before)


def _two_panels(gap: float):
    """Two panels side by side (``gap`` apart, in figure fractions), each x axis 0 … width."""
    fig = new_figure(live=False, figsize=(5, 2))
    left, right = fig.add_axes((0.1, 0.2, 0.4 - gap / 2, 0.7)), fig.add_axes((0.5 + gap / 2, 0.2, 0.4 - gap / 2, 0.7))
    lines = [ax.plot([0, 1], [0, 1])[0] for ax in (left, right)]
    drawn = []
    for ax in (left, right):
        ax.xaxis.draw = (lambda draw, name: lambda r: (drawn.append(name), draw(r)))(ax.xaxis.draw, ax)

    def update(a: int, b: int) -> None:
        for ax, line, width in ((left, lines[0], a), (right, lines[1], b)):
            line.set_data([0, width], [0, 1])
            ax.set_xlim(0, width)

    controls = [w.IntSlider(value=1, min=1, max=999), w.IntSlider(value=1, min=1, max=999)]
    app = LiveFigure(fig, controls, ["a", "b"], update, "demo", animated=lines,
                     rescaled=[left.xaxis, *left.spines.values(), right.xaxis, *right.spines.values()])
    fig.canvas.draw()
    drawn.clear()
    return app, (left, right), drawn


@pytest.mark.parametrize("gap", [0.2, 0.0])
def test_only_the_axes_whose_limits_moved_are_redrawn_unless_they_touch_others(gap):
    app, (left, right), drawn = _two_panels(gap)
    draws = _count_draws(app.fig)
    for a in (7, 30, 999, 2):
        app.controls["a"].value = a
        assert not draws
        assert drawn == ([left] if gap else [left, right])       # touching regions are redrawn together
        drawn.clear()
        blitted = _pixels(app.fig)
        app.fig.canvas.draw()
        assert np.array_equal(blitted, _pixels(app.fig)), a
        drawn.clear()
        draws.clear()


def test_every_live_figure_of_the_gallery_has_specific_alt_text():
    """Every live figure the course shows says what it shows now, in one to three sentences that
    are not its title, and its display carries it."""
    import figure_gallery
    for name in figure_gallery.LIVE:
        app = figure_gallery.GALLERY[name]()
        alt = app.alt
        assert alt and not alt.startswith("Figure") and app.title not in alt, name
        assert 1 <= len(re.findall(r"[.!?](?:\s|$)", alt)) <= 3 and len(alt) <= 500, f"{name}: {alt}"
        assert re.search(r"\d", alt), f"{name}: no number from the data in {alt!r}"
        assert app._repr_mimebundle_()[1] == {"image/png": {"alt": alt}}, name


def _course_tables() -> dict[str, Controls]:
    """Every Controls table of the widgets modules (the hidden-state player's is made per T)."""
    from helpers import widgets_cliff, widgets_esn, widgets_sequences, widgets_vanishing
    tables = {f"{m.__name__}.{k}": v for m in (widgets_cliff, widgets_esn, widgets_sequences, widgets_vanishing)
              for k, v in vars(m).items() if isinstance(v, Controls)}
    tables["hidden_state_player"] = widgets_sequences._player_controls(7)
    return tables


@pytest.mark.parametrize(("table", "control"), [(t, c) for t, cs in _course_tables().items() for c in cs],
                         ids=lambda x: x if isinstance(x, str) else x.name)
def test_every_control_of_the_course_says_its_visible_label_and_what_it_is(table, control):
    """WCAG 2.5.3 Label in Name: the accessible name contains the visible label (speech users say
    what they see), and says in a word what a bare symbol is ("t" → "time step t")."""
    name = control.accessible_name
    assert control.description and control.description in name, (table, name)
    assert re.search(r"[a-z]{4,}", name), f"{table}: {name!r} is a bare symbol"


def test_the_course_has_its_six_tables():
    assert len(_course_tables()) == 6
