"""Lesson 05's figures (helpers.plots_longterm): they draw the numbers they are given, labelled; the
reference levels are in the course's one style, every attractor is marked, and legends stay clear
of the curves. (The numbers themselves are checked in test_longterm.py.)"""
import numpy as np
import pytest

from helpers import longterm as ex
from helpers import plots_longterm as pl
from helpers.alt import alt_text
from helpers.style import REFERENCE_STYLE


def _sweep():
    rng = np.random.default_rng(0)
    return ex.GapSweep(np.array([5, 10, 20]), np.arange(2), rng.uniform(size=(3, 2)), rng.uniform(size=(3, 2, 5)),
                       10.0 ** rng.uniform(-8, 0, size=(3, 2, 5)))


def _references(ax):
    return {line.get_label(): line for line in ax.lines if line.get_linestyle() == REFERENCE_STYLE["linestyle"]
            and line.get_color() == REFERENCE_STYLE["color"]}


def _ydata(ax):
    return [np.asarray(line.get_ydata(), dtype=float) for line in ax.lines]


# ----------------------------------------------------------------------- what the figures draw

def test_plots_return_labelled_figures():
    sweep = ex.gap_sweep((5, 6), seeds=(0, 1), H=4, B=8, steps=3, lr=0.1)
    figs = [pl.plot_gap_accuracy(sweep), pl.plot_clue_gradient(sweep, (0.5, 1.0))]
    S = np.random.default_rng(0).uniform(size=(2, 100)).sum(axis=0)
    c = np.linspace(0.5, 1.5, 5)
    simulated, analytic = 0.5 * ((S[None] - c[:, None]) ** 2).mean(1), 0.5 * ((1 - c) ** 2 + 1 / 6)
    figs.append(pl.plot_adding_baseline(S, c, simulated, analytic))
    figs.append(pl.plot_adding_runs([ex.train_adding(3, steps=25, seed=0)], {"baseline": 1 / 12}))
    hg = np.linspace(-1, 1, 11)
    figs.append(pl.plot_one_unit((0.5, 2.0), hg, np.tanh(np.outer([0.5, 2.0], hg)), np.zeros((2, 4))))
    figs.append(pl.plot_memory_vs_trainability(ex.memory_sweep(np.array([0.5, 2.0]), runs=10)))
    for fig in figs:
        for ax in fig.axes:
            assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_plots_draw_the_numbers_they_are_given():
    rng = np.random.default_rng(3)
    G, S, steps = 3, 4, 30
    sweep = ex.GapSweep(np.array([5, 10, 20]), np.arange(S), rng.uniform(size=(G, S)),
                        rng.uniform(size=(G, S, steps)), 10.0 ** rng.uniform(-8, 0, size=(G, S, steps)))
    ax = pl.plot_gap_accuracy(sweep).axes[0]
    lines = _ydata(ax)
    for j in range(S):                                           # one dot per seed, then their mean
        np.testing.assert_array_equal(lines[j], sweep.accuracy[:, j])
    np.testing.assert_allclose(lines[S], [np.mean(row) for row in sweep.accuracy], rtol=1e-15)
    ax0, ax1 = pl.plot_clue_gradient(sweep, fit=(0.5, 2.0)).axes
    for i in range(G):                                           # left: median over seeds, per step
        middle = [sorted(sweep.clue_grad[i, :, k])[1:3] for k in range(steps)]     # 4 seeds: two middle values
        np.testing.assert_allclose(_ydata(ax0)[i], [(a + b) / 2 for a, b in middle], rtol=1e-15)
    for j in range(S):                                           # right: the first step, one dot per seed
        np.testing.assert_array_equal(_ydata(ax1)[j], sweep.clue_grad[:, j, 0])
    fit = ax1.lines[S]
    np.testing.assert_allclose(fit.get_ydata(), 2.0 * 0.5 ** fit.get_xdata(), rtol=1e-12)
    assert fit.get_xdata()[0] == 5 and fit.get_xdata()[-1] == 20

    loss = rng.uniform(size=50)
    ax = pl.plot_adding_runs([ex.AddingRun(7, loss, 0.1, "finished")], {"baseline": 1 / 6}, window=5).axes[0]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), loss)
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), np.arange(4, 50))     # average of steps t-4 … t
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [loss[t - 4:t + 1].mean() for t in range(4, 50)], rtol=1e-12)

    h_grid = np.linspace(-1, 1, 9)
    maps, traj = rng.uniform(size=(2, 9)), rng.uniform(size=(2, 6))
    ax0, ax1 = pl.plot_one_unit((0.5, 2.0), h_grid, maps, traj).axes
    np.testing.assert_array_equal(_ydata(ax0)[0], h_grid)                          # the diagonal
    np.testing.assert_array_equal(_ydata(ax0)[1], maps[0])
    np.testing.assert_array_equal(_ydata(ax0)[2], maps[1])
    for i in range(2):                                                               # from h_0 = 1
        np.testing.assert_array_equal(_ydata(ax1)[i], np.concatenate([[1.0], traj[i]]))

    m = ex.MemorySweep(np.array([0.5, 2.0, 3.0]), rng.uniform(size=3), rng.uniform(size=3),
                       np.array([0.5, -0.3, 0.1]), rng.uniform(size=3), 4, 0.3, 10)
    ax0, ax1 = pl.plot_memory_vs_trainability(m).axes
    np.testing.assert_array_equal(_ydata(ax0)[0], m.retention)
    np.testing.assert_array_equal(_ydata(ax0)[1], m.margin)
    np.testing.assert_array_equal(_ydata(ax1)[0], m.gradient)
    np.testing.assert_allclose(_ydata(ax1)[1], [0.5 ** 4, 0.3 ** 4, 0.1 ** 4], rtol=1e-12)


def test_plots_reject_bad_input():
    with pytest.raises(ValueError, match="sweep must be a GapSweep"):
        pl.plot_gap_accuracy({"gaps": [5]})
    with pytest.raises(ValueError, match="maps must have shape"):
        pl.plot_one_unit((1.0,), np.zeros(5), np.zeros((2, 5)), np.zeros((1, 3)))
    with pytest.raises(ValueError, match="runs must be a non-empty list"):
        pl.plot_adding_runs([], {})


def test_adding_runs_plot_a_run_shorter_than_the_window_as_it_is():
    run = ex.train_adding(3, steps=5, seed=0)
    fig = pl.plot_adding_runs([run], {"baseline": 1 / 12}, window=20)
    ax = fig.axes[0]
    bold = [ln for ln in ax.lines if ln.get_label() == "T = 3"]
    assert len(bold) == 1 and np.array_equal(bold[0].get_ydata(), run.loss)
    with pytest.raises(ValueError, match="window must be an integer >= 1, got 0"):
        pl.plot_adding_runs([run], {}, window=0)


# -------------------------------------------------------------------- as the review asked them

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


def test_labels_count_time_as_the_course_does():
    """One time index (issue 15): the clue is x_5, the last input x_T, the gap is k, and the slope
    at the attractor is a (s is a time step)."""
    ax0, ax1 = pl.plot_clue_gradient(_sweep(), fit=(0.6, 1.0)).axes
    assert "x_5" in ax0.get_ylabel() and "x_T" in ax0.get_ylabel() and "clue" not in ax0.get_ylabel()
    assert ax1.get_xlabel() == "gap k (steps)" and ax1.get_ylabel() == "ratio before training"
    assert [t.get_text() for t in ax1.get_legend().get_texts()] == ["measured, before training", "fit 1·0.60$^k$"]
    assert pl.plot_gap_accuracy(_sweep()).axes[0].get_xlabel() == "gap k between clue and answer (steps)"
    m = ex.memory_sweep(np.array([0.5, 2.0]), runs=10)
    legend = pl.plot_memory_vs_trainability(m).axes[1].get_legend()
    assert "$a^T$ at the attractor" in [t.get_text() for t in legend.get_texts()]


def test_the_gap_figures_draw_the_runs_of_the_data_file_too():
    runs = ex.seed_runs((5, 6), (0, 1, 2), (3,), (0,), {"H": 4, "B": 8, "steps": 4, "lr": 0.1},
                        {"H": 4, "B": 8, "steps": 3, "lr": 0.03})
    ax = pl.plot_gap_accuracy(runs).axes[0]
    for j in range(3):
        np.testing.assert_array_equal(_ydata(ax)[j], runs.accuracy[:, j])
    ax0, ax1 = pl.plot_clue_gradient(runs).axes
    np.testing.assert_array_equal(_ydata(ax0)[0], np.median(runs.clue_grad[0], axis=0))
    np.testing.assert_array_equal(_ydata(ax1)[2], runs.clue_grad[:, 2, 0])
    with pytest.raises(ValueError, match="sweep must be a GapSweep or SeedRuns"):
        pl.plot_clue_gradient(runs.accuracy)


def test_adding_runs_refuse_a_bad_window_runs_or_levels():
    """Issue 16: a bad window in the adding problem's loss plot (a fraction, a bool, text, None) and
    the runs and levels it draws."""
    run = ex.AddingRun(5, np.linspace(0.2, 0.01, 40), 0.01, "finished")
    for window in (2.5, True, None, "20", -3, 0):
        with pytest.raises(ValueError, match=f"window must be an integer >= 1, got {window!r}"):
            pl.plot_adding_runs([run], {}, window=window)
    for runs, message in [(run, "runs must be a non-empty list of AddingRun"),
                          ([run, None], r"runs\[1\] must be an AddingRun \(from helpers.longterm.train_adding\), "
                                        "got None")]:
        with pytest.raises(ValueError, match=message):
            pl.plot_adding_runs(runs, {})
    for levels, message in [(None, "levels must be a dict of reference losses"),
                            ({"baseline": np.nan}, r"levels\['baseline'\] must be a positive finite number, got nan"),
                            ({"baseline": 0.0}, r"levels\['baseline'\] must be a positive finite number, got 0.0")]:
        with pytest.raises(ValueError, match=message):
            pl.plot_adding_runs([run], levels)


def test_mismatched_arrays_name_both_arguments():
    hg = np.linspace(-1, 1, 5)
    with pytest.raises(ValueError, match=r"maps must have shape \(2, 5\) \(one row per w in w_values, one column per h "
                                         r"in h_grid\), got shape \(2, 4\)"):
        pl.plot_one_unit((0.5, 2.0), hg, np.zeros((2, 4)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"trajectories must have shape \(2, T\) \(one row per w in w_values\), got "
                                         r"shape \(3, 3\)"):
        pl.plot_one_unit((0.5, 2.0), hg, np.zeros((2, 5)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="w_values contains NaN"):
        pl.plot_one_unit((np.nan, 2.0), hg, np.zeros((2, 5)), np.zeros((2, 3)))
    c = np.linspace(0.5, 1.5, 3)
    with pytest.raises(ValueError, match=r"analytic must have shape \(3,\) \(one loss per constant answer in c\), got "
                                         r"shape \(2,\)"):
        pl.plot_adding_baseline(np.ones(4), c, np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="sums must have at least one entry"):       # (its mean would warn)
        pl.plot_adding_baseline([], c, np.ones(3), np.ones(3))


def test_levels_and_fits_are_checked():
    for kwargs, message in [({"chance": None}, "chance must be a finite number >= 0 and <= 1, got None"),
                            ({"learnt": 1.5}, "learnt must be a finite number >= 0 and <= 1, got 1.5"),
                            ({"chance": True}, "chance must be a finite number >= 0 and <= 1, got True")]:
        with pytest.raises(ValueError, match=message):
            pl.plot_gap_accuracy(_sweep(), **kwargs)
    for fit, message in [((0.6,), r"fit must be None or the pair \(r, c\)"),
                         ((np.nan, 1.0), r"fit\[0\] \(r\) must be a positive finite number, got nan"),
                         ((0.6, "1"), r"fit\[1\] \(c\) must be a positive finite number, got '1'")]:
        with pytest.raises(ValueError, match=message):
            pl.plot_clue_gradient(_sweep(), fit)
    with pytest.raises(ValueError, match="sweep must be a MemorySweep"):
        pl.plot_memory_vs_trainability(None)


def test_values_outside_their_range_are_refused():
    c = np.linspace(0.5, 1.5, 3)
    with pytest.raises(ValueError, match=r"sums must be targets S = U₁ \+ U₂ in \[0, 2\], got values from 0.5 to 3"):
        pl.plot_adding_baseline([0.5, 3.0], c, np.ones(3), np.ones(3))      # (outside the bins: 0/0 in the density)
    with pytest.raises(ValueError, match=r"fit \(r, c\) = \(1e\+30, 1\) gives c·r\^k from 1e150 to 1e600 over the "
                                         "gaps of sweep"):
        pl.plot_clue_gradient(_sweep(), fit=(1e30, 1.0))                      # (gaps 5 … 20)


_TOO_BIG = r"must hold numbers within ±1e\+300 \(a figure's axis arithmetic overflows beyond it\), got 1.7e\+308"


def test_numbers_a_figure_cannot_draw_are_refused_by_name():
    """Entries of 1.7e308 made matplotlib's axis arithmetic overflow (or arange fail without a name)."""
    good = {"sums": np.array([0.5, 1.0, 1.2, 1.6]), "c": np.array([0.5, 1.0, 1.5]),
            "simulated": np.array([0.2, 0.1, 0.2]), "analytic": np.array([0.2, 0.08, 0.2])}
    for name in ("c", "simulated", "analytic"):
        with pytest.raises(ValueError, match=f"^{name} " + _TOO_BIG):
            pl.plot_adding_baseline(**{**good, name: np.r_[1.7e308, good[name][1:]]})
    one = {"w_values": (0.5, 2.0), "h_grid": np.linspace(-1, 1, 5), "maps": np.zeros((2, 5)),
           "trajectories": np.zeros((2, 3))}
    for name in ("h_grid", "maps", "trajectories"):
        arr = np.array(one[name], dtype=float)
        arr.flat[0] = 1.7e308
        with pytest.raises(ValueError, match=f"^{name} " + _TOO_BIG):
            pl.plot_one_unit(**{**one, name: arr})


def test_a_huge_best_loss_is_written_in_a_few_digits():
    """'.4f' of 1e300 is 300 digits, too wide for the figure (tight_layout warned)."""
    fig = pl.plot_adding_baseline(np.array([0.5, 1.5]), np.array([0.5, 1.0, 1.5]), np.array([1e300, 1.0, 2.0]),
                                  np.array([-1e300, 1.0, 1e300]))
    fig.canvas.draw()
    assert "best: c = 0.5, loss -1e+300" in [t.get_text() for t in fig.axes[1].texts]
    ordinary = pl.plot_adding_baseline(np.array([0.5, 1.5]), np.array([0.5, 1.0]), np.array([0.2, 0.1]),
                                       np.array([0.2, 0.08333333]))
    assert "best: c = 1, loss 0.0833" in [t.get_text() for t in ordinary.axes[1].texts]

def test_gap_accuracy_alt_text_states_the_means_and_the_gaps_learnt():
    gaps = np.array([3, 6, 12])
    accuracy = np.array([[1.0, 0.9], [0.95, 0.75], [0.1, 0.2]])
    sweep = ex.GapSweep(gaps, np.arange(2), accuracy, np.ones((3, 2, 4)), np.ones((3, 2, 4)))
    alt = alt_text(pl.plot_gap_accuracy(sweep, chance=0.25, learnt=0.9))
    means = accuracy.mean(axis=1)
    assert f"the mean is {means[0]:.2f}, {means[1]:.2f} and {means[2]:.2f} at gaps 3, 6 and 12" in alt
    assert "it reaches 0.9 at gap 3 only." in alt and "chance 0.25" in alt


def test_one_unit_alt_text_states_the_attractors_and_the_sign_changes():
    w_values = np.array([0.5, 2.0])
    traj = np.array([[0.4, -0.1, 0.2, -0.3], [0.9, 0.95, 0.96, 0.95]])
    h_grid = np.linspace(-1, 1, 11)
    alt = alt_text(pl.plot_one_unit(w_values, h_grid, np.tanh(np.outer(w_values, h_grid)), traj))
    h_star = 0.9575                                  # tanh(2 h) = h, solved numerically to 4 digits
    assert abs(np.tanh(2 * h_star) - h_star) < 1e-3
    assert f"attractors lie at 0 (w = 0.5) and ±{h_star:.2f} (w = 2)" in alt
    assert "w = 0.5 ends at -0.3 after 3 sign changes; w = 2 ends at 0.95 without a sign change." in alt
    assert "0 sign changes" not in alt
