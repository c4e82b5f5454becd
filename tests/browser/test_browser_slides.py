"""Presenting, in a real Chromium: Voila's reveal slides with code hidden (`make present`) and the
static decks opened from the file system (`make slides`). All offline: a request off 127.0.0.1 /
file:// fails the test. (Live slides inside JupyterLab are tested in test_browser_lab.py, on the notebook
that test has already run.)"""
from __future__ import annotations

import sys

import browser_harness as harness
import pytest

sys.path.insert(0, str(harness.PRESENTING))
import deck_pages  # noqa: E402  (presenting/deck_pages.py: drive a deck, measure a slide)

SLIDER_NB = harness.slider_notebook()

# Reveal as the static decks load it (through require.js), for its API.
REVEAL = """() => new Promise(done => require(['assets/reveal.js/dist/reveal.js'], R => done({
    ready: R.isReady(), total: R.getTotalSlides()})))"""

# Where the first live figure sits in a reveal deck: [horizontal, vertical] slide indices.
FIGURE_SLIDE = """() => { const fig = document.querySelector('[data-livefig="0"]');
  const slides = Array.from(document.querySelectorAll('.reveal .slides > section'));
  for (let h = 0; h < slides.length; h++) {
    const subs = Array.from(slides[h].querySelectorAll(':scope > section'));
    for (let v = 0; v < subs.length; v++) if (subs[v].contains(fig)) return [h, v];
    if (slides[h].contains(fig)) return [h, 0];
  }
  return null; }"""


# The text of every slide (not of the speaker notes), whether or not reveal shows that slide now,
# and the text of its headings.
SLIDES_TEXT = """() => { const c = document.querySelector('.reveal .slides').cloneNode(true);
    c.querySelectorAll('aside.notes, script, style').forEach(e => e.remove());
    return [c.textContent, Array.from(c.querySelectorAll('h1, h2, h3, h4, h5, h6')).map(h => h.textContent)]; }"""


def _asides_on_slides(page, nb: dict) -> list[str]:
    """What the lesson format keeps off every deck but the page's slides show: a check's printed
    line, a deeper heading, an exercise's verdict or hint."""
    text, headings = page.evaluate(SLIDES_TEXT)
    found = [p for p in ("✗ Exercise", "✓ Exercise", "Hint:") if p in text]
    for cell in nb["cells"]:
        if "deeper" in cell.get("metadata", {}).get("tags", []) and cell["cell_type"] == "markdown":
            heading = "".join(cell["source"]).split("\n")[0].lstrip("#").strip()
            if heading.startswith("Going deeper") and any(heading in h for h in headings):
                found.append(f"the deeper section {heading!r}")
        if "check" in cell.get("metadata", {}).get("tags", []) and cell["cell_type"] == "code":
            line = "".join("".join(o.get("text", "")) for o in cell.get("outputs", [])).strip()
            if line and line[:60] in text:
                found.append(f"the check line {line[:60]!r}")
    return found


VOILA_SLIDES = """() => Array.from(document.querySelectorAll('.reveal .slides > section')).flatMap((s, h) => {
    const subs = s.querySelectorAll(':scope > section');
    return subs.length ? Array.from(subs, (_, v) => [h, v]) : [[h, 0]]; })"""
# The current slide's lowest content (its padding left out), in slide pixels (reveal's 1280x720
# layout), and its heading.
VOILA_BOTTOM = """() => { const s = document.querySelector('.reveal .slides section.present:not(.stack)');
    const bottom = s.offsetTop + s.scrollHeight - parseFloat(getComputedStyle(s).paddingBottom);
    return [bottom, ((s.querySelector('h1, h2, h3') || {}).textContent || '').slice(0, 40)]; }"""


def _voila_overflows(page) -> list[str]:
    """Slides of a Voila deck whose content runs into the bottom band of the 1280x720 slide (the
    slide number's 24 px) or past it; the deck is visited slide by slide."""
    out = []
    for h, v in page.evaluate(VOILA_SLIDES):
        page.evaluate(f"location.hash = '#/{h}/{v}'")
        page.wait_for_function("([h, v]) => { const s = document.querySelector("
                               "'.reveal .slides section.present:not(.stack)'); return !!s; }", arg=[h, v])
        page.wait_for_timeout(150)
        bottom, title = page.evaluate(VOILA_BOTTOM)
        if bottom > 720 - 24:
            out.append(f"slide {h}/{v} ({title!r}) reaches y = {bottom} of 720")
    return out


def test_voila_reveal_slides_keep_the_slider_working(slide_assets, context, course, tmp_path):
    """`make present`: Voila's reveal template with the course's offline assets, code hidden."""
    server, page = harness.open_voila_deck(context, course / "notebooks" / SLIDER_NB.name, tmp_path)
    try:
        nb = harness.read_notebook(SLIDER_NB)
        harness.wait_widgets(page, 1, timeout_ms=120000)
        code = page.locator(".jp-CodeCell .jp-InputArea, .jp-InputArea .highlight")
        assert code.count() == 0, "code is shown; Voila should hide it"
        assert not _asides_on_slides(page, nb), "Voila's deck shows what the lesson format keeps off the slides"
        overflows = _voila_overflows(page)
        assert not overflows, "Voila's slides run past the slide or under its number:\n" + "\n".join(overflows)
        h, v = page.evaluate(FIGURE_SLIDE)
        page.evaluate(f"location.hash = '#/{h}/{v}'")
        page.wait_for_function("() => !!document.querySelector('section.present [data-livefig=\"0\"]')",
                               timeout=10000)
        problems = harness.move_first_slider(page)
        assert not problems, "\n".join(problems)
        assert page.evaluate("() => !!document.querySelector('section.present [data-livefig=\"0\"]')"), \
            "the key pressed on the slider also moved the deck off the slide"
        # The slide with the controls and the figure fits the 1280x720 stage that the course's
        # template gives reveal (layout pixels: reveal's scaling to the window does not count).
        tall = page.evaluate("""() => Math.ceil(
            document.querySelector('.reveal .slides section.present:not(.stack)').scrollHeight)""")
        assert tall <= 720, f"the live figure's slide is {tall} px tall; the stage is 720 px"
        if any(harness.markdown_math(nb, shown_in_slides=True)):
            assert page.locator("mjx-container").count() > 0, "no equation typeset on the Voila slides"
        assert page.locator("mjx-merror").count() == 0, "MathJax reported errors"
        context.assert_offline()
    finally:
        server.stop()


SHOW_CODE = [p for p in harness.NOTEBOOKS if any(
    "show-code" in c.get("metadata", {}).get("tags", []) for c in harness.read_notebook(p)["cells"])]


@pytest.mark.parametrize("path", SHOW_CODE, ids=harness.nb_id)
def test_voila_deck_shows_only_the_code_tagged_show_code(path, slide_assets, context, course, tmp_path):
    """The Voila deck hides code, except the code of cells whose slide is about code ('find the
    bugs'), and keeps checks, digressions and exercise checks off the slides."""
    nb = harness.read_notebook(path)
    server, page = harness.open_voila_deck(context, course / "notebooks" / path.name, tmp_path)
    try:
        page.wait_for_function("() => !document.querySelector('#loading')"
                               " || getComputedStyle(document.querySelector('#loading')).display === 'none'",
                               timeout=120000)
        shown = page.evaluate("""() => Array.from(
            document.querySelectorAll('.reveal .slides .jp-CodeCell .jp-InputArea'))
            .filter(e => !e.closest('aside.notes')).map(e => e.textContent)""")
        wanted = ["".join(c["source"]) for c in nb["cells"]
                  if "show-code" in c.get("metadata", {}).get("tags", [])]
        assert len(shown) == len(wanted), (f"the deck shows the code of {len(shown)} cells; "
                                           f"{len(wanted)} are tagged show-code")
        for text, source in zip(shown, wanted, strict=True):   # the same code, whatever the highlighting's spacing
            assert "".join(source.split()) == "".join(text.split()), (
                f"expected the code {source[:80]!r}, the slide shows {text[:80]!r}")
        assert not _asides_on_slides(page, nb), "Voila's deck shows what the lesson format keeps off the slides"
        context.assert_offline()
    finally:
        server.stop()


def _open_deck(context, decks, path):
    page = context.new_page()
    page.goto((decks / f"{path.stem}.slides.html").as_uri())
    page.wait_for_selector(".reveal.ready", timeout=30000)
    page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue"
                           " && MathJax.Hub.queue.pending === 0 && MathJax.Hub.queue.running === 0",
                           timeout=60000)
    return page


@pytest.mark.parametrize("path", harness.NOTEBOOKS, ids=harness.nb_id)
def test_static_deck_opens_offline_with_equations_figures_and_every_slide(path, decks, context):
    nb = harness.read_notebook(path)
    page = _open_deck(context, decks, path)
    reveal = page.evaluate(REVEAL)
    assert reveal["ready"], "reveal.js did not initialise"
    assert reveal["total"] == harness.expected_slides(nb), (
        f"the deck has {reveal['total']} slides; the slideshow metadata asks for {harness.expected_slides(nb)}")
    maths = sum(harness.markdown_math(nb, shown_in_slides=True))
    # (only inside the slides: reveal's screen-reader status line repeats the current slide)
    found = page.evaluate("() => document.querySelectorAll('.reveal .slides script[type^=\"math/tex\"]').length")
    typeset = page.evaluate("() => MathJax.Hub.getAllJax(document.querySelector('.reveal .slides')).length")
    errors = page.locator(".reveal .slides .MathJax_Error, .reveal .slides merror").count()
    assert (found, typeset, errors) == (maths, maths, 0), (
        f"{maths} TeX expressions on the slides; MathJax found {found}, typeset {typeset}, "
        f"{errors} errors")
    figures = harness.figure_outputs(nb, shown_in_slides=True)
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('.jp-OutputArea-output img'))
        .filter(i => i.complete && i.naturalWidth > 0 && !i.closest('.course-frame[hidden]')).length""")
    assert shown == figures, f"{figures} figures on the slides in the notebook, {shown} drawn in the deck"
    # MathJax's menu offers nothing that would fetch its speech rules from a CDN, nor are they copied
    assert page.evaluate("() => (MathJax.Extension['accessibility-menu'] || {modules: []}).modules.length") == 0
    assert not list(decks.glob("assets/**/a11y"))
    context.assert_offline()


def _slide_name(seen: dict) -> str:
    return f"slide {seen['h']}/{seen['v']} ({seen['title'][:40] or seen['text'].strip()[:40]!r})"


def _layout_problems(seen: dict) -> list[str]:
    """Content past the 1280x720 slide, or under the slide number or the controls."""
    out = []
    W, H = seen["width"], seen["height"]
    past = [p for p in seen["parts"]
            if p["x"] < -1 or p["y"] < -1 or p["x"] + p["w"] > W + 1 or p["y"] + p["h"] > H + 1]
    if past:
        p = max(past, key=lambda p: max(p["y"] + p["h"] - H, p["x"] + p["w"] - W, -p["x"], -p["y"]))
        out.append(f"{_slide_name(seen)}: {len(past)} parts run past the {W}x{H} slide, e.g. {p['kind']} "
                   f"{p['text']!r} at x = {p['x']:.0f}..{p['x'] + p['w']:.0f}, y = {p['y']:.0f}..{p['y'] + p['h']:.0f}")
    for name in ("number", "controls"):
        corner = seen[name]
        under = [p for p in seen["parts"] if corner and deck_pages.overlap(p, corner)]
        if under:
            out.append(f"{_slide_name(seen)}: {under[0]['kind']} {under[0]['text']!r} lies under the slide {name}")
    return out


def _room_problems(seen: dict) -> tuple[list[str], bool]:
    """What a room must not see on one slide (a verdict, a hint, a lone or word-breaking printout, a
    small or blurred figure), and whether the slide carries a printout."""
    name, out = _slide_name(seen), []
    for pattern in ("✗ Exercise", "✓ Exercise", "Hint:", "not yet."):
        if pattern in seen["text"]:
            out.append(f"{name}: shows an exercise's verdict or hint ({pattern!r})")
    if seen["printouts"]:
        if not seen["other"] and not any(p["tagged"] for p in seen["printouts"]):
            out.append(f"{name}: a printout alone on the slide ({seen['printouts'][0]['text']!r}); "
                       "tag the cell 'printout' if the numbers are the point")
        for p in seen["printouts"]:
            if p["wordBreak"] == "break-all":
                out.append(f"{name}: the printout breaks words anywhere (word-break: break-all)")
    for fig in seen["figures"]:
        where = f"{name}: figure {fig['alt'][:50]!r}"
        if fig["width"] < 900 and fig["height"] < 560:
            out.append(f"{where} is shown {fig['width']}x{fig['height']} px (at least 900 wide or 560 tall)")
        if fig["natural"] < 2 * fig["width"]:
            out.append(f"{where}: {fig['natural']} px of picture shown {fig['width']} px wide (2x needed)")
        for kind, least in (("tick", 14), ("legend", 12)):
            px = deck_pages.shown_px(fig, kind)
            if px is not None and px < least - 0.05:
                out.append(f"{where}: {kind} labels {px:.1f} px on the slide (at least {least})")
    return out, bool(seen["printouts"])


@pytest.mark.parametrize("path", harness.NOTEBOOKS, ids=harness.nb_id)
def test_static_deck_fits_the_slide_and_is_made_for_a_room(path, decks, context):
    """Every slide, with all its fragments shown and its equations typeset, lies inside the
    1280x720 slide, and nothing lies under the slide number or the controls (a projector shows
    nothing beyond the slide). MathJax re-typesets a slide each time it is shown, and reveal used to
    place it for the height it had while the equations were out, so each slide is checked going
    forward through the deck and again going backward.

    Going forward, each slide is also checked for what the room sees: no exercise verdict, hint or
    solution; at most one slide in five with a printout, never a printout alone unless it is the
    point (tagged 'printout'), no word broken in two; every figure at least 900 px wide or 560 px
    tall, drawn from a picture with 2x the pixels, its tick labels at least 14 px and its legends at
    least 12 px as shown; the code of every 'show-code' cell, and no other code."""
    nb = harness.read_notebook(path)
    page = context.new_page()
    slides = deck_pages.open_deck(page, (decks / f"{path.stem}.slides.html").as_uri())
    problems, printed = [], []
    for forward, order in ((True, slides), (False, slides[::-1])):
        for h, v in order:
            deck_pages.show(page, h, v)
            seen = deck_pages.measure(page)
            problems += _layout_problems(seen)
            if forward:
                room, printout = _room_problems(seen)
                problems += room
                printed += [_slide_name(seen)] if printout else []
    problems += [f"the deck shows {a}" for a in _asides_on_slides(page, nb)]
    if 5 * len(printed) > len(slides):
        problems.append(f"{len(printed)} of {len(slides)} slides carry a printout (at most one in five): {printed}")
    shown_code = page.evaluate("() => Array.from("
                               "document.querySelectorAll('.reveal .slides .jp-CodeCell .jp-InputArea'))"
                               ".filter(e => !e.closest('aside.notes')).map(e => e.textContent)")
    want_code = ["".join(c["source"]) for c in nb["cells"]
                 if "show-code" in c.get("metadata", {}).get("tags", [])]
    if ["".join(t.split()) for t in shown_code] != ["".join(t.split()) for t in want_code]:
        problems.append(f"the deck shows the code of {len(shown_code)} cells; {len(want_code)} are tagged "
                        "'show-code' (the code shown must be theirs, in order)")
    assert not problems, "\n".join(dict.fromkeys(problems))


LIVE = [p for p in harness.NOTEBOOKS if harness.live_figures(harness.read_notebook(p))]


@pytest.mark.parametrize("path", LIVE, ids=harness.nb_id)
def test_static_deck_scrubbers_move_through_precomputed_settings(path, decks, context):
    """In a static deck a live figure with a slider is a scrubber: moving its range control
    (keyboard) shows another precomputed plot and status, the slide stays put, and nothing jumps:
    every frame's picture has the same size and the figure stays where it was."""
    nb = harness.read_notebook(path)
    page = _open_deck(context, decks, path)
    scrubbers = page.locator(".course-scrubber")
    assert 1 <= scrubbers.count() <= harness.live_figures(nb), (
        f"{scrubbers.count()} scrubbers for {harness.live_figures(nb)} live figures")
    frame = """k => { const s = document.querySelectorAll('.course-scrubber')[k];
        const f = s.querySelector('.course-frame:not([hidden])');
        const status = s.querySelector('.course-frame-status:not([hidden])');
        const img = f.querySelector('img'), src = img.src; let h = 0;
        for (let i = 0; i < src.length; i++) h = (Math.imul(h, 31) + src.charCodeAt(i)) | 0;
        return [s.querySelectorAll('.course-frame').length, h, status.innerText.trim(),
                s.querySelector('output').textContent, img.getBoundingClientRect().top,
                status.getBoundingClientRect().height]; }"""
    sizes = """k => { const s = document.querySelectorAll('.course-scrubber')[k];
        return Array.from(s.querySelectorAll('.course-frame img')).map(i => [i.naturalWidth, i.naturalHeight]); }"""
    problems = []
    for k in range(scrubbers.count()):
        scrub = scrubbers.nth(k).locator("input[type=range]")
        hv = page.evaluate("""el => new Promise(done => require(['assets/reveal.js/dist/reveal.js'], R => {
            const s = el.closest('.slides > section > section') || el.closest('.slides > section');
            const i = R.getIndices(s); R.slide(i.h, i.v, 1e6); done(R.getIndices()); }))""", scrub.element_handle())
        n, img0, status0, value0, top0, tall0 = page.evaluate(frame, k)
        if n < 2:
            problems.append(f"scrubber {k}: only {n} frame(s)")
            continue
        if len(set(map(tuple, page.evaluate(sizes, k)))) != 1:
            problems.append(f"scrubber {k}: the frames' pictures differ in size, so the figure jumps: "
                            f"{sorted(set(map(tuple, page.evaluate(sizes, k))))}")
        scrub.focus()
        page.keyboard.press("End" if scrub.get_attribute("value") != str(n - 1) else "Home")
        _, img1, status1, value1, top1, tall1 = page.evaluate(frame, k)
        if img1 == img0 or value1 == value0:
            problems.append(f"scrubber {k}: the plot did not change ({value0} → {value1})")
        if status0 and status1 == status0:
            problems.append(f"scrubber {k}: the status stayed {status0!r}")
        if abs(top1 - top0) > 0.5:
            problems.append(f"scrubber {k}: the figure moved by {top1 - top0:.0f} px between frames "
                            f"(status {tall0:.0f} → {tall1:.0f} px tall)")
        still = page.evaluate("() => new Promise(done => "
                              "require(['assets/reveal.js/dist/reveal.js'], R => done(R.getIndices())))")
        if (still["h"], still["v"]) != (hv["h"], hv["v"]):
            problems.append(f"scrubber {k}: the key moved the deck to another slide")
    assert not problems, "\n".join(problems)
    context.assert_offline()
