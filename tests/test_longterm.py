"""Lesson 05's numerics (helpers.longterm): the clue task's gradients and training runs, why the clue
gradient shrinks (saturation), the runs over many seeds and their data file, the adding
problem, and the one-unit network's attractors and memory, against central differences, brute
force and independent loops. (The figures that draw them are in test_plots_longterm.py.)"""
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from helpers import longterm as ex
from helpers import rnn, tasks
from helpers.data import DataFileError
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
    with pytest.raises(ValueError, match=r"x has T = 10 steps and B = 2 sequences .* but y has T = 9 steps "
                                         r"\(shape \(9, 2\)\); expected y of shape \(10, 2\)"):
        ex.last_step_loss_and_grads(params, x, y[:-1])
    with pytest.raises(ValueError, match="y must be integer class ids of shape"):
        ex.last_step_loss_and_grads(params, x, y.astype(float))
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


def test_adding_share_within_the_tolerance_is_measured_on_the_test_batch():
    """test_within by an independent forward loop: the share of the 2000 test sums answered within 0.08."""
    run = ex.train_adding(4, H=6, B=8, steps=3, lr=0.03, seed=2)
    rng = np.random.default_rng(2)                               # train_adding's start, then its 3 SGD steps
    p = {"W_xh": rng.standard_normal((6, 2)), "W_hh": rng.standard_normal((6, 6)) / np.sqrt(6),
         "b_h": np.zeros(6), "W_hy": rng.standard_normal((1, 6)) / np.sqrt(6), "b_y": np.zeros(1)}
    for step in range(3):
        _, g = rnn.rnn_loss_and_grads(p, *tasks.adding_problem(4, 8, 2 * 3 + step), "mse")
        p = {k: p[k] - 0.03 * g[k] for k in p}
    x, y = tasks.adding_problem(4, 2000, ex.TEST_SEED + 2)
    h = np.zeros(6)
    for t in range(4):
        h = np.tanh(x[t] @ p["W_xh"].T + h @ p["W_hh"].T + p["b_h"])
    o = h @ p["W_hy"][0] + p["b_y"][0]
    assert run.test_within == np.mean(np.abs(o - y[-1, :, 0]) < 0.08)
    assert ex.HS_TOLERANCE == 0.08


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
    assert 0 < run.test_within < 1                              # some answers within 0.08 of S, not all
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
    with pytest.raises(ValueError, match=r"x has N = 3 sequences .* but w has shape \(2,\); expected one weight"):
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


# ------------------------------------------------------------------- why the clue gradient shrinks

def _input_gradient_norms(p, x, y):
    """‖∂L/∂x_t‖ (mean over the batch) and tanh′ by an independent loop in column-vector form."""
    T, B, _ = x.shape
    H = p["W_hh"].shape[0]
    hs, h = [], np.zeros((H, B))
    for t in range(T):                                           # h_t = tanh(W_xh x_t + W_hh h_{t-1})
        h = np.tanh(p["W_xh"] @ x[t].T + p["W_hh"] @ h + p["b_h"][:, None])
        hs.append(h)
    o = p["W_hy"] @ hs[-1] + p["b_y"][:, None]
    prob = np.exp(o - o.max(axis=0))
    prob /= prob.sum(axis=0)
    prob[y[-1], np.arange(B)] -= 1.0
    dh = p["W_hy"].T @ prob / B                                  # ∂L/∂h_T
    dx = [None] * T
    for t in range(T - 1, -1, -1):
        dz = (1 - hs[t] ** 2) * dh
        dx[t] = np.linalg.norm(p["W_xh"].T @ dz, axis=0).mean()
        dh = p["W_hh"].T @ dz
    return np.array(dx), np.array([1 - h_ ** 2 for h_ in hs])


def test_clue_saturation_against_an_independent_loop():
    sat = ex.clue_saturation(gap=7, seeds=(0, 3), H=8, B=16, input_scale=0.5, cut=0.3)
    assert sat.seeds.tolist() == [0, 3] and sat.gap == 7 and sat.input_scale == 0.5 and sat.cut == 0.3
    for j, seed in enumerate((0, 3)):
        p = clue_params(8, seed=seed)
        p["W_xh"] = 0.5 * p["W_xh"]
        x, y = tasks.clue_task(7, 16, seed)
        norms, slopes = _input_gradient_norms(p, x, y)
        slopes = slopes[4:]                                      # t = 5 … T: the clue x_5 is array row 4
        assert sat.mean_slope[j] == pytest.approx(slopes.mean(), rel=1e-12)
        assert sat.rms_slope[j] == pytest.approx(np.sqrt((slopes ** 2).mean()), rel=1e-12)
        assert sat.share_below[j] == pytest.approx((slopes < 0.3).mean(), rel=1e-12)
        sv = np.linalg.svd(p["W_hh"], compute_uv=False)
        assert sat.rms_gain[j] == pytest.approx(np.sqrt(np.mean(sv ** 2)), rel=1e-12)
        assert sat.lambda1[j] == pytest.approx(sv[0], rel=1e-12)
        assert sat.rho[j] == pytest.approx(np.abs(np.linalg.eigvals(p["W_hh"])).max(), rel=1e-12)
        ratio = norms[4:][::-1] / norms[-1]                     # k = 0 … 7 steps back from x_T
        slope = np.polyfit(np.arange(8), np.log(ratio), 1)[0]
        assert sat.factor[j] == pytest.approx(np.exp(slope), rel=1e-9)
    np.testing.assert_allclose(sat.estimate, sat.rms_slope * sat.rms_gain, rtol=1e-15)


def test_weaker_words_saturate_less_and_the_printout_spans_the_seeds():
    strong = ex.clue_saturation(gap=10, seeds=(0, 1, 2), B=64)
    weak = ex.clue_saturation(gap=10, seeds=(0, 1, 2), B=64, input_scale=0.1)
    np.testing.assert_array_equal(strong.rho, weak.rho)          # the same W_hh
    assert np.all(weak.mean_slope > strong.mean_slope + 0.2) and np.all(weak.factor > strong.factor)
    assert np.all(strong.share_below > 0.1) and np.all(weak.share_below < 0.05)
    lo, hi = strong.factor.min(), strong.factor.max()
    assert strong.span("factor") == f"{lo:.2f}–{hi:.2f}"
    assert strong.span("share_below", percent=True) == (f"{100 * strong.share_below.min():.0f}–"
                                                        f"{100 * strong.share_below.max():.0f} %")
    with pytest.raises(ValueError, match="name must be a per-seed field of Saturation"):
        strong.span("gap")
    with pytest.raises(ValueError, match="input_scale must be a positive finite number, got 0"):
        ex.clue_saturation(input_scale=0)
    with pytest.raises(ValueError, match=r"seeds\[1\] must be an integer >= 0, got -1"):
        ex.clue_saturation(seeds=(0, -1))
    with pytest.raises(ValueError, match="gap must be an integer >= 5, got 3"):
        ex.clue_saturation(gap=3)


# ------------------------------------------------------------------ the runs over many seeds (data file)

TINY_CLUE = {"H": 4, "B": 8, "steps": 3, "lr": 0.1}
TINY_ADDING = {"H": 4, "B": 8, "steps": 5, "lr": 0.03}


def _write_with_manifest(folder, text):
    (folder / ex.SEED_RUNS_FILE).write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    (folder / "SHA256SUMS").write_text(f"{digest}  {ex.SEED_RUNS_FILE}\n", encoding="utf-8")


def test_seed_runs_are_the_single_runs_and_survive_the_file(tmp_path):
    runs = ex.seed_runs((5, 6), (0, 1), (3, 4), (0, 2), TINY_CLUE, TINY_ADDING)
    single = ex.train_clue(6, seed=1, **TINY_CLUE)
    assert runs.accuracy[1, 1] == single.accuracy
    assert runs.ratio_first[1, 1] == single.clue_grad[0] and runs.ratio_last[1, 1] == single.clue_grad[-1]
    assert runs.ratio_max[1, 1] == single.clue_grad.max()
    np.testing.assert_allclose(runs.clue_grad[1, 1], single.clue_grad, rtol=5e-4)      # 4 significant digits
    assert runs.clue_grad[1, 1, 0] == float(f"{single.clue_grad[0]:.4g}")
    single_add = ex.train_adding(4, seed=2, **TINY_ADDING)
    assert runs.adding_test_loss[1, 1] == single_add.test_loss
    assert runs.adding_test_within[1, 1] == single_add.test_within
    assert runs.settings == {"clue": TINY_CLUE, "adding": TINY_ADDING}
    runs.provenance = {"script": "test", "seeds": [0, 1]}
    _write_with_manifest(tmp_path, ex.seed_runs_to_json(runs))
    back = ex.load_seed_runs(tmp_path)
    for name in ("gaps", "seeds", "accuracy", "clue_grad", "ratio_first", "ratio_last", "ratio_max", "adding_T",
                 "adding_seeds", "adding_test_loss", "adding_test_within"):
        np.testing.assert_array_equal(getattr(back, name), getattr(runs, name))   # floats written exactly
    assert back.settings == runs.settings and back.provenance == runs.provenance


def test_load_seed_runs_refuses_a_changed_unlisted_or_malformed_file(tmp_path):
    runs = ex.seed_runs((5,), (0,), (3,), (0,), TINY_CLUE, TINY_ADDING)
    text = ex.seed_runs_to_json(runs)
    _write_with_manifest(tmp_path, text)
    (tmp_path / ex.SEED_RUNS_FILE).write_text(text.replace("[5]", "[6]"), encoding="utf-8")
    with pytest.raises(DataFileError, match="corrupt"):
        ex.load_seed_runs(tmp_path)
    (tmp_path / "SHA256SUMS").write_text("", encoding="utf-8")
    with pytest.raises(DataFileError, match="lists no checksum for longterm_seeds.json"):
        ex.load_seed_runs(tmp_path)
    _write_with_manifest(tmp_path, text.replace('"ratio_max"', '"ratio_largest"'))
    with pytest.raises(DataFileError, match="could not be read.*scripts/longterm_seeds.py"):
        ex.load_seed_runs(tmp_path)
    with pytest.raises(ValueError, match="runs must be a SeedRuns"):
        ex.seed_runs_to_json({})


def test_the_committed_seed_file_holds_the_lessons_runs():
    """data/longterm_seeds.json (scripts/longterm_seeds.py): ten seeds with the lesson's settings;
    one run recomputed here must give the very numbers stored."""
    d = json.loads((Path(ex.__file__).resolve().parent.parent / "data" / ex.SEED_RUNS_FILE).read_text("utf-8"))
    clue, adding = d["clue"], d["adding"]
    assert clue["gaps"] == [5, 7, 10, 20, 40] and clue["seeds"] == list(range(10)) and adding["T"] == [5, 50]
    assert clue["settings"] == {"H": 32, "B": 64, "steps": 200, "lr": 0.3}
    assert adding["settings"] == {"H": 32, "B": 64, "steps": 400, "lr": 0.03}
    run = ex.train_clue(5, seed=3, **clue["settings"])
    assert clue["accuracy"][0][3] == run.accuracy and clue["ratio_first"][0][3] == run.clue_grad[0]
    assert clue["ratio_max"][0][3] == run.clue_grad.max()
    assert clue["clue_grad"][0][3] == [float(f"{v:.4g}") for v in run.clue_grad]
    add = ex.train_adding(5, seed=3, **adding["settings"])
    assert adding["test_loss"][0][3] == add.test_loss and adding["test_within"][0][3] == add.test_within
    assert {"script", "command", "seeds", "date", "python", "numpy"} <= set(d["provenance"])


# --------------------------------------------------------------------- issue #16: at float64's edges

def test_attractor_slope_where_cosh_squared_overflows():
    """w = 356: tanh(356) = 1 to float64, so z* = 356 and a = w / cosh²(z*) = 4w e^(-2z*)/(1 + e^(-2z*))²,
    about 2e-306: cosh²(356) overflows, the slope itself is a normal float64. w = 400: a ≈ 6e-345 rounds to 0."""
    h, a = ex.attractor(356.0)
    assert h == 1.0 and a == pytest.approx(np.exp(np.log(4 * 356.0) - 712.0), rel=1e-9)
    h, a = ex.attractor(400.0)
    assert h == 1.0 and a == 0.0
    assert np.isnan(ex.attractor(2.0, -1e300)[0])                 # pushed far below: no attractor


def test_noise_margin_for_huge_weights():
    """ε_c(w) = w h_m − atanh(h_m) with 1 − h_m² = 1/w; for large w, w h_m = w − 1/2 − 1/(8w) + … and
    atanh(h_m) = ½ ln((1 + h_m)²w) → ½ ln(4w), so ε_c ≈ w − 1/2 − ½ ln(4w) (h_m rounds to 1 from w ≈ 1e16)."""
    w = np.array([1e8, 1e17, 1e300])
    got = ex.noise_margin(w)
    np.testing.assert_allclose(got, w - 0.5 - 0.5 * np.log(4 * w), rtol=1e-15)


def test_one_unit_gradient_beyond_float64_is_inf_and_h0_is_a_tanh_state():
    """h_0 = 0 and no input keep h_t = 0, so ∂h_T/∂h_0 = w^T: 1000^200 = 1e600 exceeds float64."""
    h, grad = ex.one_unit_run(1000.0, np.zeros((200, 1)), np.zeros(1))
    assert np.all(h == 0.0) and grad[0] == np.inf
    with pytest.raises(ValueError, match=r"h0 must hold states of a tanh unit, in \[-1, 1\]"):
        ex.one_unit_run(2.0, np.zeros((3, 1)), np.full(1, 1.5))


def test_memory_sweep_with_huge_weights_runs_quietly():
    m = ex.memory_sweep(np.array([400.0, 1e17]), T=20, runs=4)
    assert np.all(m.retention == 1.0) and np.all(m.gradient == 0.0) and np.all(m.slope == 0.0)
    np.testing.assert_allclose(m.margin, m.w - 0.5 - 0.5 * np.log(4 * m.w), rtol=1e-6)
    m = ex.memory_sweep(np.array([1.7e308, 2.0]), T=3, runs=4)    # w near float64's largest number
    assert m.retention[0] == 1.0 and m.gradient[0] == 0.0 and m.slope[0] == 0.0
    with pytest.raises(ValueError, match=r"^noise must be at most 1e300 \(its N\(0, noise²\) draws would overflow"):
        ex.memory_sweep(np.array([2.0]), noise=1.7e308)


def test_attractor_near_float64s_largest_number_is_quiet_and_true():
    """w = 1e308 (and b = 1e308): the root z* = w tanh z* + b is about w + b (beyond float64 for both),
    where tanh is 1 and the slope w / cosh² z* is 0 to float64 precision. The bisection's midpoints
    used to overflow (0.5 (lo + hi)); the other entries of w are those of a separate call."""
    for w, b in ((1e308, 0.0), (1e308, 1e308), (1.7e308, 0.0)):
        h, a = ex.attractor(w, b)
        assert (h, a) == (1.0, 0.0)
    h, a = ex.attractor(np.array([0.5, 2.0, 1.7e308]))
    h2, a2 = ex.attractor(np.array([0.5, 2.0]))
    np.testing.assert_array_equal(h[:2], h2)
    np.testing.assert_array_equal(a[:2], a2)
    assert (h[2], a[2]) == (1.0, 0.0)


def test_clue_saturation_at_extreme_input_scales():
    """Large input scales saturate the units so far that tanh′ rounds to 0 and the error signal vanishes
    to exactly 0 on its way back to the clue: factor 0, the underflow rule (decay_fit, refusing a zero
    ratio, used to answer about k and ratio). Tiny ones leave the network linear in the input, whose
    factor does not depend on the scale; their norms no longer underflow (0/0 warned). A scale that
    makes W_xh overflow is refused by name."""
    for scale in (300.0, 1e3, 1e10, 1e100):
        sat = ex.clue_saturation(gap=10, seeds=(0,), H=8, B=8, input_scale=scale)
        p = clue_params(8, seed=0)
        p["W_xh"] = scale * p["W_xh"]
        x, y = tasks.clue_task(10, 8, 0)
        dx = ex.last_step_loss_and_grads(p, x, y)[2]
        assert np.any(np.all(dx[ex.CLUE_STEP:] == 0, axis=(1, 2)))      # a step with no gradient at all
        assert sat.factor[0] == 0.0
    small, tiny = (ex.clue_saturation(gap=10, seeds=(0,), H=8, B=8, input_scale=s) for s in (1e-100, 1e-200))
    assert np.isfinite(tiny.factor[0]) and tiny.factor[0] == pytest.approx(small.factor[0], rel=1e-9)
    with pytest.raises(ValueError, match=r"^input_scale: too large for float64 here"):
        ex.clue_saturation(gap=10, seeds=(0,), H=8, B=8, input_scale=1.7e308)


def test_a_diverged_clue_run_reports_inf_not_nan():
    """lr = 1.7e308 throws the weights near float64's largest number after one step: the scores then
    overflow, the loss is inf (the trainer stops), and the accuracy is still measured, without warnings
    (last_step_loss_and_grads raised about dh, an argument nobody passed)."""
    run = ex.train_clue(5, H=3, B=2, steps=2, lr=1.7e308, params=clue_params(3))
    assert run.status == "diverged" and 0.0 <= run.accuracy <= 1.0
    p, x, y = small_problem()
    p["W_hy"] = p["W_hy"] * 1e308 / np.abs(p["W_hy"]).max()
    p["b_y"] = np.full_like(p["b_y"], 1.7e308)
    loss, grads, dx = ex.last_step_loss_and_grads(p, x, y)
    assert loss == np.inf and not any(np.isnan(g).any() for g in grads.values()) and not np.isnan(dx).any()


def test_decay_fit_is_np_polyfit_bit_for_bit():
    """decay_fit is np.polyfit again (a hand-written fit had moved lesson 05's figure by an ulp)."""
    rng = np.random.default_rng(6)
    for _ in range(200):
        k = np.sort(rng.choice(200, rng.integers(2, 40), replace=False)).astype(float)
        ratio = 10.0 ** (rng.uniform(-0.3, 0.0) * k + rng.normal(0.0, 0.2, k.size))
        slope, intercept = np.polyfit(k, np.log10(ratio), 1)
        assert ex.decay_fit(k, ratio) == (10.0 ** slope, 10.0 ** intercept)


def test_decay_fit_at_the_edges():
    r, c = ex.decay_fit([0.0, 1e100], [1.0, 0.5])               # one halving over 1e100 steps
    assert r == 1.0 and c == pytest.approx(1.0)
    assert ex.decay_fit([0.0, 1.0], [1e-300, 1e300]) == (np.inf, pytest.approx(1e-300))
    for k in ([0.0, 1e300], [0.0, 1e-310]):                       # np.polyfit squares k: refused by name
        with pytest.raises(ValueError, match=r"^k must (hold numbers within ±1e\+100|have its largest \|value\| "
                                             r"at least 1e-100) \(np.polyfit squares"):
            ex.decay_fit(k, [1.0, 0.5])
    with pytest.raises(ValueError, match=r"^k must spread out enough for a line to be fitted"):
        ex.decay_fit([1e15, 1e15 + 1], [1.0, 0.5])               # collinear with a constant to float64
    with pytest.raises(ValueError, match=r"k has 3 distances but ratio has 2 values"):
        ex.decay_fit([0, 1, 2], [1.0, 0.5])
    with pytest.raises(ValueError, match="at least 2 different k"):
        ex.decay_fit([3, 3], [1.0, 0.5])


def test_clue_arguments_are_checked_against_each_other():
    params, _, _ = small_problem(H=4, gap=5, B=2)
    with pytest.raises(ValueError, match=r"params must be clue-task weights for H = 32 .*pass the H of params"):
        ex.train_clue(5, steps=1, params=params)
    with pytest.raises(ValueError, match="scale must be a positive finite number, got None"):
        ex.train_clue(5, H=4, steps=1, scale=None, params=params)
    with pytest.raises(ValueError, match=r"clue_kwargs\['H'\] must be an integer >= 1, got None"):
        ex.seed_runs([5], [0], [3], [0], {"H": None}, {})
    with pytest.raises(ValueError, match="adding_kwargs has an unknown setting 'batch'"):
        ex.seed_runs([5], [0], [3], [0], {}, {"batch": 8})
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        ex.memory_sweep([1.5], seed=None)
