"""The gradient explorer: every control over its whole range without an error or a warning, the
drawn data agreeing with the maths, and updates made in place."""
import base64
import itertools
import re
import warnings

import numpy as np
import pytest

from helpers import vanishing as gt
from helpers import widgets_vanishing as widgets
from helpers.alt import number
from helpers.init import INITS
from helpers.vanishing import ACTIVATION_NAMES, gradient_state
from helpers.widgets_vanishing import DEFAULTS, gradient_explorer

SCALES = [widgets.SCALE_RANGE[0], 0.3, 1.0, 3.0, widgets.SCALE_RANGE[1]]
LENGTHS = [widgets.T_RANGE[0], 37, widgets.T_RANGE[1]]
AMPLITUDES = [widgets.AMPLITUDE_RANGE[0], 1.0, widgets.AMPLITUDE_RANGE[1]]


@pytest.fixture
def strict():
    """Every warning is an error, and so is every floating-point problem numpy is not told to ignore."""
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        yield


def _explorer(draw=True, **defaults):
    """An explorer on a real Agg canvas (new_figure(live=False)): every update and draw renders
    pixels. Tests draw at a low dpi: the same code paths (and warnings) at a quarter of the pixels."""
    app = gradient_explorer(live=False, **defaults)
    if not draw:
        return app
    app.fig.set_dpi(50)
    app.fig.canvas.draw()
    return app


@pytest.fixture(scope="module")
def app():
    return _explorer()


def _drawn(view):
    """The data the explorer shows, as plain arrays."""
    return {
        "measured": np.asarray(view.norms.measured.get_ydata(), dtype=float).copy(),
        "bound": np.asarray(view.norms.bound.get_ydata(), dtype=float).copy(),
        "image": np.ma.getdata(view.states.image.get_array()).copy(),
        "eigs": np.asarray(view.eigenvalues.eigs.get_offsets()).copy(),
        "header": view.header.get_text(),
        "ylim": view.ax_norms.get_ylim(),
    }


def _check_consistent(view, values, verdict):
    s = gradient_state(**values)
    d = _drawn(view)
    assert verdict == s.verdict
    gl = float(re.search(r"γλ₁ = ([0-9.]+)", verdict).group(1))
    assert gl == pytest.approx(s.gamma_lambda, abs=0.006)
    # The verdict's regime agrees with γλ₁: below 1 it must be vanishing; exploding needs > 1; and
    # with γλ₁ ≥ 1 it follows the rate per step (tests/test_vanishing.py checks the rules in full).
    if s.gamma_lambda < 1:
        assert s.regime == "vanishing" and "vanishing" in verdict
    if s.regime == "exploding":
        assert s.gamma_lambda > 1
    assert s.regime == gt.classify(s.gamma_lambda, s.log10_norms[-1], values["T"] - 1)
    assert "∞" not in verdict.split(" · ")[0]                  # the gradient is a number, however large
    # The header names the setting; the verdict is the status line's alone (not repeated).
    assert d["header"] == (f"{values['activation']} RNN, {widgets.INIT_LABELS[values['init']]} Wₕₕ × "
                           f"{values['scale']:.3g}, T = {values['T']}, input amplitude {values['amplitude']:g}")
    assert "γλ₁" not in d["header"] and s.regime not in d["header"]
    # The drawn lines are the state's exact log₁₀ values, wherever they go; a true zero (-inf) and an
    # undefined gradient (NaN) are marks, not line points. Nothing is exponentiated on the way.
    logs = s.log10_norms
    ok = np.isfinite(logs)
    np.testing.assert_array_equal(d["measured"][ok], logs[ok])
    assert np.isnan(d["measured"][~ok]).all()
    np.testing.assert_array_equal(d["bound"], s.log10_bound)
    assert np.isfinite(d["bound"]).all()                       # the bound's line never stops
    # Marks on the edges: ▲ where the value lies above the fixed axis or is undefined (the states
    # overflowed), ▼ below it or a true zero.
    lo, hi = widgets.DECADES
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(view.norms.inf_marks.get_xdata(), s.k[np.isnan(logs) | (logs > hi)])
        np.testing.assert_array_equal(view.norms.zero_marks.get_xdata(), s.k[logs < lo])
    if (logs == -np.inf).any():
        assert values["activation"] == "relu" and "exactly 0" in view.norms.note.get_text()
    else:
        assert "exactly 0" not in view.norms.note.get_text() and "exactly 0" not in verdict
    # The bound is never below the measurement for the bounded activations.
    if values["activation"] in ("tanh", "sigmoid"):
        assert np.all(logs <= s.log10_bound + 1e-9)
    # The gradient axis is the same for every setting: moving a control tilts the lines.
    assert d["ylim"] == widgets.DECADES
    assert d["image"].shape == (32, values["T"])
    # The heat map is h with units as rows and time as columns (tanh and sigmoid drawn as they
    # are); the eigenvalue panel shows every eigenvalue and circles of radius 1/γ and λ₁.
    if values["activation"] in ("tanh", "sigmoid"):
        np.testing.assert_array_equal(d["image"], s.h.T)
    np.testing.assert_allclose(d["eigs"], np.column_stack([s.eigenvalues.real, s.eigenvalues.imag]))
    for circle, radius in ((view.eigenvalues.gamma_circle, 1 / s.gamma), (view.eigenvalues.lambda_circle, s.lambda1)):
        np.testing.assert_allclose(np.hypot(*circle.get_data()), radius, rtol=1e-12)


@pytest.mark.slow
def test_every_control_at_its_extremes_and_between(app, strict):
    view, fig = app.view, app.fig
    combos = itertools.product([SCALES[0], 1.0, SCALES[-1]], ACTIVATION_NAMES, [LENGTHS[0], LENGTHS[-1]],
                               [AMPLITUDES[0], AMPLITUDES[-1]], INITS)
    for scale, act, T, amp, init in combos:
        values = {"scale": scale, "activation": act, "T": T, "amplitude": amp, "init": init, "seed": 9}
        verdict = view.update(**values)
        fig.canvas.draw()
        _check_consistent(view, values, verdict)


@pytest.mark.slow
@pytest.mark.parametrize("name, grid", [
    ("scale", list(np.logspace(-2, 2, 17))),
    ("activation", list(ACTIVATION_NAMES)),
    ("T", LENGTHS + [2, 3, 100]),
    ("amplitude", list(np.linspace(0, 10, 11))),
    ("init", list(INITS)),
    ("seed", list(range(widgets.SEED_RANGE[0], widgets.SEED_RANGE[1] + 1))),
])
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_each_control_over_its_grid_through_the_widgets(name, grid, activation, strict):
    app = _explorer(activation=activation)
    for value in grid:
        app.controls[name].value = value                  # what a slider move does (update + redraw)
        _check_consistent(app.view, app.values(), app.status.value[3:-4])


@pytest.mark.parametrize("name, value", [("scale", 2.0), ("activation", "sigmoid"), ("T", 50),
                                         ("amplitude", 4.0), ("init", "orthogonal"), ("seed", 3)])
def test_moving_a_control_changes_the_plotted_data(name, value):
    app = _explorer(draw=False)
    before, status = _drawn(app.view), app.status.value
    app.controls[name].value = value
    after = _drawn(app.view)
    changed = [k for k in ("measured", "bound", "image", "eigs") if before[k].shape != after[k].shape
               or not np.array_equal(before[k], after[k], equal_nan=True)]
    assert changed, f"moving {name} changed nothing"
    assert app.status.value != status
    if name in ("scale", "init", "seed"):
        assert "eigs" in changed and "bound" in changed
    if name in ("amplitude", "activation"):
        assert "image" in changed and "measured" in changed


def test_updates_happen_in_place(app):
    counts = lambda: [(len(ax.lines), len(ax.collections), len(ax.images), len(ax.texts)) for ax in app.fig.axes]
    n_axes, first = len(app.fig.axes), counts()
    for scale in (0.2, 5.0, 50.0):
        app.view.update(**{**DEFAULTS, "scale": scale})
    assert len(app.fig.axes) == n_axes and counts() == first


def test_a_small_slider_move_redraws_only_the_data_and_shows_what_a_full_draw_shows():
    app = _explorer()
    draws = []
    app.fig.canvas.mpl_connect("draw_event", lambda _e: draws.append(1))
    limits = [(ax.get_xlim(), ax.get_ylim()) for ax in app.fig.axes]
    for scale in (0.505, 0.51):
        app.controls["scale"].value = scale
    assert [(ax.get_xlim(), ax.get_ylim()) for ax in app.fig.axes] == limits
    assert not draws, "a change that keeps every axis limit must not redraw the whole figure"
    blitted = np.asarray(app.fig.canvas.buffer_rgba()).astype(int)
    app.fig.canvas.draw()
    full = np.asarray(app.fig.canvas.buffer_rgba()).astype(int)
    # Identical, except that the heat map's edge pixels (partly covered by the image) blend the
    # new image over the old one instead of over the white axes.
    rows, cols = np.nonzero(np.abs(blitted - full).max(axis=2))
    x0, y0, x1, y1 = app.view.ax_states.bbox.extents
    height = full.shape[0]
    near_edge = (np.minimum(np.abs(cols - x0), np.abs(cols - x1)) <= 1.5) | \
                (np.minimum(np.abs(height - rows - y0), np.abs(height - rows - y1)) <= 1.5)
    assert near_edge.all(), f"blitting differs inside the figure at {list(zip(rows, cols, strict=True))[:5]}"
    assert rows.size <= 0.02 * (x1 - x0 + y1 - y0)


def test_overflow_is_drawn_as_labelled_marks(strict):
    app = _explorer(scale=widgets.SCALE_RANGE[1], activation="linear", T=200)
    view = app.view
    # linear: the states overflow, the gradient (powers of W_hh) does not: a number beyond the axis
    assert len(view.norms.inf_marks.get_xdata()) > 0 and view.norms.note.get_text() == "▲ above 10⁶⁰"
    assert "overflow" in view.states.title.get_text()
    assert np.ma.count_masked(np.ma.masked_invalid(view.states.image.get_array())) > 0
    assert "e+4" in app.status.value and "the states overflow (∞/NaN) from step" in app.status.value
    app.controls["amplitude"].value = 0.0                     # states stay 0: nothing overflows
    assert "overflow" not in app.status.value and "overflow" not in view.states.title.get_text()
    assert "∞" not in app.status.value and view.norms.note.get_text() == "▲ above 10⁶⁰"
    app.controls["amplitude"].value = 1.0
    app.controls["activation"].value = "relu"                 # relu: NaN states leave φ′ undefined
    assert view.norms.note.get_text() == "▲ undefined (overflow)" and "undefined (NaN)" in app.status.value
    app.controls["amplitude"].value = 0.0
    app.controls["scale"].value = 1.0
    assert view.norms.note.get_text() == "▼ exactly 0" and len(view.norms.zero_marks.get_xdata()) == 199
    app.fig.canvas.draw()


def test_underflow_is_drawn_as_the_numbers_it_is(strict):
    """The review's case: tanh at the smallest scale, T = 200, once drawn and called "exactly 0" from
    k = 148, with the bound's line stopping at k = 185."""
    app = _explorer(scale=widgets.SCALE_RANGE[0], T=200)
    view, s = app.view, app.view.norms
    assert s.note.get_text() == "▼ below 10⁻⁶⁰" and "exactly 0" not in app.status.value
    assert np.isfinite(view.norms.measured.get_ydata()).all() and np.isfinite(view.norms.bound.get_ydata()).all()
    assert float(view.norms.measured.get_ydata()[-1]) < -400


def test_live_explorer_shows_canvas_status_and_png():
    app = gradient_explorer()
    assert app.fig.canvas in app.children
    assert app.status.value.startswith("<b>γλ₁ = ")
    assert len(app.controls) == 6 and [type(c).__name__ for c in app.controls.values()] == [
        "FloatLogSlider", "Dropdown", "IntSlider", "FloatSlider", "Dropdown", "IntSlider"]
    bundle, meta = app._repr_mimebundle_()
    assert meta == {"image/png": {"alt": app.alt}}
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert bundle["text/plain"].startswith("<interactive: vanishing / exploding gradient explorer")


def test_defaults_set_the_starting_controls():
    app = gradient_explorer(live=False, scale=2.0, activation="relu", T=20, amplitude=0.5, init="identity", seed=4)
    assert app.values() == {"scale": 2.0, "activation": "relu", "T": 20, "amplitude": 0.5,
                            "init": "identity", "seed": 4}
    assert len(app.view.norms.measured.get_xdata()) == 20


@pytest.mark.parametrize("kwargs, message", [
    ({"scale": 1e3}, "scale must be in [0.00984, 102], got 1000.0"),
    ({"activation": "elu"}, "activation must be one of 'tanh', 'sigmoid', 'relu', 'linear'; got 'elu'"),
    ({"T": 500}, "T must be in [2, 200], got 500"),
    ({"T": 1}, "T must be an integer >= 2, got 1"),
    ({"amplitude": -1}, "amplitude must be in [0, 10], got -1"),
    ({"init": "he"}, "init must be one of 'gaussian', 'orthogonal', 'identity'; got 'he'"),
    ({"seed": 12}, "seed must be in [0, 9], got 12"),
    ({"gamma": 1}, "gradient_explorer got unknown control(s) gamma"),
    ({"amplitude": None}, "amplitude must be a number, got None"),
    ({"scale": "big"}, "scale must be a number, got 'big'"),
])
def test_bad_defaults_raise_value_error(kwargs, message):
    with pytest.raises(ValueError) as info:
        gradient_explorer(live=False, **kwargs)
    assert message in str(info.value)


@pytest.mark.parametrize("x, expected", [(0.9, 1.0), (1.0, 1.0), (1.1, 1.25), (2.2, 2.5), (3.3, 4.0),
                                         (9.9, 10.0), (11.0, 12.5), (0.05, 0.05), (170.0, 200.0)])
def test_nice_ceil_picks_the_next_round_radius(x, expected):
    assert widgets._nice_ceil(x) == pytest.approx(expected)


def test_the_axes_stay_put_while_the_scale_moves_and_the_status_is_not_the_header():
    """The scrubber's frames share their axes (the scale tilts the lines, S9 of the review), and
    the 1/γ circle is drawn only where it is not the unit circle."""
    app = _explorer()
    view = app.view
    for scale in np.logspace(-2, 2, 13):
        app.controls["scale"].value = float(scale)
        assert view.ax_norms.get_ylim() == widgets.DECADES and view.ax_norms.get_xlim() == (0, 99)
        assert view.ax_states.get_xlim() == (0.5, 100.5)
        assert app.status.value[3:-4] not in view.header.get_text()
        assert not view.eigenvalues.gamma_circle.get_visible()                  # tanh: γ = 1
    app.controls["activation"].value = "sigmoid"
    assert view.eigenvalues.gamma_circle.get_visible()                          # 1/γ = 4
    assert view.states.image.colorbar is view.states.colorbar                      # the heat map has its colour bar


def test_the_explorer_is_three_panels_under_a_header():
    app = _explorer(draw=False)
    view = app.view
    assert [type(p).__name__ for p in view.panels] == ["_NormsPanel", "_StatesPanel", "_EigsPanel"]
    assert [p.ax for p in view.panels] == [view.ax_norms, view.ax_states, view.ax_eigs]
    assert view.animated == [view.header, *view.norms.artists, *view.states.artists, *view.eigenvalues.artists]
    assert app.animated == view.animated and app.rescaled == view.rescaled
    assert view.ax_colorbar in view.rescaled and view.ax_norms.xaxis in view.rescaled
    assert list(app.controls) == list(DEFAULTS) == widgets._CONTROLS.names


def test_every_control_redraws_without_a_full_draw_and_as_a_full_draw_draws(blits_like_a_full_draw):
    """Blitting (and redrawing the axes whose limits moved) shows what drawing everything shows,
    to the pixel, for every control; no control redraws the whole figure."""
    blits_like_a_full_draw(_explorer(draw=False), {
        "scale": [0.3, 2.0, 21.8, widgets.SCALE_RANGE[1], 0.5],
        "activation": ["sigmoid", "relu", "linear", "tanh"],
        "T": [2, 37, 200, 100], "amplitude": [0.0, 10.0, 1.0], "init": ["orthogonal", "identity", "gaussian"],
        "seed": [9, 0]})


def test_the_view_and_the_explorer_check_what_they_are_given():
    from helpers.livefig import new_figure
    with pytest.raises(ValueError, match="fig must be a matplotlib Figure .*, got None"):
        widgets.ExplorerView(None)
    with pytest.raises(ValueError, match="H must be an integer >= 1, got 2.5"):
        widgets.ExplorerView(new_figure(live=False), H=2.5)
    with pytest.raises(ValueError, match="live must be True or False, got 'no'"):
        gradient_explorer(live="no")


def test_the_alt_text_states_the_gradient_the_bound_and_the_eigenvalues(strict):
    """A linear RNN with W_hh = 0.5·Q (Q orthogonal): ∂h_T/∂h_(T−k) = W_hhᵏ, whose norm is 0.5ᵏ
    exactly, as is the bound (γ = 1, λ₁ = 0.5), and every eigenvalue has modulus 0.5."""
    app = gradient_explorer(live=False, activation="linear", init="orthogonal", scale=0.5, T=100)
    end = f"{0.5 ** 99 / 10 ** -30:.2g}e-30"                  # 0.5^99 = 1.58e-30
    assert f"gradient norm ‖∂h_T/∂h_(T−k)‖ falls to {end} at k = 99" in app.alt
    assert f"γλ₁ = 0.5, falls to {end}: the measured norm lies on it" in app.alt
    assert "(right) reach ρ = 0.5, inside the unit circle" in app.alt
    assert app.alt.startswith("linear RNN, orthogonal Wₕₕ × 0.5, T = 100, input amplitude 1: in the top left")
    app.controls["scale"].value = 2.0                          # 2^29 = 5.4e8 at k = 29
    app.controls["T"].value = 30
    assert f"grows to {2 ** 29 / 1e8:.2g}e8 at k = 29" in app.alt and "ρ = 2, outside the unit circle" in app.alt
    app.controls["activation"].value = "tanh"
    saturated = gradient_state(2.0, "tanh", 30, 1.0, "orthogonal", 0, H=32).saturated
    assert f"hidden states (bottom left) are {100 * saturated:.0f}% saturated" in app.alt


def test_the_alt_text_says_when_the_gradient_is_undefined_or_zero(strict):
    overflow = gradient_explorer(live=False, activation="linear", scale=50.0, T=200)
    s = gradient_state(overflow.values()["scale"], "linear", 200, 1.0, "gaussian", 0, H=32)
    assert f"hidden states (bottom left) overflow (black) from t = {s.overflow_step}" in overflow.alt
    # no input and h_0 = 0: every relu unit stays at 0, switched off (φ′(0) = 0), so one step back
    # the gradient is already exactly 0
    relu = gradient_explorer(live=False, activation="relu", amplitude=0.0, T=50)
    assert "‖∂h_T/∂h_(T−k)‖ is exactly 0 from k = 1 on" in relu.alt


@pytest.mark.parametrize(("log10", "text"), [(-48.62, "2.4e-49"), (0.0, "1"), (-0.6021, "0.25"), (5.57, "3.7e5"),
                                             (-29.9996, "1e-30"), (343.36, "2.3e343"), (2.99999, "1000"),
                                             (-4.2, "6.3e-5"), (399.999, "1e400"), (-300.5, "3.2e-301")])
def test_numbers_in_the_alt_text_are_read_from_their_logarithms(log10, text):
    """Written as helpers.alt.number writes numbers (one style in every alt text of the course)."""
    assert widgets._from_log10(log10) == text


# Lesson 04's "Things to try" 5: an orthogonal (or identity) Wₕₕ × 1 has every eigenvalue on the
# unit circle and keeps the gradient at 1; round-off makes ρ = 1.0000000000000033, which is not
# outside the circle, and γλ₁ = 1.0000000000000004, which does not grow.
@pytest.mark.parametrize(("activation", "init", "amplitude"),
                         [("tanh", "orthogonal", 0.0), ("linear", "orthogonal", 1.0), ("linear", "identity", 1.0),
                          ("relu", "orthogonal", 0.0)])
def test_at_scale_1_the_alt_text_says_on_the_unit_circle_and_stays_at_1(strict, activation, init, amplitude):
    app = gradient_explorer(live=False, activation=activation, init=init, amplitude=amplitude, scale=1.0)
    s = gradient_state(1.0, activation, 100, amplitude, init, 0, H=32)
    if (activation, init) == ("tanh", "orthogonal"):                  # the round-off is really there
        assert s.rho != 1 and s.gamma_lambda != 1
    if activation != "relu":          # (relu at amplitude 0: every unit switched off, the gradient is 0)
        assert "‖∂h_T/∂h_(T−k)‖ stays at 1 up to k = 99" in app.alt
        assert "γλ₁ = 1, stays at 1: the measured norm lies on it" in app.alt
    assert app.alt.endswith("reach ρ = 1, on the unit circle.")
    assert "grows" not in app.alt and "outside" not in app.alt


def test_the_alt_text_compares_the_measured_norm_with_its_bound(strict):
    """Gaussian Wₕₕ × 0.5, tanh (the default): the bound's end, 10^(99·log₁₀ γλ₁), and the measured norm below it."""
    app = gradient_explorer(live=False)
    s = gradient_state(0.5, "tanh", 100, 1.0, "gaussian", 0, H=32)
    assert s.gamma_lambda < 1 and np.all(s.log10_norms <= s.log10_bound)
    bound = number(s.gamma_lambda ** 99)
    assert f"γλ₁ = {number(s.gamma_lambda, 3)}, falls to {bound}: the measured norm stays below it." in app.alt
    assert f"falls to {number(10.0 ** s.log10_norms[-1])} at k = 99, while" in app.alt
