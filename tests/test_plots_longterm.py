"""Lesson 05's figures as the review asked them (helpers.plots_longterm; the data they draw is
checked in tests/test_experiments.py): reference levels in the course's one style, every
attractor marked, legends clear of the curves."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import experiments as ex  # noqa: E402
from helpers import plots_longterm as pl  # noqa: E402
from helpers.style import REFERENCE_STYLE  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _sweep():
    rng = np.random.default_rng(0)
    return ex.GapSweep(np.array([5, 10, 20]), np.arange(2), rng.uniform(size=(3, 2)), rng.uniform(size=(3, 2, 5)),
                       10.0 ** rng.uniform(-8, 0, size=(3, 2, 5)))


def _references(ax):
    return {line.get_label(): line for line in ax.lines if line.get_linestyle() == REFERENCE_STYLE["linestyle"]
            and line.get_color() == REFERENCE_STYLE["color"]}


def test_chance_and_learnt_are_reference_lines_labelled_on_the_plot():
    """F11: chance was vermillion here and grey everywhere else."""
    ax = pl.plot_gap_accuracy(_sweep(), chance=1 / 8, learnt=0.9).axes[0]
    refs = _references(ax)
    assert sorted(refs) == ["_chance 0.125", "_learnt ≥ 0.9"]
    assert sorted(t.get_text().strip() for t in ax.texts) == ["chance 0.125", "learnt ≥ 0.9"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["one seed", "mean of 2 seeds"]


def test_adding_levels_share_the_reference_style():
    run = ex.AddingRun(5, np.linspace(0.2, 0.01, 40), 0.01, "finished")
    ax = pl.plot_adding_runs([run], {"constant answer 1/12": 1 / 12, "solved 1/120": 1 / 120}, window=5).axes[0]
    assert len(_references(ax)) == 2


def test_one_unit_marks_the_attractors_on_the_diagonal():
    """F14: the title speaks of fixed points; they are drawn as dots, ±h* for w > 1, 0 for w ≤ 1."""
    w_values = (0.5, 2.0)
    h = np.linspace(-1, 1, 21)
    ax0 = pl.plot_one_unit(w_values, h, np.tanh(np.outer(w_values, h)), np.zeros((2, 4))).axes[0]
    dots = [np.asarray(c.get_offsets()) for c in ax0.collections]
    h_star, _ = ex.attractor(np.array(w_values))
    np.testing.assert_allclose(dots[0], [[0.0, 0.0]])
    np.testing.assert_allclose(dots[1], [[-h_star[1], -h_star[1]], [h_star[1], h_star[1]]])
    np.testing.assert_allclose(np.tanh(2.0 * h_star[1]), h_star[1], rtol=1e-9)    # on the map and the diagonal


def test_the_baseline_legend_stays_off_the_curve():
    """F15: the legend sat on the right end of the curve."""
    S = np.random.default_rng(0).uniform(size=(2, 500)).sum(axis=0)
    c = np.linspace(0.5, 1.5, 11)
    fig = pl.plot_adding_baseline(S, c, 0.5 * ((S[None] - c[:, None]) ** 2).mean(1), 0.5 * ((1 - c) ** 2 + 1 / 6))
    ax1 = fig.axes[1]
    fig.canvas.draw()
    legend = ax1.get_legend().get_window_extent()
    curve = ax1.transData.transform(np.column_stack(ax1.lines[0].get_data()))
    assert not any(legend.contains(x, y) for x, y in curve)
