"""A fair race of four recurrent cells on lesson 05's clue task, over gaps from 5 to 80 (lesson 07).

The task is :func:`helpers.tasks.clue_task`: many-to-one, a softmax over the words read from h_T
only, the answer decided by the country k = ``gap`` steps earlier; chance is 1/8 and the task counts
as learnt at a test accuracy of 0.9 or more (lesson 05). The cells (:data:`CELLS`):

- "tanh RNN": the vanilla RNN of :mod:`helpers.rnn`, tanh, orthogonal W_hh (Saxe, McClelland &
  Ganguli, 2014);
- "IRNN": the same network with ReLU and W_hh = I (Le, Jaitly & Hinton, 2015);
- "LSTM": :mod:`helpers.lstm` (Hochreiter & Schmidhuber, 1997; forget gate of Gers et al., 2000);
- "GRU": :mod:`helpers.gru` (Cho et al., 2014, in the form of PyTorch and cuDNN).

Each starts from the course's initialiser (:mod:`helpers.init`) with two rules that apply alike to
every cell and every gap (:func:`start_params`): input weights of standard deviation 1, because the
inputs are one-hot words; and, for the two gated cells, the chrono initialisation of Tallec &
Ollivier (2018) of the gate that keeps the memory. Both rules were chosen from trial runs on seed 0
before the race; seed 0 is also a reported seed, and those trials were not redone on a seed outside
the race, so the start was not chosen blind to seed 0. What the trials showed: with the initialisers
as they are (input weights of std 1/√(D + H), the LSTM's forget-gate bias 1 of Jozefowicz, Zaremba &
Sutskever (2015), the GRU's biases 0) the LSTM stayed at chance even at gap 10 (800 steps, learning
rates 0.3 to 3); with input weights of std 1 but those biases, neither gated cell left chance at
gap 20 (1000 steps, rates 1 and 3): a gate at σ(1) ≈ 0.73 or σ(0) = 0.5 forgets within a few steps.

What makes it fair: every cell has about the same number of parameters (readout included, within
±5 % of the tanh RNN's, :func:`parameter_count`) and is trained in the same way by :func:`train`:
:func:`helpers.optim.train_sgd` with norm clipping at 1, a fresh seeded batch of :data:`BATCH`
sequences at every step, :data:`STEPS` steps, then the accuracy on one fixed held-out batch. The
learning rate of each cell is chosen by one rule for all (``scripts/race.py``: the grid
:data:`LR_GRID`, extended by :data:`LR_BEYOND` while a cell's best rate sits at an edge, the seed
:data:`TUNING_SEED`, which is not among :data:`SEEDS`, the gaps :data:`TUNING_GAPS`, the validation
batch, best mean validation accuracy, the smaller rate on a tie). The seeds draw from independent
random streams (:func:`start_params`, :func:`train`).

``scripts/race.py`` runs the race into ``data/race.json`` (:func:`load_race`) and keeps the trained
weights of every seed of every cell at one gap in ``data/race_weights.npz`` (:func:`load_trained`); both
are checked against ``data/SHA256SUMS`` before they are read.
"""
from __future__ import annotations

import io
import itertools
import json
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from . import gru, lstm, rnn, tasks
from ._validate import (
    as_float_array,
    choice,
    float_arrays,
    instance,
    int_list,
    mapping,
    positive_float,
    positive_int,
    received,
)
from ._validate import seed as check_seed
from .data import DataFileError, read_verified
from .init import gru_params, lstm_params, rnn_params
from .optim import History, train_sgd

V = len(tasks.VOCAB)
"""Words in the clue task's vocabulary: one-hot inputs (D = V) and softmax outputs (K = V)."""

CELLS: dict[str, dict] = {
    "tanh RNN": {"model": "rnn", "init": "orthogonal", "activation": "tanh", "H": 32},
    "IRNN": {"model": "rnn", "init": "identity", "activation": "relu", "H": 32},
    "LSTM": {"model": "lstm", "H": 14},
    "GRU": {"model": "gru", "H": 17},
}
"""The four cells raced: the model, how it starts, and its hidden size H, chosen so that every cell
has the tanh RNN's number of parameters (lesson 05's H = 32) within ±5 % (:func:`parameter_count`)."""

GAPS = (5, 10, 20, 40, 60, 80)
"""Clue-to-answer gaps k of the race (sequence length T = k + 5)."""
SEEDS = (0, 1, 2, 3, 4)
"""The seeds reported: seed s starts from :func:`start_params` (cell, s) and trains on batches of s."""
LR_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
"""The learning rates tried first for every cell."""
LR_BEYOND = {"below": (0.003, 0.001), "above": (10.0, 30.0)}
"""The rates added, one at a time and for that cell only, while a cell's best rate sits at an edge of
its grid (``scripts/race.py``); a best rate still at an edge after these is reported, not hidden."""
TUNING_GAPS = (10, 20, 40, 80)
"""The gaps at which the learning rate is chosen: from one the tanh RNN can learn (in the tuning runs
it is at chance from gap 20 on, at every rate) to the longest, where the gated cells' rates still
differ (at gaps 10, 20 and 40 alone they scored 1.0 at two rates, and a tie settles nothing)."""
TUNING_SEED = 10
"""The seed of the tuning runs: not among :data:`SEEDS`, so no reported run chose its own rate."""
BATCH = 64
"""Sequences in each fresh training batch."""
STEPS = 1000
"""Training steps of every run."""
TEST_SIZE = 512
"""Sequences in the held-out test batch and in the validation batch."""
TEST_SEED = 999_999
"""The seed of the held-out test batch (one batch per gap, the same for every cell and seed)."""
VALIDATION_SEED = 999_998
"""The seed of the validation batch, on which the learning rate is chosen (never the test batch)."""
BATCH_SEED_BASE = 1_000_000
"""Training batch i of seed s is drawn from seed BATCH_SEED_BASE + s · steps + i (:func:`train`): above
the held-out seeds and the weights' seeds, so no training batch shares a random stream with them."""

INPUT_STD = 1.0
"""Standard deviation of every cell's input weights at the start (one-hot words: one column per word)."""
CHRONO_T_MAX = 85
"""T_max of the chrono initialisation of the gated cells: the longest sequence, gap 80 + 5 steps."""

RACE_FILE = "race.json"
WEIGHTS_FILE = "race_weights.npz"


def _cell(cell) -> dict:
    return CELLS[choice("cell", cell, tuple(CELLS))]


def start_params(cell: str, seed: int) -> dict:
    """The starting weights of ``cell`` (a key of :data:`CELLS`) for ``seed``, D = K = V words.

    tanh RNN and IRNN: :func:`helpers.init.rnn_params` (V, H, V) with init "orthogonal" or
    "identity"; LSTM: :func:`helpers.init.lstm_params` (V, H, V); GRU: :func:`helpers.init.gru_params`
    (V, H, V). Two rules then apply the same way to every cell and every gap:

    - the input weights (W_xh, or W_x) are drawn afresh with entries N(0, 1) (:data:`INPUT_STD`): the
      inputs are one-hot words, so each word reads one column, and a column of std 1/√D would move
      the state by ~1/√D (lesson 05's :func:`helpers.init.clue_params` draws N(0, 1) for the same reason);
    - the gated cells start with the chrono initialisation of Tallec & Ollivier (2018): the bias
      of the gate that keeps the memory is log u with u ~ U(1, T_max − 1) per unit (T_max =
      :data:`CHRONO_T_MAX`, the longest sequence of the race), so the units start with memory
      times 1/(1 − σ(log u)) = 1 + u spread from 2 to T_max steps: the LSTM's forget-gate bias
      b_f = log u and input-gate bias b_i = −log u; the GRU's update-gate bias b_xz = log u
      (z keeps h as f keeps c).

    Random streams: the initialiser draws from ``default_rng(seed)`` (and ``seed + 1``); the input
    weights and the chrono biases come from two children of ``numpy.random.SeedSequence(seed)``
    (``.spawn(2)``), streams independent of those and of every other seed's, so no two seeds share
    random numbers (an integer seed s + 1 would be the stream of seed s + 1's own weights).
    """
    spec = _cell(cell)
    seed = check_seed("seed", seed)
    H = spec["H"]
    inputs, chrono = (np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(2))
    if spec["model"] == "rnn":
        p = rnn_params(V, H, V, init=spec["init"], seed=seed)
        p["W_xh"] = INPUT_STD * inputs.standard_normal((H, V))
        return p
    log_u = np.log(chrono.uniform(1.0, CHRONO_T_MAX - 1.0, H))
    if spec["model"] == "lstm":
        p = lstm_params(V, H, V, seed=seed)
        p["b"][lstm.gate_slice("f", H)] = log_u
        p["b"][lstm.gate_slice("i", H)] = -log_u
    else:
        p = gru_params(V, H, V, seed=seed)
        p["b_x"][gru.gate_slice("z", H)] = log_u
    p["W_x"] = INPUT_STD * inputs.standard_normal(p["W_x"].shape)
    return p


def parameter_count(params: Mapping) -> int:
    """The number of trained numbers in ``params`` (a dict of arrays), readout included."""
    arrays = float_arrays("params", params, "weight arrays", ndim=None)
    return int(sum(a.size for a in arrays.values()))


def loss_and_grads(cell: str, params: Mapping, x, y) -> tuple[float, dict]:
    """The softmax loss of ``cell`` on the targets y, and its gradients: the course's tested
    :func:`helpers.rnn.rnn_loss_and_grads` (with the cell's activation),
    :func:`helpers.lstm.lstm_loss_and_grads` or :func:`helpers.gru.gru_loss_and_grads`.

    x : (T, B, V) one-hot words; y : (T, B) class ids, -1 where a step has no target
    """
    spec = _cell(cell)
    if spec["model"] == "lstm":
        return lstm.lstm_loss_and_grads(params, x, y, "softmax")
    if spec["model"] == "gru":
        return gru.gru_loss_and_grads(params, x, y, "softmax")
    return rnn.rnn_loss_and_grads(params, x, y, "softmax", activation=spec["activation"])


def outputs(cell: str, params: Mapping, x) -> np.ndarray:
    """(T, B, K) outputs o_t = W_hy h_t + b_y of ``cell`` on x (T, B, V), from a zero initial state."""
    spec = _cell(cell)
    if spec["model"] == "lstm":
        return lstm.lstm_outputs(params, x)[0]
    if spec["model"] == "gru":
        return gru.gru_outputs(params, x)[0]
    return rnn.rnn_outputs(params, x, activation=spec["activation"])[0]


def accuracy(cell: str, params: Mapping, gap: int, split: str = "test") -> float:
    """Accuracy of ``cell`` with ``params`` on the held-out "test" batch or on the "validation"
    batch of the clue task at ``gap`` (:data:`TEST_SIZE` sequences, seeds :data:`TEST_SEED` and
    :data:`VALIDATION_SEED`). Chance is 1/8."""
    seed = {"test": TEST_SEED, "validation": VALIDATION_SEED}[choice("split", split, ("test", "validation"))]
    x, y = tasks.clue_task(positive_int("gap", gap, minimum=tasks.MIN_GAP), TEST_SIZE, seed)
    return tasks.accuracy(outputs(cell, params, x), y)


def train(cell: str, gap: int, seed: int, lr: float, *, steps: int = STEPS,
          split: str = "test") -> tuple[History, float]:
    """Train ``cell`` on the clue task at ``gap`` the race's way, then measure its accuracy.

    :func:`helpers.optim.train_sgd` with norm clipping at 1 from :func:`start_params` (cell, seed);
    training batch i (i = 0 … steps − 1) is :func:`helpers.tasks.clue_task` (gap, BATCH,
    :data:`BATCH_SEED_BASE` + seed · steps + i): seed s's batches are not seed s′'s, nor the held-out batches.

    Parameters
    ----------
    cell : a key of :data:`CELLS`; gap : integer >= 5; seed : integer >= 0; lr : learning rate > 0
    steps : training steps (:data:`STEPS` in the race)
    split : the batch the accuracy is measured on, "test" or "validation" (:func:`accuracy`)

    Returns
    -------
    (History of :func:`helpers.optim.train_sgd`, accuracy after training). A run that diverges stops
    with the parameters of its last good step (History.status "diverged"), and is measured there.
    """
    _cell(cell)
    gap = positive_int("gap", gap, minimum=tasks.MIN_GAP)
    seed, steps, lr = check_seed("seed", seed), positive_int("steps", steps), positive_float("lr", lr)
    choice("split", split, ("test", "validation"))
    batch_seeds = itertools.count(BATCH_SEED_BASE + seed * steps)

    def step_loss_and_grads(p):
        x, y = tasks.clue_task(gap, BATCH, next(batch_seeds))
        return loss_and_grads(cell, p, x, y)

    hist = train_sgd(start_params(cell, seed), step_loss_and_grads, steps=steps, lr=lr, clip=1.0, verbose=False)
    return hist, accuracy(cell, hist.params, gap, split)


@dataclass(frozen=True)
class RaceResults:
    """The race as ``scripts/race.py`` ran it (read by :func:`load_race`); checked when made.

    cells : the cells' names, in the order of :data:`CELLS`; gaps : (G,) ints; seeds : (S,) ints
    accuracy : {cell: (G, S) test accuracy after training, in [0, 1]}
    lr : {cell: the learning rate chosen by the tuning}
    lr_grid : {cell: (L,) the rates tried for that cell, increasing: :data:`LR_GRID` and any rates of
        :data:`LR_BEYOND` added while its best rate sat at an edge}
    tuning_gaps : (M,) ints; tuning_seed : int
    validation : {cell: (L, M) validation accuracy of the tuning runs, one row per rate of lr_grid[cell]}
    parameters : {cell: number of parameters}; hidden : {cell: H}
    ms_per_step : {cell: median time of one training step, in milliseconds (see provenance["timing"])}
    settings : steps, batch, test and validation sizes, clipping
    trained_gap : the gap whose trained weights (every seed) ``data/race_weights.npz`` keeps
    loss_seed0 : {cell: (steps,) training loss of seed 0 at trained_gap, 4 significant digits}, or {}
    diverged : the runs that stopped early, each {"cell", "gap", "seed", "lr"} (none: an empty list)
    lr_at_edge : the cells whose chosen rate is still the lowest or highest rate tried (none: ())
    provenance : how the numbers were made (script, command, date, versions, machine)
    """

    cells: tuple
    gaps: np.ndarray
    seeds: np.ndarray
    accuracy: dict
    lr: dict
    lr_grid: dict
    tuning_gaps: np.ndarray
    tuning_seed: int
    validation: dict
    parameters: dict
    hidden: dict
    ms_per_step: dict
    settings: dict = field(default_factory=dict)
    trained_gap: int = 40
    loss_seed0: dict = field(default_factory=dict)
    diverged: list = field(default_factory=list)
    lr_at_edge: tuple = ()
    provenance: dict = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.cells, tuple) or not self.cells or not all(isinstance(c, str) for c in self.cells):
            raise ValueError(f"cells must be a non-empty tuple of the cells' names, got {received(self.cells)}")
        gaps, seeds = _ints("gaps", self.gaps, tasks.MIN_GAP), _ints("seeds", self.seeds, 0)
        tuning_gaps = _ints("tuning_gaps", self.tuning_gaps, tasks.MIN_GAP)
        cells = self.cells
        accuracy = _per_cell("accuracy", self.accuracy, cells, ("G", "S"), unit=True)
        for c in cells:
            if accuracy[c].shape != (gaps.size, seeds.size):
                raise ValueError(f"accuracy[{c!r}] must have shape (len(gaps), len(seeds)) = "
                                 f"{(gaps.size, seeds.size)}, got shape {accuracy[c].shape}")
        lr_grid = _per_cell("lr_grid", self.lr_grid, cells, ("L",), positive=True)
        validation = _per_cell("validation", self.validation, cells, ("L", "M"), unit=True)
        for c in cells:
            if validation[c].shape != (lr_grid[c].size, tuning_gaps.size):
                raise ValueError(f"validation[{c!r}] must have shape (len(lr_grid[{c!r}]), len(tuning_gaps)) = "
                                 f"{(lr_grid[c].size, tuning_gaps.size)}, got shape {validation[c].shape}")
        lr = {c: float(v) for c, v in _per_cell("lr", self.lr, cells, (), positive=True).items()}
        for c in cells:
            if lr[c] not in lr_grid[c]:
                raise ValueError(f"lr[{c!r}] must be one of the rates tried, lr_grid[{c!r}] = {lr_grid[c]}; "
                                 f"got {lr[c]}")
        counts = {name: {c: positive_int(f"{name}[{c!r}]", v)
                         for c, v in mapping(name, value, "cell: integer").items()}
                  for name, value in (("parameters", self.parameters), ("hidden", self.hidden))}
        for name, value in counts.items():
            _per_cell(name, value, cells, ())
        ms = {c: float(v) for c, v in _per_cell("ms_per_step", self.ms_per_step, cells, (), positive=True).items()}
        loss = {} if self.loss_seed0 == {} else _per_cell("loss_seed0", self.loss_seed0, cells, ("steps",))
        at_edge = instance("lr_at_edge", self.lr_at_edge, tuple, "a tuple of cells' names")
        if not set(at_edge) <= set(cells):
            raise ValueError(f"lr_at_edge must name cells among {list(cells)}, got {list(at_edge)}")
        instance("diverged", self.diverged, list, "a list of runs, each a dict")
        for name in ("settings", "provenance"):
            mapping(name, getattr(self, name), "settings", empty_ok=True)
        values = {"gaps": gaps, "seeds": seeds, "tuning_gaps": tuning_gaps, "accuracy": accuracy, "lr": lr,
                  "lr_grid": lr_grid, "validation": validation, "parameters": counts["parameters"],
                  "hidden": counts["hidden"], "ms_per_step": ms, "loss_seed0": loss,
                  "tuning_seed": check_seed("tuning_seed", self.tuning_seed),
                  "trained_gap": positive_int("trained_gap", self.trained_gap, minimum=tasks.MIN_GAP)}
        for name, value in values.items():
            object.__setattr__(self, name, value)


def _ints(name: str, value, minimum: int) -> np.ndarray:
    """A non-empty 1-D int array of entries >= ``minimum`` (private: _validate.int_list returns a list)."""
    return np.array(int_list(name, value, minimum=minimum), dtype=int)


def _per_cell(name: str, value, cells: tuple, shape, *, unit: bool = False, positive: bool = False) -> dict:
    """{cell: float array of ``shape``}, one entry for every cell of ``cells``; ``unit``: in [0, 1];
    ``positive``: > 0."""
    mapping(name, value, "one entry per cell")
    if set(value) != set(cells):
        raise ValueError(f"{name} must have one entry per cell {sorted(cells)}, got {sorted(map(str, value))}")
    out = {c: as_float_array(f"{name}[{c!r}]", value[c], shape) for c in cells}
    for c, a in out.items():
        if unit and np.any((a < 0) | (a > 1)):
            raise ValueError(f"{name}[{c!r}] must hold accuracies in [0, 1], got values from {a.min():g} to "
                             f"{a.max():g}")
        if positive and np.any(a <= 0):
            raise ValueError(f"{name}[{c!r}] must be > 0, got {a}")
    return out


def _regenerate(name: str, why: str) -> DataFileError:
    return DataFileError(f"The data file {name} could not be read ({why}). Regenerate it with "
                         "`OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/race.py`, then update data/SHA256SUMS.")


def load_race(data_dir: str | os.PathLike | None = None) -> RaceResults:
    """Read ``data/race.json`` (after checking its SHA-256 against ``data/SHA256SUMS``, like every
    loader of :mod:`helpers.data`) into a :class:`RaceResults`.

    data_dir : folder holding the data files; None for the course's ``data/``
    """
    raw = read_verified(RACE_FILE, data_dir)
    try:
        d = json.loads(raw.decode("utf-8"))
        tuning = d["tuning"]
        results = RaceResults(tuple(CELLS), d["gaps"], d["seeds"], d["accuracy"], d["lr"], tuning["lr_grid"],
                              tuning["gaps"], tuning["seed"], tuning["validation"], d["parameters"], d["hidden"],
                              d["ms_per_step"], dict(d["settings"]), d["trained_gap"], d["loss_seed0"],
                              [dict(run) for run in d["diverged"]], tuple(tuning["lr_at_edge"]),
                              dict(d["provenance"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise _regenerate(RACE_FILE, exc) from None
    return results


def load_trained(cell: str, seed: int = 0, data_dir: str | os.PathLike | None = None) -> tuple[dict, int]:
    """The weights of ``cell`` after training ``seed`` (one of :data:`SEEDS`) at the race's trained
    gap, from ``data/race_weights.npz`` (checked against ``data/SHA256SUMS`` first).

    Returns
    -------
    (params, gap): a dict of arrays with the keys of :func:`start_params` (cell, seed), and the gap
    they were trained at (for :data:`STEPS` steps with the cell's chosen learning rate).
    """
    _cell(cell)
    seed = check_seed("seed", seed)
    if seed not in SEEDS:
        raise ValueError(f"seed must be one of the race's seeds {SEEDS}, whose trained weights the file keeps; "
                         f"got {seed}")
    raw = read_verified(WEIGHTS_FILE, data_dir)
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            stored = {k: npz[k] for k in npz.files}
        gap = int(stored["gap"])
        shapes = {k: v.shape for k, v in start_params(cell, seed).items()}
        params = {k: as_float_array(f"{cell}/seed{seed}/{k}", stored[f"{cell}/seed{seed}/{k}"], shape).copy()
                  for k, shape in shapes.items()}
    except (ValueError, KeyError, TypeError, OSError, zipfile.BadZipFile) as exc:
        raise _regenerate(WEIGHTS_FILE, exc) from None
    return params, gap


def seed_table(results: RaceResults) -> str:
    """The race as a table: one row per cell, one column per gap, each entry the median test
    accuracy over the seeds and, in brackets, the lowest and highest."""
    instance("results", results, RaceResults, "a RaceResults (from load_race)")
    rows = ["cell      " + "".join(f"{f'gap {g}':>20s}" for g in results.gaps)]
    for c in results.cells:
        a = results.accuracy[c]
        rows.append(f"{c:10s}" + "".join(f"{np.median(r):8.2f} ({r.min():.2f}–{r.max():.2f})" for r in a))
    return "\n".join(rows)
