"""The remedies of lesson 06 compared on one task: training a model on copy-the-first-symbol.

The task (:func:`helpers.tasks.copy_first_symbol`) shows the clue as the first input x_1 (array
index 0) and asks for it at the last step T, so a model learns it only if the gradient crosses all
T − 1 steps in between. Every model is trained the same way, so what differs between two runs is
the model alone (and, for the runs with a weight on Pascanu et al.'s regulariser Ω, that weight and
which gradient of Ω: the paper's, with the states held, or the exact one).

One training run is one seed, and a single seed can mislead (lesson 06's IRNN ends anywhere from
chance to well above it). :data:`RUNS` names every run the lesson compares, :func:`train_run`
trains one of them for one seed, and ``scripts/remedies_seeds.py`` trains all of them for ten
seeds into ``data/remedies_seeds.json``, which :func:`load_seed_runs` reads back (checked against
its SHA-256 in ``data/SHA256SUMS``).
"""
from __future__ import annotations

import itertools
import json
import os
from collections.abc import Mapping

import numpy as np

from . import regulariser, rnn, tasks
from ._validate import as_float_array, choice, flag, int_list, non_empty, positive_int, real, row_norms
from ._validate import seed as check_seed
from .data import DataFileError, read_verified
from .init import rnn_params
from .optim import History, global_norm, train_sgd

BATCH = 32            # sequences in each fresh training batch
TEST_SIZE = 500       # held-out sequences for the test accuracy
TEST_SEED = 99_999    # the held-out batch's seed (training batches use seeds below it)


def train_on_copy(params: Mapping, T: int, *, activation: str = "tanh", truncate: int | None = None,
                  omega: float = 0.0, through_states: bool | None = None, steps: int = 800, lr: float = 0.1,
                  seed: int = 0) -> tuple[History, float]:
    """SGD with norm clipping at 1 on fresh batches of copy-the-first-symbol, then the accuracy.

    Parameters
    ----------
    params : initial parameters, from :func:`helpers.init.rnn_params`
    T : sequence length, integer >= 1
    activation, truncate : as in :func:`helpers.rnn.rnn_loss_and_grads`
    omega : the weight α >= 0 of Pascanu et al.'s regulariser Ω (0: none); α > 0 trains on E + α Ω
        with :func:`helpers.regulariser.regularised_loss_and_grads` (tanh and full BPTT only), so
        the recorded losses are E + α Ω; clipping at 1 acts on the whole gradient, as in the paper
    through_states : which gradient of Ω, needed when omega > 0 (as in
        :func:`helpers.regulariser.omega_grad`: False the paper's, with the states held; True the
        exact one with δ frozen); ignored when omega is 0, where it may be None
    steps, lr : as in :func:`helpers.optim.train_sgd`; training batch i has seed 10000·seed + i
    seed : integer >= 0

    Returns
    -------
    (History of the training run, test accuracy on TEST_SIZE held-out sequences)
    """
    T = positive_int("T", T)
    omega = real("omega", omega, minimum=0.0)
    if omega > 0 and (activation != "tanh" or truncate is not None):
        raise ValueError(f"omega > 0 needs activation='tanh' and truncate=None (Ω is defined for the tanh RNN "
                         f"with full BPTT here), got activation={activation!r}, truncate={truncate!r}")
    if through_states is not None:
        through_states = flag("through_states", through_states)
    elif omega > 0:
        raise ValueError("through_states must be True or False when omega > 0 (which gradient of Ω: False the "
                         "paper's, the states held; True the exact one), got None")
    batch_seeds = itertools.count(10_000 * check_seed("seed", seed))

    def loss_and_grads(p):
        x, y = tasks.copy_first_symbol(T, BATCH, next(batch_seeds))
        if omega > 0:
            return regulariser.regularised_loss_and_grads(p, x, y, "softmax", omega, through_states=through_states)
        return rnn.rnn_loss_and_grads(p, x, y, "softmax", activation=activation, truncate=truncate)

    hist = train_sgd(params, loss_and_grads, steps=steps, lr=lr, clip=1.0)
    x_test, y_test = tasks.copy_first_symbol(T, TEST_SIZE, seed=TEST_SEED)
    o = rnn.rnn_outputs(hist.params, x_test, activation=activation)[0]
    return hist, tasks.accuracy(o, y_test)


# Every run lesson 06 compares: how it starts and how it is trained; H = 32, 4 symbols in and out.
# The runs with Ω try the same weights α for both tanh starts (the paper's α is chosen per task), with
# each of Ω's two gradients (helpers.regulariser.omega_grad): "paper" (the states held, eq. 10's ∂⁺)
# and "exact" (through the states too).
OMEGA_WEIGHTS = (0.1, 1.0, 10.0)
OMEGA_GRADIENTS = {"paper": False, "exact": True}     # run-name suffix → through_states
RUNS: dict[str, dict] = {
    "T12 full BPTT": {"T": 12, "init": "gaussian", "activation": "tanh", "lr": 0.3, "steps": 500},
    "T12 truncate 4": {"T": 12, "init": "gaussian", "activation": "tanh", "lr": 0.3, "steps": 500, "truncate": 4},
    "T40 Gaussian tanh": {"T": 40, "init": "gaussian", "activation": "tanh", "lr": 0.1},
    "T40 orthogonal tanh": {"T": 40, "init": "orthogonal", "activation": "tanh", "lr": 0.1},
    "T40 IRNN": {"T": 40, "init": "identity", "activation": "relu", "lr": 0.03},
    "T40 IRNN lr 0.1": {"T": 40, "init": "identity", "activation": "relu", "lr": 0.1},
    "T40 IRNN lr 0.3": {"T": 40, "init": "identity", "activation": "relu", "lr": 0.3},
    "T40 Gaussian tanh lr 0.3": {"T": 40, "init": "gaussian", "activation": "tanh", "lr": 0.3},
    **{f"T40 {name} tanh omega {alpha:g} {grad}": {"T": 40, "init": name.lower(), "activation": "tanh", "lr": 0.1,
                                                    "omega": alpha, "through_states": through}
       for grad, through in OMEGA_GRADIENTS.items() for name in ("Gaussian", "orthogonal") for alpha in OMEGA_WEIGHTS},
}


def gradient_norms_against_length(params: Mapping, lengths, truncate: int, *, B: int = 32,
                                  seed: int = 0) -> dict[str, np.ndarray]:
    """‖∂L/∂θ‖ (the global norm over every parameter) on the copy task of each length T, with full
    BPTT and with ``truncate``, for a target at the last step only and for a target at every step
    (the symbol asked for, at every step). Returns {label: (len(lengths),) norms}, four labels.

    lengths : sequence lengths T, integers >= 1; B : sequences per batch; seed : the batches' seed
    """
    lengths = int_list("lengths", lengths)
    seed = check_seed("seed", seed)
    norms = {}
    for k in (None, positive_int("truncate", truncate, minimum=0)):
        for every in (False, True):
            name = "full BPTT" if k is None else f"truncate = {k}"
            label = f"{name}, a target at every step" if every else f"{name}, target at T"
            norms[label] = np.empty(len(lengths))
            for i, T in enumerate(lengths):
                x, y = tasks.copy_first_symbol(T, B, seed=seed)
                if every:
                    y = np.broadcast_to(y[-1], y.shape).copy()
                norms[label][i] = global_norm(rnn.rnn_loss_and_grads(params, x, y, "softmax", truncate=k)[1])
    return norms


def start_params(run: str, seed: int) -> dict:
    """The starting weights of ``run`` (a key of :data:`RUNS`) for ``seed``:
    :func:`helpers.init.rnn_params` (4, 32, 4) with the run's init."""
    spec = RUNS[choice("run", run, tuple(RUNS))]
    return rnn_params(4, 32, 4, init=spec["init"], seed=check_seed("seed", seed))


def train_run(run: str, seed: int) -> tuple[History, float]:
    """Train ``run`` (a key of :data:`RUNS`) from :func:`start_params` with batches of ``seed``:
    :func:`train_on_copy` with the run's settings. Returns (History, test accuracy)."""
    spec = RUNS[choice("run", run, tuple(RUNS))]
    kwargs = {k: spec[k] for k in ("activation", "truncate", "omega", "through_states", "steps", "lr") if k in spec}
    return train_on_copy(start_params(run, seed), spec["T"], seed=seed, **kwargs)


def error_flow(params: Mapping, T: int, *, B: int = 100, seed: int = TEST_SEED) -> dict[str, float]:
    """How the error travels back through the tanh RNN on the copy task of length T (a target at T
    only), on B sequences (:func:`helpers.regulariser.backprop_errors`):

    - "reach": ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖, the share of the error at the answer that gets back to the
      state that saw the clue (median over the sequences); 1 if every step kept the error's norm;
    - "omega": Pascanu et al.'s Ω on these sequences (:func:`helpers.regulariser.omega`).

    params : the RNN's parameters (:func:`helpers.init.rnn_params`); T : integer >= 1
    B : sequences, integer >= 1; seed : the batch's seed (default: the held-out test batch's)
    """
    x, y = tasks.copy_first_symbol(positive_int("T", T), positive_int("B", B), seed=check_seed("seed", seed))
    errors = regulariser.backprop_errors(params, x, y, "softmax")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        reach = row_norms(errors[0]) / row_norms(errors[-1])    # ‖δ_T‖ > 0: softmax never meets its target
    return {"reach": float(np.median(reach)), "omega": regulariser.omega(params, x, errors)}


FLOW_MEASURES = ("reach_start", "reach_trained", "omega_start", "omega_trained")


def flow_runs() -> list[str]:
    """The runs of :data:`RUNS` whose error flow the data file keeps: the tanh RNNs with T = 40."""
    return [run for run, spec in RUNS.items() if spec["T"] == 40 and spec["activation"] == "tanh"]


SEED_RUNS_FILE = "remedies_seeds.json"


def load_seed_runs(data_dir: str | os.PathLike | None = None) -> dict:
    """Every run of :data:`RUNS` trained for ten seeds, as ``scripts/remedies_seeds.py`` wrote them
    into ``data/remedies_seeds.json`` (its SHA-256 checked against ``data/SHA256SUMS`` first, like
    every loader of :mod:`helpers.data`).

    data_dir : folder holding the data files; None for the course's ``data/``

    Returns
    -------
    dict with "accuracy" {run: (n_seeds,) float array, the test accuracy of seeds 0, 1, …},
    "loss_seed0" {run: (steps,) float array, the training loss of seed 0, for the runs the lesson
    draws}, "flow" {measure: {run: (n_seeds,) float array}} for the tanh runs with T = 40, the
    measures of :func:`error_flow` at the start and after training ("reach_start", "reach_trained",
    "omega_start", "omega_trained"), "seeds" (n_seeds,) int array and "provenance" (the script, the
    date, the versions).
    """
    content = read_verified(SEED_RUNS_FILE, data_dir)
    try:
        raw = json.loads(content.decode("utf-8"))
        seeds = np.array(raw["provenance"]["seeds"], dtype=int)
        accuracy = {k: as_float_array(f"accuracy[{k!r}]", v, (seeds.size,)) for k, v in raw["accuracy"].items()}
        loss = {k: as_float_array(f"loss_seed0[{k!r}]", v, ("steps",)) for k, v in raw["loss_seed0"].items()}
        flow = {m: {k: as_float_array(f"flow[{m!r}][{k!r}]", v, (seeds.size,)) for k, v in runs.items()}
                for m, runs in raw["flow"].items()}
        if set(accuracy) != set(RUNS) or not set(loss) <= set(RUNS):
            raise ValueError(f"the runs {sorted(accuracy)} are not those of helpers.remedies.RUNS")
        if set(flow) != set(FLOW_MEASURES) or any(set(runs) != set(flow_runs()) for runs in flow.values()):
            raise ValueError(f"flow must hold {', '.join(FLOW_MEASURES)} for the runs {flow_runs()}")
        provenance = dict(raw["provenance"])
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(f"The data file {SEED_RUNS_FILE} could not be read ({exc}). Regenerate it with "
                            "`.venv/bin/python scripts/remedies_seeds.py`, then update data/SHA256SUMS.") from None
    return {"accuracy": accuracy, "loss_seed0": loss, "flow": flow, "seeds": seeds, "provenance": provenance}


def seed_range(accuracies) -> str:
    """'0.27 (0.25–0.31)': the median over seeds and, in brackets, the lowest and highest.

    accuracies : (S,) finite numbers, S >= 1
    """
    a = non_empty("accuracies", as_float_array("accuracies", accuracies, ("S",)))
    return f"{np.median(a):.2f} ({a.min():.2f}–{a.max():.2f})"
