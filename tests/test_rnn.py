"""The RNN forward pass, hand-written BPTT (full and truncated), Jacobians and losses, checked
against independent loops and central differences; and the lines of rnn_backward that lesson 03
quotes."""
import inspect
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.activations import get_activation
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.init import example_problem
from helpers.rnn import (
    check_params,
    hidden_jacobians,
    jacobian_norms,
    log_spectral_norms,
    output_loss,
    product_norms,
    readout_gradients,
    renormalise,
    rnn_backward,
    rnn_forward,
    rnn_loss_and_grads,
    rnn_outputs,
)

ACTS = ["tanh", "sigmoid", "relu", "linear"]
TOL = 1e-7
ROOT = Path(__file__).resolve().parents[1]


def make_params(rng, D=3, H=5, K=4, scale=0.7):
    return {
        "W_xh": rng.normal(size=(H, D)),
        "W_hh": rng.normal(size=(H, H)) * scale / np.sqrt(H),
        "b_h": rng.normal(size=H) * 0.1,
        "W_hy": rng.normal(size=(K, H)),
        "b_y": rng.normal(size=K) * 0.1,
    }


def loop_forward(x, h0, W_xh, W_hh, b_h, phi):
    """The recurrence written element by element, independently of helpers.rnn."""
    T, B, D = x.shape
    H = h0.shape[1]
    h = np.zeros((T, B, H))
    for b in range(B):
        prev = h0[b]
        for t in range(T):
            z = np.array([sum(W_xh[i, j] * x[t, b, j] for j in range(D))
                          + sum(W_hh[i, j] * prev[j] for j in range(H)) + b_h[i] for i in range(H)])
            prev = h[t, b] = phi(z)
    return h


@pytest.mark.parametrize("act", ACTS)
def test_forward_matches_elementwise_recurrence(act):
    rng = np.random.default_rng(0)
    p = make_params(rng)
    x = rng.normal(size=(6, 2, 3))
    h0 = rng.normal(size=(2, 5))
    h, cache = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"], act)
    assert h.shape == (6, 2, 5) and h.dtype == np.float64
    np.testing.assert_allclose(h, loop_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"], get_activation(act).f),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(cache.h_prev[0], h0)


def _rnn_case(seed, act, T=6, B=3, D=3, H=5):
    rng = np.random.default_rng(seed)
    p = make_params(rng, D=D, H=H)
    x = rng.normal(size=(T, B, D))
    h0 = rng.normal(size=(B, H))
    G = rng.normal(size=(T, B, H))
    return p, x, h0, G


@pytest.mark.parametrize("act", ACTS)
def test_backward_matches_finite_differences_for_every_input(act):
    p, x, h0, G = _rnn_case(1, act)
    W_xh, W_hh, b_h = p["W_xh"], p["W_hh"], p["b_h"]

    def L(_):
        return float(np.sum(G * rnn_forward(x, h0, W_xh, W_hh, b_h, act)[0]))

    _, cache = rnn_forward(x, h0, W_xh, W_hh, b_h, act)
    grads = rnn_backward(G, cache)
    for name, arr in [("x", x), ("h0", h0), ("W_xh", W_xh), ("W_hh", W_hh), ("b_h", b_h)]:
        assert grads[name].shape == arr.shape
        assert relative_error(grads[name], numerical_gradient(L, arr)) < TOL, name


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("loss", ["mse", "softmax"])
def test_loss_gradients_with_masked_targets(act, loss):
    rng = np.random.default_rng(2)
    p = make_params(rng)
    T, B, K = 7, 3, 4
    x = rng.normal(size=(T, B, 3))
    h0 = rng.normal(size=(B, 5))
    if loss == "mse":
        y = rng.normal(size=(T, B, K))
        y[rng.random((T, B)) < 0.4] = np.nan          # steps without a target
    else:
        y = rng.integers(0, K, size=(T, B))
        y[rng.random((T, B)) < 0.4] = -1
    value, grads = rnn_loss_and_grads(p, x, y, loss=loss, h0=h0, activation=act)
    assert set(grads) == set(p)
    for name in p:
        num = numerical_gradient(lambda _: rnn_loss_and_grads(p, x, y, loss=loss, h0=h0, activation=act)[0], p[name])
        assert relative_error(grads[name], num) < TOL, name


def test_many_to_one_equals_loss_of_last_step_only():
    rng = np.random.default_rng(3)
    p = make_params(rng)
    x = rng.normal(size=(5, 2, 3))
    y = np.full((5, 2, 4), np.nan)
    y[-1] = rng.normal(size=(2, 4))
    value, _ = rnn_loss_and_grads(p, x, y)
    h = rnn_forward(x, np.zeros((2, 5)), p["W_xh"], p["W_hh"], p["b_h"])[0]
    o_last = h[-1] @ p["W_hy"].T + p["b_y"]
    assert value == pytest.approx(0.5 * np.sum((o_last - y[-1]) ** 2) / 2, rel=1e-12)


def test_softmax_loss_value_against_explicit_formula():
    rng = np.random.default_rng(4)
    o = rng.normal(size=(3, 2, 5))
    y = np.array([[0, 4], [-1, 2], [3, -1]])
    value, _ = output_loss(o, y, "softmax")
    expected = 0.0
    for t in range(3):
        for b in range(2):
            if y[t, b] >= 0:
                expected -= np.log(np.exp(o[t, b, y[t, b]]) / np.exp(o[t, b]).sum())
    assert value == pytest.approx(expected / 2, rel=1e-12)


def truncated_reference(G, cache, k):
    """Truncated BPTT by its definition: each source t walks back at most k steps on its own."""
    x, h0, W_xh, W_hh = cache.x, cache.h0, cache.W_xh, cache.W_hh
    T, B, H = cache.h.shape
    dphi = cache.activation.df(cache.z)
    h_prev = cache.h_prev
    out = {"x": np.zeros_like(x), "h0": np.zeros_like(h0), "W_xh": np.zeros_like(W_xh),
           "W_hh": np.zeros_like(W_hh), "b_h": np.zeros(H)}
    for t in range(T):
        a = G[t]
        for s in range(t, max(t - k, 0) - 1, -1):       # h[t], h[t-1], ..., h[max(t-k, 0)]
            dz = a * dphi[s]
            out["W_xh"] += dz.T @ x[s]
            out["W_hh"] += dz.T @ h_prev[s]
            out["b_h"] += dz.sum(0)
            out["x"][s] += dz @ W_xh
            a = dz @ W_hh
            if s == 0 and t - k <= -1:                  # h0 is within k steps of h[t]
                out["h0"] += a
    return out


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("k", [0, 1, 2, 5, 6, 7, 10])          # … T-1, T, T+3 with T = 7
def test_truncated_bptt_follows_its_definition(act, k):
    p, x, h0, G = _rnn_case(5, act, T=7)
    _, cache = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"], act)
    got = rnn_backward(G, cache, truncate=k)
    want = truncated_reference(G, cache, k)
    for name in want:
        np.testing.assert_allclose(got[name], want[name], rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("k", [None, 0, 2, 13])
def test_backward_of_a_larger_batch_follows_the_definition(act, k):
    """A batch of 40 sequences of 14 steps and 120 units (67 200 numbers in z, above the 2¹⁶ at
    which the backward pass used to switch to another way of taking φ'): every gradient against
    the definition, and a corner of W_hh against central differences for full BPTT."""
    p, x, h0, G = _rnn_case(7, act, T=14, B=40, D=3, H=120)
    _, cache = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"], act)
    got = rnn_backward(G, cache, truncate=k)
    want = truncated_reference(G, cache, 14 if k is None else k)
    for name in want:
        np.testing.assert_allclose(got[name], want[name], rtol=1e-10, atol=1e-12, err_msg=name)
    if k is None and act != "relu":
        def L(corner):                       # a corner of W_hh: 9 entries, 18 forward passes
            W = p["W_hh"].copy()
            W[:3, :3] = corner
            return float(np.sum(G * rnn_forward(x, h0, p["W_xh"], W, p["b_h"], act)[0]))
        assert relative_error(got["W_hh"][:3, :3], numerical_gradient(L, p["W_hh"][:3, :3].copy())) < TOL


@pytest.mark.parametrize("k", [None, 0, 1])
def test_backward_of_one_step_and_one_unit(k):
    """T = 1: no recurrent step, so ∂L/∂W_hh is the single term δ_0 h0ᵀ and h0 gets W_hhᵀ δ_0
    (or nothing for k = 0); the shapes hold with H = D = B = 1 too."""
    rng = np.random.default_rng(13)
    for B, D, H in [(1, 1, 1), (3, 2, 4)]:
        x, h0, G = rng.normal(size=(1, B, D)), rng.normal(size=(B, H)), rng.normal(size=(1, B, H))
        W_xh, W_hh, b_h = rng.normal(size=(H, D)), rng.normal(size=(H, H)), rng.normal(size=H)
        h, cache = rnn_forward(x, h0, W_xh, W_hh, b_h)
        got = rnn_backward(G, cache, truncate=k)
        delta = G[0] * (1 - h[0] ** 2)
        assert {name: g.shape for name, g in got.items()} == {
            "x": (1, B, D), "h0": (B, H), "W_xh": (H, D), "W_hh": (H, H), "b_h": (H,)}
        np.testing.assert_allclose(got["W_hh"], delta.T @ h0, rtol=1e-13)
        np.testing.assert_allclose(got["W_xh"], delta.T @ x[0], rtol=1e-13)
        np.testing.assert_allclose(got["b_h"], delta.sum(axis=0), rtol=1e-13)
        np.testing.assert_allclose(got["x"][0], delta @ W_xh, rtol=1e-13)
        np.testing.assert_allclose(got["h0"], 0 * h0 if k == 0 else delta @ W_hh, rtol=1e-13)


@pytest.mark.parametrize("act", ["relu", "linear"])
@pytest.mark.parametrize("k", [None, 0, 3])
def test_backward_of_a_diverging_run_overflows_without_warnings(act, k):
    """Weights large enough to overflow the states and the gradients to inf (and inf·0 to NaN):
    rnn_backward returns them as they are and no numpy warning escapes."""
    rng = np.random.default_rng(14)
    T, B, D, H = 60, 2, 3, 4
    x = rng.normal(size=(T, B, D))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, cache = rnn_forward(x, np.ones((B, H)), rng.normal(size=(H, D)), 1e6 * np.eye(H), np.zeros(H), act)
        got = rnn_backward(np.full((T, B, H), 1e300), cache, truncate=k)
    assert got["W_hh"].shape == (H, H) and not np.all(np.isfinite(got["W_hh"]))


def test_backward_accepts_dh_as_any_array_of_numbers():
    """dh as a list, as float32, as a transposed (non-contiguous) view: the same gradients as the
    float64 array."""
    p, x, h0, G = _rnn_case(15, "tanh", T=5, B=2, H=3)
    _, cache = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"])
    G32 = G.astype(np.float32)
    want = rnn_backward(G32.astype(np.float64), cache)
    for dh in (G32.tolist(), G32, np.ascontiguousarray(G32.astype(np.float64).transpose(2, 1, 0)).transpose(2, 1, 0)):
        for name, g in rnn_backward(dh, cache).items():
            np.testing.assert_array_equal(g, want[name], err_msg=name)


def test_truncation_at_or_beyond_T_is_full_bptt_and_short_truncation_differs():
    p, x, h0, G = _rnn_case(6, "tanh", T=6)
    _, cache = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"])
    full = rnn_backward(G, cache)
    for k in (6, 7, 100):
        for name, g in rnn_backward(G, cache, truncate=k).items():
            np.testing.assert_allclose(g, full[name], rtol=1e-12, atol=1e-14)
    assert relative_error(rnn_backward(G, cache, truncate=2)["W_hh"], full["W_hh"]) > 1e-3


@pytest.mark.parametrize("act", ACTS)
def test_truncated_loss_gradient_matches_truncated_backward(act):
    rng = np.random.default_rng(7)
    p = make_params(rng)
    x = rng.normal(size=(6, 2, 3))
    y = rng.normal(size=(6, 2, 4))
    _, grads = rnn_loss_and_grads(p, x, y, activation=act, truncate=2)
    o_h, cache = rnn_forward(x, np.zeros((2, 5)), p["W_xh"], p["W_hh"], p["b_h"], act)
    do = (o_h @ p["W_hy"].T + p["b_y"] - y) / 2
    want = truncated_reference(do @ p["W_hy"], cache, 2)
    for name in ("W_xh", "W_hh", "b_h"):
        np.testing.assert_allclose(grads[name], want[name], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("act", ACTS)
def test_hidden_jacobians_match_numerical_jacobian_of_one_step(act):
    p, x, h0, _ = _rnn_case(8, act, T=4, B=2)
    h, cache = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"], act)
    J = hidden_jacobians(cache)
    assert J.shape == (4, 2, 5, 5)
    phi = get_activation(act).f
    t, b, eps = 2, 1, 1e-6
    numeric = np.zeros((5, 5))
    for j in range(5):
        e = np.zeros(5)
        e[j] = eps
        step = lambda hp: phi(p["W_xh"] @ x[t, b] + p["W_hh"] @ hp + p["b_h"])
        numeric[:, j] = (step(h[t - 1, b] + e) - step(h[t - 1, b] - e)) / (2 * eps)
    assert relative_error(J[t, b], numeric) < 1e-8


def test_jacobian_norms_against_explicit_products():
    p, x, h0, _ = _rnn_case(9, "tanh", T=8, B=2)
    _, cache = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"])
    J = hidden_jacobians(cache)
    norms = jacobian_norms(cache)
    assert norms.shape == (8, 2)
    for b in range(2):
        P = np.eye(5)
        for k in range(8):
            if k:
                P = P @ J[8 - k, b]
            assert norms[k, b] == pytest.approx(np.linalg.norm(P, 2), rel=1e-10)
    np.testing.assert_array_equal(norms[0], 1.0)


def test_jacobian_norms_overflow_and_underflow_without_nan_or_warnings():
    rng = np.random.default_rng(10)
    H, T = 4, 400
    x = rng.normal(size=(T, 1, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, big = rnn_forward(x, np.zeros((1, H)), rng.normal(size=(H, 2)), 20 * np.eye(H), np.zeros(H), "linear")
        n_big = jacobian_norms(big)
        _, small = rnn_forward(x, np.zeros((1, H)), rng.normal(size=(H, 2)), 0.01 * np.eye(H), np.zeros(H), "linear")
        n_small = jacobian_norms(small)
    assert not np.isnan(n_big).any() and np.isinf(n_big[-1, 0])
    assert n_big[100, 0] == pytest.approx(20.0 ** 100, rel=1e-9)
    assert not np.isnan(n_small).any() and n_small[-1, 0] == 0.0
    assert n_small[50, 0] == pytest.approx(0.01 ** 50, rel=1e-9)


def test_renormalise_keeps_each_product_as_matrix_times_exp_log():
    rng = np.random.default_rng(11)
    P = rng.normal(size=(3, 4, 2)) * np.array([1e-200, 1.0, 1e200])[:, None, None]
    P[1] = 0.0
    before = P.copy()
    logs = renormalise(P)
    assert logs.shape == (3,) and logs[1] == 0.0                    # a zero matrix is left alone
    assert logs[0] < -400 and logs[2] > 400
    np.testing.assert_allclose(np.abs(P).max(axis=(1, 2)), [1.0, 0.0, 1.0])
    for i in (0, 2):
        np.testing.assert_allclose(P[i] * np.exp(logs[i] - np.log(np.abs(before[i]).max())),
                                   before[i] / np.abs(before[i]).max(), rtol=1e-13)
    inf = np.array([[np.inf, 1.0], [0.0, 2.0]])
    assert renormalise(inf) == 0.0 and np.isinf(inf[0, 0])        # not finite: left alone


def test_log_spectral_norms_against_numpy_norm():
    rng = np.random.default_rng(12)
    P = rng.normal(size=(2, 3, 5, 5))
    logs = rng.normal(size=(2, 3)) * 100
    out = log_spectral_norms(P, logs)
    expected = logs + np.log(np.linalg.norm(P, 2, axis=(-2, -1)))
    np.testing.assert_allclose(out, expected, rtol=1e-13)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert log_spectral_norms(np.zeros((2, 2)), 5.0) == -np.inf


@pytest.mark.parametrize("call, message", [
    (lambda: renormalise([[1.0, 2.0]]), "P must be a float64 numpy array of shape (..., n, m), got list"),
    (lambda: renormalise(np.ones(3)), "P must be a float64 numpy array of shape (..., n, m), got ndarray float64 (3,)"),
    (lambda: renormalise(np.ones((2, 2), dtype=int)), "got ndarray int64 (2, 2)"),
    (lambda: renormalise(np.broadcast_to(np.eye(2), (3, 2, 2))), "P must be writeable"),
    (lambda: log_spectral_norms(np.ones((3, 2, 2)), np.zeros(2)),
     "P has shape (3, 2, 2), so logs must have shape (3,); got an array of shape (2,)"),
])
def test_renormalise_and_log_spectral_norms_reject_bad_input(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert message in str(err.value)


@settings(max_examples=40, deadline=None)
@given(T=st.integers(1, 5), B=st.integers(1, 3), D=st.integers(1, 3), H=st.integers(1, 4),
       act=st.sampled_from(ACTS), k=st.one_of(st.none(), st.integers(0, 6)),
       seed=st.integers(0, 2**32 - 1), scale=st.floats(0.1, 3.0))
def test_property_backward_equals_reference_and_fd(T, B, D, H, act, k, seed, scale):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(T, B, D))
    h0 = rng.normal(size=(B, H))
    W_xh, W_hh, b_h = rng.normal(size=(H, D)), rng.normal(size=(H, H)) * scale, rng.normal(size=H)
    G = rng.normal(size=(T, B, H))
    h, cache = rnn_forward(x, h0, W_xh, W_hh, b_h, act)
    got = rnn_backward(G, cache, truncate=k)
    want = truncated_reference(G, cache, T if k is None else k)
    for name in want:
        np.testing.assert_allclose(got[name], want[name], rtol=1e-9, atol=1e-10)
    if k is None and act != "relu":  # relu's kink makes finite differences unreliable at random points
        num = numerical_gradient(lambda _: float(np.sum(G * rnn_forward(x, h0, W_xh, W_hh, b_h, act)[0])), W_hh)
        assert np.allclose(got["W_hh"], num, rtol=1e-5, atol=1e-6)


# ---- bad input -----------------------------------------------------------------------------

def _good():
    rng = np.random.default_rng(0)
    return rng.normal(size=(4, 2, 3)), np.zeros((2, 5)), rng.normal(size=(5, 3)), rng.normal(size=(5, 5)), np.zeros(5)


@pytest.mark.parametrize("change, message", [
    (lambda a: (a[0][0],) + a[1:],
     r"x must have 3 dimensions with shape \(T, B, D\), got 2 dimensions with shape \(2, 3\)"),
    (lambda a: (a[0], np.zeros((3, 5))) + a[2:], r"h0 must have shape \(2, 5\), got shape \(3, 5\)"),
    (lambda a: a[:2] + (np.zeros((5, 4)),) + a[3:],
     r"x has D = 3 numbers per step \(shape \(4, 2, 3\)\), but W_xh has shape \(5, 4\), which takes D = 4; "
     r"expected x of shape \(T, B, 4\) or W_xh of shape \(5, 3\)"),
    (lambda a: a[:2] + (np.zeros((3, 5)),) + a[3:], r"W_xh must have shape \(5, D\), got shape \(3, 5\)"),
    (lambda a: (a[0], None) + a[2:], r"h0 must be an array of numbers with shape \(2, 5\), got None"),
    (lambda a: (a[0], np.zeros((2, 0)), np.zeros((0, 3)), np.zeros((0, 0)), np.zeros(0)),
     r"W_hh must have shape \(H, H\) with H >= 1 hidden units, got shape \(0, 0\)"),
    (lambda a: (a[0].astype(complex),) + a[1:], r"x must hold real numbers \(shape \(T, B, D\)\), got complex"),
    (lambda a: a[:3] + (np.zeros((5, 4)),) + a[4:], r"W_hh must have shape \(5, 5\), got shape \(5, 4\)"),
    (lambda a: a[:4] + (np.zeros(4),), r"b_h must have shape \(5,\), got shape \(4,\)"),
    (lambda a: a[:3] + (np.full((5, 5), np.nan),) + a[4:], r"W_hh contains NaN or inf"),
    (lambda a: (np.zeros((0, 2, 3)),) + a[1:], r"x must have shape \(T, B, D\) with T >= 1"),
    (lambda a: (np.array([["a"]]),) + a[1:], r"x must be an array of numbers"),
])
def test_forward_rejects_bad_input_with_a_clear_message(change, message):
    with pytest.raises(ValueError, match=message):
        rnn_forward(*change(_good()))


def test_forward_rejects_unknown_activation():
    with pytest.raises(ValueError, match="activation must be one of"):
        rnn_forward(*_good(), activation="swish")


def test_backward_rejects_bad_dh_cache_and_truncate():
    h, cache = rnn_forward(*_good())
    with pytest.raises(ValueError, match=r"dh must have shape \(4, 2, 5\), got shape \(4, 2, 4\)"):
        rnn_backward(np.zeros((4, 2, 4)), cache)
    with pytest.raises(ValueError, match="cache must be the RNNCache returned by rnn_forward"):
        rnn_backward(np.zeros((4, 2, 5)), {"h": h})
    with pytest.raises(ValueError, match="truncate must be an integer >= 0, got -1"):
        rnn_backward(np.zeros((4, 2, 5)), cache, truncate=-1)
    with pytest.raises(ValueError, match="truncate must be an integer >= 0, got 1.5"):
        rnn_backward(np.zeros((4, 2, 5)), cache, truncate=1.5)
    for f in (hidden_jacobians, jacobian_norms):
        with pytest.raises(ValueError, match="cache must be the RNNCache returned by rnn_forward, got dict"):
            f({"h": h})
    with pytest.raises(ValueError, match="params is missing W_hh, b_h, W_hy, b_y; expected keys"):
        rnn_outputs({"W_xh": np.zeros((5, 3))}, _good()[0])
    with pytest.raises(ValueError, match="params must be a dict with keys W_xh, W_hh, b_h, W_hy, b_y, got list"):
        check_params([1.0])


def test_loss_rejects_bad_params_and_targets():
    rng = np.random.default_rng(0)
    p = make_params(rng)
    x = rng.normal(size=(3, 2, 3))
    with pytest.raises(ValueError, match="params is missing W_hy"):
        rnn_loss_and_grads({k: v for k, v in p.items() if k != "W_hy"}, x, np.zeros((3, 2, 4)))
    with pytest.raises(ValueError, match=r"params\['b_y'\] must have shape \(4,\), got shape \(3,\)"):
        rnn_loss_and_grads({**p, "b_y": np.zeros(3)}, x, np.zeros((3, 2, 4)))
    with pytest.raises(ValueError,
                       match=r"y must have 3 dimensions with shape \(3, 2, 4\), got 2 dimensions with shape \(3, 2\)"):
        rnn_loss_and_grads(p, x, np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"y must have shape \(3, 2\) for loss='softmax', got shape \(3, 2, 4\)"):
        rnn_loss_and_grads(p, x, np.zeros((3, 2, 4)), loss="softmax")
    with pytest.raises(ValueError, match=r"class labels in 0 … 3 \(or -1 for no target\); got values from 0 to 4"):
        rnn_loss_and_grads(p, x, np.array([[0, 1], [2, 3], [4, 0]]), loss="softmax")
    y = np.zeros((3, 2, 4))
    y[1, 0, 2] = np.nan
    with pytest.raises(ValueError, match="only partly NaN"):
        rnn_loss_and_grads(p, x, y)
    with pytest.raises(ValueError, match="loss must be one of 'mse', 'softmax'; got 'l1'"):
        rnn_loss_and_grads(p, x, np.zeros((3, 2, 4)), loss="l1")
    with pytest.raises(ValueError, match=r"x must have shape \(T, B, 3\), got shape \(3, 2, 2\)"):
        rnn_loss_and_grads(p, x[..., :2], np.zeros((3, 2, 4)))
    # the hidden size comes from the square W_hh, so a transposed W_hy is the one named
    with pytest.raises(ValueError, match=r"params\['W_hy'\] must have shape \(K, 5\), got shape \(5, 4\)"):
        rnn_loss_and_grads({**p, "W_hy": p["W_hy"].T}, x, np.zeros((3, 2, 4)))
    with pytest.raises(ValueError, match=r"params has unexpected key\(s\) 'h0'; expected exactly the keys "
                                         r"W_xh, W_hh, b_h, W_hy, b_y"):
        rnn_loss_and_grads({**p, "h0": np.zeros((2, 5))}, x, np.zeros((3, 2, 4)))
    with pytest.raises(ValueError, match=r"integer class labels for loss='softmax', got 1.5 at y\[1, 0\]"):
        rnn_loss_and_grads(p, x, np.array([[0, 1], [1.5, 3], [2, 0]]), loss="softmax")
    with pytest.raises(ValueError, match=r"got nan at y\[0, 1\]; mark a step without a target with -1, not NaN"):
        rnn_loss_and_grads(p, x, np.array([[0, np.nan], [1, 3], [2, 0]]), loss="softmax")
    with pytest.raises(ValueError, match=r"integer class labels .* got an array of dtype <U1"):
        rnn_loss_and_grads(p, x, np.array([["a", "b"]] * 3), loss="softmax")


def test_output_loss_rejects_outputs_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"o must have 3 dimensions with shape \(T, B, K\), got 2 dimensions"):
        output_loss(np.zeros((2, 4)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"o must be an array of numbers with shape \(T, B, K\), got None"):
        output_loss(None, np.zeros((2, 4)))


def test_the_cache_cannot_be_changed_behind_the_backward_pass():
    rng = np.random.default_rng(3)
    x, h0, W_xh, W_hh, b_h = rng.normal(size=(4, 2, 3)), rng.normal(size=(2, 5)), rng.normal(size=(5, 3)), \
        0.5 * rng.normal(size=(5, 5)), np.zeros(5)
    G = rng.normal(size=(4, 2, 5))
    h, cache = rnn_forward(x, h0, W_xh, W_hh, b_h)
    before = rnn_backward(G, cache)
    with pytest.raises(ValueError, match="read-only"):
        h *= 0.5                                                  # the returned states are the cache's
    W_hh -= 0.1                                                   # an SGD step in place, after the forward pass
    h0 += 1.0
    after = rnn_backward(G, cache)
    for name in before:
        np.testing.assert_array_equal(after[name], before[name])


# ---- the code lesson 03 quotes -----------------------------------------------------------------

LESSON_03 = ROOT / "notebooks" / "03_bptt.ipynb"
QUOTE = re.compile(r"→ `([^`]+)`")          # "maths → `a line of code`" in the lesson's markdown


def test_code_quoted_in_lesson_03_is_still_in_rnn_py():
    """Every line lesson 03 quotes after an arrow ("maths → `code`") is still in helpers/rnn.py,
    and its slides "The implementation, line by line" and "After the loop, every step at once"
    quote rnn_backward itself: at least 7 lines, the loop and the weight gradients."""
    nb = json.loads(LESSON_03.read_text(encoding="utf-8"))
    source = (ROOT / "helpers" / "rnn.py").read_text(encoding="utf-8")
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    quoted = [q for c in cells for q in QUOTE.findall(c)]
    assert len(quoted) >= 7
    for q in quoted:
        assert q in source, f"notebook 03 quotes a line that helpers/rnn.py no longer has: {q}"

    headings = ("## The implementation, line by line", "### After the loop, every step at once")
    slides = [c for c in cells if c.lstrip().startswith(headings)]
    assert len(slides) == 2, f"notebook 03 must have one cell for each of {headings}"
    in_cells = [q for c in slides for q in QUOTE.findall(c)]
    backward = inspect.getsource(rnn_backward)
    assert len(in_cells) >= 7, f"the two slides quote {len(in_cells)} lines of rnn_backward; expected at least 7"
    for q in in_cells:
        assert q in backward, f"lesson 03 quotes a line that rnn_backward does not have: {q}"
    for part in ("dz[t] = ", "@ W_hh", '"W_xh": ', '"W_hh": ', '"b_h": '):
        assert any(part in q for q in in_cells), f"lesson 03's implementation slides quote no line with {part!r}"


# ---------------------------------------------------------------- float64's edges (issue 16)

@pytest.mark.parametrize("activation", ["relu", "linear"])
def test_an_overflowing_run_reports_inf_never_nan(activation):
    """Weights × 1e3 over T = 2000 steps outgrow float64: every function reports inf, not NaN."""
    p, x, y = example_problem(T=2000, B=2, D=3, H=4, K=2, seed=0)
    p = {k: v * 1e3 for k, v in p.items()}
    h, cache = rnn_forward(x, np.zeros((2, 4)), p["W_xh"], p["W_hh"], p["b_h"], activation)
    assert np.isinf(h).any() and not np.isnan(h).any() and not np.isnan(cache.z).any()
    back = rnn_backward(np.ones_like(h), cache)
    assert any(np.isinf(g).any() for g in back.values()) and not any(np.isnan(g).any() for g in back.values())
    loss, grads = rnn_loss_and_grads(p, x, y, activation=activation)
    assert loss == np.inf and not any(np.isnan(g).any() for g in grads.values())
    assert not np.isnan(hidden_jacobians(cache)).any()
    norms = jacobian_norms(cache)
    assert np.isinf(norms).any() and not np.isnan(norms).any()


def test_a_nan_output_gradient_is_refused_and_inf_is_kept():
    """Every helper reports an overflow as inf, so NaN in dh can only be a mistake: refused by name.
    inf in dh (an output gradient that overflowed) gives inf, never NaN."""
    p, x, _ = example_problem(T=3, B=1, D=2, H=2, K=1, seed=0)
    _, cache = rnn_forward(x, np.zeros((1, 2)), p["W_xh"], p["W_hh"], p["b_h"])
    dh = np.zeros((3, 1, 2))
    dh[2] = np.nan
    with pytest.raises(ValueError, match=r"^dh contains NaN; expected numbers \(inf allowed\)"):
        rnn_backward(dh, cache)
    dh[2] = np.inf
    grads = rnn_backward(dh, cache)
    assert not any(np.isnan(g).any() for g in grads.values()) and np.isinf(grads["W_hh"]).any()


def test_a_learners_activation_keeps_its_nan_in_the_backward_pass():
    """The overflow rule is for the course's activations: a learner's φ' that returns NaN is a bug
    to see, not an overflow to hide as inf."""
    from helpers.activations import Activation
    p, x, _ = example_problem(T=3, B=1, D=2, H=2, K=1, seed=0)
    broken = Activation("mine", np.tanh, lambda z: np.full(np.shape(z), np.nan), 1.0)
    _, cache = rnn_forward(x, np.zeros((1, 2)), p["W_xh"], p["W_hh"], p["b_h"], broken)
    grads = rnn_backward(np.ones((3, 1, 2)), cache)
    assert all(np.isnan(g).all() for g in grads.values())
    _, course = rnn_forward(x, np.zeros((1, 2)), p["W_xh"], p["W_hh"], p["b_h"], "tanh")
    assert all(np.isfinite(g).all() for g in rnn_backward(np.ones((3, 1, 2)), course).values())


def test_output_loss_refuses_nan_outputs_keeps_inf_and_names_o_and_y_when_they_differ():
    o, y = np.ones((4, 2, 3)), np.zeros((4, 2, 3))
    bad = o.copy()
    bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match=r"^o contains NaN"):
        output_loss(bad, y)
    bad[0, 0, 0] = np.inf
    value, do = output_loss(bad, y)
    assert value == np.inf and do[0, 0, 0] == np.inf and not np.isnan(do).any()
    for wrong in (o[:-1], o[:0], o.transpose(1, 0, 2)):
        with pytest.raises(ValueError, match=r"^o has shape .* but y has shape \(4, 2, 3\); expected y of shape"):
            output_loss(wrong, y)
    with pytest.raises(ValueError, match=r"^o has shape \(3, 2, 3\) but y has shape \(4, 2\)"):
        output_loss(o[:-1], np.zeros((4, 2), dtype=int), "softmax")
    with pytest.raises(ValueError, match=r"^o must have K >= 1 class scores"):
        output_loss(o[..., :0], np.zeros((4, 2), dtype=int), "softmax")


def test_x_and_y_with_different_steps_are_both_named():
    p, x, _ = example_problem(T=3, B=2, D=2, H=2, K=2, seed=0)
    with pytest.raises(ValueError, match=(
            r"x has T = 3 steps .* but y has T = 4 steps .*expected y of shape \(3, 2, 2\)")):
        rnn_loss_and_grads(p, x, np.zeros((4, 2, 2)))
    with pytest.raises(ValueError, match=r"x has T = 3 steps and B = 2 sequences .* but y has B = 1 sequences"):
        rnn_loss_and_grads(p, x, np.zeros((3, 1)), "softmax")


def test_log_spectral_norms_of_nan_empty_and_inf_matrices():
    with pytest.raises(ValueError, match="P contains NaN"):
        log_spectral_norms(np.full((2, 2), np.nan), 0.0)
    with pytest.raises(ValueError, match=r"P must hold matrices of shape \(n, m\) with n, m >= 1"):
        log_spectral_norms(np.empty((3, 0, 2)), np.zeros(3))
    assert log_spectral_norms(np.empty((0, 2, 2)), np.zeros(0)).shape == (0,)
    P = np.stack([np.diag([np.inf, 1.0]), np.diag([3.0, 4.0])])
    np.testing.assert_array_equal(log_spectral_norms(P, np.zeros(2)), [np.inf, np.log(4.0)])


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_a_bounded_activation_whose_net_input_overflows_is_refused_not_reported_as_inf(activation):
    """tanh and sigmoid states cannot overflow; a net input that is inf − inf has lost its sign, so the
    state is unknown: a clear error, not an inf state."""
    W_xh = np.array([[1e308, 1e308], [0.0, 0.0]])              # unit 0: W_xh x_1 = 2e308 → inf
    W_hh = np.array([[-1e308, -1e308], [0.0, 0.0]])            # and W_hh h_0 = −2e308 → −inf: inf − inf
    with pytest.raises(ValueError, match=r"x, W_xh, W_hh and b_h are too large for float64.*at step 1"):
        rnn_forward(np.ones((3, 1, 2)), np.ones((1, 2)), W_xh, W_hh, np.zeros(2), activation)


def test_product_norms_are_the_norms_of_the_products_of_the_last_steps():
    rng = np.random.default_rng(7)
    J = rng.normal(size=(5, 3, 4, 4))
    norms = product_norms(J)
    for b in range(3):
        P = np.eye(4)
        for k in range(5):
            if k:
                P = P @ J[5 - k, b]
            assert norms[k, b] == pytest.approx(np.linalg.norm(P, 2), rel=1e-12)


def test_product_norms_name_their_argument():
    with pytest.raises(ValueError, match=r"\bJ\b.*square"):
        product_norms(np.ones((3, 2, 2, 3)))
    with pytest.raises(ValueError, match=r"\bJ\b"):
        product_norms(np.full((3, 2, 2, 2), np.nan))


def test_readout_gradients_are_the_output_layer_backward():
    rng = np.random.default_rng(11)
    do, h, W_hy = rng.normal(size=(4, 3, 2)), rng.normal(size=(4, 3, 5)), rng.normal(size=(2, 5))
    dh, grads = readout_gradients(do, h, W_hy)
    assert np.allclose(dh, np.einsum("tbk,kh->tbh", do, W_hy), rtol=1e-14)
    assert np.allclose(grads["W_hy"], sum(np.outer(do[t, b], h[t, b]) for t in range(4) for b in range(3)), rtol=1e-13)
    assert np.allclose(grads["b_y"], do.sum(axis=(0, 1)), rtol=1e-14)
    with pytest.raises(ValueError, match=r"\bW_hy\b"):
        readout_gradients(do, h, np.ones((2, 4)))
