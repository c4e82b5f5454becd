"""Lesson 05's training runs over ten seeds, written to data/longterm_seeds.json.

Usage (from the repository root; about 40 s on one core):

    OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/longterm_seeds.py

Lesson 05 trains live on three seeds of the clue task and one seed of the adding problem, which is
what its 20-second budget allows. What it says about every seed rests on the ten seeds computed
here, with exactly the lesson's calls (helpers.longterm.seed_runs runs gap_sweep and train_adding).
The lesson's live runs are seeds 0-2 and 1 of this file, and one of its check cells confirms that
they agree, so the file cannot drift away from the code without the lesson saying so.

The file records its provenance (this script, the command, the seeds, the date, the Python and
numpy versions). After regenerating it, rewrite its line in data/SHA256SUMS
(`sha256sum longterm_seeds.json` inside data/).
"""
from __future__ import annotations

import platform
import sys
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.longterm import SEED_RUNS_FILE, seed_runs, seed_runs_to_json  # noqa: E402

GAPS = (5, 7, 10, 20, 40)
SEEDS = tuple(range(10))
ADDING_T = (5, 50)
CLUE_KWARGS = {"H": 32, "B": 64, "steps": 200, "lr": 0.3}          # the lesson's gap_sweep
ADDING_KWARGS = {"H": 32, "B": 64, "steps": 400, "lr": 0.03}       # the lesson's train_adding


def main() -> None:
    runs = seed_runs(GAPS, SEEDS, ADDING_T, SEEDS, CLUE_KWARGS, ADDING_KWARGS)
    runs.provenance = {
        "script": "scripts/longterm_seeds.py",
        "command": "OPENBLAS_NUM_THREADS=1 .venv/bin/python scripts/longterm_seeds.py",
        "calls": "helpers.longterm.seed_runs(gaps, seeds, adding_T, adding_seeds, clue_kwargs, adding_kwargs)",
        "seeds": list(SEEDS),
        "date": date.today().isoformat(),
        "python": platform.python_version(),
        "numpy": np.__version__,
    }
    path = ROOT / "data" / SEED_RUNS_FILE
    path.write_text(seed_runs_to_json(runs), encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}; now update its line in data/SHA256SUMS")


if __name__ == "__main__":
    main()
