"""One update of the gradient explorer of lesson 04, kernel side: compute + redraw.

    python benchmarks/bench_explorer.py              # 200 updates at the default settings
    python benchmarks/bench_explorer.py --updates 500 --T 200

An update is what a slider move costs in the kernel: setting the slider's value runs the explorer's
update function (the maths of helpers.gradient_theory.gradient_state plus the in-place artist
changes) and the redraw on an Agg canvas (new_figure(live=False)). The redraw is what the notebook
does too: the changed artists blitted over the cached background, or the whole figure when an
axis limit moved. ipympl then sends the pixels; that and the browser side are measured by
benchmarks/bench_browser_latency.py.

Two runs: "nearby" alternates the weight scale between two neighbouring settings of its slider
(one key press; every update changes the data, the axes mostly stay); "sweep" drags the scale
slider across its whole range one step at a time (axes change whenever the curves cross a
decade), as a student would.
Goals (wall clock, nearby): median <= 30 ms, 95th percentile <= 60 ms. CPU time is printed beside
it, so a busy machine shows as wall >> CPU. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from helpers.gradient_theory import gradient_state
from helpers.style import use_course_style
from helpers.widgets import DEFAULTS, gradient_explorer

GOAL_MEDIAN_MS = 30.0
GOAL_P95_MS = 60.0


def _timed(fn, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and CPU (process) milliseconds of n calls fn(0), fn(1), …"""
    wall, cpu = np.empty(n), np.empty(n)
    for i in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(i)
        wall[i], cpu[i] = time.perf_counter() - t0, time.process_time() - c0
    return wall * 1e3, cpu * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=200, help="updates of the nearby run")
    parser.add_argument("--T", type=int, default=DEFAULTS["T"])
    parser.add_argument("--activation", default=DEFAULTS["activation"])
    args = parser.parse_args()
    use_course_style()
    settings = {**DEFAULTS, "T": args.T, "activation": args.activation}
    app = gradient_explorer(live=False, **settings)
    fig, slider = app.fig, app.controls["scale"]
    sweep = slider.base ** np.arange(slider.min, slider.max + 1e-9, slider.step)   # every setting
    start = int(np.argmin(np.abs(sweep - settings["scale"])))
    nearby = sweep[start:start + 2]                             # one step of the slider (a key press)

    def move(values):
        def fn(i):
            slider.value = float(values[i % len(values)])
        return fn

    fig.canvas.draw()                                         # warm-up: fonts, text layout caches
    compute = _timed(lambda i: gradient_state(**{**settings, "scale": float(nearby[i % 2])}), args.updates)
    full = _count_full_draws(app)
    update = _timed(move(nearby), args.updates)
    n_full_nearby = full()
    dragged = _timed(move(sweep), sweep.size)
    n_full_sweep = full()

    print(f"explorer update at {settings} (Agg canvas {fig.get_figwidth():g}×{fig.get_figheight():g} in "
          f"at {fig.dpi:g} dpi)")
    rows = (("compute only (gradient_state)", compute, ""),
            ("update, nearby scales", update, f"{n_full_nearby} of {args.updates} redrew everything"),
            (f"update, sweep {sweep[0]:.3g} → {sweep[-1]:.3g}", dragged, f"{n_full_sweep} of {sweep.size} redrew everything"))
    for name, (wall, cpu), note in rows:
        print(f"  {name:30s} wall: median {statistics.median(wall):6.1f} ms  p95 {np.percentile(wall, 95):6.1f} ms"
              f"   | CPU: median {statistics.median(cpu):6.1f} ms  p95 {np.percentile(cpu, 95):6.1f} ms  {note}")
    print("  (wall above CPU means other processes share the cores: the machine, not the code)")
    med, p95 = statistics.median(update[0]), float(np.percentile(update[0], 95))
    print(f"  goals (nearby): median <= {GOAL_MEDIAN_MS:g} ms ({'met' if med <= GOAL_MEDIAN_MS else 'NOT met'}), "
          f"p95 <= {GOAL_P95_MS:g} ms ({'met' if p95 <= GOAL_P95_MS else 'NOT met'})")


def _count_full_draws(app):
    """A function returning how many full draws the figure made since the previous call."""
    count = [0]
    app.fig.canvas.mpl_connect("draw_event", lambda _e: count.__setitem__(0, count[0] + 1))

    def since():
        n, count[0] = count[0], 0
        return n
    since()
    return since

if __name__ == "__main__":
    main()
