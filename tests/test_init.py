"""Making parameters (helpers.init): every initialiser against the draw it documents, written out
here with numpy's generator, and the singular values that orthogonal and identity starts promise;
every bad size, scale, kind or seed names its argument."""
import re

import numpy as np
import pytest

from helpers import init, tasks
from helpers.gru import gate_slice as gru_gate_slice
from helpers.init import INITS, clue_params, gru_params, lstm_params, recurrent_matrix, rnn_params
from helpers.lstm import GATES, gate_slice

# ---------------------------------------------------------------------------- recurrent_matrix

def test_gaussian_init_has_variance_scale_squared_over_H():
    W = recurrent_matrix(400, 0.7, "gaussian", seed=1)
    assert W.shape == (400, 400)
    assert abs(W.std() - 0.7 / np.sqrt(400)) < 0.02 * 0.7 / np.sqrt(400)


def test_orthogonal_and_identity_inits_have_all_singular_values_equal_to_scale():
    for kind in ("orthogonal", "identity"):
        W = recurrent_matrix(16, 1.3, kind, seed=2)
        np.testing.assert_allclose(W.T @ W, 1.69 * np.eye(16), atol=1e-12)
    np.testing.assert_array_equal(recurrent_matrix(4, 2.0, "identity"), 2.0 * np.eye(4))


def test_inits_are_seeded():
    a = recurrent_matrix(8, 1.0, "gaussian", seed=3)
    np.testing.assert_array_equal(a, recurrent_matrix(8, 1.0, "gaussian", seed=3))
    assert not np.array_equal(a, recurrent_matrix(8, 1.0, "gaussian", seed=4))


def test_gaussian_matrix_radius_near_one_and_norm_near_two():
    # Circular law (eigenvalues fill the unit disc) and the Marchenko–Pastur edge (σ₁ → 2).
    W = recurrent_matrix(400, 1.0, "gaussian", seed=0)
    assert 0.93 < np.abs(np.linalg.eigvals(W)).max() < 1.07
    assert 1.9 < np.linalg.norm(W, 2) < 2.1


def test_orthogonal_init_is_uniformly_random():
    """Haar-distributed: without the sign fix after QR, numpy's Householder QR makes every
    Q[0, 0] negative; with it, either sign is equally likely."""
    corner = np.array([recurrent_matrix(5, 1.0, "orthogonal", seed=s)[0, 0] for s in range(200)])
    assert 70 < np.sum(corner > 0) < 130
    assert abs(corner.mean()) < 0.1                                 # E Q[0, 0] = 0 for a Haar Q


def test_orthogonal_init_has_every_singular_value_and_eigenvalue_modulus_equal_to_scale():
    W = recurrent_matrix(7, 1.3, "orthogonal", seed=4)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), 1.3, rtol=1e-12)
    np.testing.assert_allclose(np.abs(np.linalg.eigvals(W)), 1.3, rtol=1e-10)
    np.testing.assert_array_equal(W, recurrent_matrix(7, 1.3, "orthogonal", seed=4))
    assert not np.array_equal(W, recurrent_matrix(7, 1.3, "orthogonal", seed=5))
    with pytest.raises(ValueError, match="scale must be a positive finite number, got -1"):
        recurrent_matrix(3, -1, "orthogonal")


@pytest.mark.parametrize("H, scale, seed", [(1, 1.0, 0), (5, 0.3, 1), (12, 2.5, 7), (40, 1.0, 3)])
def test_orthogonal_init_has_all_singular_values_equal_to_scale(H, scale, seed):
    W = recurrent_matrix(H, scale, "orthogonal", seed)
    assert W.shape == (H, H) and W.dtype == np.float64
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), np.full(H, scale), rtol=0, atol=1e-12)


@pytest.mark.parametrize("H, scale", [(1, 0.5), (3, 1.0), (6, 2.5)])
def test_identity_init_is_scale_times_the_identity(H, scale):
    np.testing.assert_array_equal(recurrent_matrix(H, scale, "identity", seed=4), scale * np.eye(H))
    np.testing.assert_array_equal(recurrent_matrix(H, scale, "identity", seed=0),
                                  recurrent_matrix(H, scale, "identity", seed=9))        # no randomness


@pytest.mark.parametrize("H, scale, seed", [(1, 1.0, 0), (4, 0.7, 3), (16, 2.0, 11)])
def test_gaussian_init_is_the_documented_draw(H, scale, seed):
    """Entries N(0, 1/H) times scale: numpy's standard normals from default_rng(seed), in order."""
    want = np.random.default_rng(seed).standard_normal((H, H)) * scale / np.sqrt(H)
    np.testing.assert_allclose(recurrent_matrix(H, scale, "gaussian", seed), want, rtol=1e-15, atol=0)
    np.testing.assert_allclose(recurrent_matrix(H, scale, seed=seed), want, rtol=1e-15, atol=0)    # the default


def test_every_init_is_listed_and_seeded():
    assert INITS == ("gaussian", "orthogonal", "identity")
    for kind in ("gaussian", "orthogonal"):
        a = recurrent_matrix(6, 1.0, kind, seed=5)
        np.testing.assert_array_equal(a, recurrent_matrix(6, 1.0, kind, seed=5))
        assert not np.array_equal(a, recurrent_matrix(6, 1.0, kind, seed=6))


@pytest.mark.parametrize("kwargs, message", [
    ({"H": 0}, "H must be an integer >= 1, got 0"),
    ({"H": 2.0}, "H must be an integer >= 1, got 2.0"),
    ({"H": True}, "H must be an integer >= 1, got True"),
    ({"scale": 0.0}, "scale must be a positive finite number, got 0.0"),
    ({"scale": np.inf}, "scale must be a positive finite number, got inf"),
    ({"scale": "big"}, "scale must be a positive finite number, got 'big'"),
    ({"init": "xavier"}, "init must be one of 'gaussian', 'orthogonal', 'identity'; got 'xavier'"),
    ({"init": None}, "init must be one of 'gaussian', 'orthogonal', 'identity'; got None"),
    ({"seed": -1}, "seed must be an integer >= 0 (a seed, so the run can be repeated), got -1"),
    ({"seed": 1.5}, "seed must be an integer >= 0 (a seed, so the run can be repeated), got 1.5"),
    ({"seed": None}, "seed must be an integer >= 0 (a seed, so the run can be repeated), got None"),
])
def test_recurrent_matrix_names_the_bad_argument(kwargs, message):
    args = {"H": 3, "scale": 1.0, "init": "gaussian", "seed": 0} | kwargs
    with pytest.raises(ValueError) as info:
        recurrent_matrix(**args)
    assert str(info.value) == message


# ---------------------------------------------------- rnn_params, example_problem, clue_params

def test_rnn_params_shapes_and_recurrent_weights():
    p = rnn_params(3, 7, 2, scale=1.5, init="orthogonal", seed=4)
    assert {k: v.shape for k, v in p.items()} == {"W_xh": (7, 3), "W_hh": (7, 7), "b_h": (7,),
                                                  "W_hy": (2, 7), "b_y": (2,)}
    np.testing.assert_array_equal(p["W_hh"], recurrent_matrix(7, 1.5, "orthogonal", 4))


def test_rnn_params_is_the_documented_draw():
    """W_xh ~ N(0, 1/D), then W_hy ~ N(0, 1/H), from default_rng(seed + 1); zero biases."""
    p = rnn_params(2, 3, 4, scale=0.8, init="gaussian", seed=6)
    rng = np.random.default_rng(7)
    np.testing.assert_allclose(p["W_xh"], rng.standard_normal((3, 2)) / np.sqrt(2), rtol=1e-15)
    np.testing.assert_allclose(p["W_hy"], rng.standard_normal((4, 3)) / np.sqrt(3), rtol=1e-15)
    np.testing.assert_allclose(p["W_hh"], np.random.default_rng(6).standard_normal((3, 3)) * 0.8 / np.sqrt(3),
                               rtol=1e-15)
    np.testing.assert_array_equal(p["b_h"], np.zeros(3))
    np.testing.assert_array_equal(p["b_y"], np.zeros(4))


def test_example_problem_is_seeded_and_shaped():
    p1, x1, y1 = init.example_problem(T=5, B=2, D=3, H=4, K=2, seed=3)
    p2, x2, y2 = init.example_problem(T=5, B=2, D=3, H=4, K=2, seed=3)
    assert x1.shape == (5, 2, 3) and y1.shape == (5, 2, 2)
    assert {k: v.shape for k, v in p1.items()} == {"W_xh": (4, 3), "W_hh": (4, 4), "b_h": (4,), "W_hy": (2, 4),
                                                   "b_y": (2,)}
    for k in p1:
        np.testing.assert_array_equal(p1[k], p2[k])
    with pytest.raises(ValueError, match="scale must be a positive"):
        init.example_problem(scale=-1)


def test_clue_params_shapes_and_scale():
    p = clue_params(200, scale=0.5, seed=1)
    V = len(tasks.VOCAB)
    assert {k: v.shape for k, v in p.items()} == {"W_xh": (200, V), "W_hh": (200, 200), "b_h": (200,),
                                                   "W_hy": (V, 200), "b_y": (V,)}
    assert np.std(p["W_hh"]) == pytest.approx(0.5 / np.sqrt(200), rel=0.02)
    assert np.std(p["W_xh"]) == pytest.approx(1.0, rel=0.05)
    with pytest.raises(ValueError, match="scale must be a positive"):
        clue_params(4, scale=-1.0)


# --------------------------------------------------------------------------------- lstm_params

def test_lstm_params_shapes_and_forget_gate_bias():
    D, H, K = 3, 5, 2
    p = lstm_params(D, H, K, seed=0, forget_bias=1.5)
    assert {k: v.shape for k, v in p.items()} == {"W_x": (4 * H, D), "W_h": (4 * H, H), "b": (4 * H,),
                                                  "W_hy": (K, H), "b_y": (K,)}
    assert all(v.dtype == np.float64 for v in p.values())
    # the gates are stacked in the order i, f, o, g: rows H … 2H-1 are the forget gate's
    assert GATES == ("i", "f", "o", "g") and gate_slice("f", H) == slice(H, 2 * H)
    np.testing.assert_array_equal(p["b"][H:2 * H], 1.5)
    np.testing.assert_array_equal(np.delete(p["b"], np.s_[H:2 * H]), 0.0)
    np.testing.assert_array_equal(p["b_y"], 0.0)
    np.testing.assert_array_equal(lstm_params(D, H, K, seed=0)["b"][H:2 * H], 1.0)      # the default: 1


@pytest.mark.parametrize("make, gates", [(lstm_params, 4), (gru_params, 3)], ids=["lstm", "gru"])
def test_gated_params_are_the_documented_draw(make, gates):
    """W_x, then W_h, then W_hy from default_rng(seed); std ``scale`` (default 1/√(D + H)), W_hy 1/√H."""
    D, H, K = 2, 3, 4
    for seed, scale in ((0, None), (7, 0.7)):
        rng = np.random.default_rng(seed)
        s = 1 / np.sqrt(D + H) if scale is None else scale
        p = make(D, H, K, seed, scale=scale)
        np.testing.assert_allclose(p["W_x"], rng.standard_normal((gates * H, D)) * s, rtol=1e-14)
        np.testing.assert_allclose(p["W_h"], rng.standard_normal((gates * H, H)) * s, rtol=1e-14)
        np.testing.assert_allclose(p["W_hy"], rng.standard_normal((K, H)) / np.sqrt(H), rtol=1e-14)


@pytest.mark.parametrize("make", [lstm_params, gru_params], ids=["lstm", "gru"])
def test_gated_params_seed_is_repeatable_and_different_seeds_differ(make):
    a, b, c = make(3, 4, 2, seed=5), make(3, 4, 2, seed=5), make(3, 4, 2, seed=6)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    for k in ("W_x", "W_h", "W_hy"):
        assert not np.array_equal(a[k], c[k]), k


@pytest.mark.parametrize("args, kwargs, message", [
    ((0, 2, 1), {}, "D must be an integer >= 1, got 0"),
    ((1, 0, 1), {}, "H must be an integer >= 1, got 0"),
    ((1, 2, 0), {}, "K must be an integer >= 1, got 0"),
    ((1, 2, 1, -1), {}, "seed must be an integer >= 0 (a seed, so the run can be repeated), got -1"),
    ((1, 2, 1, np.random.default_rng(0)), {},
     "seed must be an integer >= 0 (a seed, so the run can be repeated), got a Generator"),
])
def test_lstm_params_names_the_bad_argument(args, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        lstm_params(*args, **kwargs)
    with pytest.raises(TypeError):
        lstm_params(1, 2, 1, 0, 1.0)                     # forget_bias and scale are keyword-only


# ---------------------------------------------------------------------------------- gru_params

def test_gru_params_shapes_and_zero_biases():
    D, H, K = 3, 5, 2
    p = gru_params(D, H, K, seed=0)
    assert {k: v.shape for k, v in p.items()} == {"W_x": (3 * H, D), "W_h": (3 * H, H), "b_x": (3 * H,),
                                                  "b_h": (3 * H,), "W_hy": (K, H), "b_y": (K,)}
    assert all(v.dtype == np.float64 for v in p.values())
    for k in ("b_x", "b_h", "b_y"):
        np.testing.assert_array_equal(p[k], 0.0)
    assert gru_gate_slice("n", H) == slice(2 * H, 3 * H)         # rows r, z, n: the candidate's are last


def test_gru_params_default_scale_gives_the_documented_spread():
    p = gru_params(30, 70, 1, seed=2)
    assert np.std(np.concatenate([p["W_x"].ravel(), p["W_h"].ravel()])) == pytest.approx(0.1, rel=0.02)


@pytest.mark.parametrize("args, kwargs, message", [
    ((0, 2, 1), {}, "D must be an integer >= 1, got 0"),
    ((1, 0, 1), {}, "H must be an integer >= 1, got 0"),
    ((1, 2, 0), {}, "K must be an integer >= 1, got 0"),
    ((1, 2.0, 1), {}, "H must be an integer >= 1, got 2.0"),
    ((1, 2, 1, -1), {}, "seed must be an integer >= 0 (a seed, so the run can be repeated), got -1"),
    ((1, 2, 1, None), {}, "seed must be an integer >= 0 (a seed, so the run can be repeated), got None"),
    ((1, 2, 1), {"scale": -0.5}, "scale must be a positive finite number, got -0.5"),
    ((1, 2, 1), {"scale": float("nan")}, "scale must be a positive finite number, got nan"),
    ((1, 2, 1), {"scale": "0.5"}, "scale must be a positive finite number, got '0.5'"),
])
def test_gru_params_names_the_bad_argument(args, kwargs, message):
    with pytest.raises(ValueError) as info:
        gru_params(*args, **kwargs)
    assert str(info.value) == message
    with pytest.raises(TypeError):
        gru_params(1, 2, 1, 0, 0.5)                      # scale is keyword-only


# ----------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, message", [
    (lambda: recurrent_matrix(4, 1.0, "xavier"),
     "init must be one of 'gaussian', 'orthogonal', 'identity'; got 'xavier'"),
    (lambda: recurrent_matrix(4, -1.0), "scale must be a positive finite number, got -1.0"),
    (lambda: recurrent_matrix(0), "H must be an integer >= 1, got 0"),
    (lambda: rnn_params(3, 4, 2, init="he"), "init must be one of"),
])
def test_bad_input_raises_value_error_naming_the_argument(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


@pytest.mark.parametrize("kwargs, message", [
    ({"seed": 0.5}, "seed must be an integer >= 0"),
    ({"seed": None}, "seed must be an integer >= 0"),
    ({"T": 2.0}, "T must be an integer >= 1"),
    ({"scale": float("nan")}, "scale must be a positive finite number"),
])
def test_example_problem_validates_its_seed_and_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        init.example_problem(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"forget_bias": float("nan")}, "forget_bias must be a finite number"),
    ({"forget_bias": "1"}, "forget_bias must be a finite number"),
    ({"scale": -0.5}, "scale must be a positive finite number"),
])
def test_lstm_params_validates_forget_bias_and_scale(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lstm_params(1, 2, 1, **kwargs)


# ---------------------------------------------------------------- float64's edges (issue 16)

@pytest.mark.parametrize("make", [
    lambda s: recurrent_matrix(5, s, "gaussian", seed=3),
    lambda s: rnn_params(2, 5, 2, scale=s, seed=3),
    lambda s: init.example_problem(3, 2, 2, 5, 2, scale=s, seed=3),
    lambda s: clue_params(3, scale=s, seed=3),
    lambda s: lstm_params(2, 5, 2, 3, scale=s),          # numpy's normal() gave inf here, silently
    lambda s: gru_params(2, 5, 2, 3, scale=s),
])
def test_a_scale_whose_weights_overflow_is_refused_by_name(make):
    with pytest.raises(ValueError, match=r"^scale = 1\.7e\+308 is too large: scale times a normal draw "
                                         r"overflows float64; use a smaller scale"):
        make(1.7e308)
    tiny = make(1e-310)                                   # subnormal weights: the true draw, no warning
    params = tiny[0] if isinstance(tiny, tuple) else tiny
    assert all(np.isfinite(v).all() for v in (params.values() if isinstance(params, dict) else [params]))


def test_a_huge_scale_that_fits_gives_the_exact_scaled_matrix():
    for kind in ("orthogonal", "identity"):              # entries at most scale: no overflow
        W = recurrent_matrix(4, 1.7e308, kind, seed=0)
        np.testing.assert_array_equal(W, recurrent_matrix(4, 1.0, kind, seed=0) * 1.7e308)
