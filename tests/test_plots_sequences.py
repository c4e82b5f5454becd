"""Lessons 01–02's static figures (helpers.plots_sequences): sequence data, windows, the order test,
one-hot and bags of words, and fading memory draw the numbers they are given, labelled."""
import numpy as np
import pytest

from helpers import plots_sequences
from helpers import sequences as sq
from helpers.alt import alt_text


def _series(n=60):
    dates = np.datetime64("2000-01-01") + np.arange(n) * np.timedelta64(30, "D")
    return dates, 100 + np.cumsum(np.random.default_rng(0).standard_normal(n))


def test_plot_series_and_windows_label_axes_and_draw_each_window():
    dates, values = _series()
    fig = plots_sequences.plot_series(dates, values, "IBM")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "month" and "US$" in ax.get_ylabel() and ax.get_title()
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), values)

    fig = plots_sequences.plot_windows(dates, values, 10, [0, 20, 45])
    ax = fig.axes[0]
    assert len(ax.lines) == 1 + 2 * 3                          # series, then window + target each
    np.testing.assert_array_equal(ax.lines[3].get_ydata(), values[20:30])
    np.testing.assert_array_equal(ax.lines[4].get_ydata(), [values[30]])
    assert ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError, match="i \\+ width < len\\(values\\) = 60; got \\[55\\]"):
        plots_sequences.plot_windows(dates, values, 10, [55])
    with pytest.raises(ValueError, match=r"dates must be an array of numpy datetime64 \(one date per value\), "
                                         r"got an array of shape \(60,\) and dtype int64"):
        plots_sequences.plot_series(np.arange(60), values, "x")


@pytest.mark.parametrize("plot", [
    lambda dates, values: plots_sequences.plot_series(dates, values, "IBM"),
    lambda dates, values: plots_sequences.plot_windows(dates, values, 3, [0]),
])
def test_dates_and_values_are_checked_together(plot):
    """Issue 16: the dates and values of plot_series and plot_windows. A mismatch names both; dates
    are checked by their own rule (datetime64, one axis, no NaT), values as numbers."""
    dates, values = _series(10)
    cases = [((dates, values[:-1]), r"dates and values must have the same length \(one date per value\), got 10 dates "
                                    "and 9 values"),
             ((dates[:-1], values), "dates and values must have the same length .*, got 9 dates and 10 values"),
             ((dates.astype(str), values), r"dates must be an array of numpy datetime64 .*dtype <U"),
             ((None, values), "dates must be an array of numpy datetime64 (.*), got None"),
             ((np.where(np.arange(10) == 3, np.datetime64("NaT"), dates), values), "without NaT .* with NaT"),
             ((dates[None], values), r"dates must be datetime64 of shape \(10,\) .*got shape \(1, 10\)"),
             ((dates, np.r_[np.nan, values[1:]]), "values contains NaN or inf"),
             ((dates, values + 1j), "values must hold real numbers"),
             ((dates[:0], values[:0]), "values must have at least one entry")]
    for (d, v), message in cases:
        with pytest.raises(ValueError, match=message):
            plot(d, v)


def test_labels_and_statistics_are_checked():
    dates, values = _series(10)
    with pytest.raises(ValueError, match="label must be a string, got None"):
        plots_sequences.plot_series(dates, values, None)
    with pytest.raises(ValueError, match="unit must be a string, got 3"):
        plots_sequences.plot_windows(dates, values, 3, [0], unit=3)
    with pytest.raises(ValueError, match="real must be a finite number, got True"):
        plots_sequences.plot_order_test(True, np.ones(3), "r")
    with pytest.raises(ValueError, match="shuffled must have at least one entry"):
        plots_sequences.plot_order_test(0.5, [], "r")
    with pytest.raises(ValueError, match="statistic must be a string, got None"):
        plots_sequences.plot_order_test(0.5, np.ones(3), None)


def test_plot_order_test_marks_the_real_value():
    shuffled = np.random.default_rng(1).normal(0, 0.1, 300)
    fig = plots_sequences.plot_order_test(0.9, shuffled, "lag-1 autocorrelation")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "lag-1 autocorrelation" and ax.get_ylabel() == "number of shuffles"
    assert sum(p.get_height() for p in ax.patches) == 300      # every shuffle is in a bar
    assert ax.lines[0].get_xdata()[0] == 0.9


def test_plot_one_hot_and_bag_shows_both_sentences():
    ta = sq.tokenize("the movie my friend has not seen is good")
    tb = sq.tokenize("the movie my friend has seen is not good")
    vocab = sq.build_vocabulary([ta, tb], pad=None)
    fig = plots_sequences.plot_one_hot_and_bag(ta, tb, vocab, sq.one_hot(ta, vocab), sq.one_hot(tb, vocab),
                                           sq.bag_of_words(ta, vocab), sq.bag_of_words(tb, vocab))
    ax_a, ax_b, ax_bag = fig.axes
    np.testing.assert_array_equal(ax_a.images[0].get_array(), sq.one_hot(ta, vocab).T)
    np.testing.assert_array_equal(ax_b.images[0].get_array(), sq.one_hot(tb, vocab).T)
    assert len(ax_bag.patches) == 2 * len(vocab)
    assert [t.get_text() for t in ax_a.get_xticklabels()] == ta
    with pytest.raises(ValueError, match=r"one_hot_b must have shape \(9, 9\) \(one row per token of tokens_b, one "
                                         r"column per entry of vocab\), got shape \(3, 9\)"):
        plots_sequences.plot_one_hot_and_bag(ta, tb, vocab, sq.one_hot(ta, vocab), np.ones((3, 9)),
                                         sq.bag_of_words(ta, vocab), sq.bag_of_words(tb, vocab))
    arrays = (sq.one_hot(ta, vocab), sq.one_hot(tb, vocab), sq.bag_of_words(ta, vocab), sq.bag_of_words(tb, vocab))
    for tokens_b, words, message in [
            (tb, {**vocab, "bad": 3}, "vocab must give each of its 10 tokens its own index 0 … 9"),
            (tb, {**vocab, "the": None}, r"vocab\['the'\] must be an integer from 0 to 8, got None"),
            (tb, {k: v for k, v in vocab.items() if k != "the"}, r"vocab\['\w+'\] must be an integer from 0 to 7"),
            (tb[:-1] + ["great"], vocab, r"every token of tokens_b must be in vocab; \['great'\] are not"),
            ("the movie", vocab, "tokens_b must be a non-empty list of tokens"),
            ([None] + tb[1:], vocab, r"tokens_b\[0\] must be a string, got None")]:
        with pytest.raises(ValueError, match=message):
            plots_sequences.plot_one_hot_and_bag(ta, tokens_b, words, *arrays)


def test_plot_memory_fading_leaves_out_zeros():
    curves = {"λ₁ = 0.5": 0.5 ** np.arange(20.0), "with zeros": np.r_[np.ones(10), np.zeros(10)]}
    fig = plots_sequences.plot_memory_fading(curves, "fades")
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    assert np.isnan(ax.lines[1].get_ydata()[10:]).all()        # zeros are left out, no warning
    # The legend lists the curves in the order in which they end, top to bottom (F16).
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["with zeros", "λ₁ = 0.5"]
    with pytest.raises(ValueError, match="must be >= 0"):
        plots_sequences.plot_memory_fading({"bad": -np.ones(3)}, "x")


_TOO_BIG = r"must hold numbers within ±1e\+300 \(a figure's axis arithmetic overflows beyond it\), got 1.7e\+308"


def test_numbers_a_figure_cannot_draw_are_refused_by_name():
    """Entries of 1.7e308 made matplotlib's axis arithmetic overflow (a RuntimeWarning); 1e300 draws."""
    dates = np.datetime64("2000-01") + np.arange(4).astype("timedelta64[M]")
    plots_sequences.plot_series(dates, np.array([1e300, -1e300, 0.0, 1.0]), "x").canvas.draw()
    calls = [(lambda v: plots_sequences.plot_series(dates, v, "x"), "values"),
             (lambda v: plots_sequences.plot_windows(dates, v, 2, [0]), "values"),
             (lambda v: plots_sequences.plot_order_test(0.5, v, "r"), "shuffled"),
             (lambda v: plots_sequences.plot_order_test(float(v[0]), np.zeros(4), "r"), "real"),
             (lambda v: plots_sequences.plot_one_hot_and_bag(["a", "b"], ["b", "a"], {"a": 0, "b": 1}, np.eye(2),
                                                             np.eye(2)[::-1].copy(), v[:2], np.ones(2)), "bag_a")]
    for call, name in calls:
        with pytest.raises(ValueError, match=f"^{name} " + _TOO_BIG):
            call(np.array([1.7e308, 1.0, 2.0, 3.0]))

def test_order_test_alt_text_says_where_the_real_order_lies():
    shuffled = np.arange(10.0)
    above = alt_text(plots_sequences.plot_order_test(12.0, shuffled, "lag-1 autocorrelation $r_1$"))
    assert "lag-1 autocorrelation r_1 over 10 shuffled orders" in above
    assert "value 12 marked by a line: it lies above every one of them (largest 9)." in above
    inside = alt_text(plots_sequences.plot_order_test(6.5, shuffled, "RMSE (US$)"))
    assert "RMSE (US$)" in inside and "3 of the 10 are at least as large, 7 at most as large" in inside


def test_one_hot_alt_text_counts_the_steps_that_differ_and_compares_the_bags():
    ta, tb = sq.tokenize("the film is not bad"), sq.tokenize("the film is bad not")
    vocab = sq.build_vocabulary([ta, tb], pad=None)
    changed = sum(a != b for a, b in zip(ta, tb, strict=True))
    fig = plots_sequences.plot_one_hot_and_bag(ta, tb, vocab, sq.one_hot(ta, vocab), sq.one_hot(tb, vocab),
                                               sq.bag_of_words(ta, vocab), sq.bag_of_words(tb, vocab))
    alt = alt_text(fig)
    assert f"differ at {changed} of {len(ta)} steps" in alt and "the bags of words are identical." in alt
    assert "'the film is not bad'" in alt
    tc = sq.tokenize("the film is bad")
    fig = plots_sequences.plot_one_hot_and_bag(ta, tc, vocab, sq.one_hot(ta, vocab), sq.one_hot(tc, vocab),
                                               sq.bag_of_words(ta, vocab), sq.bag_of_words(tc, vocab))
    assert "the bags of words are different in 1 of 5 words ('not')." in alt_text(fig)


def test_series_alt_text_states_both_numbers_without_judging_them():
    dates = np.arange("2000-01", "2000-06", dtype="datetime64[M]")
    prices = np.array([50.0, 52.0, 51.0, 55.0, 130.0])
    alt = alt_text(plots_sequences.plot_series(dates, prices, "X"))
    steps = np.abs(np.diff(prices))                                    # 2, 1, 4, 75
    assert f"it ranges from 50 to 130, while the median change from one month to the next is {np.median(steps):g} " \
           f"(largest {steps.max():g})." in alt
    assert "only" not in alt
