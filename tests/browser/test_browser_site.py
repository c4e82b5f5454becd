"""The course website (`make site`, scripts/build_site.py) in a real Chromium, opened from the file
system with the network cut: every page loads with nothing fetched off the machine, its equations
typeset by the site's own MathJax and the core path's numbered (those of "Going deeper" sections
not), MathJax's menu offering nothing that it would fetch, its figures described and each live
figure's picture captioned as a snapshot, its worked solutions and "Going deeper" sections
collapsed until clicked, its links pointing at pages that exist, its checks' and exercises' output
wrapped; the sidebar lists every page under one search field; the search page finds a lesson's word;
axe-core finds no serious or critical violation on any page."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import browser_harness as harness
import pytest

sys.path.insert(0, str(harness.ROOT / "scripts"))
import build_site  # noqa: E402

PAGES = harness.NOTEBOOKS + sorted(harness.NOTEBOOKS_DIR.glob("*.md"))

@pytest.fixture(scope="session")
def site(slide_assets, tmp_path_factory) -> Path:
    """The website of the course's notebooks, built as `make site` builds it, in a temp folder."""
    work = tmp_path_factory.mktemp("site")
    return build_site.build(harness.NOTEBOOKS_DIR, work / "html", work / "src")


# Wait until MathJax 2 has typeset the page (its "End" startup hook runs after the first pass, or
# at once if that is over); false if it has not within 30 s.
MATHJAX_DONE = """() => new Promise(done => {
    setTimeout(() => done(false), 30000);
    const wait = () => (window.MathJax && MathJax.Hub && MathJax.Hub.Register)
        ? MathJax.Hub.Register.StartupHook('End', () => done(true)) : setTimeout(wait, 50);
    wait(); })"""

# What the page shows: typeset expressions (inline, display), TeX errors, equation numbers (outside
# and inside deeper sections), images with their alt text, live figures' captions, the collapsed
# solution and deeper toggles, how check and exercise outputs wrap, and the items of MathJax's
# accessibility menu that would load a module (extensions/a11y, not on the site).
PAGE_STATE = """() => {
  const article = document.querySelector('article');     // not the page's table of contents
  const jax = MathJax.Hub.getAllJax().filter(j => article.contains(document.getElementById(j.inputID)));
  const details = sel => Array.from(article.querySelectorAll(sel));
  return {
    inline: jax.filter(j => !j.root.display || j.root.display === 'inline').length,
    display: jax.filter(j => j.root.display === 'block').length,
    errors: article.querySelectorAll('.mjx-merror, .MathJax_Error, .noError').length,
    labels: Array.from(article.querySelectorAll('.mjx-label')).filter(e => !e.closest('details.course-deeper'))
                 .map(e => e.textContent.trim()),
    deeperDisplays: jax.filter(j => j.root.display === 'block'
                               && document.getElementById(j.inputID).closest('details.course-deeper')).length,
    deeperLabels: article.querySelectorAll('details.course-deeper .mjx-label').length,
    snapshots: Array.from(article.querySelectorAll('p.course-snapshot')).map(p => {   // under the picture
                 const before = p.parentElement.previousElementSibling;
                 return [p.innerText.trim(), before ? before.tagName : null]; }),
    wraps: details('div.tag_check div.cell_output pre, div.tag_exercise div.cell_output pre')
             .map(e => getComputedStyle(e).whiteSpace),
    menuLoaders: MathJax.Extension['accessibility-menu'].modules.length,
    alts: Array.from(article.querySelectorAll('img')).map(i => i.getAttribute('alt')),
    solutions: details('div.tag_solution details').map(d => [d.open, d.querySelector('summary').innerText.trim()]),
    deeper: details('details.course-deeper').map(d => [d.open,
                                                d.closest('section').querySelector('h2, h3, h4, h5').innerText]),
    links: Array.from(article.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
  };
}"""


def _expected(path: Path) -> dict:
    """What the page must show, read from the notebook itself (not from the site's build)."""
    if path.suffix == ".md":
        markdown, nb = path.read_text(encoding="utf-8"), {"cells": []}
        math = harness.math_spans(markdown)
    else:
        nb = harness.read_notebook(path)
        math = sum(harness.markdown_math(nb))
        markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    cells = nb["cells"]
    alts = [out.get("metadata", {}).get("image/png", {}).get("alt")
            for c in cells if c["cell_type"] == "code" for out in c.get("outputs", [])
            if "image/png" in out.get("data", {})]
    deeper = [c for c in cells if c["cell_type"] == "markdown" and "deeper" in c["metadata"].get("tags", [])
              and re.match(r"#+ Going deeper", "".join(c["source"]))]
    solutions = [c for c in cells if c["cell_type"] == "code" and "solution" in c["metadata"].get("tags", [])]
    in_deeper = "\n".join("".join(c["source"]) for c in cells
                          if c["cell_type"] == "markdown" and "deeper" in c["metadata"].get("tags", []))
    displays = len(re.findall(r"\$\$.+?\$\$", markdown, re.S))
    deeper_displays = len(re.findall(r"\$\$.+?\$\$", in_deeper, re.S))
    return {"math": math, "displays": displays - deeper_displays, "deeper_displays": deeper_displays,
            "alts": alts, "deeper": len(deeper), "solutions": len(solutions),
            "live": harness.live_figures(nb) if cells else 0}


@pytest.mark.parametrize("path", PAGES, ids=harness.nb_id)
def test_page(site, context, path):
    want = _expected(path)
    page = context.new_page()
    page.goto((site / f"{path.stem}.html").as_uri())
    assert page.evaluate(MATHJAX_DONE), f"{path.name}: MathJax did not finish typesetting within 30 s"
    got = page.evaluate(PAGE_STATE)
    context.assert_offline()
    assert not context.pages_errors, f"{path.name}: script errors {context.pages_errors[:3]}"

    assert got["inline"] + got["display"] == want["math"], (
        f"{path.name}: MathJax typeset {got['inline']} inline and {got['display']} display expressions; "
        f"the markdown holds {want['math']}")
    assert got["errors"] == 0, f"{path.name}: {got['errors']} equations failed to typeset"
    assert got["labels"] == [f"({i})" for i in range(1, want["displays"] + 1)], (
        f"{path.name}: the core path's display equations numbered {got['labels']}, "
        f"expected (1) … ({want['displays']})")
    assert got["deeperDisplays"] == want["deeper_displays"] and got["deeperLabels"] == 0, (
        f"{path.name}: {got['deeperDisplays']} display equations in deeper sections (the notebook's deeper "
        f"cells hold {want['deeper_displays']}), {got['deeperLabels']} of them numbered (expected none)")
    assert got["menuLoaders"] == 0, f"{path.name}: MathJax's menu offers modules it would load from a CDN"

    assert got["alts"] == want["alts"], f"{path.name}: the images' alt texts differ from the notebook's"
    assert all(alt and alt.strip() and alt != build_site.MISSING_ALT for alt in got["alts"])
    assert got["snapshots"] == [[build_site.SNAPSHOT, "IMG"]] * want["live"], (
        f"{path.name}: {want['live']} live figures, captions {got['snapshots']}")
    assert set(got["wraps"]) <= {"pre-wrap"}, f"{path.name}: check/exercise output white-space {set(got['wraps'])}"

    assert [s[1] for s in got["solutions"]] == ["Show solution"] * want["solutions"], got["solutions"]
    assert not any(open_ for open_, _ in got["solutions"]), f"{path.name}: a solution is open on load"
    assert len(got["deeper"]) == want["deeper"], f"{path.name}: deeper sections on the page {got['deeper']}"
    assert all(not open_ and title.startswith("Going deeper") for open_, title in got["deeper"]), got["deeper"]

    for href in got["links"]:
        target = href.split("#", 1)[0]
        if target and not re.match(r"[a-z]+:", target):
            assert (site / target).is_file(), f"{path.name}: the link {href!r} leads nowhere"

    if want["solutions"]:  # a solution's code is hidden until its toggle is clicked
        cell = page.locator("div.tag_solution").first
        code = cell.locator("div.cell_input pre").first
        assert not code.is_visible()
        cell.locator("summary").first.click()
        assert code.is_visible(), f"{path.name}: clicking 'Show solution' did not show the code"
    if want["deeper"]:  # so is a deeper section's body, under its visible heading
        section = page.locator("details.course-deeper").first
        assert not section.locator("> :not(summary)").first.is_visible()
        section.locator("summary").click()
        assert section.locator("> :not(summary)").first.is_visible()

    # The theme's two findings (search field, colour-mode button) are fixed by site/_templates.
    # An opened toggle fades its content in: axe measures contrast once nothing is mid-fade.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')", timeout=10000)
    assert harness.axe_violations(page) == [], f"{path.name}: axe found serious or critical violations"


def test_lesson_links(site):
    """The lessons' links to each other and to the notation card are links between pages."""
    start = (site / "00_start_here.html").read_text(encoding="utf-8")
    for path in PAGES[1:]:
        assert f'href="{path.stem}.html"' in start, f"lesson 00 does not link to {path.stem}.html"
    assert 'href="notation.html"' in (site / "03_bptt.html").read_text(encoding="utf-8")
    assert (site / "index.html").is_file()


def test_search_and_landing(site, context):
    page = context.new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto((site / "index.html").as_uri())
    page.wait_for_url(re.compile(r"00_start_here\.html$"))
    # The sidebar lists every page, lesson 00 (this one) first, under the one visible search field.
    sidebar = page.locator("nav.bd-docs-nav a.reference")
    hrefs = sidebar.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert hrefs == ["#"] + [f"{p.stem}.html" for p in PAGES[1:]], f"the sidebar lists {hrefs}"
    fields = page.locator(".search-button-field, .search-button, input[type=search]")
    visible = [fields.nth(i).inner_text().split("\n")[0].strip()
               for i in range(fields.count()) if fields.nth(i).is_visible()]
    assert visible == ["Search…"], f"the visible search fields: {visible}"
    page.goto((site / "search.html").as_uri() + "?q=Jacobian")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=20000)
    hrefs = results.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert any(h.startswith("03_bptt.html") for h in hrefs), f"searching 'Jacobian' found {hrefs}"
    context.assert_offline()
    assert not context.pages_errors, context.pages_errors[:3]
    assert harness.axe_violations(page) == [], "the search page: axe found serious or critical violations"
