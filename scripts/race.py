"""Race four recurrent cells on the clue task over gaps 5 … 80; write data/race.json and data/race_weights.npz.

Usage (from the repository root, about 22 minutes of CPU time on one core):

    OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/race.py

Lesson 07 compares the tanh RNN (orthogonal W_hh), the IRNN, the LSTM and the GRU on lesson 05's
clue task (``helpers.race``: the cells, their sizes, the training). Far too long for a lesson's Run
All, so this script runs it once into a data file that the lesson draws, and the lesson retrains one
cheap point live to check the file.

1. Tuning. For every cell and every learning rate of ``race.LR_GRID``: ``race.train(cell, gap,
   race.TUNING_SEED, lr, split="validation")`` at each gap of ``race.TUNING_GAPS``. Each cell gets
   the rate with the best mean validation accuracy over the tuning gaps (the smaller rate on a tie).
   While a cell's best rate is the lowest (highest) it has tried, the next rate of
   ``race.LR_BEYOND["below"]`` (``["above"]``) is tried for that cell, so that no cell is held at
   the edge of a grid; a rate still at an edge after that is printed as a WARNING line and listed
   in the file (``tuning.lr_at_edge``). The tuning seed is not a reported seed, and the validation
   batch is not the test batch.
2. The race. For every cell, gap of ``race.GAPS`` and seed of ``race.SEEDS``: ``race.train(cell,
   gap, seed, lr)`` with the cell's chosen rate; its test accuracy, rounded to 6 digits.
3. Cost. The parameters of each cell (``race.parameter_count``) and the time of one training step:
   the median over the steps of a 100-step run at gap 40 with batches of ``race.BATCH``, in CPU time
   of this process (``time.process_time``), so that other programs on the machine do not count.
4. The trained weights of every seed of every cell at gap ``TRAINED_GAP`` go to
   data/race_weights.npz (the starting weights are ``race.start_params(cell, seed)``), and the
   training loss of seed 0's runs there to data/race.json (4 significant digits).

The provenance (this script, the command, seeds, gaps, date, versions of Python and numpy, the BLAS,
the threads, the CPU) goes into the file. At the end the script prints the two files' lines for
data/SHA256SUMS (the loaders, ``race.load_race`` and ``race.load_trained``, check them).
"""
from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from machine import blas, cpu  # noqa: E402  (scripts/machine.py, beside this script)

from helpers import race, tasks  # noqa: E402
from helpers.optim import train_sgd  # noqa: E402

TRAINED_GAP = 40          # the gap whose trained weights (every seed) the file keeps
TIMING_GAP, TIMING_STEPS = 40, 100


def _ms_per_step(cell: str, lr: float) -> float:
    """Median CPU time of one training step (fresh batch, forward, backward, clipping, update), in ms."""
    stamps = []

    def timed(p):
        stamps.append(time.process_time())
        x, y = tasks.clue_task(TIMING_GAP, race.BATCH, len(stamps))
        return race.loss_and_grads(cell, p, x, y)

    train_sgd(race.start_params(cell, 0), timed, steps=TIMING_STEPS + 1, lr=lr, clip=1.0, verbose=False)
    return round(1000 * float(np.median(np.diff(stamps))), 2)


def _json_text(value, indent: str = "") -> str:
    """JSON with every list of numbers on one line (dicts and lists of lists one entry a line)."""
    inner = indent + " "
    if isinstance(value, dict):
        return "{\n" + ",\n".join(f"{inner}{json.dumps(k)}: {_json_text(v, inner)}" for k, v in value.items()) \
            + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(inner + _json_text(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def _best(grid, table):
    """The rate of ``grid`` with the best mean validation accuracy (row of ``table``); the smaller on a tie."""
    return grid[int(np.argmax(np.mean(table, axis=1)))]      # argmax: the first (smaller) rate on a tie


def _run(cell, gap, seed, lr, split="test"):
    start = time.perf_counter()
    hist, acc = race.train(cell, gap, seed, lr, split=split)
    print(f"{cell:9s} gap {gap:2d} seed {seed:2d} lr {lr:<5g} {split:10s} accuracy {acc:.3f} "
          f"({hist.status}, {time.perf_counter() - start:.1f} s)", flush=True)
    return hist, round(acc, 6)


def main() -> None:
    began = time.perf_counter()
    load_at_start = os.getloadavg()
    validation, lr, lr_grid, at_edge, diverged = {}, {}, {}, [], []
    for cell in race.CELLS:
        rows = {}

        def tune(rate, cell=cell, rows=rows):
            row = []
            for gap in race.TUNING_GAPS:
                hist, acc = _run(cell, gap, race.TUNING_SEED, rate, "validation")
                row.append(acc)
                if hist.status != "finished":
                    diverged.append({"cell": cell, "gap": gap, "seed": race.TUNING_SEED, "lr": rate})
            rows[rate] = row

        for rate in race.LR_GRID:
            tune(rate)
        below, above = list(race.LR_BEYOND["below"]), list(race.LR_BEYOND["above"])
        while True:
            grid = sorted(rows)
            best = _best(grid, [rows[r] for r in grid])
            if best == grid[0] and below:
                tune(below.pop(0))
            elif best == grid[-1] and above:
                tune(above.pop(0))
            else:
                break
        lr_grid[cell], validation[cell], lr[cell] = grid, [rows[r] for r in grid], best
        extra = sorted(set(grid) - set(race.LR_GRID))
        print(f"{cell}: chosen lr {best}" + (f" (grid extended by {extra})" if extra else ""), flush=True)
        if best in (grid[0], grid[-1]):
            at_edge.append(cell)
            print(f"WARNING: {cell}'s chosen rate {best} is at an edge of the rates tried {grid}", flush=True)

    accuracy, weights, loss_seed0 = {}, {"gap": np.array(TRAINED_GAP), "steps": np.array(race.STEPS)}, {}
    for cell in race.CELLS:
        accuracy[cell] = []
        for gap in race.GAPS:
            row = []
            for seed in race.SEEDS:
                hist, acc = _run(cell, gap, seed, lr[cell])
                row.append(acc)
                if hist.status != "finished":
                    diverged.append({"cell": cell, "gap": gap, "seed": seed, "lr": lr[cell]})
                if gap == TRAINED_GAP:
                    weights.update({f"{cell}/seed{seed}/{k}": v for k, v in hist.params.items()})
                    if seed == 0:
                        loss_seed0[cell] = [float(f"{v:.4g}") for v in hist.loss]
            accuracy[cell].append(row)

    ms = {cell: _ms_per_step(cell, lr[cell]) for cell in race.CELLS}
    print("ms per step:", ms, flush=True)
    record = {
        "about": "Lesson 07's race of four recurrent cells on the clue task (helpers.race); "
                 "read with helpers.race.load_race().",
        "cells": {c: dict(spec) for c, spec in race.CELLS.items()},
        "gaps": list(race.GAPS),
        "seeds": list(race.SEEDS),
        "accuracy": accuracy,
        "lr": lr,
        "tuning": {"lr_grid": lr_grid, "gaps": list(race.TUNING_GAPS), "seed": race.TUNING_SEED,
                   "split": "validation", "rule": "best mean validation accuracy over the tuning gaps, the smaller "
                   "rate on a tie; grid race.LR_GRID for every cell, and while a cell's best rate is the lowest "
                   "(highest) it tried, the next rate of race.LR_BEYOND['below'] (['above']) is tried for it",
                   "lr_at_edge": at_edge, "validation": validation},
        "parameters": {c: race.parameter_count(race.start_params(c, 0)) for c in race.CELLS},
        "hidden": {c: spec["H"] for c, spec in race.CELLS.items()},
        "ms_per_step": ms,
        "diverged": diverged,
        "settings": {"steps": race.STEPS, "batch": race.BATCH, "clip": 1.0, "test_size": race.TEST_SIZE,
                     "test_seed": race.TEST_SEED, "validation_seed": race.VALIDATION_SEED,
                     "input_std": race.INPUT_STD, "chrono_T_max": race.CHRONO_T_MAX},
        "trained_gap": TRAINED_GAP,
        "loss_seed0": loss_seed0,
        "provenance": {
            "script": "scripts/race.py",
            "command": "OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/race.py",
            "seeds": list(race.SEEDS),
            "gaps": list(race.GAPS),
            "date": datetime.date.today().isoformat(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "blas": blas(),
            "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
            "cpu": cpu(),
            "cores": os.cpu_count(),
            "load_average_at_start": [round(v, 2) for v in load_at_start],
            "wall_time_s": round(time.perf_counter() - began),
            "cpu_time_s": round(time.process_time()),
            "initialisation": "initialisation chosen from trial runs on seed 0 before the race: input weights of "
                              "std 1 and the chrono start of the gated cells (see helpers.race); seed 0 is a "
                              "reported seed, and those trial runs were not redone on another seed",
            "timing": f"ms_per_step: median CPU time (time.process_time) of one training step over a "
                      f"{TIMING_STEPS}-step run at gap {TIMING_GAP}, batch {race.BATCH}, seed 0, the cell's chosen lr",
            "what": "accuracy: test accuracy (race.TEST_SIZE held-out sequences, seed race.TEST_SEED) after "
                    "race.train(cell, gap, seed, lr[cell]), rounded to 6 digits; tuning.validation: the same "
                    "on the validation batch for seed tuning.seed; loss_seed0: training loss of seed 0 at "
                    "trained_gap (4 significant digits); race_weights.npz holds every seed's trained weights "
                    "at trained_gap",
        },
    }
    data = ROOT / "data"
    text = _json_text(record) + "\n"
    (data / race.RACE_FILE).write_text(text, encoding="utf-8")
    buffer = io.BytesIO()
    np.savez(buffer, **weights)
    (data / race.WEIGHTS_FILE).write_bytes(buffer.getvalue())
    print(f"wrote data/{race.RACE_FILE} and data/{race.WEIGHTS_FILE} in {time.perf_counter() - began:.0f} s "
          f"(CPU {time.process_time():.0f} s); their lines for data/SHA256SUMS:")
    print(f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}  {race.RACE_FILE}")
    print(f"{hashlib.sha256(buffer.getvalue()).hexdigest()}  {race.WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
