"""Lesson 03's static figures (helpers.plots_bptt): they draw the data they are given, with labelled
axes, log scales where magnitudes span decades, and clear errors for bad input. (The BPTT graph
is in test_diagrams.py, the truncation figures in test_plots_truncation.py.)"""
import numpy as np
import pytest
from matplotlib.text import Text

from helpers import plots_bptt as pb
from helpers.alt import alt_text
from helpers.style import ACTIVATION_COLORS


def labelled(ax):
    return bool(ax.get_xlabel()) and bool(ax.get_ylabel()) and bool(ax.get_title())


def test_contributions_plot_uses_log_axis_and_skips_zero_terms():
    values = np.array([1.0, 0.1, 0.01, 0.0])
    fig = pb.plot_contributions({"a": values, "b": values * 2})
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and labelled(ax)
    assert len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1, 2])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [2.0, 0.2, 0.02])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    assert ax.get_ylabel() == r"$\|\Sigma_t\, C[t, t-k]\|$ (Frobenius)"      # the lesson's symbol, in mathtext
    assert ax.get_xlabel() == r"gap $k = t - s$ (steps the gradient travelled back)"
    assert ax.get_title() == r"Per-gap contributions to $\partial L/\partial W_{hh}$"
    assert pb.plot_contributions({"a": values}, title="what to notice").axes[0].get_title() == "what to notice"
    with pytest.raises(ValueError, match="norms must be a non-empty dict"):
        pb.plot_contributions({})
    with pytest.raises(ValueError, match=r"norms\['a'\] must have 1 dimensions"):
        pb.plot_contributions({"a": np.ones((2, 2))})


def test_activation_derivative_plot_draws_the_true_derivatives():
    fig = pb.plot_activation_derivatives(z_max=4.0)
    left, right = fig.axes
    for ax, name, peak in ((left, "sigmoid", 0.25), (right, "tanh", 1.0)):
        z = ax.lines[1].get_xdata()
        s = 1 / (1 + np.exp(-z))
        want = s * (1 - s) if name == "sigmoid" else 1 - np.tanh(z) ** 2
        np.testing.assert_allclose(ax.lines[1].get_ydata(), want, rtol=1e-12)
        assert ax.lines[1].get_color() == ACTIVATION_COLORS[name]
        assert max(ax.lines[1].get_ydata()) == pytest.approx(peak)
        assert ax.get_xlabel() and ax.get_title()
    # The maxima are labelled inside their panels (they used to run into the gap and off the
    # figure), with a real prime.
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        (note,) = ax.texts
        box, frame = Text.get_window_extent(note, renderer), ax.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        assert "′" in note.get_text() and "'" not in note.get_text() + ax.get_title()
    with pytest.raises(ValueError, match="z_max must be a positive finite number"):
        pb.plot_activation_derivatives(0)


def test_gradcheck_plot_annotates_every_cell():
    # activation i, parameter j: 1e-(9 + i + 2j), so rows and columns cannot be mistaken
    errors = {(a, n): 10.0 ** -(9 + i + 2 * j)
              for i, a in enumerate(("tanh", "relu")) for j, n in enumerate(("W_hh", "b_h"))}
    fig = pb.plot_gradcheck(errors)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.images[0].get_array(), [[-9, -10], [-11, -12]])   # rows: parameters
    texts = {tuple(np.round(t.get_position()).astype(int)): t.get_text() for t in ax.texts}
    assert texts == {(0, 0): "1.0e-09", (1, 0): "1.0e-10", (0, 1): "1.0e-11", (1, 1): "1.0e-12"}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["tanh", "relu"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["W_hh", "b_h"]
    with pytest.raises(ValueError, match="missing"):
        pb.plot_gradcheck({("tanh", "W_hh"): 1e-9, ("relu", "b_h"): 1e-9})
    with pytest.raises(ValueError, match="errors must be a non-empty dict"):
        pb.plot_gradcheck({})


def test_bad_input_names_the_argument():
    for call, message in [
            (lambda: pb.plot_contributions("abc"), "norms must be a non-empty dict of curves"),
            (lambda: pb.plot_contributions({"a": np.r_[1.0, -0.5]}), r"norms\['a'\] must be >= 0"),
            (lambda: pb.plot_contributions({"a": np.ones(3)}, title=3), "title must be a string, got 3"),
            (lambda: pb.plot_activation_derivatives(True), "z_max must be a positive finite number, got True"),
            (lambda: pb.plot_gradcheck({("tanh", "W_hh"): np.nan}),
             r"errors\[\('tanh', 'W_hh'\)\] must be a finite number >= 0, got nan"),
            (lambda: pb.plot_gradcheck({"tanh": 1e-9}), r"errors must be keyed by \(activation, parameter\) pairs")]:
        with pytest.raises(ValueError, match=message):
            call()


_TOO_BIG = r"must hold numbers within ±1e\+300 \(a figure's axis arithmetic overflows beyond it\), got 1.7e\+308"


def test_a_z_range_beyond_what_a_figure_can_draw_is_refused():
    """z_max = 1.7e308 made linspace(−z_max, z_max) overflow (a RuntimeWarning); 1e300 still draws."""
    pb.plot_activation_derivatives(1e300).canvas.draw()
    with pytest.raises(ValueError, match="z_max " + _TOO_BIG):
        pb.plot_activation_derivatives(1.7e308)

def test_gradcheck_alt_text_names_the_worst_cell_and_counts_the_errors_above_1e_7():
    errors = {(a, n): 1e-10 for a in ("tanh", "relu") for n in ("W_hh", "b_h", "W_xh")}
    errors[("relu", "b_h")] = 3e-6
    errors[("tanh", "W_xh")] = 2e-12
    alt = alt_text(pb.plot_gradcheck(errors))
    assert "3 parameters by 2 activations" in alt
    assert "the largest is 3e-6 (b_h, relu), the smallest 2e-12 (W_xh, tanh); 1 of 6 errors are at 1e-7" in alt
    errors[("relu", "b_h")] = 5e-9
    assert "every error is below 1e-7." in alt_text(pb.plot_gradcheck(errors))


def test_contributions_alt_text_follows_each_curve():
    k = np.arange(6)
    alt = alt_text(pb.plot_contributions({"falls": 2.0 * 0.1 ** k, "peaks": np.array([1.0, 5.0, 40.0, 9.0, 3.0, 0.0])}))
    assert "falls falls from 2 at k = 0 to 2e-5 at k = 5" in alt
    assert "peaks rises from 1 at k = 0 to a peak of 40 at k = 2, within 2× of it only there (last point 3 at k = 4)" \
        in alt


def test_contributions_alt_text_describes_a_plateau_by_where_it_stays_near_its_peak():
    """Scale 3 in lesson 03 grows, levels off, and drops over its last points (an edge effect): the
    alt text names the run of gaps within 2× of the peak, not the last point as where it rises to."""
    values = np.r_[10.0 ** np.arange(4), 3000.0, 6000.0, 5000.0, 4000.0, 3500.0, 100.0, 20.0]
    alt = alt_text(pb.plot_contributions({"scale 3": values}))
    near = np.flatnonzero(values >= values.max() / 2)          # k = 4 … 8, one run here
    assert np.array_equal(near, np.arange(near[0], near[-1] + 1))
    assert (f"scale 3 rises from 1 at k = 0 to a peak of 6000 at k = 5, within 2× of it from k = {near[0]} to "
            f"{near[-1]} (last point 20 at k = 10)") in alt
    assert "rises from 1 at k = 0 to 20" not in alt
