"""Lesson 06's remedy figures (helpers.plots_remedies) draw the numbers they are given, labelled
with symbols in mathtext, one colour per model. (The cliff's figures are in test_plots_cliff.py;
warnings are errors in every test: see pyproject.toml.)"""
import numpy as np
import pytest

from helpers import plots_remedies as pr
from helpers.alt import alt_text
from helpers.style import MODEL_COLORS


def test_losses_draw_the_raw_curve_and_its_running_mean():
    losses = np.random.default_rng(0).uniform(1, 2, size=40)
    ax = pr.plot_losses({"run": losses}, title="t", window=10).axes[0]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), losses)
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), np.arange(9, 40))
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [losses[t - 9:t + 1].mean() for t in range(9, 40)],
                               rtol=1e-12)


def test_static_figures_draw_without_warnings(labels_in_mathtext):
    figs = [pr.plot_norms_against_length([5, 10], {"full": [1.0, 10.0], "k = 5": [1.0, 2.0]}, title="t"),
            pr.plot_input_gradients({"full": [1e-3, 1e-2, 1.0], "k = 1": [0.0, 1e-2, 1.0]}, title="t"),
            pr.plot_losses({"a": np.linspace(2, 0.1, 60)}, title="t", chance=np.log(4)),
            pr.plot_jacobian_decay(np.arange(4), {"a": [1, 0.5, 0.25, 0.0]}, title="t"),
            pr.plot_over_seeds({"Gaussian": [0.25, 0.3], "Gaussian, α = 1": [0.26, 0.5]}, ylabel="accuracy",
                               title="t", reference=0.25)]
    for fig in figs:
        labels_in_mathtext(fig)
        fig.canvas.draw()                                             # drawing must not warn either


def test_input_gradient_plot_marks_exact_zeros():
    fig = pr.plot_input_gradients({"k = 1": [0.0, 0.0, 1e-2, 1.0]}, title="t")
    labels = [line.get_label() for line in fig.axes[0].lines]
    assert "k = 1: exactly 0 at 2 steps" in labels


def test_time_axes_count_steps_from_one_and_gaps_from_zero():
    """x_1 … x_T on the input-gradient plot (array index t − 1 holds step t); the gap k = 0, 1, … on
    the Jacobian plot."""
    ax = pr.plot_input_gradients({"full": [1e-3, 1e-2, 1.0]}, title="t").axes[0]
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    assert ax.get_xlabel() == r"input step $t$"
    ax = pr.plot_jacobian_decay(np.arange(3), {"a": [1, 0.5, 0.25]}, title="t").axes[0]
    assert ax.get_xlabel().startswith("gap $k$")


def test_static_remedy_figures_keep_one_colour_per_model_and_show_every_series():
    """F10, F11 of the review."""
    rng = np.random.default_rng(0)
    inits = {"Gaussian, tanh": rng.uniform(1, 2, 60), "orthogonal, tanh": rng.uniform(1, 2, 60),
             "identity, ReLU (IRNN)": rng.uniform(0.5, 1, 60)}
    ax = pr.plot_losses(inits, title="t", chance=np.log(4), log=False).axes[0]
    smooth = {line.get_label(): line for line in ax.lines if not line.get_label().startswith("_")}
    assert smooth["Gaussian, tanh"].get_color() == MODEL_COLORS["tanh RNN, Gaussian"]
    assert smooth["identity, ReLU (IRNN)"].get_color() == MODEL_COLORS["IRNN"]
    assert smooth["orthogonal, tanh"].get_linestyle() == "--"          # it can lie on the Gaussian one
    # guessing: the grey dashed reference, labelled on the line
    (guess,) = [line for line in ax.lines if line.get_label() == "_guessing"]
    assert guess.get_linestyle() == "--" and "guessing" in "".join(t.get_text() for t in ax.texts)
    decay = pr.plot_jacobian_decay(np.arange(60), inits, title="t").axes[0]
    colours = {line.get_label(): line.get_color() for line in decay.lines}
    assert colours["Gaussian, tanh"] == MODEL_COLORS["tanh RNN, Gaussian"]


def test_bad_curves_windows_and_titles_get_a_clear_error():
    """The report: a bad window crashed inside numpy; every argument is now checked and named."""
    run = {"run": np.linspace(2, 0.1, 30)}
    for call, message in [(lambda: pr.plot_losses(run, title="t", window=0), "window must be an integer from 1 to 30"),
                          (lambda: pr.plot_losses(run, title="t", window=31), "window must be an integer from 1 to 30"),
                          (lambda: pr.plot_losses(run, title="t", window=2.5), "window must be an integer"),
                          (lambda: pr.plot_losses(run, title="t", chance=0.0), "chance must be a positive finite"),
                          (lambda: pr.plot_losses(run, title="t", log="no"), "log must be True or False"),
                          (lambda: pr.plot_losses({"run": [1.0, np.nan]}, title="t"), "losses['run'] contains NaN"),
                          (lambda: pr.plot_losses(run, title=None), "title must be a string"),
                          (lambda: pr.plot_norms_against_length([5, 10], {"a": [1.0]}, title="t"),
                           "norms['a'] has 1 values but T has 2; expected norms['a'] of shape (2,)"),
                          (lambda: pr.plot_jacobian_decay(np.arange(3), None, title="t"),
                           "curves must be a non-empty dict"),
                          (lambda: pr.plot_input_gradients({"a": [1.0, -1.0]}, title="t"), "per_step['a'] must hold"),
                          (lambda: pr.plot_input_gradients({str(i): [1.0] for i in range(5)}, title="t"),
                           "per_step must have at most 4 series")]:
        with pytest.raises(ValueError) as info:
            call()
        assert message in str(info.value)


def test_a_diverged_run_is_drawn_without_a_warning():
    """inf (a loss that overflowed) is drawn as far as it is finite; NaN is refused above."""
    ax = pr.plot_losses({"run": [1.0, 2.0, np.inf, 3.0]}, title="t", window=2).axes[0]
    assert np.isinf(ax.lines[0].get_ydata()[2])


_TOO_BIG = r"must hold numbers within ±1e\+300 \(a figure's axis arithmetic overflows beyond it\), got 1.7e\+308"


def test_a_chance_level_a_figure_cannot_draw_is_refused_with_the_reason():
    """chance = 1.7e308 overflowed in the log axis's arithmetic, 1e-310 left the label outside the axes
    (tight_layout warned); the ends of the range still draw."""
    losses = {"IRNN": np.linspace(1.4, 0.1, 8)}
    for chance in pr.CHANCE_ON_LOG:
        pr.plot_losses(losses, title="t", chance=chance, window=3).canvas.draw()
    with pytest.raises(ValueError, match="chance " + _TOO_BIG):
        pr.plot_losses(losses, title="t", chance=1.7e308, window=3)
    for chance in (1e-310, 1e-13, 2e100):
        with pytest.raises(ValueError, match=r"chance must be from 1e-12 to 1e\+100 on a log axis \(matplotlib's log "
                                             r"axis does not reach further to show its line\)"):
            pr.plot_losses(losses, title="t", chance=chance, window=3)
    pr.plot_losses(losses, title="t", chance=1e-310, window=3, log=False).canvas.draw()     # linear: fine


def test_over_seeds_draws_every_seed_and_the_median_in_the_models_colour():
    values = {"Gaussian, clipping": np.array([0.3, 0.25, 0.27]), "orthogonal, α = 1": np.array([0.5, 0.26, 0.9, 0.24])}
    fig = pr.plot_over_seeds(values, ylabel="test accuracy", title="t", reference=0.25)
    ax = fig.axes[0]
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    bars = [line for line in ax.lines if line.get_marker() != "o" and line.get_label() != "_guessing"]
    np.testing.assert_array_equal(dots[0].get_ydata(), [0.25, 0.27, 0.3])
    np.testing.assert_allclose(dots[1].get_xdata(), 1 + np.linspace(-0.18, 0.18, 4))
    assert bars[0].get_ydata()[0] == 0.27 and bars[1].get_ydata()[0] == pytest.approx(0.38)
    assert dots[0].get_color() == MODEL_COLORS["tanh RNN, Gaussian"]
    assert dots[1].get_color() == MODEL_COLORS["tanh RNN, orthogonal"]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(values)
    assert "chance" in "".join(t.get_text() for t in ax.texts)
    log_ax = pr.plot_over_seeds({"a": [1e-3, 1.0]}, ylabel="reach", title="t", log=True).axes[0]
    assert log_ax.get_yscale() == "log"


@pytest.mark.parametrize("kwargs, message", [
    ({"values": {"a": [0.0, 1.0]}, "log": True}, "values['a'] must hold values > 0 on a log axis, got 0"),
    ({"values": {str(i): [1.0] for i in range(11)}}, "values must have at most 10 columns"),
    ({"values": {"a": [1.0, np.inf]}}, "values['a'] contains NaN or inf"),
    ({"values": {"a": [1.0, 1.7e308]}}, "values['a'] must hold numbers within ±1e+300"),
    ({"reference": -1.0, "log": True}, "reference must be a positive finite number"),
    ({"reference_label": 3}, "reference_label must be a string"),
])
def test_over_seeds_refuses_what_it_cannot_draw(kwargs, message):
    args = {"values": {"a": [0.3, 0.5]}, "ylabel": "y", "title": "t"} | kwargs
    with pytest.raises(ValueError) as info:
        pr.plot_over_seeds(**args)
    assert message in str(info.value)


def test_over_seeds_names_a_group_of_columns_once():
    """Labels "group\\ncolumn": the column's name under it, the group's once under its columns."""
    values = {"Gaussian\nclipping": [0.25, 0.3], "Gaussian\nα = 1": [0.9, 0.95], "orthogonal\nclipping": [0.24, 0.26]}
    fig = pr.plot_over_seeds(values, ylabel="test accuracy", title="t", xlabel="run")
    fig.canvas.draw()
    ax, groups = fig.axes[0], fig.axes[0].child_axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["clipping", "α = 1", "clipping"]
    np.testing.assert_allclose(groups.get_xticks(), [0.5, 2.0])
    assert [t.get_text() for t in groups.get_xticklabels()] == ["Gaussian", "orthogonal"]
    assert groups.get_xlabel() == "run" and ax.get_xlabel() == ""
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert dots[0].get_color() == dots[1].get_color() == MODEL_COLORS["tanh RNN, Gaussian"]

def test_input_gradients_alt_text_counts_the_exact_zeros():
    alt = alt_text(pr.plot_input_gradients({"full BPTT": np.array([0.1, 0.2, 0.3, 0.4]),
                                            "truncate = 1": np.array([0.0, 0.0, 0.3, 0.4]),
                                            "odd": np.array([0.0, 0.5, 0.0, 0.4])}, title="t"))
    assert "full BPTT: x_1 gets 0.1, x_4 0.4, never 0" in alt
    assert "truncate = 1: x_1 gets 0, x_4 0.4, exactly 0 at 2 steps (t = 1 … 2)" in alt
    assert "odd: x_1 gets 0, x_4 0.4, exactly 0 at 2 steps (t = 1 to 3, not all)" in alt


def test_log_lines_and_over_seeds_alt_text_state_the_ends_and_the_medians():
    alt = alt_text(pr.plot_jacobian_decay(np.arange(4), {"LSTM": np.array([1.0, 0.5, 0.25, 0.125]),
                                                         "GRU": np.array([1.0, 1.0, 1.0, 0.9])}, title="t"))
    assert "from k = 0 to 3: LSTM: 1 → 0.12; GRU: 1 → 0.9." in alt
    values = {"Gaussian\nclipping": np.array([0.2, 0.3, 0.25]), "IRNN\nΩ": np.array([0.9, 0.8, 1.0])}
    alt = alt_text(pr.plot_over_seeds(values, ylabel="accuracy", title="t", reference=0.25))
    assert "the medians run from 0.25 (Gaussian clipping) to 0.9 (IRNN Ω); against chance (0.25), the middle half " \
           "of the seeds lies above it in IRNN Ω, straddles it in Gaussian clipping." in alt


def test_over_seeds_alt_text_reads_a_column_at_chance_by_its_quartiles_not_its_median():
    """Lesson 06's clipping column: median 0.26, above chance 0.25, yet its seeds lie on both sides."""
    at_chance = np.array([0.238, 0.242, 0.245, 0.250, 0.253, 0.260, 0.262, 0.266, 0.268, 0.272])
    values = {"no Ω": at_chance, "P 0.1": at_chance + 0.6, "low": at_chance - 0.1}
    alt = alt_text(pr.plot_over_seeds(values, ylabel="test accuracy", title="t", reference=0.25,
                                      xlabel="no Ω: clipping alone; P: the paper's gradient of Ω"))
    assert np.median(at_chance) > 0.25 > np.percentile(at_chance, 25)        # the case the median misread
    assert ("against chance (0.25), the middle half of the seeds lies above it in P 0.1, straddles it in no Ω, "
            "lies below it in low.") in alt
    assert alt.endswith("Columns: no Ω: clipping alone; P: the paper's gradient of Ω.")   # the key, in words
    many = {f"c{i}": at_chance + 0.5 for i in range(3)}
    assert "lies above it in 3 columns." in alt_text(pr.plot_over_seeds(many, ylabel="a", title="t", reference=0.25))
    assert "Columns:" not in alt_text(pr.plot_over_seeds(many, ylabel="a", title="t"))     # the default label
