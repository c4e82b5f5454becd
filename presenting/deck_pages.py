"""Drive a static deck (build/slides/*.slides.html) in a Playwright page: go to every slide with
all its fragments shown, and measure what a room would see there. Shared by
scripts/preview_slides.py (`make slides-preview`) and the deck tests in tests/browser/.

All sizes are CSS pixels of the 1280x720 slide (reveal's layout size), whatever the window.
"""
from __future__ import annotations

# Reveal as the static decks load it (through require.js), kept as window.__R, with a counter of
# MathJax's re-renders: the deck re-typesets the current slide on every slide change, and a
# slide's size is final only once that has ended.
SETUP = """() => new Promise(done => require(['assets/reveal.js/dist/reveal.js'], R => {
    window.__R = R;
    window.__rerenders = 0;
    MathJax.Hub.Register.MessageHook('End Rerender', () => { window.__rerenders += 1; });
    done(R.getSlides().map(s => { const i = R.getIndices(s); return [i.h, i.v]; })); }))"""

MATHJAX_IDLE = ("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue"
                " && MathJax.Hub.queue.pending === 0 && MathJax.Hub.queue.running === 0")

# What the current slide shows, all fragments visible, in slide pixels.
MEASURE = r"""() => {
  const R = __R, slide = R.getCurrentSlide(), stage = document.querySelector('.reveal .slides');
  const scale = R.getScale(), sr = stage.getBoundingClientRect();
  const box = r => ({x: (r.left - sr.left) / scale, y: (r.top - sr.top) / scale,
                     w: r.width / scale, h: r.height / scale});
  const shown = e => { if (e.closest('aside.notes, [hidden]')) return false;
    const cs = getComputedStyle(e); return cs.display !== 'none' && cs.visibility !== 'hidden'; };
  // every leaf that draws something: text runs, images, typeset maths, form controls
  const parts = [];
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || !n.parentElement || !shown(n.parentElement)) continue;
    if (n.parentElement.closest('script, style, .MJX_Assistive_MathML, .MathJax_Preview')) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0)
      parts.push({kind: 'text', text: n.textContent.trim().slice(0, 40), ...box(r)});
  }
  slide.querySelectorAll('img, input, .MathJax, .MathJax_Display').forEach(e => {
    if (!shown(e)) return; const r = e.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) parts.push({kind: e.tagName.toLowerCase(), text: '', ...box(r)});
  });
  const corner = sel => { const e = document.querySelector(sel);
    if (!e || getComputedStyle(e).display === 'none' || getComputedStyle(e).visibility === 'hidden') return null;
    const r = e.getBoundingClientRect(); return r.width > 0 ? box(r) : null; };
  const outputs = Array.from(slide.querySelectorAll('.jp-OutputArea-output pre')).filter(shown)
    .filter(p => !p.closest('.course-scrubber'));
  const cellOf = e => e.closest('.jp-Cell');
  const printouts = outputs.map(p => ({tagged: !!(cellOf(p) && cellOf(p).classList.contains('celltag_printout')),
                                       wordBreak: getComputedStyle(p).wordBreak, text: p.innerText.slice(0, 80)}));
  const printCells = new Set(outputs.map(cellOf));
  // anything else on the slide: prose, equations, figures, controls (headings do not count)
  const other = Array.from(slide.querySelectorAll('.jp-Cell')).filter(shown).filter(c => !printCells.has(c))
    .some(c => c.querySelector('img, input') ||
               Array.from(c.querySelectorAll('p, li, td, .MathJax_Display, .MathJax, pre')).some(shown));
  const figures = Array.from(slide.querySelectorAll('img.course-figure')).filter(shown).map(i => ({
    width: i.offsetWidth, height: i.offsetHeight, natural: i.naturalWidth, dpi: +i.dataset.dpi,
    fonts: {tick: +i.dataset.fontTick || null, legend: +i.dataset.fontLegend || null,
            text: +i.dataset.fontText || null},
    alt: i.alt}));
  const clone = slide.cloneNode(true); clone.querySelectorAll('aside.notes, [hidden]').forEach(e => e.remove());
  const title = (slide.querySelector('h1, h2, h3, h4') || {}).innerText || '';
  return {h: R.getIndices().h, v: R.getIndices().v, title,
          text: clone.innerText, parts, figures, printouts, other,
          number: corner('.reveal .slide-number'), controls: corner('.reveal .controls'),
          width: R.getConfig().width, height: R.getConfig().height};
}"""


def open_deck(page, url: str, timeout_ms: int = 60000) -> list[tuple[int, int]]:
    """Load a deck, wait for reveal and MathJax; return the [h, v] indices of every slide."""
    page.goto(url)
    page.wait_for_selector(".reveal.ready", timeout=timeout_ms)
    page.wait_for_function(MATHJAX_IDLE, timeout=timeout_ms)
    return [tuple(s) for s in page.evaluate(SETUP)]


def show(page, h: int, v: int) -> None:
    """Go to slide (h, v) with every fragment shown, and wait until MathJax has re-typeset it."""
    current = page.evaluate("() => { const i = __R.getIndices(); return [i.h, i.v]; }")
    before = page.evaluate("() => __rerenders")
    page.evaluate("([h, v]) => __R.slide(h, v, 1e6)", [h, v])
    if tuple(current) != (h, v):
        page.wait_for_function("n => __rerenders > n", arg=before, timeout=10000)
    page.evaluate("() => __R.getCurrentSlide().querySelectorAll('.fragment').forEach("
                  "f => f.classList.add('visible'))")
    page.wait_for_function(MATHJAX_IDLE, timeout=10000)
    page.evaluate("() => __R.layout()")


def measure(page) -> dict:
    """What the current slide shows (see MEASURE): its parts' boxes, printouts, figures, the boxes
    of the slide number and controls, its text without speaker notes."""
    return page.evaluate(MEASURE)


def overlap(a: dict, b: dict) -> bool:
    """Whether two boxes {x, y, w, h} overlap by more than a pixel."""
    return (min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 1 and
            min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 1)


def shown_px(figure: dict, kind: str) -> float | None:
    """The smallest font of a kind (tick, legend, text) in slide pixels, as the figure is shown:
    points × (pixels per inch of the picture / 72) × (shown width / the picture's width)."""
    pt = figure["fonts"].get(kind)
    if not pt or not figure["natural"]:
        return None
    return pt * figure["dpi"] / 72 * figure["width"] / figure["natural"]
