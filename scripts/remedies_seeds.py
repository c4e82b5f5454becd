"""Train every run lesson 06 compares for ten seeds; write data/remedies_seeds.json.

Usage (from the repository root, about ten minutes on one core; a step with Ω costs about two plain
ones with the paper's gradient and three with the exact one):

    OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/remedies_seeds.py

One seed decides too much in lesson 06: the IRNN on the copy task with T = 40 ends anywhere from
chance to well above it, depending on the seed (and, for one seed, on round-off). So the lesson
quotes every comparison over seeds 0–9, as the median and the range, from this file; its check
cells retrain seed 0 of a run live and compare with the file.

For each run of ``helpers.remedies.RUNS`` and each seed s: the starting weights
``remedies.start_params(run, s)``, training batches with seeds 10000·s + i, and the test accuracy
on ``remedies.TEST_SIZE`` held-out sequences (``remedies.train_run``). For the tanh runs with
T = 40 it also keeps how the error flows back (``remedies.error_flow``: the reach ‖∂L/∂h_1‖/‖∂L/∂h_T‖
and Pascanu et al.'s Ω on the held-out batch) at the start and after training. The file also keeps the
training loss of seed 0 for the runs the lesson draws, rounded to 5 significant digits, and its
provenance (this script, the seeds, the date, the versions of Python and numpy, the BLAS).
At the end the script prints the file's SHA-256 line for data/SHA256SUMS (the loader,
``remedies.load_seed_runs``, checks the file against it).
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from machine import blas  # noqa: E402  (scripts/machine.py, beside this script)

from helpers import remedies  # noqa: E402

SEEDS = list(range(10))
DRAWN = ("T40 Gaussian tanh", "T40 orthogonal tanh", "T40 IRNN")     # loss curves in the lesson


def main() -> None:
    out = ROOT / "data" / remedies.SEED_RUNS_FILE
    accuracy, loss_seed0 = {}, {}
    flow = {m: {run: [] for run in remedies.flow_runs()} for m in remedies.FLOW_MEASURES}
    for run in remedies.RUNS:
        accs = []
        for seed in SEEDS:
            start = time.perf_counter()
            hist, acc = remedies.train_run(run, seed)
            accs.append(round(float(acc), 6))
            if seed == 0 and run in DRAWN:
                loss_seed0[run] = [float(f"{v:.5g}") for v in hist.loss]
            if run in remedies.flow_runs():
                T = remedies.RUNS[run]["T"]
                for when, params in (("start", remedies.start_params(run, seed)), ("trained", hist.params)):
                    for measure, value in remedies.error_flow(params, T).items():
                        flow[f"{measure}_{when}"][run].append(float(f"{value:.6g}"))
            print(f"{run:26s} seed {seed}: accuracy {acc:.3f} ({hist.status}, {time.perf_counter() - start:.1f} s)",
                  flush=True)
        accuracy[run] = accs
    provenance = {
        "script": "scripts/remedies_seeds.py",
        "command": "OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/remedies_seeds.py",
        "seeds": SEEDS,
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas(),
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
        "runs": remedies.RUNS,
        "what": "test accuracy on remedies.TEST_SIZE held-out copy-task sequences after training each run "
                "of helpers.remedies.RUNS with remedies.train_run(run, seed); loss_seed0: the training "
                "loss of seed 0 at every step (5 significant digits); flow: remedies.error_flow at the "
                "start and after training, for the tanh runs with T = 40 (6 significant digits)",
    }
    text = json.dumps({"provenance": provenance, "accuracy": accuracy, "loss_seed0": loss_seed0, "flow": flow},
                      ensure_ascii=False, indent=1) + "\n"
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}; its line for data/SHA256SUMS:")
    print(f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}  {out.name}")


if __name__ == "__main__":
    main()
