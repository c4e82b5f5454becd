"""Every slider of every live figure starts on its own grid.

A browser snaps a slider to min + k·step (in the exponent, for a log slider) as soon as it draws
it, and sends the snapped value back to the kernel: a starting value off the grid silently
changes the figure the moment it appears (the explorer's scale 0.5 used to become 0.501).
"""
import math

import ipywidgets as w
import numpy as np
import pytest

from helpers import data, widgets_cliff, widgets_esn, widgets_vanishing
from helpers import widgets_sequences as fw


def _figures():
    dates, co2, _ = data.load_co2()
    h = np.random.default_rng(0).uniform(-1, 1, (4, 2, 3))
    return {
        "gradient_explorer": lambda: widgets_vanishing.gradient_explorer(live=False),
        "gradient_explorer(scale=3)": lambda: widgets_vanishing.gradient_explorer(live=False, scale=3.0),
        "power_slider": lambda: fw.power_slider(live=False),
        "memory_fade": lambda: fw.memory_fade(live=False),
        "hidden_state_player": lambda: fw.hidden_state_player(h, [list("abcd"), list("abce")], ["A", "B"], live=False),
        "clipping_paths": lambda: widgets_cliff.clipping_paths(grid=20, live=False),
        "esn_explorer": lambda: widgets_esn.esn_explorer(co2, dates, H=20, live=False),
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
        assert widgets_vanishing.gradient_explorer(live=False, scale=nice).controls["scale"].value == nice
    snapped = widgets_vanishing.gradient_explorer(live=False, scale=3.0).controls["scale"].value
    assert snapped == pytest.approx(2 ** (48 / 30))


@pytest.mark.parametrize("name", list(_figures()))
def test_every_controls_table_starts_on_its_grid_already(name):
    """Checking a table's own defaults changes none of them (a default off its grid would be
    silently moved to the nearest step)."""
    table = _figures()[name]().table
    assert table.check() == table.defaults()


def test_a_starting_value_off_the_grid_is_rounded_and_one_out_of_range_is_refused():
    assert widgets_vanishing.gradient_explorer(live=False, amplitude=0.55).controls["amplitude"].value == 0.6
    with pytest.raises(ValueError, match=r"amplitude must be in \[0, 10\], got 12"):
        widgets_vanishing.gradient_explorer(live=False, amplitude=12)
