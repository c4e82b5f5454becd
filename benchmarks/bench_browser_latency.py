"""End-to-end latency of every control of every live figure in a real browser: from a key press
on the control to the moment the new image is drawn on that figure's canvas (Chromium ->
JupyterLab -> kernel -> the view's update -> LiveFigure's redraw -> ipympl -> canvas).

One run opens each lesson that has live figures (00, 02, 04, 06) in the isolated JupyterLab of the
browser tests (tests/browser/browser_harness.py: 127.0.0.1 only, Debian's Chromium), runs it, finds
each live figure and each of its controls, and presses keys on them:

- a slider: ArrowRight / ArrowLeft on its handle, one step each, walking away from the start and
  turning back only at an end of the range (so most presses ask for a setting not seen before);
- a dropdown: the first letter of the next option, typed on the focused <select> (Chromium selects
  the option that starts with it; the options of the course's dropdowns start with different
  letters; the arrow keys open its list instead);
- toggle buttons: Space on the button that is not selected (the choice flips).

Each press is timed from the keydown event to the first drawImage on the figure's canvas after it.
One table row per (lesson, figure, control): presses, median, p95, and whether the goal is met.

Goal (issue 14): median <= 100 ms and p95 <= 200 ms for every control, on a 2-core machine. The
figures are printed, never asserted. Run one browser benchmark at a time: the browser, the server
and the kernel share the cores, and a second run would measure the first.

Usage: python benchmarks/bench_browser_latency.py [--presses 20] [--lesson 02 --lesson 06]
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import browser_harness as harness  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

GOAL_MEDIAN_MS, GOAL_P95_MS = 100.0, 200.0
WARM_UP = 2           # presses per control not counted (the first draws fill caches)

# Time stamps, in the page's clock: every key press, and every draw on the watched canvas.
PROBE = r"""k => {
  const canvas = __course.canvas(k);
  window.__lat = {canvas, keys: [], draws: []};
  if (!window.__latHooked) {
    const draw = CanvasRenderingContext2D.prototype.drawImage;
    CanvasRenderingContext2D.prototype.drawImage = function (...args) {
      if (window.__lat && this.canvas === window.__lat.canvas) window.__lat.draws.push(performance.now());
      return draw.apply(this, args);
    };
    document.addEventListener('keydown', () => window.__lat && window.__lat.keys.push(performance.now()), true);
    window.__latHooked = true;
  }
}"""


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in [0, 100])."""
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# JupyterLab reads the keys typed on a focused <select> (or button) as command-mode shortcuts too
# (R turns the cell into a raw cell, O hides its output): stop them at the control, which still
# acts on them (its own handlers and default actions run before).
KEEP_KEYS = """el => { if (!el.__keepKeys) {
  el.addEventListener('keydown', e => e.stopPropagation()); el.__keepKeys = true; } }"""


def _timed_press(page, key: str) -> float:
    """Press ``key`` on the focused element; milliseconds from its keydown to the next draw
    (NaN if nothing was drawn within 20 s)."""
    n_draws = page.evaluate("() => __lat.draws.length")
    page.keyboard.press(key)
    try:
        page.wait_for_function("n => __lat.draws.length > n", arg=n_draws, timeout=20000, polling="raf")
    except PlaywrightTimeout:
        return math.nan
    page.wait_for_timeout(120)  # let any trailing draw land before the next press
    return page.evaluate("n => __lat.draws[n] - __lat.keys[__lat.keys.length - 1]", n_draws)


def _slider_key(handle, direction: int) -> tuple[str, int]:
    """The arrow key that moves the slider one step in ``direction`` (+1 right, -1 left), turning
    back at an end of the range."""
    now, lo, hi = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
    if direction > 0 and now >= hi:
        direction = -1
    elif direction < 0 and now <= lo:
        direction = 1
    return ("ArrowRight" if direction > 0 else "ArrowLeft"), direction


def measure_slider(page, fig, i: int, presses: int) -> list[float]:
    handle = fig.sliders().nth(i).locator(".noUi-handle").first
    handle.evaluate(KEEP_KEYS)
    latencies, direction = [], 1
    for n in range(presses + WARM_UP):
        key, direction = _slider_key(handle, direction)
        handle.focus()
        lat = _timed_press(page, key)
        if n >= WARM_UP:
            latencies.append(lat)
    return latencies


def measure_dropdown(page, fig, i: int, presses: int) -> list[float]:
    """Select the next option by typing its first letter (a closed <select> in Chromium selects the
    option that starts with the typed letter; arrow keys open its list instead)."""
    select = fig.dropdowns().nth(i)
    select.evaluate(KEEP_KEYS)
    latencies = []
    for n in range(presses + WARM_UP):
        index, labels = select.evaluate("s => [s.selectedIndex, Array.from(s.options, o => o.text)]")
        target = labels[(index + 1) % len(labels)]
        select.focus()               # (a letter typed outside it would be a notebook shortcut)
        page.wait_for_timeout(1000)  # Chromium reads letters typed within 1 s as one search ("sr")
        lat = _timed_press(page, target.strip()[0].lower())
        if n >= WARM_UP:
            latencies.append(lat)
    return latencies


def measure_toggle(page, fig, i: int, presses: int) -> list[float]:
    buttons = fig.toggle_buttons().nth(i).locator(".widget-toggle-button")
    latencies = []
    for n in range(presses + WARM_UP):
        active = [j for j in range(buttons.count()) if "mod-active" in (buttons.nth(j).get_attribute("class") or "")]
        other = next(j for j in range(buttons.count()) if j not in active)
        buttons.nth(other).evaluate(KEEP_KEYS)
        buttons.nth(other).focus()
        lat = _timed_press(page, "Space")
        if n >= WARM_UP:
            latencies.append(lat)
    return latencies


def controls(fig) -> list[tuple[str, int, str]]:
    """(kind, index within its kind, label) of every enabled control of a live figure, in page order."""
    found = []
    for kind, group, label_of in (
            ("slider", fig.sliders(), lambda c: c.locator(".widget-label").inner_text()),
            ("dropdown", fig.root.locator(".widget-dropdown"), lambda c: c.locator(".widget-label").inner_text()),
            ("toggle", fig.toggle_buttons(), lambda c: c.locator(".widget-label").inner_text())):
        for i in range(group.count()):
            control = group.nth(i)
            if "mod-disabled" in (control.get_attribute("class") or ""):
                continue
            y = control.bounding_box()["y"], control.bounding_box()["x"]
            found.append((y, kind, i, label_of(control).strip() or f"#{i}"))
    return [(kind, i, label) for _, kind, i, label in sorted(found)]


MEASURE = {"slider": measure_slider, "dropdown": measure_dropdown, "toggle": measure_toggle}


def run_lesson(context, lab, notebook: Path, presses: int) -> list[dict]:
    nb = harness.read_notebook(notebook)
    n_live = harness.live_figures(nb)
    titles = harness.live_figure_titles(nb)
    page = harness.open_in_lab(context, lab, f"notebooks/{notebook.name}")
    rows = []
    try:
        harness.run_all(page)
        try:
            harness.wait_widgets(page, n_live, timeout_ms=180000)
        except PlaywrightTimeout:
            print(f"| {notebook.stem[:2]:6s} | {n_live} live figures not drawn within 3 minutes; errors shown: "
                  f"{harness.lab_errors(page)[:2]} |", flush=True)
            return rows
        for k in range(n_live):
            fig = harness.LiveFigureDriver(page, k)
            fig.root.scroll_into_view_if_needed()
            page.evaluate(PROBE, k)
            for kind, i, label in controls(fig):
                latencies = MEASURE[kind](page, fig, i, presses)
                rows.append({"lesson": notebook.stem[:2], "figure": titles[k] if k < len(titles) else f"#{k}",
                             "control": f"{label} ({kind})", "latencies": latencies})
                print(_row(rows[-1]), flush=True)
    finally:
        page.close()
        harness.shutdown_kernels(lab)
    return rows


def _stats(latencies: list[float]) -> tuple[list[float], int, float, float, bool]:
    """(drawn presses, missed presses, median, p95, goal met) of one control's latencies."""
    drawn = [x for x in latencies if not math.isnan(x)]
    missed = len(latencies) - len(drawn)
    if not drawn:
        return drawn, missed, math.nan, math.nan, False
    med, p95 = statistics.median(drawn), percentile(drawn, 95)
    return drawn, missed, med, p95, not missed and med <= GOAL_MEDIAN_MS and p95 <= GOAL_P95_MS


def _row(r: dict) -> str:
    drawn, missed, med, p95, met = _stats(r["latencies"])
    figure = r["figure"].split(":")[0]
    presses = f"{len(drawn)}" + (f" ({missed} drew nothing)" if missed else "")
    return (f"| {r['lesson']:6s} | {figure[:40]:40s} | {r['control'][:28]:28s} | {presses:>7s} "
            f"| {med:6.0f} | {p95:6.0f} | {'yes' if met else 'NO':4s} |")


HEADER = ("| lesson | live figure" + " " * 29 + " | control" + " " * 21
          + " | presses | median | p95 ms | goal |\n|---|---|---|---:|---:|---:|---|")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20, help="timed presses per control (after 2 warm-up presses)")
    parser.add_argument("--lesson", action="append", default=None,
                        help="only the lesson(s) whose file name starts with this (repeatable); default: all")
    args = parser.parse_args(argv)
    if harness.chromium_path() is None:
        raise SystemExit("no Chromium: apt-get install -y chromium, or set $CHROMIUM")
    notebooks = [p for p in harness.NOTEBOOKS if harness.live_figures(harness.read_notebook(p))
                 and (args.lesson is None or any(p.name.startswith(x) for x in args.lesson))]
    if not notebooks:
        raise SystemExit(f"no lesson with live figures in {harness.NOTEBOOKS_DIR}")

    from playwright.sync_api import sync_playwright
    rows: list[dict] = []
    print(f"key press -> new pixels on the figure's canvas, {args.presses} presses per control "
          f"(+{WARM_UP} warm-up); goal: median <= {GOAL_MEDIAN_MS:g} ms, p95 <= {GOAL_P95_MS:g} ms\n")
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        course = harness.course_copy(harness.NOTEBOOKS_DIR, work)
        lab = harness.start_lab(course, work)
        try:
            with sync_playwright() as pw:
                browser = harness.launch_browser(pw)
                blocked: list[str] = []
                context = harness.new_context(browser, blocked)
                context.add_init_script(harness.PAGE_HELPERS)
                for notebook in notebooks:
                    rows += run_lesson(context, lab, notebook, args.presses)
                browser.close()
        finally:
            harness.shutdown_kernels(lab)
            lab.stop()

    every = [x for r in rows for x in _stats(r["latencies"])[0]]
    met = sum(_stats(r["latencies"])[4] for r in rows)
    if every:
        print(f"\n{met} of {len(rows)} controls meet the goal; all {len(every)} presses: median "
              f"{statistics.median(every):.0f} ms, p95 {percentile(every, 95):.0f} ms, max {max(every):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
