"""Build a static reveal.js deck of every lesson: build/slides/NN_topic.slides.html.

Code is hidden, as in the Voila lecture slides (`make present`): the notebook is where students
read the code. The decks open from the file system with no network: reveal.js, MathJax 2, require.js and
jQuery are copied into build/slides/assets/ (from presenting/node_modules, see
presenting/assets.py) and referenced by relative URLs; figures are embedded in the HTML.

A live figure (helpers.livefig.LiveFigure) has no kernel in a deck. By default its slide gets a
scrubber instead: the notebook is run once in a kernel, the figure's first slider is set to a few
values across its range, and the deck shows those precomputed frames (plot and status line) under
a range control, so the idea still moves. With --no-scrubbers (or for a figure without a slider)
the slide shows the PNG of the default setting that the stored output carries. Either way the
widget view and the saved widget state are dropped (they would make the page fetch the widget
renderer from a CDN).

Usage: python scripts/build_slides.py [--notebooks DIR] [--out DIR] [--no-scrubbers] [NOTEBOOK ...]
"""
from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "presenting"))
import assets  # noqa: E402  (presenting/assets.py: which vendor files, and their URLs)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TEMPLATES = ROOT / "presenting" / "share" / "jupyter" / "nbconvert" / "templates"


def exporter() -> SlidesExporter:
    """nbconvert's slides exporter with the course's offline template and 1280x720 slides."""
    return SlidesExporter(
        extra_template_basedirs=[str(TEMPLATES)], template_name="course_slides",
        reveal_url_prefix=f"assets/{assets.REVEAL}", reveal_theme="white",
        reveal_transition="none", reveal_number="c/t", reveal_width="1280", reveal_height="720",
        mathjax_url=f"assets/{assets.MATHJAX}", require_js_url=f"assets/{assets.REQUIRE}",
        jquery_url=f"assets/{assets.JQUERY}",
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
    )


def live_outputs(nb: nbformat.NotebookNode) -> list[dict]:
    """The stored outputs of LiveFigures (a widget view with a PNG fallback), in order."""
    return [out for cell in nb.cells for out in cell.get("outputs", [])
            if WIDGET_VIEW in out.get("data", {}) and "image/png" in out.get("data", {})]


# Run in the lesson's kernel after the lesson: for each displayed LiveFigure (in display order),
# set its first slider to a few values across its range and record the plot and the status.
SWEEP = """
import gc as _gc, json as _json, base64 as _b64
import numpy as _np, ipywidgets as _w
from helpers.livefig import LiveFigure as _LF
def _sweep(model_ids, n):
    apps = {a.model_id: a for a in _gc.get_objects() if isinstance(a, _LF)}
    result = []
    for mid in model_ids:
        app = apps.get(mid)
        sliders = [c for c in (app.controls.values() if app else [])
                   if isinstance(c, (_w.FloatSlider, _w.IntSlider, _w.FloatLogSlider))]
        if not sliders:
            result.append(None)
            continue
        s = sliders[0]
        if isinstance(s, _w.FloatLogSlider):
            values = s.base ** _np.linspace(s.min, s.max, n)
        else:
            values = _np.linspace(s.min, s.max, n)
        if isinstance(s, _w.IntSlider):  # every step when there are few, else n spread out
            values = (_np.arange(s.min, s.max + 1, s.step) if (s.max - s.min) // s.step < 2 * n
                      else _np.unique(_np.round(values).astype(int)))
        values = sorted(set(float(v) for v in values) | {float(s.value)})
        default, frames = s.value, []
        for v in values:
            s.value = int(v) if isinstance(s, _w.IntSlider) else v
            fmt = "{:" + (s.readout_format if s.readout else ".3g") + "}"
            frames.append({"value": fmt.format(s.value), "status": app.status.value,
                           "png": _b64.b64encode(app.png()).decode("ascii"),
                           "default": s.value == default})
        s.value = default
        result.append({"label": s.description, "frames": frames})
    print(_json.dumps(result))
_sweep(%s, %d)
"""


def sweep_live_figures(path: Path, n_frames: int = 7, timeout: int = 600) -> list[dict | None]:
    """Run the notebook in a kernel and sweep the first slider of each live figure."""
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        ids = [out["data"][WIDGET_VIEW]["model_id"] for out in live_outputs(nb)]
        probe = nbformat.v4.new_code_cell(SWEEP % (json.dumps(ids), n_frames))
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout")
    errors = [o for o in probe.outputs if o.get("output_type") == "error"]
    if errors or not text:
        raise RuntimeError(f"{path.name}: sweeping the live figures failed: {errors or probe.outputs}")
    return json.loads(text)


def scrubber_html(sweep: dict) -> str:
    """A range control over precomputed frames (plot + status); works from file://, no kernel."""
    frames = sweep["frames"]
    start = next(i for i, f in enumerate(frames) if f["default"])
    imgs = "".join(
        f'<div class="course-frame" data-frame="{i}"{"" if i == start else " hidden"}>'
        f'<div class="course-frame-status">{f["status"]}</div>'
        f'<img alt="{html.escape(sweep["label"])} = {html.escape(f["value"])}" '
        f'src="data:image/png;base64,{f["png"]}"></div>' for i, f in enumerate(frames))
    values = html.escape(json.dumps([f["value"] for f in frames]))
    show = ("var r=this.closest('.course-scrubber');"
            "r.querySelectorAll('.course-frame').forEach(function(f){f.hidden=(f.dataset.frame!==this.value)},this);"
            "r.querySelector('output').textContent=JSON.parse(r.dataset.values)[this.value];")
    return (f'<div class="course-scrubber" data-values="{values}">{imgs}'
            f'<label class="course-scrub">{html.escape(sweep["label"])} '
            f'<input type="range" min="0" max="{len(frames) - 1}" step="1" value="{start}" '
            f'oninput="{html.escape(show)}"> <output>{html.escape(frames[start]["value"])}</output>'
            f' <small>(precomputed: run the notebook for the live figure)</small></label></div>')


def static_copy(nb: nbformat.NotebookNode, sweeps: list[dict | None] | None = None
                ) -> nbformat.NotebookNode:
    """The notebook as a deck without a kernel shows it: each live figure becomes a scrubber
    over its precomputed ``sweeps`` (when given), else the PNG of its default setting."""
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    for k, out in enumerate(live_outputs(nb)):
        data = out["data"]
        del data[WIDGET_VIEW]
        if sweeps and k < len(sweeps) and sweeps[k]:
            out["data"] = {"text/html": scrubber_html(sweeps[k]), "text/plain": data["text/plain"]}
    return nb


def build(notebooks: list[Path], out: Path, scrubbers: bool | list[Path] = True) -> list[Path]:
    """Write the decks; ``scrubbers`` = True (every notebook), False, or the notebooks to give
    scrubbers (their live figures are swept in a kernel)."""
    out.mkdir(parents=True, exist_ok=True)
    assets.install(out / "assets")
    exp = exporter()
    written = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        scrub = scrubbers is True or (scrubbers and path in scrubbers)
        nb = static_copy(nb, sweep_live_figures(path) if scrub and live_outputs(nb) else None)
        html, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        target = out / f"{path.stem}.slides.html"
        target.write_text(html, encoding="utf-8")
        written.append(target)
        print(target.relative_to(ROOT) if ROOT in target.parents else target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="*", type=Path, help="default: every notebooks/*.ipynb")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "slides")
    parser.add_argument("--no-scrubbers", action="store_true",
                        help="show live figures at their default setting only (no kernel needed)")
    args = parser.parse_args(argv)
    notebooks = args.notebook or sorted(args.notebooks.glob("*.ipynb"))
    if not notebooks:
        parser.error(f"no notebooks in {args.notebooks}")
    build(notebooks, args.out, scrubbers=not args.no_scrubbers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
