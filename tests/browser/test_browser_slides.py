"""Presenting, in a real Chromium: Voila's reveal slides with code hidden (`make present`) and the
static decks opened from the file system (`make slides`). All offline: a request off 127.0.0.1 /
file:// fails the test. (Live slides inside JupyterLab are tested in test_browser_lab.py, on the notebook
that test has already run.)"""
from __future__ import annotations

import pytest

import browser_harness as harness

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


def test_voila_reveal_slides_keep_the_slider_working(slide_assets, context, course, tmp_path):
    """`make present`: Voila's reveal template with the course's offline assets, code hidden."""
    server = harness.start_voila(course / "notebooks" / SLIDER_NB.name, tmp_path)
    try:
        page = context.new_page()
        page.goto(server.url("/"))
        page.wait_for_selector(".reveal.ready", timeout=120000)
        nb = harness.read_notebook(SLIDER_NB)
        harness.wait_widgets(page, 1, timeout_ms=120000)
        assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputArea .highlight").count() == 0, "code is shown; Voila should hide it"
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
    context.assert_offline()


# Count MathJax's re-renders: the exporter's deck re-typesets the current slide on every slide
# change (outside MathJax's queue), and the slide's size is final only once that has ended.
COUNT_RERENDERS = """() => new Promise(done => require(['assets/reveal.js/dist/reveal.js'], R => {
    window.__R = R;
    window.__rerenders = 0;
    MathJax.Hub.Register.MessageHook('End Rerender', () => { window.__rerenders += 1; });
    done(R.getSlides().map(s => { const i = R.getIndices(s); return [i.h, i.v]; })); }))"""

PLACE = """() => { const s = __R.getCurrentSlide();
    const stage = document.querySelector('.reveal').getBoundingClientRect(), r = s.getBoundingClientRect();
    return [Math.round(stage.height), Math.round(r.top - stage.top), Math.round(r.bottom - stage.top),
            s.scrollHeight, (s.innerText || '').trim().slice(0, 50)]; }"""


@pytest.mark.parametrize("path", harness.NOTEBOOKS, ids=harness.nb_id)
def test_static_deck_slides_fit_1280x720(path, decks, context):
    """Every slide lies inside the 1280x720 stage where reveal places it, once MathJax has typeset
    it (a projector shows nothing beyond the stage). Its height alone is not enough: MathJax
    re-typesets a slide each time it is shown, and reveal centres it for the height it has while
    the equations are out (seen when coming back to a slide, with its fragments shown); so each
    slide is checked going forward through the deck and again going backward."""
    page = _open_deck(context, decks, path)
    slides = page.evaluate(COUNT_RERENDERS)
    off = []
    for visit, order in (("forward", slides), ("backward", slides[::-1])):
        for h, v in order:
            if page.evaluate("([h, v]) => { const i = __R.getIndices(); return i.h === h && i.v === v; }", [h, v]):
                continue                                     # already shown: nothing re-typesets
            before = page.evaluate("() => __rerenders")
            page.evaluate("([h, v]) => __R.slide(h, v)", [h, v])
            page.wait_for_function("n => __rerenders > n", arg=before, timeout=10000)
            height, top, bottom, px, text = page.evaluate(PLACE)
            if top < 0 or bottom > height + 1:
                off.append(f"going {visit}, slide {h}/{v} ({text!r}…): {px} px tall, drawn from "
                           f"y = {top} to {bottom} of {height}")
    assert not off, "slides run off the 1280x720 stage:\n" + "\n".join(off)


def test_static_deck_scrubbers_move_through_precomputed_settings(decks, context):
    """On the slider lesson's deck every live figure is a scrubber: moving its range control
    (keyboard) shows another precomputed plot and status, and the slide stays put."""
    nb = harness.read_notebook(SLIDER_NB)
    page = _open_deck(context, decks, SLIDER_NB)
    scrubbers = page.locator(".course-scrubber")
    assert scrubbers.count() == harness.live_figures(nb), "one scrubber per live figure expected"
    frame = """k => { const s = document.querySelectorAll('.course-scrubber')[k];
        const f = s.querySelector('.course-frame:not([hidden])');
        const src = f.querySelector('img').src; let h = 0;
        for (let i = 0; i < src.length; i++) h = (Math.imul(h, 31) + src.charCodeAt(i)) | 0;
        return [s.querySelectorAll('.course-frame').length, h, f.innerText.trim(),
                s.querySelector('output').textContent]; }"""
    problems = []
    for k in range(scrubbers.count()):
        scrub = scrubbers.nth(k).locator("input[type=range]")
        hv = page.evaluate("""el => new Promise(done => require(['assets/reveal.js/dist/reveal.js'], R => {
            const s = el.closest('.slides > section > section') || el.closest('.slides > section');
            const i = R.getIndices(s); R.slide(i.h, i.v, 1e6); done(R.getIndices()); }))""", scrub.element_handle())
        n, img0, status0, value0 = page.evaluate(frame, k)
        if n < 2:
            problems.append(f"scrubber {k}: only {n} frame(s)")
            continue
        scrub.focus()
        page.keyboard.press("End" if scrub.get_attribute("value") != str(n - 1) else "Home")
        _, img1, status1, value1 = page.evaluate(frame, k)
        if img1 == img0 or value1 == value0:
            problems.append(f"scrubber {k}: the plot did not change ({value0} → {value1})")
        if status0 and status1 == status0:
            problems.append(f"scrubber {k}: the status stayed {status0!r}")
        still = page.evaluate("() => new Promise(done => require(['assets/reveal.js/dist/reveal.js'], R => done(R.getIndices())))")
        if (still["h"], still["v"]) != (hv["h"], hv["v"]):
            problems.append(f"scrubber {k}: the key moved the deck to another slide")
    assert not problems, "\n".join(problems)
    context.assert_offline()
