"""The numerics of lesson 04 (helpers.vanishing): the bound (γλ₁)^k, the explorer's state, the phase
diagram and the feed-forward comparison, checked against closed forms, independent loops and
central differences. (Initialisers are in test_init.py, spectra in test_linalg.py.)"""
from math import comb

import numpy as np
import pytest

from helpers import linalg
from helpers import vanishing as gt
from helpers.activations import get_activation
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.init import INITS, recurrent_matrix, rnn_params
from helpers.rnn import hidden_jacobians, rnn_forward

ACTS = ["tanh", "sigmoid", "relu", "linear"]


def _state_and_jacobians(x, W_hh, activation):
    """h_T as a function of h_0 (W_xh = I, b_h = 0), and the hand product of Jacobians."""
    T, H = x.shape
    def h_T(h0):
        return rnn_forward(x[:, None], h0[None], np.eye(H), W_hh, np.zeros(H), activation)[0][-1, 0]
    _, cache = rnn_forward(x[:, None], np.zeros((1, H)), np.eye(H), W_hh, np.zeros(H), activation)
    return h_T, hidden_jacobians(cache)[:, 0]


def _fd_jacobian(f, h0):
    """∂f/∂h0 by central differences, one row per output."""
    rows = []
    for i in range(f(h0).size):
        rows.append(numerical_gradient(lambda v, i=i: f(v)[i], h0))
    return np.array(rows)


# ----------------------------------------------------------------------------------- the bound

def test_gamma_lambda1_is_gamma_times_the_largest_singular_value():
    R = np.array([[0.0, -2.0], [2.0, 0.0]])                    # 2 × a rotation by 90°: σ₁ = 2
    assert gt.gamma_lambda1(R, "sigmoid") == pytest.approx(0.5)


def test_bound_curve_values_overflow_and_underflow_quietly():
    np.testing.assert_allclose(gt.bound_curve(0.5, [0, 1, 2, 10]), [1, 0.5, 0.25, 0.5 ** 10], rtol=1e-14)
    big = gt.bound_curve(10.0, np.array([300, 400]))
    assert big[0] == pytest.approx(1e300, rel=1e-10) and big[1] == np.inf
    assert gt.bound_curve(0.1, [400])[0] == 0.0


def test_nonnormal_powers_match_the_binomial_formula_and_grow_before_decaying():
    A = gt.nonnormal_matrix(0.95, 10.0)
    k = np.arange(61)
    # H = 2: A^k = [[ρ^k, c k ρ^(k-1)], [0, ρ^k]]; its norm from the closed form of σ₁ above.
    a, c = 0.95 ** k, 10.0 * k * 0.95 ** np.maximum(k - 1, 0)
    expected = (c + np.sqrt(c * c + 4 * a * a)) / 2
    np.testing.assert_allclose(linalg.matrix_power_norms(A, 60), expected, rtol=1e-10)
    assert linalg.spectral_radius(A) == pytest.approx(0.95, rel=1e-7)
    assert expected.max() > 60 and expected.argmax() > 10
    # H = 4: A^k = Σ_j C(k, j) ρ^(k-j) c^j N^j
    A4 = gt.nonnormal_matrix(0.8, 2.0, H=4)
    N = np.eye(4, k=1)
    for kk in (0, 1, 3, 9):
        Ak = sum(comb(kk, j) * 0.8 ** (kk - j) * 2.0 ** j * np.linalg.matrix_power(N, j) for j in range(min(kk, 3) + 1))
        assert linalg.matrix_power_norms(A4, 9)[kk] == pytest.approx(np.linalg.norm(Ak, 2), rel=1e-10)


# ------------------------------------------------------------------------------ exact logs of φ′

def test_log_activation_derivative_is_ln_of_the_derivative():
    z = np.linspace(-15, 15, 61)
    # tanh′ = 1/cosh² and σ′ = e^(−|z|)/(1 + e^(−|z|))², both free of cancellation (1 − tanh² and the
    # helpers' σ(z)σ(−z), through tanh, lose digits as |z| grows)
    np.testing.assert_allclose(gt.log_activation_derivative("tanh", z), -2 * np.log(np.cosh(z)), rtol=1e-13)
    e = np.exp(-np.abs(z))
    np.testing.assert_allclose(gt.log_activation_derivative("sigmoid", z), np.log(e / (1 + e) ** 2), rtol=1e-13)
    np.testing.assert_array_equal(gt.log_activation_derivative("relu", z), np.where(z > 0, 0.0, -np.inf))
    np.testing.assert_array_equal(gt.log_activation_derivative("linear", z), np.zeros_like(z))


def test_log_activation_derivative_stays_exact_where_the_derivative_rounds_to_zero():
    from math import cosh, exp, log
    z = np.array([25.0, -40.0, 300.0])
    # ln tanh′(z) = −2 ln cosh z; ln σ′(z) = −|z| − 2 ln(1 + e^(−|z|)) (checked against Python's math)
    tanh_log = gt.log_activation_derivative("tanh", z)
    assert tanh_log[0] == pytest.approx(-2 * log(cosh(25.0)), rel=1e-14)
    assert tanh_log[1] == pytest.approx(-2 * log(cosh(40.0)), rel=1e-14)
    assert tanh_log[2] == pytest.approx(log(4.0) - 600.0, rel=1e-14)     # cosh(300) ≈ e^300 / 2
    assert get_activation("tanh").df(z).max() == 0.0                       # what 1 − tanh² gives
    sig_log = gt.log_activation_derivative("sigmoid", z)
    np.testing.assert_allclose(sig_log, -np.abs(z) - 2 * np.log1p(np.exp(-np.abs(z))), rtol=1e-14)
    assert sig_log[1] == pytest.approx(-40.0 - 2 * log(1 + exp(-40.0)), rel=1e-14)
    assert get_activation("sigmoid").df(np.array([40.0, -40.0])).max() < 1e-17
    relu = gt.log_activation_derivative("relu", np.array([2.0, 0.0, -1.0, np.nan]))
    assert relu[0] == 0.0 and relu[1] == relu[2] == -np.inf and np.isnan(relu[3])   # relu′(0) = 0: a true zero
    np.testing.assert_array_equal(gt.log_activation_derivative("linear", np.array([1e300, np.nan])), [0.0, 0.0])


def test_log10_jacobian_norms_match_the_plain_product_and_go_beyond_float64():
    rng = np.random.default_rng(3)
    W = rng.standard_normal((4, 4))
    log_dphi = np.log(rng.uniform(0.2, 1.0, size=(6, 4)))
    J = np.exp(log_dphi)[:, :, None] * W
    for k in range(6):
        P = np.eye(4)
        for t in range(5, 5 - k, -1):                # J_T ⋯ J_{T-k+1} (row t holds step t + 1)
            P = P @ J[t]
        assert gt.log10_jacobian_norms(log_dphi, W)[k] == pytest.approx(np.log10(np.linalg.norm(P, 2)), abs=1e-12)
    # 400 steps of φ′ = e^-50 and W = I: 10^(-400 · 50 / ln 10), far below float64, and exact.
    far = gt.log10_jacobian_norms(np.full((400, 3), -50.0), np.eye(3))
    np.testing.assert_allclose(far, -50.0 * np.arange(400) / np.log(10.0), rtol=1e-12)
    dead = gt.log10_jacobian_norms(np.array([[0.0, 0.0], [-np.inf, -np.inf], [0.0, 0.0]]), 2 * np.eye(2))
    assert dead[0] == 0.0 and dead[1] == pytest.approx(np.log10(2.0)) and dead[2] == -np.inf   # a true zero


# ------------------------------------------------------------------------ the explorer's state

@pytest.mark.parametrize("activation", ACTS)
def test_gradient_state_matches_finite_differences(activation):
    s = gt.gradient_state(0.9, activation, T=6, amplitude=0.8, init="gaussian", seed=2, H=5)
    # Rebuild the run exactly as documented: x ~ amplitude·N(0, 1) from seed + 1.
    x = 0.8 * np.random.default_rng(3).standard_normal((6, 5))
    W = recurrent_matrix(5, 0.9, "gaussian", 2)
    _, cache = rnn_forward(x[:, None], np.zeros((1, 5)), np.eye(5), W, np.zeros(5), activation)
    np.testing.assert_allclose(s.h, cache.h[:, 0], rtol=1e-14)
    # ‖∂h_T/∂h_{T-k}‖ by central differences on the state k steps back, re-running the tail.
    for k in range(1, 6):
        start = cache.h[-1 - k, 0].copy()
        tail = x[6 - k:]
        def f(v, tail=tail):
            return rnn_forward(tail[:, None], v[None], np.eye(5), W, np.zeros(5), activation)[0][-1, 0]
        J = _fd_jacobian(f, start)
        assert s.norms[k] == pytest.approx(np.linalg.norm(J, 2), rel=1e-6, abs=1e-9)
        assert s.log10_norms[k] == pytest.approx(np.log10(np.linalg.norm(J, 2)), abs=1e-6)
    assert s.norms[0] == 1.0 and s.log10_norms[0] == 0.0
    np.testing.assert_allclose(s.log10_bound, np.arange(6) * np.log10(s.gamma_lambda), rtol=1e-14)


@pytest.mark.parametrize("activation, gamma", [("tanh", 1.0), ("sigmoid", 0.25)])
def test_gradient_state_counts_saturated_units_from_the_states(activation, gamma):
    s = gt.gradient_state(3.0, activation, T=50, amplitude=3.0, seed=1, H=16)
    h = s.h                                        # φ' from the states: 1 − h² (tanh), h(1 − h) (sigmoid)
    dphi = 1 - h * h if activation == "tanh" else h * (1 - h)
    expected = np.mean(dphi < 0.2 * gamma)
    assert 0.2 < expected < 0.95                   # a mix, so a wrong threshold or a wrong γ shows
    assert s.saturated == pytest.approx(expected, abs=1 / h.size)    # one borderline unit at most
    assert s.mean_dphi == pytest.approx(np.mean(dphi) / gamma, rel=1e-6)
    assert gt.gradient_state(3.0, activation, T=50, amplitude=0.0, seed=1, H=16).saturated < s.saturated


@pytest.mark.parametrize("activation", ["relu", "linear"])
def test_gradient_state_has_no_saturation_for_unbounded_units(activation):
    assert gt.gradient_state(1.0, activation, T=10, H=4).saturated is None


def test_linear_state_norms_are_the_norms_of_matrix_powers():
    s = gt.gradient_state(1.1, "linear", T=40, amplitude=1.0, init="gaussian", seed=5, H=8)
    W = recurrent_matrix(8, 1.1, "gaussian", 5)
    expected = [np.linalg.norm(np.linalg.matrix_power(W, k), 2) for k in range(40)]
    np.testing.assert_allclose(s.norms, expected, rtol=1e-9)
    assert s.gamma_lambda == pytest.approx(np.linalg.norm(W, 2))
    assert s.rho == pytest.approx(np.abs(np.linalg.eigvals(W)).max())


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("init", INITS)
def test_bound_holds_for_bounded_activations(activation, init):
    for scale in (0.3, 1.0, 4.0, 30.0):
        for amplitude in (0.0, 1.0, 8.0):
            s = gt.gradient_state(scale, activation, 60, amplitude, init, seed=1, H=16)
            assert np.all(s.log10_norms <= s.log10_bound + 1e-9), (scale, amplitude)


def test_regimes_and_verdicts():
    guaranteed = gt.gradient_state(0.5, "tanh", 100, 1.0, "gaussian", 0)
    assert guaranteed.gamma_lambda < 1 and guaranteed.regime == "vanishing"
    assert "guaranteed" in guaranteed.verdict and f"γλ₁ = {guaranteed.gamma_lambda:.2f}" in guaranteed.verdict
    assert "99 steps back" in guaranteed.verdict
    saturated = gt.gradient_state(3.0, "tanh", 100, 5.0, "gaussian", 0)
    assert saturated.gamma_lambda > 1 and saturated.regime == "vanishing"
    assert saturated.gamma * saturated.rho > 1
    assert f"yet it vanishes (saturated units: φ′ is {saturated.mean_dphi:.2g} γ on average)" in saturated.verdict
    inside = gt.gradient_state(0.6, "tanh", 100, 1.0, "gaussian", 0)     # ρ < 1/γ ≤ λ₁
    assert inside.gamma_lambda > 1 and inside.gamma * inside.rho < 1 and inside.regime == "vanishing"
    assert f"(likely: γρ = {inside.gamma * inside.rho:.2f} < 1, eigenvalues inside the 1/γ circle)" in inside.verdict
    exploding = gt.gradient_state(1.2, "linear", 100, 1.0, "gaussian", 0)
    assert exploding.gamma_lambda > 1 and exploding.regime == "exploding"
    assert exploding.norms[-1] > 1e2 and "times the most recent one" in exploding.verdict
    assert exploding.verdict.startswith(
        f"γλ₁ = {exploding.gamma_lambda:.2f} > 1 (growth allowed), and it does explode: ")
    rate = exploding.norms[-1] ** (1 / 99)
    assert f"(mean ×{rate:.2g} per step)" in exploding.verdict
    edge = gt.gradient_state(1.0, "tanh", 100, 0.0, "orthogonal", 0)    # h stays 0: exactly W^k
    assert edge.regime == "edge" and edge.norms[-1] == pytest.approx(1.0)
    assert "(mean ×1.000 per step)" in edge.verdict


def test_short_runs_are_too_short_to_tell_unless_the_bound_or_a_true_zero_decides():
    # The review's case: T = 2, linear, scale 30 grows ×54 in its one step; no regime from one step.
    short = gt.gradient_state(30.0, "linear", 2, 1.0, "gaussian", 0)
    assert short.regime == "too short" and "near the edge" not in short.verdict
    assert short.verdict == (f"γλ₁ = {short.gamma_lambda:.2f} > 1 (growth allowed); too short to tell (1 < 10 steps): "
                             f"the gradient from 1 step back is {short.norms[1]:.0f} times the most recent one")
    assert gt.gradient_state(1.0, "tanh", 10, 1.0, "gaussian", 0).regime == "too short"      # k = 9
    assert gt.gradient_state(1.0, "tanh", 11, 0.0, "gaussian", 0).regime != "too short"      # k = 10
    assert gt.gradient_state(0.3, "tanh", 2).regime == "vanishing"                            # γλ₁ < 1
    assert gt.gradient_state(1.0, "relu", 3, 0.0).regime == "vanishing"                       # exactly 0


def test_underflow_is_a_number_not_a_zero_and_overflow_is_only_for_states():
    # The review's cases: tanh at the smallest scale, T = 200 (its norms once underflowed to "exactly 0")
    tiny = gt.gradient_state(2 ** (-20 / 3), "tanh", 200, 1.0, "gaussian", 0)
    assert np.isfinite(tiny.log10_norms).all() and tiny.log10_norms[-1] < -400
    assert np.isfinite(tiny.log10_bound).all() and tiny.log10_bound[-1] < -300       # the bound line goes on
    assert "exactly 0" not in tiny.verdict
    assert f"is {gt.power_of_ten_text(tiny.log10_norms[-1])} of the most recent one" in tiny.verdict
    # …and linear at amplitude 0 (states stay 0, nothing overflows; it was called "∞ (beyond float64)")
    for scale in (34.0, 100.0):
        big = gt.gradient_state(scale, "linear", 200, 0.0, "gaussian", 0)
        assert big.overflow_step is None and np.isfinite(big.log10_norms).all() and big.log10_norms[-1] > 300
        assert "∞" not in big.verdict and big.regime == "exploding"
    # tanh with big inputs: 1 − tanh² rounds to 0 for |z| > 19, the true φ′ does not
    hot = gt.gradient_state(2 ** (20 / 3), "tanh", 200, 10.0, "gaussian", 0)
    assert np.isfinite(hot.log10_norms).all() and "exactly 0" not in hot.verdict


def test_overflow_and_dead_relu_are_reported_not_raised():
    s = gt.gradient_state(100.0, "linear", 200, 1.0, "gaussian", 0)
    assert np.isfinite(s.log10_norms).all() and s.log10_norms[-1] > 300     # W^k, known exactly
    assert s.overflow_step is not None and not np.isfinite(s.h[s.overflow_step - 1]).all()
    assert np.isfinite(s.h[s.overflow_step - 2]).all()
    assert "∞" not in s.verdict.split(" · ")[0] and f"the states overflow (∞/NaN) from step {s.overflow_step}" \
        in s.verdict
    relu = gt.gradient_state(100.0, "relu", 200, 1.0, "gaussian", 0)
    assert relu.overflow_step is not None and relu.regime == "exploding"
    assert np.isnan(relu.log10_norms[-1]) and "undefined (NaN)" in relu.verdict   # not a fake 0
    assert relu.log10_norms[0] == 0.0 and np.isnan(relu.log10_norms[1:]).all()   # the last state is already NaN
    dead = gt.gradient_state(1.0, "relu", 50, 0.0, "gaussian", 0)     # h0 = 0, no input: every unit off
    assert dead.log10_norms[-1] == -np.inf and dead.norms[-1] == 0.0
    assert "exactly 0 (every path crosses a switched-off ReLU)" in dead.verdict and dead.regime == "vanishing"


def test_verdict_states_as_a_consequence_only_what_the_bound_implies():
    # "→" only below 1 (the bound guarantees vanishing); from 1 up the bound merely allows growth,
    # and the verdict reports what was measured.
    assert gt.verdict(0.9, np.log10(0.5), 9, "tanh") == (
        "vanishing", "γλ₁ = 0.90 < 1 → vanishing (guaranteed by the bound): the gradient from 9 steps back "
                     "is 0.50 of the most recent one (mean ×0.926 per step)")
    for gl, log10_ratio, regime, words in [
            (2.149, 10.9, "exploding", "γλ₁ = 2.15 > 1 (growth allowed), and it does explode: "),
            (1.0 + 4e-16, 0.0, "edge", "γλ₁ = 1.00 ≥ 1 (growth allowed), and it stays near the edge: "),
            (5.37, -12.0, "vanishing", "γλ₁ = 5.37 > 1 (growth allowed), yet it vanishes (")]:
        got = gt.verdict(gl, log10_ratio, 99, "tanh", gamma_rho=2.0)
        assert got[0] == regime and got[1].startswith(words) and "→" not in got[1]
    # Rounding never puts a value below 1 on the wrong side of it.
    assert "γλ₁ = 0.9996 < 1" in gt.verdict(0.9996, -0.3, 9, "tanh")[1]
    text = gt.verdict(1 - 2 ** -52, -0.3, 9, "tanh")[1].split()[2]
    assert float(text) < 1
    assert "γλ₁ = 0.0044 < 1" in gt.verdict(0.0044, -400.0, 199, "sigmoid")[1]


@pytest.mark.parametrize("activation, log10_ratio, gamma_rho, why", [
    ("tanh", -19.0, 0.64, "(likely: γρ = 0.64 < 1, eigenvalues inside the 1/γ circle)"),
    ("tanh", -19.0, 1.3, "(saturated units: φ′ is 0.42 γ on average)"),
    ("sigmoid", -19.0, None, "(saturated units: φ′ is 0.42 γ on average)"),
    ("relu", -19.0, 1.3, "(switched-off units)"),
    ("relu", -np.inf, 0.5, "(switched-off units)"),                 # exactly 0: the ReLUs, whatever ρ
    ("linear", -19.0, 0.8, "(ρ = 0.80 < 1: the eigenvalues lie inside the unit circle)"),
])
def test_verdict_names_why_a_gradient_vanishes_although_the_bound_allows_growth(activation, log10_ratio,
                                                                                 gamma_rho, why):
    regime, line = gt.verdict(1.07, log10_ratio, 99, activation, gamma_rho=gamma_rho, mean_dphi=0.42)
    assert regime == "vanishing" and f"yet it vanishes {why}: " in line


def test_classify_reads_the_rate_per_step_once_the_bound_is_silent():
    assert gt.classify(0.99, np.log10(0.9), 1) == "vanishing"        # the bound decides, whatever the length
    assert gt.classify(1.5, -np.inf, 1) == "vanishing"                # a true zero stays 0 further back
    assert gt.classify(1.5, np.nan, 1) == "exploding"                 # the states overflowed
    assert gt.classify(53.7, np.log10(54.0), 1) == "too short"        # one step of ×54 (the review's case)
    assert gt.classify(1.5, -30.0, gt.MIN_STEPS - 1) == "too short"
    edge = gt.EDGE_DECADES_PER_STEP
    for k in (gt.MIN_STEPS, 99, 199):                                 # the same rate, the same regime, any k
        assert gt.classify(1.5, -1.01 * edge * k, k) == "vanishing"
        assert gt.classify(1.5, -0.99 * edge * k, k) == "edge"
        assert gt.classify(1.5, 0.99 * edge * k, k) == "edge"
        assert gt.classify(1.5, 1.01 * edge * k, k) == "exploding"
    # the old rule (total ratio 1e-2 … 1e2) called ×10 per step "edge" at k = 1 and ÷1.01 per step
    # "vanishing" at k = 199; the rate does not
    assert gt.classify(1.5, 199 * np.log10(1 / 1.01), 199) == "edge"


@pytest.mark.parametrize("log10_value, text", [
    (np.log10(0.62), "0.62"), (0.0, "1.0"), (np.log10(54.0), "54"), (np.log10(0.0031), "0.0031"),
    (-10.5, "3e-11"), (299.85, "7e+299"), (-349.7, "2e-350"), (2.9999, "1e+03"), (-np.inf, "exactly 0"),
    (np.nan, "undefined (NaN)"), (1e4, "1e+10000")])
def test_power_of_ten_text_prints_numbers_known_by_their_logs(log10_value, text):
    assert gt.power_of_ten_text(log10_value) == text


@pytest.mark.slow
def test_the_verdict_is_right_at_every_setting_of_the_slider_grid():
    """The explorer's verdict against an independent measurement, over the sliders' grids: every
    scale of the scale slider (401) at the lengths where the rules change (T = 2, 3, 9, 10, 11, 12)
    and at 20, 57, 100, 199, 200; every length T = 2 … 200 at every tenth scale; every activation
    and initialisation; amplitudes 0, 1 and 10 (linear: φ′ ≡ 1, so only 1; relu from h_0 = 0 is
    homogeneous, so 10 is 1 scaled: only 0 and 1). The inputs of a run of length T are the first T
    of a run of length 200, so one forward pass measures ∂h_T/∂h_1 for every T (plain products with
    φ′ taken from its logarithm, so it never underflows; renormalised). Each verdict must follow the
    rules the lesson states."""
    from helpers import widgets_vanishing as widgets
    lo, hi, step = widgets.SCALE_EXPONENTS
    scales = 2.0 ** np.round(np.arange(lo, hi + step / 2, step), 10)
    assert scales.size == 401 and scales[0] == pytest.approx(widgets.SCALE_RANGE[0])
    H, T = 32, widgets.T_RANGE[1]
    every_length = np.arange(0, scales.size, 10)
    lengths = (2, 3, 9, 10, 11, 12, 20, 57, 100, 199, 200)
    amplitudes = {"tanh": (0.0, 1.0, 10.0), "sigmoid": (0.0, 1.0, 10.0), "relu": (0.0, 1.0), "linear": (1.0,)}
    checked = 0
    for activation in ACTS:
        act = get_activation(activation)
        for init in INITS:
            W0 = recurrent_matrix(H, 1.0, init, 0)
            for amplitude in amplitudes[activation]:
                x = amplitude * np.random.default_rng(1).standard_normal((T, H))
                logs, undefined = _forward_log_ratios(act, scales, W0, x, lengths=lengths, every_length=every_length)
                gl = act.gamma * scales * np.linalg.norm(W0, 2)
                for i in range(scales.size):
                    for T_ in (range(2, T + 1) if i in every_length else lengths):
                        measured = np.nan if undefined[i, T_] else logs[i, T_]
                        regime, line = gt.verdict(gl[i], measured, T_ - 1, activation)
                        _assert_right(regime, line, gl[i], measured, T_ - 1, activation)
                        checked += 1
                # the helpers' own measurement agrees with the independent product along the same
                # states (a chaotic run's states differ in the last bits between two implementations)
                for i in range(0, scales.size, 40):
                    for T_ in (2, 11, 200):
                        s = gt.gradient_state(scales[i], activation, T_, amplitude, init, 0, H=H)
                        W = recurrent_matrix(H, scales[i], init, 0)
                        with np.errstate(all="ignore"):
                            z = np.vstack([np.zeros(H), s.h[:-1]]) @ W.T + x[:T_]
                        if act.name != "linear" and np.isnan(z).any():
                            assert np.isnan(s.log10_norms[-1]) and s.regime == "exploding"
                            continue
                        expected = _forward_log_ratios(act, np.ones(1), W, x[:T_], z=z[:, None])[0][0, T_]
                        assert s.log10_norms[-1] == pytest.approx(expected, abs=1e-9 * max(1, abs(expected)))
                        assert s.regime == gt.classify(s.gamma_lambda, s.log10_norms[-1], T_ - 1)
    settings = 401 * len(lengths) + every_length.size * (T - 1 - len(lengths))
    assert checked == settings * 3 * sum(len(a) for a in amplitudes.values())


def _forward_log_ratios(act, scales, W0, x, z=None, lengths=None, every_length=None):
    """log₁₀‖∂h_T/∂h_1‖ for every scale and T = 1 … len(x) (column T; column 0 unused), by forward
    accumulation P_T = J_T P_{T-1}, P_1 = I, with log φ′ from the net inputs (exact in log space, so
    φ′ never underflows on its own) and the log scale carried separately; and where the states
    overflowed into NaN before step T. z (T, S, H): the net inputs to use instead of running the
    states; lengths: the T to measure (default all), except for the scales of index every_length,
    which are measured at every T."""
    S, H = scales.size, W0.shape[0]
    T, given = x.shape[0], z
    h = np.zeros((S, H))
    P = np.broadcast_to(np.eye(H), (S, H, H)).copy()
    log_scale = np.zeros(S)
    out = np.full((S, T + 1), np.nan)
    undefined = np.zeros((S, T + 1), dtype=bool)
    broken = np.zeros(S, dtype=bool)
    with np.errstate(all="ignore"):
        for t in range(1, T + 1):
            if given is None:
                z = scales[:, None] * (h @ W0.T) + x[t - 1]
                h = act.f(z)
            else:
                z = given[t - 1]
            if act.name != "linear":
                broken |= np.isnan(z).any(axis=1)
            if t >= 2:
                if act.name == "tanh":                      # tanh′ = 4 / (e^|z| + e^-|z|)²
                    logd = np.log(4.0) - 2 * np.abs(z) - 2 * np.log1p(np.exp(-2 * np.abs(z)))
                elif act.name == "sigmoid":                 # σ′ = e^-|z| / (1 + e^-|z|)²
                    logd = -np.abs(z) - 2 * np.log1p(np.exp(-np.abs(z)))
                elif act.name == "relu":
                    logd = np.where(z > 0, 0.0, -np.inf)
                else:
                    logd = np.zeros_like(z)
                logd = np.where(np.isnan(logd), -np.inf, logd)
                top = logd.max(axis=1)
                top = np.where(np.isfinite(top), top, 0)
                d = np.exp(logd - top[:, None])
                P = (scales[:, None] * d)[:, :, None] * np.matmul(W0, P)
                big = np.abs(P).max(axis=(1, 2))
                big = np.where((big > 0) & np.isfinite(big), big, 1.0)
                P /= big[:, None, None]
                log_scale += top + np.log(big)
            rows = slice(None) if lengths is None or t in lengths else every_length
            if rows is not None:
                norms = np.linalg.norm(P[rows], 2, axis=(1, 2))
                out[rows, t] = (log_scale[rows] + np.log(norms)) / np.log(10.0)
            undefined[:, t] = broken
    return out, undefined


def _assert_right(regime, line, gl, measured, k, activation):
    """The rules the lesson states for the verdict, checked against the measurement."""
    back = f"the gradient from {k} step{'s' if k != 1 else ''} back is "
    assert back in line and "∞" not in line.split(" · ")[0]
    if gl < 1:
        assert regime == "vanishing" and "guaranteed by the bound" in line
        if not np.isnan(measured):
            assert measured <= k * np.log10(gl) + 1e-6                      # the bound holds
        return
    if np.isnan(measured):
        assert regime == "exploding" and "undefined (NaN)" in line
        return
    if measured == -np.inf:
        assert activation == "relu" and regime == "vanishing" and "exactly 0" in line
        return
    assert "exactly 0" not in line
    shown = line.split(back)[1].split(" ")[0]                             # the ratio as printed
    mantissa, _, exponent = shown.partition("e")                          # "3e+309" is beyond float64
    assert abs(np.log10(float(mantissa)) + int(exponent or 0) - measured) <= 0.5    # one significant digit
    if k < gt.MIN_STEPS:
        assert regime == "too short" and "too short to tell" in line
        return
    rate = measured / k
    expected = "vanishing" if rate < -gt.EDGE_DECADES_PER_STEP else \
        "exploding" if rate > gt.EDGE_DECADES_PER_STEP else "edge"
    if abs(abs(rate) - gt.EDGE_DECADES_PER_STEP) > 1e-9:
        assert regime == expected, (gl, measured, k, line)
    words = {"vanishing": "yet it vanishes", "exploding": "and it does explode", "edge": "stays near the edge"}
    assert words[regime] in line
    assert ("times the most recent one" in line) == (measured >= 0)


# ------------------------------------------------------------------------------- phase diagram

@pytest.mark.parametrize("activation", ACTS)
def test_phase_diagram_matches_an_explicit_product_of_jacobians(activation):
    scales, lengths = np.array([0.3, 1.0, 2.5]), np.array([1, 7, 30, 4])
    grid = gt.phase_diagram(activation, scales, lengths, H=6, amplitude=1.5, seed=3)
    assert grid.shape == (3, 4)
    W0 = recurrent_matrix(6, 1.0, "gaussian", 3)
    x = 1.5 * np.random.default_rng(4).standard_normal((30, 6))
    for i, s in enumerate(scales):
        _, J = _state_and_jacobians(x, s * W0, activation)
        for j, T in enumerate(lengths):
            P = np.eye(6)
            for t in range(T):
                P = J[t] @ P
            norm = np.linalg.norm(P, 2)
            expected = np.log10(norm) if norm > 0 else -np.inf
            assert grid[i, j] == pytest.approx(expected, abs=1e-9)


def test_phase_diagram_entry_matches_finite_differences():
    grid = gt.phase_diagram("tanh", [1.4], [12], H=5, amplitude=1.0, seed=7)
    W = 1.4 * recurrent_matrix(5, 1.0, "gaussian", 7)
    x = np.random.default_rng(8).standard_normal((12, 5))
    h_T, _ = _state_and_jacobians(x, W, "tanh")
    J = _fd_jacobian(h_T, np.zeros(5))
    assert 10 ** grid[0, 0] == pytest.approx(np.linalg.norm(J, 2), rel=1e-7)


def test_phase_diagram_goes_beyond_float64_and_marks_overflow():
    big = gt.phase_diagram("linear", [1000.0], [150], H=4, seed=0)
    assert big[0, 0] > 400                                   # 1e400 as a log: no overflow
    relu = gt.phase_diagram("relu", [1e3], [50, 200], H=8, amplitude=1.0, seed=0)
    assert np.isnan(relu[0, 1])                              # states overflowed: undefined
    dead = gt.phase_diagram("relu", [0.5], [3], H=4, amplitude=0.0)
    assert dead[0, 0] == -np.inf


def test_edge_scale_puts_the_product_at_one():
    for act in ("tanh", "sigmoid"):
        s = gt.edge_scale(act, H=16, seed=2)
        assert gt.gamma_lambda1(s * recurrent_matrix(16, 1.0, "gaussian", 2), act) == pytest.approx(1.0)
        r = gt.edge_scale(act, H=16, seed=2, which="rho")
        assert get_activation(act).gamma * linalg.spectral_radius(r * recurrent_matrix(16, 1.0, "gaussian", 2)) \
            == pytest.approx(1.0)
        assert r > s


# ------------------------------------------------------------------------- feed-forward vs RNN

def test_feedforward_vs_recurrent_against_explicit_products():
    ff, rnn = gt.feedforward_vs_recurrent("linear", 0.9, depth=12, H=5, trials=3, seed=4)
    assert ff.shape == rnn.shape == (3, 13)
    np.testing.assert_array_equal(ff[:, 0], 0.0)
    # Rebuild the draws as documented: h0 (trials, H), then W (depth, trials, H, H).
    rng = np.random.default_rng(4)
    rng.standard_normal((3, 5))
    W = rng.standard_normal((12, 3, 5, 5)) * (0.9 / np.sqrt(5))
    for b in range(3):
        P = np.eye(5)
        for layer in range(12):
            P = W[layer, b] @ P
            assert ff[b, layer + 1] == pytest.approx(np.log10(np.linalg.norm(P, 2)), abs=1e-10)
            assert rnn[b, layer + 1] == pytest.approx(
                np.log10(np.linalg.norm(np.linalg.matrix_power(W[0, b], layer + 1), 2)), abs=1e-10)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_feedforward_vs_recurrent_nonlinear_against_finite_differences(activation):
    depth, H, trials, seed = 6, 4, 2, 3
    ff, rnn = gt.feedforward_vs_recurrent(activation, 1.3, depth=depth, H=H, trials=trials, seed=seed)
    rng = np.random.default_rng(seed)                    # the documented draws: h0, then every W
    h0 = rng.standard_normal((trials, H))
    W = rng.standard_normal((depth, trials, H, H)) * (1.3 / np.sqrt(H))
    phi = get_activation(activation).f
    for out, shared in ((ff, False), (rnn, True)):
        for b in range(trials):
            for L in range(1, depth + 1):
                def h_L(v, L=L, b=b, shared=shared):
                    for layer in range(L):
                        v = phi((W[0, b] if shared else W[layer, b]) @ v)
                    return v
                J = np.column_stack([(h_L(h0[b] + e) - h_L(h0[b] - e)) / 2e-6 for e in 1e-6 * np.eye(H)])
                assert out[b, L] == pytest.approx(np.log10(np.linalg.norm(J, 2)), abs=1e-6)


def test_shared_matrix_spreads_the_outcome_more_than_independent_layers():
    ff, rnn = gt.feedforward_vs_recurrent("tanh", 1.0, depth=80, H=16, trials=16, seed=0)
    spread = lambda a: np.subtract(*np.percentile(a[:, -1], [90, 10]))
    assert spread(rnn) > 2 * spread(ff)


# ---------------------------------------------------------------------------- training helpers

@pytest.mark.parametrize("loss", ["mse", "softmax"])
def test_input_gradient_norms_match_finite_differences(loss):
    from helpers.rnn import rnn_loss_and_grads
    rng = np.random.default_rng(0)
    p = rnn_params(3, 4, 2, scale=0.9, seed=1)
    p["b_h"] = 0.1 * rng.standard_normal(4)
    x = rng.standard_normal((5, 2, 3))
    y = rng.standard_normal((5, 2, 2)) if loss == "mse" else rng.integers(0, 2, size=(5, 2))
    dx = numerical_gradient(lambda v: rnn_loss_and_grads(p, v, y, loss)[0], x)
    expected = np.linalg.norm(dx, axis=2).mean(axis=1) * 2
    got = gt.input_gradient_norms(p, x, y, loss)
    assert relative_error(got, expected) < 1e-7


def test_feedforward_draws_are_the_draws_the_comparison_uses():
    h0, W = gt.feedforward_draws(0.7, 5, H=3, trials=2, amplitude=2.0, seed=9)
    rng = np.random.default_rng(9)                                   # as documented: h0, then W
    np.testing.assert_array_equal(h0, 2.0 * rng.standard_normal((2, 3)))
    np.testing.assert_array_equal(W, rng.standard_normal((5, 2, 3, 3)) * (0.7 / np.sqrt(3)))
    _, rnn = gt.feedforward_vs_recurrent("linear", 0.7, depth=5, H=3, trials=2, amplitude=2.0, seed=9)
    assert rnn[1, 4] == pytest.approx(np.log10(np.linalg.norm(np.linalg.matrix_power(W[0, 1], 4), 2)), abs=1e-12)


def test_dead_units_are_the_units_that_never_fire():
    p = rnn_params(1, 3, 1, seed=0)
    p["W_xh"] = np.array([[1.0], [-1.0], [0.0]])                     # unit 0 on for x > 0, unit 1 for x < 0
    p["W_hh"] = np.zeros((3, 3))
    p["b_h"] = np.array([0.0, 0.0, -0.5])                            # unit 2 never: its net input is -0.5
    x = np.array([[[1.0]], [[2.0]]])                                 # (T = 2, B = 1, D = 1), all positive
    np.testing.assert_array_equal(gt.dead_units(p, x), [1, 2])
    np.testing.assert_array_equal(gt.dead_units(p, np.concatenate([x, -x], axis=1)), [2])


def test_dead_units_tell_firing_from_the_signs_where_the_states_overflow_float64():
    """Weights of 1e60 make the relu states reach ~1e1100 in 20 steps: far beyond float64. An exact
    run in Python's Fraction (the float64 inputs, every sum and product exact) decides which units
    fire; dead_units must agree. (On this draw a plain float64 run, counting NaN either way, finds
    no dead unit: unit 2 is one.)"""
    from fractions import Fraction
    rng = np.random.default_rng(52)
    p = rnn_params(2, 8, 1, seed=1)
    p["W_hh"] = rng.standard_normal((8, 8)) * 1e60
    p["W_hh"][:4] -= 1.2e60 * np.abs(rng.standard_normal((4, 8)))   # units 0-3: mostly negative input
    x = rng.standard_normal((20, 4, 2))
    W_hh, W_xh, b_h = ([[Fraction(v) for v in row] for row in np.atleast_2d(p[k])] for k in ("W_hh", "W_xh", "b_h"))
    h = [[Fraction(0)] * 8 for _ in range(4)]
    fired = set()
    for t in range(20):
        h = [[max(Fraction(0), sum(Fraction(x[t, b, d]) * W_xh[i][d] for d in range(2))
                  + sum(h[b][j] * W_hh[i][j] for j in range(8)) + b_h[0][i]) for i in range(8)] for b in range(4)]
        fired |= {i for b in range(4) for i in range(8) if h[b][i] > 0}
    assert max(max(row) for row in h) > Fraction(10) ** 400                  # beyond float64, as intended
    assert sorted(set(range(8)) - fired) == [2]
    np.testing.assert_array_equal(gt.dead_units(p, x), [2])


def _history(loss, status="finished", starts=None, grad_norm=None, message=""):
    from helpers.optim import History
    loss = np.asarray(loss, dtype=float)
    return History({}, loss, np.ones(len(loss)) if grad_norm is None else np.asarray(grad_norm),
                   np.zeros(len(loss), dtype=bool), status, message, starts)


def test_describe_runs_counts_finished_and_stopped_runs():
    runs = [_history([1.0, 0.5, 0.25]), _history([2.0], "diverged"), _history([1.0, 0.1, 0.3]),
            _history([3.0, 4.0], "diverged")]
    assert gt.describe_runs(runs, last=2) == (
        "2 of 4 finish (loss 0.200–0.375 over the last 2 steps); "
        "stopped (loss or gradient not finite): seed 1 at step 1, seed 3 at step 2")
    assert gt.describe_runs([_history([0.5])]) == "1 of 1 finish (loss 0.500 over the last 20 steps)"


def test_step_table_lists_the_recorded_steps():
    W = np.diag([2.0, -0.5])                                         # ‖W‖₂ = 2, ρ = 2
    p = {**rnn_params(1, 2, 1, seed=0), "W_hh": W, "W_xh": np.array([[1.0], [0.0]])}
    run = _history([0.7], "diverged", starts=[p, p], grad_norm=[3.0], message="Stopped at step 1: the loss became nan.")
    lines = gt.step_table(run, lambda t: np.full((3, 1, 1), 1.0)).split("\n")
    # states with x_t = 1: h_1 = 1, h_2 = 1 + 2 = 3, h_3 = 1 + 6 = 7 (unit 0; unit 1 gets no input)
    assert lines == ["  step 0: ‖W_hh‖₂ = 2, ρ = 2, largest |state| 7, loss 0.7, ‖g‖ = 3",
                     "  step 1: ‖W_hh‖₂ = 2, ρ = 2: the loss is not finite (NaN or ∞), the trainer stops"]
    with pytest.raises(ValueError, match="record_params=True"):
        gt.step_table(_history([0.7]), lambda t: None)


# ----------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, message", [
    (lambda: gt.bound_curve(0.5, [-1, 2]), "k must hold steps >= 0"),
    (lambda: gt.gamma_lambda1(np.ones((3, 2))), "W_hh must have shape (3, 3), got shape (3, 2)"),
    (lambda: gt.gradient_state(activation="softplus"), "activation must be one of"),
    (lambda: gt.gradient_state(amplitude=-1), "amplitude must be a finite number >= 0, got -1"),
    (lambda: gt.gradient_state(T=0), "T must be an integer >= 1, got 0"),
    (lambda: gt.phase_diagram("tanh", [0.0, 1.0], [3]), "scales must be positive and at most 1e100"),
    (lambda: gt.phase_diagram("tanh", [1.0], [0, 3]), "lengths[0] must be an integer >= 1, got 0"),
    (lambda: gt.edge_scale("tanh", which="sigma"), "which must be one of 'lambda1', 'rho'"),
    (lambda: gt.nonnormal_matrix(H=1), "H must be an integer >= 2, got 1"),
    (lambda: gt.phase_diagram("tanh", [1.0], [3], amplitude=np.nan), "amplitude must be a finite number >= 0, got nan"),
    (lambda: gt.phase_diagram("tanh", [1.0], [3], amplitude=-1), "amplitude must be a finite number >= 0, got -1"),
    (lambda: gt.feedforward_vs_recurrent("tanh", amplitude=np.nan), "amplitude must be a finite number >= 0, got nan"),
    (lambda: gt.feedforward_vs_recurrent("tanh", seed=-1),
     "seed must be an integer >= 0 (a seed, so the run can be repeated), got -1"),
    (lambda: gt.classify(1.0, "big", 3), "log10_ratio must be a number (±inf and NaN allowed), got 'big'"),
    (lambda: gt.classify("big", 1.0, 3), "gamma_lambda must be a finite number >= 0, got 'big'"),
    (lambda: gt.classify(np.nan, 1.0, 3), "gamma_lambda must be a finite number >= 0, got nan"),
    (lambda: gt.classify(-1.0, 1.0, 3), "gamma_lambda must be a finite number >= 0, got -1.0"),
    (lambda: gt.classify(1.5, 0.3, 2.5), "k must be an integer >= 0, got 2.5"),
    (lambda: gt.verdict(1.5, 0.3, 10, "softplus"), "activation must be one of"),
    (lambda: gt.verdict(1.5, 0.3, -1, "tanh"), "k must be an integer >= 0, got -1"),
    (lambda: gt.log_activation_derivative("softplus", [0.0]), "activation must be one of"),
    (lambda: gt.log10_jacobian_norms(np.zeros((3, 2)), np.eye(3)), "log_dphi must have shape (T, 3)"),
    (lambda: gt.log10_jacobian_norms(np.full((3, 2), np.inf), np.eye(2)), "log_dphi must hold ln φ′ values"),
    (lambda: gt.log10_jacobian_norms(np.zeros((3, 2)), np.ones((2, 3))), "W_hh must have shape (2, 2)"),
    (lambda: gt.describe_runs([]), "histories must be a non-empty list of train_sgd results"),
    (lambda: gt.describe_runs([_history([1.0])], last=0), "last must be an integer >= 1, got 0"),
    (lambda: gt.feedforward_draws(-1.0), "scale must be a positive finite number"),
    (lambda: gt.input_gradient_norms(rnn_params(3, 4, 2), np.zeros((5, 2, 2)), np.zeros((5, 2, 2))),
     "x must have shape (T, B, 3), got shape (5, 2, 2)"),
])
def test_bad_input_raises_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


# --------------------------------------------------------------------- issue #16: at float64's edges

@pytest.mark.parametrize("activation", ["relu", "linear"])
def test_input_gradient_norms_report_an_overflow_as_inf_not_nan(activation):
    """Weights × 1e3 over T = 2000 steps: the states exceed float64 within a few hundred steps (each
    step multiplies them by about 1e3 · ‖W_hh‖), so every gradient norm is too large to store: inf,
    as rnn_forward and rnn_backward report it, never NaN."""
    p = {k: 1e3 * v for k, v in rnn_params(2, 4, 1, seed=0).items()}
    x = np.random.default_rng(0).standard_normal((2000, 2, 2))
    got = gt.input_gradient_norms(p, x, np.zeros((2000, 2, 1)), "mse", activation)
    assert got.shape == (2000,) and np.all(got == np.inf)


def test_input_gradient_norms_do_not_overflow_on_large_finite_gradients():
    """A linear one-step RNN whose targets are -1e200: ∂L/∂x_1 = W_xhᵀ W_hyᵀ (o_1 − y_1) has entries
    near 1e200, whose squares overflow; the norm itself (about 1e200) is finite."""
    p = rnn_params(3, 2, 1, seed=1)
    x = np.ones((1, 1, 3))
    y = np.full((1, 1, 1), -1e200)
    o = (x[0] @ p["W_xh"].T) @ p["W_hy"].T + p["b_y"]                  # h_1 = W_xh x_1 (h_0 = 0, b_h = 0)
    dx = (o - y[0]) @ p["W_hy"] @ p["W_xh"]                              # (1, 3), B = 1
    expected = np.linalg.norm(dx / 1e200) * 1e200
    got = gt.input_gradient_norms(p, x, y, "mse", "linear")
    assert np.isfinite(got[0]) and got[0] == pytest.approx(expected, rel=1e-12)


def test_input_gradient_norms_name_x_and_y_when_their_steps_differ():
    p = rnn_params(2, 3, 2, seed=0)
    with pytest.raises(ValueError, match=r"x has T = 4 steps and B = 2 sequences .* but y has T = 3 steps "
                                         r"\(shape \(3, 2, 2\)\); expected y of shape \(4, 2, 2\) for loss='mse'"):
        gt.input_gradient_norms(p, np.zeros((4, 2, 2)), np.zeros((3, 2, 2)))


def test_phase_diagram_marks_an_overflowed_forward_pass_and_refuses_huge_scales():
    relu = gt.phase_diagram("relu", [1.0, 1e100], [1, 200], H=4, amplitude=1e300)
    assert np.isnan(relu[1, 1]) and not np.isnan(relu[0]).any()          # undefined only where the states overflowed
    with pytest.raises(ValueError, match="scales must be positive and at most 1e100"):
        gt.phase_diagram("relu", [1e101], [3])


def test_log_activation_derivative_where_2z_leaves_float64():
    """ln tanh′(z) = ln 4 − 2|z| − …: for |z| = 1.7e308, −2|z| is below −float64's largest number, so the
    true value overflows to −inf (it warned); ln σ′(z) = −|z| − … stays finite: −1.7e308."""
    z = np.array([-1.7e308, 1.7e308, 1.0])
    tanh = gt.log_activation_derivative("tanh", z)
    assert tanh[0] == tanh[1] == -np.inf and tanh[2] == pytest.approx(np.log(1 - np.tanh(1.0) ** 2), rel=1e-14)
    np.testing.assert_array_equal(gt.log_activation_derivative("sigmoid", z)[:2], [-1.7e308, -1.7e308])


@pytest.mark.parametrize("call, name, bound", [
    (lambda: gt.gradient_state(scale=1.7e308), "scale", "1e100"),
    (lambda: gt.feedforward_draws(1e101), "scale", "1e100"),
    (lambda: gt.feedforward_vs_recurrent("tanh", 1.7e308), "scale", "1e100"),
    (lambda: gt.gradient_state(amplitude=1.7e308), "amplitude", "1e300"),
    (lambda: gt.phase_diagram("tanh", [1.0], [3], amplitude=1e301), "amplitude", "1e300"),
    (lambda: gt.feedforward_draws(1.0, amplitude=1.7e308), "amplitude", "1e300"),
])
def test_scales_and_amplitudes_beyond_their_bounds_are_refused_by_name(call, name, bound):
    """Their draws (amplitude) or the logs of the products (scale) would overflow float64 (they warned)."""
    with pytest.raises(ValueError, match=rf"^{name} must be at most {bound} \("):
        call()


def test_scales_and_amplitudes_at_their_bounds_run_quietly():
    """At either bound the logs of the products stay finite (about −2 · 1e100 or −2 · 1e300 per step for
    saturated tanh units): nothing overflows, nothing warns."""
    for scale, amplitude in ((1e100, 1.0), (1.0, 1e300)):
        state = gt.gradient_state(scale=scale, amplitude=amplitude, T=5, H=3)
        assert np.isfinite(state.log10_norms).all()
        ff, rec = gt.feedforward_vs_recurrent("tanh", scale, depth=3, H=3, trials=2, amplitude=amplitude)
        assert np.isfinite(ff).all() and np.isfinite(rec).all()


@pytest.mark.parametrize("call, message", [
    (lambda: gt.power_of_ten_text(None), "log10_value must be a number"),
    (lambda: gt.rate_text("0.1"), "log10_rate must be a number"),
    (lambda: gt.verdict(1.5, 0.3, 10, "tanh", overflow_step=2.5), "overflow_step must be an integer >= 1"),
    (lambda: gt.verdict(1.5, 0.3, 10, "tanh", gamma_rho="big"), "gamma_rho must be a finite number >= 0"),
    (lambda: gt.gamma_lambda_text(None), "gamma_lambda must be a finite number >= 0"),
    (lambda: gt.nonnormal_matrix(coupling=True), "coupling must be a finite number, got True"),
    (lambda: gt.log_activation_derivative("tanh", [1j]), "z must hold real numbers"),
    (lambda: gt.describe_runs(None), "histories must be a non-empty list of train_sgd results, got None"),
    (lambda: gt.describe_runs([None]), "histories[0] must be a History from train_sgd, got None"),
    (lambda: gt.step_table(_history([0.7], starts=[{}]), None), "batch must be a function"),
    (lambda: gt.step_table("run", lambda t: None), "history must be a History from train_sgd"),
    (lambda: gt.gradient_state(seed=None), "seed must be an integer >= 0"),
])
def test_scalars_flags_and_records_are_checked(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)
