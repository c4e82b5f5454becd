"""Every figure the helpers draw holds the slide rules (issue 13, "decks that look made for a room").

A deck shows a figure as large as a 1280×720 slide allows (about 1200 × 560 CSS px), so its text
shrinks with the figure's height and grows with nothing. For every entry of tests/figure_gallery.py
(every public figure function of the drawing modules, and every live figure), drawn in the course
style:

- text: tick labels and legends at 10 pt or more, other text at 9 pt or more
  (helpers.style.font_sizes), and no text outside the figure;
- size, as a deck crops it (bbox_inches="tight"): at most 4.6 in tall (5 in for a deliberately
  tall one, 4.3 in for a live figure, whose controls and status share the slide), and wide: width
  at least 1.6 × height unless listed with a reason;
- contrast: every line, marker, outline, arrow and text at 3:1 or more (WCAG 2) against what lies
  under it, composited from the canvas up (axes, images, colour meshes, filled patches, legend
  frames; a halo path effect counts as the background of the line it surrounds); Okabe-Ito yellow
  never on a line or text; faint context lines (alpha < 0.6, not in a legend) are exempt;
- nothing hidden: hiding a series that a legend lists changes at least a fifth of the pixels that
  the series draws on its own;
- the canvas and every axes are opaque (JupyterLab's dark theme shows through a transparent one).

Live figures are also swept over their first slider as the deck's scrubber does: the figure keeps
its size, panels and tight box in every frame (nothing jumps), the panels whose point is motion
keep their axes, and the status fits in two lines.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import ipywidgets as w
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.collections import Collection, LineCollection, PathCollection, QuadMesh
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.text import Annotation, Text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figure_gallery as gallery  # noqa: E402

from helpers import style  # noqa: E402
from helpers.livefig import LiveFigure  # noqa: E402

pytestmark = pytest.mark.slow            # every figure of the course, drawn and measured: about a minute

MIN_PT = {"tick": 10.0, "legend": 10.0, "text": 9.0}
MAX_HEIGHT = 4.6             # inches, as a deck crops the figure
MAX_HEIGHT_LIVE = 4.3        # a live figure shares the slide with its controls and status
TALL: dict[str, str] = {}    # name -> why it may reach 5 in (none needs to today)
MAX_HEIGHT_TALL = 5.0
MIN_ASPECT = 1.6
NARROW: dict[str, tuple[float, str]] = {}   # name -> (smallest width / height, why) (none today)
MIN_CONTRAST = 3.0
YELLOW = style.PALETTE["yellow"]
STATUS_CHARS = 2 * 105       # two lines of the status (the live figure's width, about 105 characters a line)
MOTION = {                   # live figure -> axes (by index) whose limits must not move with the first slider
    "widgets_vanishing.gradient_explorer": [0, 1],
    "widgets_vanishing.gradient_explorer[sigmoid]": [0, 1],
    "widgets_vanishing.gradient_explorer[overflow]": [0, 1],
    "widgets_sequences.power_slider": [0],
    "widgets_sequences.memory_fade": [0],
    "widgets_sequences.hidden_state_player": [0, 1],
    "widgets_cliff.clipping_paths": [0],
    "widgets_esn.esn_explorer": [0, 1],
}


@pytest.fixture(autouse=True)
def course_style():
    with mpl.rc_context():
        style.use_course_style(deck=False)
        yield


def build(name: str) -> tuple[Figure, LiveFigure | None]:
    """Make the gallery entry ``name`` (no warning may escape: warnings are errors) and draw it once."""
    made = gallery.GALLERY[name]()
    (made.fig if isinstance(made, LiveFigure) else made).canvas.draw()
    if isinstance(made, LiveFigure):
        return made.fig, made
    assert isinstance(made, Figure), f"{name} returned {type(made).__name__}, not a Figure"
    return made, None


# ------------------------------------------------------------------------------ size and text

def tight_size(fig: Figure) -> tuple[float, float]:
    """Width and height in inches of what the figure draws, as a deck crops it (bbox_inches="tight",
    before its 0.1 in of padding)."""
    fig.canvas.draw()
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    return box.width, box.height


def legibility_problems(name: str, fig: Figure, live: bool) -> list[str]:
    problems = []
    fig.canvas.draw()
    sizes = style.font_sizes(fig)
    for kind, least in MIN_PT.items():
        if sizes.get(kind, least) < least:
            problems.append(f"{kind} text at {sizes[kind]:g} pt (< {least:g})")
    width, height = tight_size(fig)
    limit = MAX_HEIGHT_LIVE if live else MAX_HEIGHT_TALL if name in TALL else MAX_HEIGHT
    if height > limit + 1e-6:
        problems.append(f"{height:.2f} in tall (> {limit:g})")
    aspect = NARROW.get(name, (MIN_ASPECT, ""))[0]
    if width < aspect * height - 1e-6:
        problems.append(f"{width:.2f} × {height:.2f} in: narrower than {aspect:g} × its height")
    renderer = fig.canvas.get_renderer()
    inside = fig.bbox.padded(1.0)
    for t in shown_texts(fig):
        box = Text.get_window_extent(t, renderer)
        if not (inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1):
            problems.append(f"text {t.get_text()!r} runs out of the figure")
    return problems


def shown_texts(fig: Figure) -> list[Text]:
    """Every Text that is drawn: visible, not empty, its axes visible; tick labels only of the
    ticks inside the view."""
    ticks_drawn = set()
    all_ticks = set()
    hidden_axis = set()
    for ax in fig.axes:
        for axis in ax._axis_map.values():
            if not ax.axison or not axis.get_visible():
                hidden_axis.update(id(t) for t in axis.findobj(Text))
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                all_ticks.update({id(tick.label1), id(tick.label2)})
            for tick in axis._update_ticks():
                ticks_drawn.update({id(tick.label1), id(tick.label2)})
    out = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        if t.axes is not None and not t.axes.get_visible():
            continue
        if id(t) in hidden_axis or (id(t) in all_ticks and id(t) not in ticks_drawn):
            continue
        if any(not a.get_visible() for a in _ancestors(t)):
            continue
        out.append(t)
    return out


def _ancestors(artist):
    """Legends and other containers a text sits in (a hidden legend hides its texts)."""
    found = []
    for leg in [*artist.figure.legends, *(ax.get_legend() for ax in artist.figure.axes)]:
        if leg is not None and artist in [*leg.get_texts(), leg.get_title()]:
            found.append(leg)
    return found


# ----------------------------------------------------------------------------------- contrast

def _blend(top, bottom) -> np.ndarray:
    top = np.asarray(to_rgba(top), dtype=float)
    bottom = np.asarray(to_rgba(bottom), dtype=float)
    a = top[3]
    return np.r_[a * top[:3] + (1 - a) * bottom[:3], 1.0]


def _event(fig, x, y):
    return MouseEvent("motion_notify_event", fig.canvas, x, y)


def _layer_color(artist, fig, x, y):
    """The colour ``artist`` paints at display point (x, y), or None where it paints nothing."""
    if isinstance(artist, AxesImage):
        if not artist.get_window_extent().contains(x, y):
            return None
        event = _event(fig, x, y)
        value = artist.get_cursor_data(event)
        if value is None:
            return None
        rgba = artist.to_rgba(np.ma.masked_invalid(np.atleast_1d(value))[0]) if np.ndim(value) == 0 else value
        rgba = np.asarray(to_rgba(rgba), float)
        if artist.get_alpha() is not None:
            rgba[3] *= artist.get_alpha()
        return rgba
    if isinstance(artist, Collection) and not isinstance(artist, (LineCollection, PathCollection)):
        if isinstance(artist, QuadMesh) or len(artist.get_facecolor()):
            hit, info = artist.contains(_event(fig, x, y))
            faces = artist.get_facecolor()
            if not hit or not len(faces):
                return None
            ind = np.atleast_1d(info.get("ind", [0]))
            if not ind.size:
                return None
            return np.asarray(faces[ind[-1] % len(faces)], float)
        return None
    if isinstance(artist, Patch) and not isinstance(artist, FancyArrowPatch):
        if not artist.get_fill() or to_rgba(artist.get_facecolor())[3] == 0:
            return None
        if artist.contains_point((x, y)):
            return np.asarray(to_rgba(artist.get_facecolor()), float)
    return None


def _layers_below(fig, ax, zorder):
    """Area artists drawn before something at ``zorder`` in ``ax`` (or on the figure), in drawing order."""
    layers = []
    if ax is not None:
        if ax.patch.get_visible() and ax.axison:
            layers.append(ax.patch)
        kids = [a for a in ax.get_children() if a.get_visible()
                and isinstance(a, (AxesImage, Collection, Patch)) and a is not ax.patch]
        layers += sorted((a for a in kids if a.get_zorder() < zorder), key=lambda a: a.get_zorder())
    else:
        layers += [p for p in fig.patches if p.get_visible() and p.get_zorder() < zorder]
    return layers


def background_at(fig, ax, x, y, zorder, extra=()) -> np.ndarray:
    """What lies under display point (x, y) for an artist at ``zorder`` in ``ax``: the canvas,
    then every area artist below it, then ``extra`` (legend frames, text boxes), composited."""
    color = np.asarray(to_rgba(fig.get_facecolor()), float)
    color = _blend(color, "white")                 # a transparent canvas shows the page (light theme)
    for layer in [*_layers_below(fig, ax, zorder), *extra]:
        paint = _layer_color(layer, fig, x, y)
        if paint is not None:
            color = _blend(paint, color)
    return color


def _halo(artist):
    """The colour of a Stroke path effect drawn around ``artist`` (wider than it), or None."""
    for effect in artist.get_path_effects() or []:
        gc = getattr(effect, "_gc", {})
        if "foreground" in gc and gc.get("linewidth", 0) > 0:
            return gc["foreground"]
    return None


def _points_along(path_display: np.ndarray, box, n: int = 24) -> np.ndarray:
    pts = path_display[np.all(np.isfinite(path_display), axis=1)]
    if box is not None:
        keep = (pts[:, 0] >= box.x0) & (pts[:, 0] <= box.x1) & (pts[:, 1] >= box.y0) & (pts[:, 1] <= box.y1)
        pts = pts[keep]
    if len(pts) > n:
        pts = pts[np.linspace(0, len(pts) - 1, n).astype(int)]
    return pts


def _legend_labelled(fig) -> set[int]:
    labelled = set()
    for ax in fig.axes:
        handles, _ = ax.get_legend_handles_labels()
        if ax.get_legend() is not None:
            labelled.update(id(h) for h in handles)
    return labelled


def _check(problems, what, color, fig, ax, pts, zorder, alpha=None, halo=None, extra=()):
    rgba = np.asarray(to_rgba(color), float)
    if alpha is not None:
        rgba[3] = alpha
    if np.allclose(rgba[:3], to_rgba(YELLOW)[:3], atol=0.02):
        problems.append(f"{what}: Okabe-Ito yellow")
    if rgba[3] == 0 or not len(pts):
        return
    worst = np.inf
    for x, y in pts:
        under = np.asarray(to_rgba(halo), float) if halo is not None else background_at(fig, ax, x, y, zorder, extra)
        ink = _blend(rgba, under)
        worst = min(worst, style.contrast_ratio(ink[:3], under[:3]))
    if worst < MIN_CONTRAST:
        problems.append(f"{what}: contrast {worst:.2f}:1")


def contrast_problems(fig: Figure) -> list[str]:
    fig.canvas.draw()
    problems: list[str] = []
    labelled = _legend_labelled(fig)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        box = ax.bbox
        for line in ax.lines:
            if not line.get_visible():
                continue
            alpha = line.get_alpha()
            if alpha is not None and alpha < 0.6 and id(line) not in labelled:
                continue                                  # faint context (e.g. every raw step under a mean)
            xy = line.get_transform().transform(np.column_stack(line.get_data(orig=False)).astype(float)) \
                if len(line.get_xdata()) else np.empty((0, 2))
            clip = box if line.get_clip_on() else None
            pts = _points_along(xy, clip)
            what = f"line {line.get_label()!r} in {ax.get_title()!r:.40}"
            if line.get_linestyle() not in ("None", "", " ") and line.get_linewidth() > 0:
                _check(problems, what, line.get_color(), fig, ax, pts, line.get_zorder(), alpha, _halo(line))
            if line.get_marker() not in (None, "None", "", " ") and line.get_markersize() > 0:
                edge = line.get_markeredgecolor() if line.get_markeredgewidth() > 0 else line.get_markerfacecolor()
                _check(problems, what + " (markers)", edge, fig, ax, pts, line.get_zorder(), alpha, _halo(line))
        for coll in ax.collections:
            if not coll.get_visible() or isinstance(coll, QuadMesh):
                continue
            line_like = isinstance(coll, LineCollection) or (type(coll).__name__ == "ContourSet"
                                                              or not len(coll.get_facecolor()))
            if isinstance(coll, PathCollection):      # scatter markers: their faces (or edges)
                offsets = coll.get_offset_transform().transform(coll.get_offsets())
                pts = _points_along(offsets, box if coll.get_clip_on() else None)
                colors = coll.get_edgecolor() if len(coll.get_edgecolor()) and np.max(coll.get_linewidth()) > 0 \
                    else coll.get_facecolor()
                for c in {tuple(c) for c in colors}:
                    _check(problems, f"markers in {ax.get_title()!r:.40}", c, fig, ax, pts, coll.get_zorder(), None,
                           _halo(coll))
            elif line_like:
                paths = coll.get_paths()
                for path, c in zip(paths, np.resize(coll.get_edgecolor(), (len(paths), 4)), strict=True):
                    xy = coll.get_transform().transform(path.vertices)
                    _check(problems, f"lines {coll.get_label()!r} in {ax.get_title()!r:.40}", c, fig, ax,
                           _points_along(xy, box), coll.get_zorder(), None, _halo(coll))
        for patch in ax.patches:
            if not patch.get_visible():
                continue
            outline = isinstance(patch, FancyArrowPatch) or not patch.get_fill()
            if outline and patch.get_linewidth() > 0 and patch.get_linestyle() not in ("None", "none"):
                if isinstance(patch, FancyArrowPatch):
                    xy = np.vstack([p.vertices for p in patch._get_path_in_displaycoord()[0]])
                else:
                    xy = patch.get_transform().transform(patch.get_path().vertices)
                _check(problems, f"outline {type(patch).__name__} in {ax.get_title()!r:.40}", patch.get_edgecolor(),
                       fig, ax, _points_along(xy, None), patch.get_zorder(), None, _halo(patch))
        for ann in ax.texts:
            if isinstance(ann, Annotation) and ann.arrow_patch is not None and ann.get_visible():
                arrow = ann.arrow_patch
                ann.update_positions(fig.canvas.get_renderer())
                xy = np.vstack([p.vertices for p in arrow._get_path_in_displaycoord()[0]])
                _check(problems, f"arrow of {ann.get_text()!r:.30}", arrow.get_edgecolor(), fig, ax,
                       _points_along(xy, None), arrow.get_zorder())
    renderer = fig.canvas.get_renderer()
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend() is not None)]
    for t in shown_texts(fig):
        box = Text.get_window_extent(t, renderer)          # an annotation's text, not its arrow
        cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
        extra = []
        for leg in legends:
            if (t in leg.get_texts() or t is leg.get_title()) and leg.get_frame_on():
                extra.append(leg.legendPatch)
        if t.get_bbox_patch() is not None:
            extra.append(t.get_bbox_patch())
        ax = t.axes if t.axes is not None and t.axes.get_visible() else None
        inside = ax is not None and ax.bbox.contains(cx, cy)
        _check(problems, f"text {t.get_text()!r:.50}", t.get_color(), fig, ax if inside else None,
               [(cx, cy)], t.get_zorder(), t.get_alpha(), None, extra)
    return problems


# --------------------------------------------------------------------------------- hidden series

def _render(fig, dpi=40) -> np.ndarray:
    fig.set_dpi(dpi)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)


def hidden_series(fig: Figure) -> list[str]:
    """Series a legend lists that hardly show: hiding one changes under a fifth of the pixels it
    draws when it is the only data of its axes."""
    problems = []
    legends = [leg for leg in [*fig.legends, *(ax.get_legend() for ax in fig.axes)] if leg is not None]
    for leg in legends:
        leg.set_visible(False)
    try:
        base = _render(fig)
        for ax in fig.axes:
            if ax.get_legend() is None:
                continue
            handles, labels = ax.get_legend_handles_labels()
            data = [a for a in [*ax.lines, *ax.collections, *ax.patches, *ax.images, *ax.texts] if a.get_visible()]
            for artist, label in zip(handles, labels, strict=True):
                if artist not in data:
                    continue
                artist.set_visible(False)
                without = _render(fig)
                others = [a for a in data if a is not artist]
                for a in others:
                    a.set_visible(False)
                alone_off = _render(fig)
                artist.set_visible(True)
                alone_on = _render(fig)
                for a in others:
                    a.set_visible(True)
                shown = np.count_nonzero(np.abs(base - without).max(axis=2) > 40)
                own = np.count_nonzero(np.abs(alone_on - alone_off).max(axis=2) > 40)
                if own and shown < 0.2 * own:
                    problems.append(f"{label!r} shows {shown} of its {own} pixels")
    finally:
        for leg in legends:
            leg.set_visible(True)
    return problems


# ------------------------------------------------------------------------------------- the tests

def test_the_gallery_covers_every_public_figure_function():
    """A new drawing function must be added to tests/figure_gallery.py (or be named not a figure)."""
    covered = {name.split("[")[0] for name in gallery.GALLERY}
    public = {name for module in gallery.MODULES for name in gallery.public_callables(module)}
    missing = sorted(public - covered - set(gallery.NOT_FIGURES))
    assert not missing, f"figure functions missing from tests/figure_gallery.py: {missing}"
    stale = sorted((covered | set(gallery.NOT_FIGURES)) - public)
    assert not stale, f"gallery entries with no such function: {stale}"


@pytest.mark.parametrize("name", list(gallery.GALLERY))
def test_text_size_and_figure_size_at_slide_scale(name):
    fig, app = build(name)
    assert not legibility_problems(name, fig, app is not None), legibility_problems(name, fig, app is not None)


@pytest.mark.parametrize("name", list(gallery.GALLERY))
def test_lines_and_text_contrast_with_what_lies_under_them(name):
    fig, _ = build(name)
    problems = contrast_problems(fig)
    assert not problems, problems


@pytest.mark.parametrize("name", list(gallery.GALLERY))
def test_no_series_in_a_legend_is_hidden(name):
    fig, _ = build(name)
    problems = hidden_series(fig)
    assert not problems, problems


@pytest.mark.parametrize("name", list(gallery.GALLERY))
def test_canvas_and_axes_are_opaque(name):
    fig, _ = build(name)
    assert to_rgba(fig.get_facecolor()) == (1.0, 1.0, 1.0, 1.0)
    for ax in fig.axes:
        if ax.axison and ax.patch.get_visible():
            assert to_rgba(ax.get_facecolor())[3] == 1.0, ax


def test_live_figures_are_white_even_where_the_notebook_canvas_is_transparent():
    """The inline backend sets a transparent figure.facecolor; a live figure must not inherit it."""
    from helpers.livefig import new_figure
    with mpl.rc_context({"figure.facecolor": (1, 1, 1, 0), "savefig.facecolor": "none"}):
        for live in (False, True):
            fig = new_figure(live=live)
            assert to_rgba(fig.get_facecolor()) == (1.0, 1.0, 1.0, 1.0)
        app = gallery.GALLERY["widgets_sequences.power_slider"]()
        import io

        from PIL import Image
        png = Image.open(io.BytesIO(app.png())).convert("RGBA")
        assert png.getpixel((0, 0)) == (255, 255, 255, 255)


def _frame_values(slider) -> list:
    """The first slider's values as the deck's scrubber takes them (scripts/build_slides.py)."""
    n = 13
    if isinstance(slider, w.FloatLogSlider):
        values = slider.base ** np.linspace(slider.min, slider.max, n)
    else:
        values = np.linspace(slider.min, slider.max, n)
    if isinstance(slider, w.IntSlider):
        values = np.unique(np.round(values).astype(int))
    return sorted(set(float(v) for v in values) | {float(slider.value)})


@pytest.mark.parametrize("name", gallery.LIVE)
def test_live_figures_hold_still_across_the_first_slider(name):
    fig, app = build(name)
    slider = next(c for c in app.controls.values() if isinstance(c, (w.FloatSlider, w.IntSlider, w.FloatLogSlider)))
    first = None
    for value in _frame_values(slider):
        slider.value = int(value) if isinstance(slider, w.IntSlider) else value
        problems = legibility_problems(name, fig, True)          # draws the frame
        assert not problems, f"{name} at {slider.description} = {value:g}: {problems}"
        frame = {
            "size": tuple(fig.get_size_inches()),
            "panels": [tuple(np.round(ax.get_position().bounds, 6)) for ax in fig.axes],
            "limits": [(ax.get_xlim(), ax.get_ylim()) for i, ax in enumerate(fig.axes) if i in MOTION.get(name, [])],
            "tight": tuple(np.round(fig.get_tightbbox(fig.canvas.get_renderer()).bounds, 3)),
        }
        if first is None:
            first = frame
        assert frame == first, f"{name}: at {slider.description} = {value:g} the figure moved: {frame} != {first}"
        status = re.sub(r"<[^>]+>", "", app.status.value)
        assert len(status) <= STATUS_CHARS, f"{name}: status of {len(status)} characters: {status}"
    problems = contrast_problems(fig)
    assert not problems, problems


def test_contrast_check_catches_what_it_should():
    """The contrast walker sees light lines, yellow, coloured titles and lines on a dark map."""
    fig = plt.figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color=style.PALETTE["orange"], label="orange")
    ax.set_title("title", color=style.PALETTE["orange"])
    ax.plot([0, 1], [1, 0], color=style.PALETTE["blue"], label="blue")
    ax.legend()
    problems = contrast_problems(fig)
    assert any("line 'orange'" in p for p in problems) and any("text 'title'" in p for p in problems)
    assert not any("line 'blue'" in p for p in problems)
    fig = plt.figure()
    ax = fig.add_subplot()
    ax.imshow(np.zeros((4, 4)), cmap="Greys", vmin=-1, vmax=0, extent=(0, 1, 0, 1))     # black
    ax.plot([0, 1], [0.5, 0.5], color="black", label="on black")
    ax.plot([0, 1], [0.3, 0.3], color="black", label="haloed", path_effects=style.halo(1.5))
    problems = contrast_problems(fig)
    assert any("'on black'" in p for p in problems) and not any("'haloed'" in p for p in problems)


def test_hidden_series_check_catches_a_covered_line():
    fig = plt.figure()
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 50)
    ax.plot(x, x, lw=2, label="under")
    ax.plot(x, x, lw=3, label="over")
    ax.plot(x, 1 - x, lw=2, label="apart")
    ax.legend()
    problems = hidden_series(fig)
    assert len(problems) == 1 and "'under'" in problems[0]
