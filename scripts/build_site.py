"""Build the course website: build/site/, every lesson and the notation card, with Jupyter Book 1.

The lessons are never built in notebooks/: each is copied into a book source folder
(build/site-src/, written afresh each time) as a web copy, and built there from its stored outputs
(nothing is executed):

- a live figure (helpers.livefig.LiveFigure: a widget view with a stored PNG) shows its picture,
  with SNAPSHOT under it (a paragraph of text); the widget view and the notebook's widget state are
  dropped, so no page asks a CDN for the widget renderer. A widget with no picture (nothing to show
  without a kernel; its fallback text speaks to someone who ran the cell) shows a short note
  instead, NO_KERNEL;
- every figure gets its alt text from its output's metadata (``metadata["image/png"]["alt"]``,
  helpers/alt.py), given to myst-nb as the cell's ``mystnb.image.alt``. A figure without one stops
  the build with the notebook and cell named (``--allow-missing-alt`` puts a placeholder instead,
  for notebooks executed before the figures carried alt text);
- a worked solution (tag ``solution``) is collapsed, source and output, behind "Show solution";
- every relative link must name a page of the site (``03_bptt.ipynb``, ``notation.md``), which
  MyST turns into a link to that page.

site/ holds the book's configuration (``_config.yml``, ``_toc.yml``), its Sphinx extension (deeper
sections collapsed, "lesson NN" linked; site/_ext/course_site.py), its stylesheet and two theme
templates (site/_templates: the search field and the colour-mode button, named as they read). MathJax 2 is
copied from presenting/node_modules (presenting/assets.py says which files, less extensions/a11y:
its speech rule engine would fetch its rules from a CDN) into the source's ``_vendor`` folder, which
the site serves under ``_static``: the site opens from the file system with no network.

``--src`` and ``--out`` are emptied before they are written: each must be a new or empty folder, or
one that an earlier build wrote (it holds the file MARKER), and neither the repository, a folder
that holds it, nor a folder of lessons.

Usage: python scripts/build_site.py [--notebooks DIR] [--src DIR] [--out DIR] [--allow-missing-alt]
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "presenting"))
import assets  # noqa: E402  (presenting/assets.py: which MathJax files, and their URL)

sys.path.insert(0, str(ROOT))
from helpers._validate import flag, instance, text  # noqa: E402

SITE = ROOT / "site"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NO_KERNEL = "[a live control: it appears when you run this notebook in JupyterLab]"
SNAPSHOT = ("A snapshot of a live figure: open the lesson in JupyterLab (or on Binder) to move its "
            "controls.")
MARKER = ".course-site-build"       # in every folder that build() wrote, which it may empty again
MISSING_ALT = "A figure of the lesson (its alt text is missing: re-run the lesson with make execute)"
# A markdown link or image target: [text](target) or ![alt](target "title").
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#)", re.I)


def _where(name: str, index: int, cell: dict) -> str:
    """How an error names a cell: notebook, cell number (from 0) and its first line."""
    first = "".join(cell.get("source", "")).strip().split("\n")[0][:60]
    return f"{name}, cell {index} ({first!r})"


def check_links(markdown: str, where: str, pages: set[str]) -> None:
    """Raise ValueError unless every relative link in ``markdown`` names one of ``pages``
    (file names such as "03_bptt.ipynb"); ``where`` says which cell it is."""
    for target in LINK.findall(markdown):
        if EXTERNAL.match(target):
            continue
        page = target.split("#", 1)[0]
        if page not in pages:
            raise ValueError(f"{where}: the link to {target!r} names no page of the site; a lesson may "
                             f"link only to {', '.join(sorted(pages))} (or to a web address)")


def web_copy(nb: Any, name: str, pages: set[str], allow_missing_alt: bool = False) -> nbformat.NotebookNode:
    """The lesson ``nb`` (a notebook as read by nbformat, version 4) as the website shows it; see
    the module's docstring. ``name`` is its file name (for error messages), ``pages`` the file
    names of every page of the site. Raises ValueError naming the notebook and cell for a figure
    without alt text (unless ``allow_missing_alt``), a cell with two figures, or a link to a file
    that is no page of the site."""
    instance("nb", nb, dict, "a notebook (a dict with 'cells'), as nbformat.read returns")
    if not isinstance(nb.get("cells"), list):
        raise ValueError(f"nb must be a notebook with a list of 'cells', got keys {sorted(nb)}")
    text("name", name)
    if not isinstance(pages, (set, frozenset)) or not all(isinstance(p, str) for p in pages):
        raise ValueError(f"pages must be a set of file names such as {{'03_bptt.ipynb'}}, got {pages!r:.60}")
    flag("allow_missing_alt", allow_missing_alt)
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        where = _where(name, index, cell)
        if cell.cell_type == "markdown":
            check_links("".join(cell.source), where, pages)
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            outputs.append(out)
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                if "image/png" not in data:
                    out["data"] = {"text/plain": NO_KERNEL}
                else:
                    outputs.append(nbformat.v4.new_output("display_data", data={
                        "text/html": f'<p class="course-snapshot">{SNAPSHOT}</p>', "text/plain": SNAPSHOT}))
        cell.outputs = outputs
        figures = [out for out in outputs if "image/png" in out.get("data", {})]
        if len(figures) > 1:
            raise ValueError(f"{where}: {len(figures)} figures in one cell; myst-nb gives one alt text "
                             "to a cell's images, so the site needs one figure a cell")
        settings = cell.metadata.setdefault("mystnb", {})
        if figures:
            alt = figures[0].get("metadata", {}).get("image/png", {}).get("alt")
            if not isinstance(alt, str) or not alt.strip():
                if not allow_missing_alt:
                    raise ValueError(f"{where}: the figure has no alt text (its output's "
                                     "metadata['image/png']['alt']); re-run the lesson with "
                                     "`make execute NB=notebooks/" + name + "` so that its figures carry it")
                alt = MISSING_ALT
            settings["image"] = {**settings.get("image", {}), "alt": " ".join(alt.split())}
        tags = cell.metadata.setdefault("tags", [])
        if "solution" in tags:
            tags.append("hide-cell")
            settings.update(code_prompt_show="Show solution", code_prompt_hide="Hide solution")
        if not settings:
            del cell.metadata["mystnb"]
    return nb


def toc_pages(toc: Path) -> list[str]:
    """The pages (file stems) that site/_toc.yml lists, in order."""
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    return [data["root"]] + [entry["file"] for entry in data.get("chapters", [])]


def check_replaceable(name: str, folder: Path, notebooks: Path) -> None:
    """Raise ValueError unless the build may empty ``folder`` (the argument ``name``): see the
    module's docstring. ``notebooks`` is the folder of lessons being built."""
    folder = folder.resolve()
    if folder == ROOT or ROOT.is_relative_to(folder):
        raise ValueError(f"{name} must be a folder of its own for the build, got {str(folder)!r}, "
                         "which holds the repository: the build would delete it")
    for lessons in {ROOT / "notebooks", notebooks.resolve()}:
        if folder.is_relative_to(lessons) or lessons.is_relative_to(folder):
            raise ValueError(f"{name} must be a folder of its own for the build, got {str(folder)!r}, "
                             f"which is or holds or lies in the lessons' folder {str(lessons)!r}")
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{name} must be a folder, got {str(folder)!r}, which is a file")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise ValueError(f"{name} must be a new or empty folder, or one that an earlier build wrote "
                         f"(with a {MARKER} file), got {str(folder)!r}, which holds other files: "
                         "the build would delete them (delete it yourself if they are not needed)")


def _fresh(folder: Path) -> None:
    """Empty ``folder`` (checked by check_replaceable) and mark it as the build's."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("written by scripts/build_site.py, which empties this folder\n",
                                 encoding="utf-8")


def write_source(notebooks: Path, src: Path, allow_missing_alt: bool = False) -> Path:
    """Write the book source into ``src`` (emptied first, see check_replaceable): site/'s
    configuration, a web copy of every lesson in ``notebooks`` and its notation card, and MathJax.
    Returns ``src``."""
    check_replaceable("src", src, notebooks)
    sources = sorted(notebooks.glob("*.ipynb")) + sorted(notebooks.glob("*.md"))
    if not sources:
        raise ValueError(f"notebooks must be a folder of lessons (*.ipynb), got {str(notebooks)!r} with none")
    listed, found = toc_pages(SITE / "_toc.yml"), [p.stem for p in sources]
    if sorted(listed) != sorted(found):
        raise ValueError(f"site/_toc.yml lists {listed} but {notebooks} holds {found}: "
                         "add every lesson to site/_toc.yml (and nothing else)")
    _fresh(src)
    shutil.copytree(SITE, src, ignore=shutil.ignore_patterns("Makefile.inc", "__pycache__"), dirs_exist_ok=True)
    config = yaml.safe_load((SITE / "_config.yml").read_text(encoding="utf-8"))
    config["sphinx"]["config"]["mathjax_path"] = assets.MATHJAX      # relative to _static: _vendor's copy
    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    pages = {p.name for p in sources}
    for path in sources:
        if path.suffix == ".md":
            check_links(path.read_text(encoding="utf-8"), path.name, pages)
            shutil.copy2(path, src / path.name)
        else:
            nbformat.write(web_copy(nbformat.read(path, as_version=4), path.name, pages, allow_missing_alt),
                           src / path.name)
    assets.check_versions()
    for rel in assets.FILES["mathjax"]:
        source, target = assets.NODE_MODULES / "mathjax" / rel, src / "_vendor" / "mathjax" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("a11y"))
        else:
            shutil.copy2(source, target)
    return src


def build(notebooks: Path, out: Path, src: Path, allow_missing_alt: bool = False) -> Path:
    """Write the book source into ``src`` and build the website into ``out`` (replaced); see
    check_replaceable for the folders it refuses."""
    check_replaceable("out", out, notebooks)
    write_source(notebooks, src, allow_missing_alt)
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(src), "--builder", "html",
               "--warningiserror", "--keep-going", "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"jupyter-book build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    _fresh(out)
    shutil.copytree(src / "_build" / "html", out, dirs_exist_ok=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--src", type=Path, default=ROOT / "build" / "site-src")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--allow-missing-alt", action="store_true",
                        help="give a figure without alt text a placeholder instead of stopping")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        out = build(args.notebooks.resolve(), args.out.resolve(), args.src.resolve(), args.allow_missing_alt)
    except ValueError as exc:
        parser.exit(1, f"build_site: {exc}\n")
    print(f"built {out} in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
