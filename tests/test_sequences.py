"""Sequences as data (helpers.sequences): tokens, vocabularies, one-hot and bags of words, padding,
the order tests and naive forecasts, and the memory of a perturbation against two forward runs.
(The orthogonal W_hh these tests use, helpers.init.recurrent_matrix, is tested in test_init.py.)"""
import warnings
from collections import Counter

import numpy as np
import pytest

from helpers import sequences as sq
from helpers.init import recurrent_matrix
from helpers.rnn import hidden_jacobians, rnn_forward

A = "The movie my friend has not seen is good"
B = "The movie my friend has seen is not good"


def test_tokenize_lowercases_and_splits_punctuation():
    assert sq.tokenize("The movie, my friend's!") == ["the", "movie", ",", "my", "friend's", "!"]
    assert sq.tokenize("  ") == []
    with pytest.raises(ValueError, match="text must be a string"):
        sq.tokenize(["the"])


def test_vocabulary_in_order_of_first_appearance_with_pad_first():
    vocab = sq.build_vocabulary([["b", "a"], ["a", "c"]])
    assert vocab == {"<pad>": 0, "b": 1, "a": 2, "c": 3}
    assert sq.build_vocabulary([["b", "a"]], pad=None) == {"b": 0, "a": 1}
    with pytest.raises(ValueError, match="token_lists must be a non-empty list"):
        sq.build_vocabulary([])
    with pytest.raises(ValueError, match=r"token_lists\[0\] must be a list of token strings"):
        sq.build_vocabulary(["a sentence, not tokens"])


def test_one_hot_has_one_one_per_row_at_the_token_index():
    tokens = sq.tokenize(A)
    vocab = sq.build_vocabulary([tokens])
    m = sq.one_hot(tokens, vocab)
    assert m.shape == (len(tokens), len(vocab)) and m.dtype == np.float64
    np.testing.assert_array_equal(m.sum(axis=1), 1.0)
    assert [vocab[t] for t in tokens] == list(m.argmax(axis=1))
    with pytest.raises(ValueError, match=r"not in vocab: \['cat'\]"):
        sq.one_hot(["the", "cat"], vocab)
    with pytest.raises(ValueError, match=r"vocab must be a dict \{token: index\} \(from build_vocabulary\), got list"):
        sq.one_hot(tokens, list(vocab))
    with pytest.raises(ValueError, match=r"tokens must be a list of token strings \(use tokenize\(text\)\), got \{"):
        sq.one_hot(vocab, tokens)                                  # arguments swapped
    with pytest.raises(ValueError, match="tokens must be a list of token strings .* got None"):
        sq.one_hot(None, vocab)
    with pytest.raises(ValueError, match="token_lists must be a non-empty list of token lists, got None"):
        sq.build_vocabulary(None)
    with pytest.raises(ValueError, match=r"vocab must map its tokens to the indices 0 … V-1"):
        sq.one_hot(["the"], {"the": 1, "dog": 2})                  # indices from 1, as a learner might


def test_bag_of_words_counts_and_forgets_order():
    ta, tb = sq.tokenize(A), sq.tokenize(B)
    vocab = sq.build_vocabulary([ta, tb])
    bag = sq.bag_of_words(ta + ["the"], vocab)
    counts = Counter(ta + ["the"])
    assert all(bag[i] == counts.get(word, 0) for word, i in vocab.items())
    np.testing.assert_array_equal(sq.bag_of_words(ta, vocab), sq.bag_of_words(tb, vocab))
    assert not np.array_equal(sq.one_hot(ta, vocab), sq.one_hot(tb, vocab))


def test_pad_batch_is_time_major_with_zeros_and_a_mask():
    s0 = np.arange(6.0).reshape(3, 2)
    s1 = np.array([[7.0, 8.0]])
    x, mask = sq.pad_batch([s0, s1])
    assert x.shape == (3, 2, 2) and mask.shape == (3, 2)
    np.testing.assert_array_equal(x[:, 0], s0)
    np.testing.assert_array_equal(x[0, 1], [7.0, 8.0])
    np.testing.assert_array_equal(x[1:, 1], 0.0)
    np.testing.assert_array_equal(mask, [[True, True], [True, False], [True, False]])
    with pytest.raises(ValueError, match=r"sequences\[1\] must have shape \(T, 2\), got shape \(1, 3\)"):
        sq.pad_batch([s0, np.ones((1, 3))])
    with pytest.raises(ValueError, match="non-empty list"):
        sq.pad_batch([])


def test_lag_autocorrelation_matches_pearson_and_known_cases():
    rng = np.random.default_rng(0)
    s = rng.standard_normal(50).cumsum()
    assert sq.lag_autocorrelation(s) == pytest.approx(np.corrcoef(s[:-1], s[1:])[0, 1], rel=1e-12)
    assert sq.lag_autocorrelation(s, lag=3) == pytest.approx(np.corrcoef(s[:-3], s[3:])[0, 1], rel=1e-12)
    assert sq.lag_autocorrelation([1.0, -1.0] * 10) == pytest.approx(-1.0)
    assert sq.lag_autocorrelation(np.arange(10.0)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="must not be constant"):
        sq.lag_autocorrelation(np.ones(10))
    with pytest.raises(ValueError, match="at least lag \\+ 2 = 3 values, got 2"):
        sq.lag_autocorrelation([1.0, 2.0])
    with pytest.raises(ValueError, match=r"series must have 1 dimensions"):
        sq.lag_autocorrelation(np.ones((3, 3)))


def test_shuffled_statistic_is_seeded_and_keeps_the_values():
    s = np.arange(40.0)
    a = sq.shuffled_statistic(s, sq.lag_autocorrelation, 200, seed=1)
    b = sq.shuffled_statistic(s, sq.lag_autocorrelation, 200, seed=1)
    c = sq.shuffled_statistic(s, sq.lag_autocorrelation, 200, seed=2)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert abs(a.mean()) < 0.1 and a.max() < 0.9          # shuffling destroys the ramp's order
    sums = sq.shuffled_statistic(s, np.sum, 5, seed=0)     # the same values, only reordered
    np.testing.assert_allclose(sums, s.sum())
    firsts = sq.shuffled_statistic(s, lambda v: v[0], 50, seed=0)
    assert len(set(firsts)) > 1
    with pytest.raises(ValueError, match="statistic must be a function"):
        sq.shuffled_statistic(s, 3.0)
    with pytest.raises(ValueError, match="n_shuffles must be an integer >= 1"):
        sq.shuffled_statistic(s, np.sum, 0)


def test_naive_forecasts():
    X = np.array([[1.0, 2.0, 6.0], [4.0, 4.0, 1.0]])
    np.testing.assert_array_equal(sq.naive_forecast(X), [6.0, 1.0])
    np.testing.assert_allclose(sq.naive_forecast(X, "mean"), [3.0, 3.0])
    with pytest.raises(ValueError, match="method must be one of 'last', 'mean'; got 'median'"):
        sq.naive_forecast(X, "median")


def _net(H=5, D=3, T=12, B=2, scale=0.9, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((T, B, D)), rng.standard_normal((H, D)),
            recurrent_matrix(H, scale, "orthogonal", seed + 1), 0.1 * rng.standard_normal(H))


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "linear"])
def test_perturbation_response_equals_the_difference_of_two_runs(activation):
    x, W_xh, W_hh, b_h = _net()
    delta = np.array([[0.3, -0.2, 0.1], [0.0, 0.5, -0.4]])
    h0 = np.full((2, 5), 0.1)
    x2 = x.copy()
    x2[0] += delta
    expected = (rnn_forward(x2, h0, W_xh, W_hh, b_h, activation)[0]
                - rnn_forward(x, h0, W_xh, W_hh, b_h, activation)[0])
    got = sq.perturbation_response(x, W_xh, W_hh, b_h, delta, activation, h0=h0)
    np.testing.assert_allclose(got, expected, atol=1e-14)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_tiny_perturbations_stay_exact_where_two_runs_lose_them_to_round_off(activation):
    # For a change of 1e-12 the response is, to first order, the Jacobian product applied to
    # Δh_0 = diag(φ'(z_0)) W_xh δ; computed here from helpers.rnn independently.
    x, W_xh, W_hh, b_h = _net(B=1, T=30, scale=0.7)
    delta = np.array([1e-12, 0.0, 0.0])
    _, cache = rnn_forward(x, np.zeros((1, 5)), W_xh, W_hh, b_h, activation)
    J = hidden_jacobians(cache)[:, 0]
    v = cache.activation.df(cache.z[0, 0]) * (W_xh @ delta)
    expected = [v]
    for t in range(1, 30):
        v = J[t] @ v
        expected.append(v)
    got = sq.perturbation_response(x, W_xh, W_hh, b_h, delta, activation)[:, 0]
    np.testing.assert_allclose(got, np.array(expected), rtol=1e-9, atol=0)
    assert np.linalg.norm(got[-1]) < 1e-16                 # far below what two runs could resolve


@pytest.mark.parametrize("activation", ["tanh", "linear"])
@pytest.mark.parametrize("scale", [0.5, 1.0, 1.7])
def test_the_change_grows_at_most_by_the_scale_per_step(activation, scale):
    x, W_xh, W_hh, b_h = _net(scale=scale, T=25)
    norms = np.linalg.norm(sq.perturbation_response(x, W_xh, W_hh, b_h, np.ones(3), activation), axis=-1)
    assert np.all(norms[1:] <= scale * norms[:-1] * (1 + 1e-12))
    if activation == "linear":                              # orthogonal × scale: exactly scale^t
        np.testing.assert_allclose(norms, norms[0] * scale ** np.arange(25)[:, None], rtol=1e-10)


def test_perturbation_response_saturated_and_bad_input():
    x, W_xh, W_hh, b_h = _net()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = sq.perturbation_response(1e3 * x, W_xh, W_hh, b_h, 1e3 * np.ones(3))
    assert np.all(np.isfinite(out))
    with pytest.raises(ValueError, match=r"delta must have shape \(2, 3\), got shape \(2, 2\)"):
        sq.perturbation_response(x, W_xh, W_hh, b_h, np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"W_xh must have shape \(5, D\), got shape \(3, 5\)"):
        sq.perturbation_response(x, W_xh.T, W_hh, b_h, np.ones(3))
    with pytest.raises(ValueError, match="activation"):
        sq.perturbation_response(x, W_xh, W_hh, b_h, np.ones(3), "softsign")


def test_perturbation_response_of_a_custom_activation_matches_two_forward_runs():
    from helpers.activations import Activation
    from helpers.rnn import rnn_forward
    softsign = Activation("softsign", lambda z: z / (1 + np.abs(z)), lambda z: 1 / (1 + np.abs(z)) ** 2, 1.0)
    x, W_xh, W_hh, b_h = _net()
    delta = np.full(x.shape[2], 0.1)
    x2 = x.copy()
    x2[0] += delta
    h0 = np.zeros((x.shape[1], W_hh.shape[0]))
    expected = rnn_forward(x2, h0, W_xh, W_hh, b_h, softsign)[0] - rnn_forward(x, h0, W_xh, W_hh, b_h, softsign)[0]
    np.testing.assert_allclose(sq.perturbation_response(x, W_xh, W_hh, b_h, delta, softsign), expected,
                               rtol=1e-9, atol=1e-15)


# ---------------------------------------------------------------- lesson 02's memory-fade network

def test_memory_fade_network_draws_its_weights_in_a_fixed_order():
    net = sq.memory_fade_network(1.3, T=7, H=5, seed=4, input_scale=0.1)
    rng = np.random.default_rng(4)                        # the documented order of the draws
    np.testing.assert_array_equal(net["x"], rng.standard_normal((7, 1, 1)))
    np.testing.assert_array_equal(net["W_xh"], 0.1 * rng.standard_normal((5, 1)))
    np.testing.assert_array_equal(net["b_h"], 0.1 * rng.standard_normal(5))
    np.testing.assert_array_equal(net["W_hh"], recurrent_matrix(5, 1.3, "orthogonal", 5))
    # λ₁ × an orthogonal matrix: every singular value is λ₁, and so is the spectral radius
    np.testing.assert_allclose(np.linalg.svd(net["W_hh"], compute_uv=False), 1.3, rtol=1e-12)
    np.testing.assert_allclose(np.abs(np.linalg.eigvals(net["W_hh"])).max(), 1.3, rtol=1e-12)
    weak = sq.memory_fade_network(1.3, T=7, H=5, seed=4)
    np.testing.assert_allclose(net["W_xh"], 0.1 * weak["W_xh"], rtol=1e-15)
    for bad, match in [({"scale": 0}, "scale must be a positive finite number, got 0"),
                       ({"input_scale": -1}, "input_scale must be a positive finite number, got -1"),
                       ({"T": 1}, "T must be an integer >= 2, got 1"),
                       ({"seed": -1}, r"seed must be an integer >= 0 \(a seed, so the run can be repeated\), got -1")]:
        with pytest.raises(ValueError, match=match):
            sq.memory_fade_network(**{"scale": 1.0, **bad})


@pytest.mark.parametrize("activation", ["tanh", "linear"])
def test_memory_fade_norms_equal_two_forward_runs(activation):
    T, H = 20, 6
    norms = sq.memory_fade_norms(1.6, activation, T=T, H=H, seed=3, input_scale=0.5)
    net = sq.memory_fade_network(1.6, T=T, H=H, seed=3, input_scale=0.5)
    x2 = net["x"].copy()
    x2[0] += 1.0
    args = (net["W_xh"], net["W_hh"], net["b_h"], activation)
    diff = rnn_forward(x2, np.zeros((1, H)), *args)[0] - rnn_forward(net["x"], np.zeros((1, H)), *args)[0]
    np.testing.assert_allclose(norms, np.linalg.norm(diff[:, 0], axis=-1), rtol=1e-9)
    with pytest.raises(ValueError, match=r"activation must be one of 'tanh', 'linear'; got 'relu'"):
        sq.memory_fade_norms(1.0, "relu")


def test_tanh_keeps_the_change_bounded_by_the_width_of_its_range():
    # |tanh| < 1, so two states differ by less than 2 in every unit: ‖Δh_t‖ < 2√H at any λ₁
    for scale in (1.5, 2.0, 3.0):
        for input_scale in (1.0, 0.1):
            norms = sq.memory_fade_norms(scale, T=60, H=9, seed=1, input_scale=input_scale)
            assert norms.max() < 2 * np.sqrt(9)


def test_fade_verdict_names_the_bands_of_the_ratio():
    cases = [(0.0, "tanh", "fades"), (9.99e-4, "linear", "fades"), (1e-3, "tanh", "fades slowly"),
             (0.0999, "tanh", "fades slowly"), (0.1, "tanh", "lingers"), (7.0, "tanh", "lingers"),
             (1e-3, "linear", "fades slowly"), (0.998, "linear", "fades slowly"),
             (1.0, "linear", "keeps its size"), (1.0009, "linear", "keeps its size"),
             (1.01, "linear", "grows"), (1e3, "linear", "grows"), (1.01e3, "linear", "explodes"),
             (np.inf, "linear", "explodes")]
    for ratio, activation, word in cases:
        assert sq.fade_verdict(ratio, activation) == word, (ratio, activation)
    assert sq.fade_verdict(np.float64(0.05), "tanh") == "fades slowly"
    for bad in (-0.1, np.nan, "0.5", None, True):
        with pytest.raises(ValueError, match="ratio must be a number >= 0"):
            sq.fade_verdict(bad, "tanh")
    with pytest.raises(ValueError, match="activation must be one of 'tanh', 'linear'"):
        sq.fade_verdict(0.5, "sigmoid")


# ----------------------------------------------------------------------------------------------
# Issue #16: float64's edges and wrong arguments
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("factor", [1e-82, 1e78, 1e-300, 1e300])
def test_lag_autocorrelation_does_not_depend_on_the_scale_of_the_series(factor):
    series = np.cumsum(np.random.default_rng(3).standard_normal(200))
    expected = np.corrcoef(series[:-2], series[2:])[0, 1]          # numpy's Pearson, unscaled
    assert abs(sq.lag_autocorrelation(series * factor, lag=2) - expected) < 1e-12


def _overflowing_network(T=2000):
    """Weights × 1e3 and T = 2000: the relu and linear states overflow float64 after ~100 steps."""
    from helpers.init import example_problem
    p, x, _ = example_problem(T=T, B=2, D=3, H=4, K=2, seed=0)
    return x, p["W_xh"] * 1e3, p["W_hh"] * 1e3, p["b_h"]


@pytest.mark.parametrize("activation", ["relu", "linear"])
def test_perturbation_response_reports_overflow_as_inf_like_rnn_forward(activation):
    x, W_xh, W_hh, b_h = _overflowing_network()
    dh = sq.perturbation_response(x, W_xh, W_hh, b_h, np.ones(3), activation)
    h = rnn_forward(x, np.zeros((2, 4)), W_xh, W_hh, b_h, activation)[0]
    x2 = x.copy()
    x2[0] += 1.0
    h2 = rnn_forward(x2, np.zeros((2, 4)), W_xh, W_hh, b_h, activation)[0]
    assert not np.isnan(dh).any() and np.isinf(dh[-1]).all()
    finite = np.isfinite(h).all(axis=(1, 2)) & np.isfinite(h2).all(axis=(1, 2))
    early = np.flatnonzero(finite)[:20]                           # before anything overflowed
    np.testing.assert_allclose(dh[early], h2[early] - h[early], rtol=1e-6, atol=1e-9 * np.abs(h[early]).max())


def test_sequences_refuse_bad_seeds_vocab_and_delta():
    x, W_xh, W_hh, b_h = _overflowing_network(T=3)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        sq.shuffled_statistic(np.arange(5.0), sq.lag_autocorrelation, 3, seed=None)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        sq.memory_fade_network(0.9, seed=0.5)
    with pytest.raises(ValueError, match="vocab must map its tokens to the indices"):
        sq.token_ids(["a"], {"a": None})
    with pytest.raises(ValueError, match="delta must hold real numbers"):
        sq.perturbation_response(x, W_xh, W_hh, b_h, np.ones(3) + 1j)
    with pytest.raises(ValueError, match="delta must be an array of numbers"):
        sq.perturbation_response(x, W_xh, W_hh, b_h, "abc")
    with pytest.raises(ValueError, match="pad must be a string"):
        sq.build_vocabulary([["a"]], pad=3)
    with pytest.raises(ValueError, match="ratio must be a number >= 0"):
        sq.fade_verdict(float("nan"), "tanh")


@pytest.mark.parametrize("name", ["scale", "input_scale"])
def test_memory_fade_network_bounds_its_scales_with_a_reason(name):
    """Up to 1e300 the tanh network's net inputs stay inside float64 (its ‖Δh_t‖ ≤ 2√H, never inf);
    beyond, the message names the argument and says why."""
    with pytest.raises(ValueError, match=rf"^{name} must be at most 1e\+300 \(W_(hh|xh) times the .* would "
                                         r"overflow float64 beyond it\), got 1\.7e\+308"):
        sq.memory_fade_norms(**{"scale": 0.9, name: 1.7e308}, T=6, H=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tanh = sq.memory_fade_norms(**{"scale": 0.9, name: 1e300}, T=6, H=4)
        linear = sq.memory_fade_norms(**{"scale": 0.9, name: 1e300}, activation="linear", T=6, H=4)
        tiny = sq.memory_fade_norms(**{"scale": 0.9, name: 1e-310}, T=6, H=4)
    assert np.all(tanh <= 2 * np.sqrt(4)) and not np.isnan(linear).any()
    assert np.all(np.isfinite(tiny))
