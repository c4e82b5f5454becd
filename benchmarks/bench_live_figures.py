"""Every control of every live figure, kernel side: one update = the view's maths and artist
changes plus LiveFigure's redraw, as a key press on the control costs it in the kernel.

    python benchmarks/bench_live_figures.py                    # 40 updates per control
    python benchmarks/bench_live_figures.py --updates 200 --figure gradient_explorer

Each live figure of lessons 00, 02, 04 and 06 is built as its lesson builds it (the same data
and settings) on an Agg canvas (new_figure(live=False)). A slider walks away from its starting
value one step at a time (one key press each), turning back only at an end of its range, so most
updates ask for a setting not seen before; a dropdown or toggle takes its options in turn. Three
timings per control:

- update: the view's update alone (the maths of the topic module and the in-place artist changes,
  with OpenBLAS on one thread, as LiveFigure runs it);
- update + redraw: what setting the control's value costs (the redraw blits the changed artists
  over the cached background, redraws the axes whose limits moved, or draws everything);
- + PNG frame: the same on an ipympl canvas, including the PNG of the changed pixels that ipympl
  sends to the browser (the browser side is benchmarks/bench_browser_latency.py).

Goals (wall clock, update + PNG frame): median <= 30 ms, p95 <= 60 ms per control. CPU time is
printed beside it, so a busy machine shows as wall >> CPU. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import statistics
import time

import ipywidgets as w
import numpy as np

from helpers import data, livefig, widgets_cliff, widgets_esn, widgets_sequences, widgets_vanishing
from helpers import sequences as sq
from helpers.init import recurrent_matrix
from helpers.rnn import rnn_forward
from helpers.style import use_course_style

GOAL_MEDIAN_MS = 30.0
GOAL_P95_MS = 60.0


def _sentences():
    """The two sentences of lesson 02 and their hidden states (as the lesson computes them)."""
    tokens_a = sq.tokenize("The movie my friend has not seen is good")
    tokens_b = sq.tokenize("The movie my friend has seen is not good")
    vocab = sq.build_vocabulary([tokens_a, tokens_b], pad=None)
    x = np.stack([sq.one_hot(tokens_a, vocab), sq.one_hot(tokens_b, vocab)], axis=1)
    rng = np.random.default_rng(1)
    H = 8
    h, _ = rnn_forward(x, np.zeros((2, H)), rng.standard_normal((H, len(vocab))),
                       recurrent_matrix(H, 0.9, "orthogonal", seed=2), np.zeros(H))
    return h, tokens_a, tokens_b


def figures() -> dict:
    """lesson and name -> a function building the live figure as the lesson does (live: canvas kind)."""
    def player(live):
        h, a, b = _sentences()
        return widgets_sequences.hidden_state_player(h, [a, b], ["A", "B"], live=live)

    def esn(live):
        dates, co2, _ = data.load_co2()
        return widgets_esn.esn_explorer(co2, dates, live=live)

    return {
        ("00", "power_slider"): lambda live: widgets_sequences.power_slider(live=live),
        ("02", "hidden_state_player"): player,
        ("02", "memory_fade"): lambda live: widgets_sequences.memory_fade(live=live),
        ("04", "gradient_explorer"): lambda live: widgets_vanishing.gradient_explorer(live=live),
        ("06", "clipping_paths"): lambda live: widgets_cliff.clipping_paths(start=(5.0, -4.0), live=live),
        ("06", "esn_explorer"): esn,
    }


def walk(control, n: int) -> list:
    """n values for ``control``, as key presses give them: one slider step at a time away from its
    value (back at the ends), or the next option."""
    if isinstance(control, (w.Dropdown, w.ToggleButtons)):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        start = values.index(control.value)
        return [values[(start + i) % len(values)] for i in range(1, n + 1)]
    if isinstance(control, w.FloatLogSlider):
        grid = control.base ** np.arange(control.min, control.max + control.step / 2, control.step)
    else:
        grid = np.arange(control.min, control.max + control.step / 2, control.step)
    i = int(np.argmin(np.abs(grid - control.value)))
    out, step = [], 1
    for _ in range(n):
        if not 0 <= i + step < grid.size:
            step = -step
        i += step
        out.append(int(grid[i]) if isinstance(control, w.IntSlider) else float(grid[i]))
    return out


def _timed(fn, values) -> tuple[np.ndarray, np.ndarray]:
    """Wall-clock and CPU (process) milliseconds of fn(v) for each value."""
    wall, cpu = np.empty(len(values)), np.empty(len(values))
    for i, v in enumerate(values):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(v)
        wall[i], cpu[i] = time.perf_counter() - t0, time.process_time() - c0
    return wall * 1e3, cpu * 1e3


def _ipympl(app):
    """An ipympl canvas as a connected browser sees it: PNG frames made, their sending skipped."""
    canvas = app.fig.canvas
    canvas.syncing_data_url = False                  # what the browser's "initialized" message does
    canvas.send_binary = lambda data: None
    app.redraw()                                     # the first (full) frame
    return app


def measure(build, name: str, control: str, n: int) -> dict:
    app = build(False)
    app.fig.canvas.draw()                            # as the browser's first full draw
    values = walk(app.controls[control], n)
    view, others = app.view, {k: v for k, v in app.values().items() if k != control}
    with livefig._one_blas_thread():                 # as LiveFigure runs it
        update = _timed(lambda v: view.update(**others, **{control: v}), values)
    app = build(False)
    app.fig.canvas.draw()
    full = []
    app.fig.canvas.mpl_connect("draw_event", lambda _e: full.append(1))
    redraw = _timed(lambda v: setattr(app.controls[control], "value", v), values)
    n_full = len(full)
    live = _ipympl(build(True))
    frame = _timed(lambda v: setattr(live.controls[control], "value", v), values)
    return {"name": name, "control": control, "n": n, "update": update, "redraw": redraw, "frame": frame,
            "full": n_full}


def _ms(x: np.ndarray) -> str:
    return f"{statistics.median(x):6.1f} {np.percentile(x, 95):6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=40, help="updates per control")
    parser.add_argument("--figure", action="append", default=None, help="only this live figure (repeatable)")
    args = parser.parse_args()
    use_course_style()
    print(f"{args.updates} updates per control; milliseconds, median and p95 (wall clock; CPU for the last)")
    print(f"{'lesson':6s} {'live figure':20s} {'control':11s} {'update':>13s} {'+ redraw':>13s} "
          f"{'+ PNG frame':>13s} {'(CPU)':>13s}  full draws  goal")
    for (lesson, name), build in figures().items():
        if args.figure and name not in args.figure:
            continue
        for control in build(False).controls:
            r = measure(build, name, control, args.updates)
            wall, cpu = r["frame"]
            met = statistics.median(wall) <= GOAL_MEDIAN_MS and np.percentile(wall, 95) <= GOAL_P95_MS
            print(f"{lesson:6s} {name:20s} {control:11s} {_ms(r['update'][0])} {_ms(r['redraw'][0])} "
                  f"{_ms(wall)} {_ms(cpu)}  {r['full']:4d} of {r['n']:<3d} {'met' if met else 'NOT met'}",
                  flush=True)
    print(f"goals (update + PNG frame): median <= {GOAL_MEDIAN_MS:g} ms, p95 <= {GOAL_P95_MS:g} ms per control; "
          "wall above CPU means other processes share the cores (the machine, not the code)")


if __name__ == "__main__":
    main()
