"""Lesson 03's BPTT derived step by step (helpers.bptt): every correct gradient against central
differences, every deliberately wrong one failing by a wide margin, and the per-(t, s) terms
against rnn_backward, RTRL against BPTT. Truncation and chunks are in test_truncation.py."""
import numpy as np
import pytest

from helpers import bptt as bs
from helpers.activations import get_activation
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.init import example_problem
from helpers.rnn import output_loss, rnn_backward, rnn_loss_and_grads, rnn_outputs

ACTS = ["tanh", "sigmoid", "relu", "linear"]
TOL = 1e-7
WRONG = 1e-2          # a wrong gradient must miss by at least this much (FD noise is ~1e-10)


# -------------------------------------------------------------------- per-(t, s) contributions

@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("param", ["W_xh", "W_hh", "b_h"])
def test_contributions_sum_to_rnn_backward_and_to_finite_differences(act, param, rnn_case, fd_loss):
    params, x, y, cache, dh = rnn_case(act, seed=1)
    C = bs.contributions(dh, cache, param)
    T = x.shape[0]
    assert C.shape == (T, T, *params[param].shape)
    assert np.all(C[np.triu_indices(T, 1)] == 0)              # nothing flows forward in time
    total = C.sum(axis=(0, 1))
    np.testing.assert_allclose(total, rnn_backward(dh, cache)[param], rtol=1e-10, atol=1e-12)
    assert relative_error(total, fd_loss(params, x, y, param, act)) < TOL


def test_contribution_of_one_pair_by_hand(rnn_case):
    # array indices t = 2, s = 0 for one sequence (the maths' C[3, 1]): dh · J J · ∂⁺h/∂W_hh, explicit loops.
    params, x, y, cache, dh = rnn_case(B=1)
    W, z, hp = params["W_hh"], cache.z[:, 0], cache.h_prev[:, 0]
    dphi = 1 - np.tanh(z) ** 2
    J = lambda t: np.array([[dphi[t, i] * W[i, j] for j in range(4)] for i in range(4)])
    row = dh[2, 0] @ J(2) @ J(1)
    want = np.array([[row[i] * dphi[0, i] * hp[0, j] for j in range(4)] for i in range(4)])
    np.testing.assert_allclose(bs.contributions(dh, cache, "W_hh")[2, 0], want, rtol=1e-12, atol=1e-15)


def test_sum_over_t_of_contributions_is_the_gradient_of_each_weight_copy(rnn_case):
    params, x, y, cache, dh = rnn_case(seed=2)
    T, H = 6, 4
    copies = np.broadcast_to(params["W_hh"], (T, H, H)).copy()
    L = rnn_loss_and_grads(params, x, y)[0]
    assert bs.loss_with_step_weights(params, x, y, copies) == pytest.approx(L, rel=1e-13)
    per_copy = numerical_gradient(lambda _: bs.loss_with_step_weights(params, x, y, copies), copies)
    assert relative_error(per_copy, bs.contributions(dh, cache, "W_hh").sum(axis=0)) < TOL
    assert relative_error(per_copy.sum(axis=0), rnn_loss_and_grads(params, x, y)[1]["W_hh"]) < TOL


def test_contribution_norms_by_gap_against_explicit_sums():
    rng = np.random.default_rng(0)
    C = np.tril(np.ones((4, 4)))[:, :, None] * rng.normal(size=(4, 4, 3))
    want = [np.linalg.norm(C[0, 0] + C[1, 1] + C[2, 2] + C[3, 3]), np.linalg.norm(C[1, 0] + C[2, 1] + C[3, 2]),
            np.linalg.norm(C[2, 0] + C[3, 1]), np.linalg.norm(C[3, 0])]
    np.testing.assert_allclose(bs.contribution_norms_by_gap(C), want, rtol=1e-12)
    with pytest.raises(ValueError, match=r"C must have shape \(T, T, ...\)"):
        bs.contribution_norms_by_gap(np.zeros((3, 4, 2)))


def test_loss_contributions_sum_to_the_loss_gradient(rnn_case, fd_loss):
    params, x, y, _, _ = rnn_case(seed=3)
    C = bs.loss_contributions(params, x, y, "W_xh", activation="sigmoid")
    assert relative_error(C.sum(axis=(0, 1)), fd_loss(params, x, y, "W_xh", "sigmoid")) < TOL


# -------------------------------------------------------------------------- immediate vs total

@pytest.mark.parametrize("param,index", [("W_hh", (1, 2)), ("W_xh", (3, 0)), ("b_h", (2,))])
def test_immediate_derivative_is_finite_differences_with_the_previous_state_frozen(param, index, rnn_case):
    params, x, y, cache, _ = rnn_case("sigmoid", seed=4)
    got = bs.immediate_state_derivative(cache, param, index)
    act = get_activation("sigmoid")
    w = {k: np.array(params[k]) for k in ("W_xh", "W_hh", "b_h")}

    def step_all(_):        # every step recomputed from the STORED h[t-1]: previous states frozen
        return act.f(np.einsum("ij,tbj->tbi", w["W_xh"], x) + np.einsum("ij,tbj->tbi", w["W_hh"], cache.h_prev)
                     + w["b_h"])

    eps = 1e-6
    w[param][index] += eps
    plus = step_all(None)
    w[param][index] -= 2 * eps
    minus = step_all(None)
    assert relative_error(got, (plus - minus) / (2 * eps)) < TOL


def test_recursion_total_equals_immediate_plus_jacobian_times_previous_total(rnn_case):
    params, x, _, cache, _ = rnn_case(seed=5)
    h0 = np.zeros((2, 4))
    total = bs.numerical_state_derivative(x, h0, params["W_xh"], params["W_hh"], params["b_h"], "tanh", "W_hh", (0, 3))
    plus = bs.immediate_state_derivative(cache, "W_hh", (0, 3))
    dphi = 1 - cache.h ** 2
    for t in range(1, 6):
        want = plus[t] + dphi[t] * (total[t - 1] @ params["W_hh"].T)
        assert relative_error(total[t], want) < TOL
    assert relative_error(total[0], plus[0]) < TOL            # h_0 does not depend on W_hh
    assert relative_error(total, plus) > WRONG                 # immediate alone is not the total


def test_numerical_state_derivative_of_every_entry_stacks_the_single_entries(rnn_case):
    params, x, y, cache, dh = rnn_case(seed=5)
    h0 = np.zeros((2, 4))
    weights = params["W_xh"], params["W_hh"], params["b_h"]
    every = bs.numerical_state_derivative(x, h0, *weights, "tanh", "W_hh")
    assert every.shape == (6, 2, 4, 4, 4)                      # [t-1, b, m, i, j] = ∂h_t[m]/∂W_hh[i, j]
    np.testing.assert_array_equal(every[..., 1, 2],
                                  bs.numerical_state_derivative(x, h0, *weights, "tanh", "W_hh", (1, 2)))
    assert bs.numerical_state_derivative(x, h0, *weights, "tanh", "W_xh").shape == (6, 2, 4, 4, 3)
    assert bs.numerical_state_derivative(x, h0, *weights, "tanh", "b_h").shape == (6, 2, 4, 4)
    # contracted with ∂ℓ_T/∂h_T over m it is the gradient of ℓ_T: the H × (H × H) object meets a row
    y_last = np.full_like(y, np.nan)
    y_last[-1] = y[-1]
    want = rnn_loss_and_grads(params, x, y_last)[1]["W_hh"]
    got = np.einsum("bm,bmij->ij", dh[-1], every[-1])
    assert relative_error(got, want) < TOL


@pytest.mark.parametrize("act", ACTS)
def test_total_equals_immediate_fails_the_gradient_check_widely(act, rnn_case, fd_loss):
    params, x, y, cache, dh = rnn_case(act, seed=6)
    wrong = bs.wrong_immediate_only_gradient(dh, cache)
    for name in ("W_xh", "W_hh", "b_h"):
        assert relative_error(wrong[name], fd_loss(params, x, y, name, act)) > WRONG, name
        # it is exactly the s = t terms C[t, t], and exactly truncate=0
        C = bs.contributions(dh, cache, name)
        np.testing.assert_allclose(wrong[name], np.einsum("tt...->...", C), rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(wrong[name], rnn_backward(dh, cache, truncate=0)[name], rtol=1e-10, atol=1e-13)


# ------------------------------------------------------------------------------- the two paths

@pytest.mark.parametrize("act", ACTS)
def test_readable_backward_matches_finite_differences(act, rnn_case, fd_loss):
    params, x, y, cache, dh = rnn_case(act, seed=7)
    got = bs.readable_backward(dh, cache)
    for name in ("W_xh", "W_hh", "b_h"):
        assert relative_error(got[name], fd_loss(params, x, y, name, act)) < TOL, name
    h0 = np.zeros((2, 4))
    num_h0 = numerical_gradient(lambda _: rnn_loss_and_grads(params, x, y, h0=h0, activation=act)[0], h0)
    assert relative_error(got["h0"], num_h0) < TOL


@pytest.mark.parametrize("t", [0, 3, 5])
def test_total_state_gradient_sums_both_paths(t, rnn_case):
    params, x, y, cache, dh = rnn_case("tanh", seed=8)
    num = bs.numerical_state_gradient(params, x, y, t)
    assert num.shape == (2, 4)
    assert relative_error(bs.readable_backward(dh, cache)["dL_dh"][t], num) < TOL
    if t < 5:                                                   # the output path alone is not enough
        assert relative_error(dh[t], num) > WRONG


def test_numerical_state_gradient_with_softmax_targets(rnn_case):
    params, x, _, _, _ = rnn_case(seed=9)
    y = np.array([[0, 1], [1, -1], [0, 0], [-1, 1], [1, 0], [0, 1]])
    o, _, cache = rnn_outputs(params, x)
    _, do = output_loss(o, y, "softmax")
    got = bs.readable_backward(do @ params["W_hy"], cache)["dL_dh"][2]
    assert relative_error(got, bs.numerical_state_gradient(params, x, y, 2, loss="softmax")) < TOL


def test_forgetting_a_path_fails_widely_and_says_which_function_it_differentiates(rnn_case, fd_loss):
    params, x, y, cache, dh = rnn_case("tanh", seed=10)
    true = fd_loss(params, x, y, "W_hh")
    no_rec = bs.readable_backward(dh, cache, forget="recurrent")
    no_out = bs.readable_backward(dh, cache, forget="output")
    assert relative_error(no_rec["W_hh"], true) > WRONG
    assert relative_error(no_out["W_hh"], true) > WRONG
    np.testing.assert_allclose(no_rec["W_hh"], bs.wrong_immediate_only_gradient(dh, cache)["W_hh"], rtol=1e-10)
    y_last = np.full_like(y, np.nan)
    y_last[-1] = y[-1]
    assert relative_error(no_out["W_hh"], fd_loss(params, x, y_last, "W_hh")) < TOL   # ∇ℓ_T alone


# ------------------------------------------------------------------- RTRL: the forward twin of BPTT

@pytest.mark.parametrize("act", ACTS)
def test_rtrl_gives_the_bptt_gradients(act, rnn_case, fd_loss):
    params, x, y, _, _ = rnn_case(act, seed=12)
    got = bs.rtrl_gradients(params, x, y, activation=act)
    assert set(got) == {"W_xh", "W_hh", "b_h"}
    want = rnn_loss_and_grads(params, x, y, activation=act)[1]
    for name in got:
        np.testing.assert_allclose(got[name], want[name], rtol=1e-10, atol=1e-13)
    assert relative_error(got["W_hh"], fd_loss(params, x, y, "W_hh", act)) < TOL


def test_rtrl_with_softmax_targets_and_a_nonzero_h0(rnn_case):
    params, x, _, _, _ = rnn_case(seed=13)
    y = np.array([[0, 1], [1, -1], [0, 0], [-1, 1], [1, 0], [0, 1]])
    h0 = np.random.default_rng(13).normal(size=(2, 4)) * 0.5
    got = bs.rtrl_gradients(params, x, y, loss="softmax", h0=h0)
    want = rnn_loss_and_grads(params, x, y, loss="softmax", h0=h0)[1]
    for name in got:
        np.testing.assert_allclose(got[name], want[name], rtol=1e-10, atol=1e-13)


# ------------------------------------------------------------------------ Jacobian of one step

@pytest.mark.parametrize("act", ACTS)
def test_numerical_step_jacobian_against_the_closed_form(act):
    rng = np.random.default_rng(11)
    W_xh, W_hh, b_h = rng.normal(size=(4, 3)), rng.normal(size=(4, 4)), rng.normal(size=4)
    x_t, h_prev = rng.normal(size=3), rng.normal(size=4)
    phi = get_activation(act)
    z = W_xh @ x_t + W_hh @ h_prev + b_h
    want = phi.df(z)[:, None] * W_hh
    assert relative_error(bs.numerical_step_jacobian(x_t, h_prev, W_xh, W_hh, b_h, act), want) < 1e-8
    h_prev_before = h_prev.copy()
    bs.numerical_step_jacobian(x_t, h_prev, W_xh, W_hh, b_h, act)
    np.testing.assert_array_equal(h_prev, h_prev_before)


# -------------------------------------------------------------------- the gradient-check table

def test_gradcheck_table_covers_every_parameter_and_activation():
    params, x, y = example_problem(T=4, B=2, D=2, H=3, K=2, seed=17)
    errors, text = bs.gradcheck_table(params, x, y, activations=("tanh", "relu"))
    assert set(errors) == {(a, n) for a in ("tanh", "relu") for n in params}
    assert max(errors.values()) < TOL
    lines = text.splitlines()
    assert lines[0].split() == ["parameter", "tanh", "relu"]
    assert [line.split()[0] for line in lines[1:]] == ["W_xh", "W_hh", "b_h", "W_hy", "b_y"]
    assert len({line.index("✓") for line in lines[1:]}) == 1          # aligned columns
    with pytest.raises(ValueError, match=r"activations\[0\] must be one of"):
        bs.gradcheck_table(params, x, y, activations=("tanhh",))


# ----------------------------------------------------------------------------------- bad input

def test_bad_inputs_raise_value_errors_naming_the_argument(rnn_case):
    params, x, y, cache, dh = rnn_case()
    with pytest.raises(ValueError, match=r"dh must have shape \(6, 2, 4\), got shape \(6, 2, 3\)"):
        bs.contributions(dh[..., :3], cache)
    with pytest.raises(ValueError, match="param must be one of 'W_xh', 'W_hh', 'b_h'; got 'W_hy'"):
        bs.contributions(dh, cache, "W_hy")
    with pytest.raises(ValueError, match="cache must be the RNNCache returned by rnn_forward"):
        bs.readable_backward(dh, None)
    with pytest.raises(ValueError, match="forget must be one of 'output', 'recurrent'"):
        bs.readable_backward(dh, cache, forget="both")
    with pytest.raises(ValueError, match=r"t must be a step index 0 … 5, got 6"):
        bs.numerical_state_gradient(params, x, y, 6)
    with pytest.raises(ValueError, match=r"x has T = 6 steps but W_hh_steps has 5 copies; expected .* \(6, 4, 4\)"):
        bs.loss_with_step_weights(params, x, y, np.zeros((5, 4, 4)))
    with pytest.raises(ValueError, match=r"index must pick one entry of W_hh, whose shape is \(4, 4\); got \(4, 0\)"):
        bs.immediate_state_derivative(cache, "W_hh", (4, 0))
    with pytest.raises(ValueError, match=r"index must pick one entry of b_h, whose shape is \(4,\); got \(1, 2\)"):
        bs.numerical_state_derivative(x, np.zeros((2, 4)), params["W_xh"], params["W_hh"], params["b_h"], "tanh",
                                      "b_h", (1, 2))
    with pytest.raises(ValueError, match=r"h_prev must have shape \(4,\)"):
        bs.numerical_step_jacobian(x[0, 0], np.zeros(3), params["W_xh"], params["W_hh"], params["b_h"])
    with pytest.raises(ValueError, match="W_hh contains NaN or inf"):
        bs.numerical_step_jacobian(x[0, 0], np.zeros(4), params["W_xh"], np.full((4, 4), np.nan), params["b_h"])
    with pytest.raises(ValueError, match="param must be one of 'W_xh', 'W_hh', 'b_h'; got 'W_hy'"):
        bs.loss_contributions(params, x, y, param="W_hy")
    with pytest.raises(ValueError, match=r"dh must have shape \(6, 2, 4\), got shape \(6, 2, 3\)"):
        bs.wrong_immediate_only_gradient(dh[..., :3], cache)
    with pytest.raises(ValueError, match="param must be one of 'W_xh', 'W_hh', 'b_h'; got 'W_hy'"):
        bs.numerical_state_derivative(x, np.zeros((2, 4)), params["W_xh"], params["W_hh"], params["b_h"], "tanh",
                                      "W_hy")
    with pytest.raises(ValueError, match="params is missing W_hy"):
        bs.rtrl_gradients({k: v for k, v in params.items() if k != "W_hy"}, x, y)
    with pytest.raises(ValueError, match="loss must be one of"):
        bs.rtrl_gradients(params, x, y, loss="l1")


# ----------------------------------------------------------------------------------------------
# Issue #16: wrong arguments and float64's edges
# ----------------------------------------------------------------------------------------------

def test_numerical_state_gradient_without_targets_names_y():
    params, x, y = example_problem(T=4, B=2, D=3, H=4, K=2, seed=0)
    with pytest.raises(ValueError, match="y must be an array of numbers"):
        bs.numerical_state_gradient(params, x, None, 1)
    with pytest.raises(ValueError, match=r"x has T = 4 steps .* but y has T = 3 steps"):
        bs.numerical_state_gradient(params, x, y[:3], 1)


@pytest.mark.parametrize("missing", ["W_xh", "b_y"])
def test_loss_with_step_weights_names_a_missing_parameter(missing):
    params, x, y = example_problem(T=4, B=2, D=3, H=4, K=2, seed=0)
    copies = np.stack([params["W_hh"]] * 4)
    params.pop(missing)
    with pytest.raises(ValueError, match=f"params is missing {missing}"):
        bs.loss_with_step_weights(params, x, y, copies)


@pytest.mark.parametrize("act", ["relu", "linear"])
def test_overflow_is_inf_never_nan_and_never_a_warning(act):
    params, x, y = example_problem(T=2000, B=2, D=3, H=4, K=2, seed=0)     # the case
    params = {k: v * 1e3 if k.startswith("W") else v for k, v in params.items()}
    loss = rnn_loss_and_grads(params, x, y, activation=act)[0]
    assert loss == np.inf
    assert bs.loss_with_step_weights(params, x, y, np.stack([params["W_hh"]] * 2000), activation=act) == loss
    o, _, cache = rnn_outputs(params, x, None, act)
    dh = np.ones(cache.h.shape)
    for grads in (bs.wrong_immediate_only_gradient(dh, cache), bs.readable_backward(dh, cache)):
        assert all(not np.isnan(g).any() for g in grads.values())
        assert any(np.isinf(g).any() for g in grads.values())
    h0 = np.zeros((2, 4))
    d = bs.numerical_state_derivative(x, h0, params["W_xh"], params["W_hh"], params["b_h"], act, "W_hh", (0, 1))
    assert not np.isnan(d).any() and np.isinf(d).any()
    with pytest.raises(ValueError, match="loss that overflows float64"):
        bs.numerical_state_gradient(params, x, y, 1, activation=act)


def test_contribution_norms_by_gap_neither_overflow_nor_underflow():
    C = np.random.default_rng(0).standard_normal((4, 4, 2, 2))
    expected = [np.sqrt(np.sum(sum(C[t, t - k] for t in range(k, 4)) ** 2)) for k in range(4)]
    for factor in (1e-200, 1e200):
        np.testing.assert_allclose(bs.contribution_norms_by_gap(C * factor), np.array(expected) * factor, rtol=1e-14)
    with pytest.raises(ValueError, match="C contains NaN"):
        bs.contribution_norms_by_gap(np.full((2, 2), np.nan))


def test_finite_differences_that_leave_float64_name_the_argument_at_fault():
    params, x, y = example_problem(T=3, B=2, D=2, H=2, K=2, seed=0)
    h0 = np.zeros((2, 2))
    h0[0, 0] = 1.7e308                                  # relu carries it on: the loss overflows
    with pytest.raises(ValueError, match=r"^params, x, y and h0 give a loss that overflows float64"):
        bs.gradcheck_table(params, x, y, activations=("relu",), h0=h0)
    with pytest.raises(ValueError, match=r"^params, x, y and h0 give a loss that overflows float64"):
        bs.numerical_state_gradient(params, x, y, 1, h0=h0, activation="relu")
    with pytest.raises(ValueError, match=r"^the loss is not finite \(NaN or inf\) at h\[1\]\[0, 0\] ± eps "
                                         r"\(h\[1\]\[0, 0\] = .*, eps = 1\.7e\+308\)"):
        bs.numerical_state_gradient(params, x, y, 1, eps=1.7e308)
    h_prev = np.array([1.7e308, 0.0])
    with pytest.raises(ValueError, match=r"^eps = 1e-06 is too small to move h_prev\[0\] = 1\.7e\+308"):
        bs.numerical_step_jacobian(x[0, 0], h_prev, params["W_xh"], params["W_hh"] * 1e-9, params["b_h"])
