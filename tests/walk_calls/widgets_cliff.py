"""Valid calls of helpers.widgets_cliff (see walk_calls/__init__.py)."""

CALLS = {
    "clipping_paths": lambda: {"start": (5.0, -4.0), "steps": 4, "w_range": (2.0, 8.0), "b_range": (-6.0, 1.0),
                               "grid": 4, "live": False},
}
