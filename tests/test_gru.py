"""The GRU (helpers.gru): one step against the equations written out unit by unit, every gradient
against central differences for random shapes, the one-step Jacobian and ‖∂h_T/∂h_{T−k}‖ against
perturbed forward runs and against a product of Jacobians taken here, the direct path against a
plain product of update gates, the output layer against the formulas, and bad input and float64's
edges. (Its initial parameters, helpers.init.gru_params, are tested in test_init.py.)"""
import re

import numpy as np
import pytest

from helpers import gru
from helpers.gradcheck import numerical_gradient, numerical_jacobian, relative_error
from helpers.init import gru_params
from helpers.rnn import rnn_forward

T, B, D, H, K = 6, 3, 2, 4, 3


def sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def problem(T, B, D, H, K, seed):
    """A GRU with nonzero biases of both kinds, inputs, an initial state and a stream for targets."""
    params = gru_params(D, H, K, seed=seed, scale=0.8)
    rng = np.random.default_rng(seed + 100)          # the rest of the problem: a stream of its own
    params["b_x"] += rng.normal(0, 0.5, 3 * H)
    params["b_h"] += rng.normal(0, 0.5, 3 * H)
    params["b_y"] += rng.normal(0, 0.3, K)
    return rng, params, rng.normal(size=(T, B, D)), rng.normal(0, 0.5, (B, H))


@pytest.fixture
def setup():
    return problem(T, B, D, H, K, seed=0)


def shapes(seed):
    """T in 1..6, B in 1..3, D in 1..4, H in 1..4, K in 1..3, drawn from the seed."""
    rng = np.random.default_rng(1000 + seed)
    return tuple(int(rng.integers(1, hi + 1)) for hi in (6, 3, 4, 4, 3))


# Five random draws (seeds 0–4), and one sequence step alone (T = 1), which no draw happens to give.
SHAPES = [(seed, shapes(seed)) for seed in range(5)] + [(5, (1, 2, 3, 2, 2))]


# ------------------------------------------------------------------------------- forward pass

def test_one_step_matches_the_equations_written_out_unit_by_unit():
    """H = 2, every sum written as a loop over scalars; rows r, z, n of the stacked weights, b_hn
    inside r ⊙ (…) (PyTorch's and cuDNN's form)."""
    Dm, Hm = 3, 2
    rng = np.random.default_rng(7)
    p = {"W_x": rng.normal(size=(3 * Hm, Dm)), "W_h": rng.normal(size=(3 * Hm, Hm)),
         "b_x": rng.normal(size=3 * Hm), "b_h": rng.normal(size=3 * Hm)}
    x = rng.normal(size=(4, 2, Dm))
    h0 = rng.normal(0, 0.5, (2, Hm))
    h, cache = gru.gru_forward(x, h0, p)
    for b in range(2):
        hv = [float(v) for v in h0[b]]
        for t in range(4):
            new = []
            for j in range(Hm):
                def part(row, t=t, b=b, hv=hv):
                    ax = sum(p["W_x"][row, d] * x[t, b, d] for d in range(Dm)) + p["b_x"][row]
                    ah = sum(p["W_h"][row, i] * hv[i] for i in range(Hm)) + p["b_h"][row]
                    return ax, ah
                ax_r, ah_r = part(j)
                ax_z, ah_z = part(Hm + j)
                ax_n, ah_n = part(2 * Hm + j)
                r = sig(ax_r + ah_r)
                z = sig(ax_z + ah_z)
                n = np.tanh(ax_n + r * ah_n)
                new.append((1 - z) * n + z * hv[j])
                assert cache.r[t, b, j] == pytest.approx(r, rel=1e-13)
                assert cache.z[t, b, j] == pytest.approx(z, rel=1e-13)
                assert cache.n[t, b, j] == pytest.approx(n, rel=1e-13, abs=1e-15)
                assert cache.hn[t, b, j] == pytest.approx(ah_n, rel=1e-13, abs=1e-15)
            hv = new
            np.testing.assert_allclose(h[t, b], hv, rtol=1e-13, atol=1e-15)


def test_gate_slice_and_gates_follow_pytorchs_row_order():
    assert gru.GATES == ("r", "z", "n")
    assert [gru.gate_slice(k, 5) for k in gru.GATES] == [slice(0, 5), slice(5, 10), slice(10, 15)]


def test_a_closed_update_gate_keeps_the_state_and_an_open_one_replaces_it(setup):
    """z ≈ 1 (a large b_z): h_t = h_{t-1} exactly in float64; z ≈ 0: h_t = n_t."""
    _, p, x, h0 = setup
    keep = dict(p, b_x=p["b_x"].copy())
    keep["b_x"][gru.gate_slice("z", H)] = 60.0
    h, _ = gru.gru_forward(x, h0, keep)
    np.testing.assert_array_equal(h, np.broadcast_to(h0, h.shape))
    new = dict(p, b_x=p["b_x"].copy())
    new["b_x"][gru.gate_slice("z", H)] = -60.0
    h, cache = gru.gru_forward(x, h0, new)
    np.testing.assert_array_equal(h, cache.n)


# ------------------------------------------------------------------------------- gradients

@pytest.mark.parametrize("seed, sizes", SHAPES)
def test_backward_matches_finite_differences_for_random_shapes(seed, sizes):
    """L = Σ R ⊙ h for a random R, so dh = R; every key of gru_backward against central differences."""
    Ts, Bs, Ds, Hs, Ks = sizes
    rng, p, x, h0 = problem(Ts, Bs, Ds, Hs, Ks, seed)
    R = rng.normal(size=(Ts, Bs, Hs))

    def L(_):
        return float(np.sum(R * gru.gru_forward(x, h0, p)[0]))

    g = gru.gru_backward(R, gru.gru_forward(x, h0, p)[1])
    assert set(g) == {"x", "h0", "W_x", "W_h", "b_x", "b_h"}
    for name, arr in [("x", x), ("h0", h0)] + [(k, p[k]) for k in ("W_x", "W_h", "b_x", "b_h")]:
        assert g[name].shape == arr.shape, name
        assert relative_error(g[name], numerical_gradient(L, arr)) <= 1e-7, (name, (Ts, Bs, Ds, Hs, Ks))


@pytest.mark.parametrize("loss", ["mse", "softmax"])
@pytest.mark.parametrize("seed, sizes", SHAPES)
def test_every_parameter_gradient_matches_finite_differences_with_masked_targets(seed, sizes, loss):
    """Sequence 1 has no target at step 1, and no sequence has one at step 2 (when T >= 3): the
    "no target" marks of helpers.rnn.output_loss (a NaN row for mse, label -1 for softmax)."""
    Ts, Bs, Ds, Hs, Ks = sizes
    rng, p, x, h0 = problem(Ts, Bs, Ds, Hs, Ks, seed)
    y = rng.normal(size=(Ts, Bs, Ks)) if loss == "mse" else rng.integers(0, Ks, size=(Ts, Bs))
    none = np.nan if loss == "mse" else -1
    y[0, 0] = none
    if Ts >= 3:
        y[1] = none
    has_target = ~np.isnan(y).all(axis=2) if loss == "mse" else y >= 0
    assert has_target.any() and not has_target.all()
    value, grads = gru.gru_loss_and_grads(p, x, y, loss, h0)
    assert set(grads) == set(p) == {"W_x", "W_h", "b_x", "b_h", "W_hy", "b_y"}
    assert np.isfinite(value)
    for name in p:
        num = numerical_gradient(lambda _: gru.gru_loss_and_grads(p, x, y, loss, h0)[0], p[name])
        assert relative_error(grads[name], num) <= 1e-7, (name, (Ts, Bs, Ds, Hs, Ks))


def test_steps_without_a_target_contribute_nothing(setup):
    """Blanking a step's target removes exactly its term: the loss with a single target left equals
    that target's ½‖o − y‖² / B, computed here from gru_outputs."""
    rng, p, x, h0 = setup
    y = np.full((T, B, K), np.nan)
    y[2, 1] = rng.normal(size=K)
    o, _, _ = gru.gru_outputs(p, x, h0)
    value, _ = gru.gru_loss_and_grads(p, x, y, "mse", h0)
    assert value == pytest.approx(0.5 * np.sum((o[2, 1] - y[2, 1]) ** 2) / B, rel=1e-13)


# ------------------------------------------------------------------------------- Jacobians

def test_state_jacobians_match_finite_differences_of_one_step(setup):
    _, p, x, h0 = setup
    _, cache = gru.gru_forward(x, h0, p)
    J = gru.state_jacobians(cache)
    assert J.shape == (T, B, H, H)
    for t in (0, 3, T - 1):
        h_prev = h0 if t == 0 else cache.h[t - 1]
        for b in range(B):
            def step(v, t=t, b=b):
                return gru.gru_forward(x[t:t + 1, b:b + 1], v[None], p)[0][0, 0]
            assert relative_error(J[t, b], numerical_jacobian(step, h_prev[b])) <= 1e-7, (t, b)


def test_hidden_jacobian_norms_are_the_norms_of_the_product_of_step_jacobians(setup):
    """‖J_T ⋯ J_{T−k+1}‖₂, the product and the norm taken here with plain numpy."""
    _, p, x, h0 = setup
    _, cache = gru.gru_forward(x, h0, p)
    J = gru.state_jacobians(cache)
    norms = gru.hidden_jacobian_norms(cache)
    assert norms.shape == (T, B)
    for b in range(B):
        P = np.eye(H)
        for k in range(T):
            if k:
                P = P @ J[T - k, b]
            assert norms[k, b] == pytest.approx(np.linalg.norm(P, 2), rel=1e-12), (k, b)
    np.testing.assert_allclose(norms[0], 1.0, rtol=1e-15)


def test_hidden_jacobian_norms_match_a_perturbed_forward_run(setup):
    """Nudge h_s (s = T − k) and run the GRU on from there: ‖∂h_T/∂h_s‖₂ by central differences."""
    _, p, x, h0 = setup
    _, cache = gru.gru_forward(x, h0, p)
    norms = gru.hidden_jacobian_norms(cache)
    for k in (1, 3, T - 1):
        s = T - 1 - k
        for b in range(B):
            def last(v, b=b, s=s):
                return gru.gru_forward(x[s + 1:, b:b + 1], v[None], p)[0][-1, 0]
            num = numerical_jacobian(last, cache.h[s, b])
            assert norms[k, b] == pytest.approx(np.linalg.norm(num, 2), rel=1e-7), (k, b)


def test_update_products_are_the_direct_path_alone(setup):
    _, p, x, h0 = setup
    _, cache = gru.gru_forward(x, h0, p)
    P = gru.update_products(cache)
    assert P.shape == (T, B, H)
    np.testing.assert_array_equal(P[0], 1.0)
    for k in range(1, T):
        want = np.ones((B, H))
        for j in range(1, k + 1):
            want = want * cache.z[T - j]
        np.testing.assert_allclose(P[k], want, rtol=1e-14)


def test_with_the_candidate_frozen_the_jacobian_is_the_direct_path():
    """W_h = 0 cuts every path through the gates and the candidate: ∂h_t/∂h_{t-1} = diag(z_t), so
    ‖∂h_T/∂h_{T−k}‖₂ is the largest entry of update_products' [k]."""
    p = gru_params(2, 3, 1, seed=4)
    p["W_h"][:] = 0.0
    x = np.random.default_rng(5).normal(size=(7, 2, 2))
    _, cache = gru.gru_forward(x, np.zeros((2, 3)), p)
    np.testing.assert_array_equal(gru.state_jacobians(cache), cache.z[..., :, None] * np.eye(3))
    np.testing.assert_allclose(gru.hidden_jacobian_norms(cache), gru.update_products(cache).max(axis=2),
                               rtol=1e-13)


# ------------------------------------------------------------------------------- output layer

def test_outputs_and_loss_against_the_formulas(setup):
    """o[t] = W_hy h[t] + b_y written out unit by unit, and the mse and softmax losses written out
    (the gradient checks differentiate whatever loss the code computes, so they cannot catch a
    wrong output layer)."""
    rng, p, x, h0 = setup
    o, h, _ = gru.gru_outputs(p, x, h0)
    want = np.array([[[sum(p["W_hy"][k, j] * h[t, n, j] for j in range(H)) + p["b_y"][k] for k in range(K)]
                      for n in range(B)] for t in range(T)])
    np.testing.assert_allclose(o, want, rtol=1e-13)
    np.testing.assert_array_equal(h, gru.gru_forward(x, h0, p)[0])
    np.testing.assert_array_equal(gru.gru_outputs(p, x)[1], gru.gru_forward(x, np.zeros((B, H)), p)[0])
    y = rng.normal(size=(T, B, K))
    mse = sum(0.5 * np.sum((want[t, n] - y[t, n]) ** 2) for t in range(T) for n in range(B)) / B
    assert gru.gru_loss_and_grads(p, x, y, "mse", h0)[0] == pytest.approx(mse, rel=1e-13)
    labels = rng.integers(0, K, size=(T, B))
    xent = sum(np.log(np.sum(np.exp(want[t, n]))) - want[t, n, labels[t, n]] for t in range(T) for n in range(B)) / B
    assert gru.gru_loss_and_grads(p, x, labels, "softmax", h0)[0] == pytest.approx(xent, rel=1e-13)


# ------------------------------------------------------------------------------- bad input

def test_bad_inputs_name_the_argument(setup):
    _, p, x, h0 = setup
    with pytest.raises(ValueError, match=r"^h0 must have shape \(3, 4\), got shape \(3, 2\)"):
        gru.gru_forward(x, h0[:, :2], p)
    with pytest.raises(ValueError, match=r"^params is missing W_h; expected keys W_x \(3H, D\)"):
        gru.gru_forward(x, h0, {k: v for k, v in p.items() if k != "W_h"})
    with pytest.raises(ValueError, match=r"^params is missing b_h"):
        gru.gru_forward(x, h0, {k: v for k, v in p.items() if k != "b_h"})
    with pytest.raises(ValueError, match=r"^params\['W_h'\] must have shape \(12, 4\), got shape \(8, 4\)"):
        gru.gru_forward(x, h0, dict(p, W_h=p["W_h"][:8]))
    with pytest.raises(ValueError, match=r"^params\['W_x'\] must have shape \(12, D\), got shape \(8, 2\)"):
        gru.gru_forward(x, h0, dict(p, W_x=p["W_x"][:8]))
    with pytest.raises(ValueError, match=r"^params\['b_x'\] must have shape \(12,\)"):
        gru.gru_forward(x, h0, dict(p, b_x=p["b_x"][:4]))
    with pytest.raises(ValueError, match=r"^params must be a dict with keys W_x, W_h, b_x, b_h"):
        gru.gru_forward(x, h0, [p["W_x"], p["W_h"]])
    with pytest.raises(ValueError, match=r"^x must have shape \(T, B, D\) with T >= 1"):
        gru.gru_forward(x[:0], h0, p)
    with pytest.raises(ValueError, match="name must be one of 'r', 'z', 'n'"):
        gru.gate_slice("f", H)
    with pytest.raises(ValueError, match="H must be an integer >= 1"):
        gru.gate_slice("z", 0)


@pytest.mark.parametrize("where", ["x", "h0", "W_x", "W_h", "b_x", "b_h"])
def test_nan_anywhere_in_the_input_is_refused_by_name(setup, where):
    _, p, x, h0 = setup
    args = {"x": x.copy(), "h0": h0.copy(), "params": {k: v.copy() for k, v in p.items()}}
    target = args["params"][where] if where.startswith(("W", "b")) else args[where]
    target.flat[1] = np.nan
    name = f"params['{where}']" if where.startswith(("W", "b")) else where
    with pytest.raises(ValueError, match="^" + re.escape(f"{name} contains NaN or inf")):
        gru.gru_forward(**args)


def test_x_that_does_not_fit_W_x_names_both(setup):
    _, p, x, h0 = setup
    with pytest.raises(ValueError, match=r"^x has D = 3 numbers per step .* but params\['W_x'\] has shape "
                                         r"\(12, 2\), which takes D = 2"):
        gru.gru_forward(np.zeros((T, B, 3)), h0, p)
    with pytest.raises(ValueError, match=r"^x has D = 6 numbers per step"):
        gru.gru_outputs(p, x.transpose(2, 1, 0))


def test_the_cache_and_dh_are_checked(setup):
    _, p, x, h0 = setup
    _, cache = gru.gru_forward(x, h0, p)
    with pytest.raises(ValueError, match=r"^dh must have shape \(6, 3, 4\), got shape \(6, 3, 5\)"):
        gru.gru_backward(np.zeros((T, B, H + 1)), cache)
    rnn_cache = rnn_forward(x, h0, np.zeros((H, D)), np.zeros((H, H)), np.zeros(H))[1]
    for f in (gru.state_jacobians, gru.hidden_jacobian_norms, gru.update_products):
        with pytest.raises(ValueError, match="^cache must be the GRUCache returned by gru_forward, got RNNCache"):
            f(rnn_cache)
    with pytest.raises(ValueError, match="^cache must be the GRUCache returned by gru_forward, got dict"):
        gru.gru_backward(np.zeros((T, B, H)), {})


def test_the_output_layer_and_targets_are_checked(setup):
    _, p, x, h0 = setup
    with pytest.raises(ValueError, match=r"^params\['W_hy'\] must have shape \(K, 4\)"):
        gru.gru_outputs(dict(p, W_hy=np.zeros((K, H + 1))), x)
    with pytest.raises(ValueError, match="^params is missing W_hy"):
        gru.gru_loss_and_grads({k: v for k, v in p.items() if k != "W_hy"}, x, np.zeros((T, B, K)))
    with pytest.raises(ValueError, match=r"^x has T = 6 steps .* but y has T = 5 steps"):
        gru.gru_loss_and_grads(p, x, np.zeros((T - 1, B, K)))
    with pytest.raises(ValueError, match="^loss must be one of 'mse', 'softmax'"):
        gru.gru_loss_and_grads(p, x, np.zeros((T, B, K)), loss="mae")


# ------------------------------------------------------------------------------- float64's edges

def test_nan_in_dh_is_refused_by_name_and_inf_gives_inf(setup):
    """Every helper reports an overflow as inf, so a NaN output gradient can only be a mistake."""
    _, p, x, h0 = setup
    _, cache = gru.gru_forward(x, h0, p)
    bad = np.zeros((T, B, H))
    bad[1, 0, 0] = np.nan
    with pytest.raises(ValueError, match=r"^dh contains NaN; expected numbers \(inf allowed\)"):
        gru.gru_backward(bad, cache)
    bad[1, 0, 0] = np.inf
    grads = gru.gru_backward(bad, cache)
    assert not any(np.isnan(g).any() for g in grads.values()) and np.isinf(grads["W_x"]).any()


def test_huge_output_weights_give_inf_gradients_never_nan(setup):
    """W_hy ~ 1e200: the outputs reach 1e200, the loss and ∂L/∂h overflow to inf, and every
    gradient that passes through h is inf (or finite), never NaN, without a warning."""
    rng, p, x, h0 = setup
    p = dict(p, W_hy=p["W_hy"] * 1e200)
    value, grads = gru.gru_loss_and_grads(p, x, rng.normal(size=(T, B, K)), "mse", h0)
    assert value == np.inf
    assert not any(np.isnan(g).any() for g in grads.values())
    assert all(np.isinf(grads[k]).any() for k in ("W_x", "W_h", "b_x", "b_h"))
    assert np.isfinite(grads["W_hy"]).all()


def test_a_recurrent_product_beyond_float64_is_inf_and_the_rest_exact():
    """h stays 0 (x = 0, h0 = 0, zero biases), so r = z = ½, n = 0 and every step's Jacobian is
    the 1 × 1 matrix z + (1 − z) r W_hn = ½ + ¼ W_hn: ‖∂h_T/∂h_{T−k}‖ = (½ + ¼ W_hn)^k, beyond
    float64 from k = 33 on with W_hn = 1e10; the backward pass then reports ∂L/∂h_0 as inf."""
    p = {"W_x": np.ones((3, 1)), "W_h": np.array([[0.0], [0.0], [1e10]]), "b_x": np.zeros(3), "b_h": np.zeros(3)}
    _, cache = gru.gru_forward(np.zeros((40, 1, 1)), np.zeros((1, 1)), p)
    norms = gru.hidden_jacobian_norms(cache)[:, 0]
    gain = 0.5 + 0.25e10
    k = np.arange(40)
    finite = k * np.log10(gain) < np.log10(np.finfo(float).max)
    assert finite[:33].all() and not finite[33:].any()
    np.testing.assert_allclose(norms[finite], gain ** k[finite], rtol=1e-12)
    assert np.isinf(norms[~finite]).all()
    dh = np.zeros((40, 1, 1))
    dh[-1] = 1.0
    grads = gru.gru_backward(dh, cache)
    assert grads["h0"][0, 0] == np.inf
    assert not any(np.isnan(g).any() for g in grads.values())


def test_a_recurrent_product_below_float64_is_zero_and_the_rest_exact():
    """W_h = 0 and b_z = −30: ∂h_t/∂h_{t-1} = z ≈ σ(−30) ≈ 9.4e-14 each step, so ‖∂h_T/∂h_{T−k}‖ = z^k
    falls below the smallest float64 (about 4.9e-324) from k = 25 on: 0 there, never NaN, and exact
    (renormalised) before, subnormal range included."""
    p = {"W_x": np.zeros((3, 1)), "W_h": np.zeros((3, 1)), "b_x": np.array([0.0, -30.0, 0.0]), "b_h": np.zeros(3)}
    _, cache = gru.gru_forward(np.zeros((40, 1, 1)), np.zeros((1, 1)), p)
    norms = gru.hidden_jacobian_norms(cache)[:, 0]
    z = cache.z[0, 0, 0]                   # σ(−30) as the cell rounds it (to about 3 digits: 0.5 + 0.5 tanh(−15))
    assert z == pytest.approx(1.0 / (1.0 + np.exp(30.0)), rel=1e-2)
    np.testing.assert_array_equal(cache.z, z)
    log_norm = np.arange(40) * np.log(z)
    representable = log_norm > np.log(5e-324)
    assert representable[:24].all() and not representable[25:].any()
    normal = log_norm > np.log(np.finfo(float).tiny)
    np.testing.assert_allclose(norms[normal], np.exp(log_norm[normal]), rtol=1e-12)
    assert (norms[25:] == 0.0).all() and not np.isnan(norms).any()


def test_a_huge_input_saturates_the_gates_exactly_without_a_warning(setup):
    """x_1 = 1e308 in one sequence, with weights below 1: no pre-activation overflows, the gates
    are σ(±huge) ∈ {0, 1} and n = ±1 exactly, and the other sequences are untouched."""
    _, p, x, h0 = setup
    p = dict(p, W_x=p["W_x"] / (2 * np.abs(p["W_x"]).max()))    # |entries| <= 0.5
    huge = x.copy()
    huge[0, 0, 0] = 1e308
    h, cache = gru.gru_forward(huge, h0, p)
    sign = np.sign(p["W_x"][:, 0])
    np.testing.assert_array_equal(cache.r[0, 0], sign[:H] > 0)
    np.testing.assert_array_equal(cache.z[0, 0], sign[H:2 * H] > 0)
    np.testing.assert_array_equal(cache.n[0, 0], sign[2 * H:])
    np.testing.assert_array_equal(h[:, 1:], gru.gru_forward(x, h0, p)[0][:, 1:])
    loss, grads = gru.gru_loss_and_grads(p, huge, np.zeros((T, B, K)), "mse", h0)
    assert np.isfinite(loss) and not any(np.isnan(g).any() for g in grads.values())


@pytest.mark.parametrize("x0", [[1.7e308, 1.7e308], [1.7e308, 0.0]])
def test_a_pre_activation_beyond_float64_is_refused_naming_x(x0):
    """2 · 1.7e308 − 2 · 1.7e308 is 0, but its partial sum overflows: the sign is lost, so no gate
    is defined; 2 · 1.7e308 alone is beyond float64 too."""
    p = {"W_x": np.tile([[2.0, -2.0]], (3, 1)), "W_h": np.zeros((3, 1)), "b_x": np.zeros(3), "b_h": np.zeros(3)}
    with pytest.raises(ValueError, match=r"^x, h0 and params \(W_x, W_h, b_x, b_h\) give a gate pre-activation "
                                         r"beyond float64 at step t = 1"):
        gru.gru_forward(np.array(x0).reshape(1, 1, 2), np.zeros((1, 1)), p)


def test_a_recurrent_part_beyond_float64_is_refused():
    """W_hn h_1 + b_hn = 1.7e308 · (h_1 + 1) overflows at step 2 although the reset gate (σ(−800) = 0
    in float64) would scale it down: hn cannot be stored, so the step is refused, by name."""
    p = {"W_x": np.array([[0.0], [0.0], [1.0]]), "W_h": np.array([[0.0], [0.0], [1.7e308]]),
         "b_x": np.array([-800.0, 0.0, 0.0]), "b_h": np.array([0.0, 0.0, 1.7e308])}
    h, _ = gru.gru_forward(np.ones((1, 1, 1)), np.zeros((1, 1)), p)     # step 1 alone: h_0 = 0, fine
    assert h[0, 0, 0] == pytest.approx(0.5 * np.tanh(1.0), rel=1e-15)
    with pytest.raises(ValueError, match=r"^x, h0 and params \(W_x, W_h, b_x, b_h\) give .* at step t = 2"):
        gru.gru_forward(np.ones((2, 1, 1)), np.zeros((1, 1)), p)
