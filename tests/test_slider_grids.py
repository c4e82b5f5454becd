"""Every slider of every live figure starts on its own grid.

A browser snaps a slider to min + k·step (in the exponent, for a log slider) as soon as it draws
it, and sends the snapped value back to the kernel: a starting value off the grid silently
changes the figure the moment it appears (the explorer's scale 0.5 used to become 0.501).
"""
import math

import ipywidgets as w
import numpy as np
import pytest

from helpers import data, forward_widgets as fw, remedies_widgets as rw, widgets


def _figures():
    dates, co2, _ = data.load_co2()
    h = np.random.default_rng(0).uniform(-1, 1, (4, 2, 3))
    return {
        "gradient_explorer": lambda: widgets.gradient_explorer(live=False),
        "gradient_explorer(scale=3)": lambda: widgets.gradient_explorer(live=False, scale=3.0),
        "power_slider": lambda: fw.power_slider(live=False),
        "memory_fade": lambda: fw.memory_fade(live=False),
        "hidden_state_player": lambda: fw.hidden_state_player(h, [list("abcd"), list("abce")], ["A", "B"], live=False),
        "clipping_paths": lambda: rw.clipping_paths(live=False),
        "esn_explorer": lambda: rw.esn_explorer(co2, dates, N=20, live=False),
    }


def _steps_from_min(slider) -> float:
    """How many steps the value lies above the slider's minimum (an integer when on the grid)."""
    if isinstance(slider, w.FloatLogSlider):
        return (math.log(slider.value, slider.base) - slider.min) / slider.step
    return (slider.value - slider.min) / slider.step


@pytest.mark.parametrize("name", list(_figures()))
def test_every_slider_starts_on_its_grid(name):
    app = _figures()[name]()
    sliders = {k: c for k, c in app.controls.items() if isinstance(c, (w.FloatSlider, w.FloatLogSlider, w.IntSlider))}
    assert sliders, f"{name} has no slider"
    for key, slider in sliders.items():
        k = _steps_from_min(slider)
        assert abs(k - round(k)) < 1e-9, f"{name}: {key} = {slider.value!r} is {k:.4f} steps above the minimum"


def test_explorer_rounds_a_starting_scale_to_the_slider_and_keeps_the_nice_ones():
    for nice in (0.5, 1.0, 2.0, 4.0):
        assert widgets.gradient_explorer(live=False, scale=nice).controls["scale"].value == nice
    assert widgets.gradient_explorer(live=False, scale=3.0).controls["scale"].value == pytest.approx(2 ** (48 / 30))
