"""The echo state network's live figure (lesson 06): every control value over its range updates in
place without an exception or a warning, and the forecast is the ridge readout."""
import re
import warnings

import ipywidgets as w
import numpy as np
import pytest

from helpers import data, esn
from helpers import widgets_esn as rw


def _sweep(app, name):
    """Seven values across a slider's range (for a log slider: evenly spaced exponents)."""
    slider = app.controls[name]
    exponents = np.linspace(slider.min, slider.max, 7)
    return slider.base ** exponents if isinstance(slider, w.FloatLogSlider) else exponents


@pytest.fixture(scope="module")
def co2():
    dates, values, _ = data.load_co2()
    return dates, values


def test_esn_explorer_over_the_whole_control_range(co2):
    dates, values = co2
    app = rw.esn_explorer(values, dates, H=40, live=False)
    pred = app.fig.axes[0].lines[1]
    dist = app.fig.axes[1].lines[0]
    before = pred.get_ydata().copy()
    forgotten = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for rho in _sweep(app, "rho"):
            app.controls["rho"].value = float(rho)
            assert app.status.value.startswith(f"<b>ρ = {rho:.2f}")
            forgotten.append(dist.get_ydata()[-1] < 1e-6)
    assert not np.allclose(before, pred.get_ydata())
    assert forgotten[0] and not forgotten[-1]    # ρ = 0.1 forgets its start, ρ = 2 does not


def test_esn_explorer_titles_follow_the_status(co2):
    dates, values = co2
    app = rw.esn_explorer(values, dates, H=40, live=False)
    ax_f, ax_d = app.fig.axes
    for rho in (0.5, 2.0):
        app.controls["rho"].value = rho
        err = float(re.search(r"NRMSE (\d+\.\d+)", app.status.value).group(1))
        quality = "follows the truth" if err < 0.3 else "is rough" if err < 0.6 else "breaks down"
        assert ax_f.get_title() == f"ρ = {rho:.2f}: the forecast {quality} (NRMSE {err:.2f})"
        forgotten = "the start is forgotten" in app.status.value
        assert ("echo state property holds" in ax_d.get_title()) == forgotten
        assert ("not forgotten" in ax_d.get_title()) == (not forgotten)
    assert "breaks down" in ax_f.get_title() and "not forgotten" in ax_d.get_title()    # ρ = 2


def test_esn_explorer_forecast_is_the_ridge_readout(co2):
    _, values = co2
    app = rw.esn_explorer(values, H=30, seed=3, live=False)
    app.controls["rho"].value = 0.8
    u, y = esn.change_forecast_problem(values, 6, 300)
    res = esn.make_reservoir(30, 1, 3, rho=0.8, input_scale=0.1)
    states = esn.reservoir_states(res, u)
    W_out = esn.fit_readout(states[:300], y[:300], ridge=1e-5, washout=50)
    np.testing.assert_allclose(app.fig.axes[0].lines[1].get_ydata(), esn.readout(states, W_out)[300:, 0, 0],
                               rtol=1e-8, atol=1e-10)


def test_esn_explorer_date_axis_has_separate_year_labels(co2):
    dates, values = co2
    app = rw.esn_explorer(values, dates, live=False)
    ax = app.fig.axes[0]
    app.fig.canvas.draw()
    renderer = app.fig.canvas.get_renderer()
    x0, x1 = ax.get_xlim()
    labels = [t for tick, t in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True)
              if x0 <= tick <= x1 and t.get_text()]
    assert 3 <= len(labels) <= 7
    assert all(re.fullmatch(r"(19|20)\d\d", t.get_text()) for t in labels), [t.get_text() for t in labels]
    boxes = [t.get_window_extent(renderer) for t in labels]
    for left, right in zip(boxes[:-1], boxes[1:], strict=True):                    # side by side, not overlapping
        assert left.x1 < right.x0


def test_esn_explorer_rejects_mismatched_dates(co2):
    dates, values = co2
    with pytest.raises(ValueError, match="dates must have the shape of series"):
        rw.esn_explorer(values, dates[:-1], live=False)


def test_esn_explorer_blits_what_a_full_draw_shows(co2, blits_like_a_full_draw):
    dates, values = co2
    app = rw.esn_explorer(values, dates, H=40, live=False)
    assert type(app.view).__name__ == "_EsnView" and list(app.controls) == ["rho"]
    blits_like_a_full_draw(app, {"rho": [0.1, 0.5, 1.2, 2.0, 0.9]})
