"""Build a static reveal.js deck of every lesson: build/slides/NN_topic.slides.html.

What a deck shows follows the lesson format (CONTRIBUTING.md): core cells, with their code hidden
unless a cell is tagged `show-code`; `check` cells are speaker notes; `deeper`, exercise code and
solution cells are skipped (their slide metadata says so). The decks open from the file system with
no network: reveal.js, MathJax 2, require.js and jQuery are copied into build/slides/assets/ (from
presenting/node_modules, see presenting/assets.py) and referenced by relative URLs; figures are
embedded in the HTML.

Each lesson is run afresh in a kernel with ``COURSE_DECK=1`` (helpers.deck): every figure comes out
at helpers.style.DECK_DPI, with the size of its smallest fonts, so the deck can show it large and
sharp, and tests/browser can check that it is legible on the slide.

A live figure (helpers.livefig.LiveFigure) has no kernel in a deck. Its slide gets a scrubber
instead: the figure's first slider is set to a few values across its range, and the deck shows
those precomputed frames (plot and status line) under a range control, so the idea still moves. A
live figure without a slider shows its picture. Either way the widget view and the saved widget
state are dropped (they would make the page fetch the widget renderer from a CDN).

Every picture's <img alt> is the figure's own alt text (helpers.alt): a static figure's from its
output's metadata, each scrubber frame's from the state it shows. A figure nobody described stops
the build with an error naming it (a deck never falls back to a title silently).

Usage: python scripts/build_slides.py [--notebooks DIR] [--out DIR] [NOTEBOOK ...]
"""
from __future__ import annotations

import argparse
import html
import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "presenting"))
import assets  # noqa: E402  (presenting/assets.py: which vendor files, and their URLs)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TEMPLATES = ROOT / "presenting" / "share" / "jupyter" / "nbconvert" / "templates"
FRAMES = 13          # scrubber frames across a slider's range (plus its default value)


def exporter() -> SlidesExporter:
    """nbconvert's slides exporter with the course's offline template and 1280x720 slides."""
    return SlidesExporter(
        extra_template_basedirs=[str(TEMPLATES)], template_name="course_slides",
        reveal_url_prefix=f"assets/{assets.REVEAL}", reveal_theme="white",
        reveal_transition="none", reveal_number="c/t", reveal_width="1280", reveal_height="720",
        mathjax_url=f"assets/{assets.MATHJAX}", require_js_url=f"assets/{assets.REQUIRE}",
        jquery_url=f"assets/{assets.JQUERY}",
        exclude_input_prompt=True, exclude_output_prompt=True,
    )


def live_outputs(nb: nbformat.NotebookNode) -> list[dict]:
    """The outputs of LiveFigures (a widget view with a PNG fallback), in order."""
    return [out for cell in nb.cells for out in cell.get("outputs", [])
            if WIDGET_VIEW in out.get("data", {}) and "image/png" in out.get("data", {})]


# Run in the lesson's kernel after the lesson: for each displayed LiveFigure (in display order),
# its picture as it stands, and its first slider set to a few values across its range.
SWEEP = """
import gc as _gc, json as _json, base64 as _b64
import numpy as _np, ipywidgets as _w
from helpers.livefig import LiveFigure as _LF
from helpers.deck import figure_png as _png
def _shot(app):
    data, meta = _png(app.fig)
    return {"png": _b64.b64encode(data).decode("ascii"), **meta["course"]}
def _sweep(model_ids, n):
    apps = {a.model_id: a for a in _gc.get_objects() if isinstance(a, _LF)}
    result = []
    for mid in model_ids:
        app = apps[mid]
        entry = {"still": _shot(app), "label": None, "frames": []}
        result.append(entry)
        sliders = [c for c in app.controls.values()
                   if isinstance(c, (_w.FloatSlider, _w.IntSlider, _w.FloatLogSlider))]
        if not sliders:
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
        default = s.value
        entry["label"] = s.description
        entry["name"] = app.access.names[list(app.controls.values()).index(s)]
        for v in values:
            s.value = int(v) if isinstance(s, _w.IntSlider) else v
            fmt = "{:" + (s.readout_format if s.readout else ".3g") + "}"
            entry["frames"].append({"value": fmt.format(s.value), "status": app.status.value,
                                    "default": s.value == default, **_shot(app)})
        s.value = default
    print(_json.dumps(result))
_sweep(%s, %d)
"""


def run_for_deck(path: Path, timeout: int = 600) -> tuple[nbformat.NotebookNode, list[dict]]:
    """Run the lesson afresh in a kernel with COURSE_DECK=1 (deck figures, helpers.deck) and sweep
    its live figures. Returns the notebook with its new outputs, and one sweep per live figure."""
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    env = {**os.environ, "COURSE_DECK": "1", "OPENBLAS_NUM_THREADS": "1"}
    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
                errors = [o for o in cell.outputs if o.get("output_type") == "error"]
                if errors:
                    raise RuntimeError(f"{path.name}, cell {index}: {errors[0].get('ename')}: "
                                       f"{errors[0].get('evalue')}")
        ids = [out["data"][WIDGET_VIEW]["model_id"] for out in live_outputs(nb)]
        if not ids:
            return nb, []
        probe = nbformat.v4.new_code_cell(SWEEP % (json.dumps(ids), FRAMES))
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
        nb.cells.pop()
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout")
    errors = [o for o in probe.outputs if o.get("output_type") == "error"]
    if errors or not text:
        raise RuntimeError(f"{path.name}: sweeping the live figures failed: {errors or probe.outputs}")
    return nb, json.loads(text)


class UndescribedFigure(ValueError):
    """A figure in a deck without alt text of its own (helpers.alt.describe)."""


def figure_html(png: str, course: dict, alt: str | None = None, where: str = "a figure") -> str:
    """An <img> for a deck figure (base64 PNG) that carries its alt text, its resolution and smallest
    fonts, so the deck's style can size it and tests can measure its text as shown (data-dpi,
    data-font-*). The alt text is ``alt``, else the figure's own (``course["alt"]`` when
    ``course["described"]``, helpers.deck.figure_png); without either, UndescribedFigure names
    ``where``."""
    if alt is None and course.get("described"):
        alt = course.get("alt")
    if not alt:
        raise UndescribedFigure(f"{where} has no alt text ({course.get('alt') or 'no title'}): its drawing helper "
                                "must end with helpers.alt.describe(fig, text)")
    fonts = "".join(f' data-font-{kind}="{size:g}"' for kind, size in sorted(course.get("fonts", {}).items()))
    return (f'<img class="course-figure" alt="{html.escape(alt)}" '
            f'data-dpi="{course["dpi"]:g}"{fonts} src="data:image/png;base64,{png}">')


def scrubber_html(sweep: dict, where: str = "a live figure") -> str:
    """A range control over precomputed frames (plot + status); works from file://, no kernel.
    The statuses are stacked in one place, and so are the pictures (course_deck.css), so the
    scrubber is as tall as its tallest frame and nothing moves when another frame is shown. The
    control is labelled with the slider's accessible name and announces the value it shows; the
    status stack is a live region (role="status") whose one shown frame a screen reader reads."""
    frames, label = sweep["frames"], sweep["label"]
    name = sweep.get("name") or label
    start = next(i for i, f in enumerate(frames) if f["default"])

    def hidden(i: int) -> str:
        return "" if i == start else " hidden"

    statuses = "".join(f'<div class="course-frame-status" data-frame="{i}"{hidden(i)}>{f["status"]}</div>'
                       for i, f in enumerate(frames))
    pictures = "".join(f'<div class="course-frame" data-frame="{i}"{hidden(i)}>'
                       + figure_html(f["png"], f, where=f'{where}, frame {label} = {f["value"]}') + "</div>"
                       for i, f in enumerate(frames))
    values = [f["value"] for f in frames]
    show = ("var r=this.closest('.course-scrubber'),v=JSON.parse(r.dataset.values)[this.value];"
            "r.querySelectorAll('[data-frame]').forEach(function(f){f.hidden=(f.dataset.frame!==this.value)},this);"
            "r.querySelector('output').textContent=v;this.setAttribute('aria-valuetext',v);")
    return (f'<div class="course-scrubber" data-values="{html.escape(json.dumps(values))}">'
            f'<label class="course-scrub">{html.escape(label)} '
            f'<input type="range" min="0" max="{len(frames) - 1}" step="1" value="{start}" '
            f'aria-label="{html.escape(name)}" aria-valuetext="{html.escape(values[start])}" '
            f'oninput="{html.escape(show)}"> '
            f'<output>{html.escape(values[start])}</output>'
            f' <small>(precomputed: run the notebook for the live figure)</small></label>'
            f'<div class="course-stack" role="status" aria-live="polite" aria-atomic="true">{statuses}</div>'
            f'<div class="course-stack">{pictures}</div></div>')


def static_copy(nb: nbformat.NotebookNode, sweeps: list[dict] | None = None) -> nbformat.NotebookNode:
    """The notebook as a deck without a kernel shows it: code hidden unless tagged `show-code`;
    each figure an <img> sized for the slide (figure_html); each live figure a scrubber over its
    ``sweeps`` (or its picture, for one without a slider, or without sweeps)."""
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    live = live_outputs(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "show-code" not in cell.metadata.get("tags", []):
            cell.metadata.setdefault("transient", {})["remove_source"] = True
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" not in data:
                continue
            plain = data.get("text/plain", "")
            where = f"cell {index}'s figure"
            if out in live and sweeps:
                sweep = sweeps[live.index(out)]
                shown = (scrubber_html(sweep, where) if sweep["frames"] else
                         figure_html(sweep["still"]["png"], sweep["still"], where=where))
            else:
                meta = out.get("metadata", {}).get("image/png", {})
                shown = figure_html(data["image/png"], meta.get("course", {"dpi": 100}), meta.get("alt"), where)
            out["data"] = {"text/html": shown, "text/plain": plain}
    return nb


def build(notebooks: list[Path], out: Path) -> list[Path]:
    """Run each lesson for its deck (run_for_deck) and write the decks into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    assets.install(out / "assets")
    exp = exporter()
    written = []
    for path in notebooks:
        start = time.perf_counter()
        nb, sweeps = run_for_deck(path)
        try:
            deck = static_copy(nb, sweeps)
        except UndescribedFigure as exc:
            raise UndescribedFigure(f"{path.name}: {exc}") from None
        page, _ = exp.from_notebook_node(deck, resources={"metadata": {"name": path.stem}})
        target = out / f"{path.stem}.slides.html"
        target.write_text(page, encoding="utf-8")
        written.append(target)
        shown = target.relative_to(ROOT) if ROOT in target.parents else target
        print(f"{shown}  ({time.perf_counter() - start:.0f} s, {target.stat().st_size / 2**20:.1f} MiB)")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="*", type=Path, help="default: every notebooks/*.ipynb")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "slides")
    args = parser.parse_args(argv)
    notebooks = args.notebook or sorted(args.notebooks.glob("*.ipynb"))
    if not notebooks:
        parser.error(f"no notebooks in {args.notebooks}")
    build([p.resolve() for p in notebooks], args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
