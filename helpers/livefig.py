"""Live figures: controls above a matplotlib figure that redraws in place.

In a notebook the figure is an ipympl canvas, so a control change updates the artists and only the
pixels are sent (no new figure, no flicker). Displayed, the app also carries a PNG of its current
state, which static exports (HTML slides, nbconvert) show in place of the widget.

Every live figure of the course has one shape::

    class _SomethingView:                      # private: the figure gallery lists public functions
        def __init__(self, fig, ...):          # makes every artist once
            self.fig, self.animated = fig, [line, *ax.spines.values(), ax.title]
            self.rescaled = [ax.xaxis]         # optional
        def update(self, w: float) -> str:     # moves the artists; returns the status line
        def alt(self) -> str:                  # what the figure shows now, and what to notice

    _CONTROLS = Controls(Control("w", "slider", 0.8, range=(0.6, 1.4), step=0.01, description="w",
                                 label="weight w"))

    def something(..., live=True) -> LiveFigure:
        view = _SomethingView(new_figure(live=live, figsize=...), ...)
        return LiveFigure.from_view(view, _CONTROLS, "what it is")

- ``animated``: the artists ``update`` changes, in drawing order, followed by whatever a full draw
  puts over them where they can overlap (an axes' frame, a legend, a label);
- ``rescaled`` (optional): artists that change only when an axis limit changes (an Axis, a colour
  bar's Axes, a spine, a line in data coordinates), or seldom (a legend whose colours follow a
  control);
- ``alt()``: one to three sentences saying what the figure shows and what to notice in the state
  the last ``update`` drew, every number computed from that state (the figure's alt text,
  :mod:`helpers.alt`);
- the :class:`Controls` table: one :class:`Control` per keyword of ``update`` (name, kind, range or
  options, default, step, how it looks, and the name a screen reader says); it checks starting
  values and builds the widgets.

Everyone can use it: after each update the figure carries the view's alt text
(:func:`helpers.alt.describe`; the display's PNG fallback has it in its metadata), and a small
anywidget in the box (:class:`Access`, invisible) gives the browser's accessibility tree what
ipywidgets and ipympl leave out: every control its accessible name, the status line an ARIA live
region (announced when it changes), the canvas ``role="img"`` with the current alt text.

An update redraws only the ``animated`` artists over a cached background (blitting); when an axis
limit covered by ``rescaled`` artists changed, it first redraws those of that axes, in their
region, over a background without them; any other change of an axis limit (or of the figure's
size) redraws the whole figure. The update itself runs with OpenBLAS on one thread
(:func:`_one_blas_thread`).
"""
from __future__ import annotations

import base64
import ctypes
import functools
import io
import math
import numbers
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import anywidget
import ipywidgets as w
import matplotlib
import numpy as np
import traitlets
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from ._validate import (
    choice,
    flag,
    function,
    instance,
    interval,
    mapping,
    optional_text,
    positive_int,
    real,
    received,
    text,
)
from .alt import alt_text, describe

# Importing ipympl switches matplotlib's backend for the whole notebook (and a switch back after
# pyplot is loaded loses the inline display hook). Hold matplotlib.use still during the import:
# only the figures made by new_figure are live; every other figure stays inline.
_use = matplotlib.use
matplotlib.use = lambda *args, **kwargs: None
try:
    from ipympl.backend_nbagg import Canvas, FigureManager
finally:
    matplotlib.use = _use


# The status line keeps room for two lines (ipywidgets draws a line of HTML 28 px high), so a
# verdict that wraps does not push the figure down.
STATUS_LINES = 2
STATUS_MIN_HEIGHT = f"calc({STATUS_LINES} * var(--jp-widgets-inline-height, 28px))"


def new_figure(live: bool = True, **kwargs) -> Figure:
    """A matplotlib Figure outside pyplot (never shown twice, never left open), on an opaque white
    canvas whatever the notebook's defaults (the inline backend's are transparent, which JupyterLab's
    dark theme shows through).

    live=True attaches an ipympl canvas (for notebooks); live=False keeps the Agg canvas, which
    tests and benchmarks use to draw without a browser. ``kwargs`` go to Figure.
    """
    live = flag("live", live)
    kwargs.setdefault("facecolor", "white")
    kwargs.setdefault("edgecolor", "white")
    fig = Figure(**kwargs)
    if not live:
        FigureCanvasAgg(fig)
    else:
        canvas = Canvas(fig)
        FigureManager(canvas, 0)
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_visible = False
        canvas.resizable = False
    return fig


# ----------------------------------------------------------------------------------------------
# The controls table
# ----------------------------------------------------------------------------------------------

KINDS = ("slider", "log-slider", "dropdown", "toggle")
MAX_SETTINGS = 1e6
"""The most settings a slider offers, (max − min) / step: it is a few hundred pixels wide (and a
finer step would let a value's offset from min, divided by it, overflow float64)."""


@dataclass(frozen=True)
class Control:
    """One control of a live figure: the keyword ``name`` it is passed to ``update`` as, its
    ``kind``, its values and its default, and how it looks.

    - ``"slider"``: ``range`` (min, max) and ``step``; an IntSlider when all three are ints, else a
      FloatSlider. A starting value is rounded to the nearest step (a browser snaps a slider to
      its grid and sends the value back, which would change the figure as it appears).
    - ``"log-slider"``: a FloatLogSlider; ``range`` and ``step`` are exponents of ``base``, so the
      settings are base^(min + k·step). A starting value is rounded to the nearest setting.
    - ``"dropdown"``, ``"toggle"`` (toggle buttons): ``options``, values or (label, value) pairs.

    ``label`` is the control's accessible name, what a screen reader says for it: it contains the
    visible ``description`` (WCAG 2.5.3, Label in Name) and says in words what a symbol is ("w" →
    "weight w"); empty means the description.

    Every field is checked when the control is made, and ``default`` must be one of its values.
    """

    name: str
    kind: str
    default: Any
    range: tuple | None = None
    step: float | int | None = None
    options: tuple = ()
    description: str = ""
    base: float = 10.0
    readout_format: str | None = None
    width: str = "330px"
    description_width: str | None = None
    button_width: str | None = None
    label: str = ""

    def __post_init__(self):
        if not text("name", self.name).isidentifier():
            raise ValueError(f"name must be a Python name (the keyword update takes), got {self.name!r}")
        try:
            self._check_fields()
        except ValueError as exc:
            raise ValueError(f"{self.name}: {exc}") from None

    def _check_fields(self) -> None:
        """Every field's kind and range, and the default among the control's values."""
        choice("kind", self.kind, KINDS)
        if not (isinstance(self.options, tuple)
                and all(len(o) == 2 and isinstance(o[0], str) for o in self.options if isinstance(o, tuple))):
            raise ValueError(f"options must be a tuple of values or (label, value) pairs, got {received(self.options)}")
        if self.kind in ("slider", "log-slider"):
            lo, hi = interval("range", self.range)
            step = real("step", self.step, positive=True)
            if not math.isfinite(hi - lo):
                raise ValueError(f"range must be narrower than float64's largest number (range[1] − range[0] "
                                 f"overflows), got {self.range!r}")
            if not (hi - lo) / step <= MAX_SETTINGS:
                raise ValueError(f"step must be at least (range[1] − range[0]) / {MAX_SETTINGS:g} = "
                                 f"{(hi - lo) / MAX_SETTINGS:.3g} (a slider offers at most {MAX_SETTINGS:g} "
                                 f"settings), got {step:g} for range {self.range!r}")
        elif len(self.values) < 2:
            raise ValueError(f"a {self.kind} needs two options or more, got {self.options!r}")
        if not real("base", self.base, positive=True) > 1:
            raise ValueError(f"base must be a number > 1, got {received(self.base)}")
        if self.kind == "log-slider" and max(abs(lo), abs(hi)) * math.log(self.base) > math.log(1e300):
            raise ValueError(f"base and range: a log-slider's values base^range[0] … base^range[1] must stay "
                             f"within 1e±300 (float64), got base {self.base:g} and range {self.range!r}")
        text("description", self.description), text("width", self.width), text("label", self.label)
        for name in ("readout_format", "description_width", "button_width"):
            optional_text(name, getattr(self, name))
        try:
            self.check(self.default)
        except ValueError as exc:
            raise ValueError(f"default {self.default!r} is not a value of this control: {exc}") from None

    @property
    def integer(self) -> bool:
        """An integer slider: range and step are ints."""
        return self.kind == "slider" and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                                             for v in (*self.range, self.step))

    @property
    def accessible_name(self) -> str:
        """What a screen reader says for the control: ``label``, else ``description``, else ``name``."""
        return self.label or self.description or self.name

    @property
    def values(self) -> list:
        """The values a dropdown or toggle can take (the second item of (label, value) pairs)."""
        return [o[1] if isinstance(o, tuple) else o for o in self.options]

    def bounds(self) -> tuple[float, float]:
        """(smallest, largest) value of a slider."""
        lo, hi = self.range
        return (self.base ** lo, self.base ** hi) if self.kind == "log-slider" else (lo, hi)

    def check(self, value):
        """``value`` as this control will hold it (on its slider's grid), or a ValueError naming the
        control, what it expects and what it got."""
        if self.kind in ("dropdown", "toggle"):
            return choice(self.name, value, self.values)
        lo, hi = self.bounds()
        if self.integer:
            value = positive_int(self.name, value, minimum=lo)
            if value > hi:
                raise ValueError(f"{self.name} must be in [{lo}, {hi}], got {value}")
            return min(lo + round((value - lo) / self.step) * self.step, hi - (hi - lo) % self.step)
        if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{self.name} must be a number, got {value!r}")
        number = float(value)
        if not lo <= number <= hi:                       # (NaN fails too)
            raise ValueError(f"{self.name} must be in [{lo:.3g}, {hi:.3g}], got {value!r}")
        start, step = self.range[0], self.step
        if self.kind == "log-slider":                    # the nearest setting base^(min + k·step)
            exponent = math.log(number) / math.log(self.base)
            number = self.base ** round(start + round((exponent - start) / step) * step, 10)
        else:
            number = round(start + round((number - start) / step) * step, 10)
        return min(max(number, lo), hi)                  # (rounding must not step off the ends)

    def widget(self, value) -> w.ValueWidget:
        """The ipywidgets control, showing ``value`` (a value of this control: :meth:`check`)."""
        self.check(value)
        if self.kind == "toggle":
            style = {"button_width": self.button_width} if self.button_width else {}
            return w.ToggleButtons(options=list(self.options), value=value, description=self.description,
                                   style=style)
        look = {"value": value, "description": self.description, "layout": w.Layout(width=self.width),
                "style": {"description_width": self.description_width} if self.description_width else {}}
        if self.kind == "dropdown":
            return w.Dropdown(options=list(self.options), **look)
        if self.readout_format:
            look["readout_format"] = self.readout_format
        (lo, hi), step = self.range, self.step
        if self.kind == "log-slider":
            return w.FloatLogSlider(base=self.base, min=lo, max=hi, step=step, continuous_update=True, **look)
        slider = w.IntSlider if self.integer else w.FloatSlider
        return slider(min=lo, max=hi, step=step, continuous_update=True, **look)


class Controls(tuple):
    """The controls table of a live figure: :class:`Control` rows, one per keyword of the view's
    ``update``, in the order they are shown (three to a row)."""

    def __new__(cls, *controls: Control):
        for i, c in enumerate(controls):
            instance(f"controls[{i}]", c, Control, "a Control row")
        names = [c.name for c in controls]
        if len(set(names)) != len(names):
            raise ValueError(f"Controls takes Control rows with different names, got {names}")
        return super().__new__(cls, controls)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self]

    def defaults(self) -> dict:
        return {c.name: c.default for c in self}

    def check(self, values: dict | None = None, owner: str = "the live figure") -> dict:
        """Every control's starting value: ``values`` over the defaults, each checked and put on
        its grid (:meth:`Control.check`); a ValueError names a control ``owner`` does not have."""
        owner = text("owner", owner)
        values = {} if values is None else dict(mapping("values", values, "starting values {control: value}",
                                                        empty_ok=True))
        unknown = [str(k) for k in values if k not in self.names]
        if unknown:
            raise ValueError(f"{owner} got unknown control(s) {', '.join(sorted(unknown))}; "
                             f"expected some of {', '.join(self.names)}")
        merged = {**self.defaults(), **values}
        return {c.name: c.check(merged[c.name]) for c in self}

    def widgets(self, values: dict) -> list[w.ValueWidget]:
        """The ipywidgets controls showing ``values``, a value for every control (as :meth:`check`
        returns them; each is checked)."""
        mapping("values", values, f"values {{control: value}} for {', '.join(self.names)}", empty_ok=True)
        missing = [name for name in self.names if name not in values]
        unknown = [str(k) for k in values if k not in self.names]
        if missing or unknown:
            raise ValueError(f"values must hold a value for every control ({', '.join(self.names)}) and no other; "
                             + (f"missing {', '.join(missing)}" if missing else f"unknown {', '.join(unknown)}"))
        return [c.widget(values[c.name]) for c in self]


class View(Protocol):
    """What :meth:`LiveFigure.from_view` needs of a live figure's view (see the module docstring)."""

    fig: Figure
    animated: Sequence[Artist]

    def update(self, **controls) -> str: ...

    def alt(self) -> str: ...


# ----------------------------------------------------------------------------------------------
# Single-threaded BLAS for updates
# ----------------------------------------------------------------------------------------------

@functools.cache
def _openblas_threads() -> tuple[Callable, Callable] | None:
    """(get, set) of the number of threads of numpy's OpenBLAS (the wheels' scipy-openblas), or
    None when numpy uses another BLAS or it cannot be found."""
    here = Path(np.__file__).resolve().parent
    for lib in sorted([*here.with_name("numpy.libs").glob("*openblas*"), *(here / ".dylibs").glob("*openblas*")]):
        try:
            dll = ctypes.CDLL(str(lib))
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "")):
            get = getattr(dll, f"{prefix}_get_num_threads{suffix}", None)
            set_ = getattr(dll, f"{prefix}_set_num_threads{suffix}", None)
            if get is not None and set_ is not None:
                get.restype, set_.argtypes = ctypes.c_int, [ctypes.c_int]
                return get, set_
    return None


@contextmanager
def _one_blas_thread():
    """Run the block with OpenBLAS on one thread (and restore its setting after).

    An update's maths is small matrices (tens to a few hundred rows), for which waking and syncing
    BLAS threads costs far more than it saves, above all on a 2-core machine whose other core
    draws the browser: there the echo state network's readout (a 101 × 101 ridge solve) took about
    180 ms on OpenBLAS's two threads and 0.1 ms on one.
    """
    threads = _openblas_threads()
    before = threads[0]() if threads else 1
    if before <= 1:
        yield
        return
    threads[1](1)
    try:
        yield
    finally:
        threads[1](before)


# ----------------------------------------------------------------------------------------------
# The live figure
# ----------------------------------------------------------------------------------------------

# The front end of Access: from its own (hidden) element it finds the live figure's box, and keeps
# the attributes in place as ipywidgets and ipympl (re)draw their parts (a MutationObserver).
_ACCESS_ESM = r"""
function label(box, model) {
  const set = (e, k, v) => { if (e && e.getAttribute(k) !== v) e.setAttribute(k, v); };
  const names = model.get("names");
  const controls = box.querySelectorAll(":scope > .widget-hbox > *");
  controls.forEach((c, i) => {
    const name = names[i];
    if (!name) return;
    c.querySelectorAll("[role=slider], select, input").forEach(e => set(e, "aria-label", name));
    const readout = c.querySelector(".widget-readout");
    if (readout) {
      set(readout, "role", "textbox");
      set(readout, "aria-label", name + " (type a value)");
      // a slider is read as its readout: a log slider's handle holds the exponent (noUiSlider)
      const value = readout.textContent.trim();
      if (value) c.querySelectorAll("[role=slider]").forEach(e => set(e, "aria-valuetext", value));
    }
    if (c.classList.contains("widget-toggle-buttons")) {
      const group = c.querySelector(".widget-toggle-buttons") || c;
      set(group, "role", "group");
      set(group, "aria-label", name);
      c.querySelectorAll(".widget-toggle-button").forEach(b =>
        set(b, "aria-pressed", String(b.classList.contains("mod-active"))));
    }
  });
  const status = box.querySelector(":scope > .widget-html");
  set(status, "role", "status");
  set(status, "aria-live", "polite");
  set(status, "aria-atomic", "true");
  const canvases = box.querySelectorAll(".jupyter-matplotlib-figure canvas");
  canvases.forEach((c, i) => {
    if (i === 0) { set(c, "role", "img"); set(c, "aria-label", model.get("alt")); }
    else set(c, "aria-hidden", "true");
  });
}

export default {
  render({ model, el }) {
    let observer = null, timer = null, tries = 0, box = null;
    const apply = () => { if (box) label(box, model); };
    const attach = () => {
      box = el.parentElement && el.parentElement.closest(".widget-vbox");
      if (!box) { if (tries++ < 600) timer = setTimeout(attach, 50); return; }
      apply();
      // (noUiSlider rewrites aria-valuetext on every move, and the readout's text changes)
      observer = new MutationObserver(apply);
      observer.observe(box, { childList: true, subtree: true, characterData: true, attributes: true,
                              attributeFilter: ["class", "aria-valuetext"] });
      model.on("change:alt", apply);
      model.on("change:names", apply);
    };
    attach();
    return () => {
      clearTimeout(timer);
      if (observer) observer.disconnect();
      model.off("change:alt", apply);
      model.off("change:names", apply);
      box = null;
    };
  },
};
"""


class Access(anywidget.AnyWidget):
    """The accessibility of a live figure in the browser (JupyterLab, Voila): an invisible child
    of the :class:`LiveFigure` box whose front end gives each control its accessible name
    (``names``, in the order of the controls), makes the status line an ARIA live region
    (``role="status"``, ``aria-live="polite"``) and the ipympl canvas ``role="img"`` labelled with
    ``alt`` (kept current). ipywidgets 8 sliders have no accessible name of their own
    (ipywidgets#2650), and a canvas says nothing."""

    _esm = _ACCESS_ESM
    names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)

    def __init__(self, names: Sequence[str], alt: str = ""):
        names = [text(f"names[{i}]", n) for i, n in enumerate(_items("names", names, "accessible names (strings)"))]
        super().__init__(names=names, alt=text("alt", alt), layout=w.Layout(display="none"))


def _items(name: str, value, what: str, kind: type | None = None) -> list:
    """``value`` as a list, checked to be a list or tuple (of ``kind`` instances when given)."""
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{name} must be a list of {what}, got {received(value)}")
    if kind is not None:
        for i, v in enumerate(value):
            instance(f"{name}[{i}]", v, kind, f"one of {what}")
    return list(value)


def _artists_of(fig: Figure, name: str, value) -> list[Artist]:
    """``value`` (a list of artists) checked to hold artists of ``fig`` only."""
    artists = _items(name, value, "artists of fig")
    strays = [a for a in artists if not isinstance(a, Artist) or a.get_figure(root=True) is not fig]
    if strays:
        raise ValueError(f"{name} must hold artists of fig, got {strays[0]!r}")
    return artists


class LiveFigure(w.VBox):
    """Controls, an optional status line, and a figure, updated together. The status line keeps the
    height of :data:`STATUS_LINES` lines and the figure its size and crop, so nothing on the page
    moves when the values change.

    Parameters
    ----------
    fig : Figure from :func:`new_figure`
    controls : widgets whose ``value`` feeds ``update``; each needs a ``description``-free key in
        ``names`` (the keyword it is passed as)
    names : keyword names for the controls, in the same order
    update : callable(**values) -> str | None; it changes the artists of ``fig`` in place and may
        return a one-line status (shown under the controls)
    title : what the app is, used for its plain-text form (stored notebook outputs)
    alt : callable() -> str, the alt text of the state ``update`` drew last (one to three sentences,
        :mod:`helpers.alt`), attached to ``fig`` after every update; None leaves the figure
        undescribed (a deck refuses it). :meth:`from_view` passes the view's ``alt``.
    labels : the controls' accessible names, in the same order (default: their descriptions, else
        ``names``)
    animated : every artist that ``update`` changes, in drawing order, then whatever a full draw
        puts over them where they can overlap (a frame, a legend, a label); or () to redraw the
        whole figure each time. Changes to anything else (other than axis limits) are not shown.
    rescaled : artists that change only when an axis limit changes (an Axis, a spine, a colour
        bar's Axes, a line in data coordinates), or seldom (a legend whose colours follow a
        control), in drawing order: a change of the x (y) limits of an axes whose x (y) axis, or
        the axes itself, is listed here, or a change of a listed Axes or legend, redraws the ones
        of that axes (in their region, over a background without them) instead of the whole
        figure. Drawn under every animated artist.
    """

    def __init__(self, fig: Figure, controls: Sequence[w.ValueWidget], names: Sequence[str],
                 update: Callable[..., str | None], title: str, animated: Sequence[Artist] = (),
                 rescaled: Sequence[Artist] = (), alt: Callable[[], str] | None = None,
                 labels: Sequence[str] | None = None):
        instance("fig", fig, Figure, "a Figure from new_figure")
        controls = _items("controls", controls, "ipywidgets controls", w.ValueWidget)
        names = [text(f"names[{i}]", n) for i, n in enumerate(_items("names", names, "keyword names (strings)"))]
        if len(controls) != len(names):
            raise ValueError(f"names must have one entry per control: controls has {len(controls)}, "
                             f"names has {len(names)}")
        function("update", update, "lambda power: f'power = {power}'")
        text("title", title)
        if alt is not None:
            function("alt", alt, "lambda: 'w^t against t: it falls to 1e-4 at t = 40'")
        if labels is None:
            labels = [getattr(c, "description", "") or n for c, n in zip(controls, names, strict=True)]
        labels = [text(f"labels[{i}]", x) for i, x in enumerate(_items("labels", labels, "accessible names (strings)"))]
        if len(labels) != len(controls):
            raise ValueError(f"labels must have one entry per control: controls has {len(controls)}, "
                             f"labels has {len(labels)}")
        self.alt_fn = alt
        self.fig = fig
        self.controls = dict(zip(names, controls, strict=True))
        self.update_fn = update
        self.title = title
        self.animated = _artists_of(fig, "animated", animated)
        self.rescaled = _artists_of(fig, "rescaled", rescaled)
        layered = self.animated + self.rescaled
        if layered and not isinstance(fig.canvas, FigureCanvasAgg):
            raise ValueError("fig must draw on an Agg canvas to blit (make it with new_figure), "
                             f"got {type(fig.canvas).__name__}")
        self._layered = {id(a) for a in layered}
        self._bare = self._background = self._background_key = None
        # The rescaled artists in groups, one per axes (None: the figure's own): a group is
        # redrawn when its axes' limits or its colour bar or legend changed, in its region only.
        self._groups: dict = {}
        for a in self.rescaled:
            self._groups.setdefault(a if isinstance(a, Axes) else a.axes, []).append(a)
        self._group_state: dict = {}
        self._regions: dict = {}
        for a in layered:
            a.set_animated(True)
        if layered:
            fig.canvas.mpl_connect("draw_event", self._on_draw)
        # The picture keeps its size and frame whatever the values: a patch over the whole figure
        # (drawn as nothing) makes a tight crop (bbox_inches="tight", as decks save it) the whole
        # figure in every state, so a text that grows or a mark that appears cannot resize it.
        frame = Rectangle((0, 0), 1, 1, transform=fig.transFigure, fill=False, linewidth=0, zorder=-10)
        fig.add_artist(frame)
        self.status = w.HTML(layout=w.Layout(min_height=STATUS_MIN_HEIGHT))
        self.access = Access(labels, title)
        rows = [w.HBox(list(controls[i:i + 3])) for i in range(0, len(controls), 3)]
        children = rows + [self.status]
        if isinstance(fig.canvas, w.DOMWidget):
            children.append(fig.canvas)
        children.append(self.access)
        super().__init__(children=children)
        for c in controls:
            c.observe(self._on_change, names="value")
        self.refresh()

    @classmethod
    def from_view(cls, view: View, controls: Controls, title: str, values: dict | None = None,
                  owner: str = "the live figure") -> LiveFigure:
        """The live figure of ``view`` with the widgets of ``controls``, starting at ``values``
        over the table's defaults (checked: :meth:`Controls.check`). The app keeps the view as
        ``app.view`` and the table as ``app.table``."""
        instance("controls", controls, Controls, "a Controls table (of Control rows)")
        if not all(hasattr(view, attr) for attr in ("fig", "animated", "update", "alt")):
            raise ValueError(f"view must have fig, animated, update and alt (a live figure's view: see "
                             f"helpers.livefig), got {received(view)}")
        text("title", title)
        values = controls.check(values, owner)
        app = cls(view.fig, controls.widgets(values), controls.names, view.update, title,
                  animated=view.animated, rescaled=getattr(view, "rescaled", ()), alt=view.alt,
                  labels=[c.accessible_name for c in controls])
        app.view, app.table = view, controls
        return app

    def values(self) -> dict:
        """The current value of every control, by keyword name."""
        return {k: c.value for k, c in self.controls.items()}

    def refresh(self) -> str | None:
        """Run the update for the current control values and redraw in place."""
        with _one_blas_thread():
            message = self.update_fn(**self.values())
        self.redraw()                             # the pixels go first, the status line after them
        self.status.value = f"<b>{message}</b>" if message else ""
        if self.alt_fn is not None:               # then what they show, for screen readers
            describe(self.fig, self.alt_fn())
        self.access.alt = self.alt or self.title
        return message

    @property
    def alt(self) -> str | None:
        """The alt text of the state shown now (:mod:`helpers.alt`), or None without ``alt``."""
        return alt_text(self.fig)

    def redraw(self) -> None:
        """Show the artists as they are now: blit the animated ones over the cached background
        while no axis limit changed; redraw the rescaled artists first if a limit they cover
        changed; draw everything if any other limit (or the size) changed."""
        canvas = self.fig.canvas
        if not self._layered:
            canvas.draw_idle()
            return
        if self._background is None or self._layout_key() != self._background_key:
            FigureCanvasAgg.draw(canvas)          # renders without sending; _on_draw adds the layers
        else:
            canvas.restore_region(self._background)
            self._redraw_rescaled(canvas)
            for a in self.animated:
                self.fig.draw_artist(a)
        # ipympl: send the new pixels now, but only once a browser view is connected. Until then
        # the view asks for a full draw when it connects, and ipympl 0.10 would store the frame
        # as a data URL without its "data:image/png;base64," prefix, which the view cannot load.
        if not getattr(canvas, "syncing_data_url", False):
            canvas.blit(self.fig.bbox)

    def _covered(self, ax) -> tuple[bool, bool]:
        """Whether a change of ax's x and y limits is drawn by layered artists (not a full draw)."""
        whole = id(ax) in self._layered
        return whole or id(ax.xaxis) in self._layered, whole or id(ax.yaxis) in self._layered

    def _limits(self, covered: bool) -> tuple:
        out = []
        for ax in self.fig.axes:
            cx, cy = self._covered(ax)
            out.append((ax.get_xlim() if cx == covered else None, ax.get_ylim() if cy == covered else None))
        return tuple(out)

    def _layout_key(self) -> tuple:
        """What the cached backgrounds depend on: size, resolution and every axis limit that no
        layered artist covers."""
        return self.fig.dpi, tuple(self.fig.bbox.bounds), self._limits(covered=False)

    def _group_key(self, owner) -> tuple:
        """What a group of rescaled artists shows: the limits of its axes that it covers, and
        whether its colour bar (an Axes) or legend (a key whose colours follow a control) changed
        since it was drawn."""
        limits = None
        if owner is not None:
            cx, cy = self._covered(owner)
            limits = (owner.get_xlim() if cx else None, owner.get_ylim() if cy else None)
        changed = tuple(a.stale if isinstance(a, Axes) else
                        any(h is not None and h.stale for h in a.legend_handles) or any(t.stale for t in a.texts)
                        for a in self._groups[owner] if isinstance(a, (Axes, Legend)))
        return limits, changed

    def _region(self, owner, renderer) -> Bbox:
        """The pixels a group of rescaled artists covers as they are now (with its axes' box, where
        an axis draws its ticks and grid), padded for antialiasing and halos."""
        boxes = [] if owner is None else [owner.bbox]
        for a in self._groups[owner]:
            box = a.get_tightbbox(renderer) if isinstance(a, (Axes, Axis)) else a.get_window_extent(renderer)
            if box is not None and np.all(np.isfinite(box.extents)):
                boxes.append(box)
        return Bbox.union(boxes).padded(3) if boxes else self.fig.bbox

    def _redraw_rescaled(self, canvas) -> None:
        """Redraw the groups of rescaled artists that changed, and any group whose region meets
        theirs, over the background without them (in their regions only); keep the result."""
        renderer = canvas.get_renderer()
        new = {g: self._region(g, renderer) for g in self._groups if self._group_key(g) != self._group_state[g]}
        if not new:
            return
        regions = {g: Bbox.union([self._regions[g], box]) for g, box in new.items()}
        grew = True
        while grew:                               # a group drawn over a restored region is redrawn too
            grew = False
            for g in self._groups:
                if g not in regions and any(self._regions[g].padded(1).overlaps(r) for r in regions.values()):
                    regions[g], grew = self._regions[g], True
        height = self.fig.bbox.height
        for r in regions.values():                # (rows counted from the top; xy: no shift)
            rows = int(np.floor(height - r.y1)), int(np.ceil(height - r.y0))
            canvas.restore_region(self._bare, bbox=(int(np.floor(r.x0)), rows[0], int(np.ceil(r.x1)), rows[1]),
                                  xy=(0, 0))
        for a in self.rescaled:
            if (a if isinstance(a, Axes) else a.axes) in regions:
                self.fig.draw_artist(a)
        self._regions.update(new)
        for g in regions:                         # (after measuring, which can mark a legend changed)
            self._group_state[g] = self._group_key(g)
        self._background = canvas.copy_from_bbox(self.fig.bbox)

    def _drawn_by_figure(self, a: Artist, saving: bool) -> bool:
        """Whether a full draw has drawn layered artist ``a`` already: an Axes draws its images
        even when animated, and every artist of its own while saving (a figure-level artist or an
        animated Axes it never draws)."""
        if isinstance(a, Axes) or a.axes is None:
            return False
        return isinstance(a, AxesImage) or saving

    def _on_draw(self, event) -> None:
        """After any full draw (ours, a resize or refresh from the browser, savefig): keep the
        background, then draw the rescaled artists, keep that too, then draw the animated ones."""
        canvas = self.fig.canvas
        saving = canvas.is_saving()
        if not saving:
            self._bare = canvas.copy_from_bbox(self.fig.bbox)
        for a in self.rescaled:
            if not self._drawn_by_figure(a, saving):
                a.draw(event.renderer)
        if not saving:
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._background_key = self._layout_key()
            self._regions = {g: self._region(g, event.renderer) for g in self._groups}
            self._group_state = {g: self._group_key(g) for g in self._groups}
        for a in self.animated:
            if not self._drawn_by_figure(a, saving):
                a.draw(event.renderer)

    def _on_change(self, _change) -> None:
        self.refresh()

    def png(self) -> bytes:
        """The figure as it is now, as PNG bytes."""
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", facecolor=self.fig.get_facecolor())     # opaque, whatever the rc
        return buf.getvalue()

    def __repr__(self) -> str:
        return f"<interactive: {self.title} (run the notebook to use the controls)>"

    def _repr_mimebundle_(self, **kwargs):
        """The widget view, its plain text and the PNG of its state; with the alt text of that
        state as the PNG's metadata (``{"image/png": {"alt": …}}``) when it has one."""
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        alt = self.alt
        return (bundle, {"image/png": {"alt": alt}}) if alt else bundle
