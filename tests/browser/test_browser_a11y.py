"""Accessibility, in a real Chromium: axe-core (presenting/node_modules, injected by the harness) on
every static deck, on the Voila deck of the slider lesson and on that lesson run in JupyterLab;
and, where the widgets live, that every control has its accessible name, every status line is a
live region and every canvas an image labelled with the alt text of the state it shows
(helpers.livefig.Access).

Zero serious or critical WCAG 2 A/AA violations in the course's own content. JupyterLab's own
interface and the widget libraries have findings of their own: they are listed in UPSTREAM_LAB
with the element and the reason, and the test asserts exactly that set, so a new finding fails
it (ours or upstream) and a fixed one asks for the list to shrink.
"""
from __future__ import annotations

import browser_harness as harness
import pytest

SLIDER_NB = harness.slider_notebook()

# Every slide of a reveal.js deck on screen at once, each fragment shown, as a reader who steps
# through the deck meets them all: axe checks what is rendered (contrast needs real layout), and
# reveal hides every slide but the current one (display: none, aria-hidden).
ALL_SLIDES = """() => {
  const style = document.createElement('style');
  style.textContent = `.reveal .slides, .reveal .slides section { position: static !important;
      display: block !important; transform: none !important; top: auto !important; left: auto !important;
      width: auto !important; height: auto !important; opacity: 1 !important; visibility: visible !important; }
    .reveal .slides .fragment { opacity: 1 !important; visibility: visible !important; }
    .reveal .slides .course-stack > [hidden] { visibility: hidden !important; }`;
  document.head.appendChild(style);
  const slides = document.querySelectorAll('.reveal .slides section');
  slides.forEach(s => { s.hidden = false; s.removeAttribute('aria-hidden'); s.removeAttribute('inert'); });
  return slides.length; }"""

# What the course's widgets tell the accessibility tree, per live figure (helpers.livefig.Access).
ACCESS = """k => { const root = __course.root(k);
  const status = Array.from(root.children).find(e => e.classList.contains('widget-html'));
  const canvas = __course.canvas(k);
  return {
    sliders: Array.from(root.querySelectorAll('.widget-slider [role=slider]')).map(e => e.getAttribute('aria-label')),
    selects: Array.from(root.querySelectorAll('.widget-dropdown select')).map(e => e.getAttribute('aria-label')),
    groups: Array.from(root.querySelectorAll('[role=group]')).map(e => e.getAttribute('aria-label')),
    toggles: root.querySelectorAll(':scope > .widget-hbox > .widget-toggle-buttons').length,
    status: status && [status.getAttribute('role'), status.getAttribute('aria-live')],
    canvas: canvas && [canvas.getAttribute('role'), canvas.getAttribute('aria-label')],
  }; }"""


def _findings(violations: list[dict]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][:4]}" for v in violations]


def _labelled(page, n: int) -> list[dict]:
    """Wait until the n live figures carry their accessibility attributes; return them."""
    page.wait_for_function(
        """n => Array.from({length: n}, (_, k) => __course.canvas(k)).every(c => c && c.getAttribute('role') === 'img'
                 && c.getAttribute('aria-label'))""", arg=n, timeout=30000, polling=200)
    return [page.evaluate(ACCESS, k) for k in range(n)]


def _check_access(page, n: int) -> list[str]:
    """Every control named (no slider, select or group without one), every status a polite live
    region, every canvas an image labelled; moving the first slider relabels the first canvas."""
    problems = []
    for k, a in enumerate(_labelled(page, n)):
        unnamed = [kind for kind in ("sliders", "selects", "groups") for name in a[kind] if not name]
        if unnamed or not (a["sliders"] or a["selects"]) or len(a["groups"]) != a["toggles"]:
            problems.append(f"live figure {k}: controls without an accessible name: {a}")
        if a["status"] != ["status", "polite"]:
            problems.append(f"live figure {k}: the status line is not a polite live region: {a['status']}")
        if not a["canvas"] or a["canvas"][0] != "img" or len(a["canvas"][1] or "") < 40:
            problems.append(f"live figure {k}: the canvas is not an image with alt text: {a['canvas']}")
    fig = harness.LiveFigureDriver(page, 0)
    before, label = fig.state(), page.evaluate(ACCESS, 0)["canvas"][1]
    key = fig.press_to_edge(0)
    fig.wait_change(before, need_status=bool(before[1]))
    try:
        page.wait_for_function("([k, b]) => __course.canvas(k).getAttribute('aria-label') !== b",
                               arg=[0, label], timeout=15000)
    except Exception as exc:
        problems.append(f"{key} on the first slider left the canvas's alt text at {label!r} "
                        f"(status {fig.state()[1]!r}): {str(exc)[:200]}")
    return problems


@pytest.mark.parametrize("path", harness.NOTEBOOKS, ids=harness.nb_id)
def test_static_deck_has_no_serious_violations_on_any_slide(path, decks, context):
    page = context.new_page()
    page.goto((decks / f"{path.stem}.slides.html").as_uri())
    page.wait_for_function("() => document.querySelector('.reveal.ready') !== null", timeout=30000)
    assert page.evaluate(ALL_SLIDES) > 0
    found = harness.axe_violations(page)
    assert not found, "\n".join(_findings(found))
    # every picture says what it shows (build_slides refuses a figure without alt text)
    assert page.evaluate("() => Array.from(document.querySelectorAll('img')).every(i => (i.alt || '').length > 20)")
    context.assert_offline()


def test_voila_deck_names_every_control_and_has_no_serious_violations(slide_assets, context, course, tmp_path):
    server = harness.start_voila(course / "notebooks" / SLIDER_NB.name, tmp_path)
    try:
        page = context.new_page()
        page.goto(server.url("/"), timeout=120000)      # Voila runs the whole lesson before it answers
        page.wait_for_selector(".reveal.ready", timeout=120000)
        page.evaluate(ALL_SLIDES)
        n = harness.live_figures(harness.read_notebook(SLIDER_NB))
        assert harness.wait_widgets(page, n) == n
        problems = _check_access(page, n)
        found = harness.axe_violations(page)
        problems += _findings(found)
    finally:
        server.stop()
    assert not problems, "\n".join(problems)
    context.assert_offline()


# Serious or critical findings of JupyterLab 4.5 and ipywidgets 8 in a notebook's content, each
# with the element and why it is upstream: (rule id, what the CSS target contains) -> reason.
UPSTREAM_LAB: dict[tuple[str, str], str] = {
    ("aria-input-field-name", ".cm-content"):
        "JupyterLab's CodeMirror 6 cell editors are role=textbox without an accessible name",
    ("aria-required-children", ".jp-WindowedPanel-viewport"):
        "JupyterLab's windowed notebook list (role=list) holds cells that are not role=listitem",
    ("image-alt", "img"):
        "JupyterLab 4.5's image renderer (renderImage) ignores the output's alt metadata, which the "
        "course sets (the test checks every such image is JupyterLab's and its output has alt text)",
}

# Images in a notebook's outputs without alt, and whether each is JupyterLab's image renderer's.
LAB_IMAGES = """() => Array.from(document.querySelectorAll('.jp-NotebookPanel-notebook img:not([alt])'))
    .map(i => !!i.closest('.jp-RenderedImage'))"""


def _upstream_kind(rule: str, target: str) -> tuple[str, str]:
    for (r, where) in UPSTREAM_LAB:
        if r == rule and where in target:
            return r, where
    return rule, target


@pytest.mark.notebooks(lambda path, nb: path.name == SLIDER_NB.name)
def test_a_lesson_run_in_jupyterlab_names_every_control_and_has_only_known_upstream_findings(lab_run):
    page = lab_run.page
    n = harness.live_figures(lab_run.nb)
    assert harness.wait_widgets(page, n) == n
    problems = _check_access(page, n)
    found = harness.axe_violations(page, include=".jp-NotebookPanel-notebook")
    rendered = page.evaluate(LAB_IMAGES)
    if not all(rendered):
        problems.append(f"{rendered.count(False)} images without alt text that JupyterLab's renderer did not draw")
    stored = [o for c in lab_run.nb["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    undescribed = [o for o in stored if not o.get("metadata", {}).get("image/png", {}).get("alt")]
    if undescribed:
        problems.append(f"{len(undescribed)} of {len(stored)} stored figures have no alt text in their metadata")
    kinds = {_upstream_kind(v["id"], node) for v in found for node in v["nodes"]}
    unexpected = sorted(kinds - set(UPSTREAM_LAB))
    fixed = sorted(set(UPSTREAM_LAB) - kinds)
    if unexpected:
        problems.append(f"new serious/critical findings in the notebook: {unexpected}\n" + "\n".join(_findings(found)))
    if fixed:
        problems.append(f"upstream findings no longer seen (remove them from UPSTREAM_LAB): {fixed}")
    assert not problems, "\n".join(problems)
    lab_run.ctx.assert_offline()
