"""Live figures: controls above a matplotlib figure that redraws in place.

In a notebook the figure is an ipympl canvas, so a slider change updates the artists and only the
pixels are sent (no new figure, no flicker). A live figure can name the artists an update changes
(``animated``): then a change redraws only those over a cached background (blitting), and the
whole figure only when an axis limit (and so the ticks) changed. Displayed, the app also carries a
PNG of its current state, which static exports (HTML slides, nbconvert) show in place of the widget.
"""
from __future__ import annotations

import base64
import io
from typing import Callable, Sequence

import ipywidgets as w
import matplotlib
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle

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
    animated : every artist that ``update`` changes, in drawing order, or () to redraw the whole
        figure each time. Changes to anything else (other than axis limits) are not shown.
    """

    def __init__(self, fig: Figure, controls: Sequence[w.ValueWidget], names: Sequence[str],
                 update: Callable[..., str | None], title: str, animated: Sequence[Artist] = ()):
        if len(controls) != len(names):
            raise ValueError(f"names must have one entry per control ({len(controls)}), got {len(names)}")
        self.fig = fig
        self.controls = dict(zip(names, controls))
        self.update_fn = update
        self.title = title
        self.animated = list(animated)
        strays = [a for a in self.animated if not isinstance(a, Artist) or a.get_figure(root=True) is not fig]
        if strays:
            raise ValueError(f"animated must hold artists of fig, got {strays[0]!r}")
        if self.animated and not isinstance(fig.canvas, FigureCanvasAgg):
            raise ValueError("fig must draw on an Agg canvas to blit (make it with new_figure), "
                             f"got {type(fig.canvas).__name__}")
        self._background, self._background_key = None, None
        for a in self.animated:
            a.set_animated(True)
        if self.animated:
            fig.canvas.mpl_connect("draw_event", self._on_draw)
        # The picture keeps its size and frame whatever the values: a patch over the whole figure
        # (drawn as nothing) makes a tight crop (bbox_inches="tight", as decks save it) the whole
        # figure in every state, so a text that grows or a mark that appears cannot resize it.
        frame = Rectangle((0, 0), 1, 1, transform=fig.transFigure, fill=False, linewidth=0, zorder=-10)
        fig.add_artist(frame)
        self.status = w.HTML(layout=w.Layout(min_height=STATUS_MIN_HEIGHT))
        rows = [w.HBox(list(controls[i:i + 3])) for i in range(0, len(controls), 3)]
        children = rows + [self.status]
        if isinstance(fig.canvas, w.DOMWidget):
            children.append(fig.canvas)
        super().__init__(children=children)
        for c in controls:
            c.observe(self._on_change, names="value")
        self.refresh()

    def values(self) -> dict:
        """The current value of every control, by keyword name."""
        return {k: c.value for k, c in self.controls.items()}

    def refresh(self) -> str | None:
        """Run the update for the current control values and redraw in place."""
        message = self.update_fn(**self.values())
        self.status.value = f"<b>{message}</b>" if message else ""
        self.redraw()
        return message

    def redraw(self) -> None:
        """Show the artists as they are now: blit the animated ones over the cached background
        while no axis limit changed, else draw everything."""
        canvas = self.fig.canvas
        if not self.animated:
            canvas.draw_idle()
            return
        if self._background is None or self._layout_key() != self._background_key:
            FigureCanvasAgg.draw(canvas)          # renders without sending; _on_draw adds the animated
        else:
            canvas.restore_region(self._background)
            for a in self.animated:
                self.fig.draw_artist(a)
        # ipympl: send the new pixels now, but only once a browser view is connected. Until then
        # the view asks for a full draw when it connects, and ipympl 0.10 would store the frame
        # as a data URL without its "data:image/png;base64," prefix, which the view cannot load.
        if not getattr(canvas, "syncing_data_url", False):
            canvas.blit(self.fig.bbox)

    def _layout_key(self) -> tuple:
        """What the cached background depends on: size, resolution and every axis limit."""
        return (self.fig.dpi, tuple(self.fig.bbox.bounds),
                tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.fig.axes))

    def _on_draw(self, event) -> None:
        """After any full draw (ours, a resize or refresh from the browser, savefig): keep the
        background, then draw the animated artists on it."""
        saving = self.fig.canvas.is_saving()
        if not saving:
            self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
            self._background_key = self._layout_key()
        for a in self.animated:
            # Axes.draw has drawn images already, and every artist of an axes while saving.
            if isinstance(a, AxesImage) or (saving and a.axes is not None):
                continue
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
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        return bundle
