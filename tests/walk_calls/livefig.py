"""Valid calls of helpers.livefig (see walk_calls/__init__.py)."""
import ipywidgets as w

from helpers.livefig import Control, new_figure


def _live():
    fig = new_figure(live=False, figsize=(2.0, 1.5), dpi=30)
    ax = fig.add_subplot()
    (line,) = ax.plot([0.0, 1.0], [0.0, 1.0])
    return {"fig": fig, "controls": [w.FloatSlider(value=1.0, min=0.5, max=2.0)], "names": ["power"],
            "update": lambda power: f"power = {power}", "title": "a demo", "animated": [line, ax.title],
            "rescaled": [ax.yaxis], "alt": lambda: "a line from (0, 0) to (1, 1)", "labels": ["power p"]}


CALLS = {
    "new_figure": lambda: {"live": False},
    "Control": lambda: {"name": "lr", "kind": "slider", "default": 0.5, "range": (0.1, 1.0), "step": 0.1,
                        "options": (), "description": "learning rate", "base": 10.0, "readout_format": ".2f",
                        "width": "300px", "description_width": "90px", "button_width": "60px",
                        "label": "learning rate η"},
    "Controls": lambda: {"controls": (Control("lr", "slider", 0.5, range=(0.1, 1.0), step=0.1),
                                      Control("init", "dropdown", "gaussian", options=("gaussian", "orthogonal")))},
    "LiveFigure": _live,
    "Access": lambda: {"names": ["weight w"], "alt": "w^t falls to 1e-4 at t = 40"},
}
