"""Valid calls of helpers.style (see walk_calls/__init__.py)."""
from matplotlib.figure import Figure


def _axes(log=False):
    ax = Figure().add_subplot()
    ax.plot([1, 2, 3], [1.0, 1e3, 1e6], label="LSTM")
    if log:
        ax.set_yscale("log")
    return ax


CALLS = {
    "use_course_style": lambda: {"deck": False},
    "font_sizes": lambda: {"fig": _axes().figure},
    "model_color": lambda: {"label": "LSTM, 16 units"},
    "series_styles": lambda: {"labels": ["LSTM", "truncate = 5"]},
    "reference_line": lambda: {"ax": _axes(), "value": 1.0, "label": "guessing", "inside": False, "vertical": False},
    "legend_in_line_order": lambda: {"ax": _axes()},
    "decade_ticks": lambda: {"ax": _axes(log=True), "max_ticks": 3},
    "halo": lambda: {"linewidth": 2.0, "color": "white"},
    "relative_luminance": lambda: {"color": "#0072B2"},
    "contrast_ratio": lambda: {"a": "#0072B2", "b": "white"},
    "text_color_on": lambda: {"background": "#0072B2"},
}
