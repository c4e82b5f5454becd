"""The remedies trained side by side (helpers.remedies.train_on_copy), small and fast: T = 5, five
steps. What it returns is checked against a forward pass written here with helpers.rnn (and, with a
weight on Ω, helpers.regulariser) on the batches it documents."""
import numpy as np
import pytest

from helpers import regulariser, remedies, rnn, tasks
from helpers.init import rnn_params
from helpers.optim import History, clip_by_global_norm, global_norm

T, STEPS = 5, 5


def _rnn_start(seed=0):
    return rnn_params(4, 8, 4, scale=1.0, seed=seed)          # copy-first-symbol: 4 symbols in, 4 classes out


def test_train_on_copy_returns_a_history_and_an_accuracy():
    hist, acc = remedies.train_on_copy(_rnn_start(), T, steps=STEPS, lr=0.1, seed=0)
    assert isinstance(hist, History) and hist.status == "finished"
    assert hist.loss.shape == hist.grad_norm.shape == hist.clipped.shape == (STEPS,)
    assert isinstance(acc, float) and 0.0 <= acc <= 1.0
    assert set(hist.params) == {"W_xh", "W_hh", "b_h", "W_hy", "b_y"}


def test_the_first_loss_is_that_of_the_first_documented_batch():
    """Training batch i has seed 10000·seed + i; the first loss is the start's loss on batch 0."""
    start = _rnn_start()
    hist, _ = remedies.train_on_copy(start, T, steps=STEPS, seed=3)
    x, y = tasks.copy_first_symbol(T, remedies.BATCH, 30_000)
    o, _, _ = rnn.rnn_outputs(start, x)
    logits = o[-1]                                            # the only step with a target
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    assert hist.loss[0] == pytest.approx(-log_p[np.arange(remedies.BATCH), y[-1]].mean(), rel=1e-12)
    assert np.all(hist.grad_norm > 0)
    np.testing.assert_array_equal(hist.clipped, hist.grad_norm > 1.0)          # clipped at norm 1


def test_the_accuracy_is_that_of_the_trained_parameters_on_held_out_sequences():
    hist, acc = remedies.train_on_copy(_rnn_start(), T, steps=STEPS, seed=0)
    x, y = tasks.copy_first_symbol(T, remedies.TEST_SIZE, remedies.TEST_SEED)
    o, _, _ = rnn.rnn_outputs(hist.params, x)
    assert acc == np.mean(o[-1].argmax(axis=1) == y[-1])


def test_the_same_seed_gives_identical_results_and_another_seed_does_not():
    start = _rnn_start()
    (h1, a1), (h2, a2) = (remedies.train_on_copy(start, T, steps=STEPS, seed=1) for _ in range(2))
    np.testing.assert_array_equal(h1.loss, h2.loss)
    for k in h1.params:
        np.testing.assert_array_equal(h1.params[k], h2.params[k])
    assert a1 == a2
    h3, _ = remedies.train_on_copy(start, T, steps=STEPS, seed=2)
    assert not np.array_equal(h1.loss, h3.loss)
    np.testing.assert_array_equal(start["W_hh"], _rnn_start()["W_hh"])        # the start is not changed


def test_activation_and_truncate_reach_the_rnn():
    start = _rnn_start()
    tanh, _ = remedies.train_on_copy(start, T, steps=STEPS, seed=0)
    relu, _ = remedies.train_on_copy(start, T, steps=STEPS, seed=0, activation="relu")
    cut, _ = remedies.train_on_copy(start, T, steps=STEPS, seed=0, truncate=0)
    assert tanh.loss[0] != relu.loss[0]                       # another forward pass
    assert cut.loss[0] == tanh.loss[0] and not np.array_equal(cut.grad_norm, tanh.grad_norm)   # only the gradient


@pytest.mark.parametrize("through_states", [False, True])
def test_omega_trains_on_e_plus_alpha_omega_and_zero_changes_nothing(through_states):
    """The first step with α = 0.5: the loss is E + α Ω on batch 0 (δ from that batch), and the update
    is the clipped regularised gradient, with the chosen gradient of Ω; α = 0 is the plain run, bit for bit."""
    start, alpha, lr = _rnn_start(), 0.5, 0.1
    hist, _ = remedies.train_on_copy(start, T, omega=alpha, through_states=through_states, steps=1, lr=lr, seed=0)
    x, y = tasks.copy_first_symbol(T, remedies.BATCH, 0)
    E, grads = rnn.rnn_loss_and_grads(start, x, y, "softmax")
    errors = regulariser.backprop_errors(start, x, y, "softmax")
    assert hist.loss[0] == pytest.approx(E + alpha * regulariser.omega(start, x, errors), rel=1e-12)
    d_omega = regulariser.omega_grad(start, x, errors, through_states=through_states)["W_hh"]
    assert not np.allclose(d_omega, regulariser.omega_grad(start, x, errors, through_states=not through_states)["W_hh"])
    grads["W_hh"] = grads["W_hh"] + alpha * d_omega
    clipped, norm = clip_by_global_norm(grads, 1.0)
    assert hist.grad_norm[0] == pytest.approx(norm, rel=1e-12)
    for k in start:
        np.testing.assert_allclose(hist.params[k], start[k] - lr * clipped[k], rtol=1e-12, atol=1e-15)
    plain, acc = remedies.train_on_copy(start, T, steps=STEPS, seed=1)
    zero, acc_zero = remedies.train_on_copy(start, T, omega=0.0, steps=STEPS, seed=1)
    np.testing.assert_array_equal(plain.loss, zero.loss)
    assert acc == acc_zero


def test_error_flow_measures_the_reach_and_omega_on_the_documented_batch():
    params = rnn_params(4, 8, 4, scale=1.0, seed=2)
    flow = remedies.error_flow(params, 6, B=7, seed=3)
    x, y = tasks.copy_first_symbol(6, 7, seed=3)
    errors = regulariser.backprop_errors(params, x, y, "softmax")
    reach = np.linalg.norm(errors[0], axis=1) / np.linalg.norm(errors[-1], axis=1)
    assert flow["reach"] == pytest.approx(np.median(reach), rel=1e-12)
    assert flow["omega"] == pytest.approx(regulariser.omega(params, x, errors), rel=1e-12)
    assert remedies.error_flow(params, 6)["reach"] == remedies.error_flow(params, 6, B=100, seed=remedies.TEST_SEED)[
        "reach"]


@pytest.mark.parametrize("kwargs, message", [
    ({"omega": -1.0}, "omega must be a finite number >= 0, got -1.0"),
    ({"omega": 1.0, "activation": "relu"}, "omega > 0 needs activation='tanh' and truncate=None"),
    ({"omega": 1.0, "truncate": 3}, "omega > 0 needs activation='tanh' and truncate=None"),
    ({"omega": 1.0}, "through_states must be True or False when omega > 0"),
    ({"omega": 1.0, "through_states": "no"}, "through_states must be True or False, got"),
    ({"T": 0}, "T must be an integer >= 1, got 0"),
    ({"seed": -1}, "seed must be an integer >= 0 (a seed, so the run can be repeated), got -1"),
    ({"steps": 0}, "steps must be an integer >= 1, got 0"),
])
def test_bad_input_raises_value_error_naming_the_argument(kwargs, message):
    args = {"T": T, "steps": STEPS} | kwargs
    with pytest.raises(ValueError) as info:
        remedies.train_on_copy(_rnn_start(), **args)
    assert message in str(info.value)


# ---------------------------------------------------------------------------------------------
# The runs lesson 06 compares, over seeds, and the data file that holds them
# ---------------------------------------------------------------------------------------------

def test_start_params_follow_the_run_table():
    rnn_start = remedies.start_params("T40 IRNN", 3)
    np.testing.assert_array_equal(rnn_start["W_hh"], np.eye(32))
    np.testing.assert_array_equal(rnn_start["W_xh"], rnn_params(4, 32, 4, init="identity", seed=3)["W_xh"])
    omega_start = remedies.start_params("T40 orthogonal tanh omega 1 paper", 2)
    for k, v in rnn_params(4, 32, 4, init="orthogonal", seed=2).items():
        np.testing.assert_array_equal(omega_start[k], v)


def test_the_omega_runs_try_one_grid_for_both_tanh_starts_and_both_gradients():
    for init in ("Gaussian", "orthogonal"):
        base = remedies.RUNS[f"T40 {init} tanh"]
        for alpha in (0.1, 1.0, 10.0):
            assert remedies.RUNS[f"T40 {init} tanh omega {alpha:g} paper"] == {**base, "omega": alpha,
                                                                               "through_states": False}
            assert remedies.RUNS[f"T40 {init} tanh omega {alpha:g} exact"] == {**base, "omega": alpha,
                                                                               "through_states": True}
    assert remedies.flow_runs() == ["T40 Gaussian tanh", "T40 orthogonal tanh", "T40 Gaussian tanh lr 0.3",
                                    *[f"T40 {i} tanh omega {a} {g}" for g in ("paper", "exact")
                                      for i in ("Gaussian", "orthogonal") for a in ("0.1", "1", "10")]]


def test_train_run_is_train_on_copy_with_the_runs_settings():
    hist, acc = remedies.train_run("T12 truncate 4", 0)
    again, acc_again = remedies.train_on_copy(rnn_params(4, 32, 4, seed=0), 12, truncate=4, steps=500, lr=0.3,
                                              seed=0)
    np.testing.assert_array_equal(hist.loss, again.loss)
    assert acc == acc_again and hist.loss.shape == (500,)


def _data_dir_with(tmp_path, content: bytes):
    import hashlib
    (tmp_path / remedies.SEED_RUNS_FILE).write_bytes(content)
    (tmp_path / "SHA256SUMS").write_text(f"{hashlib.sha256(content).hexdigest()}  {remedies.SEED_RUNS_FILE}\n")
    return tmp_path


def _seed_file(n_seeds=3, steps=4) -> dict:
    return {"provenance": {"seeds": list(range(n_seeds)), "script": "scripts/remedies_seeds.py"},
            "accuracy": {run: [0.25 + 0.1 * s for s in range(n_seeds)] for run in remedies.RUNS},
            "loss_seed0": {"T40 IRNN": [1.4, 1.0, 0.5, 0.1][:steps]},
            "flow": {m: {run: [0.5 + s for s in range(n_seeds)] for run in remedies.flow_runs()}
                     for m in remedies.FLOW_MEASURES}}


def test_load_seed_runs_reads_a_checked_file(tmp_path):
    import json
    folder = _data_dir_with(tmp_path, json.dumps(_seed_file()).encode())
    runs = remedies.load_seed_runs(folder)
    np.testing.assert_allclose(runs["accuracy"]["T40 IRNN"], [0.25, 0.35, 0.45])
    np.testing.assert_array_equal(runs["seeds"], [0, 1, 2])
    np.testing.assert_array_equal(runs["loss_seed0"]["T40 IRNN"], [1.4, 1.0, 0.5, 0.1])
    np.testing.assert_array_equal(runs["flow"]["omega_trained"]["T40 Gaussian tanh omega 1 exact"], [0.5, 1.5, 2.5])
    assert runs["provenance"]["script"] == "scripts/remedies_seeds.py"


def test_load_seed_runs_refuses_an_edited_or_malformed_file(tmp_path):
    import json

    from helpers.data import DataFileError
    folder = _data_dir_with(tmp_path, json.dumps(_seed_file()).encode())
    (folder / remedies.SEED_RUNS_FILE).write_text(json.dumps(_seed_file(n_seeds=2)))       # edited after its checksum
    with pytest.raises(DataFileError, match="is corrupt"):
        remedies.load_seed_runs(folder)
    bad = _seed_file()
    bad["accuracy"]["T40 IRNN"] = [0.5]                                                    # one seed, not three
    with pytest.raises(DataFileError, match=r"could not be read .*accuracy\['T40 IRNN'\] must have shape \(3,\)"):
        remedies.load_seed_runs(_data_dir_with(tmp_path, json.dumps(bad).encode()))
    del bad["accuracy"]["T40 IRNN"]
    with pytest.raises(DataFileError, match="are not those of helpers.remedies.RUNS"):
        remedies.load_seed_runs(_data_dir_with(tmp_path, json.dumps(bad).encode()))
    bad = _seed_file()
    del bad["flow"]["reach_start"]["T40 Gaussian tanh"]
    with pytest.raises(DataFileError, match="flow must hold reach_start"):
        remedies.load_seed_runs(_data_dir_with(tmp_path, json.dumps(bad).encode()))


def test_the_committed_seed_file_holds_every_run_for_ten_seeds(tmp_path):
    """data/remedies_seeds.json as scripts/remedies_seeds.py wrote it: every run, ten seeds. (Its
    entry in data/SHA256SUMS is test_data.py's business; here a copy is read with its own digest.)"""
    from helpers.data import DATA_DIR
    runs = remedies.load_seed_runs(_data_dir_with(tmp_path, (DATA_DIR / remedies.SEED_RUNS_FILE).read_bytes()))
    np.testing.assert_array_equal(runs["seeds"], np.arange(10))
    assert set(runs["accuracy"]) == set(remedies.RUNS)
    for acc in runs["accuracy"].values():
        assert acc.shape == (10,) and np.all((acc >= 0) & (acc <= 1))
    assert all(v.shape == (800,) for v in runs["loss_seed0"].values())
    assert runs["provenance"]["runs"] == remedies.RUNS
    for measure in remedies.FLOW_MEASURES:
        assert set(runs["flow"][measure]) == set(remedies.flow_runs())
        assert all(v.shape == (10,) and np.all(v >= 0) for v in runs["flow"][measure].values())


def test_seed_range_gives_the_median_and_the_extremes():
    assert remedies.seed_range([0.3, 0.9, 0.5, 0.62]) == "0.56 (0.30–0.90)"
    with pytest.raises(ValueError, match="accuracies must have at least one entry"):
        remedies.seed_range([])
    with pytest.raises(ValueError, match="run must be one of"):
        remedies.start_params("T40 GRU", 0)


def test_gradient_norms_against_length_by_hand_at_one_length():
    """The four curves of lesson 06's truncation figure, checked at T = 12 against one plain call each."""
    params = rnn_params(4, 8, 4, scale=2.0, seed=1)
    norms = remedies.gradient_norms_against_length(params, [6, 12], 3, B=5, seed=2)
    x, y = tasks.copy_first_symbol(12, 5, seed=2)
    y_every = np.broadcast_to(y[-1], y.shape).copy()
    expected = {"full BPTT, target at T": (y, None), "full BPTT, a target at every step": (y_every, None),
                "truncate = 3, target at T": (y, 3), "truncate = 3, a target at every step": (y_every, 3)}
    assert list(norms) == list(expected)
    for label, (targets, k) in expected.items():
        grads = rnn.rnn_loss_and_grads(params, x, targets, "softmax", truncate=k)[1]
        assert norms[label].shape == (2,) and norms[label][1] == pytest.approx(global_norm(grads), rel=1e-12)
    with pytest.raises(ValueError, match="truncate"):
        remedies.gradient_norms_against_length(params, [6], -1)


# ----------------------------------------------------------------------- issue #16: bad input

@pytest.mark.parametrize("call, message", [
    (lambda: remedies.gradient_norms_against_length(_rnn_start(), 5, 2), "lengths must be a list of integers"),
    (lambda: remedies.gradient_norms_against_length(_rnn_start(), [3, np.nan], 2), "lengths[1] must be an integer"),
    (lambda: remedies.gradient_norms_against_length(_rnn_start(), [3], 2, seed=None), "seed must be an integer >= 0"),
    (lambda: remedies.train_run("T12 full BPTT", None), "seed must be an integer >= 0"),
    (lambda: remedies.train_run("T12 full BPTT", 0.5), "seed must be an integer >= 0"),
    (lambda: remedies.train_on_copy(_rnn_start(), T, steps=1, seed=None), "seed must be an integer >= 0"),
    (lambda: remedies.error_flow(_rnn_start(), 0), "T must be an integer >= 1"),
    (lambda: remedies.error_flow(_rnn_start(), 5, B=0), "B must be an integer >= 1"),
    (lambda: remedies.error_flow(_rnn_start(), 5, seed=-2), "seed must be an integer >= 0"),
    (lambda: remedies.seed_range(np.array([0.3, 0.2 + 1j])), "accuracies must hold real numbers"),
    (lambda: remedies.seed_range("0.3"), "accuracies must be an array of numbers"),
])
def test_bad_arguments_are_named_before_any_training(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)
