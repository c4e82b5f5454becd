"""Live figures: controls above a matplotlib figure that redraws in place.

In a notebook the figure is an ipympl canvas, so a slider change updates the artists and only the
pixels are sent (no new figure, no flicker). Displayed, the app also carries a PNG of its current
state, which static exports (HTML slides, nbconvert) show in place of the widget.
"""
from __future__ import annotations

import base64
import io
from typing import Callable, Sequence

import ipywidgets as w
import matplotlib
from matplotlib.figure import Figure

# Importing ipympl switches matplotlib's backend for the whole notebook (and a switch back after
# pyplot is loaded loses the inline display hook). Hold matplotlib.use still during the import:
# only the figures made by new_figure are live; every other figure stays inline.
_use = matplotlib.use
matplotlib.use = lambda *args, **kwargs: None
try:
    from ipympl.backend_nbagg import Canvas, FigureManager
finally:
    matplotlib.use = _use


def new_figure(live: bool = True, **kwargs) -> Figure:
    """A matplotlib Figure outside pyplot (never shown twice, never left open).

    live=True attaches an ipympl canvas (for notebooks); live=False keeps the Agg canvas, which
    tests and benchmarks use to draw without a browser.
    """
    fig = Figure(**kwargs)
    if not live:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

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
    """Controls, an optional status line, and a figure, updated together.

    Parameters
    ----------
    fig : Figure from :func:`new_figure`
    controls : widgets whose ``value`` feeds ``update``; each needs a ``description``-free key in
        ``names`` (the keyword it is passed as)
    names : keyword names for the controls, in the same order
    update : callable(**values) -> str | None; it changes the artists of ``fig`` in place and may
        return a one-line status (shown under the controls)
    title : what the app is, used for its plain-text form (stored notebook outputs)
    """

    def __init__(self, fig: Figure, controls: Sequence[w.ValueWidget], names: Sequence[str],
                 update: Callable[..., str | None], title: str):
        if len(controls) != len(names):
            raise ValueError(f"names must have one entry per control ({len(controls)}), got {len(names)}")
        self.fig = fig
        self.controls = dict(zip(names, controls))
        self.update_fn = update
        self.title = title
        self.status = w.HTML()
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
        self.fig.canvas.draw_idle()
        return message

    def _on_change(self, _change) -> None:
        self.refresh()

    def png(self) -> bytes:
        """The figure as it is now, as PNG bytes."""
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png")
        return buf.getvalue()

    def __repr__(self) -> str:
        return f"<interactive: {self.title} (run the notebook to use the controls)>"

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        return bundle
