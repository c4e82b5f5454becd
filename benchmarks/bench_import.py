"""How long `import helpers` takes in a fresh interpreter (goal: <= 0.3 s), and what it pulls in.

    python benchmarks/bench_import.py          # or: make bench
    python benchmarks/bench_import.py --runs 20

Each figure is the median over fresh subprocesses, measured two ways:
  * in-process: perf_counter() around the import statement inside the child (what the import
    itself costs; interpreter start-up excluded);
  * wall clock: the child's whole run minus the median of `python -c pass` (start-up subtracted).
The children run with a warm bytecode cache in a temporary PYTHONPYCACHEPREFIX (what a student
sees from the second import on; this machine may set PYTHONDONTWRITEBYTECODE, which would
otherwise recompile helpers on every run). `--as-is` runs them in the unchanged environment.

Then `python -X importtime -c "import helpers"` lists the slowest modules, and each helpers
submodule is imported alone to show its own cost and whether it brings in matplotlib /
ipywidgets (which belong only in the modules that draw).
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.3                                   # seconds for `import helpers`
HEAVY = ("matplotlib", "ipywidgets", "ipympl", "IPython", "scipy", "torch", "pandas")

CHILD = """
import sys, time
t0 = time.perf_counter()
import {module}
t1 = time.perf_counter()
heavy = [m for m in {heavy!r} if m in sys.modules]
print(repr((t1 - t0, heavy, 'numpy' in sys.modules)))
"""


def child_env(as_is: bool, cache_dir: str) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if not as_is:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache_dir
    return env


def run_child(args: list[str], env: dict) -> tuple[float, str, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"`python {' '.join(args)}` failed:\n{proc.stderr}")
    return wall, proc.stdout, proc.stderr


def time_import(module: str, runs: int, env: dict, startup: float) -> dict:
    code = CHILD.format(module=module, heavy=HEAVY)
    run_child(["-c", code], env)                                  # warm the bytecode cache
    inproc, wall, heavy, numpy = [], [], [], False
    for _ in range(runs):
        w, out, _ = run_child(["-c", code], env)
        dt, heavy, numpy = eval(out.strip().splitlines()[-1])     # our own repr() just above
        inproc.append(dt)
        wall.append(w - startup)
    return {"inproc": statistics.median(inproc), "wall": statistics.median(wall),
            "heavy": heavy, "numpy": numpy}


def parse_importtime(stderr: str) -> list[tuple[int, int, int, str]]:
    """(self µs, cumulative µs, depth, name) per line of -X importtime, in output order."""
    rows = []
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), len(m.group(3)), m.group(4)))
    return rows


def importer_of(rows, index: int) -> str | None:
    """The innermost helpers module whose import (transitively) imported rows[index].

    In -X importtime output a module's imports are listed before it, one level deeper, so the
    parent of a line is the next line below it with a smaller depth."""
    depth = rows[index][2]
    for _self_us, _cum_us, d, name in rows[index + 1:]:
        if d < depth:
            if name.startswith("helpers"):
                return name
            depth = d
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="fresh subprocesses per figure (default 10)")
    ap.add_argument("--as-is", action="store_true",
                    help="run the children in the unchanged environment (no bytecode cache prefix)")
    ap.add_argument("--top", type=int, default=12, help="modules to list from -X importtime")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-import-pycache-") as cache_dir:
        env = child_env(args.as_is, cache_dir)
        print(f"import time of the helpers package: python {sys.version.split()[0]} ({sys.executable})")
        print(f"  {args.runs} fresh subprocesses per figure, medians; bytecode cache: "
              + ("as in this environment (PYTHONDONTWRITEBYTECODE="
                 + os.environ.get("PYTHONDONTWRITEBYTECODE", "(unset)") + ")" if args.as_is
                 else "warm (temporary PYTHONPYCACHEPREFIX)"))
        run_child(["-c", "pass"], env)
        startup = statistics.median(run_child(["-c", "pass"], env)[0] for _ in range(args.runs))
        print(f"  interpreter start-up (python -c pass): {startup * 1e3:.1f} ms, subtracted from wall clock")

        r = time_import("helpers", args.runs, env, startup)
        print()
        print(f"import helpers: {r['inproc'] * 1e3:.1f} ms in-process, {r['wall'] * 1e3:.1f} ms wall clock "
              f"beyond start-up; goal <= {GOAL * 1e3:.0f} ms: "
              f"{'met' if max(r['inproc'], r['wall']) <= GOAL else 'NOT met'}")
        print(f"  brings in numpy: {'yes' if r['numpy'] else 'no'}; heavy packages: "
              f"{', '.join(r['heavy']) if r['heavy'] else 'none'}")

        _, _, err = run_child(["-X", "importtime", "-c", "import helpers"], env)
        rows = parse_importtime(err)
        _, _, err0 = run_child(["-X", "importtime", "-c", "pass"], env)
        at_startup = {name for *_, name in parse_importtime(err0)}
        rows_h = [row for row in rows if row[3] not in at_startup]     # start-up modules left out
        print()
        print(f"slowest modules that `import helpers` adds to start-up (-X importtime, one run, "
              f"self time; {len(rows_h)} modules in all):")
        print("| module | self ms | cumulative ms |")
        print("|---|---|---|")
        for self_us, cum_us, _, name in sorted(rows_h, key=lambda row: -row[0])[:args.top]:
            print(f"| {name} | {self_us / 1e3:.1f} | {cum_us / 1e3:.1f} |")
        culprits = {}
        for i, (_, _, _, name) in enumerate(rows):
            top = name.split(".")[0]
            if top in HEAVY and top not in culprits:
                culprits[top] = importer_of(rows, i) or "(not under a helpers module)"
        for top, who in culprits.items():
            print(f"  `import helpers` imports {top}, via {who}")

        # Each submodule alone: what a notebook cell `from helpers import X` costs.
        subs = sorted(p.stem for p in (ROOT / "helpers").glob("*.py") if not p.stem.startswith("_"))
        print()
        print("each submodule imported alone (fresh subprocess, median, in-process):")
        print("| module | ms | numpy | heavy packages it brings in |")
        print("|---|---|---|---|")
        for sub in subs:
            s = time_import(f"helpers.{sub}", max(3, args.runs // 2), env, startup)
            print(f"| helpers.{sub} | {s['inproc'] * 1e3:.1f} | {'yes' if s['numpy'] else 'no'} | "
                  f"{', '.join(s['heavy']) if s['heavy'] else '-'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
