"""Accessibility, in a real Chromium: axe-core (presenting/node_modules, injected by the harness) on
every static deck and on the Voila deck of the slider lesson (the lesson run in JupyterLab is
checked in test_browser_lab.py, on the run that module already makes); and, where the widgets
live, that every control has its accessible name, every status line is a live region and every
canvas an image labelled with the alt text of the state it shows (helpers.livefig.Access).

Zero serious or critical WCAG 2 A/AA violations in the course's own content.
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

@pytest.mark.parametrize("path", harness.NOTEBOOKS, ids=harness.nb_id)
def test_static_deck_has_no_serious_violations_on_any_slide(path, decks, context):
    page = context.new_page()
    page.goto((decks / f"{path.stem}.slides.html").as_uri())
    page.wait_for_function("() => document.querySelector('.reveal.ready') !== null", timeout=30000)
    assert page.evaluate(ALL_SLIDES) > 0
    found = harness.axe_violations(page)
    assert not found, "\n".join(harness.axe_findings(found))
    # every picture says what it shows (build_slides refuses a figure without alt text)
    assert page.evaluate("() => Array.from(document.querySelectorAll('img')).every(i => (i.alt || '').length > 20)")
    context.assert_offline()


def test_voila_deck_names_every_control_and_has_no_serious_violations(slide_assets, context, course, tmp_path):
    server, page = harness.open_voila_deck(context, course / "notebooks" / SLIDER_NB.name, tmp_path)
    try:
        page.evaluate(ALL_SLIDES)
        expected = harness.expected_names(harness.read_notebook(SLIDER_NB))
        assert harness.wait_widgets(page, len(expected)) == len(expected)
        problems = harness.access_problems(page, expected)
        found = harness.axe_violations(page)
        problems += harness.axe_findings(found)
    finally:
        server.stop()
    assert not problems, "\n".join(problems)
    context.assert_offline()
