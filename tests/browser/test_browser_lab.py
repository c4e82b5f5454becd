"""Every notebook, run in JupyterLab in a real Chromium: no errors, equations typeset, every
figure drawn, and every control of every live figure redraws the plot and updates its status;
in the slider lesson (and in lesson 02, whose memory fade has toggle buttons), every control has the
accessible name of its Controls table; in the slider lesson axe-core finds nothing serious
in the notebook's content but JupyterLab's own known findings (UPSTREAM_LAB: each with the element
and why it is upstream; the test asserts exactly that set, so a new finding fails it, ours or
upstream, and a fixed one asks for the list to shrink)."""
from __future__ import annotations

import contextlib

import browser_harness as harness
import pytest

SLIDER_NB = harness.slider_notebook()
with_live_figures = pytest.mark.notebooks(lambda path, nb: harness.live_figures(nb) > 0)
with_choices = pytest.mark.notebooks(lambda path, nb: harness.live_figures(nb) > 0 and harness.choice_controls(nb) > 0)
slider_lesson = pytest.mark.notebooks(lambda path, nb: path.name == SLIDER_NB.name)


def test_runs_without_errors_or_tracebacks(lab_run):
    errors = harness.lab_errors(lab_run.page)
    assert not errors, f"{lab_run.path.name} shows {len(errors)} error output(s):\n" + "\n---\n".join(errors)
    assert not lab_run.ctx.pages_errors, f"JavaScript errors: {lab_run.ctx.pages_errors[:3]}"
    lab_run.ctx.assert_offline()


@pytest.mark.notebooks(lambda path, nb: any(harness.markdown_math(nb)))
def test_equations_are_typeset(lab_run):
    expected = harness.markdown_math(lab_run.nb)
    js_counts = """() => jupyterapp.shell.currentWidget.content.widgets
        .filter(c => c.model.type === 'markdown')
        .map(c => [c.node.querySelectorAll('mjx-container').length, c.node.querySelectorAll('mjx-merror').length])"""
    with contextlib.suppress(Exception):          # the per-cell comparison below says which cell misses what
        lab_run.page.wait_for_function(
            f"n => ({js_counts})().reduce((a, c) => a + c[0], 0) >= n", arg=sum(expected), timeout=30000)
    counts = lab_run.page.evaluate(js_counts)
    sources = ["".join(c["source"])[:60] for c in lab_run.nb["cells"] if c["cell_type"] == "markdown"]
    wrong = [f"markdown cell {i} ({src!r}…): {want} expressions, {got} typeset, {err} MathJax errors"
             for i, (want, (got, err), src) in enumerate(zip(expected, counts, sources, strict=False))
             if got != want or err]
    assert not wrong, "\n".join(wrong)


def test_every_figure_is_drawn(lab_run):
    expected = harness.figure_outputs(lab_run.nb)
    js = """() => [
        Array.from(document.querySelectorAll('.jp-OutputArea-output img'))
             .filter(i => i.complete && i.naturalWidth > 0).length,
        document.querySelectorAll('.jp-OutputArea-output .jupyter-matplotlib-figure canvas:first-child').length]"""
    with contextlib.suppress(Exception):          # the count below says what is missing
        lab_run.page.wait_for_function(f"n => ({js})().reduce((a, b) => a + b) >= n", arg=expected,
                                       timeout=30000)
    images, canvases = lab_run.page.evaluate(js)
    assert images + canvases == expected, (
        f"the committed notebook stores {expected} figures; JupyterLab drew {images} images "
        f"and {canvases} live canvases")
    live = harness.live_figures(lab_run.nb)
    if live:
        assert harness.wait_widgets(lab_run.page, live) == live, "live figures not drawn"
        # JupyterLab at 1280x720 with the file browser open: every live figure fits its output
        # area (a canvas has a fixed size in pixels; it would be cut off on the right).
        cut = lab_run.page.evaluate("""n => Array.from({length: n}, (_, k) => {
            const c = __course.canvas(k).getBoundingClientRect();
            const area = __course.root(k).closest('.jp-OutputArea-output').getBoundingClientRect();
            return [k, Math.round(c.right - area.right)]; }).filter(([k, over]) => over > 0)""", live)
        assert not cut, f"live figures wider than their output area (figure, pixels cut off): {cut}"


def _live(lab_run) -> list[harness.LiveFigureDriver]:
    n = harness.live_figures(lab_run.nb)
    found = harness.wait_widgets(lab_run.page, n)
    assert found == n, f"{n} live figures stored, {found} with controls on the page"
    return [harness.LiveFigureDriver(lab_run.page, k) for k in range(n)]


def _changed(before, after, what, problems, need_status):
    if after[0] == before[0]:
        problems.append(f"{what}: the plot's pixels did not change")
    if need_status and after[1] == before[1]:
        problems.append(f"{what}: the status line stayed {before[1]!r}")


@with_live_figures
def test_every_slider_redraws_the_plot_and_the_status(lab_run):
    problems, n_sliders = [], 0
    for fig in _live(lab_run):
        for i in range(fig.sliders().count()):
            slider = fig.sliders().nth(i)
            if "mod-disabled" in (slider.get_attribute("class") or ""):
                continue
            if not slider.is_visible():
                problems.append(f"live figure {fig.k}: slider #{i} is not visible")
                continue
            n_sliders += 1
            name = slider.locator(".widget-label").inner_text().strip() or f"#{i}"
            what = f"live figure {fig.k}, slider {name}"
            before, original = fig.state(), fig.readout(i)
            need_status = bool(before[1])
            key = fig.press_to_edge(i)
            moved = fig.wait_change(before, need_status)
            _changed(before, moved, f"{what} ({key} key on the handle)", problems, need_status)
            if not slider.locator(".widget-readout").is_visible():  # readout=False: the other edge
                other = fig.press_to_edge(i)
                back = fig.wait_change(moved, need_status)
                _changed(moved, back, f"{what} ({other} key on the handle)", problems, need_status)
                continue
            fig.type_readout(i, original)
            back = fig.wait_change(moved, need_status)
            _changed(moved, back, f"{what} (typing {original!r} into the readout)", problems, need_status)
            if fig.readout(i) != original:
                problems.append(f"{what}: readout shows {fig.readout(i)!r} after typing {original!r}")
    assert not problems, "\n".join(problems)
    assert n_sliders > 0, "the live figures here have no enabled, visible slider"
    lab_run.ctx.assert_offline()


@with_choices
def test_every_choice_redraws_the_plot_and_the_status(lab_run):
    """Dropdowns (select another option) and toggle buttons (click another button), then back."""
    problems, n_choices = [], 0
    for fig in _live(lab_run):
        for i in range(fig.dropdowns().count()):
            select = fig.dropdowns().nth(i)
            options = select.locator("option").all_inner_texts()
            if len(options) < 2 or select.is_disabled():
                continue
            n_choices += 1
            original = select.evaluate("s => s.options[s.selectedIndex].text")
            other = next(o for o in options if o != original)
            before = fig.state()
            need_status = bool(before[1])
            select.select_option(label=other)
            moved = fig.wait_change(before, need_status)
            _changed(before, moved, f"live figure {fig.k}, dropdown {original!r} → {other!r}", problems, need_status)
            select.select_option(label=original)
            back = fig.wait_change(moved, need_status)
            _changed(moved, back, f"live figure {fig.k}, dropdown back to {original!r}", problems, need_status)
        for i in range(fig.toggle_buttons().count()):
            buttons = fig.toggle_buttons().nth(i).locator(".widget-toggle-button")
            labels = buttons.all_inner_texts()
            current = [j for j in range(len(labels)) if "mod-active" in (buttons.nth(j).get_attribute("class") or "")]
            if len(labels) < 2 or len(current) != 1:
                problems.append(f"live figure {fig.k}, toggle buttons #{i}: {labels} with {len(current)} selected")
                continue
            n_choices += 1
            original = current[0]
            for j in [k for k in range(len(labels)) if k != original] + [original]:
                before = fig.state()
                need_status = bool(before[1])
                buttons.nth(j).click()
                after = fig.wait_change(before, need_status)
                _changed(before, after, f"live figure {fig.k}, toggle button {labels[j]!r}", problems, need_status)
    assert not problems, "\n".join(problems)
    assert n_choices > 0, "the stored widget state has choice controls, but none is on the page"


@slider_lesson
def test_live_slides_in_jupyterlab_keep_the_slider_working_and_hide_the_asides(lab_run):
    """jupyterlab-slideshow on the slider lesson: start the deck at the top and step through every
    slide; on the live figure's slide move its slider and see the plot change on the slide. No
    check, deeper, exercise-code or solution cell is ever on screen (the lesson format)."""
    page = lab_run.page
    harness.wait_widgets(page, harness.live_figures(lab_run.nb))
    page.evaluate("""() => { const nb = jupyterapp.shell.currentWidget.content;
                             nb.activeCellIndex = 0; nb.deselectAll(); }""")
    page.evaluate("jupyterapp.commands.execute('deck:start')")
    problems, seen, tried_slider = [], set(), False
    try:
        page.wait_for_selector(".jp-deck-mod-onscreen", timeout=15000)
        harness.deck_setting(page, True)  # (and so stop_deck's wait for False below means something)
        on_slide = "() => !!document.querySelector('.jp-deck-mod-onscreen [data-livefig=\"0\"] .widget-slider')"
        onscreen = """() => jupyterapp.shell.currentWidget.content.widgets
            .map((w, i) => w.node.classList.contains('jp-deck-mod-onscreen') ? i : -1).filter(i => i >= 0)"""
        # Step through every slide in order, as the on-screen arrows do: down into the next
        # subslide when there is one, else forward to the next slide.
        step = """() => { const down = document.querySelector('.jp-deck-mod-direction-down');
            const cmd = down && !down.classList.contains('jp-mod-disabled') ? 'deck:down' : 'deck:forward';
            return jupyterapp.commands.execute(cmd).then(() => cmd); }"""
        for _ in range(len(lab_run.nb["cells"]) * 2):        # more steps than the deck has: to its end
            now = tuple(page.evaluate(onscreen))
            seen.update(now)
            if not tried_slider and page.evaluate(on_slide):
                tried_slider = True
                page.wait_for_timeout(300)   # let the deck settle its layout
                box = page.evaluate("""() => { const r = document.querySelector(
                    '.jp-deck-mod-onscreen [data-livefig="0"]').getBoundingClientRect();
                    return [r.top, r.bottom, r.left, r.right, innerWidth, innerHeight]; }""")
                top, bottom, left, right, width, height = box
                if not (top >= 0 and bottom <= height and left >= 0 and right <= width):
                    problems.append(f"the live figure does not fit the {width}x{height} window on its slide: {box[:4]}")
                problems += harness.move_first_slider(page)
                if not page.evaluate(on_slide):
                    problems.append("the key pressed on the slider also moved the deck off the slide")
            page.evaluate(step)
            page.wait_for_timeout(100)
    finally:
        # The deck remembers "active" in the user settings: leave it off, or every notebook
        # opened after this one would open as a deck.
        harness.stop_deck(page)
    assert tried_slider, "stepping through the deck never showed the live figure"
    cells = lab_run.nb["cells"]
    for i in sorted(seen):
        tags = set(cells[i].get("metadata", {}).get("tags", []))
        aside = tags & {"check", "deeper", "solution"} or (
            "exercise" in tags and cells[i]["cell_type"] == "code" and "show-code" not in tags)
        if aside:
            problems.append(f"cell {i} ({sorted(tags)}) is on a slide: {''.join(cells[i]['source'])[:60]!r}")
    shown = {i for i, c in enumerate(cells)
             if c.get("metadata", {}).get("slideshow", {}).get("slide_type") not in ("skip", "notes")}
    assert seen >= shown, f"stepping through the deck never showed cells {sorted(shown - seen)[:10]}"
    assert not problems, "\n".join(problems)
    lab_run.ctx.assert_offline()


@pytest.mark.notebooks(lambda path, nb: any("deeper" in c.get("metadata", {}).get("tags", []) for c in nb["cells"]))
def test_going_deeper_sections_open_collapsed(lab_run):
    """A student who opens the lesson sees each "Going deeper (optional)" heading, and none of the
    digression under it until they expand the heading (jp-MarkdownHeadingCollapsed)."""
    cells = lab_run.nb["cells"]
    deeper = [i for i, c in enumerate(cells) if "deeper" in c.get("metadata", {}).get("tags", [])]
    headings = [i for i in deeper if "".join(cells[i]["source"]).lstrip("#").strip().startswith("Going deeper")]
    hidden = lab_run.page.evaluate("() => jupyterapp.shell.currentWidget.content.widgets.map(w => w.isHidden)")
    assert len(hidden) == len(cells)
    shown = [i for i in deeper if i not in headings and not hidden[i]]
    assert not shown, f"deeper cells shown when the lesson opens: {shown}"
    assert not any(hidden[i] for i in headings), "a 'Going deeper' heading itself is hidden"
    core = [i for i, c in enumerate(cells) if not ({"deeper", "solution"} & set(c.get("metadata", {}).get("tags", [])))]
    assert not any(hidden[i] for i in core), f"core cells hidden: {[i for i in core if hidden[i]][:10]}"


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


@slider_lesson
def test_a_lesson_run_in_jupyterlab_names_every_control_and_has_only_known_upstream_findings(lab_run):
    page = lab_run.page
    expected = harness.expected_names(lab_run.nb)
    assert harness.wait_widgets(page, len(expected)) == len(expected)
    problems = harness.access_problems(page, expected)
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
        problems.append(f"new serious/critical findings in the notebook: {unexpected}\n"
                        + "\n".join(harness.axe_findings(found)))
    if fixed:
        problems.append(f"upstream findings no longer seen (remove them from UPSTREAM_LAB): {fixed}")
    assert not problems, "\n".join(problems)
    lab_run.ctx.assert_offline()


TOGGLE_NB = "02_rnn_forward.ipynb"


@pytest.mark.notebooks(lambda path, nb: path.name == TOGGLE_NB)
def test_live_figures_with_a_toggle_name_every_control_as_expected_and_say_what_is_pressed(lab_run):
    """Lesson 02: the hidden-state player's time slider and the memory fade's λ₁ slider and φ toggle
    buttons carry the names of their Controls tables, in page order, and a pressed button says so."""
    page = lab_run.page
    expected = harness.expected_names(lab_run.nb)
    assert any(len(names) > 1 for names in expected), f"{TOGGLE_NB}: no live figure with two controls"
    assert harness.wait_widgets(page, len(expected)) == len(expected)
    assert harness.LiveFigureDriver(page, len(expected) - 1).toggle_buttons().count() == 1, "no toggle buttons"
    problems = harness.access_problems(page, expected)
    assert not problems, "\n".join(problems)
    lab_run.ctx.assert_offline()
