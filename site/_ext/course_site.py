"""The course website's own Sphinx extension (loaded by site/_config.yml for `make site`).

- A "Going deeper (optional): …" section (CONTRIBUTING.md: an optional digression; its heading and
  every cell up to the next heading of the same or a higher level) keeps its heading in view and
  has its body collapsed behind a "Show this optional section" toggle, as JupyterLab shows it. Its
  display equations carry no number (``\notag``), so that the core path's read (1), (2), … unbroken.
- "lesson NN" in the prose links to that lesson's page, and so does each number of "lessons NN–MM",
  "lessons NN, MM and KK" (not in headings, links, code or maths, and not on the lesson's own page).
- MathJax's accessibility menu offers no item that would load its speech rule engine
  (extensions/a11y, which fetches its rules from a CDN): scripts/build_site.py leaves that folder out
  of the site's MathJax, and NO_A11Y_LOADERS empties the menu's list of them.
- the book source's ``_vendor`` folder (MathJax, copied there by scripts/build_site.py) is served
  under ``_static/`` too; Jupyter Book would link every script of ``_static`` into every page.
- sphinx-thebe (which Jupyter Book always loads) is left out of every page: the site has no live
  code, and its scripts name a CDN (unpkg) from which they would fetch thebe.
- myst-nb's toggles (solutions, deeper sections) are named by their visible label ("Show
  solution") for screen readers, instead of myst-nb's generic "Toggle hidden content".
"""
from __future__ import annotations

import re
from html import escape
from pathlib import Path

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

VENDOR = "_vendor"
DEEPER = "Going deeper (optional)"
# "lesson 03" (linked whole), or "lessons 01–03", "lessons 02, 04 and 05" (each number linked).
LESSON = re.compile(r"\b[Ll]esson (\d\d)\b|\b[Ll]essons (\d\d(?:(?:\s*[–-]\s*|,\s*|,? and |,? or )\d\d)*)\b")
# A page's MathJax 2 configuration (run before MathJax starts): the accessibility menu's items for
# collapsible math and the explorer would load extensions/a11y, which the site does not hold.
NO_A11Y_LOADERS = """MathJax.Hub.Register.StartupHook("End Config", function () {
  var menu = MathJax.Extension["accessibility-menu"];
  if (menu) { menu.modules = []; }
});"""
# Text inside these is never turned into a link.
NO_LINKS = (nodes.title, nodes.reference, nodes.literal, nodes.literal_block, nodes.math,
            nodes.math_block, nodes.raw, nodes.FixedTextElement, addnodes.pending_xref)


class CollapseDeeper(SphinxPostTransform):
    """Wrap the body of every deeper section (all but its title) in a collapsed toggle."""

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for section in list(self.document.findall(nodes.section)):
            title = section.next_node(nodes.title)
            if title is None or not title.astext().startswith(DEEPER) or len(section.children) < 2:
                continue
            body = section.children[1:]
            toggle = HideCodeCellNode(prompt_show="Show this optional section",
                                      prompt_hide="Hide this optional section")
            toggle["classes"].append("course-deeper")
            for block in (b for child in body for b in child.findall(nodes.math_block)):
                _unnumbered(block)
            for child in body:
                section.remove(child)
            toggle.extend(body)
            section.append(toggle)


def _unnumbered(block: nodes.math_block) -> None:
    """Give a display equation \\notag (MathJax numbers every other one): written out as Sphinx
    writes it, \\[ … \\], with a multi-line one in a split environment."""
    latex = block.astext()
    if r"\\" in latex:
        latex = r"\begin{split}" + latex + r"\end{split}"
    block["nowrap"] = True
    block.children = [nodes.Text(r"\[" + latex + r"\notag\]")]


class LinkLessons(SphinxTransform):
    """Turn "lesson NN" in running text into a link to lesson NN's page, and each number of
    "lessons NN–MM" or "lessons NN, MM and KK" into one to that lesson's (a number followed by words
    in brackets ends the list: in "lessons 03 (BPTT), 04 (…)" only 03 is linked)."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        lessons = {name[:2]: name for name in self.env.found_docs if re.match(r"\d\d_", name)}
        here = self.env.docname
        for text in list(self.document.findall(nodes.Text)):
            if any(isinstance(a, NO_LINKS) for a in _ancestors(text)):
                continue
            parts, last, source = [], 0, str(text)
            for start, end, number in _lesson_spans(source):
                target = lessons.get(number)
                if target is None or target == here:
                    continue
                parts.append(nodes.Text(source[last:start]))
                ref = addnodes.pending_xref("", nodes.inline(text=source[start:end]), refdomain="std",
                                            reftype="doc", reftarget="/" + target, refexplicit=True,
                                            refdoc=here)
                parts.append(ref)
                last = end
            if parts:
                parts.append(nodes.Text(source[last:]))
                text.parent.replace(text, parts)


def _lesson_spans(source: str):
    """(start, end, "NN") of each piece of ``source`` to link: "lesson NN" whole, or a number of a
    "lessons …" list."""
    for match in LESSON.finditer(source):
        if match[1]:
            yield match.start(), match.end(), match[1]
        else:
            for number in re.finditer(r"\d\d", match[2]):
                yield match.start(2) + number.start(), match.start(2) + number.end(), number[0]


def _ancestors(node: nodes.Node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def visit_toggle(self, node: HideCodeCellNode) -> None:
    """myst-nb's <details> toggle, its summary named by the visible label (no aria-label)."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n'
                     f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n'
                     f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n'
                     "</summary>\n")


def depart_toggle(self, node: HideCodeCellNode) -> None:
    self.body.append("</details>\n")


def serve_vendor(app, config) -> None:
    """Add the source's _vendor folder (MathJax) to the static files, if there is one."""
    if (Path(app.srcdir) / VENDOR).is_dir():
        config.html_static_path.append(VENDOR)


def drop_thebe_config(app, doctree, docname) -> None:
    """Remove sphinx-thebe's per-page configuration (a raw <script type="text/x-thebe-config">)."""
    for raw in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in raw.astext():
            raw.parent.remove(raw)


def drop_thebe_scripts(app, pagename, templatename, context, doctree) -> None:
    """Leave sphinx-thebe's scripts (its loader and the CDN address of thebe) out of the page."""
    if "script_files" in context:
        context["script_files"] = [js for js in context["script_files"]
                                   if "thebe" not in str(js.filename) and "THEBE" not in js.attributes.get("body", "")]


def setup(app):
    app.connect("doctree-resolved", drop_thebe_config, priority=900)
    app.connect("html-page-context", drop_thebe_scripts)
    app.connect("config-inited", serve_vendor)
    app.add_js_file(None, type="text/x-mathjax-config", body=NO_A11Y_LOADERS)
    app.add_node(HideCodeCellNode, override=True, html=(visit_toggle, depart_toggle))
    app.add_post_transform(CollapseDeeper)
    app.add_transform(LinkLessons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
