"""Build a static reveal.js deck of every lesson: build/slides/NN_topic.slides.html.

Code is hidden, as in the Voila lecture slides (`make present`): the notebook is where students
read the code. The decks open from the file system with no network: reveal.js, MathJax 2, require.js and jQuery
are copied into build/slides/assets/ (from presenting/node_modules, see presenting/assets.py) and
referenced by relative URLs; figures are embedded in the HTML. A live figure (helpers.livefig)
has no kernel here, so the deck shows the PNG of its default setting that the stored output
carries (the widget view and the notebook's saved widget state are dropped, which would otherwise
make the page fetch the widget renderer from a CDN).

Usage: python scripts/build_slides.py [--notebooks DIR] [--out DIR] [NOTEBOOK ...]
"""
from __future__ import annotations

import argparse
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


def static_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as a deck without a kernel shows it: live figures become their PNG."""
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data and "image/png" in data:
                del data[WIDGET_VIEW]
    return nb


def build(notebooks: list[Path], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    assets.install(out / "assets")
    exp = exporter()
    written = []
    for path in notebooks:
        nb = static_copy(nbformat.read(path, as_version=4))
        html, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        target = out / f"{path.stem}.slides.html"
        target.write_text(html, encoding="utf-8")
        written.append(target)
        print(f"{target.relative_to(out.parent) if out.parent in target.parents else target}")
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
    build(notebooks, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
