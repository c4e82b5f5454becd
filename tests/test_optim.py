import warnings

import numpy as np
import pytest

from helpers.optim import clip_by_global_norm, clip_by_value, global_norm, train_sgd
from helpers.rnn import rnn_loss_and_grads


def test_global_norm_clipping_keeps_direction_and_caps_length():
    g = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    clipped, norm = clip_by_global_norm(g, 1.0)
    assert norm == 5.0
    assert global_norm(clipped) == pytest.approx(1.0)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0])
    np.testing.assert_allclose(clipped["b"], [[0.8]])
    same, _ = clip_by_global_norm(g, 10.0)
    np.testing.assert_array_equal(same["a"], g["a"])
    np.testing.assert_array_equal(g["a"], [3.0, 0.0])  # input untouched


def test_value_clipping_changes_direction():
    g = {"w": np.array([10.0, 2.0])}
    v = clip_by_value(g, 1.0)["w"]
    n, _ = clip_by_global_norm(g, 1.0)
    np.testing.assert_array_equal(v, [1.0, 1.0])
    cos = lambda a, b: a @ b / np.linalg.norm(a) / np.linalg.norm(b)
    assert cos(n["w"], g["w"]) == pytest.approx(1.0)
    assert cos(v, g["w"]) < 0.9


def test_clipping_bad_input():
    with pytest.raises(ValueError, match="threshold must be a positive finite number, got -1"):
        clip_by_global_norm({"a": np.ones(2)}, -1)
    with pytest.raises(ValueError, match="grads must be a non-empty dict"):
        clip_by_value([np.ones(2)], 1.0)
    with pytest.raises(ValueError, match="threshold must be a positive finite number, got -1"):
        clip_by_value({"a": np.ones(2)}, -1)
    with pytest.raises(ValueError, match="threshold must be a positive finite number, got 0"):
        clip_by_value({"a": np.ones(2)}, 0)
    with pytest.raises(ValueError, match="grads must be a non-empty dict of arrays, got an array of shape"):
        global_norm(np.ones(3))                                      # one gradient, not the dict
    with pytest.raises(ValueError, match="non-finite global norm"):
        clip_by_global_norm({"a": np.array([np.inf])}, 1.0)


def test_sgd_reaches_the_minimum_of_a_quadratic():
    target = np.array([1.0, -2.0])
    f = lambda p: (float(np.sum((p["w"] - target) ** 2)), {"w": 2 * (p["w"] - target)})
    hist = train_sgd({"w": np.zeros(2)}, f, steps=200, lr=0.1)
    assert hist.status == "finished"
    np.testing.assert_allclose(hist.params["w"], target, atol=1e-10)
    assert hist.loss.shape == hist.grad_norm.shape == hist.clipped.shape == (200,)
    assert hist.loss[0] == 5.0 and np.all(np.diff(hist.loss) <= 0)


def test_sgd_with_clipping_records_clipped_steps():
    f = lambda p: (float(np.sum(p["w"] ** 2)), {"w": 2 * p["w"]})
    hist = train_sgd({"w": np.array([10.0])}, f, steps=200, lr=0.1, clip=1.0)
    assert hist.clipped[0] and not hist.clipped[-1]
    assert hist.params["w"][0] == pytest.approx(0.0, abs=1e-3)


@pytest.mark.parametrize("clip_mode", ["norm", "value"])
def test_sgd_steps_follow_the_clipped_gradient(clip_mode):
    """Every update is −lr times the clipped gradient: by global norm (direction kept) or entry
    by entry (each entry capped at the threshold), and `clipped` says when clipping acted."""
    target = np.array([3.0, -0.2, 0.05])
    f = lambda p: (float(np.sum((p["w"] - target) ** 2)), {"w": 2 * (p["w"] - target)})
    lr, clip = 0.1, 0.5
    hist = train_sgd({"w": np.zeros(3)}, f, steps=120, lr=lr, clip=clip, clip_mode=clip_mode,
                     record_params=True)
    for step, start in enumerate(hist.starts):
        g = 2 * (start["w"] - target)
        if clip_mode == "norm":
            want = g * min(1.0, clip / np.linalg.norm(g))
            acted = np.linalg.norm(g) > clip
        else:
            want = np.clip(g, -clip, clip)
            acted = np.any(np.abs(g) > clip)
        end = hist.starts[step + 1]["w"] if step + 1 < len(hist.starts) else hist.params["w"]
        np.testing.assert_allclose(start["w"] - end, lr * want, rtol=1e-12, atol=1e-15)
        assert hist.clipped[step] == acted
    assert hist.clipped[0] and not hist.clipped[-1]
    np.testing.assert_allclose(hist.params["w"], target, atol=1e-2)


@pytest.mark.parametrize("clip_mode, at_the_threshold", [("norm", 5.0), ("value", 4.0)])
def test_a_gradient_exactly_at_the_threshold_is_not_clipped(clip_mode, at_the_threshold):
    f = lambda p: (0.0, {"w": np.array([3.0, -4.0])})           # norm 5, largest entry 4
    hist = train_sgd({"w": np.zeros(2)}, f, steps=2, lr=1.0, clip=at_the_threshold, clip_mode=clip_mode)
    assert not hist.clipped.any()
    np.testing.assert_array_equal(hist.params["w"], [-6.0, 8.0])  # two full steps
    hist = train_sgd({"w": np.zeros(2)}, f, steps=2, lr=1.0, clip=at_the_threshold * 0.99, clip_mode=clip_mode)
    assert hist.clipped.all()


def test_diverging_rnn_stops_cleanly_with_one_message_and_no_warnings(capsys):
    rng = np.random.default_rng(0)
    H = 8
    params = {"W_xh": rng.normal(size=(H, 1)), "W_hh": 3 * np.eye(H), "b_h": np.zeros(H),
              "W_hy": rng.normal(size=(1, H)), "b_y": np.zeros(1)}
    x = rng.normal(size=(30, 4, 1))
    y = rng.normal(size=(30, 4, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = train_sgd(params, lambda p: rnn_loss_and_grads(p, x, y, activation="linear"), steps=100, lr=0.1)
    out = capsys.readouterr()
    assert hist.status == "diverged"
    assert out.out.count("\n") == 1 and out.out.startswith("Stopped at step") and out.err == ""
    assert hist.message in out.out
    assert all(np.all(np.isfinite(v)) for v in hist.params.values())
    assert len(hist.loss) < 100


def test_trainer_bad_input():
    f = lambda p: (0.0, {"w": p["w"]})
    with pytest.raises(ValueError, match="steps must be an integer >= 1, got 0"):
        train_sgd({"w": np.zeros(1)}, f, steps=0, lr=0.1)
    with pytest.raises(ValueError, match="lr must be a positive finite number"):
        train_sgd({"w": np.zeros(1)}, f, steps=1, lr=np.nan)
    with pytest.raises(ValueError, match="clip_mode must be one of 'norm', 'value'; got 'max'"):
        train_sgd({"w": np.zeros(1)}, f, steps=1, lr=0.1, clip=1.0, clip_mode="max")
    with pytest.raises(ValueError, match="loss_and_grads must be a callable"):
        train_sgd({"w": np.zeros(1)}, None, steps=1, lr=0.1)


@pytest.mark.parametrize("params, f, message", [
    ([np.zeros(1)], lambda p: (0.0, p), r"params must be a dict of weight arrays.*got a list"),
    ({}, lambda p: (0.0, p), "params must be a dict of weight arrays.*got an empty dict"),
    ({"w": np.array([np.nan])}, lambda p: (0.0, p), r"params\['w'\] contains NaN or inf"),
    ({"w": np.zeros(2)}, lambda p: 0.0, "loss_and_grads must return \\(loss, grads\\), got float"),
    ({"w": np.zeros(2)}, lambda p: (0.0, p, None), r"must return \(loss, grads\), got a tuple of 3 items"),
    ({"w": np.zeros(2)}, lambda p: (np.zeros(3), p), r"the loss as one number, got an array of shape \(3,\)"),
    ({"w": np.zeros(2)}, lambda p: (0.0, {"v": p["w"]}),
     r"grads as a dict with the keys of params \['w'\], got \['v'\]"),
    ({"w": np.zeros(2)}, lambda p: (0.0, {"w": np.zeros((2, 1))}),
     r"grads\['w'\] must have the shape of params\['w'\], \(2,\), got shape \(2, 1\)"),
])
def test_trainer_names_what_is_wrong_with_params_and_loss_and_grads(params, f, message):
    with pytest.raises(ValueError, match=message):
        train_sgd(params, f, steps=2, lr=0.1, verbose=False)


def test_trainer_records_the_parameters_each_step_started_from():
    seen = []
    def f(p):                                       # w -> 2w each step, then NaN at w = 8
        seen.append({k: v.copy() for k, v in p.items()})
        w = p["w"]
        return (float(w[0]) if w[0] < 8 else np.nan), {"w": -w}
    run = train_sgd({"w": np.ones(1)}, f, steps=10, lr=1.0, verbose=False, record_params=True)
    assert run.status == "diverged" and len(run.starts) == len(seen) == 4
    for start, s in zip(run.starts, seen, strict=True):
        np.testing.assert_array_equal(start["w"], s["w"])
    assert [float(s["w"][0]) for s in run.starts] == [1.0, 2.0, 4.0, 8.0]
    assert train_sgd({"w": np.ones(1)}, f, steps=2, lr=1.0, verbose=False).starts is None


# ---------------------------------------------------------------- float64's edges (issue 16)

def test_global_norm_neither_overflows_nor_underflows():
    assert global_norm({"a": [3e200, 4e200]}) == pytest.approx(5e200, rel=1e-15)
    assert global_norm({"a": [3e-200, 4e-200]}) == pytest.approx(5e-200, rel=1e-15)
    rng = np.random.default_rng(0)
    for _ in range(20):                                 # ordinary input: the plain formula, to rounding
        g = {"W": rng.normal(size=(4, 3)) * 10.0 ** rng.integers(-3, 4), "b": rng.normal(size=4)}
        plain = np.sqrt(np.sum(g["W"] ** 2) + np.sum(g["b"] ** 2))
        assert global_norm(g) == pytest.approx(plain, rel=1e-15)


def test_clip_by_global_norm_clips_finite_gradients_near_1e154():
    g = {"a": np.array([3e154, -4e154]), "b": np.array([[1e154]])}
    clipped, norm = clip_by_global_norm(g, 2.0)
    assert norm == pytest.approx(1e154 * np.sqrt(26.0), rel=1e-15)
    entries = np.concatenate([clipped["a"], clipped["b"].ravel()])
    np.testing.assert_allclose(entries, 2.0 * np.array([3.0, -4.0, 1.0]) / np.sqrt(26.0), rtol=1e-15)


def test_training_with_clipping_survives_finite_gradients_near_1e200():
    f = lambda p: (float(np.sum(p["w"] ** 2)), {"w": np.full(2, 1e200) * np.sign(p["w"])})
    hist = train_sgd({"w": np.array([1.0, -1.0])}, f, steps=3, lr=0.1, clip=1.0, verbose=False)
    assert hist.status == "finished" and hist.clipped.all()
    np.testing.assert_allclose(hist.grad_norm, 1e200 * np.sqrt(2.0), rtol=1e-15)
    np.testing.assert_allclose(hist.params["w"], [1.0 - 0.3 / np.sqrt(2), -1.0 + 0.3 / np.sqrt(2)], rtol=1e-14)


@pytest.mark.parametrize("call, name", [
    (lambda: global_norm({"a": np.array([1.0, np.nan])}), "grads['a']"),
    (lambda: clip_by_value({"a": None}, 1.0), "grads['a']"),
    (lambda: clip_by_global_norm({"a": np.ones(2) + 1j}, 1.0), "grads['a']"),
    (lambda: train_sgd({"w": np.ones(1)}, lambda p: (0.0, p), steps=1, lr=0.1, verbose="no"), "verbose"),
    (lambda: train_sgd({"w": np.ones(1)}, lambda p: (0.0, p), steps=1, lr=0.1, record_params=None), "record_params"),
    (lambda: train_sgd({"w": np.ones(1)}, lambda p: ("low", p), steps=1, lr=0.1), "loss_and_grads"),
    (lambda: train_sgd({"w": np.ones(1)}, lambda p: (0.0, {"w": np.ones(1) * 1j}), steps=1, lr=0.1),
     "loss_and_grads"),
])
def test_optim_refuses_bad_input_by_name(call, name):
    with pytest.raises(ValueError) as err:
        call()
    assert name in str(err.value)


def test_a_nan_gradient_stops_training_as_a_divergence():
    hist = train_sgd({"w": np.ones(1)}, lambda p: (0.0, {"w": np.array([np.nan])}), steps=3, lr=0.1, clip=1.0,
                     verbose=False)
    assert hist.status == "diverged" and "gradient norm became nan" in hist.message


def test_lesson_04s_exploding_run_still_stops_with_an_inf_loss(capsys):
    """Lesson 04's exploding relu run (adding problem, T = 40, lr = 0.2): with NaN now refused in
    output gradients, the overflow still reaches train_sgd as an inf loss, which it reports."""
    from helpers.init import rnn_params
    from helpers.tasks import adding_problem
    batches = (adding_problem(40, 32, seed) for seed in range(10**6))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = train_sgd(rnn_params(2, 16, 1, scale=1.2, init="orthogonal"),
                         lambda p: rnn_loss_and_grads(p, *next(batches), activation="relu"), steps=150, lr=0.2)
    assert hist.status == "diverged"
    assert hist.message.startswith("Stopped at step 3 of 150: the loss became inf.")
    assert capsys.readouterr().out == hist.message + "\n"
