"""Valid calls of helpers.deck (see walk_calls/__init__.py)."""
from matplotlib.figure import Figure


def _figure():
    fig = Figure(figsize=(2.0, 1.5))
    fig.add_subplot().set_title("a title")
    return fig


CALLS = {
    "describe": lambda: {"fig": _figure()},
    "deck_dpi": lambda: {"fig": _figure()},
    "figure_png": lambda: {"fig": _figure(), "dpi": 40.0},
    "enable": dict,
}
