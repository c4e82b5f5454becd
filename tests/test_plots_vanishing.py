"""The static figures of lesson 04 show the numbers of helpers.vanishing, labelled, without
warnings."""
import re
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from helpers import plots_vanishing as pg
from helpers import vanishing as gt
from helpers.alt import alt_text
from helpers.init import recurrent_matrix
from helpers.linalg import matrix_power_norms
from helpers.optim import History, train_sgd


@pytest.fixture(autouse=True)
def _figures_draw_without_warnings():
    """Drawing must not warn either (warnings are errors; tests/conftest.py then closes the figures)."""
    yield
    for n in plt.get_fignums():
        plt.figure(n).canvas.draw()


def _labelled(fig: Figure):
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        assert ax.get_xlabel() and ax.get_title(), ax
    assert fig.axes[0].get_ylabel()


def _history(loss, status="finished"):
    loss = np.asarray(loss, dtype=float)
    return History({}, loss, loss * 10, np.zeros(loss.size, bool), status, "")


def test_phase_diagram_shows_the_grid_and_the_edges():
    scales, lengths = np.logspace(-1, 1, 9), np.array([4, 8, 16])
    fig = pg.plot_phase_diagram(("tanh", "linear"), scales, lengths, H=8)
    _labelled(fig)
    ax = fig.axes[0]
    grid = gt.phase_diagram("tanh", scales, lengths, H=8)
    mesh = ax.collections[0]
    np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(len(lengths), len(scales)),
                               np.clip(grid, -pg.PHASE_CLIP, pg.PHASE_CLIP).T)
    xs = sorted(line.get_xdata()[0] for line in ax.lines)
    assert xs == pytest.approx(sorted([gt.edge_scale("tanh", H=8), gt.edge_scale("tanh", H=8, which="rho")]))
    assert ax.get_xscale() == "log" and ax.get_ylabel() == "sequence length T"
    assert fig.axes[1].get_title() == "linear"
    # Black titles (coloured ones were 2.3:1 on white); every line over the colours has a white
    # halo, and the measured edge (the contour) has its own colour.
    assert all(to_rgba(a.title.get_color()) == (0, 0, 0, 1) for a in fig.axes[:2])
    assert all(line.get_path_effects() for line in ax.lines)
    (contour,) = [c for c in ax.collections if c is not mesh]
    assert contour.get_path_effects() and to_rgba(contour.get_edgecolor()[0]) != to_rgba(ax.lines[0].get_color())


def test_nonnormal_powers_plot_the_measured_norms_and_the_peak():
    fig = pg.plot_nonnormal_powers(0.9, 5.0, k_max=60)
    _labelled(fig)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), matrix_power_norms(gt.nonnormal_matrix(0.9, 5.0), 60))
    np.testing.assert_allclose(ax.lines[1].get_ydata(), 0.9 ** np.arange(61))
    assert "peak 19 at k = 9" in ax.texts[0].get_text()
    assert ax.get_yscale() == "log" and "0.9 < 1" in ax.get_title()
    assert "[[" not in ax.get_title()                         # the matrix as mathematics, not Python


def test_gaussian_spectrum_shows_eigenvalues_and_quarter_circle():
    fig = pg.plot_gaussian_spectrum(H=50, seed=2)
    _labelled(fig)
    W = recurrent_matrix(50, 1.0, "gaussian", 2)
    offsets = np.asarray(fig.axes[0].collections[0].get_offsets())
    ev = np.linalg.eigvals(W)
    np.testing.assert_allclose(np.sort_complex(offsets[:, 0] + 1j * offsets[:, 1]), np.sort_complex(ev))
    quarter = fig.axes[1].lines[0]
    np.testing.assert_allclose(np.trapezoid(quarter.get_ydata(), quarter.get_xdata()), 1.0, atol=2e-3)
    assert f"σ₁ = {np.linalg.norm(W, 2):.2f}" in fig.axes[1].get_title()
    unit, sigma_circle = fig.axes[0].lines[:2]                   # the unit circle, then radius σ₁
    np.testing.assert_allclose(np.hypot(*unit.get_data()), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.hypot(*sigma_circle.get_data()), np.linalg.norm(W, 2), rtol=1e-12)
    heights = [p.get_height() for p in fig.axes[1].patches]     # density histogram of the singular values
    counts, _ = np.histogram(np.linalg.svd(W, compute_uv=False), bins=22, range=(0, 2.2))
    np.testing.assert_allclose(np.array(heights) * 0.1 * 50, counts, rtol=1e-9)


def test_sigmoid_saturation_marks_the_tiny_derivative_at_ten():
    fig = pg.plot_sigmoid_saturation()
    _labelled(fig)
    texts = [t.get_text() for t in fig.axes[1].texts]
    d10 = f"{np.exp(-10) / (1 + np.exp(-10)) ** 2:.1e}"
    assert texts == [f"σ′(−10)\n= {d10}", f"σ′(+10)\n= {d10}"]
    # The labels stay inside the axes (the first version ran off its left edge).
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.axes[1].get_window_extent(renderer)
    for t in fig.axes[1].texts:
        b = t.get_window_extent(renderer)
        assert box.x0 <= b.x0 and b.x1 <= box.x1 and box.y0 <= b.y0 and b.y1 <= box.y1, t.get_text()
    assert max(fig.axes[0].lines[1].get_ydata()) == pytest.approx(0.25, abs=1e-4)
    # σ′ is drawn the same way in both panels (it was dashed on the left, solid on the right).
    left, right = ([line for line in a.lines if line.get_label() == "σ′(z)"][0] for a in fig.axes)
    assert (left.get_linestyle(), left.get_color(), left.get_linewidth()) == \
        (right.get_linestyle(), right.get_color(), right.get_linewidth())


def _run_to(losses):
    """A History from the real trainer whose loss function returns ``losses`` in turn (gradient 1)."""
    it = iter(losses)
    return train_sgd({"w": np.zeros(1)}, lambda theta: (next(it), {"w": np.ones(1)}), steps=len(losses), lr=0.1,
                     verbose=False)


def test_exploding_run_marks_the_stop_of_a_diverged_run_only():
    fine, blown = _history([1.0, 0.5, 0.4]), _run_to([1.0, 30.0, 1e100, np.inf])
    assert blown.message.startswith("Stopped at step 3 of 4: the loss became inf")
    fig = pg.plot_exploding_run({"ok": fine, "boom": blown}, steps_shown=10)
    _labelled(fig)
    ax = fig.axes[0]
    marks = [line for line in ax.lines if line.get_marker() == "X"]
    assert len(marks) == 1 and marks[0].get_xdata()[0] == 3 and marks[0].get_ydata()[0] == 1e100
    assert ax.texts[0].get_text() == "inf: stopped"               # as the trainer says (it used to read NaN)
    np.testing.assert_allclose(fig.axes[1].lines[1].get_ydata(), blown.grad_norm)
    assert ax.get_xlim() == (-1, 10) and ax.get_yscale() == "log"
    # Beside a run at 10¹⁰⁰ the healthy one is a flat line: it is shown again on a linear scale.
    (inset,) = ax.child_axes
    assert inset.get_yscale() == "linear" and len(inset.lines) == 1
    np.testing.assert_array_equal(inset.lines[0].get_ydata(), fine.loss)
    assert not pg.plot_exploding_run({"ok": fine}).axes[0].child_axes      # nothing diverged: no inset


@pytest.mark.parametrize(("last", "label"), [(np.inf, "inf: stopped"), (-np.inf, "−inf: stopped"),
                                             (np.nan, "NaN: stopped")])
def test_the_stop_is_labelled_with_what_the_loss_became(last, label):
    blown = _run_to([1.0, 30.0, last])
    ax = pg.plot_exploding_run({"boom": blown}).axes[0]
    assert [t.get_text() for t in ax.texts] == [label]


def test_the_stop_of_a_run_whose_gradient_or_weights_overflowed_says_so():
    it = iter([(1.0, np.ones(1)), (2.0, np.full(1, np.inf))])
    grad = train_sgd({"w": np.zeros(1)}, lambda theta: (lambda v: (v[0], {"w": v[1]}))(next(it)), steps=2,
                     lr=0.1, verbose=False)
    assert "the gradient norm became inf" in grad.message
    weights = train_sgd({"w": np.zeros(1)}, lambda theta: (1.0, {"w": np.full(1, 1e200)}), steps=2,
                        lr=1e200, verbose=False)               # w − 1e200 · 1e200 overflows
    assert "an update made a weight inf or NaN" in weights.message
    by_hand = History({}, np.ones(2), np.ones(2), np.zeros(2, bool), "diverged", "")
    for hist, label in ((grad, "gradient inf: stopped"), (weights, "weight inf/NaN: stopped"),
                        (by_hand, "stopped")):
        ax = pg.plot_exploding_run({"run": hist}).axes[0]
        assert [t.get_text() for t in ax.texts] == [label]


def test_vanishing_plateau_shows_chance_and_input_gradients():
    g = np.array([1e-12, 1e-6, 0.3])
    fig = pg.plot_vanishing_plateau({"T = 30": _history([1.4, 1.39, 1.38])}, np.log(4), {"after": g})
    _labelled(fig)
    chance = [line for line in fig.axes[0].lines if line.get_label() == "_chance"][0]     # the reference style
    assert chance.get_ydata()[0] == pytest.approx(np.log(4))
    assert "chance" in [t.get_text() for t in fig.axes[0].texts]                          # labelled directly
    line = fig.axes[1].lines[0]
    np.testing.assert_array_equal(line.get_xdata(), [2, 1, 0])           # steps back from the target
    np.testing.assert_array_equal(line.get_ydata(), g)
    assert fig.axes[1].get_yscale() == "log"


def test_feedforward_plot_draws_median_and_band_per_model():
    ff, rnn = gt.feedforward_vs_recurrent("tanh", 1.0, depth=10, H=6, trials=5)
    fig = pg.plot_feedforward_vs_recurrent({"tanh": (ff, rnn)})
    _labelled(fig)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), np.median(ff, axis=0))
    np.testing.assert_allclose(ax.lines[1].get_ydata(), np.median(rnn, axis=0))
    assert len(ax.collections) == 2
    # The feed-forward band is hatched and drawn over the RNN's shaded one, so neither hides the other.
    ff_band, rnn_band = ax.collections
    assert ff_band.get_hatch() and ff_band.get_zorder() > rnn_band.get_zorder()
    assert len(ff_band.get_facecolor()) == 0 or ff_band.get_facecolor()[0][3] == 0


def test_a_gradient_exactly_zero_is_drawn_on_the_bottom_edge():
    """relu units that all stop firing give a gradient exactly 0, log₁₀ = −inf
    (feedforward_vs_recurrent returns it): the median there sits on the bottom edge, marked ▼."""
    ff, rnn = gt.feedforward_vs_recurrent("relu", 1.0, depth=20, H=2)
    assert np.isneginf(ff).any()
    fig = pg.plot_feedforward_vs_recurrent({"relu": (ff, rnn)})
    ax = fig.axes[0]
    bottom = ax.get_ylim()[0]
    median = np.sort(ff, axis=0)[ff.shape[0] // 2 - 1: ff.shape[0] // 2 + 1].mean(axis=0)    # 20 trials: mean of two
    drawn = ax.lines[0].get_ydata()
    np.testing.assert_allclose(drawn[np.isfinite(median)], median[np.isfinite(median)], rtol=1e-12)
    assert np.all(drawn[np.isneginf(median)] == bottom) and np.isfinite(bottom)
    (marks,) = [line for line in ax.lines if line.get_marker() == "v"]
    np.testing.assert_array_equal(marks.get_xdata(), np.flatnonzero(np.isneginf(median)))
    assert "median −inf (gradient exactly 0), on the bottom edge" in [t.get_text() for t in fig.legends[0].texts]


def test_percentiles_read_infinities_as_beyond_every_finite_value():
    data = np.array([[-np.inf, 1.0, 2.0], [-np.inf, 3.0, np.inf], [0.0, 5.0, np.inf], [1.0, 7.0, np.inf]])
    lo, mid, hi = pg._percentiles(data, [10, 50, 90])
    # numpy's interpolation (i = q/100 · 3): between the 1st and 2nd, 2nd and 3rd, 3rd and 4th sorted values
    assert lo[0] == -np.inf and mid[0] == -np.inf and hi[0] == pytest.approx(0.7)
    np.testing.assert_array_equal([lo[1], mid[1], hi[1]], np.percentile(data[:, 1], [10, 50, 90]))
    assert lo[2] == mid[2] == hi[2] == np.inf                 # 2 + 0.3 · (inf − 2)
    finite = np.random.default_rng(0).normal(size=(5, 4))
    np.testing.assert_array_equal(pg._percentiles(finite, [10, 50, 90]), np.percentile(finite, [10, 50, 90], axis=0))


def test_a_log_norm_beyond_any_float64_gradient_is_refused():
    with pytest.raises(ValueError, match=r"results\['t'\]\[0\] must hold numbers within ±1e\+100 "
                                         r"\(they are log₁₀ norms"):
        pg.plot_feedforward_vs_recurrent({"t": (np.full((2, 3), 1e200), np.zeros((2, 3)))})
    with pytest.raises(ValueError, match=r"results\['t'\]\[1\] contains NaN"):
        pg.plot_feedforward_vs_recurrent({"t": (np.zeros((2, 3)), np.full((2, 3), np.nan))})


@pytest.mark.parametrize("plot", [pg.plot_sigmoid_saturation])
def test_z_max_beyond_what_a_figure_can_draw_is_refused(plot):
    plot(z_max=1e300)
    with pytest.raises(ValueError, match=r"z_max must hold numbers within ±1e\+300 \(a figure's axis arithmetic"):
        plot(z_max=1.7e308)


@pytest.mark.parametrize("call, message", [
    (lambda: pg.plot_exploding_run({}), "histories must be a non-empty dict of training runs"),
    (lambda: pg.plot_vanishing_plateau({}, 1.0, {}), "histories must be a non-empty dict of training runs"),
    (lambda: pg.plot_vanishing_plateau({"a": _history([1.0])}, 1.0, {}), "input_grads must be a non-empty dict"),
    (lambda: pg.plot_vanishing_plateau({"a": _history([1.0])}, np.nan, {"g": np.ones(3)}),
     "chance must be a positive finite number, got nan"),
    (lambda: pg.plot_feedforward_vs_recurrent({}), "results must be a non-empty dict of panels"),
    (lambda: pg.plot_feedforward_vs_recurrent({"t": (np.zeros((2, 5)), np.zeros((2, 4)))}),
     "results['t']'s feedforward and recurrent arrays must cover the same depths 0 … L, L >= 1 (shape (trials, "
     "L + 1)); got shapes (2, 5) and (2, 4)"),
    (lambda: pg.plot_feedforward_vs_recurrent({"t": np.zeros((2, 5))}), "results['t'] must be the pair (feedforward, "
                                                                        "recurrent)"),
    (lambda: pg.plot_phase_diagram(["tanh", "elu"]), "activations[1] must be one of 'tanh', 'sigmoid', 'relu', "
                                                    "'linear'; got 'elu'"),
    (lambda: pg.plot_phase_diagram(scales=[0.5, 0.0]),
     "scales must be a non-empty array of weight scales in (0, 1e100] (a log axis that stays within float64), got "
     "values from 0 to 0.5"),
    (lambda: pg.plot_phase_diagram(scales=[0.5, 1e300]), "scales must be a non-empty array of weight scales in (0, "
                                                        "1e100]"),
    (lambda: pg.plot_phase_diagram(lengths=[8, 16.5]), "lengths[1] must be an integer >= 1, got 16.5"),
    (lambda: pg.plot_phase_diagram(seed=None), "seed must be an integer >= 0"),
    (lambda: pg.plot_nonnormal_powers(coupling=True), "coupling must be a finite number, got True"),
    (lambda: pg.plot_gaussian_spectrum(seed=0.5), "seed must be an integer >= 0"),
    (lambda: pg.plot_sigmoid_saturation(z_max="12"), "z_max must be a positive finite number, got '12'"),
    (lambda: pg.plot_nonnormal_powers(k_max=0), "k_max must be an integer >= 1, got 0"),
    (lambda: pg.plot_vanishing_plateau({"a": _history([1.0])}, 1.0, {"g": np.ones((2, 2))}),
     "input_grads['g'] must have 1 dimensions"),
])
def test_bad_input_raises_value_error(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


def test_exploding_run_refuses_a_history_that_is_not_one():
    """Issue 16: a None history in plot_exploding_run raised AttributeError ('NoneType' has no 'loss');
    the steps shown were not checked either."""
    good = _history([1.0, 0.5])
    for histories, message in [({"lr = 0.1": good, "lr = 0.2": None},
                                "histories['lr = 0.2'] must be a History from helpers.optim.train_sgd, got None"),
                               (None, "histories must be a non-empty dict of training runs"),
                               ({"lr = 0.1": {"loss": [1.0]}}, "histories['lr = 0.1'] must be a History")]:
        with pytest.raises(ValueError) as info:
            pg.plot_exploding_run(histories)
        assert message in str(info.value)
    for steps_shown in (2.5, True, 0, "40"):
        with pytest.raises(ValueError, match="steps_shown must be an integer >= 1"):
            pg.plot_exploding_run({"lr = 0.1": good}, steps_shown=steps_shown)
    with pytest.raises(ValueError, match=r"histories\['b'\] must be a History"):
        pg.plot_vanishing_plateau({"b": None}, 1.0, {"g": np.ones(3)})


def test_nonnormal_powers_need_rho_below_one_and_draw_any_coupling_without_warning():
    with pytest.raises(ValueError, match="rho must be below 1"):
        pg.plot_nonnormal_powers(rho=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = pg.plot_nonnormal_powers(rho=0.95, coupling=1e300, k_max=5).axes[0]
    assert ax.get_ylim() == (1e-4, 1e4)

def test_nonnormal_powers_alt_text_states_the_peak_and_the_end():
    rho, coupling, k_max = 0.9, 5.0, 80
    A = np.array([[rho, coupling], [0.0, rho]])
    norms = [np.linalg.norm(np.linalg.matrix_power(A, k), 2) for k in range(k_max + 1)]
    peak = int(np.argmax(norms))
    alt = alt_text(pg.plot_nonnormal_powers(rho, coupling, k_max))
    found = re.search(r"grows to (\S+) at k = (\d+), then falls to (\S+) at k = (\d+), where ρ\^k is (\S+)", alt)
    assert found, alt
    assert int(found[2]) == peak and int(found[4]) == k_max
    assert float(found[1]) == pytest.approx(norms[peak], rel=0.05)
    assert float(found[3]) == pytest.approx(norms[-1], rel=0.05)
    assert float(found[5]) == pytest.approx(rho ** k_max, rel=0.05)


def test_sigmoid_saturation_alt_text_states_the_derivative_at_its_peak_and_saturated():
    alt = alt_text(pg.plot_sigmoid_saturation(z_max=8.0))
    assert "from -8 to 8" in alt and "at most 0.25, at z = 0" in alt and "tanh′ is 1" in alt
    found = re.search(r"σ′\(±10\) = (\S+) and σ′\(±8\) = (\S+)\.", alt)
    assert found, alt
    for text, z in zip(found.groups(), (10.0, 8.0), strict=True):
        assert float(text) == pytest.approx(np.exp(-z) / (1 + np.exp(-z)) ** 2, rel=0.05)


def test_gaussian_spectrum_alt_text_states_the_radius_the_norm_and_their_ratio():
    W = recurrent_matrix(60, 1.0, "gaussian", 3)
    ev, s1 = np.linalg.eigvals(W), np.linalg.norm(W, 2)
    rho = np.abs(ev).max()
    alt = alt_text(pg.plot_gaussian_spectrum(H=60, seed=3))
    assert f"{np.mean(np.abs(ev) <= 1):.0%} of them inside the unit circle" in alt
    assert f"ρ = {rho:.2f}" in alt and f"σ₁ = {s1:.2f}" in alt
    assert float(re.search(r"the norm is (\S+) times", alt)[1]) == pytest.approx(s1 / rho, rel=0.005)


def test_exploding_run_alt_text_says_which_run_stopped_and_on_what():
    stopped = History({}, np.array([1.0, 30.0, 1e50]), np.array([2.0, 1e3, 1e40]), np.zeros(3, bool), "diverged",
                      "step 3: the loss became inf")
    alt = alt_text(pg.plot_exploding_run({"calm": _history(np.linspace(1.0, 0.5, 10)), "wild": stopped}))
    # the mean of the 10 steps drawn, (1 + 0.5) / 2, not the last one
    assert "calm: loss 1, then 0.75 on average over the last 10 steps shown, gradient norm up to 10" in alt
    assert "wild: loss 1 → 1e50, gradient norm up to 1e40, stopped after 3 steps on inf" in alt
    assert "An inset shows calm on a linear scale." in alt


def test_exploding_run_alt_text_reports_the_steps_shown_not_a_last_noisy_step():
    """Lesson 04 shows 40 of 150 steps: the alt text gave the 150th step's loss, which is not drawn."""
    rng = np.random.default_rng(0)
    loss = np.r_[1.1, 0.1 + 0.02 * rng.standard_normal(149)]
    loss[-1] = 0.066                                                   # a noisy last step, beyond the axis
    one_step = History({}, np.array([1.0]), np.array([2.0]), np.zeros(1, bool), "diverged",
                       "step 1: the loss became inf")
    alt = alt_text(pg.plot_exploding_run({"lr = 0.1": _history(loss), "lr = 0.2": one_step}, steps_shown=40))
    drawn = loss[:41]                                                  # x axis from -1 to 40
    assert f"lr = 0.1: loss 1.1, then {np.mean(drawn[-20:]):.2g} on average over the last 20 steps shown" in alt
    assert "0.066" not in alt
    assert "stopped after 1 step on inf" in alt


def _phase_alt(monkeypatch, columns, scales):
    """The phase diagram's alt text when every panel's grid is ``columns[act]`` at every T."""
    def grid(act, scales, lengths, **_):
        return np.tile(np.asarray(columns[act], float)[:, None], (1, len(lengths)))
    monkeypatch.setattr(pg.vanishing, "phase_diagram", grid)
    return alt_text(pg.plot_phase_diagram(tuple(columns), scales, [8, 16], H=4))


def test_phase_diagram_alt_text_interpolates_where_the_norm_crosses_one(monkeypatch):
    scales = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    columns = {"tanh": [-9.0, -1.0, 3.0, 9.0, 20.0],                  # one crossing, 1/4 of the way to 4
               "sigmoid": [-9.0, 1.0, -1.0, 2.0, 5.0],                 # not monotone: up, down, up
               "linear": [-9.0, -8.0, -7.0, -6.0, -5.0]}
    alt = _phase_alt(monkeypatch, columns, scales)
    lines = {act: (pg.vanishing.edge_scale(act, H=4), pg.vanishing.edge_scale(act, H=4, which="rho"))
             for act in columns}
    cross = {"tanh": 2.0 + 1 / 4 * 2.0, "sigmoid": (1.0 + 0.9 * 1.0, 2.0 + 0.5 * 2.0, 4.0 + 1 / 3 * 4.0)}
    assert f"tanh {cross['tanh']:.2g} (lines {lines['tanh'][0]:.2g}, {lines['tanh'][1]:.2g})" in alt
    assert "sigmoid {:.2g}, {:.2g} and {:.2g} (lines".format(*cross["sigmoid"]) in alt
    assert "linear nowhere (below 1 throughout)" in alt
    assert "from scale" not in alt                       # a crossing, not a claim about every larger scale
    assert "γρ = 1 (dashed)" in alt and "measured norm = 1 (green)" in alt
    assert "At T = 16 the norm crosses 1 at:" in alt
    assert "right of the solid line each time" not in alt                  # linear never crosses


def test_phase_diagram_alt_text_says_right_of_the_solid_line_only_when_every_crossing_is(monkeypatch):
    scales = np.array([1.0, 2.0, 4.0])
    bound = pg.vanishing.edge_scale("relu", H=4)
    assert bound < 1.0
    alt = _phase_alt(monkeypatch, {"relu": [-1.0, 1.0, 2.0]}, scales)
    assert "relu 1.5 (lines" in alt and alt.endswith("right of the solid line each time.")
