"""Echo state networks (Jaeger, 2001): a fixed random tanh RNN, the reservoir, whose recurrent
weights are scaled to a chosen spectral radius; only the linear readout is trained, by ridge
regression, so no gradient ever travels back through time.

The reservoir is the course's vanilla RNN (:func:`helpers.rnn.rnn_forward` with tanh):
    h_t = tanh(W_in u_t + W h_{t-1} + b),   u (T, B, D), h (T, B, H), W_in (H, D), W (H, H), b (H,)
and the readout is y_t ≈ W_out [h_t; 1], W_out (K, H + 1).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array, positive_float, positive_int
from .linalg import spectral_radius
from .rnn import rnn_forward


@dataclass(frozen=True)
class Reservoir:
    """A fixed reservoir: W_in (H, D), W (H, H) with spectral radius ``rho``, b (H,)."""

    W_in: np.ndarray
    W: np.ndarray
    b: np.ndarray
    rho: float


def make_reservoir(H: int, D: int, seed: int, *, rho: float = 0.9, input_scale: float = 1.0,
                   bias_scale: float = 0.2, density: float = 0.2) -> Reservoir:
    """A random sparse reservoir with a given spectral radius.

    W has about ``density`` · H² nonzero entries drawn from N(0, 1), then is rescaled so that its
    largest |eigenvalue| is exactly ``rho``; W_in and b are uniform on
    [-input_scale, input_scale] and [-bias_scale, bias_scale]. The same seed gives the same
    reservoir up to the scale of W, so a spectral-radius slider changes nothing else.

    Parameters
    ----------
    H : reservoir size; D : input size; seed : integer >= 0
    rho : ρ > 0, the target spectral radius (max |eigenvalue|) of W
    input_scale, bias_scale : > 0; density : fraction of nonzero entries of W, in (0, 1]
    """
    H, D = positive_int("H", H), positive_int("D", D)
    seed = positive_int("seed", seed, minimum=0)
    rho = positive_float("rho", rho)
    input_scale = positive_float("input_scale", input_scale)
    bias_scale = positive_float("bias_scale", bias_scale)
    density = positive_float("density", density)
    if density > 1:
        raise ValueError(f"density must be in (0, 1], got {density}")
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(H, H)) * (rng.random((H, H)) < density)
    radius = spectral_radius(W)
    if radius == 0:
        raise ValueError(f"the random W is nilpotent (spectral radius 0) at H={H}, density={density}; "
                         "raise density or H")
    W_in = rng.uniform(-input_scale, input_scale, size=(H, D))
    b = rng.uniform(-bias_scale, bias_scale, size=H)
    return Reservoir(W_in, W * (rho / radius), b, rho)


def _check_reservoir(res) -> None:
    if not isinstance(res, Reservoir):
        raise ValueError(f"res must be a Reservoir from make_reservoir, got {type(res).__name__}")


def rescale(res: Reservoir, rho: float) -> Reservoir:
    """The same reservoir with W rescaled to spectral radius ``rho`` (W_in, b kept)."""
    _check_reservoir(res)
    rho = positive_float("rho", rho)
    return Reservoir(res.W_in, res.W * (rho / res.rho), res.b, rho)


def reservoir_states(res: Reservoir, u, h0=None) -> np.ndarray:
    """Run the reservoir: states h (T, B, H) for inputs u (T, B, D), from h0 (B, H) (None: zeros)."""
    _check_reservoir(res)
    u = as_float_array("u", u, ("T", "B", res.W_in.shape[1]))
    H = res.W.shape[0]
    h0 = np.zeros((u.shape[1], H)) if h0 is None else h0
    h, _ = rnn_forward(u, h0, res.W_in, res.W, res.b, "tanh")
    return h


def _design(states: np.ndarray) -> np.ndarray:
    """(M, H + 1): the states of every (t, b) as rows, with a column of ones for the bias."""
    S = states.reshape(-1, states.shape[-1])
    return np.hstack([S, np.ones((S.shape[0], 1))])


def fit_readout(states, y, *, ridge: float = 1e-6, washout: int = 0) -> np.ndarray:
    """Ridge regression of targets on reservoir states: the only training an ESN does.

    W_out = Yᵀ S (SᵀS + ridge · I)⁻¹ with S the states (plus a ones column) of every step t >=
    ``washout`` (the first steps still remember the arbitrary initial state), so the readout
    minimises Σ ‖W_out [h_t; 1] − y_t‖² + ridge ‖W_out‖².

    Parameters
    ----------
    states : (T, B, H); y : (T, B, K) targets; ridge > 0; washout : integer in [0, T)

    Returns
    -------
    W_out : (K, H + 1), the last column is the bias
    """
    states = as_float_array("states", states, ("T", "B", "H"))
    T, B, H = states.shape
    y = as_float_array("y", y, (T, B, "K"))
    ridge = positive_float("ridge", ridge)
    washout = positive_int("washout", washout, minimum=0)
    if washout >= T:
        raise ValueError(f"washout must be smaller than T = {T}, got {washout}")
    S = _design(states[washout:])
    Y = y[washout:].reshape(-1, y.shape[-1])
    A = S.T @ S + ridge * np.eye(H + 1)
    return np.linalg.solve(A, S.T @ Y).T


def readout(states, W_out) -> np.ndarray:
    """Predictions (T, B, K) = W_out [h_t; 1] for states (T, B, H) and W_out (K, H + 1)."""
    states = as_float_array("states", states, ("T", "B", "H"))
    W_out = as_float_array("W_out", W_out, ("K", states.shape[2] + 1))
    T, B, _ = states.shape
    return (_design(states) @ W_out.T).reshape(T, B, -1)


def nrmse(prediction, target) -> float:
    """Root mean squared error divided by the standard deviation of the target (1 = no better than
    predicting the target's mean)."""
    t = as_float_array("target", target, tuple("T" * np.ndim(target)))
    p = as_float_array("prediction", prediction, t.shape, finite=False)
    spread = np.std(t)
    if t.size < 2 or spread == 0:
        raise ValueError(f"target must vary to normalise the error by its standard deviation; got "
                         f"{t.size} value{'s' if t.size != 1 else ''} with standard deviation {spread}")
    return float(np.sqrt(np.mean((p - t) ** 2)) / spread)


def state_distance(res: Reservoir, u, h0_a, h0_b) -> np.ndarray:
    """(T, B) ‖h_t − h'_t‖₂: two runs on the same inputs u (T, B, D) from different initial states.

    The echo state property says the state forgets where it started: the distance shrinks to 0.
    ρ(W) < 1 is the usual rule of thumb (for tanh and zero input, ‖W‖₂ < 1 guarantees it), but
    the property depends on the inputs too, so it is checked here by running the two copies.
    """
    return np.linalg.norm(reservoir_states(res, u, h0_a) - reservoir_states(res, u, h0_b), axis=-1)


def change_forecast_problem(series, horizon: int, n_train: int):
    """Inputs and targets for forecasting how much a monthly series will change.

    u_t = (s_{t+1} − s_t − m) / σ, the standardised monthly change (m, σ from the first
    ``n_train`` changes only, so no test information leaks in), and the target at t is
    y_t = s_{t+1+horizon} − s_{t+1}: the change over the next ``horizon`` months, in the series'
    units. Predicting it needs the phase of the seasonal cycle, i.e. memory of past inputs.

    Parameters
    ----------
    series : (N,) finite numbers; horizon : integer >= 1; n_train : integer >= 2

    Returns
    -------
    u : (T, 1, 1), y : (T, 1, 1) with T = N − 1 − horizon (time-major, one sequence)
    """
    s = as_float_array("series", series, ("N",))
    horizon = positive_int("horizon", horizon)
    n_train = positive_int("n_train", n_train, minimum=2)
    T = s.shape[0] - 1 - horizon
    if n_train > T:
        raise ValueError(f"series must have at least n_train + horizon + 1 = {n_train + horizon + 1} "
                         f"values, got {s.shape[0]}")
    d = np.diff(s)[:T]
    u = (d - d[:n_train].mean()) / d[:n_train].std()
    y = s[1 + horizon:1 + horizon + T] - s[1:1 + T]
    return u[:, None, None], y[:, None, None]
