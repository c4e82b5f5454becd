"""Truncated BPTT, chunks and the cost of BPTT (helpers.truncation): the masks against counts
by hand, truncate=n and chunked gradients against the per-(t, s) terms of helpers.bptt and
against central differences with the right states frozen, and the timings' bookkeeping."""
import types

import numpy as np
import pytest

from helpers import bptt as bs
from helpers import truncation as tr
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.rnn import rnn_backward, rnn_forward, rnn_loss_and_grads, rnn_outputs

TOL = 1e-7
WRONG = 1e-2          # a wrong gradient must miss by at least this much (FD noise is ~1e-10)


def expand(mask, C):
    return mask.reshape(mask.shape + (1,) * (C.ndim - 2))


# ---------------------------------------------------------------- masks, truncate=n and chunks

def test_window_mask_counts_and_shapes():
    np.testing.assert_array_equal(tr.window_mask(3), [[1, 0, 0], [1, 1, 0], [1, 1, 1]])
    np.testing.assert_array_equal(tr.window_mask(4, truncate=1),
                                  [[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]])
    np.testing.assert_array_equal(tr.window_mask(4, chunk=2), [[1, 0, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 1]])
    assert tr.window_mask(12, chunk=4).sum() == 30 and tr.window_mask(12, truncate=3).sum() == 42
    np.testing.assert_array_equal(tr.window_mask(5, chunk=5), tr.window_mask(5))
    with pytest.raises(ValueError, match="at most one of truncate and chunk"):
        tr.window_mask(4, truncate=1, chunk=2)
    with pytest.raises(ValueError, match="chunk must be an integer >= 1"):
        tr.window_mask(4, chunk=0)


@pytest.mark.parametrize("n", [0, 1, 2, 4])
def test_truncate_keeps_exactly_the_masked_terms(n, rnn_case):
    params, x, y, cache, dh = rnn_case("sigmoid", seed=12)
    for name in ("W_xh", "W_hh", "b_h"):
        C = bs.contributions(dh, cache, name)
        want = (C * expand(tr.window_mask(6, truncate=n), C)).sum(axis=(0, 1))
        np.testing.assert_allclose(rnn_backward(dh, cache, truncate=n)[name], want, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("chunk", [1, 2, 4, 6, 9])
def test_chunked_gradient_is_the_masked_sum_of_terms(chunk, rnn_case):
    params, x, y, cache, dh = rnn_case("tanh", seed=13)
    loss, grads = tr.chunked_loss_and_grads(params, x, y, chunk)
    full_loss, full = rnn_loss_and_grads(params, x, y)
    assert loss == pytest.approx(full_loss, rel=1e-12)
    for name in ("W_hy", "b_y"):                                 # no recurrence: untouched by chunks
        np.testing.assert_allclose(grads[name], full[name], rtol=1e-10)
    for name in ("W_xh", "W_hh", "b_h"):
        C = bs.contributions(dh, cache, name)
        want = (C * expand(tr.window_mask(6, chunk=chunk), C)).sum(axis=(0, 1))
        np.testing.assert_allclose(grads[name], want, rtol=1e-10, atol=1e-13)


def test_chunked_gradient_is_finite_differences_with_chunk_start_states_frozen(rnn_case, fd_loss):
    params, x, y, _, _ = rnn_case("tanh", seed=14, T=7)
    h = rnn_outputs(params, x)[1]
    starts = {0: np.zeros((2, 4)), 3: h[2], 6: h[5]}               # chunk = 3: pieces 0-2, 3-5, 6

    def frozen_loss(_):
        return sum(rnn_loss_and_grads(params, x[s:s + 3], y[s:s + 3], h0=h_s)[0] for s, h_s in starts.items())

    _, grads = tr.chunked_loss_and_grads(params, x, y, 3)
    for name in params:
        assert relative_error(grads[name], numerical_gradient(frozen_loss, params[name])) < TOL, name
    assert relative_error(grads["W_hh"], fd_loss(params, x, y, "W_hh")) > WRONG   # not ∇L


def test_chunks_are_not_truncation(rnn_case):
    params, x, y, cache, dh = rnn_case("tanh", seed=15)
    chunked = tr.chunked_loss_and_grads(params, x, y, 3)[1]["W_hh"]
    assert relative_error(chunked, rnn_backward(dh, cache, truncate=2)["W_hh"]) > WRONG


def test_truncation_errors_compare_truncate_n_with_chunks_of_n_plus_1(rnn_case):
    params, x, y, _, _ = rnn_case(seed=16)                        # T = 6
    err_t, err_c = tr.truncation_errors(params, x, y, [0, 1, 4, 5, 8])
    assert err_t.shape == err_c.shape == (5,)
    assert err_t[0] > WRONG and err_t[0] == pytest.approx(err_c[0], rel=1e-12)   # chunks of 1 = truncate=0
    assert err_t[1] > WRONG and err_c[1] > WRONG
    # reach 4: truncate=4 drops only the term C[T, 1] (s = 1), which carries h_0 = 0 for W_hh;
    # chunks of 5 steps leave step 6 alone in its chunk, with no past at all.
    assert err_t[2] < 1e-12 and err_c[2] > WRONG
    assert max(err_t[3], err_t[4], err_c[3], err_c[4]) < 1e-12                   # reach >= T-1: exact
    # the chunked error is that of the chunked gradient, not of truncate=n
    chunked = tr.chunked_loss_and_grads(params, x, y, 2)[1]["W_hh"]
    assert err_c[1] == pytest.approx(relative_error(chunked, rnn_loss_and_grads(params, x, y)[1]["W_hh"]), rel=1e-12)
    with pytest.raises(ValueError, match=r"reaches\[1\] must be an integer >= 0, got -1"):
        tr.truncation_errors(params, x, y, [0, -1])
    with pytest.raises(ValueError, match=r"reaches must be a list of integers >= 0, such as \[0, 5\]; got 3"):
        tr.truncation_errors(params, x, y, 3)


# --------------------------------------------------- does the truncated gradient point downhill?

def test_truncated_gradient_cosines_against_the_gradients_themselves(rnn_case):
    params, x, y, _, _ = rnn_case(seed=17)                        # T = 6
    cos, dropped = tr.truncated_gradient_cosines(params, x, y, [0, 2, 5])
    assert cos.shape == dropped.shape == (3,)
    rec = ("W_xh", "W_hh", "b_h")
    full = np.concatenate([rnn_loss_and_grads(params, x, y)[1][k].ravel() for k in rec])
    g0 = np.concatenate([rnn_loss_and_grads(params, x, y, truncate=0)[1][k].ravel() for k in rec])
    assert cos[0] == pytest.approx(g0 @ full / np.linalg.norm(g0) / np.linalg.norm(full), rel=1e-12)
    assert dropped[0] == pytest.approx(np.linalg.norm(g0 - full) / np.linalg.norm(full), rel=1e-12)
    assert cos[2] == pytest.approx(1.0, abs=1e-12) and dropped[2] < 1e-12      # truncate = T − 1: exact


def test_small_dropped_terms_guarantee_a_descent_direction():
    # g·∇L ≥ ‖∇L‖(‖∇L‖ − ‖g − ∇L‖): whenever dropped < 1 the cosine is positive; at scale 3 the dropped
    # far terms are large and the cosine can be negative (the lesson's second regime).
    from helpers.init import example_problem
    results = [tr.truncated_gradient_cosines(*example_problem(T=40, B=2, D=3, H=8, K=2, scale=scale, seed=seed),
                                             [1, 3, 10]) for scale in (1.0, 3.0) for seed in range(3)]
    cos = np.concatenate([c for c, _ in results])
    dropped = np.concatenate([d for _, d in results])
    assert np.all(cos[dropped < 1] > 0)
    assert np.all(cos[:9] > 0.9) and np.any(cos[9:] < 0) and np.all(dropped[9:] > 0.5)


# ------------------------------------------------------------- the scalar RNN's gradient field

def test_truncated_gradient_field_is_not_symmetric_but_the_true_one_is():
    xs, ys, theta = np.array([1.0, -0.5, 0.8, 0.3]), np.array([0.2, -0.1, 0.4, 0.0]), np.array([0.9, 0.7])
    full = tr.gradient_field_jacobian(lambda th: tr.scalar_rnn_gradient(th, xs, ys), theta)
    trunc = tr.gradient_field_jacobian(lambda th: tr.scalar_rnn_gradient(th, xs, ys, truncate=1), theta)
    assert abs(full[0, 1] - full[1, 0]) < 1e-7 * np.abs(full).max()
    assert abs(trunc[0, 1] - trunc[1, 0]) > 0.1 * np.abs(trunc).max()


def test_scalar_rnn_gradient_against_a_hand_written_loop():
    xs, ys = np.array([1.0, -0.5, 0.8]), np.array([0.3, np.nan, -0.2])

    def L(theta):
        w, u = theta
        h, total = 0.0, 0.0
        for x_t, y_t in zip(xs, ys, strict=True):
            h = np.tanh(w * h + u * x_t)
            total += 0.0 if np.isnan(y_t) else 0.5 * (h - y_t) ** 2
        return total

    theta = np.array([0.8, -0.6])
    assert relative_error(tr.scalar_rnn_gradient(theta, xs, ys), numerical_gradient(L, theta.copy())) < TOL


def test_gradient_field_jacobian_of_a_quadratic_is_its_matrix():
    A = np.array([[2.0, 1.0], [3.0, -1.0]])
    np.testing.assert_allclose(tr.gradient_field_jacobian(lambda th: A @ th, [0.5, -2.0]), A, rtol=1e-9)


# ---------------------------------------------------------------------------------------- cost

def test_cache_nbytes_is_8_T_B_times_D_plus_2H():
    _, cache = rnn_forward(np.zeros((7, 3, 5)), np.zeros((3, 4)), np.zeros((4, 5)), np.zeros((4, 4)), np.zeros(4))
    assert tr.cache_nbytes(cache) == 8 * 7 * 3 * (5 + 2 * 4)
    with pytest.raises(ValueError, match="cache must be the RNNCache"):
        tr.cache_nbytes({"h": 1})


def test_time_bptt_returns_one_positive_time_per_length():
    seconds = tr.time_bptt([3, 5], H=4, B=1, D=2, repeats=1)
    assert seconds.shape == (2,) and np.all(seconds > 0)
    with pytest.raises(ValueError, match=r"T_values\[0\] must be an integer >= 1, got 0"):
        tr.time_bptt([0])
    with pytest.raises(ValueError, match=r"T_values must be a list of integers >= 1, such as \[1, 6\]; got 200"):
        tr.time_bptt(200)


def test_time_bptt_measures_lengths_round_robin_and_keeps_the_best(monkeypatch):
    seen = []
    real_forward = tr.rnn_forward

    def forward(x, *args):
        seen.append(x.shape[0])
        return real_forward(x, *args)

    monkeypatch.setattr(tr, "rnn_forward", forward)
    # A fake clock, read at the start and end of each sample. Samples in the order measured
    # (T = 3, T = 5, T = 3, …) take 2, 3, 2, 1, 1, 2 ticks: T = 5's best is its middle one,
    # neither its first, its last nor its mean.
    readings = iter(np.cumsum([0, 2, 0, 3, 0, 2, 0, 1, 0, 1, 0, 2]).tolist())
    monkeypatch.setattr(tr, "time", types.SimpleNamespace(perf_counter=lambda: next(readings)))
    seconds = tr.time_bptt([3, 5], H=4, B=1, D=2, repeats=3)
    assert seen == [3, 5, 3, 5, 3, 5]                  # one round over all lengths, three times
    assert seconds.tolist() == [1.0, 1.0]              # the best of each length


# ----------------------------------------------------------------------------------- bad input

def test_bad_inputs_raise_value_errors_naming_the_argument(rnn_case):
    params, x, y, cache, dh = rnn_case()
    with pytest.raises(ValueError, match="chunk must be an integer >= 1, got 0"):
        tr.chunked_loss_and_grads(params, x, y, 0)
    with pytest.raises(ValueError, match=r"theta must have 1 dimensions with shape \(n,\)"):
        tr.gradient_field_jacobian(lambda t: t, np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"grad_fn must return an array of shape \(2,\), like theta; got shape \(1,\)"):
        tr.gradient_field_jacobian(lambda t: t[:1], np.zeros(2))
    with pytest.raises(ValueError, match="grad_fn must be a function, such as lambda theta"):
        tr.gradient_field_jacobian(np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"theta must have shape \(2,\), got shape \(1,\)"):
        tr.scalar_rnn_gradient([1.0], np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"x has T = 3 steps but y has 4; expected y of shape \(3,\)"):
        tr.scalar_rnn_gradient([1.0, 0.5], np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match=r"truncates\[0\] must be an integer >= 0, got -1"):
        tr.truncated_gradient_cosines(params, x, y, [-1])
    zero = dict(params, W_hy=np.zeros_like(params["W_hy"]))
    with pytest.raises(ValueError, match="zero gradient of W_xh, W_hh, b_h"):
        tr.truncated_gradient_cosines(zero, x, y, [1])


# ----------------------------------------------------------------------------------------------
# Issue #16: wrong arguments and float64's edges
# ----------------------------------------------------------------------------------------------

def _overflowing_problem():
    """The issue's case: weights × 1e3 and T = 2000, where relu and linear states overflow."""
    from helpers.init import example_problem
    params, x, y = example_problem(T=2000, B=2, D=3, H=4, K=2, seed=0)
    return {k: v * 1e3 if k.startswith("W") else v for k, v in params.items()}, x, y


@pytest.mark.parametrize("act", ["relu", "linear"])
def test_chunked_training_reports_an_overflow_as_inf_like_full_bptt(act):
    params, x, y = _overflowing_problem()
    full_loss, full_grads = rnn_loss_and_grads(params, x, y, activation=act)
    loss, grads = tr.chunked_loss_and_grads(params, x, y, 50, activation=act)      # no h0 given: nothing to blame
    assert loss == full_loss == np.inf
    assert all(not np.isnan(g).any() for g in grads.values())
    assert all(np.isinf(grads[k]).any() == np.isinf(full_grads[k]).any() for k in grads)
    with pytest.raises(ValueError, match="overflows float64"):
        tr.truncated_gradient_cosines(params, x, y, [1], activation=act)


@pytest.mark.parametrize("missing", ["W_hh", "W_hy"])
def test_chunked_loss_and_grads_names_a_missing_parameter(missing, rnn_case):
    params, x, y, _, _ = rnn_case()
    params.pop(missing)
    with pytest.raises(ValueError, match=f"params is missing {missing}"):
        tr.chunked_loss_and_grads(params, x, y, 2)


def test_chunked_loss_and_grads_names_x_and_y_when_their_steps_differ(rnn_case):
    params, x, y, _, _ = rnn_case()                               # T = 6
    with pytest.raises(ValueError, match=r"x has T = 6 steps .* but y has T = 5 steps"):
        tr.chunked_loss_and_grads(params, x, y[:5], 2)
    with pytest.raises(ValueError, match="y must be an array of numbers"):
        tr.chunked_loss_and_grads(params, x, None, 2)


@pytest.mark.parametrize("seed", [0.5, None, -1, True, "0"])
def test_time_bptt_refuses_a_seed_that_is_not_an_integer(seed):
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        tr.time_bptt([2], H=2, repeats=1, seed=seed)


def test_window_mask_checks_truncate_and_chunk_before_comparing_them():
    with pytest.raises(ValueError, match="chunk must be an integer >= 1"):
        tr.window_mask(5, truncate=1, chunk="abc")
    with pytest.raises(ValueError, match="give at most one of truncate and chunk, got truncate=1 and chunk=2"):
        tr.window_mask(5, truncate=1, chunk=2)


def test_gradient_field_jacobian_names_theta_and_eps_at_float64s_edges():
    with pytest.raises(ValueError, match=r"^eps = 1e-05 is too small to move theta\[0\] = 1\.7e\+308"):
        tr.gradient_field_jacobian(lambda th: 2.0 * th, np.array([1.7e308, -2.0]))
    with pytest.raises(ValueError, match=r"^grad_fn is not finite \(NaN or inf\) at theta\[0\] ± eps "
                                         r"\(theta\[0\] = 1, eps = 1\.7e\+308\)"):
        tr.gradient_field_jacobian(lambda th: 2.0 * th, np.array([1.0, -2.0]), 1.7e308)
    np.testing.assert_array_equal(tr.gradient_field_jacobian(lambda th: 0.5 * th, np.array([1.0, -2.0]), 1.7e308),
                                  0.5 * np.eye(2))
    with pytest.raises(ValueError, match="theta must have at least one entry"):
        tr.gradient_field_jacobian(lambda th: th, np.zeros(0))
