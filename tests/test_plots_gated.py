"""Lesson 07's figures (helpers.plots_gated) draw the numbers they are given, one colour per model,
gaps counted from 0 and steps from 1. (Warnings are errors in every test: see pyproject.toml.)"""
import numpy as np
import pytest

from helpers import plots_gated as pg
from helpers.alt import alt_text
from helpers.style import MODEL_COLORS


def _named(ax) -> dict:
    return {line.get_label(): line for line in ax.lines if not line.get_label().startswith("_")}


def test_flows_draw_each_panel_on_one_log_axis_in_the_models_colours(labels_in_mathtext):
    k = np.arange(6)
    lstm, gru = 0.5 ** k, np.r_[1.0, 0.9, 0.0, 0.5, np.inf, 0.3]
    fig = pg.plot_flows(k, {"at the start": {"LSTM": lstm, "GRU": gru}, "after training": {"tanh RNN": lstm}},
                        title="t", mark=4)
    labels_in_mathtext(fig)
    fig.canvas.draw()
    start, trained = fig.axes
    assert start.get_yscale() == "log" and start.get_shared_y_axes().joined(start, trained)
    assert [ax.get_title() for ax in fig.axes] == ["at the start", "after training"]
    assert start.get_xlabel().startswith("gap $k$")
    lines = _named(start)
    np.testing.assert_array_equal(lines["LSTM"].get_xdata(), k)
    np.testing.assert_array_equal(lines["LSTM"].get_ydata(), lstm)
    np.testing.assert_array_equal(lines["GRU"].get_xdata(), [0, 1, 3, 5])      # 0 and inf are left out
    assert lines["LSTM"].get_color() == MODEL_COLORS["LSTM"] and lines["GRU"].get_color() == MODEL_COLORS["GRU"]
    assert _named(trained)["tanh RNN"].get_color() == MODEL_COLORS["tanh RNN, Gaussian"]
    (clue,) = [line for line in start.lines if line.get_label() == "_clue"]
    np.testing.assert_array_equal(clue.get_xdata(), [4, 4])


def test_gate_traces_draw_the_gate_from_step_one_and_what_it_keeps_from_the_clue(labels_in_mathtext):
    q = np.array([[0.1, 0.2, 0.3, 0.4], [0.2, 0.5, 0.6, 0.9], [0.3, 0.6, 0.9, 1.0]])
    kept = np.array([[1.0, 0.3, 0.1], [1.0, 0.6, 0.5], [1.0, 0.9, 0.9]])
    fig = pg.plot_gate_traces({"LSTM, trained": q, "LSTM, at the start": q / 2},
                              {"LSTM, trained": kept, "LSTM, at the start": kept / 2}, clue_step=2, title="t")
    labels_in_mathtext(fig)
    fig.canvas.draw()
    gate_ax, kept_ax = fig.axes
    lines = _named(gate_ax)
    np.testing.assert_array_equal(lines["LSTM, trained"].get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(lines["LSTM, trained"].get_ydata(), q[1])
    assert lines["LSTM, trained"].get_color() == lines["LSTM, at the start"].get_color() == MODEL_COLORS["LSTM"]
    assert lines["LSTM, at the start"].get_linestyle() == "--"                   # the second of one colour
    faint = [line for line in gate_ax.lines if line.get_label().startswith("_") and line.get_alpha()]
    np.testing.assert_array_equal(faint[0].get_ydata(), q[0])
    np.testing.assert_array_equal(faint[1].get_ydata(), q[2])
    assert faint[0].get_color() == MODEL_COLORS["LSTM"] and faint[0].get_alpha() < 0.6
    (clue,) = [line for line in gate_ax.lines if line.get_label() == "_clue"]
    np.testing.assert_array_equal(clue.get_xdata(), [2, 2])
    kept_lines = _named(kept_ax)
    np.testing.assert_array_equal(kept_lines["LSTM, at the start"].get_xdata(), [2, 3, 4])   # from the clue to T
    np.testing.assert_array_equal(kept_lines["LSTM, at the start"].get_ydata(), kept[1] / 2)
    assert kept_ax.get_ylabel() == r"kept: gate$_{3} \cdots$ gate$_t$"


def test_bad_numbers_get_a_clear_error():
    k = np.arange(3)
    with pytest.raises(ValueError, match=r"panels\['a'\]\['LSTM'\] has shape \(2,\) but k has 3 points"):
        pg.plot_flows(k, {"a": {"LSTM": [1.0, 0.5]}}, title="t")
    with pytest.raises(ValueError, match=r"panels\['a'\]\['LSTM'\] must hold values from 0 to inf"):
        pg.plot_flows(k, {"a": {"LSTM": [1.0, -0.5, 0.2]}}, title="t")
    with pytest.raises(ValueError, match="panels must hold one or two panels, got 3"):
        pg.plot_flows(k, {n: {"LSTM": np.ones(3)} for n in "abc"}, title="t")
    kept = {"f": np.ones((3, 2))}
    with pytest.raises(ValueError, match=r"traces\['f'\] must hold values from 0 to 1"):
        pg.plot_gate_traces({"f": [[0.1, 0.2], [0.5, 0.6], [0.9, 1.2]]}, kept, clue_step=1, title="t")
    with pytest.raises(ValueError, match=r"traces\['f'\] must hold the lower quartile, the median"):
        pg.plot_gate_traces({"f": [[0.5, 0.2], [0.1, 0.6], [0.9, 1.0]]}, kept, clue_step=1, title="t")
    with pytest.raises(ValueError, match=r"traces\['g'\] has shape \(3, 3\) but"):
        pg.plot_gate_traces({"f": np.full((3, 2), 0.5), "g": np.full((3, 3), 0.5)}, kept, clue_step=1, title="t")
    with pytest.raises(ValueError, match=r"kept must have the labels of traces, \['f'\]"):
        pg.plot_gate_traces({"f": np.full((3, 2), 0.5)}, {"g": np.ones((3, 2))}, clue_step=1, title="t")
    with pytest.raises(ValueError, match=r"kept\['f'\] has shape \(3, 2\) but the steps from clue_step = 1"):
        pg.plot_gate_traces({"f": np.full((3, 3), 0.5)}, kept, clue_step=1, title="t")
    with pytest.raises(ValueError, match="clue_step must be an integer from 1 to 2"):
        pg.plot_gate_traces({"f": np.full((3, 3), 0.5)}, kept, clue_step=3, title="t")

def test_flows_alt_text_ranks_the_series_at_the_mark():
    k = np.arange(8.0)
    panels = {"start": {"LSTM": 0.9 ** k, "tanh RNN": 0.5 ** k}, "trained": {"LSTM": 0.99 ** k, "GRU": 0.8 ** k}}
    alt = alt_text(pg.plot_flows(k, panels, title="t", mark=5))
    assert "against the gap k = 0 … 7" in alt and "at k = 5 (clue)" in alt
    assert f"start: highest LSTM {0.9 ** 5:.2f}, lowest tanh RNN {0.5 ** 5:.2g}" in alt
    assert f"trained: highest LSTM {0.99 ** 5:.2f}, lowest GRU {0.8 ** 5:.2f}" in alt
