"""Lesson 03's BPTT pieces: every correct gradient against central differences, every deliberately
wrong one failing by a wide margin, the per-(t, k) terms against rnn_backward, and the chunked
gradient against two independent constructions."""
import json
import math
import re
import types
from pathlib import Path

import numpy as np
import pytest

from helpers import bptt_steps as bs
from helpers.activations import get_activation
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.rnn import output_loss, rnn_backward, rnn_forward, rnn_loss_and_grads, rnn_outputs

ACTS = ["tanh", "sigmoid", "relu", "linear"]
TOL = 1e-7
WRONG = 1e-2          # a wrong gradient must miss by at least this much (FD noise is ~1e-10)
ROOT = Path(__file__).resolve().parents[1]


def case(act="tanh", seed=0, T=6, B=2, H=4):
    params, x, y = bs.example_problem(T=T, B=B, D=3, H=H, K=2, scale=1.0, seed=seed)
    o, h, cache = rnn_outputs(params, x, None, act)
    _, do = output_loss(o, y)
    return params, x, y, cache, do @ params["W_hy"]


def fd_loss(params, x, y, name, act="tanh", **kw):
    return numerical_gradient(lambda _: rnn_loss_and_grads(params, x, y, activation=act, **kw)[0], params[name])


def expand(mask, C):
    return mask.reshape(mask.shape + (1,) * (C.ndim - 2))


# ---------------------------------------------------------------- per-(t, k) contributions

@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("param", ["W_xh", "W_hh", "b_h"])
def test_contributions_sum_to_rnn_backward_and_to_finite_differences(act, param):
    params, x, y, cache, dh = case(act, seed=1)
    C = bs.contributions(dh, cache, param)
    T = x.shape[0]
    assert C.shape == (T, T, *params[param].shape)
    assert np.all(C[np.triu_indices(T, 1)] == 0)              # nothing flows forward in time
    total = C.sum(axis=(0, 1))
    np.testing.assert_allclose(total, rnn_backward(dh, cache)[param], rtol=1e-10, atol=1e-12)
    assert relative_error(total, fd_loss(params, x, y, param, act)) < TOL


def test_contribution_of_one_pair_by_hand():
    # t = 2, k = 0 for one sequence: dh_2 · J_2 J_1 · ∂⁺h_0/∂W_hh, written with explicit loops.
    params, x, y, cache, dh = case(B=1)
    W, z, hp = params["W_hh"], cache.z[:, 0], cache.h_prev[:, 0]
    dphi = 1 - np.tanh(z) ** 2
    J = lambda t: np.array([[dphi[t, i] * W[i, j] for j in range(4)] for i in range(4)])
    row = dh[2, 0] @ J(2) @ J(1)
    want = np.array([[row[i] * dphi[0, i] * hp[0, j] for j in range(4)] for i in range(4)])
    np.testing.assert_allclose(bs.contributions(dh, cache, "W_hh")[2, 0], want, rtol=1e-12, atol=1e-15)


def test_sum_over_t_of_contributions_is_the_gradient_of_each_weight_copy():
    params, x, y, cache, dh = case(seed=2)
    T, H = 6, 4
    copies = np.broadcast_to(params["W_hh"], (T, H, H)).copy()
    assert bs.loss_with_step_weights(params, x, y, copies) == pytest.approx(rnn_loss_and_grads(params, x, y)[0], rel=1e-13)
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


def test_loss_contributions_sum_to_the_loss_gradient():
    params, x, y, _, _ = case(seed=3)
    C = bs.loss_contributions(params, x, y, "W_xh", activation="sigmoid")
    assert relative_error(C.sum(axis=(0, 1)), fd_loss(params, x, y, "W_xh", "sigmoid")) < TOL


# ---------------------------------------------------------------- immediate vs total

@pytest.mark.parametrize("param,index", [("W_hh", (1, 2)), ("W_xh", (3, 0)), ("b_h", (2,))])
def test_immediate_derivative_is_finite_differences_with_the_previous_state_frozen(param, index):
    params, x, y, cache, _ = case("sigmoid", seed=4)
    got = bs.immediate_state_derivative(cache, param, index)
    act = get_activation("sigmoid")
    w = {k: np.array(params[k]) for k in ("W_xh", "W_hh", "b_h")}

    def step_all(_):        # every step recomputed from the STORED h[t-1]: previous states frozen
        return act.f(np.einsum("ij,tbj->tbi", w["W_xh"], x) + np.einsum("ij,tbj->tbi", w["W_hh"], cache.h_prev) + w["b_h"])

    eps = 1e-6
    w[param][index] += eps
    plus = step_all(None)
    w[param][index] -= 2 * eps
    minus = step_all(None)
    assert relative_error(got, (plus - minus) / (2 * eps)) < TOL


def test_recursion_total_equals_immediate_plus_jacobian_times_previous_total():
    params, x, _, cache, _ = case(seed=5)
    h0 = np.zeros((2, 4))
    total = bs.numerical_state_derivative(x, h0, params["W_xh"], params["W_hh"], params["b_h"], "tanh", "W_hh", (0, 3))
    plus = bs.immediate_state_derivative(cache, "W_hh", (0, 3))
    dphi = 1 - cache.h ** 2
    for t in range(1, 6):
        want = plus[t] + dphi[t] * (total[t - 1] @ params["W_hh"].T)
        assert relative_error(total[t], want) < TOL
    assert relative_error(total[0], plus[0]) < TOL            # h_0 does not depend on W_hh
    assert relative_error(total, plus) > WRONG                 # immediate alone is not the total


@pytest.mark.parametrize("act", ACTS)
def test_total_equals_immediate_fails_the_gradient_check_widely(act):
    params, x, y, cache, dh = case(act, seed=6)
    wrong = bs.immediate_gradient(dh, cache)
    for name in ("W_xh", "W_hh", "b_h"):
        assert relative_error(wrong[name], fd_loss(params, x, y, name, act)) > WRONG, name
        # it is exactly the k = t terms, and exactly truncate=0
        C = bs.contributions(dh, cache, name)
        np.testing.assert_allclose(wrong[name], np.einsum("tt...->...", C), rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(wrong[name], rnn_backward(dh, cache, truncate=0)[name], rtol=1e-10, atol=1e-13)


# ---------------------------------------------------------------- the two paths

@pytest.mark.parametrize("act", ACTS)
def test_readable_backward_matches_finite_differences(act):
    params, x, y, cache, dh = case(act, seed=7)
    got = bs.readable_backward(dh, cache)
    for name in ("W_xh", "W_hh", "b_h"):
        assert relative_error(got[name], fd_loss(params, x, y, name, act)) < TOL, name
    h0 = np.zeros((2, 4))
    num_h0 = numerical_gradient(lambda _: rnn_loss_and_grads(params, x, y, h0=h0, activation=act)[0], h0)
    assert relative_error(got["h0"], num_h0) < TOL


@pytest.mark.parametrize("t", [0, 3, 5])
def test_total_state_gradient_sums_both_paths(t):
    params, x, y, cache, dh = case("tanh", seed=8)
    num = bs.numerical_state_gradient(params, x, y, t)
    assert num.shape == (2, 4)
    assert relative_error(bs.readable_backward(dh, cache)["dL_dh"][t], num) < TOL
    if t < 5:                                                   # the output path alone is not enough
        assert relative_error(dh[t], num) > WRONG


def test_numerical_state_gradient_with_softmax_targets():
    params, x, _, _, _ = case(seed=9)
    y = np.array([[0, 1], [1, -1], [0, 0], [-1, 1], [1, 0], [0, 1]])
    o, _, cache = rnn_outputs(params, x)
    _, do = output_loss(o, y, "softmax")
    got = bs.readable_backward(do @ params["W_hy"], cache)["dL_dh"][2]
    assert relative_error(got, bs.numerical_state_gradient(params, x, y, 2, loss="softmax")) < TOL


def test_forgetting_a_path_fails_widely_and_says_which_function_it_differentiates():
    params, x, y, cache, dh = case("tanh", seed=10)
    true = fd_loss(params, x, y, "W_hh")
    no_rec = bs.readable_backward(dh, cache, forget="recurrent")
    no_out = bs.readable_backward(dh, cache, forget="output")
    assert relative_error(no_rec["W_hh"], true) > WRONG
    assert relative_error(no_out["W_hh"], true) > WRONG
    np.testing.assert_allclose(no_rec["W_hh"], bs.immediate_gradient(dh, cache)["W_hh"], rtol=1e-10)
    y_last = np.full_like(y, np.nan)
    y_last[-1] = y[-1]
    assert relative_error(no_out["W_hh"], fd_loss(params, x, y_last, "W_hh")) < TOL   # ∇ℓ_T alone


# ---------------------------------------------------------------- Jacobian of one step

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


# ---------------------------------------------------------------- truncation and chunks

def test_window_mask_counts_and_shapes():
    np.testing.assert_array_equal(bs.window_mask(3), [[1, 0, 0], [1, 1, 0], [1, 1, 1]])
    np.testing.assert_array_equal(bs.window_mask(4, truncate=1), [[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]])
    np.testing.assert_array_equal(bs.window_mask(4, chunk=2), [[1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 1]])
    assert bs.window_mask(12, chunk=4).sum() == 30 and bs.window_mask(12, truncate=3).sum() == 42
    np.testing.assert_array_equal(bs.window_mask(5, chunk=5), bs.window_mask(5))
    with pytest.raises(ValueError, match="at most one of truncate and chunk"):
        bs.window_mask(4, truncate=1, chunk=2)
    with pytest.raises(ValueError, match="chunk must be an integer >= 1"):
        bs.window_mask(4, chunk=0)


@pytest.mark.parametrize("n", [0, 1, 2, 4])
def test_truncate_keeps_exactly_the_masked_terms(n):
    params, x, y, cache, dh = case("sigmoid", seed=12)
    for name in ("W_xh", "W_hh", "b_h"):
        C = bs.contributions(dh, cache, name)
        want = (C * expand(bs.window_mask(6, truncate=n), C)).sum(axis=(0, 1))
        np.testing.assert_allclose(rnn_backward(dh, cache, truncate=n)[name], want, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("chunk", [1, 2, 4, 6, 9])
def test_chunked_gradient_is_the_masked_sum_of_terms(chunk):
    params, x, y, cache, dh = case("tanh", seed=13)
    loss, grads = bs.chunked_loss_and_grads(params, x, y, chunk)
    full_loss, full = rnn_loss_and_grads(params, x, y)
    assert loss == pytest.approx(full_loss, rel=1e-12)
    for name in ("W_hy", "b_y"):                                 # no recurrence: untouched by chunks
        np.testing.assert_allclose(grads[name], full[name], rtol=1e-10)
    for name in ("W_xh", "W_hh", "b_h"):
        C = bs.contributions(dh, cache, name)
        want = (C * expand(bs.window_mask(6, chunk=chunk), C)).sum(axis=(0, 1))
        np.testing.assert_allclose(grads[name], want, rtol=1e-10, atol=1e-13)


def test_chunked_gradient_is_finite_differences_with_chunk_start_states_frozen():
    params, x, y, _, _ = case("tanh", seed=14, T=7)
    h = rnn_outputs(params, x)[1]
    starts = {0: np.zeros((2, 4)), 3: h[2], 6: h[5]}               # chunk = 3: pieces 0-2, 3-5, 6

    def frozen_loss(_):
        return sum(rnn_loss_and_grads(params, x[s:s + 3], y[s:s + 3], h0=h_s)[0] for s, h_s in starts.items())

    _, grads = bs.chunked_loss_and_grads(params, x, y, 3)
    for name in params:
        assert relative_error(grads[name], numerical_gradient(frozen_loss, params[name])) < TOL, name
    assert relative_error(grads["W_hh"], fd_loss(params, x, y, "W_hh")) > WRONG   # not ∇L


def test_chunks_are_not_truncation():
    params, x, y, cache, dh = case("tanh", seed=15)
    chunked = bs.chunked_loss_and_grads(params, x, y, 3)[1]["W_hh"]
    assert relative_error(chunked, rnn_backward(dh, cache, truncate=2)["W_hh"]) > WRONG


def test_truncation_errors_compare_truncate_n_with_chunks_of_n_plus_1():
    params, x, y, _, _ = case(seed=16)                        # T = 6
    err_t, err_c = bs.truncation_errors(params, x, y, [0, 1, 4, 5, 8])
    assert err_t.shape == err_c.shape == (5,)
    assert err_t[0] > WRONG and err_t[0] == pytest.approx(err_c[0], rel=1e-12)   # chunks of 1 = truncate=0
    assert err_t[1] > WRONG and err_c[1] > WRONG
    # reach 4: truncate=4 drops only the k = 1 term of t = T, which carries h_0 = 0 for W_hh;
    # chunks of 5 steps leave step 6 alone in its chunk, with no past at all.
    assert err_t[2] < 1e-12 and err_c[2] > WRONG
    assert max(err_t[3], err_t[4], err_c[3], err_c[4]) < 1e-12                   # reach >= T-1: exact
    # the chunked error is that of the chunked gradient, not of truncate=n
    chunked = bs.chunked_loss_and_grads(params, x, y, 2)[1]["W_hh"]
    assert err_c[1] == pytest.approx(relative_error(chunked, rnn_loss_and_grads(params, x, y)[1]["W_hh"]), rel=1e-12)
    with pytest.raises(ValueError, match=r"reaches\[1\] must be an integer >= 0, got -1"):
        bs.truncation_errors(params, x, y, [0, -1])
    with pytest.raises(ValueError, match=r"reaches must be a list of integers >= 0, such as \[0, 5\]; got 3"):
        bs.truncation_errors(params, x, y, 3)


def test_truncated_gradient_field_is_not_symmetric_but_the_true_one_is():
    xs, ys, theta = np.array([1.0, -0.5, 0.8, 0.3]), np.array([0.2, -0.1, 0.4, 0.0]), np.array([0.9, 0.7])
    full = bs.gradient_field_jacobian(lambda th: bs.scalar_rnn_gradient(th, xs, ys), theta)
    trunc = bs.gradient_field_jacobian(lambda th: bs.scalar_rnn_gradient(th, xs, ys, truncate=1), theta)
    assert abs(full[0, 1] - full[1, 0]) < 1e-7 * np.abs(full).max()
    assert abs(trunc[0, 1] - trunc[1, 0]) > 0.1 * np.abs(trunc).max()


def test_scalar_rnn_gradient_against_a_hand_written_loop():
    xs, ys = np.array([1.0, -0.5, 0.8]), np.array([0.3, np.nan, -0.2])

    def L(theta):
        w, u = theta
        h, total = 0.0, 0.0
        for x_t, y_t in zip(xs, ys):
            h = np.tanh(w * h + u * x_t)
            total += 0.0 if np.isnan(y_t) else 0.5 * (h - y_t) ** 2
        return total

    theta = np.array([0.8, -0.6])
    assert relative_error(bs.scalar_rnn_gradient(theta, xs, ys), numerical_gradient(L, theta.copy())) < TOL


def test_gradient_field_jacobian_of_a_quadratic_is_its_matrix():
    A = np.array([[2.0, 1.0], [3.0, -1.0]])
    np.testing.assert_allclose(bs.gradient_field_jacobian(lambda th: A @ th, [0.5, -2.0]), A, rtol=1e-9)


def test_cosine():
    a = {"p": np.array([1.0, 0.0]), "q": np.array([0.0])}
    assert bs.cosine(a, a) == pytest.approx(1.0)
    assert bs.cosine(a, {"p": np.array([0.0, 2.0]), "q": np.array([0.0])}) == pytest.approx(0.0)
    assert bs.cosine(a, {"p": np.array([-3.0, 0.0]), "q": np.array([0.0])}) == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="non-zero gradients"):
        bs.cosine(a, {"p": np.zeros(2), "q": np.zeros(1)})
    with pytest.raises(ValueError, match="a must be a dict of gradient arrays, such as the grads of rnn_loss_and_grads; got list"):
        bs.cosine([1.0, 0.0], a)
    with pytest.raises(ValueError, match=r"a and b must have the same keys; got \['p', 'q'\] and \['p'\]"):
        bs.cosine(a, {"p": np.ones(2)})
    with pytest.raises(ValueError, match=r"a\['p'\] and b\['p'\] must have the same shape; got \(2,\) and \(3,\)"):
        bs.cosine(a, {"p": np.ones(3), "q": np.ones(1)})


# ---------------------------------------------------------------- reporting, cost

@pytest.mark.parametrize("err,tol,text", [
    (0.0, 1e-7, "< 1e-12 ✓"), (3e-13, 1e-7, "< 1e-12 ✓"), (2.5e-10, 1e-7, "< 1e-8 ✓"),
    (3e-8, 1e-7, "< 1e-7 ✓"), (0.2149, 1e-7, "0.21 ✗"), (1e-7, 1e-7, "1e-07 ✗"),
    (5e-11, 1e-10, "< 1e-10 ✓"), (5e-13, 1e-12, "< 1e-12 ✓"), (0.3, 0.5, "< 0.5 ✓"),
])
def test_describe_error(err, tol, text):
    assert bs.describe_error(err, tol) == text


def test_describe_error_rejects_bad_input():
    with pytest.raises(ValueError, match="err must be a finite number >= 0"):
        bs.describe_error(float("nan"))
    with pytest.raises(ValueError, match="tol must be a positive"):
        bs.describe_error(0.1, tol=0)


def test_report_prints_label_and_bound(capsys):
    bs.report("same", np.ones(3), np.ones(3))
    bs.report("different", np.ones(3), np.zeros(3))
    assert capsys.readouterr().out.splitlines() == ["same: relative error < 1e-12 ✓", "different: relative error 1 ✗"]


def test_gradcheck_table_covers_every_parameter_and_activation():
    params, x, y = bs.example_problem(T=4, B=2, D=2, H=3, K=2, seed=17)
    errors, text = bs.gradcheck_table(params, x, y, activations=("tanh", "relu"))
    assert set(errors) == {(a, n) for a in ("tanh", "relu") for n in params}
    assert max(errors.values()) < TOL
    lines = text.splitlines()
    assert lines[0].split() == ["parameter", "tanh", "relu"]
    assert [line.split()[0] for line in lines[1:]] == ["W_xh", "W_hh", "b_h", "W_hy", "b_y"]
    assert len({line.index("✓") for line in lines[1:]}) == 1          # aligned columns
    with pytest.raises(ValueError, match="activation must be one of"):
        bs.gradcheck_table(params, x, y, activations=("tanhh",))


def test_cache_nbytes_is_8_T_B_times_D_plus_2H():
    _, cache = rnn_forward(np.zeros((7, 3, 5)), np.zeros((3, 4)), np.zeros((4, 5)), np.zeros((4, 4)), np.zeros(4))
    assert bs.cache_nbytes(cache) == 8 * 7 * 3 * (5 + 2 * 4)
    with pytest.raises(ValueError, match="cache must be the RNNCache"):
        bs.cache_nbytes({"h": 1})


def test_time_bptt_returns_one_positive_time_per_length():
    seconds = bs.time_bptt([3, 5], H=4, B=1, D=2, repeats=1)
    assert seconds.shape == (2,) and np.all(seconds > 0)
    with pytest.raises(ValueError, match="T_values entry must be an integer >= 1"):
        bs.time_bptt([0])
    with pytest.raises(ValueError, match="T_values must be a non-empty list of sequence lengths, got 200"):
        bs.time_bptt(200)


def test_time_bptt_measures_lengths_round_robin_and_keeps_the_best(monkeypatch):
    seen = []
    real_forward = bs.rnn_forward

    def forward(x, *args):
        seen.append(x.shape[0])
        return real_forward(x, *args)

    monkeypatch.setattr(bs, "rnn_forward", forward)
    # A fake clock, read at the start and end of each sample. Samples in the order measured
    # (T = 3, T = 5, T = 3, …) take 2, 3, 2, 1, 1, 2 ticks: T = 5's best is its middle one,
    # neither its first, its last nor its mean.
    readings = iter(np.cumsum([0, 2, 0, 3, 0, 2, 0, 1, 0, 1, 0, 2]).tolist())
    monkeypatch.setattr(bs, "time", types.SimpleNamespace(perf_counter=lambda: next(readings)))
    seconds = bs.time_bptt([3, 5], H=4, B=1, D=2, repeats=3)
    assert seen == [3, 5, 3, 5, 3, 5]                  # one round over all lengths, three times
    assert seconds.tolist() == [1.0, 1.0]              # the best of each length


def test_example_problem_is_seeded_and_shaped():
    p1, x1, y1 = bs.example_problem(T=5, B=2, D=3, H=4, K=2, seed=3)
    p2, x2, y2 = bs.example_problem(T=5, B=2, D=3, H=4, K=2, seed=3)
    assert x1.shape == (5, 2, 3) and y1.shape == (5, 2, 2)
    assert {k: v.shape for k, v in p1.items()} == {"W_xh": (4, 3), "W_hh": (4, 4), "b_h": (4,), "W_hy": (2, 4), "b_y": (2,)}
    for k in p1:
        np.testing.assert_array_equal(p1[k], p2[k])
    with pytest.raises(ValueError, match="scale must be a positive"):
        bs.example_problem(scale=-1)


# ---------------------------------------------------------------- bad input

def test_bad_inputs_raise_value_errors_naming_the_argument():
    params, x, y, cache, dh = case()
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
    with pytest.raises(ValueError, match=r"W_hh_steps must have shape \(6, 4, 4\)"):
        bs.loss_with_step_weights(params, x, y, np.zeros((5, 4, 4)))
    with pytest.raises(ValueError, match=r"index must pick one entry of W_hh, whose shape is \(4, 4\); got \(4, 0\)"):
        bs.immediate_state_derivative(cache, "W_hh", (4, 0))
    with pytest.raises(ValueError, match=r"index must pick one entry of b_h, whose shape is \(4,\); got \(1, 2\)"):
        bs.numerical_state_derivative(x, np.zeros((2, 4)), params["W_xh"], params["W_hh"], params["b_h"], "tanh",
                                      "b_h", (1, 2))
    with pytest.raises(ValueError, match="chunk must be an integer >= 1, got 0"):
        bs.chunked_loss_and_grads(params, x, y, 0)
    with pytest.raises(ValueError, match=r"h_prev must have shape \(4,\)"):
        bs.numerical_step_jacobian(x[0, 0], np.zeros(3), params["W_xh"], params["W_hh"], params["b_h"])
    with pytest.raises(ValueError, match="W_hh contains NaN or inf"):
        bs.numerical_step_jacobian(x[0, 0], np.zeros(4), params["W_xh"], np.full((4, 4), np.nan), params["b_h"])
    with pytest.raises(ValueError, match="param must be one of 'W_xh', 'W_hh', 'b_h'; got 'W_hy'"):
        bs.loss_contributions(params, x, y, param="W_hy")
    with pytest.raises(ValueError, match=r"dh must have shape \(6, 2, 4\), got shape \(6, 2, 3\)"):
        bs.immediate_gradient(dh[..., :3], cache)
    with pytest.raises(ValueError, match=r"theta must have 1 dimensions with shape \(n,\)"):
        bs.gradient_field_jacobian(lambda t: t, np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"grad_fn must return an array of shape \(2,\), like theta; got shape \(1,\)"):
        bs.gradient_field_jacobian(lambda t: t[:1], np.zeros(2))
    with pytest.raises(ValueError, match="grad_fn must be a callable theta -> g"):
        bs.gradient_field_jacobian(np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"theta must have shape \(2,\), got shape \(1,\)"):
        bs.scalar_rnn_gradient([1.0], np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"y must have shape \(3,\), got shape \(4,\)"):
        bs.scalar_rnn_gradient([1.0, 0.5], np.zeros(3), np.zeros(4))


# ---------------------------------------------------------------- exercise checks

def test_activation_exercise_check(capsys):
    softplus = lambda z: np.logaddexp(0.0, z)
    bs.check_activation_backward("E1", softplus, get_activation("sigmoid").f)
    bs.check_activation_backward("E1", softplus, np.tanh)
    bs.check_activation_backward("E1", softplus, None)
    bs.check_activation_backward("E1", softplus, lambda z: 1.0)
    bs.check_activation_backward("E1", softplus, 0.5)               # a value, not a function
    bs.check_activation_backward("E1", softplus, lambda z: 1 / (1 + math.exp(-z)))   # right maths, scalar exp
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✓ E1: correct."
    assert out[1].startswith("✗ E1: not yet. Hint: the worst relative error is")
    assert out[2].startswith("✗ E1: not yet. Hint: replace None with a function.")
    assert out[3].startswith("✗ E1: not yet. Hint: df(z) must return")
    assert out[4].startswith("✗ E1: not yet. Hint: df must be a function of z (def or lambda), got float.")
    assert out[5].startswith("✗ E1: not yet. Hint: df failed on an array of z values (TypeError:")
    assert "use np.exp, not math.exp" in out[5]


def test_backward_pass_exercise_check(capsys):
    bs.check_backward_pass("E2", lambda dh, cache: rnn_backward(dh, cache))
    bs.check_backward_pass("E2", lambda dh, cache: bs.immediate_gradient(dh, cache))
    bs.check_backward_pass("E2", None)
    bs.check_backward_pass("E2", lambda dh, cache: {"W_xh": 0})
    bs.check_backward_pass("E2", rnn_backward(np.zeros((1, 1, 1)), rnn_forward(np.zeros((1, 1, 1)), np.zeros((1, 1)),
                                                                               np.eye(1), np.eye(1), np.zeros(1))[1]))
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "✓ E2: correct."
    assert out[1].startswith("✗ E2: not yet. Hint: the worst relative error is")
    assert out[2].startswith("✗ E2: not yet. Hint: replace None with your function.")
    assert out[3].startswith("✗ E2: not yet. Hint: return a dict with W_xh of shape (4, 3).")
    assert out[4].startswith("✗ E2: not yet. Hint: backward must be a function of (dh, cache), got dict.")
    for line in out[1:]:                                      # each sentence starts with a capital
        assert ". Compare each line with the equations: which state multiplies δ_t" in line


# ---------------------------------------------------------------- the lesson quotes rnn_backward

def test_code_quoted_in_lesson_03_is_still_in_rnn_py():
    nb = json.loads((ROOT / "notebooks" / "03_bptt.ipynb").read_text(encoding="utf-8"))
    source = (ROOT / "helpers" / "rnn.py").read_text(encoding="utf-8")
    quoted = [q for c in nb["cells"] if c["cell_type"] == "markdown"
              for q in re.findall(r"→ `([^`]+)`", "".join(c["source"]))]
    assert len(quoted) >= 7
    for q in quoted:
        assert q in source, f"notebook 03 quotes a line that helpers/rnn.py no longer has: {q}"
