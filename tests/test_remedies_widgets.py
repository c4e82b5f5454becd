"""The sliders and static figures of lesson 06: every control value over its range updates in
place without an exception or a warning, and the drawn data follow the controls."""
import re
import warnings

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import cliff, data, esn
from helpers import plots_remedies as pr
from helpers import remedies_widgets as rw
from helpers.style import CMAP_SEQUENTIAL, PALETTE


def _sweep(app, name):
    """Seven values across a slider's range (for a log slider: evenly spaced exponents)."""
    slider = app.controls[name]
    exponents = np.linspace(slider.min, slider.max, 7)
    return slider.base ** exponents if isinstance(slider, w.FloatLogSlider) else exponents


def test_clipping_paths_over_the_whole_control_range():
    app = rw.clipping_paths(steps=30, grid=40, live=False)
    plain, clipped = app.fig.axes[0].lines[1:3]
    seen = set()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lr in _sweep(app, "lr"):
            for threshold in _sweep(app, "threshold")[::2]:
                app.controls["lr"].value = lr
                app.controls["threshold"].value = threshold
                assert "no clipping" in app.status.value
                seen.add(tuple(np.round(clipped.get_xydata()[-1], 8)))
                assert np.all(np.isfinite(plain.get_xydata()))
    assert len(seen) > 10                        # the clipped path follows the controls
    assert len(app.fig.axes[0].lines) == 4       # wall, two paths, start: nothing piles up


def test_clipping_paths_draw_the_paths_of_gd_path():
    app = rw.clipping_paths(start=(5.0, -4.0), steps=60, grid=30, live=False)
    app.controls["lr"].value = 2.0
    app.controls["threshold"].value = 0.5
    plain, clipped = app.fig.axes[0].lines[1:3]
    lr, threshold = app.controls["lr"].value, app.controls["threshold"].value
    expected, _, norms = cliff.gd_path(5.0, -4.0, lr=lr, steps=60, clip=threshold)
    np.testing.assert_allclose(clipped.get_xydata(), expected)
    steps = np.linalg.norm(np.diff(clipped.get_xydata(), axis=0), axis=1)
    assert steps.max() <= lr * threshold + 1e-12
    unclipped, E_plain, _ = cliff.gd_path(5.0, -4.0, lr=lr, steps=60)
    np.testing.assert_allclose(plain.get_xydata(), unclipped)
    assert not np.allclose(unclipped, expected)                 # the two lines really differ here
    n = int((norms > threshold).sum())
    assert 0 < n < 60 and f"norm clipping: clipped {n} of 60 steps" in app.status.value
    assert f"final E {E_plain[-1]:.3g}" in app.status.value


def test_clipping_paths_point_to_where_the_plain_path_leaves_the_plot():
    app = rw.clipping_paths(start=(5.0, -4.0), steps=60, grid=30, live=False)
    ax = app.fig.axes[0]
    note = ax.texts[0]
    app.controls["lr"].value = 2.0                # plain descent is thrown off the plot at the wall
    app.controls["threshold"].value = 0.5
    path, _, _ = cliff.gd_path(5.0, -4.0, lr=2.0, steps=60)
    assert note.get_visible()
    assert f"ends at w = {path[-1, 0]:.3g}, b = {path[-1, 1]:.3g}" in note.get_text()
    exit_w, exit_b = ax.transData.inverted().transform(ax.transAxes.transform(note.xy))
    assert np.isclose(exit_w, 2.0) or np.isclose(exit_w, 8.0) or np.isclose(exit_b, -6.0) or np.isclose(exit_b, 1.0)
    step = int(re.search(r"at step (\d+)", note.get_text()).group(1))
    a, b = path[step - 1], path[step]             # the point on the border lies on the step that leaves
    cross = (b[0] - a[0]) * (exit_b - a[1]) - (b[1] - a[1]) * (exit_w - a[0])
    assert abs(cross) < 1e-9 * np.hypot(*(b - a)) ** 2
    assert "lr · threshold = 1;" in ax.get_title()
    app.controls["lr"].value = 1.0                # this path stays on the plot: no note
    assert not note.get_visible()
    assert len(ax.lines) == 4


@pytest.fixture(scope="module")
def co2():
    dates, values, _ = data.load_co2()
    return dates, values


def test_esn_explorer_over_the_whole_control_range(co2):
    dates, values = co2
    app = rw.esn_explorer(values, dates, N=40, live=False)
    pred = app.fig.axes[0].lines[1]
    dist = app.fig.axes[1].lines[0]
    before = pred.get_ydata().copy()
    forgotten = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for rho in _sweep(app, "rho"):
            app.controls["rho"].value = float(rho)
            assert app.status.value.startswith(f"<b>ρ = {rho:.2f}")
            forgotten.append(dist.get_ydata()[-1] < 1e-6)
    assert not np.allclose(before, pred.get_ydata())
    assert forgotten[0] and not forgotten[-1]    # ρ = 0.1 forgets its start, ρ = 2 does not


def test_esn_explorer_titles_follow_the_status(co2):
    dates, values = co2
    app = rw.esn_explorer(values, dates, N=40, live=False)
    ax_f, ax_d = app.fig.axes
    for rho in (0.5, 2.0):
        app.controls["rho"].value = rho
        err = float(re.search(r"NRMSE (\d+\.\d+)", app.status.value).group(1))
        quality = "follows the truth" if err < 0.3 else "is rough" if err < 0.6 else "breaks down"
        assert ax_f.get_title() == f"ρ = {rho:.2f}: the forecast {quality} (NRMSE {err:.2f})"
        forgotten = "the start is forgotten" in app.status.value
        assert ("echo state property holds" in ax_d.get_title()) == forgotten
        assert ("not forgotten" in ax_d.get_title()) == (not forgotten)
    assert "breaks down" in ax_f.get_title() and "not forgotten" in ax_d.get_title()    # ρ = 2


def test_esn_explorer_forecast_is_the_ridge_readout(co2):
    _, values = co2
    app = rw.esn_explorer(values, N=30, seed=3, live=False)
    app.controls["rho"].value = 0.8
    u, y = esn.change_forecast_problem(values, 6, 300)
    res = esn.make_reservoir(30, 1, 3, rho=0.8, input_scale=0.1)
    states = esn.reservoir_states(res, u)
    W_out = esn.fit_readout(states[:300], y[:300], ridge=1e-5, washout=50)
    np.testing.assert_allclose(app.fig.axes[0].lines[1].get_ydata(), esn.readout(states, W_out)[300:, 0, 0],
                               rtol=1e-8, atol=1e-10)


def test_esn_explorer_date_axis_has_separate_year_labels(co2):
    dates, values = co2
    app = rw.esn_explorer(values, dates, live=False)
    ax = app.fig.axes[0]
    app.fig.canvas.draw()
    renderer = app.fig.canvas.get_renderer()
    x0, x1 = ax.get_xlim()
    labels = [t for tick, t in zip(ax.get_xticks(), ax.get_xticklabels())
              if x0 <= tick <= x1 and t.get_text()]
    assert 3 <= len(labels) <= 7
    assert all(re.fullmatch(r"(19|20)\d\d", t.get_text()) for t in labels), [t.get_text() for t in labels]
    boxes = [t.get_window_extent(renderer) for t in labels]
    for left, right in zip(boxes, boxes[1:]):                    # side by side, not overlapping
        assert left.x1 < right.x0


def test_esn_explorer_rejects_mismatched_dates(co2):
    dates, values = co2
    with pytest.raises(ValueError, match="dates must have the shape of series"):
        rw.esn_explorer(values, dates[:-1], live=False)


def test_static_figures_draw_the_numbers_they_are_given():
    ax = pr.plot_bifurcation(5.0).axes[0]
    solid = [l for l in ax.lines if l.get_linestyle() == "-" and len(l.get_xdata()) > 2]
    dashed = [l for l in ax.lines if l.get_linestyle() == "--"]
    assert len(solid) == 2 and len(dashed) == 1                 # two stable branches, one unstable
    sig = lambda x: 1 / (1 + np.exp(-x))
    for line, stable in [(l, True) for l in solid] + [(l, False) for l in dashed]:
        b, x = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
        np.testing.assert_allclose(b, x - 5.0 * sig(x), atol=1e-12)      # fixed points of x ↦ 5σ(x) + b
        assert np.all((5.0 * sig(x) * (1 - sig(x)) < 1) == stable)

    g, g_norm, g_value = np.array([3.0, 1.0]), np.array([0.95, 0.32]), np.array([1.0, 1.0])
    left, right = pr.plot_clip_directions(g, g_norm, g_value, 1.0).axes
    tips = [np.asarray(t.xy) for t in left.texts]                # unit directions, raw gradient first
    for tip, v in zip(tips, (g, g_norm, g_value)):
        np.testing.assert_allclose(tip, v / np.linalg.norm(v), rtol=1e-12)
    np.testing.assert_allclose([np.asarray(t.xy) for t in right.texts], [g_norm, g_value])   # to scale

    losses = np.random.default_rng(0).uniform(1, 2, size=40)
    ax = pr.plot_losses({"run": losses}, title="t", window=10).axes[0]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), losses)
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), np.arange(9, 40))
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [losses[t - 9:t + 1].mean() for t in range(9, 40)],
                               rtol=1e-12)
    plt.close("all")


def test_static_figures_draw_without_warnings():
    W, B = np.meshgrid(np.linspace(2, 8, 30), np.linspace(-6, 1, 30))
    E, dw, db = cliff.error_and_grad(W, B)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = [pr.plot_bifurcation(5.0),
                pr.plot_error_surface(W, B, E, np.hypot(dw, db)),
                pr.plot_clip_directions([3.0, 1.0], [0.95, 0.32], [1.0, 1.0], 1.0),
                pr.plot_norms_against_length([5, 10], {"full": [1.0, 10.0], "k = 5": [1.0, 2.0]}, title="t"),
                pr.plot_input_gradients({"full": [1e-3, 1e-2, 1.0], "k = 1": [0.0, 1e-2, 1.0]}, title="t"),
                pr.plot_losses({"a": np.linspace(2, 0.1, 60)}, title="t", chance=np.log(4)),
                pr.plot_jacobian_decay(np.arange(4), {"a": [1, 0.5, 0.25, 0.0]}, title="t")]
    for fig in figs:
        panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
        assert all(ax.get_xlabel() for ax in panels)                 # every panel says what x is
        assert panels[0].get_ylabel() and (panels[0].get_title() or fig._suptitle is not None)
        texts = [t for ax in fig.axes for t in (ax.get_xlabel(), ax.get_ylabel(), ax.get_title())]
        texts += [t.get_text() for ax in panels if ax.get_legend() for t in ax.get_legend().get_texts()]
        for t in texts:                                               # symbols in mathtext, no literal x_t
            assert "_" not in re.sub(r"\$[^$]*\$", "", t), t
        plt.close(fig)
    # Both clipped-gradient panels label both axes; both surface panels use the course colour map.
    assert all(ax.get_ylabel() for ax in figs[2].axes)
    assert [ax.collections[0].get_cmap().name for ax in figs[1].axes if ax.get_label() != "<colorbar>"] \
        == [CMAP_SEQUENTIAL] * 2
    # The bistable interval in the title is the computed one.
    lo, hi = cliff.bistable_interval(5.0)
    assert f"({lo:.3f}, {hi:.3f})" in figs[0].axes[0].get_title()


def test_input_gradient_plot_marks_exact_zeros():
    fig = pr.plot_input_gradients({"k = 1": [0.0, 0.0, 1e-2, 1.0]}, title="t")
    labels = [line.get_label() for line in fig.axes[0].lines]
    assert "k = 1: exactly 0 at 2 steps" in labels
    plt.close(fig)


def test_clipping_paths_stand_out_on_a_muted_map():
    """S10 of the review: both paths 2.5 pt on white halos over a muted map, the wall dotted on a
    halo, a title clear of the top tick, a legible note; norm clipping is blue, as in the
    directions figure."""
    app = rw.clipping_paths(grid=30, live=False)
    ax = app.fig.axes[0]
    wall, plain, clipped = ax.lines[:3]
    for line in (wall, plain, clipped):
        assert line.get_path_effects(), line.get_label()
    assert plain.get_linewidth() == clipped.get_linewidth() == 2.5
    assert clipped.get_color() == PALETTE["blue"] and plain.get_color() == PALETTE["vermillion"]
    assert ax.collections[0].get_alpha() < 1                       # the muted map
    assert ax.texts[0].get_fontsize() >= 10 and ax.title.get_fontsize() >= 12
    assert not any(g.get_visible() for g in ax.get_xgridlines() + ax.get_ygridlines())   # no grid over the map
    app.fig.canvas.draw()
    renderer = app.fig.canvas.get_renderer()
    top_tick = max((t for t in ax.get_yticklabels() if t.get_text()), key=lambda t: t.get_window_extent(renderer).y1)
    assert ax.title.get_window_extent(renderer).y0 > top_tick.get_window_extent(renderer).y1


def test_static_remedy_figures_keep_one_colour_per_model_and_show_every_series():
    """F10, F11, F13 of the review."""
    from helpers.style import MODEL_COLORS
    rng = np.random.default_rng(0)
    inits = {"Gaussian, tanh": rng.uniform(1, 2, 60), "orthogonal, tanh": rng.uniform(1, 2, 60),
             "identity, ReLU (IRNN)": rng.uniform(0.5, 1, 60)}
    ax = pr.plot_losses(inits, title="t", chance=np.log(4), log=False).axes[0]
    lstm_ax = pr.plot_losses({"LSTM, 16 units": inits["Gaussian, tanh"], "tanh RNN, 32 units": inits["orthogonal, tanh"]},
                             title="t").axes[0]
    smooth = {line.get_label(): line for line in ax.lines if not line.get_label().startswith("_")}
    assert smooth["Gaussian, tanh"].get_color() == MODEL_COLORS["tanh RNN, Gaussian"]
    assert smooth["identity, ReLU (IRNN)"].get_color() == MODEL_COLORS["IRNN"]
    assert smooth["orthogonal, tanh"].get_linestyle() == "--"          # it can lie on the Gaussian one
    lstm = {line.get_label(): line for line in lstm_ax.lines if not line.get_label().startswith("_")}
    assert lstm["tanh RNN, 32 units"].get_color() == MODEL_COLORS["tanh RNN, Gaussian"]
    assert lstm["LSTM, 16 units"].get_color() == MODEL_COLORS["LSTM"] != MODEL_COLORS["IRNN"]
    # guessing: the grey dashed reference, labelled on the line
    (guess,) = [line for line in ax.lines if line.get_label() == "_guessing"]
    assert guess.get_linestyle() == "--" and "guessing" in "".join(t.get_text() for t in ax.texts)
    decay = pr.plot_jacobian_decay(np.arange(60), inits, title="t").axes[0]
    assert {line.get_label(): line.get_color() for line in decay.lines}["Gaussian, tanh"] == MODEL_COLORS["tanh RNN, Gaussian"]
    # the raw gradient is a thin dashed line over the norm-clipped one (same direction), not under it
    left = pr.plot_clip_directions([3.0, 1.0], [0.95, 0.32], [1.0, 1.0], 1.0).axes[0]
    raw, norm = left.texts[0].arrow_patch, left.texts[1].arrow_patch
    assert raw.get_linestyle() == "--" and raw.get_linewidth() < norm.get_linewidth()
    assert left.texts[0].get_zorder() > left.texts[1].get_zorder()
    plt.close("all")


def test_the_wall_is_dotted_on_a_halo_and_named():
    W, B = np.meshgrid(np.linspace(2, 8, 30), np.linspace(-6, 1, 30))
    E, dw, db = cliff.error_and_grad(W, B)
    fig = pr.plot_error_surface(W, B, E, np.hypot(dw, db))
    for ax in [a for a in fig.axes if a.get_label() != "<colorbar>"]:
        (wall,) = ax.lines
        assert wall.get_linestyle() == ":" and wall.get_path_effects()
        assert "wall" in [t.get_text() for t in ax.texts]
    plt.close(fig)
