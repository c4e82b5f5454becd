"""Pictures of the model (helpers.diagrams): the right nodes, arrows and labels for every kind of
sequence model, the unrolled and stacked RNN, and lesson 03's BPTT graph; labels clear of each
other and of the nodes."""
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from helpers import diagrams
from helpers.alt import alt_text


def _count(ax, kind):
    return sum(isinstance(p, kind) for p in ax.patches)


def _labels(ax):
    return [t.get_text() for t in ax.texts]


def test_sequence_model_kinds_draw_the_right_nodes_per_kind():
    fig = diagrams.draw_sequence_model_kinds()
    assert len(fig.axes) == 5
    # (inputs, hidden states, outputs) for one-to-one, one-to-many, many-to-one, many-to-many ×2
    expected = [(1, 1, 1), (1, 3, 3), (3, 3, 1), (3, 3, 3), (3, 5, 2)]
    for ax, (n_x, n_h, n_y), kind in zip(fig.axes, expected, diagrams.SEQUENCE_MODEL_KINDS, strict=True):
        labels = _labels(ax)
        assert sum(lbl.startswith("$x_") for lbl in labels) == n_x
        assert sum(lbl.startswith("$h_") for lbl in labels) == n_h
        assert sum(lbl.startswith(r"$\hat{y}_") for lbl in labels) == n_y
        assert _count(ax, FancyBboxPatch) == n_x + n_h + n_y
        # x→h, h→h (recurrence) and h→y arrows
        assert _count(ax, FancyArrowPatch) == n_x + (n_h - 1) + n_y
        assert ax.get_title() == kind[0]
        assert kind[4] in labels and kind[5] in labels      # shapes and example are written


def test_feedforward_vs_recurrent_only_the_recurrent_side_loops():
    fig = diagrams.draw_feedforward_vs_recurrent()
    ff, rnn = fig.axes
    assert _count(ff, FancyArrowPatch) == 2 and _count(rnn, FancyArrowPatch) == 3
    assert not any("W_{hh}" in t for t in _labels(ff))
    assert any("W_{hh}" in t for t in _labels(rnn))
    assert ff.get_title() and rnn.get_title()


@pytest.mark.parametrize("T", [1, 4, 6])
def test_unrolled_graph_shares_the_three_matrices_over_T_steps(T):
    fig = diagrams.draw_unrolled(T)
    unrolled = fig.axes[1]
    labels = _labels(unrolled)
    for name in ("W_{xh}", "W_{hh}", "W_{hy}"):
        assert sum(name in t for t in labels) == T
    assert _count(unrolled, FancyBboxPatch) == 3 * T + 1      # x, h, y per step, plus h_0
    assert str(T) in unrolled.get_title()


def test_stacked_rnn_has_two_hidden_rows():
    fig = diagrams.draw_stacked_rnn(3)
    ax = fig.axes[0]
    labels = _labels(ax)
    assert sum(t.startswith("$h^{(1)}") for t in labels) == 4   # h_0 … h_3
    assert sum(t.startswith("$h^{(2)}") for t in labels) == 4
    assert _count(ax, FancyBboxPatch) == 3 + 8 + 3


def test_stacked_rnn_labels_every_arrow_clear_of_the_others():
    """F4 of the review: every column labelled (the weights are shared over time), each label on a
    white box that overlaps no other label and no node."""
    fig = diagrams.draw_stacked_rnn(3)
    ax = fig.axes[0]
    weights = [t for t in ax.texts if t.get_text().startswith("$W")]
    assert len(weights) == 3 * 5                          # per step: x→h¹, h¹→h², h²→ŷ, and two along time
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in weights]
    nodes = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, FancyBboxPatch)]
    for i, box in enumerate(boxes):
        assert weights[i].get_bbox_patch().get_facecolor()[:3] == (1.0, 1.0, 1.0)
        assert not any(box.overlaps(other) for other in boxes[i + 1:] + nodes), weights[i].get_text()


def test_bptt_graph_draws_every_node_and_both_arrow_kinds():
    fig = diagrams.draw_bptt_graph(3)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = {t.get_text() for t in ax.texts}
    for t in (1, 2, 3):
        assert {f"$x_{{{t}}}$", f"$h_{{{t}}}$", f"$o_{{{t}}}$", f"$\\ell_{{{t}}}$"} <= labels
    assert "$h_0$" in labels
    styles = {p.get_linestyle() for p in ax.patches}
    assert "--" in styles and "-" in styles                       # forward and gradient arrows
    assert len(ax.patches) == 3 * 4 + 3 * 2                         # 4 forward + 2 backward per step
    with pytest.raises(ValueError, match="T must be at most 6"):
        diagrams.draw_bptt_graph(7)


def test_diagrams_reject_bad_T():
    with pytest.raises(ValueError, match="T must be an integer >= 1, got 0"):
        diagrams.draw_unrolled(0)
    with pytest.raises(ValueError, match="T must be at most 8"):
        diagrams.draw_stacked_rnn(9)

@pytest.mark.parametrize("T, steps, chain, every", [
    (1, "1 step", "h_0 → h_1 along 1 W_hh arrow,", "its one step"),
    (2, "2 steps", "h_0 → h_1 → h_2 along 2 W_hh arrows", "both steps"),
    (3, "3 steps", "h_0 → h_1 → h_2 → h_3 along 3 W_hh arrows", "all 3 steps"),
    (6, "6 steps", "h_0 → h_1 → … → h_6 along 6 W_hh arrows", "all 6 steps"),
])
def test_diagrams_alt_text_states_the_T_drawn_in_words_that_fit_it(T, steps, chain, every):
    unrolled = alt_text(diagrams.draw_unrolled(T))
    assert f"unrolled over T = {steps}: {chain}" in unrolled
    assert f"the same three matrices at {every}." in unrolled
    stacked = alt_text(diagrams.draw_stacked_rnn(T))
    assert f"T = {steps}," in stacked and stacked.endswith(f"the same at {every}.")
    bptt = alt_text(diagrams.draw_bptt_graph(T))
    assert f"T = {steps} with its losses" in bptt and f"the shared W_hh sits on {every}," in bptt
    # h_T has no h_(T+1): with one step no h_t gets gradient from a later state.
    assert ("from h_(t+1)" in bptt) == (T > 1)
    if T > 1:
        assert f"for t < {T}, from h_(t+1) too" in bptt
    for alt in (unrolled, stacked, bptt):
        assert " 1 steps" not in alt and "all 1 " not in alt and "all 2 " not in alt


def test_sequence_model_kinds_alt_text_has_a_clause_per_panel():
    alt = alt_text(diagrams.draw_sequence_model_kinds())
    assert alt.startswith(f"{len(diagrams.SEQUENCE_MODEL_KINDS)} diagrams")
    for clause in ("one to one 1 → 1", "one to many 1 → 3", "many to one 3 → 1", "many to many (equal lengths) 3 → 3",
                   "many to many (unequal lengths) 3 → 2, e.g. translation"):
        assert clause in alt
