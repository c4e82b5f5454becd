"""Tests of helpers.race: the cells' sizes and starts, their training, and the race's data files."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from helpers import gru, lstm, race, rnn, tasks
from helpers.data import DATA_DIR, DataFileError
from helpers.gradcheck import relative_error
from helpers.optim import train_sgd

V = len(tasks.VOCAB)


def _count(cell: str) -> int:
    """Parameters of a cell with D = K = V, counted from the equations (readout W_hy, b_y included)."""
    H = race.CELLS[cell]["H"]
    readout = V * H + V
    if cell in ("tanh RNN", "IRNN"):          # W_xh, W_hh, b_h
        return H * V + H * H + H + readout
    if cell == "LSTM":                        # four gates: W_x, W_h, b
        return 4 * (H * V + H * H + H) + readout
    return 3 * (H * V + H * H + 2 * H) + readout      # GRU: three gates, b_x and b_h


@pytest.mark.parametrize("cell", list(race.CELLS))
def test_parameter_count_matches_the_equations_and_the_cells_are_the_same_size(cell):
    assert race.parameter_count(race.start_params(cell, 0)) == _count(cell)
    assert abs(_count(cell) / _count("tanh RNN") - 1) <= 0.05
    assert race.CELLS["tanh RNN"]["H"] >= 32                      # lesson 05's size or larger


def test_start_params_follow_the_stated_rules():
    rnn_start, irnn = race.start_params("tanh RNN", 3), race.start_params("IRNN", 3)
    np.testing.assert_allclose(rnn_start["W_hh"] @ rnn_start["W_hh"].T, np.eye(32), atol=1e-12)    # orthogonal
    np.testing.assert_array_equal(irnn["W_hh"], np.eye(32))                                      # identity
    for cell, key in (("tanh RNN", "W_xh"), ("IRNN", "W_xh"), ("LSTM", "W_x"), ("GRU", "W_x")):
        W = race.start_params(cell, 3)[key]
        assert abs(W.std() - race.INPUT_STD) < 0.05, cell      # one-hot words: columns of std 1
    H = race.CELLS["LSTM"]["H"]
    b = race.start_params("LSTM", 3)["b"]
    b_f, b_i = b[H:2 * H], b[:H]
    assert np.all((b_f >= 0) & (b_f <= np.log(race.CHRONO_T_MAX - 1))) and np.ptp(b_f) > 1
    np.testing.assert_array_equal(b_i, -b_f)
    np.testing.assert_array_equal(b[2 * H:], 0.0)
    H = race.CELLS["GRU"]["H"]
    p = race.start_params("GRU", 3)
    b_z = p["b_x"][H:2 * H]
    assert np.all((b_z >= 0) & (b_z <= np.log(race.CHRONO_T_MAX - 1))) and np.ptp(b_z) > 1
    np.testing.assert_array_equal(np.r_[p["b_x"][:H], p["b_x"][2 * H:], p["b_h"]], 0.0)
    again = race.start_params("GRU", 3)
    assert all(np.array_equal(p[k], again[k]) for k in p)
    assert not np.array_equal(p["W_x"], race.start_params("GRU", 4)["W_x"])


def test_the_seeds_draw_from_independent_streams():
    """The input weights and chrono biases of seed s come from the two children of SeedSequence(s), as
    documented, and from none of the integer streams default_rng(t) that the initialisers use (the
    earlier race drew seed s's biases from default_rng(s + 1), seed s + 1's own weight stream)."""
    H = race.CELLS["LSTM"]["H"]
    for s in race.SEEDS:
        inputs, chrono = (np.random.default_rng(c) for c in np.random.SeedSequence(s).spawn(2))
        b_f = race.start_params("LSTM", s)["b"][H:2 * H]
        np.testing.assert_array_equal(b_f, np.log(chrono.uniform(1.0, race.CHRONO_T_MAX - 1.0, H)))
        np.testing.assert_array_equal(race.start_params("tanh RNN", s)["W_xh"], inputs.standard_normal((32, V)))
        for t in range(20):
            u = np.random.default_rng(t).uniform(1.0, race.CHRONO_T_MAX - 1.0, H)
            assert not np.any(np.isclose(np.exp(b_f), u)), (s, t)
            # the tanh RNN's W_xh is not the first normals of any integer stream (seed s + 1's W_hh draws those)
            z = np.random.default_rng(t).standard_normal(32 * V)
            assert not np.any(np.isclose(race.start_params("tanh RNN", s)["W_xh"].ravel(), z)), (s, t)


def test_train_uses_the_stated_batches():
    """Training batch i of seed s is clue_task(gap, BATCH, BATCH_SEED_BASE + s · steps + i): rebuilt here
    with optim.train_sgd, the losses agree exactly, and the batch seeds lie above the held-out seeds."""
    seed, steps = 2, 3
    hist, _ = race.train("LSTM", 5, seed, 0.5, steps=steps)
    batches = iter(range(race.BATCH_SEED_BASE + seed * steps, race.BATCH_SEED_BASE + (seed + 1) * steps))

    def step(p):
        x, y = tasks.clue_task(5, race.BATCH, next(batches))
        return lstm.lstm_loss_and_grads(p, x, y, "softmax")

    again = train_sgd(race.start_params("LSTM", seed), step, steps=steps, lr=0.5, clip=1.0, verbose=False)
    np.testing.assert_array_equal(hist.loss, again.loss)
    assert max(race.TEST_SEED, race.VALIDATION_SEED, race.TUNING_SEED, *race.SEEDS) < race.BATCH_SEED_BASE


@pytest.mark.parametrize("cell", list(race.CELLS))
def test_loss_and_grads_match_finite_differences(cell):
    """On a tiny clue batch (gap 5, two sentences), at the 12 largest entries of every gradient array
    (central differences resolve an entry to about 1e-10: the largest ones test the relative error
    at 1e-7). Every step gets a target (a random word), so that every parameter has a sizeable gradient;
    the full gradients are checked on random shapes in test_rnn, test_lstm and test_gru."""
    params = race.start_params(cell, 1)
    x, _ = tasks.clue_task(5, 2, seed=7)
    rng = np.random.default_rng(0)
    y = rng.integers(V, size=x.shape[:2])
    _, grads = race.loss_and_grads(cell, params, x, y)
    eps = 1e-5
    for key, value in params.items():
        picks = [np.unravel_index(i, value.shape) for i in np.argsort(-np.abs(grads[key]), axis=None)[:12]]
        numeric = []
        for i in picks:
            old = value[i]
            value[i] = old + eps
            plus = race.loss_and_grads(cell, params, x, y)[0]
            value[i] = old - eps
            minus = race.loss_and_grads(cell, params, x, y)[0]
            value[i] = old
            numeric.append((plus - minus) / (2 * eps))
        analytic = np.array([grads[key][i] for i in picks])
        assert relative_error(analytic, np.array(numeric)) < 1e-7, (cell, key)


def test_the_cells_are_the_course_models():
    """outputs() of each cell is the output layer on the hidden states of its model's forward pass."""
    x, _ = tasks.clue_task(6, 3, seed=2)
    B = x.shape[1]
    for cell in race.CELLS:
        p = race.start_params(cell, 0)
        model = race.CELLS[cell]["model"]
        if model == "rnn":
            h, _ = rnn.rnn_forward(x, np.zeros((B, 32)), p["W_xh"], p["W_hh"], p["b_h"], race.CELLS[cell]["activation"])
        elif model == "lstm":
            H = race.CELLS[cell]["H"]
            h, _, _ = lstm.lstm_forward(x, np.zeros((B, H)), np.zeros((B, H)), p)
        else:
            h, _ = gru.gru_forward(x, np.zeros((B, race.CELLS[cell]["H"])), p)
        np.testing.assert_allclose(race.outputs(cell, p, x), h @ p["W_hy"].T + p["b_y"], rtol=1e-12, atol=1e-12)


def test_accuracy_reads_the_held_out_batches():
    p = race.start_params("GRU", 0)
    for split, seed in (("test", race.TEST_SEED), ("validation", race.VALIDATION_SEED)):
        x, y = tasks.clue_task(5, race.TEST_SIZE, seed)
        o = race.outputs("GRU", p, x)
        expected = np.mean(o[-1].argmax(axis=1) == y[-1])
        assert race.accuracy("GRU", p, 5, split) == expected
    assert race.TEST_SEED != race.VALIDATION_SEED


def test_train_is_deterministic_and_a_gated_cell_learns_gap_5():
    hist, acc = race.train("GRU", 5, 0, 1.0, steps=300)
    again, acc_again = race.train("GRU", 5, 0, 1.0, steps=300)
    np.testing.assert_array_equal(hist.loss, again.loss)
    assert acc == acc_again and hist.status == "finished" and hist.loss.shape == (300,)
    assert acc >= 0.9                                                  # lesson 05's "learnt"
    assert np.all(hist.grad_norm[hist.clipped] > 1.0) and not np.any(hist.clipped[hist.grad_norm <= 1.0])
    assert race.accuracy("GRU", hist.params, 5, "test") == acc


def test_train_refuses_bad_settings():
    with pytest.raises(ValueError, match="cell must be one of"):
        race.train("RNN", 5, 0, 0.1, steps=2)
    with pytest.raises(ValueError, match="gap must be an integer >= 5"):
        race.train("GRU", 4, 0, 0.1, steps=2)
    with pytest.raises(ValueError, match="split must be one of"):
        race.train("GRU", 5, 0, 0.1, steps=2, split="train")
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        race.train("GRU", 5, -1, 0.1, steps=2)
    with pytest.raises(ValueError, match="params must be a non-empty dict"):
        race.parameter_count([np.ones(3)])


# --------------------------------------------------------------------------- the data files

def _folder_with(tmp_path, name: str, content: bytes):
    (tmp_path / name).write_bytes(content)
    with open(tmp_path / "SHA256SUMS", "a", encoding="utf-8") as f:
        f.write(f"{hashlib.sha256(content).hexdigest()}  {name}\n")
    return tmp_path


def _committed(tmp_path):
    """A copy of the committed files, each under its own digest (data/SHA256SUMS is test_data.py's business)."""
    for name in (race.RACE_FILE, race.WEIGHTS_FILE):
        _folder_with(tmp_path, name, (DATA_DIR / name).read_bytes())
    return tmp_path


def test_the_committed_race_covers_the_gaps_seeds_and_cells(tmp_path):
    r = race.load_race(_committed(tmp_path))
    assert r.cells == tuple(race.CELLS)
    assert r.gaps.min() <= 5 and r.gaps.max() >= 80 and np.all(np.diff(r.gaps) > 0)
    assert r.seeds.size >= 3 and race.TUNING_SEED not in r.seeds
    for cell in race.CELLS:
        a = r.accuracy[cell]
        assert a.shape == (r.gaps.size, r.seeds.size) and np.all((a >= 0) & (a <= 1))
        assert r.parameters[cell] == _count(cell) and r.hidden[cell] == race.CELLS[cell]["H"]
        assert r.ms_per_step[cell] > 0
        # the selection rule, recomputed: the best mean validation accuracy, the smaller rate on a tie
        grid, table = r.lr_grid[cell], r.validation[cell]
        assert table.shape == (grid.size, r.tuning_gaps.size) and np.all(np.diff(grid) > 0)
        mean = table.mean(axis=1)
        assert r.lr[cell] == grid[np.flatnonzero(mean == mean.max())[0]]
        # the grid: LR_GRID, extended beyond one edge a rate at a time, in the order of LR_BEYOND, and
        # only while the best rate of the grid tried so far sat at that edge
        added = sorted(set(grid) - set(race.LR_GRID), key=lambda rate: abs(np.log(rate)))
        side = "below" if added and added[0] < min(race.LR_GRID) else "above"
        assert set(race.LR_GRID) <= set(grid) and added == list(race.LR_BEYOND[side][:len(added)])
        for k, rate in enumerate(added):
            before = np.isin(grid, list(race.LR_GRID) + added[:k])
            best = grid[before][np.flatnonzero(mean[before] == mean[before].max())[0]]
            assert best == (grid[before].min() if side == "below" else grid[before].max()), (cell, rate)
        # lr_at_edge lists exactly the cells whose chosen rate is the lowest or highest they tried
        assert (cell in r.lr_at_edge) == (r.lr[cell] in (grid[0], grid[-1]))
        assert r.loss_seed0[cell].shape == (r.settings["steps"],)
    assert r.settings["steps"] == race.STEPS and r.settings["batch"] == race.BATCH
    assert r.provenance["script"] == "scripts/race.py"


def test_the_stored_weights_are_the_trained_networks_of_every_seed(tmp_path):
    folder = _committed(tmp_path)
    r = race.load_race(folder)
    row = list(r.gaps).index(r.trained_gap)
    for cell in race.CELLS:
        for column, seed in enumerate(r.seeds):
            params, gap = race.load_trained(cell, int(seed), data_dir=folder)
            assert gap == r.trained_gap
            start = race.start_params(cell, int(seed))
            assert {k: v.shape for k, v in params.items()} == {k: v.shape for k, v in start.items()}
            assert race.accuracy(cell, params, gap) == pytest.approx(r.accuracy[cell][row, column], abs=1e-6)
    with pytest.raises(ValueError, match=r"\bseed\b.*race's seeds"):
        race.load_trained("GRU", 7, data_dir=folder)


def test_one_point_of_the_race_reproduces(tmp_path):
    """The lesson's live check: seed 0 of the tanh RNN at gap 20, retrained, gives the stored accuracy exactly.
    That point sits at chance (any network that always names one language scores the same), so a point
    between chance and 1 is retrained too: seed 1 at gap 10."""
    r = race.load_race(_committed(tmp_path))
    for gap, seed in ((20, 0), (10, 1)):
        _, acc = race.train("tanh RNN", gap, seed, r.lr["tanh RNN"])
        assert round(acc, 6) == r.accuracy["tanh RNN"][list(r.gaps).index(gap), seed]
    assert 0.2 < r.accuracy["tanh RNN"][list(r.gaps).index(10), 1] < 0.99


def test_the_loaders_refuse_a_tampered_or_malformed_file(tmp_path):
    good = json.loads((DATA_DIR / race.RACE_FILE).read_text(encoding="utf-8"))
    folder = _folder_with(tmp_path, race.RACE_FILE, json.dumps(good).encode())
    (folder / race.RACE_FILE).write_text(json.dumps(good).replace("0.", "1.", 1))    # edited after its checksum
    with pytest.raises(DataFileError, match="is corrupt"):
        race.load_race(folder)
    for change, message in (
            (lambda d: d["accuracy"]["GRU"].pop(), r"accuracy\['GRU'\] must have shape"),
            (lambda d: d["accuracy"].pop("IRNN"), "must have one entry per cell"),
            (lambda d: d["accuracy"]["LSTM"][0].__setitem__(0, 1.5), r"must hold accuracies in \[0, 1\]"),
            (lambda d: d["tuning"]["validation"]["GRU"].pop(), r"validation\['GRU'\] must have shape"),
            (lambda d: d.pop("tuning"), "tuning")):
        bad = json.loads(json.dumps(good))
        change(bad)
        other = tmp_path / f"bad{len(message)}"
        other.mkdir()
        with pytest.raises(DataFileError, match=f"could not be read .*{message}"):
            race.load_race(_folder_with(other, race.RACE_FILE, json.dumps(bad).encode()))
    not_json = tmp_path / "not_json"
    not_json.mkdir()
    with pytest.raises(DataFileError, match="scripts/race.py"):
        race.load_race(_folder_with(not_json, race.RACE_FILE, b"{ not json"))
    weights = tmp_path / "weights"
    weights.mkdir()
    with pytest.raises(DataFileError, match="race_weights.npz could not be read"):
        race.load_trained("GRU", data_dir=_folder_with(weights, race.WEIGHTS_FILE, b"not a zip file"))


def _results(**change) -> race.RaceResults:
    """A small RaceResults (gaps 5 and 80, three seeds), with the entries of ``change`` replaced."""
    cells = tuple(race.CELLS)
    acc = {c: np.array([[0.1, 0.5, 0.3], [1.0, 1.0, 0.9]]) for c in cells}
    per_cell = {c: 0.1 for c in cells}
    kwargs = {"cells": cells, "gaps": np.array([5, 80]), "seeds": np.arange(3), "accuracy": acc, "lr": per_cell,
              "lr_grid": {c: np.array([0.1, 0.3]) for c in cells}, "tuning_gaps": np.array([20]), "tuning_seed": 10,
              "validation": {c: np.ones((2, 1)) for c in cells}, "parameters": {c: 1 for c in cells},
              "hidden": {c: 2 for c in cells}, "ms_per_step": per_cell}
    return race.RaceResults(**{**kwargs, **change})


def test_seed_table_gives_median_and_range():
    lines = race.seed_table(_results()).splitlines()
    assert "gap 5" in lines[0] and "gap 80" in lines[0] and len(lines) == 1 + len(race.CELLS)
    assert lines[1].startswith("tanh RNN") and "0.30 (0.10–0.50)" in lines[1] and "1.00 (0.90–1.00)" in lines[1]
    with pytest.raises(ValueError, match="results must be a RaceResults"):
        race.seed_table({"accuracy": {}})


def test_race_results_check_what_they_hold():
    """A RaceResults refuses, with a ValueError naming the entry, what a table or figure could not show."""
    r = _results()
    assert isinstance(r.gaps, np.ndarray) and r.accuracy["GRU"].dtype == float and r.lr_at_edge == ()
    cells = tuple(race.CELLS)
    for change, message in (
            ({"cells": None}, "cells must be a non-empty tuple"),
            ({"gaps": None}, "gaps must be"),
            ({"parameters": {}}, "parameters must be a non-empty dict"),
            ({"parameters": {"GRU": 3}}, "parameters must have one entry per cell"),
            ({"parameters": {c: 0 for c in cells}}, r"parameters\['tanh RNN'\] must be an integer >= 1"),
            ({"ms_per_step": {c: np.nan for c in cells}}, r"ms_per_step\['tanh RNN'\] contains NaN"),
            ({"ms_per_step": {c: -1.0 for c in cells}}, r"ms_per_step\['tanh RNN'\] must be > 0"),
            ({"accuracy": {c: [["high", "low", "x"]] * 2 for c in cells}}, r"accuracy\['tanh RNN'\] must be an array"),
            ({"accuracy": {c: np.full((2, 3), 1.2) for c in cells}}, r"accuracy\['tanh RNN'\] must hold accuracies"),
            ({"accuracy": {c: np.ones((3, 2)) for c in cells}}, r"shape \(len\(gaps\), len\(seeds\)\) = \(2, 3\)"),
            ({"lr": {c: 1.0 for c in cells}}, r"lr\['tanh RNN'\] must be one of the rates tried"),
            ({"validation": {c: np.ones((1, 1)) for c in cells}}, r"validation\['tanh RNN'\] must have shape"),
            ({"lr_at_edge": ("RNN",)}, "lr_at_edge must name cells"),
            ({"tuning_seed": -1}, "tuning_seed must be an integer >= 0"),
            ({"trained_gap": 2}, "trained_gap must be an integer >= 5"),
            ({"loss_seed0": {"GRU": [1.0]}}, "loss_seed0 must have one entry per cell")):
        with pytest.raises(ValueError, match=message):
            _results(**change)
