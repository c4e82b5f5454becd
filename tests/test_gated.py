"""Lesson 07's numerics (helpers.gated): the gradient flow of every model against finite differences
of its own forward pass, the direct paths against plain products of the gates, the correlation
ratio against its within-class form, and the unit that keeps the clue on cells built by hand to
keep it (or not)."""
import numpy as np
import pytest

from helpers import gated, gru, lstm, rnn, tasks
from helpers.gradcheck import numerical_jacobian
from helpers.init import gru_params, lstm_params, rnn_params

T, B, D, H, K = 6, 2, 3, 3, 2


@pytest.fixture
def x():
    return np.random.default_rng(5).normal(size=(T, B, D))


def _params(model):
    rng = np.random.default_rng(7)
    if model == "LSTM":
        p = lstm_params(D, H, K, seed=1, scale=0.8)
        p["b"] += rng.normal(0, 0.3, 4 * H)
    elif model == "GRU":
        p = gru_params(D, H, K, seed=1, scale=0.8)
        p["b_x"] += rng.normal(0, 0.3, 3 * H)
        p["b_h"] += rng.normal(0, 0.3, 3 * H)
    else:
        p = rnn_params(D, H, K, scale=1.2, seed=1)
        p["b_h"] += 0.3                              # ReLU units on, away from the kink at 0
    return p


def _h_T_from(model, p, x, s, h_s, c_s=None):
    """h_T after replacing the state at step s (1-based; h_s and, for the LSTM, c_s) and running on."""
    rest = x[s:, :1]
    if model == "LSTM":
        return lstm.lstm_forward(rest, h_s[None], c_s[None], p)[0][-1, 0]
    if model == "GRU":
        return gru.gru_forward(rest, h_s[None], p)[0][-1, 0]
    act = gated.MODELS[model]
    return rnn.rnn_forward(rest, h_s[None], p["W_xh"], p["W_hh"], p["b_h"], act)[0][-1, 0]


@pytest.mark.parametrize("model", list(gated.MODELS))
def test_hidden_flow_is_the_norm_of_a_finite_difference_jacobian(model, x):
    p = _params(model)
    flow = gated.gradient_flow(model, p, x)
    assert flow.model == model and flow.hidden.shape == (T, B)
    if model == "LSTM":
        _, c, cache = lstm.lstm_forward(x, np.zeros((B, H)), np.zeros((B, H)), p)
        h = cache.h
    elif model == "GRU":
        h = gru.gru_forward(x, np.zeros((B, H)), p)[0]
    else:
        h = rnn.rnn_forward(x, np.zeros((B, H)), p["W_xh"], p["W_hh"], p["b_h"], gated.MODELS[model])[0]
    np.testing.assert_allclose(flow.hidden[0], 1.0, rtol=1e-12)
    for k in (1, 3, T - 2):
        s = T - k                                    # step s; array index s − 1 holds h_s
        c_s = c[s - 1, 0] if model == "LSTM" else None
        J = numerical_jacobian(lambda h_s, s=s, c_s=c_s: _h_T_from(model, p, x, s, h_s, c_s), h[s - 1, 0].copy())
        assert flow.hidden[k, 0] == pytest.approx(np.linalg.norm(J, 2), rel=1e-7), (model, k)


def test_lstm_cell_flow_follows_c_through_h_and_the_carousel_alone_is_the_product_of_f(x):
    p = _params("LSTM")
    flow = gated.gradient_flow("LSTM", p, x)
    _, c, cache = lstm.lstm_forward(x, np.zeros((B, H)), np.zeros((B, H)), p)
    for k in (1, 4):
        s = T - k

        def c_T(c_s, s=s):                           # a nudged c_s also moves h_s = o_s tanh(c_s)
            h_s = cache.o[s - 1, 0] * np.tanh(c_s)
            return lstm.lstm_forward(x[s:, :1], h_s[None], c_s[None], p)[1][-1, 0]

        J = numerical_jacobian(c_T, c[s - 1, 0].copy())
        assert flow.cell[k, 0] == pytest.approx(np.linalg.norm(J, 2), rel=1e-7)
        np.testing.assert_allclose(flow.direct[k], np.prod(cache.f[T - k:], axis=0), rtol=1e-12)
    np.testing.assert_array_equal(flow.direct[0], 1.0)


def test_gru_direct_path_is_the_product_of_z_and_the_rnns_have_none(x):
    p = _params("GRU")
    flow = gated.gradient_flow("GRU", p, x)
    cache = gru.gru_forward(x, np.zeros((B, H)), p)[1]
    assert flow.cell is None and flow.direct.shape == (T, B, H)
    for k in range(T):
        np.testing.assert_allclose(flow.direct[k], np.prod(cache.z[T - k:], axis=0), rtol=1e-12)
    rnn_flow = gated.gradient_flow("tanh RNN", _params("tanh RNN"), x)
    assert rnn_flow.cell is None and rnn_flow.direct is None


def test_a_flow_that_overflows_is_inf_never_nan():
    p = _params("IRNN")
    p["W_hh"] = 1e200 * np.eye(H)
    p["W_xh"] = np.abs(p["W_xh"])
    flow = gated.gradient_flow("IRNN", p, np.abs(np.random.default_rng(0).normal(size=(T, B, D))))
    assert np.isinf(flow.hidden[-1]).all() and not np.isnan(flow.hidden).any()


def _eta2_within(values, labels):
    """η² = 1 − (sum of squares within the classes) / (total sum of squares)."""
    total = ((values - values.mean(axis=0)) ** 2).sum(axis=0)
    within = sum(((values[labels == c] - values[labels == c].mean(axis=0)) ** 2).sum(axis=0)
                 for c in np.unique(labels))
    return 1 - within / total


def test_correlation_ratio_matches_its_within_class_form_and_its_extremes():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 4, size=40)
    values = rng.normal(size=(40, 3)) + labels[:, None] * np.array([0.0, 0.5, 3.0])
    eta2 = gated.correlation_ratio(values, labels)
    np.testing.assert_allclose(eta2, _eta2_within(values, labels), rtol=1e-12)
    assert eta2[0] < eta2[1] < eta2[2] < 1
    one_value_per_class = np.stack([labels * 2.0, np.full(40, 7.0), -(labels ** 2) * 1e300], axis=1)
    np.testing.assert_allclose(gated.correlation_ratio(one_value_per_class, labels), [1.0, 0.0, 1.0], atol=1e-12)
    np.testing.assert_allclose(gated.correlation_ratio(values * 1e-300, labels), eta2, rtol=1e-9)


def _keeper(model, countries_write):
    """A two-unit cell on the clue task's one-hot words: unit 0 writes a value per country when the
    country comes and keeps it (forget gate, or update gate, near 1 elsewhere); unit 1 forgets every
    step. ``countries_write`` (8,) is what unit 0 writes for each country."""
    V = len(tasks.VOCAB)
    ids = tasks._COUNTRY_IDS
    if model == "LSTM":
        p = {"W_x": np.zeros((8, V)), "W_h": np.zeros((8, 2)), "b": np.zeros(8),
             "W_hy": np.zeros((V, 2)), "b_y": np.zeros(V)}
        i, f, g = (lstm.gate_slice(name, 2) for name in "ifg")
        p["b"][i] = -12.0                            # the input gate opens only at a country ...
        p["W_x"][i.start, ids] = 24.0
        p["W_x"][g.start, ids] = countries_write     # ... and writes its value into unit 0
        p["W_x"][g.start + 1] = np.linspace(-1, 1, V)
        p["b"][i.start + 1] = 12.0                   # unit 1 writes every word
        p["b"][f] = [12.0, -12.0]                    # unit 0 keeps, unit 1 forgets
        return p
    p = {"W_x": np.zeros((6, V)), "W_h": np.zeros((6, 2)), "b_x": np.zeros(6), "b_h": np.zeros(6),
         "W_hy": np.zeros((V, 2)), "b_y": np.zeros(V)}
    z, n = gru.gate_slice("z", 2), gru.gate_slice("n", 2)
    p["b_x"][z] = [12.0, -12.0]                      # unit 0 keeps its state, unit 1 takes n every step
    p["W_x"][z.start, ids] = -24.0                   # except at a country: then unit 0 takes n
    p["W_x"][n.start, ids] = countries_write
    p["W_x"][n.start + 1] = np.linspace(-1, 1, V)
    return p


@pytest.mark.parametrize("model", ["LSTM", "GRU"])
def test_the_clue_unit_is_the_unit_built_to_keep_the_clue(model):
    x, y = tasks.clue_task(12, 64, seed=2)
    p = _keeper(model, np.linspace(-1.5, 1.5, 8))
    found = gated.clue_unit(model, p, x, y)
    assert found.model == model and found.unit == 0
    assert found.separation[0] == pytest.approx(1.0, abs=1e-6) and found.separation[1] < 0.5
    gate = "f" if model == "LSTM" else "z"
    cache = lstm.lstm_forward(x, np.zeros((64, 2)), np.zeros((64, 2)), p)[2] if model == "LSTM" else \
        gru.gru_forward(x, np.zeros((64, 2)), p)[1]
    np.testing.assert_array_equal(found.gate, getattr(cache, gate)[:, :, 0])
    np.testing.assert_allclose(found.kept, np.prod(getattr(cache, gate)[5:, :, 0], axis=0), rtol=1e-12)
    assert found.kept.min() > 0.99                   # the gate stays near 1 from the clue to the answer
    np.testing.assert_allclose(found.gate_quartiles, np.quantile(found.gate, [0.25, 0.5, 0.75], axis=1))
    T = x.shape[0]                                   # running product from the clue: Π_{s=6}^{t} gate_s, t = 5 … T
    running = np.array([np.prod(found.gate[5:t], axis=0) for t in range(5, T + 1)])
    np.testing.assert_allclose(found.kept_quartiles, np.quantile(running, [0.25, 0.5, 0.75], axis=1), rtol=1e-12)
    np.testing.assert_allclose(found.kept_quartiles[:, -1], np.quantile(found.kept, [0.25, 0.5, 0.75]), rtol=1e-12)
    other = gated.clue_unit(model, p, x, y, unit=1)
    assert other.unit == 1 and other.kept.max() < 1e-4
    np.testing.assert_array_equal(other.separation, found.separation)


def test_the_clue_unit_is_the_argmax_of_the_smallest_eta2_from_the_clue_on():
    V = len(tasks.VOCAB)
    x, y = tasks.clue_task(8, 48, seed=4)
    p = lstm_params(V, 5, V, seed=3)
    found = gated.clue_unit("LSTM", p, x, y)
    c = lstm.lstm_forward(x, np.zeros((48, 5)), np.zeros((48, 5)), p)[1]
    smallest = np.min([_eta2_within(c[t], y[-1]) for t in range(4, x.shape[0])], axis=0)
    np.testing.assert_allclose(found.separation, smallest, rtol=1e-9)
    assert found.unit == int(np.argmax(smallest))


def test_bad_arguments_name_themselves():
    V = len(tasks.VOCAB)
    x, y = tasks.clue_task(5, 4, seed=0)
    p = lstm_params(V, 2, V, seed=0)
    with pytest.raises(ValueError, match="model must be one of 'tanh RNN', 'IRNN', 'LSTM', 'GRU'"):
        gated.gradient_flow("RNN", p, x)
    with pytest.raises(ValueError, match="model must be one of 'LSTM', 'GRU'"):
        gated.clue_unit("IRNN", p, x, y)
    with pytest.raises(ValueError, match=r"y must have shape \(10, 4\)"):
        gated.clue_unit("LSTM", p, x, y[:, :2])
    bad = y.copy()
    bad[-1, 0] = -1
    with pytest.raises(ValueError, match=r"y\[-1\] must hold 4 class ids.*negative"):
        gated.clue_unit("LSTM", p, x, bad)
    with pytest.raises(ValueError, match="unit must be an integer from 0 to 1"):
        gated.clue_unit("LSTM", p, x, y, unit=2)
    with pytest.raises(ValueError, match="clue_step must be an integer from 1 to 9"):
        gated.clue_unit("LSTM", p, x, y, clue_step=10)
    with pytest.raises(ValueError, match="x must have T >= 2 steps"):
        gated.clue_unit("LSTM", p, x[:1], y[:1])
    with pytest.raises(ValueError, match=r"labels must hold 3 class ids"):
        gated.correlation_ratio(np.ones((3, 2)), np.array([0.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match=r"params is missing W_x"):
        gated.gradient_flow("LSTM", {k: v for k, v in p.items() if k != "W_x"}, x)
