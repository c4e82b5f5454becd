"""The course website's build (scripts/build_site.py, site/): the web copy of a lesson on small
synthetic notebooks, and (slow) a whole book of synthetic pages built by Jupyter Book, read back
from its HTML. The real lessons in a real browser: tests/browser/test_browser_site.py."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import build_site  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
PAGES = {"00_start.ipynb", "01_next.ipynb", "notation.md"}


def figure(alt: str | None = None, live: bool = False) -> dict:
    """A stored figure output: a PNG (with alt text in its metadata), optionally a live figure's."""
    data = {"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"}
    if live:
        data[WIDGET_VIEW] = {"version_major": 2, "version_minor": 0, "model_id": "abc"}
    meta = {"image/png": {"alt": alt}} if alt is not None else {}
    return new_output("display_data", data=data, metadata=meta)


def lesson(*cells, widgets: bool = False) -> nbformat.NotebookNode:
    nb = new_notebook(cells=list(cells), metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    if widgets:
        nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


def test_live_figure_becomes_its_picture_with_alt_text():
    nb = lesson(new_markdown_cell("# 00"), new_code_cell("app", outputs=[figure("w^t falls to 1e-4", live=True)]),
                widgets=True)
    web = build_site.web_copy(nb, "00_start.ipynb", PAGES)
    out = web.cells[1].outputs[0]
    assert WIDGET_VIEW not in out["data"] and out["data"]["image/png"] == PNG
    assert web.cells[1].metadata["mystnb"]["image"] == {"alt": "w^t falls to 1e-4"}
    assert "widgets" not in web.metadata
    assert WIDGET_VIEW in nb.cells[1].outputs[0]["data"] and "widgets" in nb.metadata  # the lesson is untouched
    # under the picture, a caption (real text) saying it is a snapshot
    assert len(web.cells[1].outputs) == 2
    assert web.cells[1].outputs[1]["data"]["text/html"] == (
        '<p class="course-snapshot">A snapshot of a live figure: open the lesson in JupyterLab (or on Binder) '
        "to move its controls.</p>")


def test_static_figure_has_no_snapshot_caption():
    web = build_site.web_copy(lesson(new_code_cell("plot()", outputs=[figure("a plot")])), "00_start.ipynb", PAGES)
    assert len(web.cells[0].outputs) == 1


def test_static_figure_alt_text_whitespace_collapsed():
    web = build_site.web_copy(lesson(new_code_cell("plot()", outputs=[figure("two\n  lines")])), "00_start.ipynb",
                              PAGES)
    assert web.cells[0].metadata["mystnb"]["image"]["alt"] == "two lines"


def test_widget_without_picture_becomes_a_note():
    probe = new_output("execute_result", data={WIDGET_VIEW: {"model_id": "x"}, "text/plain": "If you see this"},
                       execution_count=1)
    web = build_site.web_copy(lesson(new_code_cell("widget_probe()", outputs=[probe])), "00_start.ipynb", PAGES)
    assert web.cells[0].outputs[0]["data"] == {"text/plain": build_site.NO_KERNEL}


@pytest.mark.parametrize("alt", [None, "", "   "])
def test_missing_alt_text_is_refused_naming_notebook_and_cell(alt):
    nb = lesson(new_markdown_cell("# 01"), new_code_cell("plot_decay()", outputs=[figure(alt)]))
    with pytest.raises(ValueError, match=r"01_next\.ipynb, cell 1 \('plot_decay\(\)'\): the figure has no alt text"):
        build_site.web_copy(nb, "01_next.ipynb", PAGES)
    web = build_site.web_copy(nb, "01_next.ipynb", PAGES, allow_missing_alt=True)
    assert web.cells[1].metadata["mystnb"]["image"]["alt"] == build_site.MISSING_ALT


def test_two_figures_in_one_cell_are_refused():
    nb = lesson(new_code_cell("a(); b()", outputs=[figure("one"), figure("two")]))
    with pytest.raises(ValueError, match=r"00_start\.ipynb, cell 0 .*2 figures in one cell"):
        build_site.web_copy(nb, "00_start.ipynb", PAGES)


def test_solution_collapsed_behind_show_solution():
    cell = new_code_cell("answer = 3", metadata={"tags": ["exercise", "solution"]})
    web = build_site.web_copy(lesson(cell, new_code_cell("x = 1", metadata={"tags": ["check"]})),
                              "00_start.ipynb", PAGES)
    assert "hide-cell" in web.cells[0].metadata["tags"]
    assert web.cells[0].metadata["mystnb"] == {"code_prompt_show": "Show solution",
                                               "code_prompt_hide": "Hide solution"}
    assert web.cells[1].metadata == {"tags": ["check"]}                 # checks are shown as they are


def test_links_must_name_a_page_of_the_site():
    ok = new_markdown_cell("See [lesson 01](01_next.ipynb), the [card](notation.md#time), "
                           "[a paper](https://example.org/x.pdf) and [below](#exercises).")
    build_site.web_copy(lesson(ok), "00_start.ipynb", PAGES)
    bad = new_markdown_cell("Read [the code](../helpers/rnn.py).")
    with pytest.raises(ValueError, match=r"00_start\.ipynb, cell 1 .*'\.\./helpers/rnn\.py' names no page"):
        build_site.web_copy(lesson(ok, bad), "00_start.ipynb", PAGES)


@pytest.mark.parametrize("kwargs, message", [
    ({"nb": "lesson.ipynb"}, r"nb must be a notebook"),
    ({"nb": {"metadata": {}}}, r"nb must be a notebook with a list of 'cells'"),
    ({"name": 3}, r"name must be a string, got 3"),
    ({"pages": ["00_start.ipynb"]}, r"pages must be a set of file names"),
    ({"allow_missing_alt": "yes"}, r"allow_missing_alt must be True or False, got 'yes'"),
])
def test_bad_arguments(kwargs, message):
    args = {"nb": lesson(), "name": "00_start.ipynb", "pages": PAGES, **kwargs}
    with pytest.raises(ValueError, match=message):
        build_site.web_copy(**args)


def test_every_lesson_must_be_in_the_table_of_contents(tmp_path):
    (tmp_path / "notebooks").mkdir()
    nbformat.write(lesson(), tmp_path / "notebooks" / "99_extra.ipynb")
    with pytest.raises(ValueError, match=r"site/_toc.yml lists .* but .* holds \['99_extra'\]"):
        build_site.write_source(tmp_path / "notebooks", tmp_path / "src")
    assert not (tmp_path / "src").exists()


def _occupied(folder: Path) -> Path:
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me", encoding="utf-8")
    return folder


@pytest.mark.parametrize("which", ["src", "out"])
@pytest.mark.parametrize("target, message", [
    (lambda tmp: build_site.ROOT, r"which holds the repository"),
    (lambda tmp: build_site.ROOT.parent, r"which holds the repository"),
    (lambda tmp: build_site.ROOT / "notebooks", r"the lessons' folder"),
    (lambda tmp: build_site.ROOT / "notebooks" / "web", r"the lessons' folder"),
    (lambda tmp: tmp / "lessons", r"the lessons' folder"),
    (lambda tmp: _occupied(tmp / "mine"), r"or one that an earlier build wrote .* which holds other files"),
])
def test_build_refuses_a_folder_it_would_wrongly_delete(tmp_path, which, target, message):
    (tmp_path / "lessons").mkdir()
    nbformat.write(lesson(), tmp_path / "lessons" / "00_start_here.ipynb")
    folder = target(tmp_path)
    args = {"src": tmp_path / "src", "out": tmp_path / "out", which: folder}
    with pytest.raises(ValueError, match=rf"{which} must be .*{message}"):
        build_site.build(tmp_path / "lessons", args["out"], args["src"])
    assert (build_site.ROOT / "notebooks" / "00_start_here.ipynb").is_file()
    assert (tmp_path / "lessons" / "00_start_here.ipynb").is_file()
    assert not (tmp_path / "src").exists() and not (tmp_path / "out").exists()
    if folder.name == "mine":
        assert (folder / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_build_refuses_a_file(tmp_path):
    (tmp_path / "src").write_text("a file", encoding="utf-8")
    with pytest.raises(ValueError, match=r"src must be a folder, got .*which is a file"):
        build_site.write_source(build_site.ROOT / "notebooks", tmp_path / "src")


def test_command_line_refuses_the_lessons_folder(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_site.main(["--src", str(build_site.ROOT / "notebooks"), "--out", str(tmp_path / "out")])
    assert exit_.value.code == 1
    assert "src must be a folder of its own" in capsys.readouterr().err
    assert (build_site.ROOT / "notebooks" / "00_start_here.ipynb").is_file()


def test_source_folder_of_an_earlier_build_is_emptied_and_marked(tmp_path):
    """A folder that a build wrote (it holds the marker) is emptied; an empty one is taken."""
    synthetic_pages(tmp_path / "notebooks")
    src = tmp_path / "src"
    src.mkdir()                                               # empty: taken
    build_site.write_source(tmp_path / "notebooks", src)
    assert (src / build_site.MARKER).is_file() and (src / "00_start_here.ipynb").is_file()
    (src / "stale.txt").write_text("from an earlier build", encoding="utf-8")
    build_site.write_source(tmp_path / "notebooks", src)
    assert not (src / "stale.txt").exists() and (src / build_site.MARKER).is_file()
    # the site's MathJax leaves out the accessibility modules (their speech rule engine names a CDN)
    mathjax = src / "_vendor" / "mathjax"
    assert (mathjax / "MathJax.js").is_file() and (mathjax / "extensions" / "MathMenu.js").is_file()
    assert not (mathjax / "extensions" / "a11y").exists()


# ------------------------------------------------------------------ a whole book, built (slow)

def synthetic_pages(folder: Path) -> None:
    """One small page for every entry of site/_toc.yml: lesson 00 holds what the checks below read."""
    folder.mkdir()
    for stem in build_site.toc_pages(build_site.SITE / "_toc.yml"):
        if stem == "notation":
            (folder / "notation.md").write_text("# Notation card\n\n$h_t = \\varphi(z_t)$\n", encoding="utf-8")
            continue
        cells = [new_markdown_cell(f"# {stem}\n\nBack to [the start](00_start_here.ipynb).")]
        if stem.startswith("00"):
            cells = [
                new_markdown_cell("# Start\n\nThen lesson 03 and [the card](notation.md); `lesson 04` is code; "
                                  "lesson 00 is this page.\n\n$$a = b$$\n\n## Core\n\nCore text."),
                new_code_cell("fig", outputs=[figure("the norm falls to 2e-49 at k = 99", live=True)]),
                new_markdown_cell("#### Going deeper (optional): a digression\n\nDEEPER-BODY text; see lessons "
                                  "01–03 and lessons 02, 05 and 06.\n\n$$c = d$$\n\n$$e = f \\\\ g = h$$",
                                  metadata={"tags": ["deeper"]}),
                new_code_cell("deeper_value = 1", metadata={"tags": ["deeper"]}),
                new_markdown_cell("## Exercises\n\nAFTER-DEEPER text."),
                new_code_cell("SOLUTION_CODE = 42", metadata={"tags": ["exercise", "solution"]}),
            ]
        nbformat.write(lesson(*cells, widgets=stem.startswith("00")), folder / f"{stem}.ipynb")


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("book")
    synthetic_pages(work / "notebooks")
    return build_site.build(work / "notebooks", work / "html", work / "src")


@pytest.mark.slow
def test_built_page(book):
    page = (book / "00_start_here.html").read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    assert re.search(r'<img alt="the norm falls to 2e-49 at k = 99" src="_images/', article)
    assert WIDGET_VIEW not in page
    # the solution: source inside a closed <details> whose summary says "Show solution"
    solution = re.search(r'<details class="admonition hide above-input">\s*<summary>(.*?)</summary>(.*?)</details>',
                         article, re.S)
    assert solution and "Show solution" in solution[1] and "SOLUTION_CODE" in solution[2]
    # the deeper section: heading outside, body and code inside a closed toggle, the next section after
    deeper = re.search(r'(<h\d>Going deeper \(optional\): a digression.*?</h\d>)\s*'
                       r'<details class="admonition hide course-deeper">\s*<summary>(.*?)</summary>(.*?)</details>',
                       article, re.S)
    assert deeper and "Show this optional section" in deeper[2]
    assert "DEEPER-BODY" in deeper[3] and "deeper_value" in deeper[3] and "AFTER-DEEPER" not in deeper[3]
    assert "open" not in deeper[0].split(">")[0]
    # its display equations carry \notag (MathJax numbers the others), a two-line one in split
    assert r"\[c = d\notag\]" in deeper[3]
    assert r"\[\begin{split}e = f \\ g = h\end{split}\notag\]" in deeper[3]
    assert r"\[a = b\]" in article and article.count(r"\notag") == 2
    # each number of "lessons 01–03", "lessons 02, 05 and 06" links to its lesson
    plural = re.search(r"see lessons (.*?)\.</p>", deeper[3], re.S)[1]
    assert re.findall(r'href="(\d\d)_\w+\.html"><span class="doc">(\d\d)</span>', plural) == [
        ("01", "01"), ("03", "03"), ("02", "02"), ("05", "05"), ("06", "06")]
    # a live figure's picture, then its caption
    assert re.search(r'<img alt="the norm falls[^>]*>\s*<div class="output text_html"><p class="course-snapshot">'
                     + re.escape(build_site.SNAPSHOT) + "</p>", article)
    # links: notebook links and "lesson 03" lead to pages; code, and this page's own number, do not
    assert re.search(r'<a class="reference internal" href="notation.html">', article)
    assert re.search(r'href="03_bptt.html"><span class="doc">lesson 03</span></a>', article)
    assert "<code" in article and not re.search(r'href="04_vanishing_exploding.html"', article)
    assert not re.search(r'href="00_start_here.html">[^<]*<span[^>]*>lesson 00', article)
    assert 'href="00_start_here.html"' in (book / "01_sequence_data.html").read_text(encoding="utf-8")
    # equations: MathJax 2 from the site itself, numbering every display
    assert re.search(r'<script [^>]*\bsrc="_static/mathjax/MathJax\.js\?config=TeX-AMS_CHTML-full,Safe">', page)
    assert (book / "_static/mathjax/MathJax.js").is_file()
    assert '"equationNumbers": {"autoNumber": "all"}' in page
    # one search field (the sidebar's), showing search_bar_text; the sidebar lists lesson 00 too
    assert page.count('class="btn search-button-field') == 1 and "Search…</span>" in page
    assert "navbar-persistent" not in page
    nav = (book / "01_sequence_data.html").read_text(encoding="utf-8")
    nav = nav[nav.index('<nav class="bd-links bd-docs-nav"'):]
    hrefs = re.findall(r'<a class="[^"]*reference internal" href="([^"]*)"', nav[:nav.index("</nav>")])
    stems = build_site.toc_pages(build_site.SITE / "_toc.yml")
    assert hrefs == [f"{stem}.html" if stem != "01_sequence_data" else "#" for stem in stems], hrefs


@pytest.mark.slow
def test_built_site_asks_no_other_host(book):
    """No page loads a script, stylesheet, font or image from off the site (thebe's CDN included)."""
    for path in book.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        loads = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', text)
        assert not [u for u in loads if re.match(r"(https?:)?//", u)], f"{path.name} loads {loads}"
        assert "unpkg.com" not in text and "thebe" not in text.replace("sphinx-thebe.css", ""), path.name
    for css in (book / "_static").rglob("*.css"):
        assert not re.search(r"url\((['\"]?)(https?:)?//", css.read_text(encoding="utf-8", errors="replace")), css


# Web addresses that the site's MathJax names but never loads from: XML namespaces, its licence, and
# links that the About box and the font warning show to the reader.
NOT_LOADED = {"www.w3.org", "exslt.org", "www.apache.org", "www.mathjax.org", "www.stixfonts.org", "github.com"}


@pytest.mark.slow
def test_site_mathjax_names_no_host_to_load_from(book):
    """Nothing in the site's MathJax could fetch from a CDN, in any menu setting: the accessibility
    modules (their speech rule engine names cdn.jsdelivr.net) are left out, and every page's MathJax
    configuration empties the menu's list of modules it would load."""
    mathjax = book / "_static" / "mathjax"
    hosts = {}
    for path in mathjax.rglob("*"):
        if path.is_file() and path.suffix in (".js", ".css", ".html", ".json"):
            for host in re.findall(r"https?://([\w.-]+)", path.read_text(encoding="utf-8", errors="replace")):
                hosts.setdefault(host, path.relative_to(mathjax))
    assert set(hosts) <= NOT_LOADED, {h: str(p) for h, p in hosts.items() if h not in NOT_LOADED}
    assert not (mathjax / "extensions" / "a11y").exists()
    page = (book / "00_start_here.html").read_text(encoding="utf-8")
    config = re.findall(r'<script type="text/x-mathjax-config">(.*?)</script>', page, re.S)
    assert any('MathJax.Extension["accessibility-menu"]' in c and "menu.modules = []" in c for c in config)
