"""One update of the gradient explorer of lesson 04, kernel side: compute + redraw.

    python benchmarks/bench_explorer.py              # 200 updates at the default settings
    python benchmarks/bench_explorer.py --updates 500 --T 200

An update is what a slider move costs in the kernel: the explorer's update function (the maths of
helpers.gradient_theory.gradient_state plus the in-place artist changes) followed by a full draw
of the figure on an Agg canvas (new_figure(live=False) with FigureCanvasAgg attached;
fig.canvas.draw() renders every pixel). ipympl then sends
the pixels; that and the browser side are measured by the browser tests.

The weight scale alternates between two nearby values, so every update really changes the data.
Goals (wall clock): median <= 30 ms, 95th percentile <= 60 ms. CPU time is printed beside it, so a
busy machine shows as wall >> CPU. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

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
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--T", type=int, default=DEFAULTS["T"])
    parser.add_argument("--activation", default=DEFAULTS["activation"])
    args = parser.parse_args()
    use_course_style()
    settings = {**DEFAULTS, "T": args.T, "activation": args.activation}
    app = gradient_explorer(live=False, **settings)
    view, fig = app.view, app.fig
    FigureCanvasAgg(fig)     # new_figure(live=False) leaves the base canvas, whose draw() renders nothing
    scales = settings["scale"] * np.array([1.0, 1.02])

    def values(i):
        return {**settings, "scale": float(scales[i % 2])}

    fig.canvas.draw()                                         # warm-up: fonts, text layout caches
    compute = _timed(lambda i: gradient_state(**values(i)), args.updates)
    update = _timed(lambda i: (view.update(**values(i)), fig.canvas.draw()), args.updates)

    print(f"explorer update at {settings} ({args.updates} updates, Agg canvas "
          f"{fig.get_figwidth():g}×{fig.get_figheight():g} in at {fig.dpi:g} dpi)")
    for name, (wall, cpu) in (("compute only (gradient_state)", compute), ("compute + redraw", update)):
        print(f"  {name:30s} wall: median {statistics.median(wall):6.1f} ms  p95 {np.percentile(wall, 95):6.1f} ms"
              f"   | CPU: median {statistics.median(cpu):6.1f} ms  p95 {np.percentile(cpu, 95):6.1f} ms")
    print("  (wall above CPU means other processes share the cores: the machine, not the code)")
    med, p95 = statistics.median(update[0]), float(np.percentile(update[0], 95))
    print(f"  goals: median <= {GOAL_MEDIAN_MS:g} ms ({'met' if med <= GOAL_MEDIAN_MS else 'NOT met'}), "
          f"p95 <= {GOAL_P95_MS:g} ms ({'met' if p95 <= GOAL_P95_MS else 'NOT met'})")


if __name__ == "__main__":
    main()
