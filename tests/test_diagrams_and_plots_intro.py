import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

from helpers import diagrams, plots_intro  # noqa: E402
from helpers import sequences as sq  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


def _count(ax, kind):
    return sum(isinstance(p, kind) for p in ax.patches)


def _labels(ax):
    return [t.get_text() for t in ax.texts]


def test_sequence_model_kinds_draw_the_right_nodes_per_kind():
    fig = diagrams.draw_sequence_model_kinds()
    assert len(fig.axes) == 5
    # (inputs, hidden states, outputs) for one-to-one, one-to-many, many-to-one, many-to-many ×2
    expected = [(1, 1, 1), (1, 3, 3), (3, 3, 1), (3, 3, 3), (3, 5, 2)]
    for ax, (n_x, n_h, n_y), kind in zip(fig.axes, expected, diagrams.SEQUENCE_MODEL_KINDS):
        labels = _labels(ax)
        assert sum(lbl.startswith("$x_") for lbl in labels) == n_x
        assert sum(lbl.startswith("$h_") for lbl in labels) == n_h
        assert sum(lbl.startswith(r"$\hat{y}_") for lbl in labels) == n_y
        assert _count(ax, FancyBboxPatch) == n_x + n_h + n_y
        # x→h, h→h (recurrence) and h→y arrows
        assert _count(ax, FancyArrowPatch) == n_x + (n_h - 1) + n_y
        assert ax.get_title() == kind[0]
        assert kind[4] in labels and kind[5] in labels      # shapes and example are written


def test_feedforward_vs_recurrent_only_the_recurrent_side_loops():
    fig = diagrams.draw_feedforward_vs_recurrent()
    ff, rnn = fig.axes
    assert _count(ff, FancyArrowPatch) == 2 and _count(rnn, FancyArrowPatch) == 3
    assert not any("W_{hh}" in t for t in _labels(ff))
    assert any("W_{hh}" in t for t in _labels(rnn))
    assert ff.get_title() and rnn.get_title()


@pytest.mark.parametrize("T", [1, 4, 6])
def test_unrolled_graph_shares_the_three_matrices_over_T_steps(T):
    fig = diagrams.draw_unrolled(T)
    unrolled = fig.axes[1]
    labels = _labels(unrolled)
    for name in ("W_{xh}", "W_{hh}", "W_{hy}"):
        assert sum(name in t for t in labels) == T
    assert _count(unrolled, FancyBboxPatch) == 3 * T + 1      # x, h, y per step, plus h_0
    assert str(T) in unrolled.get_title()


def test_stacked_rnn_has_two_hidden_rows():
    fig = diagrams.draw_stacked_rnn(3)
    ax = fig.axes[0]
    labels = _labels(ax)
    assert sum(t.startswith("$h^{(1)}") for t in labels) == 4   # h_0 … h_3
    assert sum(t.startswith("$h^{(2)}") for t in labels) == 4
    assert _count(ax, FancyBboxPatch) == 3 + 8 + 3


def test_stacked_rnn_labels_every_arrow_clear_of_the_others():
    """F4 of the review: every column labelled (the weights are shared over time), each label on a
    white box that overlaps no other label and no node."""
    fig = diagrams.draw_stacked_rnn(3)
    ax = fig.axes[0]
    weights = [t for t in ax.texts if t.get_text().startswith("$W")]
    assert len(weights) == 3 * 5                          # per step: x→h¹, h¹→h², h²→ŷ, and two along time
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in weights]
    nodes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, FancyBboxPatch)]
    for i, box in enumerate(boxes):
        assert weights[i].get_bbox_patch().get_facecolor()[:3] == (1.0, 1.0, 1.0)
        assert not any(box.overlaps(other) for other in boxes[i + 1:] + nodes), weights[i].get_text()


def test_diagrams_reject_bad_T():
    with pytest.raises(ValueError, match="T must be an integer >= 1, got 0"):
        diagrams.draw_unrolled(0)
    with pytest.raises(ValueError, match="T must be at most 8"):
        diagrams.draw_stacked_rnn(9)


def _series(n=60):
    dates = np.datetime64("2000-01-01") + np.arange(n) * np.timedelta64(30, "D")
    return dates, 100 + np.cumsum(np.random.default_rng(0).standard_normal(n))


def test_plot_series_and_windows_label_axes_and_draw_each_window():
    dates, values = _series()
    fig = plots_intro.plot_series(dates, values, "IBM")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "month" and "US$" in ax.get_ylabel() and ax.get_title()
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), values)

    fig = plots_intro.plot_windows(dates, values, 10, [0, 20, 45])
    ax = fig.axes[0]
    assert len(ax.lines) == 1 + 2 * 3                          # series, then window + target each
    np.testing.assert_array_equal(ax.lines[3].get_ydata(), values[20:30])
    np.testing.assert_array_equal(ax.lines[4].get_ydata(), [values[30]])
    assert ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError, match="i \\+ width < len\\(values\\) = 60; got \\[55\\]"):
        plots_intro.plot_windows(dates, values, 10, [55])
    with pytest.raises(ValueError, match=r"dates must be datetime64 of shape \(60,\)"):
        plots_intro.plot_series(np.arange(60), values, "x")


def test_plot_order_test_marks_the_real_value():
    shuffled = np.random.default_rng(1).normal(0, 0.1, 300)
    fig = plots_intro.plot_order_test(0.9, shuffled, "lag-1 autocorrelation")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "lag-1 autocorrelation" and ax.get_ylabel() == "number of shuffles"
    assert sum(p.get_height() for p in ax.patches) == 300      # every shuffle is in a bar
    assert ax.lines[0].get_xdata()[0] == 0.9


def test_plot_one_hot_and_bag_shows_both_sentences():
    ta = sq.tokenize("the movie my friend has not seen is good")
    tb = sq.tokenize("the movie my friend has seen is not good")
    vocab = sq.build_vocabulary([ta, tb], pad=None)
    fig = plots_intro.plot_one_hot_and_bag(ta, tb, vocab, sq.one_hot(ta, vocab), sq.one_hot(tb, vocab),
                                           sq.bag_of_words(ta, vocab), sq.bag_of_words(tb, vocab))
    ax_a, ax_b, ax_bag = fig.axes
    np.testing.assert_array_equal(ax_a.images[0].get_array(), sq.one_hot(ta, vocab).T)
    np.testing.assert_array_equal(ax_b.images[0].get_array(), sq.one_hot(tb, vocab).T)
    assert len(ax_bag.patches) == 2 * len(vocab)
    assert [t.get_text() for t in ax_a.get_xticklabels()] == ta
    with pytest.raises(ValueError, match=r"one_hot_b must have shape \(9, 9\)"):
        plots_intro.plot_one_hot_and_bag(ta, tb, vocab, sq.one_hot(ta, vocab), np.ones((3, 9)),
                                         sq.bag_of_words(ta, vocab), sq.bag_of_words(tb, vocab))


def test_plot_memory_fading_leaves_out_zeros():
    curves = {"λ₁ = 0.5": 0.5 ** np.arange(20.0), "with zeros": np.r_[np.ones(10), np.zeros(10)]}
    fig = plots_intro.plot_memory_fading(curves, "fades")
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    assert np.isnan(ax.lines[1].get_ydata()[10:]).all()        # zeros are left out, no warning
    # The legend lists the curves in the order in which they end, top to bottom (F16).
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["with zeros", "λ₁ = 0.5"]
    with pytest.raises(ValueError, match="must be >= 0"):
        plots_intro.plot_memory_fading({"bad": -np.ones(3)}, "x")
