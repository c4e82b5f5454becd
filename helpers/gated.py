"""The numerics of lesson 07 (gated cells): how far back the gradient reaches in each cell, along
which path, and which unit keeps the clue of lesson 05's task.

Pure numerics (no plotting); :mod:`helpers.plots_gated` draws the results. Time is counted as in
the whole course: h_0 is the initial state, the inputs are x_1 … x_T, and array index t − 1 holds
step t. The gap k counts steps back from the last step T.

Gradient flow (:func:`gradient_flow`)
    For every model the same quantity, so that the cells can be compared like with like:
    ‖∂h_T/∂h_{T−k}‖₂ for k = 0 … T − 1, the total derivative through every path
    (:func:`helpers.rnn.jacobian_norms`, :func:`helpers.lstm.hidden_jacobian_norms`,
    :func:`helpers.gru.hidden_jacobian_norms`). Within the LSTM also the cell's ‖∂c_T/∂c_{T−k}‖₂
    (:func:`helpers.lstm.cell_jacobian_norms`) and the carousel alone, Π f
    (:func:`helpers.lstm.forget_products`); for the GRU its direct path, Π z
    (:func:`helpers.gru.update_products`).

The unit that keeps the clue (:func:`clue_unit`)
    In the clue task (:func:`helpers.tasks.clue_task`) the answer at step T is decided by the
    country at step 5. The unit that keeps it is defined here as the unit whose memory (the LSTM's
    cell c_t, the GRU's state h_t) separates the eight countries best all the way from the clue to
    the answer: the largest min over t = 5 … T of the correlation ratio (Pearson, 1905)

        η²_j(t) = Σ_c n_c (m_cj − m_j)² / Σ_b (v_bj − m_j)²,

    the share of the variance of unit j's value v_bj at step t over the batch that the country
    explains (m_cj: the mean over the n_c sequences of country c; m_j: the mean over all). η² = 1
    when the unit holds one value per country, 0 when it does not depend on the country. (At the
    answer step alone, several trained units reach η² ≈ 1; the minimum over the whole stretch asks
    which unit holds the clue from the moment it is read.)
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import gru, lstm, rnn
from ._validate import as_float_array, choice, positive_int, received

MODELS = {"tanh RNN": "tanh", "IRNN": "relu", "LSTM": None, "GRU": None}
"""The models of lesson 07 and, for the vanilla RNNs, their activation (as in :mod:`helpers.race`)."""

KEEPING_GATE = {"LSTM": "f", "GRU": "z"}
"""The gate that keeps a unit's content from step to step: the LSTM's forget gate f (c_t = f_t c_{t−1} + …),
the GRU's update gate z (h_t = z_t h_{t−1} + (1 − z_t) n_t)."""


@dataclass(frozen=True)
class Flow:
    """How far back the gradient reaches in one model on one batch (:func:`gradient_flow`).

    model : a key of :data:`MODELS`
    hidden : (T, B) ‖∂h_T/∂h_{T−k}‖₂ for the gap k = 0 … T − 1 and each sequence ([0] = 1)
    cell : (T, B) ‖∂c_T/∂c_{T−k}‖₂ for the LSTM; None for the others
    direct : (T, B, H) the direct path of each unit, ones at k = 0: the carousel Π f for the LSTM,
        Π z for the GRU; None for the vanilla RNNs
    """

    model: str
    hidden: np.ndarray
    cell: np.ndarray | None
    direct: np.ndarray | None


@dataclass(frozen=True)
class ClueUnit:
    """The unit that keeps the clue, and its keeping gate (:func:`clue_unit`).

    model : "LSTM" or "GRU"
    unit : index j of the unit (the one of largest ``separation``, unless it was given)
    separation : (H,) min over t = clue step … T of η² of every unit: the share of its memory's variance
        explained by the country, at the step where it is smallest
    gate : (T, B) the keeping gate of unit j (f for the LSTM, z for the GRU) at every step and sequence
    kept : (B,) the product of that gate from the step after the clue to the answer step (t = 6 … T in
        the clue task): how much of the clue the direct path alone carries to step T
    clue_step : the step of the clue (5 in the clue task)
    """

    model: str
    unit: int
    separation: np.ndarray
    gate: np.ndarray
    kept: np.ndarray
    clue_step: int = 5

    @property
    def gate_quartiles(self) -> np.ndarray:
        """(3, T): the lower quartile, the median and the upper quartile of the gate over the sequences."""
        return np.quantile(self.gate, [0.25, 0.5, 0.75], axis=1)

    @property
    def kept_quartiles(self) -> np.ndarray:
        """(3, T − clue_step + 1): quartiles over the sequences of the gate's running product from the clue,
        Π_{s=clue_step+1}^{t} gate_s for t = clue_step … T (1 at the clue step; ``kept`` at T)."""
        running = np.cumprod(np.concatenate([np.ones((1,) + self.gate.shape[1:]), self.gate[self.clue_step:]]), axis=0)
        return np.quantile(running, [0.25, 0.5, 0.75], axis=1)


def _forward(model: str, params: Mapping, x):
    """The forward cache of ``model`` with ``params`` on x (T, B, D), from a zero initial state."""
    if model == "LSTM":
        return lstm.lstm_outputs(params, x)[2]
    if model == "GRU":
        return gru.gru_outputs(params, x)[2]
    return rnn.rnn_outputs(params, x, activation=MODELS[model])[2]


def gradient_flow(model: str, params: Mapping, x) -> Flow:
    """Measure ‖∂h_T/∂h_{T−k}‖₂ (and the LSTM's and GRU's other paths) on a batch.

    Parameters
    ----------
    model : "tanh RNN", "IRNN" (vanilla RNNs with tanh and ReLU), "LSTM" or "GRU"
    params : the model's parameters with an output layer: W_xh, W_hh, b_h, W_hy, b_y (RNNs),
        W_x, W_h, b, W_hy, b_y (LSTM) or W_x, W_h, b_x, b_h, W_hy, b_y (GRU)
    x : (T, B, D) inputs; the run starts from zero states

    Returns
    -------
    :class:`Flow`; a norm that overflows float64 is inf (never NaN).
    """
    choice("model", model, tuple(MODELS))
    cache = _forward(model, params, x)
    if model == "LSTM":
        return Flow(model, lstm.hidden_jacobian_norms(cache), lstm.cell_jacobian_norms(cache),
                    lstm.forget_products(cache))
    if model == "GRU":
        return Flow(model, gru.hidden_jacobian_norms(cache), None, gru.update_products(cache))
    return Flow(model, rnn.jacobian_norms(cache), None, None)


def correlation_ratio(values, labels) -> np.ndarray:
    """η² of every unit: the share of the variance of its values over the batch that the labels explain.

    Parameters
    ----------
    values : (B, H) one value per sequence and unit
    labels : (B,) class of each sequence (integers)

    Returns
    -------
    (H,) η² in [0, 1]: Σ_c n_c (m_c − m)² / Σ_b (v_b − m)² per unit (0 for a unit whose value is the
    same on every sequence).
    """
    values = as_float_array("values", values, ("B", "H"))
    labels = _labels("labels", labels, values.shape[0], f"one per row of values, B = {values.shape[0]}")
    # η² does not change when a unit's values are scaled, so each unit is scaled to at most 1 first:
    # the squares below then neither overflow nor underflow.
    peak = np.abs(values).max(axis=0)
    v = values / np.where(peak > 0, peak, 1.0)
    mean = v.mean(axis=0)
    total = ((v - mean) ** 2).sum(axis=0)
    between = np.zeros_like(mean)
    for c in np.unique(labels):
        members = v[labels == c]
        between += len(members) * (members.mean(axis=0) - mean) ** 2
    # A unit with the same value on every sequence has total 0 up to round-off: no separation.
    constant = total <= 1e-24 * len(v)
    return np.where(constant, 0.0, np.minimum(between / np.where(constant, 1.0, total), 1.0))


def _labels(name: str, labels, B: int, why: str) -> np.ndarray:
    """``labels`` as a (B,) array of class ids, integers >= 0; ``why`` says what fixes B."""
    arr = labels if isinstance(labels, np.ndarray) else np.asarray(labels)
    if arr.dtype.kind not in "iu" or arr.shape != (B,) or (arr < 0).any():
        raise ValueError(f"{name} must hold {B} class ids, integers >= 0 ({why}); got {received(arr)}"
                         + (" with a negative id" if arr.dtype.kind in "iu" and (arr < 0).any() else ""))
    return arr


def clue_unit(model: str, params: Mapping, x, y, unit: int | None = None, clue_step: int = 5) -> ClueUnit:
    """The unit of an LSTM or a GRU that keeps the clue, and its keeping gate along every sequence.

    Parameters
    ----------
    model : "LSTM" or "GRU"
    params : the model's parameters (as for :func:`gradient_flow`)
    x : (T, B, D) a batch of the clue task; y : (T, B) its targets, the class at the last step
        (y[-1], one per sequence: the language, and so the country, of the clue)
    unit : None to pick the unit whose smallest η² from the clue on is largest (the module's definition),
        or the index of the unit to follow (e.g. the trained network's clue unit, followed back to its start)
    clue_step : the step of the clue (5 in :func:`helpers.tasks.clue_task`), 1 <= clue_step < T

    Returns
    -------
    :class:`ClueUnit`; the memory is c_t (LSTM) or h_t (GRU), from the clue step to T.
    """
    choice("model", model, tuple(KEEPING_GATE))
    cache = _forward(model, params, x)
    T, B, H = cache.h.shape
    y = y if isinstance(y, np.ndarray) else np.asarray(y)
    if y.shape != (T, B):
        raise ValueError(f"x has T = {T} steps and B = {B} sequences, so y must have shape ({T}, {B}); "
                         f"got {received(y)}")
    if T < 2:
        raise ValueError(f"x must have T >= 2 steps (a clue, then at least the answer step), got shape {cache.x.shape}")
    labels = _labels("y[-1]", y[-1], B, f"one per sequence of x, B = {B}")
    clue_step = positive_int("clue_step", clue_step, maximum=T - 1)
    memory = cache.c if model == "LSTM" else cache.h
    separation = np.min([correlation_ratio(m, labels) for m in memory[clue_step - 1:]], axis=0)
    j = int(np.argmax(separation)) if unit is None else positive_int("unit", unit, minimum=0, maximum=H - 1)
    gate = getattr(cache, KEEPING_GATE[model])[:, :, j]
    return ClueUnit(model, j, separation, gate, np.prod(gate[clue_step:], axis=0), clue_step)
