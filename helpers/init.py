"""Making parameters: every weight the course starts from is made here, with one vocabulary.

Sizes are D (inputs per step), H (hidden units), K (outputs per step); ``scale`` multiplies the
recurrent matrix; ``init`` names its kind (one of :data:`INITS`); ``seed`` (an integer >= 0)
makes the draw repeatable. Every function returns float64 arrays in the course's layout
(weights as in the maths: W_xh (H, D), W_hh (H, H), b_h (H,), W_hy (K, H), b_y (K,)).

- :func:`recurrent_matrix`: W_hh alone (Gaussian, orthogonal or identity);
- :func:`rnn_params`: an RNN with an output layer, W_hh from :func:`recurrent_matrix`;
- :func:`example_problem`: a small RNN with data and targets, for gradient checks;
- :func:`clue_params`: an RNN sized for the clue task of :mod:`helpers.tasks`;
- :func:`lstm_params`: an LSTM with an output layer (keys W_x, W_h, b, W_hy, b_y);
- :func:`gru_params`: a GRU with an output layer (keys W_x, W_h, b_x, b_h, W_hy, b_y).

Echo-state reservoirs are not trained parameters; :func:`helpers.esn.make_reservoir` makes them.
"""
from __future__ import annotations

import numpy as np

from . import tasks
from ._validate import choice, positive_float, positive_int, real
from ._validate import seed as check_seed
from .lstm import gate_slice

INITS = ("gaussian", "orthogonal", "identity")


def recurrent_matrix(H: int, scale: float = 1.0, init: str = "gaussian", seed: int = 0) -> np.ndarray:
    """A recurrent weight matrix W_hh, (H, H), float64.

    init="gaussian": entries drawn from N(0, 1/H), times ``scale`` (spectral radius ≈ scale,
        largest singular value ≈ 2·scale for large H);
    init="orthogonal": a uniformly random orthogonal matrix times ``scale``: every singular value
        equals ``scale``, so ‖W_hh v‖ = scale · ‖v‖ for every v, and λ₁ and the spectral radius
        are both ``scale`` (lesson 04 shows that for other matrices the two differ);
    init="identity": ``scale`` · I (the IRNN of Le, Jaitly & Hinton, 2015).
    """
    H = positive_int("H", H)
    scale = positive_float("scale", scale)
    choice("init", init, INITS)
    seed = check_seed("seed", seed)
    if init == "identity":
        return scale * np.eye(H)
    if init == "orthogonal":
        Q, R = np.linalg.qr(np.random.default_rng(seed).standard_normal((H, H)))
        return scale * Q * np.sign(np.diag(R))      # sign fix: Q uniformly distributed (Haar)
    with np.errstate(over="ignore"):
        W = np.random.default_rng(seed).standard_normal((H, H)) * (scale / np.sqrt(H))
    _within_float64("scale", scale, W)
    return W


def _within_float64(name: str, value: float, *arrays: np.ndarray) -> None:
    """Raise ValueError unless every entry of ``arrays`` is finite: ``name`` times a normal draw
    overflowed float64, so no weights can be made at that ``value``."""
    if not all(np.all(np.isfinite(a)) for a in arrays):
        raise ValueError(f"{name} = {value:g} is too large: {name} times a normal draw overflows float64; "
                         f"use a smaller {name}")


def rnn_params(D: int, H: int, K: int, scale: float = 1.0, init: str = "gaussian", seed: int = 0) -> dict:
    """Parameters for :func:`helpers.rnn.rnn_loss_and_grads` with a chosen recurrent weight scale.

    W_hh = :func:`recurrent_matrix` (H, scale, init, seed); W_xh (H, D) entries N(0, 1/D) and
    W_hy (K, H) entries N(0, 1/H) from ``seed`` + 1; biases b_h (H,) and b_y (K,) zero.
    """
    D, H, K = positive_int("D", D), positive_int("H", H), positive_int("K", K)
    rng = np.random.default_rng(check_seed("seed", seed) + 1)
    return {"W_xh": rng.standard_normal((H, D)) / np.sqrt(D),
            "W_hh": recurrent_matrix(H, scale, init, seed),
            "b_h": np.zeros(H),
            "W_hy": rng.standard_normal((K, H)) / np.sqrt(H),
            "b_y": np.zeros(K)}


def example_problem(T: int = 6, B: int = 2, D: int = 3, H: int = 4, K: int = 2, scale: float = 1.0,
                    seed: int = 0):
    """A seeded RNN with an output layer and many-to-many regression targets.

    Returns (params, x, y): W_xh (H, D) ~ N(0, 1/D), W_hh (H, H) ~ N(0, scale²/H), b_h (H,) and b_y (K,)
    small, W_hy (K, H) ~ N(0, 1/H); x (T, B, D) ~ N(0, 1); y (T, B, K) ~ N(0, 1).
    """
    T, B, D, H, K = (positive_int(n, v) for n, v in zip("TBDHK", (T, B, D, H, K), strict=True))
    scale = positive_float("scale", scale)
    rng = np.random.default_rng(check_seed("seed", seed))
    with np.errstate(over="ignore"):
        params = {"W_xh": rng.normal(size=(H, D)) / np.sqrt(D),
                  "W_hh": rng.normal(size=(H, H)) * scale / np.sqrt(H),
                  "b_h": rng.normal(size=H) * 0.1,
                  "W_hy": rng.normal(size=(K, H)) / np.sqrt(H),
                  "b_y": rng.normal(size=K) * 0.1}
    _within_float64("scale", scale, params["W_hh"])
    return params, rng.normal(size=(T, B, D)), rng.normal(size=(T, B, K))


def clue_params(H: int, scale: float = 1.0, seed: int = 0) -> dict:
    """Initial parameters of a tanh RNN for the clue task (one-hot words in, a softmax over words out).

    W_xh (H, V) entries N(0, 1): every word, one-hot, moves the state by a vector of norm ≈ √H;
    W_hh (H, H) entries N(0, scale²/H), spectral radius ≈ ``scale``; W_hy (V, H) entries N(0, 1/H);
    b_h (H,), b_y (V,) zero. V = len(helpers.tasks.VOCAB).
    """
    H = positive_int("H", H)
    scale = positive_float("scale", scale)
    rng = np.random.default_rng(check_seed("seed", seed))
    V = len(tasks.VOCAB)
    with np.errstate(over="ignore"):
        params = {"W_xh": rng.standard_normal((H, V)),
                  "W_hh": rng.standard_normal((H, H)) * (scale / np.sqrt(H)),
                  "b_h": np.zeros(H),
                  "W_hy": rng.standard_normal((V, H)) / np.sqrt(H),
                  "b_y": np.zeros(V)}
    _within_float64("scale", scale, params["W_hh"])
    return params


def lstm_params(D: int, H: int, K: int, seed: int = 0, *, forget_bias: float = 1.0,
                scale: float | None = None) -> dict:
    """Parameters for an LSTM with an output layer: Gaussian weights, zero biases except the forget
    gate's, which starts at ``forget_bias`` so that f ≈ σ(forget_bias) keeps the cell at first
    (Gers et al., 2000; Jozefowicz, Zaremba & Sutskever, 2015 recommend 1).

    scale : standard deviation of W_x, W_h; None for 1/sqrt(D + H). W_hy uses 1/sqrt(H).
    Returns dict W_x (4H, D), W_h (4H, H), b (4H,), W_hy (K, H), b_y (K,): the four gates'
    weights stacked in the order of :data:`helpers.lstm.GATES` (i, f, o, g), so W_x, W_h and b
    play the parts of the RNN's W_xh, W_hh and b_h.
    """
    D, H, K = positive_int("D", D), positive_int("H", H), positive_int("K", K)
    rng = np.random.default_rng(check_seed("seed", seed))
    s = 1.0 / np.sqrt(D + H) if scale is None else positive_float("scale", scale)
    b = np.zeros(4 * H)
    b[gate_slice("f", H)] = real("forget_bias", forget_bias)
    params = {"W_x": rng.normal(0.0, s, (4 * H, D)), "W_h": rng.normal(0.0, s, (4 * H, H)), "b": b,
              "W_hy": rng.normal(0.0, 1.0 / np.sqrt(H), (K, H)), "b_y": np.zeros(K)}
    _within_float64("scale", s, params["W_x"], params["W_h"])
    return params


def gru_params(D: int, H: int, K: int, seed: int = 0, *, scale: float | None = None) -> dict:
    """Parameters for a GRU (:mod:`helpers.gru`) with an output layer: Gaussian weights, zero biases.

    scale : standard deviation of W_x, W_h; None for 1/sqrt(D + H), as :func:`lstm_params` (PyTorch's
        ``nn.GRU`` draws every weight and bias from the uniform U(−1/√H, 1/√H) instead; the course
        keeps one Gaussian rule for both gated cells). W_hy uses 1/sqrt(H).
    Returns dict W_x (3H, D), W_h (3H, H), b_x (3H,), b_h (3H,), W_hy (K, H), b_y (K,): the three
    gates' weights stacked in the order of :data:`helpers.gru.GATES` (r, z, n). W_x, W_h, then W_hy
    are drawn in that order from ``numpy.random.default_rng(seed)``.
    """
    D, H, K = positive_int("D", D), positive_int("H", H), positive_int("K", K)
    rng = np.random.default_rng(check_seed("seed", seed))
    s = 1.0 / np.sqrt(D + H) if scale is None else positive_float("scale", scale)
    params = {"W_x": rng.normal(0.0, s, (3 * H, D)), "W_h": rng.normal(0.0, s, (3 * H, H)),
              "b_x": np.zeros(3 * H), "b_h": np.zeros(3 * H),
              "W_hy": rng.normal(0.0, 1.0 / np.sqrt(H), (K, H)), "b_y": np.zeros(K)}
    _within_float64("scale", s, params["W_x"], params["W_h"])
    return params
