"""Seeded generators of the course's sequence tasks: the clue-to-answer corpus and the classic
long-range tasks (adding, copy the first symbol, temporal order).

Every generator is seeded (``numpy.random.default_rng(seed)``), vectorised over the batch of B
sequences, time-major and float64, and returns arrays ready for
:func:`helpers.rnn.rnn_loss_and_grads`:

- ``loss="mse"``: x (T, B, D), y (T, B, K), a row of NaN where a step has no target;
- ``loss="softmax"``: x (T, B, D), y (T, B) class ids, -1 where a step has no target.

Time is counted as in the whole course: the inputs are x_1 … x_T (h_0 is the initial state), and
arrays are 0-based, so ``x[t - 1]`` holds x_t and ``y[-1]`` is the target at the last step T.

Word ids here leave padding as -1 (one-hot rows of zeros, no target), because a task's
sequences are batched at their full length; :mod:`helpers.sequences` pads token lists of
different lengths with a ``<pad>`` word instead.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validate import as_float_array, choice, flag, positive_int, shape_str
from ._validate import seed as check_seed

# ----------------------------------------------------------------------------------------------
# The clue-to-answer corpus: "i grew up in france and … so i speak fluent french ."
# ----------------------------------------------------------------------------------------------
COUNTRY_LANGUAGE = {
    "france": "french", "spain": "spanish", "italy": "italian", "germany": "german",
    "japan": "japanese", "greece": "greek", "russia": "russian", "sweden": "swedish",
}
FILLERS = ("the", "weather", "was", "often", "cold", "we", "moved", "house",
           "my", "dog", "liked", "long", "walks", "rain", "came", "daily")
_HEAD = ("i", "grew", "up", "in")           # … then the country (the clue)
_TAIL = ("so", "i", "speak", "fluent")      # … then the language (the answer)
VOCAB = tuple(dict.fromkeys(_HEAD + ("and",) + _TAIL + (".",) + tuple(COUNTRY_LANGUAGE)
                            + tuple(COUNTRY_LANGUAGE.values()) + FILLERS))
WORD_ID = {w: i for i, w in enumerate(VOCAB)}
MIN_GAP = 5
"""Fewest tokens between clue and answer: "and", the fillers, then "so i speak fluent"."""
CORPUS_ARGS = {"n_sentences": 400, "gap_range": (5, 24), "seed": 2024}
"""The arguments of :func:`make_corpus` that produced the committed data/corpus.txt."""

_COUNTRY_IDS = np.array([WORD_ID[c] for c in COUNTRY_LANGUAGE])
_LANGUAGE_IDS = np.array([WORD_ID[lang] for lang in COUNTRY_LANGUAGE.values()])
_FILLER_IDS = np.array([WORD_ID[f] for f in FILLERS])


def _two_positions(rng: np.random.Generator, T: int, B: int) -> tuple[np.ndarray, np.ndarray]:
    """For each of B sequences, one array index in the first half [0, T//2) (steps t = 1 … T//2)
    and one in the second half [T//2, T) (steps t = T//2 + 1 … T)."""
    half = T // 2
    return rng.integers(0, half, size=B), rng.integers(half, T, size=B)


def _check_gap(gap, name: str = "gap") -> int:
    return positive_int(name, gap, minimum=MIN_GAP)


def make_corpus(n_sentences: int, gap_range: tuple[int, int], seed: int) -> list[str]:
    """Sentences whose last word is decided by a word ``gap`` tokens earlier.

    Each sentence reads ``i grew up in C and f_1 … f_m so i speak fluent L .`` where C is one of
    the countries of ``COUNTRY_LANGUAGE``, L its language, and f_1 … f_m filler words drawn
    uniformly from ``FILLERS``. The gap k, the number of tokens strictly between C and L, is
    m + 5 (m >= 0 fillers) and is drawn uniformly from ``gap_range``.

    Parameters
    ----------
    n_sentences : integer >= 1
    gap_range : (low, high) integers with MIN_GAP = 5 <= low <= high, both included
    seed : integer >= 0

    Returns
    -------
    list of n_sentences strings, tokens separated by single spaces.
    """
    n = positive_int("n_sentences", n_sentences)
    if not isinstance(gap_range, (tuple, list)) or len(gap_range) != 2:
        raise ValueError(f"gap_range must be a pair (low, high) of integers >= {MIN_GAP}; got {gap_range!r}")
    low, high = _check_gap(gap_range[0], "gap_range[0]"), _check_gap(gap_range[1], "gap_range[1]")
    if low > high:
        raise ValueError(f"gap_range must have low <= high; got {gap_range!r}")
    rng = np.random.default_rng(check_seed("seed", seed))
    countries = rng.integers(len(COUNTRY_LANGUAGE), size=n)
    n_fill = rng.integers(low, high + 1, size=n) - MIN_GAP
    fill = rng.integers(len(FILLERS), size=(n, high - MIN_GAP))
    names, languages, fillers = list(COUNTRY_LANGUAGE), list(COUNTRY_LANGUAGE.values()), np.array(FILLERS)
    return [" ".join(_HEAD + (names[c], "and") + tuple(fillers[f[:m]]) + _TAIL + (languages[c], "."))
            for c, m, f in zip(countries, n_fill, fill, strict=True)]


def _one_hot(ids: np.ndarray) -> np.ndarray:
    """(…) int ids, -1 for padding -> (…, V) float64, all zeros at padding."""
    return np.eye(len(VOCAB) + 1)[ids][..., :len(VOCAB)]


def encode(sentences: Sequence[str], one_hot: bool = True,
           targets: str = "answer") -> tuple[np.ndarray, np.ndarray]:
    """Turn sentences into time-major arrays for the RNN (softmax loss over ``VOCAB``).

    Sentences of different lengths are right-padded: padding steps have input id -1 (an all-zero
    one-hot row) and no target.

    Parameters
    ----------
    sentences : B strings of words from ``VOCAB`` separated by spaces
    one_hot : True for x (T, B, V) float64, False for x (T, B) int64 token ids
    targets : "answer": a target only at the step whose next word is the language (the step of
        "fluent"); "next": every step predicts the next word (a language model)

    Returns
    -------
    x (T, B, V) or (T, B), y (T, B) int64 with -1 where there is no target; T = longest sentence.
    """
    choice("targets", targets, ("answer", "next"))
    one_hot = flag("one_hot", one_hot)
    if not isinstance(sentences, (list, tuple)) or len(sentences) == 0:
        raise ValueError(f"sentences must be a non-empty list of strings; got {sentences!r:.60}")
    for b, s in enumerate(sentences):
        if not isinstance(s, str):
            raise ValueError(f"sentences[{b}] must be a string of words separated by spaces, got {s!r:.60}")
    tokens = [s.split() for s in sentences]
    for b, words in enumerate(tokens):
        unknown = [w for w in words if w not in WORD_ID]
        if unknown or not words:
            raise ValueError(f"sentences[{b}] must be non-empty and use only words of VOCAB; "
                             f"got unknown words {unknown}")
    T = max(len(words) for words in tokens)
    ids = np.full((len(tokens), T), -1, dtype=np.int64)
    for b, words in enumerate(tokens):
        ids[b, :len(words)] = [WORD_ID[w] for w in words]
    ids = ids.T                                                    # time-major (T, B)
    y = np.full_like(ids, -1)
    y[:-1] = ids[1:]
    if targets == "answer":
        y[~np.isin(y, _LANGUAGE_IDS)] = -1
    return (_one_hot(ids) if one_hot else ids), y


def decode(x) -> list[str]:
    """The inverse of :func:`encode` for inputs: x (T, B) ids or (T, B, V) one-hot -> B strings."""
    if np.ndim(x) == 3:
        x = as_float_array("x", x, ("T", "B", len(VOCAB)))
        ids = np.where(x.any(axis=2), x.argmax(axis=2), -1)
    else:
        ids = np.asarray(x)
        if ids.ndim != 2 or not np.issubdtype(ids.dtype, np.integer):
            want = shape_str(("T", "B", len(VOCAB)))
            raise ValueError(f"x must be int ids of shape (T, B) or one-hot of shape {want}; "
                             f"got dtype {ids.dtype}, shape {ids.shape}")
        if np.any((ids < -1) | (ids >= len(VOCAB))):
            raise ValueError(f"x must hold token ids in 0 … {len(VOCAB) - 1} (or -1 for padding); "
                             f"got values from {ids.min()} to {ids.max()}")
    return [" ".join(VOCAB[i] for i in col if i >= 0) for col in ids.T]


def clue_task(gap: int, B: int, seed: int, one_hot: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """A batch of corpus sentences with a fixed clue-to-answer gap, cut before the answer.

    Each sequence x_1 … x_T is ``i grew up in C and f_1 … f_m so i speak fluent`` (m = gap - 5
    fillers, T = gap + 5): the clue C is x_5 (array row ``x[4]``), the last input x_T is "fluent",
    and the network must name the language of C at the last step T, from h_T: many-to-one with a
    softmax over ``VOCAB``. The gap k = T - 5 is the number of steps from the clue to the answer.
    Chance is 1/8 (one of the eight languages); the task counts as learnt when the accuracy
    (:func:`accuracy`) on a fresh batch is >= 0.9.

    Parameters
    ----------
    gap : k, the tokens strictly between the clue and the answer, integer >= MIN_GAP = 5
    B : the number of sequences, integer >= 1
    seed : integer >= 0
    one_hot : True for x (T, B, V) float64, False for x (T, B) int64 ids

    Returns
    -------
    x (T, B, V) or (T, B) with T = gap + 5, y (T, B) int64: -1 except y[-1] (step T) = the
    language's id.
    """
    n_fill = _check_gap(gap) - MIN_GAP
    B = positive_int("B", B)
    one_hot = flag("one_hot", one_hot)
    rng = np.random.default_rng(check_seed("seed", seed))
    country = rng.integers(len(COUNTRY_LANGUAGE), size=B)
    fill = _FILLER_IDS[rng.integers(len(FILLERS), size=(n_fill, B))]
    head = np.array([WORD_ID[w] for w in _HEAD])
    tail = np.array([WORD_ID[w] for w in _TAIL])
    ids = np.concatenate([np.broadcast_to(head[:, None], (len(head), B)), _COUNTRY_IDS[country][None],
                          np.full((1, B), WORD_ID["and"]), fill,
                          np.broadcast_to(tail[:, None], (len(tail), B))]).astype(np.int64)
    y = np.full(ids.shape, -1, dtype=np.int64)
    y[-1] = _LANGUAGE_IDS[country]
    return (_one_hot(ids) if one_hot else ids), y


def adding_problem(T: int, B: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem: remember two marked numbers and output their sum at the end.

    Hochreiter & Schmidhuber (1997) introduced it; this is the variant of Arjovsky, Shah & Bengio
    (2016, "Unitary evolution RNNs"): channel 0 holds values drawn uniformly from [0, 1], channel
    1 is 0 except for two markers equal to 1, one at a uniform step of the first half
    (t = 1 … T//2, array rows below T // 2) and one in the second half (t = T//2 + 1 … T,
    possibly the last step T). The target is the sum of the two marked values, at the last step T
    only. (In the original, values lie in [-1, 1], both marked steps in the first half, and the
    target is scaled to [0, 1].)

    Success criterion: Le et al. (2015) and Arjovsky et al. (2016) ask for a test MSE well below
    :func:`adding_baseline_mse` = 1/6 ≈ 0.167, the error of always answering 1.0. The course calls
    it solved below a tenth of that (MSE < 1/60 ≈ 0.0167: 90 % of the variance of the sum
    explained). That threshold is a course convention, looser than Hochreiter & Schmidhuber's: a
    sequence counted as correct only if the absolute error on the target scaled to [0, 1] was below
    0.04 (below 0.08 on the sum here), and training stopped only once the 2000 most recent sequences
    were all correct. Mind the ½: :func:`helpers.rnn.rnn_loss_and_grads` reports ℓ = ½‖o - y‖², so
    its loss is MSE / 2 and the baseline reads 1/12 there.

    Parameters
    ----------
    T : sequence length, integer >= 2
    B : the number of sequences, integer >= 1
    seed : integer >= 0

    Returns
    -------
    x (T, B, 2) float64, y (T, B, 1) float64: NaN except y[-1, b, 0] (step T) = the sum (for loss="mse").
    """
    T = positive_int("T", T, minimum=2)
    B = positive_int("B", B)
    rng = np.random.default_rng(check_seed("seed", seed))
    values = rng.uniform(0.0, 1.0, size=(T, B))
    first, second = _two_positions(rng, T, B)
    markers = np.zeros((T, B))
    cols = np.arange(B)
    markers[first, cols] = 1.0
    markers[second, cols] = 1.0
    y = np.full((T, B, 1), np.nan)
    y[-1, :, 0] = values[first, cols] + values[second, cols]
    return np.stack([values, markers], axis=-1), y


def adding_baseline_mse() -> float:
    """MSE of the best constant answer to the adding problem: 1/6.

    The target S = U₁ + U₂ with U₁, U₂ independent and uniform on [0, 1] has mean 1 and variance
    2 · 1/12, so answering 1.0 every time gives E[(S - 1)²] = Var S = 1/6 ≈ 0.167, and no constant
    does better. (The helpers' loss ½‖o - y‖² of that answer is 1/12.)
    """
    return 2.0 / 12.0


def copy_first_symbol(T: int, B: int, seed: int, n_symbols: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Copy-the-first-symbol: name, at the last step T, the symbol x_1 shown at step 1.

    Every step shows one of ``n_symbols`` symbols one-hot, drawn uniformly; x_2 … x_T are
    distractors from the same alphabet, so the most recent input is of no help: the clue x_1 is
    k = T - 1 steps before the answer. Softmax target at the last step only. Chance is
    1/n_symbols (loss ln n_symbols for the best constant answer); the task counts as learnt when
    the accuracy (:func:`accuracy`) on a fresh batch is >= 0.9.

    Parameters
    ----------
    T : sequence length, integer >= 1; B : the number of sequences, integer >= 1; seed : integer >= 0
    n_symbols : alphabet size, integer >= 2

    Returns
    -------
    x (T, B, n_symbols) float64, y (T, B) int64: -1 except y[-1] (step T) = the symbol x_1
    (array row ``x[0]``).
    """
    T = positive_int("T", T)
    B = positive_int("B", B)
    n = positive_int("n_symbols", n_symbols, minimum=2)
    rng = np.random.default_rng(check_seed("seed", seed))
    symbols = rng.integers(n, size=(T, B))
    y = np.full((T, B), -1, dtype=np.int64)
    y[-1] = symbols[0]
    return np.eye(n)[symbols], y


def temporal_order(T: int, B: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Temporal order: report the order of two relevant symbols hidden among distractors.

    A simplified form of Hochreiter & Schmidhuber's (1997) task 6a. Six symbols, one-hot:
    X (0), Y (1) and the distractors a, b, c, d (2 … 5). Every step shows a distractor except two:
    one in the first half (t = 1 … T//2) and one in the second half (t = T//2 + 1 … T), each X
    or Y. At the last step T the class is 0 = XX, 1 = XY, 2 = YX, 3 = YY (2 · first + second). Chance is
    1/4; the task counts as learnt when the accuracy (:func:`accuracy`) on a fresh batch is >= 0.9.

    Parameters
    ----------
    T : sequence length, integer >= 2; B : the number of sequences, integer >= 1; seed : integer >= 0

    Returns
    -------
    x (T, B, 6) float64, y (T, B) int64: -1 except y[-1] = the class.
    """
    T = positive_int("T", T, minimum=2)
    B = positive_int("B", B)
    rng = np.random.default_rng(check_seed("seed", seed))
    symbols = rng.integers(2, 6, size=(T, B))
    first, second = _two_positions(rng, T, B)
    which = rng.integers(2, size=(2, B))
    cols = np.arange(B)
    symbols[first, cols] = which[0]
    symbols[second, cols] = which[1]
    y = np.full((T, B), -1, dtype=np.int64)
    y[-1] = 2 * which[0] + which[1]
    return np.eye(6)[symbols], y


def accuracy(o, y) -> float:
    """Fraction of steps with a target (y >= 0) where argmax o equals y.

    Parameters
    ----------
    o : (T, B, K) outputs (logits or probabilities), K >= 1; inf allowed (an output that
        overflowed), NaN refused; y : (T, B) int class ids, -1 = no target
    """
    o = as_float_array("o", o, ("T", "B", "K"), finite=False)
    if o.shape[2] == 0:
        raise ValueError(f"o must have K >= 1 class scores per step, got shape {o.shape}")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape != o.shape[:2]:
        raise ValueError(f"o has T = {o.shape[0]} steps and B = {o.shape[1]} sequences (shape {o.shape}) but "
                         f"y has shape {y.shape}; expected y of shape {shape_str(o.shape[:2])}, one class id "
                         "per output step")
    if y.shape != o.shape[:2] or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be integer class ids of shape {shape_str(o.shape[:2])}; "
                         f"got dtype {y.dtype}, shape {y.shape}")
    if np.any((y < -1) | (y >= o.shape[2])):
        raise ValueError(f"y must hold class ids 0 … {o.shape[2] - 1} (o has K = {o.shape[2]} class scores) or -1 "
                         f"for no target; got values from {y.min()} to {y.max()}")
    has_target = y >= 0
    if not has_target.any():
        raise ValueError("y has no target (every entry is -1); accuracy needs at least one")
    return float(np.mean(o.argmax(axis=-1)[has_target] == y[has_target]))
