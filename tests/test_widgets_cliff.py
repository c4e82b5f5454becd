"""The cliff's live figure (lesson 06): every control value over its range updates in place without
an exception or a warning, and the drawn paths follow the controls."""
import re
import warnings

import ipywidgets as w
import numpy as np
import pytest

from helpers import cliff
from helpers import widgets_cliff as rw
from helpers.style import PALETTE


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


def test_the_clipped_path_gets_its_own_note_when_it_leaves_the_plot():
    """A clipped path can be thrown off the plot too (review 06-9): it gets a blue note of its own,
    in the other bottom corner, with its exit step and end point."""
    app = rw.clipping_paths(start=(5.0, -4.0), steps=60, grid=30, live=False)
    ax = app.fig.axes[0]
    plain_note, clipped_note = ax.texts[:2]
    app.controls["lr"].value = 2.0
    app.controls["threshold"].value = 2.0 ** (4 / 3)              # 2.52, on the slider's grid
    path, _, _ = cliff.gd_path(5.0, -4.0, lr=2.0, steps=60, clip=app.controls["threshold"].value)
    frac = (path - np.array([2.0, -6.0])) / np.array([6.0, 7.0])
    inside = np.all((frac >= 0) & (frac <= 1), axis=1)
    assert not inside[-1]                                         # the clipped path ends off the plot here
    assert clipped_note.get_visible() and clipped_note.get_text().startswith("norm clipping:\nleaves the plot")
    assert f"ends at w = {path[-1, 0]:.3g}, b = {path[-1, 1]:.3g}" in clipped_note.get_text()
    assert clipped_note.get_color() == PALETTE["blue"] and plain_note.get_color() == PALETTE["vermillion"]
    app.controls["threshold"].value = 0.5                         # clipped, it stays on the plot
    assert not clipped_note.get_visible() and plain_note.get_visible()


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


def test_clipping_paths_blit_what_a_full_draw_shows(blits_like_a_full_draw):
    """The paths, the note, the title and everything drawn over them are redrawn by blitting alone,
    and the frame is to the pixel what drawing the whole figure shows."""
    app = rw.clipping_paths(grid=30, live=False)
    assert type(app.view).__name__ == "_ClippingView" and list(app.controls) == ["lr", "threshold"]
    blits_like_a_full_draw(app, {"lr": [0.1, 1.0, 10.0, 2.0], "threshold": [0.01, 10.0, 0.5]})
    assert app.fig.axes[0].texts[0].get_visible()                  # (the note was drawn, at lr 2)


def test_moving_the_threshold_reuses_the_plain_path():
    app = rw.clipping_paths(grid=20, live=False)
    plain = app.fig.axes[0].lines[1]
    before = plain.get_xydata().copy()
    calls = app.view.plain_path.cache_info().misses
    app.controls["threshold"].value = 2.0
    assert app.view.plain_path.cache_info().misses == calls        # the plain path does not depend on it
    np.testing.assert_array_equal(plain.get_xydata(), before)
    app.controls["lr"].value = 1.0
    assert app.view.plain_path.cache_info().misses == calls + 1


def test_bad_arguments_get_a_clear_error():
    """The report: grid=40.0 raised a TypeError; ranges and flags are checked as carefully."""
    for wrong, message in [({"grid": 40.0}, "grid must be an integer >= 2, got 40.0"),
                           ({"grid": 1}, "grid must be an integer >= 2, got 1"),
                           ({"w_range": (8.0, 2.0)}, "w_range must be two finite numbers (low, high) with low < high"),
                           ({"b_range": (-6.0, float("nan"))}, "b_range[1] must be a finite number, got nan"),
                           ({"b_range": None}, "b_range must be two finite numbers (low, high)"),
                           ({"live": "no"}, "live must be True or False, got 'no'")]:
        with pytest.raises(ValueError) as info:
            rw.clipping_paths(**{"grid": 10, "steps": 5, "live": False, **wrong})
        assert message in str(info.value)


def test_the_alt_text_gives_each_paths_end_and_the_clipped_steps():
    app = rw.clipping_paths(grid=20, live=False)
    for lr, threshold in ((2.0, 0.5), (0.5, 0.125)):
        app.controls["lr"].value, app.controls["threshold"].value = lr, threshold
        plain, e_plain, _ = cliff.gd_path(5.0, -4.0, lr=lr, steps=60)
        clipped, e_clip, norms = cliff.gd_path(5.0, -4.0, lr=lr, steps=60, clip=threshold)
        longest = np.linalg.norm(np.diff(plain, axis=0), axis=1).max()
        n_clipped = int((norms > threshold).sum())
        assert f"learning rate {lr:.2f}. Unclipped, the longest step is {longest:.3g}" in app.alt
        assert (f"ends at w = {plain[-1, 0]:.3g}, b = {plain[-1, 1]:.3g} with E = {e_plain[-1]:.3g}. Norm-clipped "
                f"at {threshold:.2f}, {n_clipped} step{'' if n_clipped == 1 else 's'} clipped" in app.alt)
        end = f"ends at w = {clipped[-1, 0]:.3g}, b = {clipped[-1, 1]:.3g} with E = {e_clip[-1]:.3g}."
        assert app.alt.endswith(end)
    app.controls["lr"].value, app.controls["threshold"].value = 2.0, 0.5
    plain = cliff.gd_path(5.0, -4.0, lr=2.0, steps=60)[0]
    outside = ~((plain[:, 0] >= 2) & (plain[:, 0] <= 8) & (plain[:, 1] >= -6) & (plain[:, 1] <= 1))
    assert outside[-1] and f"leaves the plot at step {np.flatnonzero(~outside)[-1] + 1} and ends" in app.alt
