"""The LSTM (helpers.lstm): forward pass against a per-gate loop, every gradient against central
differences, the cell's Jacobians against perturbed forward runs, and the output layer against
the formulas. (Its initial parameters, helpers.init.lstm_params, are tested in test_init.py.)"""
import numpy as np
import pytest

from helpers import lstm
from helpers.gradcheck import numerical_gradient, numerical_jacobian, relative_error
from helpers.init import lstm_params
from helpers.rnn import rnn_forward

T, B, D, H, K = 6, 3, 2, 4, 3


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


@pytest.fixture
def setup():
    params = lstm_params(D, H, K, seed=0, forget_bias=1.0, scale=0.7)
    rng = np.random.default_rng(1)                  # the rest of the problem: a stream of its own
    params["b"] += rng.normal(0, 0.3, 4 * H)
    params["b_y"] += rng.normal(0, 0.3, K)
    x = rng.normal(size=(T, B, D))
    h0 = rng.normal(0, 0.5, (B, H))
    c0 = rng.normal(0, 0.5, (B, H))
    return rng, params, x, h0, c0


def test_forward_matches_a_per_gate_loop(setup):
    _, p, x, h0, c0 = setup
    h, c, _ = lstm.lstm_forward(x, h0, c0, p)
    Wx = {k: p["W_x"][lstm.gate_slice(k, H)] for k in "ifog"}
    Wh = {k: p["W_h"][lstm.gate_slice(k, H)] for k in "ifog"}
    bb = {k: p["b"][lstm.gate_slice(k, H)] for k in "ifog"}
    for n in range(B):
        hv, cv = h0[n], c0[n]
        for t in range(T):
            a = {k: Wx[k] @ x[t, n] + Wh[k] @ hv + bb[k] for k in "ifog"}
            cv = sig(a["f"]) * cv + sig(a["i"]) * np.tanh(a["g"])
            hv = sig(a["o"]) * np.tanh(cv)
            np.testing.assert_allclose(c[t, n], cv, rtol=1e-12)
            np.testing.assert_allclose(h[t, n], hv, rtol=1e-12)


@pytest.mark.parametrize("loss", ["mse", "softmax"])
def test_every_parameter_gradient_matches_finite_differences_with_masked_targets(setup, loss):
    rng, p, x, h0, c0 = setup
    if loss == "mse":
        y = rng.normal(size=(T, B, K))
        y[[0, 2, 3]] = np.nan                       # steps without a target
        y[5, 1] = np.nan
    else:
        y = rng.integers(0, K, size=(T, B))
        y[:2] = -1
        y[4, 0] = -1
    _, grads = lstm.lstm_loss_and_grads(p, x, y, loss, h0, c0)
    assert set(grads) == set(p)
    for name in p:
        num = numerical_gradient(lambda _: lstm.lstm_loss_and_grads(p, x, y, loss, h0, c0)[0], p[name])
        assert relative_error(grads[name], num) <= 1e-7, name


def test_input_and_initial_state_gradients_including_an_outside_cell_gradient(setup):
    rng, p, x, h0, c0 = setup
    R_h = rng.normal(size=(T, B, H))
    R_c = rng.normal(size=(T, B, H))

    def L(_):
        h, c, _ = lstm.lstm_forward(x, h0, c0, p)
        return np.sum(R_h * h) + np.sum(R_c * c)

    _, _, cache = lstm.lstm_forward(x, h0, c0, p)
    g = lstm.lstm_backward(R_h, cache, dc=R_c)
    for name, arr in [("x", x), ("h0", h0), ("c0", c0)]:
        assert relative_error(g[name], numerical_gradient(L, arr)) <= 1e-7, name
    for name in ("W_x", "W_h", "b"):
        assert relative_error(g[name], numerical_gradient(L, p[name])) <= 1e-7, name


def test_state_jacobians_match_finite_differences(setup):
    _, p, x, h0, c0 = setup
    _, _, cache = lstm.lstm_forward(x, h0, c0, p)
    J = lstm.state_jacobians(cache)
    t = 3
    s_prev = np.concatenate([cache.c[t - 1], cache.h[t - 1]], axis=1)       # (B, 2H)

    for n in range(B):
        def step(v, n=n):
            _, c, cc = lstm.lstm_forward(x[t:t + 1, n:n + 1], v[None, H:], v[None, :H], p)
            return np.concatenate([c[0, 0], cc.h[0, 0]])
        num = np.empty((2 * H, 2 * H))
        v = s_prev[n].copy()
        for j in range(2 * H):
            e = np.zeros(2 * H)
            e[j] = 1e-6
            num[:, j] = (step(v + e) - step(v - e)) / 2e-6
        assert relative_error(J[t, n], num) <= 1e-7


@pytest.mark.parametrize("which", ["cell", "hidden"])
def test_jacobian_norms_match_a_perturbed_forward_run(setup, which):
    """‖∂c_T/∂c_{T−k}‖: nudge c_s (h_s follows through its fixed output gate o_s) and run on;
    ‖∂h_T/∂h_{T−k}‖: nudge h_s alone, with c_s held, and run on."""
    _, p, x, h0, c0 = setup
    _, _, cache = lstm.lstm_forward(x, h0, c0, p)
    norms = (lstm.cell_jacobian_norms if which == "cell" else lstm.hidden_jacobian_norms)(cache)
    assert norms.shape == (T, B)
    np.testing.assert_allclose(norms[0], 1.0)
    for k in (1, 3, 4):
        s = T - 1 - k
        for n in range(B):
            def last(v, n=n, s=s):
                h_s, c_s = (cache.o[s, n] * np.tanh(v), v) if which == "cell" else (v, cache.c[s, n])
                h, c, _ = lstm.lstm_forward(x[s + 1:, n:n + 1], h_s[None], c_s[None], p)
                return (c if which == "cell" else h)[-1, 0]
            num = numerical_jacobian(last, (cache.c if which == "cell" else cache.h)[s, n])
            assert norms[k, n] == pytest.approx(np.linalg.norm(num, 2), rel=1e-7)


def test_forget_products_are_the_cell_path_alone(setup):
    _, p, x, h0, c0 = setup
    _, _, cache = lstm.lstm_forward(x, h0, c0, p)
    P = lstm.forget_products(cache)
    np.testing.assert_allclose(P[0], 1.0)
    np.testing.assert_allclose(P[3], cache.f[T - 1] * cache.f[T - 2] * cache.f[T - 3], rtol=1e-13)


def test_large_forget_bias_keeps_the_cell_gradient_alive_over_a_long_sequence():
    p = lstm_params(1, 8, 1, seed=1, forget_bias=6.0, scale=0.1)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(60, 2, 1))
    _, _, cache = lstm.lstm_forward(x, np.zeros((2, 8)), np.zeros((2, 8)), p)
    # f ≈ σ(6) ≈ 0.9975, so after 59 steps the cell path alone keeps about 0.9975^59 ≈ 0.86.
    assert lstm.cell_jacobian_norms(cache)[-1].min() > 0.5


def test_outputs_and_loss_against_the_formulas(setup):
    """o[t] = W_hy h[t] + b_y, written out unit by unit, and the mse and softmax losses written out
    (the gradient checks above differentiate whatever loss the code computes, so they cannot
    catch a wrong output layer)."""
    rng, p, x, h0, c0 = setup
    o, _, _ = lstm.lstm_outputs(p, x, h0, c0)
    h, _, _ = lstm.lstm_forward(x, h0, c0, p)          # checked against a per-gate loop above
    want = np.array([[[sum(p["W_hy"][k, j] * h[t, n, j] for j in range(H)) + p["b_y"][k] for k in range(K)]
                      for n in range(B)] for t in range(T)])
    np.testing.assert_allclose(o, want, rtol=1e-13)
    y = rng.normal(size=(T, B, K))
    mse = sum(0.5 * np.sum((want[t, n] - y[t, n]) ** 2) for t in range(T) for n in range(B)) / B
    assert lstm.lstm_loss_and_grads(p, x, y, "mse", h0, c0)[0] == pytest.approx(mse, rel=1e-13)
    labels = rng.integers(0, K, size=(T, B))
    xent = sum(np.log(np.sum(np.exp(want[t, n]))) - want[t, n, labels[t, n]] for t in range(T) for n in range(B)) / B
    assert lstm.lstm_loss_and_grads(p, x, labels, "softmax", h0, c0)[0] == pytest.approx(xent, rel=1e-13)


def test_bad_inputs_name_the_argument(setup):
    _, p, x, h0, c0 = setup
    with pytest.raises(ValueError, match=r"c0 must have shape \(3, 4\)"):
        lstm.lstm_forward(x, h0, c0[:, :2], p)
    with pytest.raises(ValueError, match="params is missing W_h"):
        lstm.lstm_forward(x, h0, c0, {"W_x": p["W_x"], "b": p["b"]})
    bad = dict(p, W_h=p["W_h"][:5])
    with pytest.raises(ValueError, match=r"params\['W_h'\] must have shape"):
        lstm.lstm_forward(x, h0, c0, bad)
    with pytest.raises(ValueError, match="cache must be the LSTMCache"):
        lstm.lstm_backward(np.zeros((T, B, H)), object())
    with pytest.raises(ValueError, match="name must be one of"):
        lstm.gate_slice("z", H)
    with pytest.raises(ValueError, match=r"seed must be an integer >= 0 \(a seed, .*\), got a Generator"):
        lstm_params(1, 2, 1, np.random.default_rng(0))    # a seed now, not a generator
    _, _, cache = lstm.lstm_forward(x, h0, c0, p)
    with pytest.raises(ValueError, match=r"dh must have shape \(6, 3, 4\), got shape \(6, 3, 5\)"):
        lstm.lstm_backward(np.zeros((T, B, H + 1)), cache)
    with pytest.raises(ValueError, match=r"dc must have shape \(6, 3, 4\), got shape \(5, 3, 4\)"):
        lstm.lstm_backward(np.zeros((T, B, H)), cache, dc=np.zeros((T - 1, B, H)))
    for f in (lstm.state_jacobians, lstm.cell_jacobian_norms, lstm.hidden_jacobian_norms, lstm.forget_products):
        with pytest.raises(ValueError, match="cache must be the LSTMCache returned by lstm_forward, got RNNCache"):
            f(rnn_forward(x, h0, np.zeros((H, D)), np.zeros((H, H)), np.zeros(H))[1])


def test_output_layer_must_match_the_hidden_size(setup):
    _, p, x, h0, c0 = setup
    with pytest.raises(ValueError, match=r"params\['W_hy'\] must have shape \(K, 4\)"):
        lstm.lstm_outputs(dict(p, W_hy=np.zeros((K, H + 1))), x)
    with pytest.raises(ValueError, match="params is missing W_hy"):
        lstm.lstm_loss_and_grads({k: v for k, v in p.items() if k != "W_hy"}, x, np.zeros((T, B, K)))


def test_x_and_y_with_different_steps_are_both_named():
    p = lstm_params(2, 3, 2, seed=0)
    x = np.zeros((3, 2, 2))
    with pytest.raises(ValueError, match=r"x has T = 3 steps .* but y has T = 2 steps"):
        lstm.lstm_loss_and_grads(p, x, np.zeros((2, 2, 2)))


@pytest.mark.parametrize("H", [1.5, None, True, "3"])
def test_gate_slice_checks_H(H):
    with pytest.raises(ValueError, match="H must be an integer >= 1"):
        lstm.gate_slice("f", H)


# ---------------------------------------------------------------- float64's edges (issue 16)

def test_nan_in_dh_or_dc_is_refused_by_name_and_inf_gives_inf(setup):
    """Every helper reports an overflow as inf, so a NaN output gradient can only be a mistake."""
    _, p, x, h0, c0 = setup
    _, _, cache = lstm.lstm_forward(x, h0, c0, p)
    bad = np.zeros((T, B, H))
    bad[1, 0, 0] = np.nan
    with pytest.raises(ValueError, match=r"^dh contains NaN; expected numbers \(inf allowed\)"):
        lstm.lstm_backward(bad, cache)
    with pytest.raises(ValueError, match=r"^dc contains NaN; expected numbers \(inf allowed\)"):
        lstm.lstm_backward(np.zeros((T, B, H)), cache, dc=bad)
    bad[1, 0, 0] = np.inf
    grads = lstm.lstm_backward(bad, cache)
    assert not any(np.isnan(g).any() for g in grads.values()) and np.isinf(grads["W_x"]).any()


def test_x_that_does_not_fit_W_x_names_both(setup):
    _, p, x, h0, c0 = setup
    with pytest.raises(ValueError, match=r"^x has D = 3 numbers per step .* but params\['W_x'\] has shape "
                                         r"\(16, 2\), which takes D = 2"):
        lstm.lstm_forward(np.zeros((T, B, 3)), h0, c0, p)
    with pytest.raises(ValueError, match=r"^x has D = 6 numbers per step"):
        lstm.lstm_outputs(p, x.transpose(2, 1, 0))


def test_a_huge_input_saturates_the_gates_exactly_without_a_warning(setup):
    """x_1 = 1e308 in one sequence, with weights below 1: no pre-activation overflows, and the
    gates are σ(±huge) ∈ {0, 1}, tanh(±huge) = ±1 exactly, the signs those of W_x's first column;
    the other sequences are untouched."""
    _, p, x, h0, c0 = setup
    p = dict(p, W_x=p["W_x"] / (2 * np.abs(p["W_x"]).max()))    # |entries| <= 0.5
    huge = x.copy()
    huge[0, 0, 0] = 1e308
    h, _, cache = lstm.lstm_forward(huge, h0, c0, p)
    sign = np.sign(p["W_x"][:, 0])
    assert np.all(np.abs(p["W_x"][:, 0]) > 1e-300)
    np.testing.assert_array_equal(cache.i[0, 0], sign[:H] > 0)
    np.testing.assert_array_equal(cache.f[0, 0], sign[H:2 * H] > 0)
    np.testing.assert_array_equal(cache.o[0, 0], sign[2 * H:3 * H] > 0)
    np.testing.assert_array_equal(cache.g[0, 0], sign[3 * H:])
    np.testing.assert_array_equal(h[:, 1:], lstm.lstm_forward(x, h0, c0, p)[0][:, 1:])
    loss, grads = lstm.lstm_loss_and_grads(p, huge, np.zeros((T, B, K)), "mse", h0, c0)
    assert np.isfinite(loss) and not any(np.isnan(g).any() for g in grads.values())


@pytest.mark.parametrize("x0", [[1.7e308, 1.7e308], [1.7e308, 0.0]])
def test_a_pre_activation_beyond_float64_is_refused_naming_x(x0):
    """2 · 1.7e308 − 2 · 1.7e308 is 0, but its partial sum overflows: the sign is lost (a BLAS may
    return inf, −inf or NaN), so no gate is defined; 2 · 1.7e308 alone is beyond float64 too."""
    p = {"W_x": np.tile([[2.0, -2.0]], (4, 1)), "W_h": np.zeros((4, 1)), "b": np.zeros(4)}
    with pytest.raises(ValueError, match=r"^x and params \(W_x, W_h, b\) give a gate pre-activation .* "
                                         r"beyond float64 at step t = 1"):
        lstm.lstm_forward(np.array(x0).reshape(1, 1, 2), np.zeros((1, 1)), np.zeros((1, 1)), p)
