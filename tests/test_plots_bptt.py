"""Lesson 03's static figures: they draw the data they are given, with labelled axes, log scales
where magnitudes span decades, and clear errors for bad input."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from helpers import plots_bptt as pb  # noqa: E402
from helpers.bptt_steps import window_mask  # noqa: E402
from helpers.style import ACTIVATION_COLORS  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def labelled(ax):
    return bool(ax.get_xlabel()) and bool(ax.get_ylabel()) and bool(ax.get_title())


def test_bptt_graph_draws_every_node_and_both_arrow_kinds():
    fig = pb.plot_bptt_graph(3)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = {t.get_text() for t in ax.texts}
    for t in (1, 2, 3):
        assert {f"$x_{{{t}}}$", f"$h_{{{t}}}$", f"$o_{{{t}}}$", f"$\\ell_{{{t}}}$"} <= labels
    assert "$h_0$" in labels
    styles = {p.get_linestyle() for p in ax.patches}
    assert "--" in styles and "-" in styles                       # forward and gradient arrows
    assert len(ax.patches) == 3 * 4 + 3 * 2                         # 4 forward + 2 backward per step
    with pytest.raises(ValueError, match="T must be at most 6"):
        pb.plot_bptt_graph(7)


def test_contributions_plot_uses_log_axis_and_skips_zero_terms():
    values = np.array([1.0, 0.1, 0.01, 0.0])
    fig = pb.plot_contributions({"a": values, "b": values * 2})
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and labelled(ax)
    assert len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 1, 2])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [2.0, 0.2, 0.02])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    assert ax.get_ylabel() == r"$\|\Sigma_t\, C[t, t-d]\|$ (Frobenius)"      # the lesson's symbol, in mathtext
    assert ax.get_title() == r"Per-gap contributions to $\partial L/\partial W_{hh}$"
    assert pb.plot_contributions({"a": values}, title="what to notice").axes[0].get_title() == "what to notice"
    with pytest.raises(ValueError, match="norms must map at least one label"):
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


def test_window_plot_shows_the_three_masks():
    fig = pb.plot_truncation_windows(8, truncate=2, chunk=3)
    images = [ax.images[0].get_array() for ax in fig.axes]
    np.testing.assert_array_equal(images[0], window_mask(8))
    np.testing.assert_array_equal(images[1], window_mask(8, truncate=2))
    np.testing.assert_array_equal(images[2], window_mask(8, chunk=3))
    counts = [ax.get_title().splitlines()[-1] for ax in fig.axes]
    assert counts == ["36 terms kept", "21 terms kept", "15 terms kept"]      # 8·9/2; 1 + 2 + 3·6; 6 + 6 + 3
    for ax in fig.axes:                                   # maths steps 1 … T, not array indices 0 … T-1
        assert ax.images[0].get_extent() == [0.5, 8.5, 8.5, 0.5]
        assert list(ax.get_xticks()) == [1, 3, 6, 8] and ax.get_xlabel() == r"$k$ (state $h_k$ reached)"
    assert fig.axes[0].get_ylabel() == r"$t$ (loss $\ell_t$ it comes from)"


def test_truncation_error_plot_puts_exact_zeros_on_the_floor():
    fig = pb.plot_truncation_error([1, 2, 3], [0.1, 0.01, 0.0], [0.3, 0.2, 0.1])
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and labelled(ax)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.1, 0.01, 1e-16])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [0.3, 0.2, 0.1])
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    assert "reach $n$" in ax.get_xlabel()
    assert r"g = \partial L/\partial W_{hh}" in ax.get_title()
    assert r"\partial L/\partial b_{h}" in pb.plot_truncation_error([1], [0.1], [0.2], param="b_h").axes[0].get_title()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("truncate = $n$") and legend[1].startswith("chunks of $n+1$ steps")
    with pytest.raises(ValueError, match=r"err_chunk must have shape \(3,\)"):
        pb.plot_truncation_error([1, 2, 3], [0.1, 0.01, 0.0], [0.3, 0.2])


def test_gradcheck_plot_annotates_every_cell():
    # activation i, parameter j: 1e-(9 + i + 2j), so rows and columns cannot be mistaken
    errors = {(a, n): 10.0 ** -(9 + i + 2 * j) for i, a in enumerate(("tanh", "relu")) for j, n in enumerate(("W_hh", "b_h"))}
    fig = pb.plot_gradcheck(errors)
    ax = fig.axes[0]
    np.testing.assert_allclose(ax.images[0].get_array(), [[-9, -10], [-11, -12]])   # rows: parameters
    texts = {tuple(np.round(t.get_position()).astype(int)): t.get_text() for t in ax.texts}
    assert texts == {(0, 0): "1.0e-09", (1, 0): "1.0e-10", (0, 1): "1.0e-11", (1, 1): "1.0e-12"}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["tanh", "relu"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["W_hh", "b_h"]
    with pytest.raises(ValueError, match="missing"):
        pb.plot_gradcheck({("tanh", "W_hh"): 1e-9, ("relu", "b_h"): 1e-9})
    with pytest.raises(ValueError, match="at least one"):
        pb.plot_gradcheck({})


def test_cost_plot_fits_a_line_through_the_times():
    T = [10, 20, 30, 40]
    seconds = [0.001, 0.002, 0.003, 0.004]
    fig = pb.plot_cost(T, seconds, [80 * t for t in T])
    ax_t, ax_m = fig.axes
    assert labelled(ax_t) and labelled(ax_m)
    np.testing.assert_allclose(ax_t.lines[0].get_ydata(), [1, 2, 3, 4])          # ms
    fit = ax_t.lines[1]
    np.testing.assert_allclose(fit.get_ydata(), fit.get_xdata() * 0.1, atol=1e-9)  # exact line: 0.1 ms a step
    np.testing.assert_allclose(ax_m.lines[0].get_ydata(), np.array([800, 1600, 2400, 3200]) / 1024)
    with pytest.raises(ValueError, match="at least 2 lengths"):
        pb.plot_cost([10], [0.1], [8])
