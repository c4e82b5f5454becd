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
    with pytest.raises(ValueError, match="res must be a Reservoir from make_reservoir, got dict"):
        esn.rescale({"W": np.eye(2)}, 1.0)
    with pytest.raises(ValueError, match="res must be a Reservoir from make_reservoir, got str"):
        esn.state_distance("res", np.zeros((3, 1, 1)), np.zeros((1, 10)), np.zeros((1, 10)))
    with pytest.raises(ValueError, match=r"target must vary .* 4 values with standard deviation 0.0"):
        esn.nrmse(np.ones(4), np.full(4, 2.0))
    with pytest.raises(ValueError, match=r"prediction must have shape \(4,\), got shape \(3,\)"):
        esn.nrmse(np.ones(3), np.arange(4.0))
    with pytest.raises(ValueError, match=r"W_out must have shape \(K, 11\), got shape \(1, 10\)"):
        esn.readout(np.zeros((5, 1, 10)), np.zeros((1, 10)))
