"""Pascanu et al.'s regulariser Ω (helpers.regulariser): the ratios and Ω against a loop written
here from the definition (and against hand values for one unit), the errors δ against their own
recursion and finite differences, ∂Ω/∂W_hh against central differences (the paper's gradient with δ
and the states frozen, the exact one with δ frozen), the regularised trainer's loss, bad input and
overflow."""
import math

import numpy as np
import pytest

from helpers import regulariser as reg
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.init import rnn_params
from helpers.rnn import rnn_loss_and_grads


def _problem(T=5, B=3, D=2, H=4, K=3, seed=0, scale=1.2):
    """A tanh RNN with biases, inputs, class targets (one step without a target) and h0."""
    rng = np.random.default_rng(seed)
    p = rnn_params(D, H, K, scale=scale, seed=seed)
    p["b_h"] = rng.normal(0, 0.3, H)
    p["b_y"] = rng.normal(0, 0.3, K)
    x = rng.normal(size=(T, B, D))
    y = rng.integers(0, K, size=(T, B))
    y[0, 0] = -1
    h0 = rng.normal(0, 0.5, (B, H))
    return p, x, y, h0


def _states(p, x, h0):
    """h (T, B, H) by a plain loop over sequences and steps."""
    T, B, _ = x.shape
    h = np.empty((T, B, p["W_hh"].shape[0]))
    for b in range(B):
        prev = h0[b]
        for t in range(T):
            prev = np.tanh(p["W_xh"] @ x[t, b] + p["W_hh"] @ prev + p["b_h"])
            h[t, b] = prev
    return h


def _errors(p, x, y, h0):
    """δ_t = ∂E/∂h_t for the softmax loss (1/B) Σ ℓ_t: δ_T = ∂ℓ_T/∂h_T, δ_t = ∂ℓ_t/∂h_t + J_{t+1}ᵀ δ_{t+1}."""
    h = _states(p, x, h0)
    T, B, H = h.shape
    delta = np.zeros_like(h)
    for b in range(B):
        later = np.zeros(H)
        for t in reversed(range(T)):
            o = p["W_hy"] @ h[t, b] + p["b_y"]
            q = np.exp(o - o.max()) / np.exp(o - o.max()).sum()
            if y[t, b] >= 0:
                q[y[t, b]] -= 1.0
            else:
                q[:] = 0.0
            delta[t, b] = p["W_hy"].T @ q / B + later
            later = (np.diag(1 - h[t, b] ** 2) @ p["W_hh"]).T @ delta[t, b]
    return delta


def _omega_loop(p, x, errors, h0):
    """(Ω, ratios (T−1, B)) from the definition: r_k = ‖δ_{k+1} J_{k+1}‖ / ‖δ_{k+1}‖ with J as a matrix."""
    return _omega_given_states(p["W_hh"], _states(p, x, h0), errors)


def _omega_given_states(W_hh, h, errors):
    """(Ω, ratios) of :func:`_omega_loop` with the states h (T, B, H) given: J_{k+1} = diag(1 − h²_{k+1}) W_hh."""
    T, B, _ = h.shape
    ratios = np.full((T - 1, B), np.nan)
    total = 0.0
    for b in range(B):
        for k in range(1, T):                               # k = 1 … T−1; array index k holds step k + 1
            d = errors[k, b]
            if np.linalg.norm(d) == 0:
                continue
            J = np.diag(1 - h[k, b] ** 2) @ W_hh          # ∂h_{k+1}/∂h_k
            ratios[k - 1, b] = np.linalg.norm(d @ J) / np.linalg.norm(d)
            total += (ratios[k - 1, b] - 1) ** 2
    return total / B, ratios


def test_backprop_errors_follow_their_recursion_and_reach_h0_as_finite_differences_say():
    p, x, y, h0 = _problem()
    delta = reg.backprop_errors(p, x, y, "softmax", h0)
    np.testing.assert_allclose(delta, _errors(p, x, y, h0), rtol=1e-12, atol=1e-15)
    h1 = _states(p, x, h0)[0]
    through = (delta[0] * (1 - h1 ** 2)) @ p["W_hh"]              # ∂E/∂h_0 from δ_1
    h0_fd = h0.copy()
    fd = numerical_gradient(lambda _: rnn_loss_and_grads(p, x, y, "softmax", h0_fd)[0], h0_fd)
    assert relative_error(through, fd) <= 1e-7


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_omega_and_the_ratios_match_the_definition(seed):
    p, x, y, h0 = _problem(T=6, B=2, H=3 + seed, seed=seed)
    errors = reg.backprop_errors(p, x, y, "softmax", h0)
    omega, ratios = _omega_loop(p, x, errors, h0)
    assert reg.omega(p, x, errors, h0) == pytest.approx(omega, rel=1e-12)
    np.testing.assert_allclose(reg.norm_ratios(p, x, errors, h0), ratios, rtol=1e-12)


def test_one_unit_ratio_by_hand():
    """H = 1: r_1 = |w (1 − h_2²)|, whatever δ_2 ≠ 0 is."""
    w = 0.5
    p = {"W_xh": np.array([[1.0]]), "W_hh": np.array([[w]]), "b_h": np.zeros(1), "W_hy": np.ones((1, 1)),
         "b_y": np.zeros(1)}
    x = np.array([0.3, 0.2]).reshape(2, 1, 1)
    h2 = math.tanh(w * math.tanh(0.3) + 0.2)
    errors = np.array([0.7, -0.04]).reshape(2, 1, 1)
    ratios = reg.norm_ratios(p, x, errors)
    assert ratios.shape == (1, 1) and ratios[0, 0] == pytest.approx(w * (1 - h2 ** 2), rel=1e-15)
    assert reg.omega(p, x, errors) == pytest.approx((w * (1 - h2 ** 2) - 1) ** 2, rel=1e-15)


def test_omega_is_zero_where_every_step_keeps_the_norm():
    """H = 1, w = 2, the state held at h = 1/√2 (b chosen so that it is a fixed point): every factor
    is |w (1 − h²)| = 2 · ½ = 1, so Ω = 0 (up to round-off)."""
    c = 1 / math.sqrt(2)
    p = {"W_xh": np.zeros((1, 1)), "W_hh": np.array([[2.0]]), "b_h": np.array([math.atanh(c) - 2 * c]),
         "W_hy": np.ones((1, 1)), "b_y": np.zeros(1)}
    x = np.zeros((8, 2, 1))
    errors = np.random.default_rng(0).normal(size=(8, 2, 1))
    np.testing.assert_allclose(reg.norm_ratios(p, x, errors, np.full((2, 1), c)), 1.0, rtol=1e-14)
    assert reg.omega(p, x, errors, np.full((2, 1), c)) < 1e-26


def test_a_zero_error_is_left_out_and_a_tiny_one_gives_the_same_ratio():
    p, x, y, h0 = _problem()
    errors = reg.backprop_errors(p, x, y, "softmax", h0)
    errors[2, 1] = 0.0                                      # nothing to keep at step 3 of sequence 2
    ratios = reg.norm_ratios(p, x, errors, h0)
    assert np.isnan(ratios[1, 1]) and np.isfinite(np.delete(ratios.ravel(), 1 * 3 + 1)).all()
    assert reg.omega(p, x, errors, h0) == pytest.approx(_omega_loop(p, x, errors, h0)[0], rel=1e-12)
    np.testing.assert_array_equal(reg.norm_ratios(p, x, errors * 2.0 ** -1000, h0), ratios)   # exact scaling
    np.testing.assert_allclose(reg.norm_ratios(p, x, errors * 1e-300, h0), ratios, rtol=1e-14)
    np.testing.assert_allclose(reg.norm_ratios(p, x, errors * 1e300, h0), ratios, rtol=1e-14)
    assert reg.omega(p, x[:1], errors[:1], h0) == 0.0 and reg.norm_ratios(p, x[:1], errors[:1], h0).shape == (0, 3)


@pytest.mark.parametrize("T, B, D, H, seed", [(2, 1, 1, 1, 0), (4, 3, 2, 3, 1), (6, 2, 3, 5, 2), (9, 4, 2, 6, 3)])
def test_the_exact_omega_grad_matches_finite_differences_with_the_errors_frozen(T, B, D, H, seed):
    """through_states=True: W_hh moved everywhere (the forward pass reruns), δ computed once and held."""
    p, x, y, h0 = _problem(T=T, B=B, D=D, H=H, K=2, seed=seed)
    errors = reg.backprop_errors(p, x, y, "softmax", h0)          # computed once, then held fixed
    grad = reg.omega_grad(p, x, errors, h0, through_states=True)
    assert set(grad) == {"W_hh"}
    fd = numerical_gradient(lambda _: reg.omega(p, x, errors, h0), p["W_hh"])
    assert relative_error(grad["W_hh"], fd) <= 1e-7


@pytest.mark.parametrize("T, B, D, H, seed", [(2, 1, 1, 1, 0), (4, 3, 2, 3, 1), (6, 2, 3, 5, 2), (9, 4, 2, 6, 3)])
def test_the_papers_omega_grad_matches_finite_differences_with_the_errors_and_states_frozen(T, B, D, H, seed):
    """through_states=False (Pascanu et al.'s ∂⁺): δ and the states h computed once and held; W_hh moves
    only inside the Jacobians diag(1 − h²_{k+1}) W_hh (Ω by the loop written here)."""
    p, x, y, h0 = _problem(T=T, B=B, D=D, H=H, K=2, seed=seed)
    errors = reg.backprop_errors(p, x, y, "softmax", h0)
    h = _states(p, x, h0)
    W = p["W_hh"].copy()
    grad = reg.omega_grad(p, x, errors, h0, through_states=False)
    fd = numerical_gradient(lambda _: _omega_given_states(W, h, errors)[0], W)
    assert relative_error(grad["W_hh"], fd) <= 1e-7


def test_the_two_gradients_differ_by_the_path_through_the_states():
    """The paper's gradient is the explicit W_hh of J alone, written here term by term; the exact one
    adds the path through the states, so the two differ (and each matches its own finite differences)."""
    p, x, y, h0 = _problem(T=5, B=2, H=3, seed=4)
    errors = reg.backprop_errors(p, x, y, "softmax", h0)
    h = _states(p, x, h0)
    explicit = np.zeros((3, 3))
    for b in range(2):
        for k in range(1, 5):
            d, v = errors[k, b], errors[k, b] * (1 - h[k, b] ** 2)
            u = v @ p["W_hh"]
            r = np.linalg.norm(u) / np.linalg.norm(d)
            explicit += np.outer(v, 2 * (r - 1) * u / (np.linalg.norm(u) * np.linalg.norm(d))) / 2
    paper = reg.omega_grad(p, x, errors, h0, through_states=False)["W_hh"]
    exact = reg.omega_grad(p, x, errors, h0, through_states=True)["W_hh"]
    np.testing.assert_allclose(paper, explicit, rtol=1e-12, atol=1e-15)
    assert relative_error(exact, explicit) > 1e-3
    fd_exact = numerical_gradient(lambda _: reg.omega(p, x, errors, h0), p["W_hh"])
    assert relative_error(exact, fd_exact) <= 1e-7 and relative_error(paper, fd_exact) > 1e-3


@pytest.mark.parametrize("through_states", [False, True])
@pytest.mark.parametrize("loss", ["softmax", "mse"])
def test_regularised_loss_and_grads_add_alpha_omega_to_w_hh_only(loss, through_states):
    p, x, y, h0 = _problem(T=5, B=2, H=4, seed=5)
    if loss == "mse":
        y = np.random.default_rng(6).normal(size=(5, 2, 3))
        y[1, 0] = np.nan
    alpha = 0.7
    value, grads = reg.regularised_loss_and_grads(p, x, y, loss, alpha, h0, through_states=through_states)
    E, plain = rnn_loss_and_grads(p, x, y, loss, h0)
    errors = reg.backprop_errors(p, x, y, loss, h0)
    assert value == pytest.approx(E + alpha * reg.omega(p, x, errors, h0), rel=1e-13)
    for name in ("W_xh", "b_h", "W_hy", "b_y"):
        np.testing.assert_array_equal(grads[name], plain[name])
    h, W = _states(p, x, h0), p["W_hh"].copy()
    if through_states:                                            # Ω's states move with W_hh
        fd = numerical_gradient(lambda _: rnn_loss_and_grads(p, x, y, loss, h0)[0]
                                + alpha * reg.omega(p, x, errors, h0), p["W_hh"])
    else:                                                         # Ω's states held (E's move, as always)
        fd = numerical_gradient(lambda _: rnn_loss_and_grads({**p, "W_hh": W}, x, y, loss, h0)[0]
                                + alpha * _omega_given_states(W, h, errors)[0], W)
    assert relative_error(grads["W_hh"], fd) <= 1e-7
    zero_value, zero_grads = reg.regularised_loss_and_grads(p, x, y, loss, 0.0, h0, through_states=through_states)
    assert zero_value == E and all(np.array_equal(zero_grads[k], plain[k]) for k in p)


@pytest.mark.parametrize("call, message", [
    (lambda p, x, y, e: reg.omega(p, x, e[:, :1]), "errors must have shape (5, 3, 4)"),
    (lambda p, x, y, e: reg.omega(p, x, np.where(e == e[0, 0, 0], np.nan, e)), "errors contains NaN"),
    (lambda p, x, y, e: reg.norm_ratios(p, x[..., :1], e), "x must have shape (T, B, 2)"),
    (lambda p, x, y, e: reg.omega_grad({**p, "W_hh": p["W_hh"][:2]}, x, e, through_states=True),
     "params['W_hh'] must have shape"),
    (lambda p, x, y, e: reg.omega_grad(p, x, e, through_states="yes"), "through_states must be True or False"),
    (lambda p, x, y, e: reg.regularised_loss_and_grads(p, x, y, through_states=1), "through_states must be True or"),
    (lambda p, x, y, e: reg.backprop_errors(p, x, y, "hinge"), "loss must be one of 'mse', 'softmax'"),
    (lambda p, x, y, e: reg.backprop_errors(p, x, y[:, :2]), "y has B = 2 sequences"),
    (lambda p, x, y, e: reg.regularised_loss_and_grads(p, x, y, "softmax", -0.1, through_states=False),
     "omega_weight must be a finite"),
    (lambda p, x, y, e: reg.regularised_loss_and_grads(p, x, y, "softmax", True, through_states=False),
     "omega_weight must be a finite"),
])
def test_bad_input_is_named(call, message):
    p, x, y, h0 = _problem()
    errors = reg.backprop_errors(p, x, y)
    with pytest.raises(ValueError) as info:
        call(p, x, y, errors)
    assert message in str(info.value)


def test_huge_weights_give_inf_or_a_clear_error_never_nan():
    """With h = 0 throughout (no input, no bias, h0 = 0) J = W_hh, so a W_hh near float64's largest
    number makes δJ overflow: the ratios, Ω and its gradient are inf (warnings are errors here)."""
    H = 3
    p = {"W_xh": np.zeros((H, 1)), "W_hh": np.full((H, H), 1.5e308), "b_h": np.zeros(H),
         "W_hy": np.ones((2, H)), "b_y": np.zeros(2)}
    x = np.zeros((4, 2, 1))
    errors = np.ones((4, 2, H))
    assert np.all(reg.norm_ratios(p, x, errors) == np.inf)
    assert reg.omega(p, x, errors) == np.inf
    for through_states in (False, True):
        grad = reg.omega_grad(p, x, errors, through_states=through_states)["W_hh"]
        assert not np.isnan(grad).any() and np.isinf(grad).any()
    with pytest.raises(ValueError, match="too large for float64"):        # the forward pass itself fails
        reg.omega({**p, "W_xh": np.full((H, 1), 1e308), "W_hh": np.full((H, H), -1e308)}, x + 2.0, errors,
                  np.ones((2, H)))                                  # W_xh x_1 = inf, W_hh h_0 = −inf
    big = {**p, "W_xh": np.ones((H, 1)), "W_hh": np.full((H, H), 1e300)}
    for through_states in (False, True):
        value, grads = reg.regularised_loss_and_grads(big, np.ones((4, 2, 1)), np.zeros((4, 2), dtype=int), "softmax",
                                                      1.0, through_states=through_states)
        assert not np.isnan(value) and not any(np.isnan(g).any() for g in grads.values())


def test_rnn_backward_state_grads_adds_the_total_error_and_changes_nothing_else():
    """The one addition to helpers.rnn that Ω needs: state_grads=True also returns "h", the total
    ∂L/∂h_t; every other gradient is bit for bit the same, with full BPTT and truncated."""
    from helpers.rnn import rnn_backward, rnn_forward
    p, x, y, h0 = _problem(T=6, B=2, H=3, seed=7)
    _, cache = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"])
    dh = np.random.default_rng(8).normal(size=(6, 2, 3))
    for truncate in (None, 2, 6):
        plain, more = rnn_backward(dh, cache, truncate), rnn_backward(dh, cache, truncate, state_grads=True)
        assert set(more) == set(plain) | {"h"}
        assert all(np.array_equal(plain[k], more[k]) for k in plain)
    total, h = rnn_backward(dh, cache, state_grads=True)["h"], cache.h
    want = dh.copy()
    for t in range(4, -1, -1):
        want[t] += (want[t + 1] * (1 - h[t + 1] ** 2)) @ p["W_hh"]
    np.testing.assert_allclose(total, want, rtol=1e-13)
    window = rnn_backward(dh, cache, 1, state_grads=True)["h"]       # one step back: dh_t + what h_{t+1} got
    np.testing.assert_allclose(window[:-1], dh[:-1] + (dh[1:] * (1 - h[1:] ** 2)) @ p["W_hh"], rtol=1e-13)
    with pytest.raises(ValueError, match="state_grads must be True or False"):
        rnn_backward(dh, cache, state_grads="yes")
