"""Lesson 03's truncation figures (helpers.plots_truncation): the three masks of kept terms, the
truncation error on a log axis with exact zeros on the floor, and the cost of BPTT with its fit."""
import numpy as np
import pytest

from helpers import plots_truncation as pt
from helpers.alt import alt_text
from helpers.truncation import window_mask


def labelled(ax):
    return bool(ax.get_xlabel()) and bool(ax.get_ylabel()) and bool(ax.get_title())


def test_window_plot_shows_the_three_masks():
    fig = pt.plot_truncation_windows(8, truncate=2, chunk=3)
    images = [ax.images[0].get_array() for ax in fig.axes]
    np.testing.assert_array_equal(images[0], window_mask(8))
    np.testing.assert_array_equal(images[1], window_mask(8, truncate=2))
    np.testing.assert_array_equal(images[2], window_mask(8, chunk=3))
    counts = [ax.get_title().splitlines()[-1] for ax in fig.axes]
    assert counts == ["36 terms kept", "21 terms kept", "15 terms kept"]      # 8·9/2; 1 + 2 + 3·6; 6 + 6 + 3
    for ax in fig.axes:                                   # maths steps 1 … T, not array indices 0 … T-1
        assert ax.images[0].get_extent() == [0.5, 8.5, 8.5, 0.5]
        assert list(ax.get_xticks()) == [1, 3, 6, 8] and ax.get_xlabel() == r"$s$ (state $h_s$ reached)"
    assert fig.axes[0].get_ylabel() == r"$t$ (loss $\ell_t$ it comes from)"


def test_truncation_error_plot_puts_exact_zeros_on_the_floor():
    fig = pt.plot_truncation_error([1, 2, 3], [0.1, 0.01, 0.0], [0.3, 0.2, 0.1])
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and labelled(ax)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.1, 0.01, 1e-16])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [0.3, 0.2, 0.1])
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])
    assert "reach $n$" in ax.get_xlabel()
    assert r"g = \partial L/\partial W_{hh}" in ax.get_title()
    assert r"\partial L/\partial b_{h}" in pt.plot_truncation_error([1], [0.1], [0.2], param="b_h").axes[0].get_title()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("truncate = $n$") and legend[1].startswith("chunks of $n+1$ steps")
    with pytest.raises(ValueError, match=r"err_chunk must have shape \(3,\)"):
        pt.plot_truncation_error([1, 2, 3], [0.1, 0.01, 0.0], [0.3, 0.2])


def test_cost_plot_fits_a_line_through_the_times():
    T = [10, 20, 30, 40]
    seconds = [0.001, 0.002, 0.003, 0.004]
    fig = pt.plot_cost(T, seconds, [80 * t for t in T])
    ax_t, ax_m = fig.axes
    assert labelled(ax_t) and labelled(ax_m)
    np.testing.assert_allclose(ax_t.lines[0].get_ydata(), [1, 2, 3, 4])          # ms
    fit = ax_t.lines[1]
    np.testing.assert_allclose(fit.get_ydata(), fit.get_xdata() * 0.1, atol=1e-9)  # exact line: 0.1 ms a step
    np.testing.assert_allclose(ax_m.lines[0].get_ydata(), np.array([800, 1600, 2400, 3200]) / 1024)
    with pytest.raises(ValueError, match="at least 2 lengths"):
        pt.plot_cost([10], [0.1], [8])


def test_bad_input_names_the_argument_and_both_sides_of_a_mismatch():
    for call, message in [
            (lambda: pt.plot_truncation_windows(6, None, 2), "truncate must be an integer >= 0, got None"),
            (lambda: pt.plot_truncation_windows(6, 2, 1.5), "chunk must be an integer >= 1, got 1.5"),
            (lambda: pt.plot_truncation_error([1, 2], [0.1, 0.2, 0.3], [0.1, 0.2]),
             r"err_truncate must have shape \(2,\) \(one distance per reach in reaches\), got shape \(3,\)"),
            (lambda: pt.plot_truncation_error([1, np.nan], [0.1, 0.2], [0.1, 0.2]),
             r"reaches\[1\] must be an integer >= 0, got nan"),
            (lambda: pt.plot_truncation_error([1, 2], [0.1, 0.2], [0.1, 0.2], param="W"),
             "param must be one of 'W_xh', 'W_hh', 'b_h', 'W_hy', 'b_y'; got 'W'"),
            (lambda: pt.plot_cost([10, 20], [0.1, 0.2, 0.3], [8, 16]),
             r"seconds must have shape \(2,\) \(one per length in T_values\), got shape \(3,\)"),
            (lambda: pt.plot_cost([10, 10], [0.1, 0.2], [8, 16]), r"at least 2 lengths to fit a line \(2 different"),
            (lambda: pt.plot_cost("abc", [0.1, 0.2], [8, 16]), "T_values must be a list of integers >= 1")]:
        with pytest.raises(ValueError, match=message):
            call()


def test_distances_outside_zero_to_one_are_refused():
    with pytest.raises(ValueError, match=r"err_chunk must hold relative distances in \[0, 1\], got values "
                                         r"from 0.1 to 2"):
        pt.plot_truncation_error([1, 2], [0.1, 0.2], [0.1, 2.0])


_TOO_BIG = r"must hold numbers within ±1e\+300 \(a figure's axis arithmetic overflows beyond it\), got 1.7e\+308"


def test_costs_a_figure_cannot_draw_are_refused_by_name():
    """seconds = 1.7e308 overflowed when drawn in ms (1e3 × seconds); 1e300 draws."""
    pt.plot_cost([10, 20, 40], np.array([1e300, 2e-3, 4e-3]), np.array([1e3, 2e3, 4e3])).canvas.draw()
    for name in ("seconds", "nbytes"):
        args = {"T_values": [10, 20, 40], "seconds": np.array([1e-3, 2e-3, 4e-3]), "nbytes": np.array([1e3, 2e3, 4e3])}
        args[name] = np.r_[1.7e308, args[name][1:]]
        with pytest.raises(ValueError, match=f"^{name} " + _TOO_BIG):
            pt.plot_cost(**args)

def test_truncation_windows_alt_text_counts_the_kept_terms():
    T, n, c = 10, 2, 5
    full = T * (T + 1) // 2
    band = sum(min(t, n + 1) for t in range(1, T + 1))
    chunks = (T // c) * c * (c + 1) // 2
    alt = alt_text(pt.plot_truncation_windows(T, truncate=n, chunk=c))
    assert f"Three {T} × {T} masks" in alt
    assert f"full BPTT keeps all {full} with s ≤ t; truncate = {n} keeps {band}, a band t − {n} ≤ s ≤ t" in alt
    assert f"chunks of {c} keep {chunks}, a triangle per chunk" in alt


def test_truncation_error_alt_text_says_which_method_is_closer_at_the_longest_reach():
    reach = np.arange(4)
    alt = alt_text(pt.plot_truncation_error(reach, np.array([0.5, 0.1, 0.01, 0.001]), np.array([0.4, 0.2, 0.1, 0.05])))
    assert "n = 0 … 3" in alt and "truncate = n goes from 0.5 to 0.001" in alt
    assert "at n = 3, truncation is 50× closer." in alt
    alt = alt_text(pt.plot_truncation_error(reach, np.array([0.5, 0.4, 0.3, 0.2]), np.array([0.4, 0.2, 0.1, 0.0])))
    assert "at n = 3, chunks are exact." in alt


def test_cost_alt_text_states_ratios_not_machine_dependent_times():
    """Lesson 03 plots wall-clock times but never prints them: stored alt text must not hold them."""
    Ts = np.array([50, 100, 200, 400, 800])
    seconds = 2e-5 * Ts + 1e-4
    nbytes = Ts * 3 * 32 * 8.0
    alt = alt_text(pt.plot_cost(Ts, seconds, nbytes))
    assert alt == alt_text(pt.plot_cost(Ts, 3 * seconds, nbytes))     # a 3× slower machine: same text
    assert "ms" not in alt and " s " not in alt
    assert f"the forward + backward time grows {seconds[-1] / seconds[0]:.2g}×" in alt
    assert "from 37.5 to 600 KiB (16×)." in alt and "(16× longer)" in alt
