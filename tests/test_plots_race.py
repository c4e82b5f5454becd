"""Tests of helpers.plots_race: the race's figure draws the numbers it is given, and refuses others."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from matplotlib.colors import to_hex

from helpers import race
from helpers.alt import alt_text
from helpers.plots_race import plot_race
from helpers.style import MODEL_COLORS


def _results(accuracy=None) -> race.RaceResults:
    cells = tuple(race.CELLS)
    rng = np.random.default_rng(0)
    accuracy = accuracy or {c: rng.uniform(0.1, 1.0, (3, 4)) for c in cells}
    return race.RaceResults(cells, np.array([5, 40, 80]), np.arange(4), accuracy, {c: 0.3 for c in cells},
                            {c: np.array([0.1, 0.3]) for c in cells}, np.array([20, 40]), 10,
                            {c: np.ones((2, 2)) for c in cells},
                            {"tanh RNN": 3721, "IRNN": 3721, "LSTM": 3751, "GRU": 3798}, {c: 8 for c in cells},
                            {"tanh RNN": 7.25, "IRNN": 5.0, "LSTM": 10.61, "GRU": 10.5})


def test_plot_race_draws_medians_seeds_costs_and_chance():
    r = _results()
    fig = plot_race(r, title="the race")
    ax = fig.axes[0]
    assert fig.get_size_inches()[1] <= 4.6
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[2] == "LSTM\n3,751 params · 10.6 ms/step"
    assert labels[0].startswith("tanh RNN (orthogonal)\n3,721 params · 7.2")          # 7.25 rounds to even
    colors = {"tanh RNN": MODEL_COLORS["tanh RNN, orthogonal"], "IRNN": MODEL_COLORS["IRNN"],
              "LSTM": MODEL_COLORS["LSTM"], "GRU": MODEL_COLORS["GRU"]}
    for cell in race.CELLS:
        mine = [line for line in ax.get_lines() if to_hex(line.get_color()) == to_hex(colors[cell])]
        medians = [line for line in mine if line.get_linestyle() == "-"]
        dots = np.concatenate([line.get_ydata() for line in mine if line.get_marker() == "o"])
        assert len(medians) == 1
        np.testing.assert_allclose(medians[0].get_ydata(), np.median(r.accuracy[cell], axis=1))
        np.testing.assert_allclose(np.sort(dots), np.sort(r.accuracy[cell].ravel()))
    chance = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(chance) == 1 and chance[0].get_ydata()[0] == 0.125
    assert [t.get_text() for t in ax.get_xticklabels()] == ["5", "40", "80"]
    assert ax.get_title() == "the race"


def test_plot_race_draws_the_committed_race():
    r = race.load_race()
    fig = plot_race(r)
    assert len(fig.axes[0].get_legend().get_texts()) == len(race.CELLS)


def test_plot_race_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError, match="results must be a RaceResults"):
        plot_race({"accuracy": {}})
    r = _results()
    with pytest.raises(ValueError, match="chance must be"):
        plot_race(r, chance=1.5)
    with pytest.raises(ValueError, match="title must be a string"):
        plot_race(r, title=None)


def test_no_race_results_the_figure_could_not_draw_can_be_made():
    """What plot_race draws is checked when the RaceResults is made: accuracies in [0, 1] of shape
    (gaps, seeds), and a parameter count and a finite time per step for every cell (the legend's)."""
    r = _results()
    for change, message in (
            ({"accuracy": {**r.accuracy, "GRU": np.full((3, 4), 1.2)}}, r"accuracy\['GRU'\] must hold accuracies in "
             r"\[0, 1\]"),
            ({"accuracy": {**r.accuracy, "LSTM": np.full((2, 4), 0.5)}}, r"accuracy\['LSTM'\] must have shape"),
            ({"parameters": {}}, "parameters must be a non-empty dict"),
            ({"ms_per_step": {**r.ms_per_step, "GRU": np.nan}}, r"ms_per_step\['GRU'\] contains NaN"),
            ({"cells": None}, "cells must be")):
        with pytest.raises(ValueError, match=message):
            dataclasses.replace(r, **change)

def test_race_alt_text_states_each_cells_median_at_the_longest_gap_and_its_cost():
    results = race.load_race()
    longest = int(np.argmax(results.gaps))
    alt = alt_text(plot_race(results))
    assert f"k = {results.gaps[longest]}:" in alt
    for cell, a in results.accuracy.items():
        assert f"{np.median(a[longest]):.2f} ({results.parameters[cell]:,} params, " \
               f"{results.ms_per_step[cell]:.1f} ms/step)" in alt, cell
