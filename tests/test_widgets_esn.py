"""The echo state network's live figure (lesson 06): every control value over its range updates in
place without an exception or a warning, and the forecast is the ridge readout."""
import re
import warnings

import ipywidgets as w
import numpy as np
import pytest

from helpers import data, esn
from helpers import widgets_esn as rw
from helpers.alt import number


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
    before = pred.get_ydata().copy()
    verdicts = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for rho in _sweep(app, "rho"):
            app.controls["rho"].value = float(rho)
            assert app.status.value.startswith(f"<b>ρ = {rho:.2f}")
            verdicts.append(re.search(r"the runs (converge slowly|converge|do not converge)",
                                      app.status.value).group(1))
    assert not np.allclose(before, pred.get_ydata())
    assert verdicts[0] == "converge" and verdicts[-1] == "do not converge"    # ρ = 0.1 forgets its start, ρ = 2 not


def test_the_lessons_explorer_judges_the_echo_state_property_monotonely(co2):
    """At every slider value of the lesson's explorer (H = 100, seed 0): the runs from 20 starts
    converge up to ρ = 1 (slowly but steadily at ρ = 1, where a fixed cut at step 300 used to say
    'not forgotten') and do not converge from ρ = 1.05 on; the verdict never goes back."""
    dates, values = co2
    app = rw.esn_explorer(values, dates, live=False)
    slider = app.controls["rho"]
    order = {"converge": 0, "converge slowly": 1, "do not converge": 2}
    seen = []
    for rho in np.round(np.arange(slider.min, slider.max + 1e-9, slider.step), 2):
        slider.value = float(rho)
        verdict = re.search(r"the runs (converge slowly|converge|do not converge)", app.status.value).group(1)
        seen.append((rho, verdict))
        title = app.fig.axes[1].get_title()
        assert title.startswith(f"runs {verdict}, ×") and ("holds" in title) == (verdict != "do not converge")
    codes = [order[v] for _, v in seen]
    assert codes == sorted(codes)
    assert {v for rho, v in seen if rho <= 1.0} == {"converge"}
    assert {v for rho, v in seen if rho >= 1.05} == {"do not converge"}


def test_esn_explorer_grades_the_forecast_against_the_baselines(co2):
    """The title and the status grade the test NRMSE against a seasonal-naive forecast and AR(12),
    whose NRMSEs the forecast panel names."""
    dates, values = co2
    app = rw.esn_explorer(values, dates, live=False)
    ax_f = app.fig.axes[0]
    u, y = esn.change_forecast_problem(values, 6, 300)
    base = esn.baseline_nrmse(u, y, 300)
    assert f"seasonal naive {base['seasonal naive']:.2f}, AR(12) {base['AR(12)']:.2f}" in ax_f.texts[0].get_text()
    grades = {}
    for rho in (0.1, 0.5, 0.9, 2.0):
        app.controls["rho"].value = rho
        err = float(re.search(r"NRMSE (\d+\.\d+)", app.status.value).group(1))
        grade = esn.compare_with_baselines(err, base)
        assert ax_f.get_title() == f"ρ = {rho:.2f}: NRMSE {err:.2f}, {grade} the baselines"
        assert f": {grade} the baselines" in app.status.value
        grades[rho] = grade
    assert grades == {0.1: "worse than", 0.5: "as good as", 0.9: "better than", 2.0: "worse than"}


def test_esn_explorer_draws_the_distance_and_its_fitted_rate(co2):
    _, values = co2
    app = rw.esn_explorer(values, H=30, seed=3, live=False)
    app.controls["rho"].value = 1.0
    dist, fit = app.fig.axes[1].lines[:2]
    u, _ = esn.change_forecast_problem(values, 6, 300)
    res = esn.make_reservoir(30, 1, 3, rho=1.0, input_scale=0.1)
    _, d = esn.start_spread(res, u, esn.echo_starts(30, seed=4))
    np.testing.assert_allclose(dist.get_ydata(), np.maximum(d, 1e-300), rtol=1e-10)
    np.testing.assert_array_equal(dist.get_xdata(), np.arange(1, u.shape[0] + 1))      # steps t = 1 … T
    c = esn.convergence(d)
    np.testing.assert_allclose(fit.get_ydata(), c.fitted, rtol=1e-10)
    assert f"×{c.rate:.3f} a step" in app.status.value


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


def test_esn_explorer_rejects_dates_that_are_not_dates_and_a_live_that_is_not_a_flag(co2):
    dates, values = co2
    with pytest.raises(ValueError, match="dates must be datetime64 values"):
        rw.esn_explorer(values, np.arange(values.size), live=False)
    with pytest.raises(ValueError, match="live must be True or False, got 'no'"):
        rw.esn_explorer(values, dates, H=10, live="no")


def test_the_alt_text_grades_the_forecast_and_judges_the_runs(co2):
    dates, series = co2
    app = rw.esn_explorer(series, dates, H=40, live=False)
    u, y = esn.change_forecast_problem(series, 6, 300)
    base = esn.make_reservoir(40, 1, 0, rho=1.0, input_scale=0.1)
    starts = esn.echo_starts(40, seed=1)
    for rho in (0.9, 1.8):
        app.controls["rho"].value = rho
        f = esn.echo_forecast(base, rho, u, y, starts, 300)
        grade = esn.compare_with_baselines(f.error, esn.baseline_nrmse(u, y, 300))
        assert f"Spectral radius ρ = {rho:.2f}. Left:" in app.alt
        assert f"NRMSE {f.error:.2f}, {grade} the baselines" in app.alt
        d = f.distance
        if rho == 0.9:        # the distance leaves the axis (1e-12 … 1e2) at its bottom: said so, no value off the plot
            gone = int(np.flatnonzero(d < 1e-12)[0]) + 1
            assert d[gone - 2] >= 1e-12 > d[gone - 1] and d[-1] < 1e-15
            assert (f"falls from {number(d[0])} at step 1 below 1e-12, the bottom of the axis, at step {gone}; "
                    f"the fitted (dashed) line shrinks it ×{number(f.echo.rate, 3)} a step: "
                    "the runs converge, so the echo state property holds.") in app.alt
        else:                 # judged by the tail, whose fitted rate the alt text names as such
            assert (f"goes from {number(d[0])} at step 1 to {number(d[-1])} at step {len(u)} on a log axis; "
                    f"fitted over the run's second half, it changes ×{number(f.echo.late_rate, 4)} a step: "
                    "the runs do not converge") in app.alt
    assert app.alt.endswith("the echo state property fails.")
    app.controls["rho"].value = 0.1                # the distance underflows to exactly 0: never quoted
    assert "below 1e-12, the bottom of the axis, at step" in app.alt and " to 0 at" not in app.alt
