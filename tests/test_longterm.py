"""Lesson 05's numerics (helpers.longterm): the clue task's gradients and training runs, the adding
problem, and the one-unit network's attractors and memory, against central differences, brute
force and independent loops. (The figures that draw them are in test_plots_longterm.py.)"""
import numpy as np
import pytest

from helpers import longterm as ex
from helpers import rnn, tasks
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.init import clue_params


def small_problem(H=4, gap=5, B=2, seed=3):
    params = clue_params(H, scale=1.0, seed=seed)
    x, y = tasks.clue_task(gap, B, seed)
    return params, x, y


# ------------------------------------------------------------------------------- clue training

@pytest.mark.parametrize("name", ["W_xh", "W_hh", "b_h", "W_hy", "b_y"])
def test_last_step_gradients_match_finite_differences(name):
    params, x, y = small_problem()
    _, grads, _ = ex.last_step_loss_and_grads(params, x, y)
    fd = numerical_gradient(lambda _: ex.last_step_loss_and_grads(params, x, y)[0], params[name])
    assert relative_error(grads[name], fd) <= 1e-7


def test_input_gradient_matches_finite_differences():
    params, x, y = small_problem(gap=7)
    _, _, dx = ex.last_step_loss_and_grads(params, x, y)
    assert dx.shape == x.shape
    fd = numerical_gradient(lambda _: ex.last_step_loss_and_grads(params, x, y)[0], x)
    assert relative_error(dx, fd) <= 1e-7


def test_last_step_loss_equals_the_general_many_to_one_loss():
    params, x, y = small_problem(H=6, gap=9, B=5)
    loss, grads, _ = ex.last_step_loss_and_grads(params, x, y)
    ref_loss, ref_grads = rnn.rnn_loss_and_grads(params, x, y, "softmax")
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for k in params:
        np.testing.assert_allclose(grads[k], ref_grads[k], rtol=1e-10, atol=1e-14)


def test_last_step_loss_rejects_bad_input():
    params, x, y = small_problem()
    with pytest.raises(ValueError, match="y must be integer class ids of shape"):
        ex.last_step_loss_and_grads(params, x, y[:-1])
    with pytest.raises(ValueError, match="params is missing W_hy"):
        ex.last_step_loss_and_grads({k: v for k, v in params.items() if k != "W_hy"}, x, y)
    with pytest.raises(ValueError, match="params is missing W_xh, W_hh, b_h, W_hy, b_y"):
        ex.clue_accuracy({}, 5)
    with pytest.raises(ValueError, match=r"params\['b_y'\] must have shape"):
        ex.clue_accuracy({**params, "b_y": np.zeros(3)}, 5)


def test_clue_accuracy_agrees_with_the_full_forward_pass():
    params = clue_params(8, seed=2)
    x, y = tasks.clue_task(6, 64, ex.TEST_SEED)
    o, _, _ = rnn.rnn_outputs(params, x)
    assert ex.clue_accuracy(params, 6, B=64) == tasks.accuracy(o, y)


def test_train_clue_records_the_clue_gradient_of_the_first_batch():
    run = ex.train_clue(6, H=8, B=16, steps=5, lr=0.1, seed=2)
    assert run.loss.shape == run.clue_grad.shape == (5,)
    x, y = tasks.clue_task(6, 16, 2 * 5 + 0)                     # the first training batch
    loss, _, dx = ex.last_step_loss_and_grads(clue_params(8, seed=2), x, y)
    norms = np.linalg.norm(dx, axis=2).mean(axis=1)
    assert run.loss[0] == pytest.approx(loss, rel=1e-12)
    assert run.clue_grad[0] == pytest.approx(norms[ex.CLUE_STEP] / norms[-1], rel=1e-12)
    again = ex.train_clue(6, H=8, B=16, steps=5, lr=0.1, seed=2)
    np.testing.assert_array_equal(run.clue_grad, again.clue_grad)


def test_short_gap_is_learnt_and_long_gap_gets_almost_no_gradient():
    short = ex.train_clue(5, steps=200, seed=0)
    assert short.status == "finished" and short.accuracy >= 0.9
    long = ex.train_clue(40, steps=3, seed=0)
    assert np.all(long.clue_grad < 1e-5)


def test_gap_sweep_collects_runs_and_validates():
    sweep = ex.gap_sweep((5, 6), seeds=(0, 1), H=4, B=8, steps=3, lr=0.1)
    assert sweep.accuracy.shape == (2, 2) and sweep.clue_grad.shape == (2, 2, 3)
    single = ex.train_clue(6, H=4, B=8, steps=3, lr=0.1, seed=1)
    np.testing.assert_array_equal(sweep.clue_grad[1, 1], single.clue_grad)
    with pytest.raises(ValueError, match=r"gaps\[0\] must be an integer >= 5, got 4"):
        ex.gap_sweep((4,))
    with pytest.raises(ValueError, match=r"seeds must be a non-empty list of integers >= 0, got \(\)"):
        ex.gap_sweep((5,), seeds=())
    with pytest.raises(ValueError, match=r"gaps must be a list of integers >= 5, such as \[5, 10\]; got 10"):
        ex.gap_sweep(10)                                           # one gap, not a list
    with pytest.raises(ValueError, match="training batches would reuse test seeds"):
        ex.train_clue(5, steps=1000, seed=1000)


def test_the_batch_size_is_called_B():
    params = clue_params(4, seed=0)
    for call in (lambda: ex.train_clue(5, B=0, steps=1), lambda: ex.train_adding(5, B=0, steps=1),
                 lambda: ex.clue_accuracy(params, 5, B=0)):
        with pytest.raises(ValueError, match=r"^B must be an integer >= 1, got 0$"):
            call()
    with pytest.raises(TypeError, match="batch"):
        ex.train_clue(5, batch=8, steps=1)


def test_decay_fit_recovers_a_geometric_decay():
    k = np.arange(12)
    r, c = ex.decay_fit(k, 3.0 * 0.4 ** k)
    assert r == pytest.approx(0.4, rel=1e-10) and c == pytest.approx(3.0, rel=1e-10)
    with pytest.raises(ValueError, match="positive ratio"):
        ex.decay_fit([0, 1], [1.0, 0.0])


def test_train_adding_beats_the_constant_answer_on_short_sequences():
    run = ex.train_adding(5, steps=300, seed=1)
    assert run.status == "finished" and run.loss.shape == (300,)
    assert run.test_loss < 0.5 / 12                              # well below the baseline 1/12
    again = ex.train_adding(5, steps=300, seed=1)
    np.testing.assert_array_equal(run.loss, again.loss)


# ------------------------------------------------------------------------------------ one unit

def test_attractor_is_a_fixed_point_with_the_right_slope():
    w = np.array([1.2, 2.0, 5.0])
    h, s = ex.attractor(w)
    np.testing.assert_allclose(np.tanh(w * h), h, rtol=0, atol=1e-15)
    np.testing.assert_allclose(s, w * (1 - h ** 2), rtol=1e-9)
    # independent: iterate the contracting map from h = 1
    h_iter = np.ones(3)
    for _ in range(2000):
        h_iter = np.tanh(w * h_iter)
    np.testing.assert_allclose(h, h_iter, rtol=1e-12)


def test_attractor_below_one_and_beyond_the_margin():
    h, s = ex.attractor(np.array([0.3, 1.0]))
    np.testing.assert_array_equal(h, [0.0, 0.0])
    np.testing.assert_array_equal(s, [0.3, 1.0])
    h, s = ex.attractor(2.0, -1.01 * float(ex.noise_margin(2.0)))
    assert np.isnan(h) and np.isnan(s)
    h, s = ex.attractor(2.0, -0.99 * float(ex.noise_margin(2.0)))
    assert h > 0 and 0 < s < 1


def test_noise_margin_matches_a_brute_force_maximum_and_simulation():
    for w in (1.5, 2.0, 4.0):
        grid = np.linspace(0, 1 - 1e-9, 2_000_001)
        brute = np.max(w * grid - np.arctanh(grid))            # largest ε with a positive fixed point
        assert ex.noise_margin(w) == pytest.approx(brute, rel=1e-9)
        x = -ex.noise_margin(w) * np.array([0.98, 1.02]) * np.ones((4000, 2))
        h, _ = ex.one_unit_run(w, x, np.ones(2))
        assert h[-1, 0] > 0 > h[-1, 1]
    np.testing.assert_array_equal(ex.noise_margin(np.array([0.5, 1.0])), [0.0, 0.0])


def test_one_unit_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    w = np.array([0.9, 1.5, 2.5])
    x = 0.3 * rng.standard_normal((5, 3))
    h0 = np.array([0.2, -0.4, 0.5])
    h, grad = ex.one_unit_run(w, x, h0, u=1.3)
    ref = h0.copy()
    for t in range(5):                                           # independent forward loop
        ref = np.tanh(w * ref + 1.3 * x[t])
    np.testing.assert_allclose(h[-1], ref, rtol=1e-15)
    for n in range(3):
        fd = numerical_gradient(lambda v, n=n: ex.one_unit_run(w[n], x[:, n:n + 1], v, u=1.3)[0][-1, 0],
                                h0[n:n + 1].copy(), eps=1e-5)
        assert relative_error(grad[n:n + 1], fd) <= 1e-7


def test_one_unit_run_rejects_bad_shapes():
    with pytest.raises(ValueError, match="h0 must have shape"):
        ex.one_unit_run(1.5, np.zeros((4, 3)), np.zeros(2))
    with pytest.raises(ValueError, match=r"w must have shape \(3,\), got shape \(2,\)"):
        ex.one_unit_run(np.ones(2), np.zeros((4, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="w contains NaN or inf"):
        ex.attractor(np.array([1.5, np.inf]))
    with pytest.raises(ValueError, match="w contains NaN or inf"):
        ex.noise_margin(np.nan)
    with pytest.raises(ValueError, match="runs must be an integer >= 2, got 0"):
        ex.memory_sweep([1.5], runs=0)
    with pytest.raises(ValueError, match="noise must be a positive finite number, got -1"):
        ex.memory_sweep([1.5], noise=-1)
    with pytest.raises(ValueError, match="T must be an integer >= 2, got 0"):
        ex.train_adding(0)
    with pytest.raises(ValueError, match="lr must be a positive finite number, got 0"):
        ex.train_adding(10, lr=0)


def test_memory_sweep_trades_memory_for_gradient():
    m = ex.memory_sweep(np.array([0.5, 1.0, 2.0, 3.0]), T=50, noise=0.3, runs=400, seed=0)
    assert m.retention[0] == pytest.approx(0.5, abs=0.1)         # w < 1: the bit is forgotten
    assert m.retention[3] == 1.0                                  # w = 3: kept
    assert m.gradient[1] > 1e3 * m.gradient[2] > 1e3 * m.gradient[3]
    w = np.array([2.0, 3.0])
    np.testing.assert_allclose(m.slope[2:], w * (1 - ex.attractor(w)[0] ** 2), rtol=1e-9)
    again = ex.memory_sweep(np.array([0.5, 1.0, 2.0, 3.0]), T=50, noise=0.3, runs=400, seed=0)
    np.testing.assert_array_equal(m.gradient, again.gradient)
