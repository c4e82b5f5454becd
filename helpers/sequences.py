"""Sequence utilities of lessons 01–02 (no plotting): tokens, vocabularies, one-hot and
bag-of-words vectors, padding to time-major batches, autocorrelation and a shuffle test for
"order carries information", naive forecasts on windows, and the exact response of an RNN's
states to a change in its first input ("memory fades"), with the small network of lesson 02's
memory-fade figures and the one-word verdict they print.

Windows of a series come from :func:`helpers.data.sliding_windows`; the corpus of the clue task
has its own encoder in :mod:`helpers.data`. The functions here work on any text or series.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ._validate import (
    as_float_array,
    check_dim,
    choice,
    function,
    optional_text,
    overflow_as_inf,
    positive_float,
    positive_int,
    real,
    received,
    row_norms,
    unit_scaled,
)
from ._validate import seed as check_seed
from .activations import ACTIVATIONS, Activation, get_activation
from .init import recurrent_matrix
from .rnn import check_rnn_inputs

PAD = "<pad>"
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lower-case word tokens; each punctuation mark is a token of its own.

    >>> tokenize("The movie is good.")
    ['the', 'movie', 'is', 'good', '.']
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {received(text)}")
    return _TOKEN_RE.findall(text.lower())


def _check_tokens(name: str, tokens) -> list[str]:
    if (isinstance(tokens, str) or not isinstance(tokens, (list, tuple))
            or not all(isinstance(t, str) for t in tokens)):
        raise ValueError(f"{name} must be a list of token strings (use tokenize(text)), got {tokens!r:.60}")
    return list(tokens)


def build_vocabulary(token_lists: Sequence[Sequence[str]], pad: str | None = PAD) -> dict[str, int]:
    """Map every distinct token to an index, in order of first appearance.

    Parameters
    ----------
    token_lists : list of token lists (e.g. ``[tokenize(s) for s in sentences]``)
    pad : the padding token, given index 0; None for no padding token

    Returns
    -------
    dict {token: index} with indices 0 … V-1.
    """
    if not isinstance(token_lists, (list, tuple)) or len(token_lists) == 0:
        raise ValueError(f"token_lists must be a non-empty list of token lists, got {received(token_lists)}")
    pad = optional_text("pad", pad)
    vocab: dict[str, int] = {} if pad is None else {pad: 0}
    for i, tokens in enumerate(token_lists):
        for tok in _check_tokens(f"token_lists[{i}]", tokens):
            vocab.setdefault(tok, len(vocab))
    return vocab


def token_ids(tokens: Sequence[str], vocab: Mapping[str, int]) -> np.ndarray:
    """(T,) int64 indices of ``tokens`` in ``vocab``; an unknown token raises ValueError."""
    tokens = _check_tokens("tokens", tokens)
    if not isinstance(vocab, Mapping):
        raise ValueError(f"vocab must be a dict {{token: index}} (from build_vocabulary), got "
                         f"{type(vocab).__name__}; check the order of the arguments: (tokens, vocab)")
    indices = list(vocab.values())
    if (not all(isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)) for i in indices)
            or sorted(indices) != list(range(len(vocab)))):
        raise ValueError(f"vocab must map its tokens to the indices 0 … V-1 (as build_vocabulary does), "
                         f"got the indices {received(indices)}")
    unknown = [t for t in tokens if t not in vocab]
    if unknown:
        raise ValueError(f"tokens contains words that are not in vocab: {unknown}")
    return np.array([vocab[t] for t in tokens], dtype=np.int64)


def one_hot(tokens: Sequence[str], vocab: Mapping[str, int]) -> np.ndarray:
    """(T, V) float64: row t is 1 at the index of token t and 0 elsewhere (V = len(vocab))."""
    ids = token_ids(tokens, vocab)
    out = np.zeros((ids.size, len(vocab)))
    out[np.arange(ids.size), ids] = 1.0
    return out


def bag_of_words(tokens: Sequence[str], vocab: Mapping[str, int]) -> np.ndarray:
    """(V,) float64 counts: entry v is how often token v occurs. The order of tokens is lost."""
    ids = token_ids(tokens, vocab)
    return np.bincount(ids, minlength=len(vocab)).astype(np.float64)


def pad_batch(sequences: Sequence[np.ndarray]):
    """Stack sequences of different lengths into one time-major batch, padded with zeros at the end.

    Parameters
    ----------
    sequences : B arrays of shape (T_b, D) (e.g. :func:`one_hot` of each sentence), T_b >= 1

    Returns
    -------
    x : (T, B, D) float64 with T = max T_b; x[t, b] = sequences[b][t] for t < T_b, else zeros
    mask : (T, B) bool, True where x holds a real step (False at padding)
    """
    if not isinstance(sequences, (list, tuple)) or len(sequences) == 0:
        raise ValueError("sequences must be a non-empty list of (T_b, D) arrays")
    arrays = [as_float_array(f"sequences[{b}]", s, ("T", "D")) for b, s in enumerate(sequences)]
    D = arrays[0].shape[1]
    for b, arr in enumerate(arrays):
        check_dim(f"sequences[{b}]", arr, 1, D, ("T", D))
        if arr.shape[0] == 0:
            raise ValueError(f"sequences[{b}] must have at least one step, got shape {arr.shape}")
    T = max(a.shape[0] for a in arrays)
    x = np.zeros((T, len(arrays), D))
    mask = np.zeros((T, len(arrays)), dtype=bool)
    for b, arr in enumerate(arrays):
        x[:arr.shape[0], b] = arr
        mask[:arr.shape[0], b] = True
    return x, mask


def lag_autocorrelation(series, lag: int = 1) -> float:
    """Pearson correlation between the series and itself shifted by ``lag`` steps.

    r = Σ (a_i − ā)(b_i − b̄) / sqrt(Σ (a_i − ā)² Σ (b_i − b̄)²) with a = series[:-lag],
    b = series[lag:]. Near 1: each value is close to the one ``lag`` steps before; near 0: no
    linear relation.

    Parameters
    ----------
    series : (N,) finite numbers, not constant, N >= lag + 2
    """
    series = as_float_array("series", series, ("N",))
    lag = positive_int("lag", lag)
    if series.size < lag + 2:
        raise ValueError(f"series must have at least lag + 2 = {lag + 2} values, got {series.size}")
    (series,), _ = unit_scaled([series])                     # its mean cannot overflow
    (a,), _ = unit_scaled([series[:-lag] - series[:-lag].mean()])   # r is the same for any positive
    (b,), _ = unit_scaled([series[lag:] - series[lag:].mean()])     # scale of a and of b
    denom = np.sqrt(np.sum(a * a) * np.sum(b * b))
    if denom == 0:
        raise ValueError("series must not be constant (its autocorrelation is undefined)")
    return float(np.sum(a * b) / denom)


def shuffled_statistic(series, statistic: Callable[[np.ndarray], float], n_shuffles: int = 1000,
                       seed: int = 0) -> np.ndarray:
    """``statistic`` of ``n_shuffles`` random reorderings of ``series``.

    Shuffling keeps every value and destroys the order, so comparing ``statistic(series)`` with
    these values shows how much of it comes from the order alone.

    Parameters
    ----------
    series : (N,) finite numbers
    statistic : callable (N,) -> float, e.g. :func:`lag_autocorrelation`
    n_shuffles : integer >= 1
    seed : integer >= 0 for ``numpy.random.default_rng``

    Returns
    -------
    (n_shuffles,) float64
    """
    series = as_float_array("series", series, ("N",))
    n = positive_int("n_shuffles", n_shuffles)
    seed = check_seed("seed", seed)
    function("statistic", statistic, "lag_autocorrelation (a function of one (N,) array)")
    rng = np.random.default_rng(seed)
    values = [statistic(rng.permutation(series)) for _ in range(n)]
    return as_float_array("statistic(series)", values, (n,), finite=False, nan=True)


def naive_forecast(inputs, method: str = "last") -> np.ndarray:
    """Predict the value after each window without learning anything.

    Parameters
    ----------
    inputs : (M, width) windows, as from :func:`helpers.data.sliding_windows`
    method : "last" (tomorrow = today: the window's last value) or "mean" (the window's mean)

    Returns
    -------
    (M,) float64 predictions.
    """
    choice("method", method, ("last", "mean"))
    inputs = as_float_array("inputs", inputs, ("M", "width"))
    if inputs.shape[1] == 0:
        raise ValueError(f"inputs must have shape (M, width) with width >= 1, got shape {inputs.shape}")
    return inputs[:, -1].copy() if method == "last" else inputs.mean(axis=1)


def _difference(act: Activation, z: np.ndarray, dz: np.ndarray) -> np.ndarray:
    """φ(z + dz) − φ(z), for the course's activations without cancellation (exact even when
    dz ≪ z); for any other φ the plain difference."""
    act_name = act.name if ACTIVATIONS.get(act.name) is act else None
    if act_name == "linear":
        return dz.copy()
    if act_name == "tanh":
        # tanh a − tanh b = sinh(a − b) / (cosh a cosh b); where cosh or sinh overflow (|z| > 710)
        # the plain difference has no cancellation left to fear
        exact = np.sinh(dz) / (np.cosh(z) * np.cosh(z + dz))
        return np.where(np.isfinite(exact), exact, np.tanh(z + dz) - np.tanh(z))
    if act_name == "sigmoid":
        # σ(a) − σ(b) = (tanh(a/2) − tanh(b/2)) / 2
        return 0.5 * _difference(ACTIVATIONS["tanh"], 0.5 * z, 0.5 * dz)
    if act_name == "relu":
        z_new = z + dz
        both_on = (z > 0) & (z_new > 0)
        return np.where(both_on, dz, np.maximum(z_new, 0.0) - np.maximum(z, 0.0))
    return act.f(z + dz) - act.f(z)


def perturbation_response(x, W_xh, W_hh, b_h, delta, activation: str | Activation = "tanh",
                          h0=None) -> np.ndarray:
    """How much every state changes when the first input changes by ``delta``.

    Runs the RNN on x and on x', which differ only in the first input: x'_1 = x_1 + delta (the
    array row x'[0] = x[0] + delta; arrays count from 0, steps from 1), and returns
    Δh_t = h'_t − h_t for t = 1 … T (the array row i holds step t = i + 1). The difference is
    propagated directly,
    Δz_1 = W_xh delta, Δz_t = W_hh Δh_{t-1}, Δh_t = φ(z_t + Δz_t) − φ(z_t),
    with φ(a) − φ(b) written in a form without cancellation, so Δh stays exact down to the
    smallest float64 numbers instead of drowning in round-off at about 1e-16 ‖h‖.

    Parameters
    ----------
    x : (T, B, D) inputs; W_xh (H, D), W_hh (H, H), b_h (H,)
    delta : (B, D) or (D,) change of the first input x_1 (the array row x[0])
    activation : "tanh", "sigmoid", "relu", "linear", or an Activation (its plain difference)
    h0 : (B, H) initial state, or None for zeros

    Returns
    -------
    (T, B, H) float64 Δh (row i holds Δh_{i+1}); its norm over the last axis is ‖Δh_t‖.
    """
    act = get_activation(activation)
    x, W_xh, W_hh, b_h = check_rnn_inputs(x, W_xh, W_hh, b_h)
    T, B, D = x.shape
    H = W_hh.shape[0]
    h_prev = np.zeros((B, H)) if h0 is None else as_float_array("h0", h0, (B, H))
    delta = np.broadcast_to(as_float_array("delta", delta, (D,) if np.ndim(delta) == 1 else (B, D)), (B, D))

    out = np.empty((T, B, H))
    with np.errstate(over="ignore", invalid="ignore"):
        dz = delta @ W_xh.T
        for t in range(T):
            z = x[t] @ W_xh.T + h_prev @ W_hh.T + b_h
            out[t] = _difference(act, z, dz)
            h_prev = act.f(z)
            dz = out[t] @ W_hh.T
    return overflow_as_inf(out)          # NaN only where the states overflowed (inf − inf): report inf


# ----------------------------------------------------------------------------------------------
# Lesson 02: the network of the memory-fade figures, and what happened to the change
# ----------------------------------------------------------------------------------------------

FADED = 1e-3
"""A change that ends below this fraction of its size at step 1 has faded."""
LINGERS = 0.1
"""A tanh change that ends at or above this fraction of its size at step 1 lingers."""


LARGEST_SCALE = 1e300
"""The largest ``scale`` and ``input_scale`` of :func:`memory_fade_network`: up to it the net inputs
z_t of its tanh network stay inside float64, so every ‖Δh_t‖ is exact (for linear, inf once the
change itself outgrows float64)."""


def _at_most(name: str, value, why: str) -> float:
    """``value`` as a float if it is a number in (0, :data:`LARGEST_SCALE`], else a ValueError
    naming ``name`` and saying ``why`` larger numbers cannot be used."""
    value = positive_float(name, value)
    if value > LARGEST_SCALE:
        raise ValueError(f"{name} must be at most {LARGEST_SCALE:g} ({why}), got {value:g}")
    return value


def memory_fade_network(scale: float, T: int = 50, H: int = 16, seed: int = 0,
                        input_scale: float = 1.0) -> dict[str, np.ndarray]:
    """The small random RNN of lesson 02's memory-fade figures, one input per step.

    From ``numpy.random.default_rng(seed)``, in this order: x (T, 1, 1) with N(0, 1) entries,
    W_xh (H, 1) = ``input_scale`` × N(0, 1) entries, b_h (H,) = 0.1 × N(0, 1) entries; then
    W_hh = :func:`helpers.init.recurrent_matrix` (H, scale, "orthogonal", seed + 1): ``scale``
    times a random orthogonal matrix, so that every singular value of W_hh equals ``scale``
    (= λ₁, and the spectral radius ρ too). ``input_scale`` < 1 makes the inputs weaker, so fewer
    tanh units saturate.

    Parameters
    ----------
    scale : λ₁ of W_hh, a number > 0 and at most :data:`LARGEST_SCALE` (1e300)
    T, H : steps and hidden units (T >= 2, H >= 1); seed : integer >= 0
    input_scale : factor on W_xh, a number > 0 and at most :data:`LARGEST_SCALE`

    Returns
    -------
    dict with x (T, 1, 1), W_xh (H, 1), W_hh (H, H), b_h (H,), float64: the keyword arguments of
    :func:`perturbation_response` (with ``delta``) and of :func:`helpers.rnn.rnn_forward`
    (with ``h0``).
    """
    scale = _at_most("scale", scale, "W_hh times the states would overflow float64 beyond it")
    T = positive_int("T", T, minimum=2)
    H = positive_int("H", H)
    seed = check_seed("seed", seed)
    input_scale = _at_most("input_scale", input_scale, "W_xh times the inputs would overflow float64 beyond it")
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((T, 1, 1))
    W_xh = input_scale * rng.standard_normal((H, 1))
    b_h = 0.1 * rng.standard_normal(H)
    return {"x": x, "W_xh": W_xh, "W_hh": recurrent_matrix(H, scale, "orthogonal", seed + 1), "b_h": b_h}


def memory_fade_norms(scale: float, activation: str = "tanh", T: int = 50, H: int = 16, seed: int = 0,
                      input_scale: float = 1.0) -> np.ndarray:
    """‖Δh_t‖ for t = 1 … T after the first input x_1 of :func:`memory_fade_network` changes by 1.

    Parameters
    ----------
    scale, T, H, seed, input_scale : as in :func:`memory_fade_network`
    activation : "tanh" or "linear"

    Returns
    -------
    (T,) float64: entry i is ‖Δh_{i+1}‖ (exact, :func:`perturbation_response`).
    """
    choice("activation", activation, ("tanh", "linear"))
    net = memory_fade_network(scale, T, H, seed, input_scale)
    return row_norms(perturbation_response(delta=np.ones(1), activation=activation, **net)[:, 0])


def fade_verdict(ratio: float, activation: str) -> str:
    """One word for what became of a change of the first input: ``ratio`` = ‖Δh_T‖ / ‖Δh_1‖.

    - "fades": ratio < :data:`FADED` (10⁻³), for either activation;
    - linear, where the change is exactly λ₁^(t−1) ‖Δh_1‖ for an orthogonal W_hh:
      "fades slowly" (ratio < 1), "keeps its size" (ratio = 1 within 0.1 %), "grows"
      (ratio up to 10³), "explodes" (above 10³);
    - tanh, whose states stay in [−1, 1], so the change can never exceed 2√H: "fades slowly"
      (ratio below :data:`LINGERS`, 0.1), else "lingers" (neither fades nor explodes).

    Parameters
    ----------
    ratio : a number >= 0
    activation : "tanh" or "linear"
    """
    choice("activation", activation, ("tanh", "linear"))
    ratio = real("ratio", ratio, minimum=0, finite=False)
    if ratio < FADED:
        return "fades"
    if activation == "tanh":
        return "fades slowly" if ratio < LINGERS else "lingers"
    if ratio < 0.999:
        return "fades slowly"
    if ratio <= 1.001:
        return "keeps its size"
    return "grows" if ratio <= 1e3 else "explodes"
