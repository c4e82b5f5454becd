"""Valid calls of helpers.alt (see walk_calls/__init__.py)."""
from matplotlib.figure import Figure


def _figure():
    fig = Figure(figsize=(2.0, 1.5))
    fig.add_subplot().plot([0, 1], [1, 0])
    return fig


CALLS = {
    "describe": lambda: {"fig": _figure(), "alt": "A line falls from 1 to 0."},
    "alt_text": lambda: {"fig": _figure()},
    "png_metadata": lambda: {"fig": _figure()},
    "enable": dict,
    "png_formatter": dict,
}
CALLS.update({
    "number": lambda: {"x": 2.04e-49, "digits": 2},
    "plain": lambda: {"label": r"$\|\partial h_T\|$"},
})
