"""End-to-end latency of a live figure in a real browser: from a key press on a slider handle
to the moment the new image is drawn on the figure's canvas (Chromium -> JupyterLab -> kernel ->
LiveFigure.update -> ipympl -> canvas), on lesson 04's gradient explorer.

Goal (issue 7): median <= 100 ms, 95th percentile <= 200 ms on a 2-core machine. The figures are
printed, never asserted. It reuses the browser tests' harness (tests/browser/browser_harness.py): the same
isolated JupyterLab on 127.0.0.1 and Debian's Chromium.

The explorer's LiveFigure blits: a key press re-runs the update, redraws only the changed artists
over a cached background (the whole figure when an axis limit moved) and sends the pixels at once.

Usage: python benchmarks/bench_browser_latency.py [--notebook PATH] [--presses 60] [--figure K]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import browser_harness as harness  # noqa: E402

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


def measure(page, k: int, presses: int) -> list[float]:
    fig = harness.LiveFigureDriver(page, k)
    handle = fig.sliders().nth(0).locator(".noUi-handle").first
    handle.focus()
    page.evaluate(PROBE, k)
    latencies = []
    for i in range(presses + 3):  # the first 3 warm up (first draws compile paths, fill caches)
        n_draws = page.evaluate("() => __lat.draws.length")
        page.keyboard.press("ArrowRight" if (i // 4) % 2 == 0 else "ArrowLeft")
        page.wait_for_function("n => __lat.draws.length > n", arg=n_draws, timeout=20000, polling="raf")
        page.wait_for_timeout(120)  # let any trailing draw land before the next press
        lat = page.evaluate("n => __lat.draws[n] - __lat.keys[__lat.keys.length - 1]", n_draws)
        if i >= 3:
            latencies.append(lat)
    return latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", type=Path, default=None, help="default: notebooks/04_*.ipynb")
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--figure", type=int, default=0, help="which live figure of the notebook")
    args = parser.parse_args(argv)
    notebook = args.notebook or next(iter(sorted((ROOT / "notebooks").glob("04_*.ipynb"))), None)
    if notebook is None:
        raise SystemExit("lesson 04 is not in notebooks/ yet: pass --notebook PATH")
    if harness.chromium_path() is None:
        raise SystemExit("no Chromium: apt-get install -y chromium, or set $CHROMIUM")
    nb = harness.read_notebook(notebook)
    n_live = harness.live_figures(nb)
    if args.figure >= n_live:
        raise SystemExit(f"{notebook.name} has {n_live} live figures; --figure {args.figure} does not exist")

    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        course = harness.course_copy(notebook.parent, work)
        lab = harness.start_lab(course, work)
        try:
            with sync_playwright() as pw:
                browser = harness.launch_browser(pw)
                blocked: list[str] = []
                context = harness.new_context(browser, blocked)
                context.add_init_script(harness.PAGE_HELPERS)
                page = harness.open_in_lab(context, lab, f"notebooks/{notebook.name}")
                harness.run_all(page)
                harness.wait_widgets(page, n_live)
                label = harness.LiveFigureDriver(page, args.figure).sliders().nth(0) \
                    .locator(".widget-label").inner_text().strip()
                latencies = measure(page, args.figure, args.presses)
                browser.close()
        finally:
            harness.shutdown_kernels(lab)
            lab.stop()

    med, p95 = statistics.median(latencies), percentile(latencies, 95)
    print(f"{notebook.name}, live figure {args.figure}, slider {label!r}: {len(latencies)} key presses")
    print(f"  key press -> new pixels on the canvas: median {med:.0f} ms, p95 {p95:.0f} ms, "
          f"min {min(latencies):.0f} ms, max {max(latencies):.0f} ms")
    print(f"  goal median <= 100 ms: {'met' if med <= 100 else 'NOT met'}; "
          f"p95 <= 200 ms: {'met' if p95 <= 200 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
