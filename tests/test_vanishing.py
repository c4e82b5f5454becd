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
    assert s.norms[0] == 1.0


@pytest.mark.parametrize("activation, gamma", [("tanh", 1.0), ("sigmoid", 0.25)])
def test_gradient_state_counts_saturated_units_from_the_states(activation, gamma):
    s = gt.gradient_state(3.0, activation, T=50, amplitude=3.0, seed=1, H=16)
    h = s.h                                        # φ' from the states: 1 − h² (tanh), h(1 − h) (sigmoid)
    dphi = 1 - h * h if activation == "tanh" else h * (1 - h)
    expected = np.mean(dphi < 0.2 * gamma)
    assert 0.2 < expected < 0.95                   # a mix, so a wrong threshold or a wrong γ shows
    assert s.saturated == pytest.approx(expected, abs=1 / h.size)    # one borderline unit at most
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
            assert np.all(s.norms <= s.bound * (1 + 1e-9)), (scale, amplitude)


def test_regimes_and_verdicts():
    guaranteed = gt.gradient_state(0.5, "tanh", 100, 1.0, "gaussian", 0)
    assert guaranteed.gamma_lambda < 1 and guaranteed.regime == "vanishing"
    assert "guaranteed" in guaranteed.verdict and f"γλ₁ = {guaranteed.gamma_lambda:.2f}" in guaranteed.verdict
    assert "99 steps back" in guaranteed.verdict
    saturated = gt.gradient_state(3.0, "tanh", 100, 5.0, "gaussian", 0)
    assert saturated.gamma_lambda > 1 and saturated.regime == "vanishing"
    assert saturated.gamma * saturated.rho > 1 and "yet it vanishes (saturated units)" in saturated.verdict
    inside = gt.gradient_state(0.6, "tanh", 100, 1.0, "gaussian", 0)     # ρ < 1/γ ≤ λ₁: the eigenvalues decide
    assert inside.gamma_lambda > 1 and inside.gamma * inside.rho < 1 and inside.regime == "vanishing"
    assert f"(γρ = {inside.gamma * inside.rho:.2f} < 1: the eigenvalues lie inside the 1/γ circle)" in inside.verdict
    exploding = gt.gradient_state(1.2, "linear", 100, 1.0, "gaussian", 0)
    assert exploding.gamma_lambda > 1 and exploding.regime == "exploding"
    assert exploding.norms[-1] > 1e2 and "times the most recent one" in exploding.verdict
    assert exploding.verdict.startswith(
        f"γλ₁ = {exploding.gamma_lambda:.2f} > 1 (growth allowed), and it does explode: ")
    edge = gt.gradient_state(1.0, "tanh", 100, 0.0, "orthogonal", 0)    # h stays 0: exactly W^k
    assert edge.regime == "edge" and edge.norms[-1] == pytest.approx(1.0)


def test_overflow_and_dead_relu_are_reported_not_raised():
    s = gt.gradient_state(100.0, "linear", 200, 1.0, "gaussian", 0)
    assert np.isinf(s.norms[-1]) and not np.isnan(s.norms).any()
    assert s.overflow_step is not None and not np.isfinite(s.h[s.overflow_step - 1]).all()
    assert np.isfinite(s.h[s.overflow_step - 2]).all()
    assert "∞" in s.verdict and f"from step {s.overflow_step}" in s.verdict
    relu = gt.gradient_state(100.0, "relu", 200, 1.0, "gaussian", 0)
    assert relu.overflow_step is not None and relu.regime == "exploding"
    assert np.isnan(relu.norms[-1]) and "undefined (NaN)" in relu.verdict   # not a fake 0
    assert relu.norms[0] == 1.0 and np.isnan(relu.norms[1:]).all()    # the last state is already NaN
    dead = gt.gradient_state(1.0, "relu", 50, 0.0, "gaussian", 0)     # h0 = 0, no input: every unit off
    assert dead.norms[-1] == 0.0 and "exactly 0" in dead.verdict and dead.regime == "vanishing"


def test_verdict_states_as_a_consequence_only_what_the_bound_implies():
    # "→" only below 1 (the bound guarantees vanishing); from 1 up the bound merely allows growth,
    # and the verdict reports what was measured.
    assert gt.verdict(0.9, 0.5, 9, "tanh") == (
        "vanishing", "γλ₁ = 0.90 < 1 → vanishing (guaranteed by the bound): the gradient from 9 steps back "
                     "is 0.5 of the most recent one")
    for gl, ratio, regime, words in [
            (2.149, 8e10, "exploding", "γλ₁ = 2.15 > 1 (growth allowed), and it does explode: "),
            (1.0 + 4e-16, 1.0, "edge", "γλ₁ = 1.00 ≥ 1 (growth allowed), and it stays near the edge: "),
            (5.37, 1e-12, "vanishing", "γλ₁ = 5.37 > 1 (growth allowed), yet it vanishes (")]:
        got = gt.verdict(gl, ratio, 99, "tanh", gamma_rho=2.0)
        assert got[0] == regime and got[1].startswith(words) and "→" not in got[1]
    # Rounding never puts a value below 1 on the wrong side of it.
    assert "γλ₁ = 0.9996 < 1" in gt.verdict(0.9996, 0.5, 9, "tanh")[1]
    text = gt.verdict(1 - 2 ** -52, 0.5, 9, "tanh")[1].split()[2]
    assert float(text) < 1


@pytest.mark.parametrize("activation, ratio, gamma_rho, why", [
    ("tanh", 1e-19, 0.64, "(γρ = 0.64 < 1: the eigenvalues lie inside the 1/γ circle)"),
    ("tanh", 1e-19, 1.3, "(saturated units)"),
    ("sigmoid", 1e-19, None, "(saturated units)"),
    ("relu", 1e-19, 1.3, "(switched-off units)"),
    ("relu", 0.0, 0.5, "(switched-off units)"),                 # exactly 0: the ReLUs, whatever ρ
    ("linear", 1e-19, None, "(the eigenvalues lie inside the unit circle)"),
])
def test_verdict_names_why_a_gradient_vanishes_although_the_bound_allows_growth(activation, ratio, gamma_rho, why):
    regime, line = gt.verdict(1.07, ratio, 99, activation, gamma_rho=gamma_rho)
    assert regime == "vanishing" and f"yet it vanishes {why}: " in line


def test_classify_follows_the_logic_of_the_bound():
    assert gt.classify(0.99, 0.9) == "vanishing"           # the bound decides, whatever the length
    assert gt.classify(1.5, 1e-3) == "vanishing"
    assert gt.classify(1.5, 1e3) == "exploding"
    assert gt.classify(1.5, np.inf) == "exploding"
    assert gt.classify(1.5, 1.0) == "edge"


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


# ----------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, message", [
    (lambda: gt.bound_curve(0.5, [-1, 2]), "k must hold steps >= 0"),
    (lambda: gt.gamma_lambda1(np.ones((3, 2))), "W_hh must have shape (3, 3), got shape (3, 2)"),
    (lambda: gt.gradient_state(activation="softplus"), "activation must be one of"),
    (lambda: gt.gradient_state(amplitude=-1), "amplitude must be a number >= 0, got -1.0"),
    (lambda: gt.gradient_state(T=0), "T must be an integer >= 1, got 0"),
    (lambda: gt.phase_diagram("tanh", [0.0, 1.0], [3]), "scales must be positive"),
    (lambda: gt.phase_diagram("tanh", [1.0], [0, 3]), "lengths must be a 1-D array of integers >= 1"),
    (lambda: gt.edge_scale("tanh", which="sigma"), "which must be one of 'lambda1', 'rho'"),
    (lambda: gt.nonnormal_matrix(H=1), "H must be an integer >= 2, got 1"),
    (lambda: gt.phase_diagram("tanh", [1.0], [3], amplitude=np.nan), "amplitude contains NaN or inf"),
    (lambda: gt.phase_diagram("tanh", [1.0], [3], amplitude=-1), "amplitude must be a number >= 0, got -1.0"),
    (lambda: gt.feedforward_vs_recurrent("tanh", amplitude=np.nan), "amplitude contains NaN or inf"),
    (lambda: gt.feedforward_vs_recurrent("tanh", seed=-1), "seed must be an integer >= 0, got -1"),
    (lambda: gt.classify(1.0, -0.5), "ratio must be a norm ratio >= 0 (inf and NaN allowed), got -0.5"),
    (lambda: gt.classify("big", 1.0), "gamma_lambda must be an array of numbers"),
    (lambda: gt.classify(np.nan, 1.0), "gamma_lambda contains NaN or inf"),
    (lambda: gt.verdict(1.5, 0.3, 10, "softplus"), "activation must be one of"),
    (lambda: gt.verdict(1.5, 0.3, -1, "tanh"), "k must be an integer >= 0, got -1"),
    (lambda: gt.input_gradient_norms(rnn_params(3, 4, 2), np.zeros((5, 2, 2)), np.zeros((5, 2, 2))),
     "x must have shape (T, B, 3), got shape (5, 2, 2)"),
])
def test_bad_input_raises_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)
