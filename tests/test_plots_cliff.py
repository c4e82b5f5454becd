"""Lesson 06's cliff figures (helpers.plots_cliff): the bifurcation diagram, the error surface with
its wall, and the clipped gradient directions draw the numbers of helpers.cliff, labelled, with
symbols in mathtext. (Warnings are errors in every test: see pyproject.toml.)"""
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import cliff
from helpers import plots_cliff as pc
from helpers.alt import alt_text
from helpers.style import CMAP_SEQUENTIAL


def _surface():
    W, B = np.meshgrid(np.linspace(2, 8, 30), np.linspace(-6, 1, 30))
    E, dw, db = cliff.error_and_grad(W, B)
    return W, B, E, np.hypot(dw, db)


def test_static_figures_draw_the_numbers_they_are_given():
    ax = pc.plot_bifurcation(5.0).axes[0]
    solid = [line for line in ax.lines if line.get_linestyle() == "-" and len(line.get_xdata()) > 2]
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(solid) == 2 and len(dashed) == 1                 # two stable branches, one unstable
    sig = lambda x: 1 / (1 + np.exp(-x))
    for line, stable in [(line, True) for line in solid] + [(line, False) for line in dashed]:
        b, x = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
        np.testing.assert_allclose(b, x - 5.0 * sig(x), atol=1e-12)      # fixed points of x ↦ 5σ(x) + b
        assert np.all((5.0 * sig(x) * (1 - sig(x)) < 1) == stable)

    g, g_norm, g_value = np.array([3.0, 1.0]), np.array([0.95, 0.32]), np.array([1.0, 1.0])
    left, right = pc.plot_clip_directions(g, g_norm, g_value, 1.0).axes
    tips = [np.asarray(t.xy) for t in left.texts]                # unit directions, raw gradient first
    for tip, v in zip(tips, (g, g_norm, g_value), strict=True):
        np.testing.assert_allclose(tip, v / np.linalg.norm(v), rtol=1e-12)
    np.testing.assert_allclose([np.asarray(t.xy) for t in right.texts], [g_norm, g_value])   # to scale


def test_static_figures_draw_without_warnings(labels_in_mathtext):
    figs = [pc.plot_bifurcation(5.0),
            pc.plot_error_surface(*_surface()),
            pc.plot_clip_directions([3.0, 1.0], [0.95, 0.32], [1.0, 1.0], 1.0)]
    for fig in figs:
        labels_in_mathtext(fig)
        fig.canvas.draw()                                             # drawing must not warn either
    # Both clipped-gradient panels label both axes; both surface panels use the course colour map.
    assert all(ax.get_ylabel() for ax in figs[2].axes)
    assert [ax.collections[0].get_cmap().name for ax in figs[1].axes if ax.get_label() != "<colorbar>"] \
        == [CMAP_SEQUENTIAL] * 2
    # The bistable interval in the title is the computed one.
    lo, hi = cliff.bistable_interval(5.0)
    assert f"({lo:.3f}, {hi:.3f})" in figs[0].axes[0].get_title()


def test_the_raw_gradient_is_drawn_thin_and_dashed_over_the_norm_clipped_one():
    """F13 of the review: the raw gradient is a thin dashed line over the norm-clipped one (same
    direction), not under it."""
    left = pc.plot_clip_directions([3.0, 1.0], [0.95, 0.32], [1.0, 1.0], 1.0).axes[0]
    raw, norm = left.texts[0].arrow_patch, left.texts[1].arrow_patch
    assert raw.get_linestyle() == "--" and raw.get_linewidth() < norm.get_linewidth()
    assert left.texts[0].get_zorder() > left.texts[1].get_zorder()


def test_the_wall_is_dotted_on_a_halo_and_named():
    fig = pc.plot_error_surface(*_surface())
    for ax in [a for a in fig.axes if a.get_label() != "<colorbar>"]:
        (wall,) = ax.lines
        assert wall.get_linestyle() == ":" and wall.get_path_effects()
        assert "wall" in [t.get_text() for t in ax.texts]


def test_draw_wall_draws_the_wall_line_on_the_axes_it_is_given():
    """b = x0 − w σ(x0), written out here; NaN (not drawn) where x0 is no unstable fixed point."""
    w = np.linspace(2.0, 8.0, 25)
    _, ax = plt.subplots()
    pc.draw_wall(ax, w, x0=0.5)
    (line,) = ax.lines
    s = 1 / (1 + np.exp(-0.5))
    want = np.where(w * s * (1 - s) > 1, 0.5 - w * s, np.nan)
    np.testing.assert_array_equal(line.get_xdata(), w)
    np.testing.assert_allclose(line.get_ydata(), want, rtol=1e-12)
    assert line.get_linestyle() == ":" and line.get_path_effects() and not ax.texts    # no label unless asked
    _, ax = plt.subplots()
    pc.draw_wall(ax, w, label=True)
    assert [t.get_text() for t in ax.texts] == ["wall"]


def test_a_surface_whose_arrays_disagree_names_both():
    """The report: shape mismatches crashed inside matplotlib; now the message names both arrays."""
    W, B, E, grad_norm = _surface()
    for args, message in [((W, B[:-1], E, grad_norm), "B has shape (29, 30) but W has shape (30, 30); "
                                                       "expected B of shape (30, 30)"),
                          ((W, B, E.T[:, :-1], grad_norm), "E has shape (30, 29) but W has shape (30, 30)"),
                          ((W, B, E, grad_norm[:, :5]), "grad_norm has shape (30, 5) but W has shape (30, 30)"),
                          ((W, B, E, -grad_norm), "grad_norm must hold norms (>= 0)"),
                          ((W, B, E + 1j, grad_norm), "E must hold real numbers"),
                          ((W[:0], B, E, grad_norm), "W must have at least one entry")]:
        with pytest.raises(ValueError) as info:
            pc.plot_error_surface(*args)
        assert message in str(info.value)


def test_bad_ranges_thresholds_and_directions_get_a_clear_error():
    g = np.array([3.0, 1.0])
    for call, message in [(lambda: pc.plot_bifurcation(5.0, (-0.5, -4.5)), "b_range must be two finite numbers"),
                          (lambda: pc.plot_clip_directions(g, g, np.zeros(2), 1.0), "g_value must be a non-zero"),
                          (lambda: pc.plot_clip_directions(g, g, g, "1"), "threshold must be a positive finite"),
                          (lambda: pc.draw_wall(None, np.linspace(2, 8, 5)), "ax must be a matplotlib Axes"),
                          (lambda: pc.draw_wall(Figure().add_subplot(), np.ones((2, 3))), "w must have 1 dimensions"),
                          (lambda: pc.draw_wall(Figure().add_subplot(), [5.0], label="yes"), "label must be True")]:
        with pytest.raises(ValueError) as info:
            call()
        assert message in str(info.value)


def test_directions_of_huge_gradients_are_drawn_to_the_unit_circle():
    """The directions are scaled before squaring: a gradient of 1e200 neither overflows nor vanishes."""
    left = pc.plot_clip_directions(np.array([3e200, 4e200]), np.array([1.0, 0.0]), np.array([1.0, 1.0]), 1.0).axes[0]
    np.testing.assert_allclose(left.texts[0].xy, [0.6, 0.8], rtol=1e-12)         # the raw gradient, drawn first


_TOO_BIG = r"must hold numbers within ±1e\+300 \(a figure's axis arithmetic overflows beyond it\), got 1.7e\+308"


def test_numbers_a_figure_cannot_draw_are_refused_by_name():
    """w, threshold, W, B and E near float64's end made matplotlib overflow or warn; 1e300 draws."""
    W, B = np.meshgrid(np.linspace(2.0, 8.0, 4), np.linspace(-6.0, 1.0, 3))
    E, dw, db = cliff.error_and_grad(W, B, T=5)
    pc.plot_bifurcation(1e300).canvas.draw()
    pc.plot_clip_directions(np.array([3.0, -4.0]), np.array([0.3, -0.4]), np.array([0.5, -0.5]), 1e300).canvas.draw()
    pc.plot_error_surface(W, B, np.full_like(E, 1e300), np.hypot(dw, db)).canvas.draw()
    for call, name in [(lambda: pc.plot_bifurcation(1.7e308), "w"),
                       (lambda: pc.plot_clip_directions(np.array([3.0, -4.0]), np.array([0.3, -0.4]),
                                                        np.array([0.5, -0.5]), 1.7e308), "threshold"),
                       (lambda: pc.plot_error_surface(W, B, np.full_like(E, 1.7e308), np.hypot(dw, db)), "E"),
                       (lambda: pc.plot_error_surface(W, np.full_like(B, 1.7e308), E, np.hypot(dw, db)), "B")]:
        with pytest.raises(ValueError, match=f"^{name} " + _TOO_BIG):
            call()


def test_the_surface_needs_a_meshgrid_of_increasing_w_and_b():
    """A W whose rows are not the same increasing values made pcolormesh warn about cell edges."""
    W, B = np.meshgrid(np.linspace(2.0, 8.0, 4), np.linspace(-6.0, 1.0, 3))
    E, dw, db = cliff.error_and_grad(W, B, T=5)
    bad_W = W.copy()
    bad_W[0, 0] = 9.0
    with pytest.raises(ValueError, match=r"W must be the first output of np.meshgrid\(w, b\) with w and b increasing "
                                         r"\(every row the same increasing values\); got row 0 = \[9.0, 4.0"):
        pc.plot_error_surface(bad_W, B, E, np.hypot(dw, db))
    with pytest.raises(ValueError, match=r"B must be the second output of np.meshgrid\(w, b\)"):
        pc.plot_error_surface(W, B[::-1].copy(), E, np.hypot(dw, db))
    with pytest.raises(ValueError, match="W must be the first output"):
        pc.plot_error_surface(B, W, E, np.hypot(dw, db))                    # the two swapped

def test_clip_directions_alt_text_states_the_vectors_and_how_far_each_turned():
    g = np.array([3.0, 4.0])
    alt = alt_text(pc.plot_clip_directions(g, g / 5, np.clip(g, -1, 1), 1.0))
    turned = np.degrees(np.arctan2(4, 3)) - 45.0                       # value clipping points along (1, 1)
    assert "threshold 1: the raw gradient (3, 4), of norm 5; norm-clipped (0.6, 0.8), turned 0° from it" in alt
    assert f"value-clipped (1, 1), turned {turned:.0f}°." in alt


def test_bifurcation_alt_text_states_the_bistable_band():
    lo, hi = cliff.bistable_interval(6.0)
    alt = alt_text(pc.plot_bifurcation(6.0, (-6.0, 0.0)))
    assert "x ↦ 6 σ(x) + b against the bias b from -6 to 0" in alt
    assert f"For b between {lo:.3f} and {hi:.3f} (shaded) two stable states coexist" in alt
