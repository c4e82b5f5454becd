import numpy as np
import pytest

from helpers import esn


def test_reservoir_has_the_requested_spectral_radius_and_rescale_keeps_the_rest():
    res = esn.make_reservoir(50, 2, seed=3, rho=0.9)
    assert np.max(np.abs(np.linalg.eigvals(res.W))) == pytest.approx(0.9, rel=1e-10)
    r2 = esn.rescale(res, 1.7)
    assert np.max(np.abs(np.linalg.eigvals(r2.W))) == pytest.approx(1.7, rel=1e-10)
    np.testing.assert_allclose(r2.W, res.W * (1.7 / 0.9), rtol=1e-13)
    assert r2.W_in is res.W_in and r2.b is res.b
    again = esn.make_reservoir(50, 2, seed=3, rho=0.9)
    np.testing.assert_array_equal(again.W, res.W)


def test_states_follow_the_tanh_recursion():
    res = esn.make_reservoir(8, 1, seed=0, rho=0.8)
    u = np.random.default_rng(0).normal(size=(5, 2, 1))
    h = esn.reservoir_states(res, u)
    prev = np.zeros((2, 8))
    for t in range(5):
        prev = np.tanh(u[t] @ res.W_in.T + prev @ res.W.T + res.b)
        np.testing.assert_allclose(h[t], prev, rtol=1e-13)


def test_ridge_readout_solves_the_normal_equations_and_recovers_a_linear_map():
    rng = np.random.default_rng(1)
    states = rng.normal(size=(40, 3, 6))
    W_true = rng.normal(size=(2, 7))
    y = esn.readout(states, W_true)
    W = esn.fit_readout(states, y, ridge=1e-10)
    np.testing.assert_allclose(W, W_true, atol=1e-7)
    # With a real ridge, the gradient of Σ‖W s − y‖² + ridge ‖W‖² vanishes at the solution.
    y_noisy = y + rng.normal(size=y.shape)
    W = esn.fit_readout(states, y_noisy, ridge=2.0, washout=5)
    S = np.concatenate([states[5:].reshape(-1, 6), np.ones((35 * 3, 1))], axis=1)
    Y = y_noisy[5:].reshape(-1, 2)
    grad = 2 * (W @ S.T - Y.T) @ S + 2 * 2.0 * W
    assert np.abs(grad).max() < 1e-9


def test_echo_state_property_small_radius_forgets_the_start_large_radius_does_not():
    rng = np.random.default_rng(0)
    u = rng.normal(0, 0.3, size=(200, 1, 1))
    h0a, h0b = rng.uniform(-1, 1, (1, 60)), rng.uniform(-1, 1, (1, 60))
    base = esn.make_reservoir(60, 1, seed=2, rho=1.0, input_scale=0.1)
    d_small = esn.state_distance(esn.rescale(base, 0.5), u, h0a, h0b)[:, 0]
    d_large = esn.state_distance(esn.rescale(base, 2.0), u, h0a, h0b)[:, 0]
    assert d_small[-1] < 1e-10 < d_small[0]
    assert d_large[-1] > 0.5


def test_change_forecast_problem_targets_are_future_changes():
    s = np.arange(20.0) ** 2
    u, y = esn.change_forecast_problem(s, horizon=3, n_train=10)
    assert u.shape == y.shape == (16, 1, 1)
    assert y[4, 0, 0] == s[8] - s[5]
    d = np.diff(s)[:16]
    np.testing.assert_allclose(u[:, 0, 0], (d - d[:10].mean()) / d[:10].std())


def test_nrmse_is_one_for_the_mean_and_zero_for_a_perfect_prediction():
    t = np.array([1.0, 3.0, 2.0, 6.0])
    assert esn.nrmse(np.full(4, t.mean()), t) == pytest.approx(1.0)
    assert esn.nrmse(t, t) == 0.0


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="rho must be a positive"):
        esn.make_reservoir(10, 1, seed=0, rho=-1.0)
    with pytest.raises(ValueError, match="density must be in"):
        esn.make_reservoir(10, 1, seed=0, density=1.5)
    res = esn.make_reservoir(10, 1, seed=0)
    with pytest.raises(ValueError, match=r"u must have shape \(T, B, 1\)"):
        esn.reservoir_states(res, np.zeros((5, 2, 3)))
    with pytest.raises(ValueError, match="washout must be smaller"):
        esn.fit_readout(np.zeros((5, 1, 3)), np.zeros((5, 1, 1)), washout=5)
    with pytest.raises(ValueError, match="series must have at least"):
        esn.change_forecast_problem(np.arange(10.0), horizon=3, n_train=8)
    with pytest.raises(ValueError, match="res must be a Reservoir from make_reservoir, got a dict"):
        esn.rescale({"W": np.eye(2)}, 1.0)
    with pytest.raises(ValueError, match="res must be a Reservoir from make_reservoir, got 'res'"):
        esn.state_distance("res", np.zeros((3, 1, 1)), np.zeros((1, 10)), np.zeros((1, 10)))
    with pytest.raises(ValueError, match=r"target must vary .* 4 values with standard deviation 0"):
        esn.nrmse(np.ones(4), np.full(4, 2.0))
    with pytest.raises(ValueError, match=r"prediction and target must have the same shape, got \(3,\) and \(4,\)"):
        esn.nrmse(np.ones(3), np.arange(4.0))
    with pytest.raises(ValueError, match=r"states have H = 10 units .* expected W_out of shape \(K, 11\)"):
        esn.readout(np.zeros((5, 1, 10)), np.zeros((1, 10)))


# ---------------------------------------------------------------------------------------------
# The echo state property judged by the rate of convergence, and Jaeger's sufficient condition
# ---------------------------------------------------------------------------------------------

def test_convergence_reads_the_rate_of_a_geometric_distance():
    t = np.arange(1, 301)
    d = 3.0 * 0.95 ** t                                          # shrinks ×0.95 a step, never below 1e-12
    c = esn.convergence(d)
    assert c.rate == pytest.approx(0.95, rel=1e-12) and c.late_rate == pytest.approx(0.95, rel=1e-12)
    np.testing.assert_allclose(c.fitted, d, rtol=1e-10)
    assert c.forgotten_at is None and c.verdict == "converge"


def test_convergence_stops_fitting_where_only_round_off_is_left():
    d = np.concatenate([2.0 * 0.5 ** np.arange(1, 41), np.full(60, 1e-16)])   # 2·0.5^40 = 1.8e-12, then noise
    c = esn.convergence(d)
    assert c.forgotten_at == 41                                  # the first step below 1e-12
    assert c.rate == pytest.approx(0.5, rel=1e-12) and c.fitted.shape == (40,)
    assert c.verdict == "converge"


def test_slow_but_steady_convergence_is_not_called_a_failure():
    """The old widget's cut (distance < 1e-6 after 300 steps) called ρ = 1 'not forgotten'; the rate says converge."""
    d = 6.0 * 0.976 ** np.arange(1, 301)                         # still 4e-3 after 300 steps
    assert d[-1] > 1e-6 and esn.convergence(d).verdict == "converge"
    assert esn.convergence(6.0 * 0.995 ** np.arange(1, 301)).verdict == "converge slowly"


def test_a_distance_that_stays_or_stalls_does_not_converge():
    rng = np.random.default_rng(0)
    flat = 5.0 * np.exp(rng.normal(0, 0.2, 500))                 # wanders around 5
    assert esn.convergence(flat).verdict == "do not converge"
    stall = np.concatenate([5.0 * 0.5 ** np.arange(1, 21), np.full(480, 5.0 * 0.5 ** 20)])   # drops, then stays
    c = esn.convergence(stall)
    assert c.late_rate == pytest.approx(1.0) and c.verdict == "do not converge"


def test_convergence_rejects_what_is_not_a_distance():
    for bad in ([1.0, 2.0], [1.0, -1.0, 1.0, 1.0]):      # too short, < 0
        with pytest.raises(ValueError, match="distance must hold at least 4 distances, all >= 0;"):
            esn.convergence(np.array(bad))
    with pytest.raises(ValueError, match=r"distance must have 1 dimensions with shape \(T,\)"):
        esn.convergence(np.ones((4, 2)))


def test_runs_that_meet_at_the_first_step_converge_at_rate_zero():
    """d_1 = 0: the runs from every start already agree at step 1, shrunk by a factor 0 (it used to be
    refused, so echo_forecast raised about distance, an argument its caller never passed)."""
    c = esn.convergence(np.zeros(6))
    assert (c.rate, c.late_rate, c.forgotten_at, c.verdict) == (0.0, 0.0, 1, "converge")
    np.testing.assert_array_equal(c.fitted, [0.0])


def test_echo_forecast_where_the_runs_meet_at_once():
    """A negligible W (rho = 1e-310), starts that do not differ (× 1e-310) or a first input that
    saturates every unit (1.7e308) leave the runs identical from step 1: distance 0 at every step (the
    runs computed independently by start_spread), so they converge at rate 0."""
    res, starts = esn.make_reservoir(4, 1, 0, density=0.5), esn.echo_starts(4, 3)
    u = np.sin(np.arange(12) * 0.7)[:, None, None]
    big = u.copy()
    big[0] = 1.7e308
    for rho, inputs, st in ((1e-310, u, starts), (0.5, u, starts * 1e-310), (0.5, big, starts)):
        f = esn.echo_forecast(res, rho, inputs, u, st, 8, washout=2)
        _, d = esn.start_spread(esn.rescale(res, rho), inputs, st)
        np.testing.assert_array_equal(f.distance, d)
        assert np.all(d == 0) and f.echo.rate == 0.0 and f.echo.verdict == "converge" and np.isfinite(f.error)


def test_sigma_max_below_one_shrinks_the_distance_every_step_whatever_the_input():
    """Jaeger's sufficient condition: tanh is 1-Lipschitz, so d_t <= ‖W‖₂ d_{t-1} for every input."""
    rng = np.random.default_rng(3)
    res = esn.make_reservoir(30, 2, seed=1, rho=1.0, input_scale=2.0)
    res = esn.rescale(res, 0.9 / np.linalg.norm(res.W, 2))          # σ_max = 0.9, so ρ < 0.9
    u = rng.normal(0, 3.0, size=(80, 1, 2))                       # strong inputs
    d = esn.state_distance(res, u, rng.uniform(-1, 1, (1, 30)), rng.uniform(-1, 1, (1, 30)))[:, 0]
    assert np.linalg.norm(res.W, 2) == pytest.approx(0.9) and np.all(d[1:] <= 0.9 * d[:-1] * (1 + 1e-12))


def _lesson_problem():
    from helpers.data import load_co2
    u, _ = esn.change_forecast_problem(load_co2()[1], 6, 300)
    return u, esn.make_reservoir(100, 1, seed=0, rho=1.0, input_scale=0.1)


def test_start_spread_is_the_largest_distance_from_the_first_run():
    u, base = _lesson_problem()
    res = esn.rescale(base, 0.9)
    starts = esn.echo_starts(100, n=4, seed=5)
    np.testing.assert_array_equal(starts[0], 0.0)
    h, d = esn.start_spread(res, u[:50], starts)
    assert h.shape == (50, 4, 100)
    want = np.max([esn.state_distance(res, u[:50], starts[:1], starts[i:i + 1])[:, 0] for i in (1, 2, 3)], axis=0)
    np.testing.assert_allclose(d, want, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(h[:, 0], esn.reservoir_states(res, u[:50])[:, 0], rtol=1e-10, atol=1e-15)
    with pytest.raises(ValueError, match="n must be an integer >= 2, got 1"):
        esn.echo_starts(100, n=1)
    with pytest.raises(ValueError, match="starts must hold at least 2 initial states"):
        esn.start_spread(res, u, starts[:1])
    with pytest.raises(ValueError, match=r"u must have shape \(T, 1, 1\)"):
        esn.start_spread(res, np.zeros((5, 2, 1)), starts)


def test_two_starts_can_hide_a_second_attractor_that_twenty_starts_find():
    """At ρ = 1.1 the lesson's reservoir has two input-driven attractors: one pair of starts lands on
    the same one and converges, while among 20 starts some end about 5 apart."""
    u, base = _lesson_problem()
    res = esn.rescale(base, 1.1)
    rng = np.random.default_rng(1)
    pair = esn.state_distance(res, u, rng.uniform(-1, 1, (1, 100)), rng.uniform(-1, 1, (1, 100)))[:, 0]
    assert esn.convergence(pair).verdict == "converge"
    _, d = esn.start_spread(res, u, esn.echo_starts(100, seed=1))
    assert d[-1] > 1 and esn.convergence(d).verdict == "do not converge"


def test_the_lesson_reservoir_converges_up_to_1_and_not_from_1_05():
    """Lesson 06's reservoir, inputs and 20 starts: a verdict that is monotone in ρ over the slider's grid."""
    u, base = _lesson_problem()
    starts = esn.echo_starts(100, seed=1)
    verdicts = {rho: esn.convergence(esn.start_spread(esn.rescale(base, rho), u, starts)[1]).verdict
                for rho in np.round(np.arange(0.1, 2.0001, 0.05), 2)}
    assert {v for rho, v in verdicts.items() if rho <= 1.0} == {"converge"}
    assert {v for rho, v in verdicts.items() if rho >= 1.05} == {"do not converge"}


# ---------------------------------------------------------------------------------------------
# The baselines an ESN must beat
# ---------------------------------------------------------------------------------------------

def test_seasonal_naive_repeats_last_period():
    y = np.arange(30.0).reshape(30, 1, 1)
    f = esn.seasonal_naive(y, period=12)
    assert np.all(np.isnan(f[:12]))
    np.testing.assert_array_equal(f[12:, 0, 0], np.arange(18.0))


def test_lagged_inputs_put_the_last_inputs_side_by_side():
    u = np.arange(1.0, 7.0).reshape(6, 1, 1)
    L = esn.lagged_inputs(u, 3)
    np.testing.assert_array_equal(L[:, 0], [[1, 0, 0], [2, 1, 0], [3, 2, 1], [4, 3, 2], [5, 4, 3], [6, 5, 4]])


def test_baselines_against_an_independent_fit():
    rng = np.random.default_rng(0)
    T = 120
    u = rng.normal(size=(T, 1, 1))
    y = np.sin(np.arange(T) * 2 * np.pi / 12)[:, None, None] + 0.3 * u
    got = esn.baseline_nrmse(u, y, 80, lags=4, ridge=0.5)
    # independent: ridge as least squares on rows [S; √ridge·I]
    S = np.column_stack([np.concatenate([np.zeros(j), u[:T - j, 0, 0]]) for j in range(4)] + [np.ones(T)])
    A = np.vstack([S[4:80], np.sqrt(0.5) * np.eye(5)])
    w = np.linalg.lstsq(A, np.concatenate([y[4:80, 0, 0], np.zeros(5)]), rcond=None)[0]
    pred = S @ w
    want_ar = np.sqrt(np.mean((pred[80:] - y[80:, 0, 0]) ** 2)) / np.std(y[80:, 0, 0])
    want_naive = np.sqrt(np.mean((y[68:T - 12, 0, 0] - y[80:, 0, 0]) ** 2)) / np.std(y[80:, 0, 0])
    assert got["AR(4)"] == pytest.approx(want_ar, rel=1e-8)
    assert got["seasonal naive"] == pytest.approx(want_naive, rel=1e-12)


def test_co2_baselines_are_those_of_the_review():
    """An independent review recomputed them: seasonal naive 0.163, ridge AR(12) 0.151."""
    from helpers.data import load_co2
    u, y = esn.change_forecast_problem(load_co2()[1], 6, 300)
    got = esn.baseline_nrmse(u, y, 300)
    assert round(got["seasonal naive"], 3) == 0.163 and round(got["AR(12)"], 3) == 0.151


def test_compare_with_baselines_has_a_five_percent_margin():
    base = {"seasonal naive": 0.16, "AR(12)": 0.15}
    assert esn.compare_with_baselines(0.14, base) == "better than"         # < 0.95 · 0.15 = 0.1425
    assert esn.compare_with_baselines(0.145, base) == "as good as"
    assert esn.compare_with_baselines(0.168, base) == "as good as"         # <= 1.05 · 0.16 = 0.168
    assert esn.compare_with_baselines(0.17, base) == "worse than"
    with pytest.raises(ValueError, match="baselines must be a non-empty dict"):
        esn.compare_with_baselines(0.1, {})
    with pytest.raises(ValueError, match="error must be a finite number >= 0, got nan"):
        esn.compare_with_baselines(np.nan, base)


def test_baseline_inputs_are_checked():
    with pytest.raises(ValueError, match="period must be smaller than T"):
        esn.seasonal_naive(np.zeros((5, 1, 1)), period=5)
    with pytest.raises(ValueError, match="lags must be an integer >= 1"):
        esn.lagged_inputs(np.zeros((5, 1, 1)), 0)
    with pytest.raises(ValueError, match=r"n_train must be in \[lags \+ 2, T − 1\]"):
        esn.baseline_nrmse(np.zeros((20, 1, 1)), np.zeros((20, 1, 1)), 20)


def test_echo_forecast_reads_out_the_run_from_zero_and_scores_every_run():
    """One run at a time, by the plain functions: the readout is fitted on the run from h_0 = 0 only,
    and the same W_out scores the run from every other start."""
    rng = np.random.default_rng(4)
    u, y = rng.normal(size=(120, 1, 1)), rng.normal(size=(120, 1, 2))
    base = esn.make_reservoir(12, 1, seed=3, rho=1.0)
    starts = esn.echo_starts(12, n=4, seed=5)
    f = esn.echo_forecast(base, 0.8, u, y, starts, 80, ridge=1e-3, washout=10)
    res = esn.rescale(base, 0.8)
    runs = [esn.reservoir_states(res, u, h0[None]) for h0 in starts]
    W_out = esn.fit_readout(runs[0][:80], y[:80], ridge=1e-3, washout=10)
    errors = [esn.nrmse(esn.readout(r, W_out)[80:], y[80:]) for r in runs]
    assert f.error == pytest.approx(errors[0], rel=1e-10)
    np.testing.assert_allclose(f.error_other, errors[1:], rtol=1e-10)
    np.testing.assert_allclose(f.distance, np.max([np.linalg.norm(r - runs[0], axis=-1)[:, 0] for r in runs[1:]],
                                                  axis=0), rtol=1e-10, atol=1e-15)
    echo = esn.convergence(f.distance)
    assert (f.echo.verdict, f.echo.rate) == (echo.verdict, echo.rate) and f.prediction.shape == (120, 4, 2)
    with pytest.raises(ValueError, match=r"n_train must leave test steps: expected < 120 \(the steps of u\), got 120"):
        esn.echo_forecast(base, 0.8, u, y, starts, 120)
    with pytest.raises(ValueError, match="y"):
        esn.echo_forecast(base, 0.8, u, y[:100], starts, 80)


# --------------------------------------------------------------------- issue #16: at float64's edges

def test_fit_readout_with_a_vanishing_ridge_gives_the_minimum_norm_least_squares_readout():
    """ridge = 1e-300 cannot lift the singular SᵀS of a reservoir with a repeated unit (np.linalg.solve
    raised LinAlgError): the readout is then the ridge → 0 limit, the minimum-norm least-squares
    solution, here from the pseudo-inverse of the design [S 1]."""
    rng = np.random.default_rng(0)
    states = rng.standard_normal((6, 1, 4))
    states[:, :, 3] = states[:, :, 2]
    y = rng.standard_normal((6, 1, 2))
    design = np.hstack([states[:, 0], np.ones((6, 1))])
    W_out = esn.fit_readout(states, y, ridge=1e-300)
    np.testing.assert_allclose(W_out, (np.linalg.pinv(design) @ y[:, 0]).T, rtol=1e-9, atol=1e-12)


def test_fit_readout_at_an_ordinary_ridge_solves_the_normal_equations():
    rng = np.random.default_rng(1)
    states, y = rng.standard_normal((40, 2, 5)), rng.standard_normal((40, 2, 1))
    S = np.hstack([states[3:].reshape(-1, 5), np.ones((74, 1))])
    expected = np.linalg.solve(S.T @ S + 1e-5 * np.eye(6), S.T @ y[3:].reshape(-1, 1)).T
    np.testing.assert_array_equal(esn.fit_readout(states, y, ridge=1e-5, washout=3), expected)


def test_change_forecast_problem_refuses_a_straight_line():
    for line in (np.arange(30.0), 0.1 * np.arange(30.0) + 7.0):      # equal changes (up to rounding)
        with pytest.raises(ValueError, match=r"series must change by varying amounts: the standard deviation of "
                                             r"its first n_train = 5 changes is .*, at most 1e-12 of the largest"):
            esn.change_forecast_problem(line, horizon=2, n_train=5)
    # what the message says is what it does: a spread of 1e-10 of the largest change is enough
    wiggle = np.arange(30.0) + 1e-10 * (np.arange(30) % 2)
    d = np.diff(wiggle)[:5]
    assert d.std() > 1e-12 * np.abs(d).max()
    u, _ = esn.change_forecast_problem(wiggle, horizon=2, n_train=5)
    np.testing.assert_allclose(u[:5, 0, 0], (d - d.mean()) / d.std(), rtol=1e-6)


def test_change_forecast_problem_and_nrmse_do_not_depend_on_the_series_scale():
    """Standardised changes and NRMSE are scale-free, so a series scaled by 1e±300 (whose squares leave
    float64) gives the numbers of the unscaled one."""
    s = np.sin(np.arange(40.0)) + 0.05 * np.arange(40.0)
    u, y = esn.change_forecast_problem(s, horizon=2, n_train=10)
    d = np.diff(s)[:37]
    np.testing.assert_allclose(u[:, 0, 0], (d - d[:10].mean()) / d[:10].std(), rtol=1e-12)
    t, p = y[:, 0, 0], y[:, 0, 0] + 0.1 * np.cos(np.arange(37.0))
    plain = np.sqrt(np.mean((p - t) ** 2)) / np.std(t)
    for scale in (1e-300, 1e300):
        u_s, y_s = esn.change_forecast_problem(scale * s, horizon=2, n_train=10)
        np.testing.assert_allclose(u_s, u, rtol=1e-12)
        assert esn.nrmse(scale * p, scale * t) == pytest.approx(plain, rel=1e-12)


def test_nrmse_equals_the_plain_formula_bit_for_bit_on_ordinary_numbers():
    """nrmse scales by powers of two (_validate.unit_scaled, which replaced esn's own copy): exact, so on
    ordinary numbers it is the plain formula to the last bit."""
    rng = np.random.default_rng(4)
    for _ in range(200):
        t = rng.standard_normal(rng.integers(2, 40)) * 10.0 ** rng.uniform(-5, 5)
        p = t + rng.standard_normal(t.size) * 10.0 ** rng.uniform(-5, 5)
        assert esn.nrmse(p, t) == np.sqrt(np.mean((p - t) ** 2)) / np.std(t)


def test_readout_reports_an_overflow_as_inf():
    """A weight of 1.7e308 on two states of 1: the prediction, 3.4e308, exceeds float64."""
    got = esn.readout(np.ones((1, 1, 2)), np.array([[1.7e308, 1.7e308, 0.0], [1.0, 2.0, 3.0]]))
    np.testing.assert_array_equal(got[0, 0], [np.inf, 6.0])


def test_baselines_ignore_an_input_that_only_the_washout_sees():
    """u_1 enters the AR inputs only in the first lags rows, which the fit washes out and the test period
    never reaches: a u_1 of 1.7e308 gives the numbers of u_1 = 0 (its prediction used to overflow
    with a warning)."""
    u = np.sin(np.arange(30) * 0.7)[:, None, None]
    y = np.cos(np.arange(30) * 0.7)[:, None, None]
    zero, big = u.copy(), u.copy()
    zero[0], big[0] = 0.0, 1.7e308
    assert esn.baseline_nrmse(big, y, 20, period=2, lags=3) == esn.baseline_nrmse(zero, y, 20, period=2, lags=3)


@pytest.mark.parametrize("call", [
    lambda res: esn.reservoir_states(res, np.ones((0, 2, 1))),
    lambda res: esn.state_distance(res, np.ones((0, 2, 1)), np.zeros((2, 4)), np.ones((2, 4))),
    lambda res: esn.start_spread(res, np.ones((0, 1, 1)), esn.echo_starts(4, 3)),
    lambda res: esn.reservoir_states(res, np.ones((3, 0, 1))),
])
def test_empty_inputs_are_named_u(call):
    """rnn_forward calls its inputs x; the reservoir's are u, and the message now says so."""
    with pytest.raises(ValueError, match=r"^u must have at least one step and one sequence \(T >= 1, B >= 1\)"):
        call(esn.make_reservoir(4, 1, 0, density=0.5))


def test_a_hand_built_reservoir_is_checked():
    res = esn.make_reservoir(4, 1, seed=0, density=0.5)
    with pytest.raises(ValueError, match=r"W_in must have shape \(4, D\)"):
        esn.Reservoir(np.ones((3, 1)), res.W, res.b, res.rho)
    with pytest.raises(ValueError, match="b contains NaN"):
        esn.Reservoir(res.W_in, res.W, np.full(4, np.nan), res.rho)
    with pytest.raises(ValueError, match="rho must be a positive finite number"):
        esn.Reservoir(res.W_in, res.W, res.b, "0.9")


@pytest.mark.parametrize("call, message", [
    (lambda: esn.baseline_nrmse(np.zeros((20, 1, 1)), np.zeros((20, 1, 1)), 15, period=None),
     "period must be an integer >= 1, got None"),
    (lambda: esn.fit_readout(np.zeros((5, 1, 3)), np.zeros((6, 1, 1))),
     "states has T = 5 steps and B = 1 sequences (shape (5, 1, 3)) but y has T = 6 steps (shape (6, 1, 1)); "
     "expected y of shape (5, 1, K)"),
    (lambda: esn.echo_forecast(esn.make_reservoir(4, 1, 0, density=0.5), 0.5, np.ones((12, 1, 1)),
                               np.ones((12, 2, 1)), np.zeros((3, 4)), 8),
     "u has T = 12 steps and B = 1 sequences (shape (12, 1, 1)) but y has B = 2 sequences"),
    (lambda: esn.state_distance(esn.make_reservoir(4, 1, 0, density=0.5), np.ones((3, 1, 1)), None, np.zeros((1, 4))),
     "h0_a must be an array of numbers"),
    (lambda: esn.echo_forecast("base", 0.5, np.ones((12, 1, 1)), np.ones((12, 1, 1)), np.zeros((3, 4)), 8),
     "base must be a Reservoir from make_reservoir"),
    (lambda: esn.compare_with_baselines(0.5, {"AR(12)": None}), "baselines['AR(12)'] must be a positive finite number"),
    (lambda: esn.compare_with_baselines(True, {"AR(12)": 0.5}), "error must be a finite number >= 0, got True"),
    (lambda: esn.echo_starts(4, seed=None), "seed must be an integer >= 0"),
    (lambda: esn.make_reservoir(4, 1, 0, input_scale=1e308), "input_scale must be a positive finite number <= 1e+300"),
    (lambda: esn.rescale(esn.make_reservoir(4, 1, 0, density=0.5), 1.7e308), "rho must keep W within float64"),
])
def test_arguments_are_named(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


def test_nrmse_refuses_a_nan_forecast_and_reports_a_diverged_one_as_inf():
    target = np.array([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="prediction contains NaN"):
        esn.nrmse(np.array([1.0, np.nan, 3.0]), target)
    assert esn.nrmse(np.array([1.0, np.inf, 3.0]), target) == np.inf
