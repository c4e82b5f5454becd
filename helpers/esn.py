"""Echo state networks (Jaeger, 2001): a fixed random tanh RNN, the reservoir, whose recurrent
weights are scaled to a chosen spectral radius; only the linear readout is trained, by ridge
regression, so no gradient ever travels back through time. (Jaeger fitted the readout by plain
linear regression; the ridge penalty is later common practice, e.g. Lukoševičius, 2012.)

The reservoir is the course's vanilla RNN (:func:`helpers.rnn.rnn_forward` with tanh), from the
initial state h_0, on inputs u_1 … u_T:
    h_t = tanh(W_in u_t + W h_{t-1} + b),   u (T, B, D), h (T, B, H), W_in (H, D), W (H, H), b (H,)
and the readout is y_t ≈ W_out [h_t; 1], W_out (K, H + 1). Arrays are 0-based: u[0] holds u_1 and
h[0] holds h_1.

Also here: the echo state property, tested by running the reservoir from several starts and
judged by the rate at which the runs converge (:func:`start_spread`, :func:`convergence`), and the
two forecasts an ESN must beat to be worth its reservoir (:func:`baseline_nrmse`: seasonal naive
and a linear autoregression).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_float_array,
    check_dim,
    check_targets,
    instance,
    mapping,
    non_empty,
    overflow_as_inf,
    positive_float,
    positive_int,
    real,
    scaled_norm,
    unit_scaled,
)
from ._validate import seed as check_seed
from .linalg import spectral_radius
from .rnn import rnn_forward


@dataclass(frozen=True)
class Reservoir:
    """A fixed reservoir: W_in (H, D), W (H, H) with spectral radius ``rho``, b (H,), all finite.

    Built by :func:`make_reservoir` and :func:`rescale`, which keep ``rho`` equal to W's spectral
    radius; one built by hand is checked for shapes and finite numbers (not for that radius, which
    would cost an eigendecomposition at every slider step).
    """

    W_in: np.ndarray
    W: np.ndarray
    b: np.ndarray
    rho: float

    def __post_init__(self):
        W = non_empty("W", as_float_array("W", self.W, ("H", "H")))
        H = W.shape[0]
        check_dim("W", W, 1, H, (H, H))
        W_in = non_empty("W_in", as_float_array("W_in", self.W_in, (H, "D")))
        checked = {"W_in": W_in, "W": W, "b": as_float_array("b", self.b, (H,)), "rho": positive_float("rho", self.rho)}
        for name, value in checked.items():
            object.__setattr__(self, name, value)


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
    input_scale, bias_scale : in (0, 1e300]; density : fraction of nonzero entries of W, in (0, 1]
    """
    H, D = positive_int("H", H), positive_int("D", D)
    seed = check_seed("seed", seed)
    rho = positive_float("rho", rho)
    input_scale = real("input_scale", input_scale, positive=True, maximum=1e300)
    bias_scale = real("bias_scale", bias_scale, positive=True, maximum=1e300)
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
    return Reservoir(W_in, _with_radius(W, radius, rho), b, rho)


def _with_radius(W: np.ndarray, radius: float, rho: float) -> np.ndarray:
    """W, of spectral radius ``radius``, rescaled to spectral radius ``rho`` (refused if that leaves float64)."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = W * (rho / radius)
    if not np.all(np.isfinite(out)):
        raise ValueError(f"rho must keep W within float64: scaled to spectral radius rho = {rho:g}, an entry of W "
                         "overflows")
    return out


def _check_reservoir(res, name: str = "res") -> None:
    instance(name, res, Reservoir, "a Reservoir from make_reservoir")


def _targets(y, x_name: str, x: np.ndarray) -> np.ndarray:
    """y (T, B, K) checked against x (T, B, ·): the same steps and sequences (both named if not)."""
    check_targets(x, y, None, "K", x_name=x_name)
    return as_float_array("y", y, (x.shape[0], x.shape[1], "K"))


def _inputs(u, res: Reservoir, B: int | str = "B") -> np.ndarray:
    """u (T, B, D) for the reservoir ``res``, with at least one step and one sequence (named u)."""
    u = as_float_array("u", u, ("T", B, res.W_in.shape[1]))
    return non_empty("u", u, "at least one step and one sequence (T >= 1, B >= 1)")


def rescale(res: Reservoir, rho: float) -> Reservoir:
    """The same reservoir with W rescaled to spectral radius ``rho`` (W_in, b kept)."""
    _check_reservoir(res)
    rho = positive_float("rho", rho)
    return Reservoir(res.W_in, _with_radius(res.W, res.rho, rho), res.b, rho)


def reservoir_states(res: Reservoir, u, h0=None) -> np.ndarray:
    """Run the reservoir: states h (T, B, H) for inputs u (T, B, D), from h0 (B, H) (None: zeros)."""
    _check_reservoir(res)
    u = _inputs(u, res)
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
    minimises Σ ‖W_out [h_t; 1] − y_t‖² + ridge ‖W_out‖². The normal equations are solved directly
    when ridge ≥ 1e-12 ‖S‖²_F, far above their rounding errors (≈ 1e-16 ‖S‖²); a smaller ridge
    cannot lift a (nearly) singular SᵀS, and the same minimiser then comes from least squares on
    the stacked system [S; √ridge · I] W_outᵀ = [Y; 0] (the minimum-norm solution as ridge → 0).

    Parameters
    ----------
    states : (T, B, H); y : (T, B, K) targets; ridge > 0; washout : integer in [0, T)

    Returns
    -------
    W_out : (K, H + 1), the last column is the bias
    """
    states = as_float_array("states", states, ("T", "B", "H"))
    T, B, H = states.shape
    y = _targets(y, "states", states)
    ridge = positive_float("ridge", ridge)
    washout = positive_int("washout", washout, minimum=0)
    if washout >= T:
        raise ValueError(f"washout must be smaller than T = {T} (the steps of states), got {washout}")
    S = _design(states[washout:])
    Y = y[washout:].reshape(-1, y.shape[-1])
    if np.sqrt(ridge) >= 1e-6 * scaled_norm(S):
        A = S.T @ S + ridge * np.eye(H + 1)
        return np.linalg.solve(A, S.T @ Y).T
    stacked = np.vstack([S, np.sqrt(ridge) * np.eye(H + 1)])
    return np.linalg.lstsq(stacked, np.vstack([Y, np.zeros((H + 1, Y.shape[1]))]), rcond=None)[0].T


def readout(states, W_out) -> np.ndarray:
    """Predictions (T, B, K) = W_out [h_t; 1] for states (T, B, H) and W_out (K, H + 1)."""
    states = as_float_array("states", states, ("T", "B", "H"))
    T, B, H = states.shape
    if np.ndim(W_out) == 2 and np.shape(W_out)[1] != H + 1:
        raise ValueError(f"states have H = {H} units (shape {states.shape}), but W_out has shape {np.shape(W_out)}; "
                         f"expected W_out of shape (K, {H + 1}) (the last column is the bias)")
    W_out = as_float_array("W_out", W_out, ("K", H + 1))
    with np.errstate(over="ignore", invalid="ignore"):      # a prediction beyond float64: inf
        return overflow_as_inf(_design(states) @ W_out.T).reshape(T, B, W_out.shape[0])


def nrmse(prediction, target) -> float:
    """NRMSE, the normalised root mean squared error: √(mean (prediction − target)²) / std(target).

    0 is a perfect forecast; 1 is no better than always predicting the target's mean. Computed in
    units of powers of two (``_validate.unit_scaled``), so no square overflows or underflows; inf if the
    NRMSE exceeds float64 or the prediction holds inf (a diverged forecast). NaN is refused: no
    helper makes a NaN forecast (an overflow is inf), so one can only be a mistake.

    prediction, target : arrays of the same shape; target finite, with at least 2 different values
    """
    t = as_float_array("target", target, tuple("T" * np.ndim(target)))
    p = as_float_array("prediction", prediction, tuple("T" * np.ndim(prediction)), finite=False)
    if p.shape != t.shape:
        raise ValueError(f"prediction and target must have the same shape, got {p.shape} and {t.shape}")
    (t_s,), t_exp = unit_scaled([t])                        # t / 2^t_exp, exactly
    spread = np.std(t_s) if t.size >= 2 else 0.0
    if spread == 0:
        raise ValueError(f"target must vary to normalise the error by its standard deviation; got "
                         f"{t.size} value{'s' if t.size != 1 else ''} with standard deviation 0")
    with np.errstate(over="ignore"):                        # beyond float64: inf
        e = np.ldexp(p, -t_exp) - t_s                       # (p − t) / 2^t_exp
        (e_s,), e_exp = unit_scaled([e])
        return float(np.ldexp(np.sqrt(np.mean(e_s ** 2)), e_exp) / spread)


def state_distance(res: Reservoir, u, h0_a, h0_b) -> np.ndarray:
    """(T, B) ‖h_t − h'_t‖₂ for t = 1 … T (array index t − 1): two runs on the same inputs u (T, B, D)
    from the initial states h0_a and h0_b (B, H).

    The echo state property says the state forgets where it started: the distance shrinks to 0,
    whatever the two starts. A sufficient condition (Jaeger, 2001) is σ_max(W) = ‖W‖₂ < 1 for every
    input sequence, since tanh is 1-Lipschitz: ‖h_t − h'_t‖ ≤ ‖W‖₂ ‖h_{t−1} − h'_{t−1}‖. The rule of
    thumb ρ(W) < 1 is neither sufficient nor necessary once inputs drive the reservoir, so the
    property is checked by running copies from several starts (:func:`start_spread`,
    :func:`convergence`).
    """
    _check_reservoir(res)
    u = _inputs(u, res)
    shape = (u.shape[1], res.W.shape[0])
    h0_a, h0_b = as_float_array("h0_a", h0_a, shape), as_float_array("h0_b", h0_b, shape)
    return np.linalg.norm(reservoir_states(res, u, h0_a) - reservoir_states(res, u, h0_b), axis=-1)


def echo_starts(H: int, n: int = 20, seed: int = 0) -> np.ndarray:
    """(n, H) initial states for the echo-state test: h_0 = 0 first (the run a forecast uses), then
    n − 1 states uniform on [−1, 1]^H from ``seed``. Several starts, not two: where the reservoir
    has two input-driven attractors, two starts can land on the same one and hide the failure."""
    H, n = positive_int("H", H), positive_int("n", n, minimum=2)
    rng = np.random.default_rng(check_seed("seed", seed))
    return np.vstack([np.zeros((1, H)), rng.uniform(-1, 1, (n - 1, H))])


def start_spread(res: Reservoir, u, starts) -> tuple[np.ndarray, np.ndarray]:
    """Run the reservoir on one input sequence from each of several initial states at once.

    Parameters
    ----------
    res : the reservoir; u : (T, 1, D) one input sequence u_1 … u_T
    starts : (N, H) initial states, N >= 2 (:func:`echo_starts`)

    Returns
    -------
    h : (T, N, H) the N runs (h[:, 0] is the run from starts[0])
    d : (T,) d_t = max_i ‖h_t^(i) − h_t^(0)‖₂, how far the other runs still are from the first one at
        step t (array index t − 1): the echo state property makes it shrink to 0
    """
    _check_reservoir(res)
    H = res.W.shape[0]
    u = _inputs(u, res, 1)
    starts = as_float_array("starts", starts, ("N", H))
    if starts.shape[0] < 2:
        raise ValueError(f"starts must hold at least 2 initial states, got {starts.shape[0]}")
    h = reservoir_states(res, np.broadcast_to(u, (u.shape[0], starts.shape[0], u.shape[2])), starts)
    return h, np.linalg.norm(h[:, 1:] - h[:, :1], axis=-1).max(axis=1)


# How the several-start test is judged (:func:`convergence`): the distance counts as gone below
# FORGOTTEN (states of norm ~1 agree to float precision there); the per-step rate decides the rest.
FORGOTTEN = 1e-12
CONVERGES_BELOW = 0.99        # rate per step: the distance falls by 10× in fewer than 230 steps
STALLS_ABOVE = 0.997          # rate per step: it falls by less than 10× in 770 steps


@dataclass(frozen=True)
class Convergence:
    """The several-start test judged by its rate (:func:`convergence`).

    rate : the fitted factor per step of the distance d_t over the run (10 ** slope of log₁₀ d_t against t)
    late_rate : the same, fitted on the second half of those steps only (is it still shrinking?)
    fitted : (n,) the fitted line 10 ** (a + slope · t) at t = 1 … n, the steps it was fitted on
    forgotten_at : the first step t with d_t < FORGOTTEN, or None
    verdict : what the runs do: "converge", "converge slowly" or "do not converge"
    """

    rate: float
    late_rate: float
    fitted: np.ndarray
    forgotten_at: int | None
    verdict: str


def _slope(t: np.ndarray, log_d: np.ndarray) -> tuple[float, float]:
    """Least-squares slope and intercept of log_d against t."""
    t_mean = t.mean()
    slope = float(np.sum((t - t_mean) * (log_d - log_d.mean())) / np.sum((t - t_mean) ** 2))
    return slope, float(log_d.mean() - slope * t_mean)


def convergence(distance) -> Convergence:
    """Judge the echo state property from the distance d_t between runs from different starts
    (t = 1 … T; :func:`start_spread` or :func:`state_distance`), by the RATE at which it shrinks,
    not by its value at one step.

    The slope of log₁₀ d_t against t is fitted by least squares over the run, up to the first step
    where d_t < FORGOTTEN (past it only round-off is left): rate = 10 ** slope. The same fit on the
    second half of those steps gives late_rate, which tells a distance that keeps shrinking from
    one that dropped at first and then stalls. Verdicts:

    - "converge": d falls below FORGOTTEN, or rate < CONVERGES_BELOW and late_rate < STALLS_ABOVE;
    - "do not converge": late_rate >= STALLS_ABOVE (no longer shrinking by the end of the run);
    - "converge slowly": in between (shrinking, but by less than CONVERGES_BELOW a step).

    A fixed cut at one step would call a slow but steady convergence a failure. d_1 = 0 (the runs
    met at the first step: a reservoir whose W is negligible, inputs that saturate every unit, starts
    that do not differ) is the fastest convergence there is: rate = late_rate = 0, fitted = [0],
    forgotten at step 1.

    Parameters
    ----------
    distance : (T,) distances d_1 … d_T, finite, >= 0, T >= 4
    """
    d = as_float_array("distance", distance, ("T",))
    if d.size < 4 or np.any(d < 0):
        raise ValueError(f"distance must hold at least 4 distances, all >= 0; got {d.size} "
                         f"value{'s' if d.size != 1 else ''} starting {d[:3]}")
    if d[0] == 0:                                    # the runs met at once: shrunk by a factor 0
        return Convergence(0.0, 0.0, np.zeros(1), 1, "converge")
    gone = np.flatnonzero(d < FORGOTTEN)
    forgotten_at = int(gone[0]) + 1 if gone.size else None
    n = int(gone[0]) if gone.size else d.size
    if n >= 2:
        t = np.arange(1.0, n + 1)
        slope, intercept = _slope(t, np.log10(d[:n]))
        late = _slope(t[n // 2:], np.log10(d[n // 2:n]))[0] if n >= 4 else slope
    else:                                            # below FORGOTTEN at step 2: at least that fast
        t = np.arange(1.0, 2.0)
        slope = late = float(np.log10(FORGOTTEN / d[0]))
        intercept = float(np.log10(d[0])) - slope
    rate, late_rate = float(10.0 ** slope), float(10.0 ** late)
    if forgotten_at is not None or (rate < CONVERGES_BELOW and late_rate < STALLS_ABOVE):
        verdict = "converge"
    elif late_rate >= STALLS_ABOVE:
        verdict = "do not converge"
    else:
        verdict = "converge slowly"
    return Convergence(rate, late_rate, 10.0 ** (intercept + slope * t), forgotten_at, verdict)


@dataclass(frozen=True)
class EchoForecast:
    """One reservoir scaled to spectral radius ρ, run from several starts and read out (:func:`echo_forecast`).

    runs : (T, N, H) the runs from the N starts (runs[:, 0] from h_0 = 0); distance : (T,) as :func:`start_spread`
    echo : the several-start test judged by its rate (:func:`convergence`)
    prediction : (T, N, K) the readout fitted on the run from h_0 = 0, applied to every run
    error : test NRMSE of the run from h_0 = 0; error_other : (N − 1,) the same readout's on the other runs
    """

    runs: np.ndarray
    distance: np.ndarray
    echo: Convergence
    prediction: np.ndarray
    error: float
    error_other: np.ndarray


def echo_forecast(base: Reservoir, rho: float, u, y, starts, n_train: int, *, ridge: float = 1e-5,
                  washout: int = 50) -> EchoForecast:
    """Rescale ``base`` to spectral radius ``rho``, run it on u (T, 1, D) from every start (N, H),
    fit a ridge readout on the first ``n_train`` steps of the run from starts[0] (after ``washout``
    steps) against y (T, 1, K), and score it on the remaining steps of every run."""
    _check_reservoir(base, "base")
    res = rescale(base, rho)
    u = as_float_array("u", u, ("T", 1, res.W_in.shape[1]))
    y = _targets(y, "u", u)
    n_train = positive_int("n_train", n_train)
    if n_train >= u.shape[0]:
        raise ValueError(f"n_train must leave test steps: expected < {u.shape[0]} (the steps of u), got {n_train}")
    runs, distance = start_spread(res, u, starts)
    W_out = fit_readout(runs[:n_train, :1], y[:n_train], ridge=ridge, washout=washout)
    prediction = readout(runs, W_out)
    errors = np.array([nrmse(prediction[n_train:, i:i + 1], y[n_train:]) for i in range(runs.shape[1])])
    return EchoForecast(runs, distance, convergence(distance), prediction, float(errors[0]), errors[1:])


def change_forecast_problem(series, horizon: int, n_train: int):
    """Inputs and targets for forecasting how much a monthly series will change.

    u_t = (s_{t+1} − s_t − m) / σ, the standardised monthly change (m, σ from the first
    ``n_train`` changes only, so no test information leaks in), and the target at t is
    y_t = s_{t+1+horizon} − s_{t+1}: the change over the next ``horizon`` months, in the series'
    units. Predicting it needs the phase of the seasonal cycle, i.e. memory of past inputs.

    Parameters
    ----------
    series : (N,) finite numbers whose first ``n_train`` changes vary: their standard deviation must
        exceed 1e-12 of their largest |value| (else, a straight line up to rounding, there is nothing
        to standardise them by); horizon : integer >= 1; n_train : integer >= 2

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
    too_big = ValueError("series changes too much for float64: a change (or its standardised value) exceeds "
                         "float64's largest number; rescale the series")
    with np.errstate(over="ignore"):                        # changes beyond float64 are refused
        d = np.diff(s)[:T]
        y = s[1 + horizon:1 + horizon + T] - s[1:1 + T]
        if not (np.all(np.isfinite(d)) and np.all(np.isfinite(y))):
            raise too_big
        # in units of a power of two near the largest training change (``_validate.unit_scaled``): u
        # is bit for bit (d − mean) / std, and the squares inside std neither overflow nor underflow
        (train,), e = unit_scaled([d[:n_train]])            # the largest |training change| is in [0.5, 1)
        d_s = np.ldexp(d, -e)
        spread = np.std(train)
        peak = np.abs(train).max()
        if spread <= 1e-12 * peak:                          # (nearly) equal changes: a straight line
            raise ValueError(f"series must change by varying amounts: the standard deviation of its first "
                             f"n_train = {n_train} changes is {np.ldexp(spread, e):.3g}, at most 1e-12 of the "
                             f"largest of them ({np.ldexp(peak, e):.3g}), too little to standardise them by")
        u = (d_s - np.mean(train)) / spread
    if not np.all(np.isfinite(u)):
        raise too_big
    return u[:, None, None], y[:, None, None]


def seasonal_naive(y, period: int = 12) -> np.ndarray:
    """The seasonal-naive forecast: predict y_t by the value one period earlier, y_{t−period}.

    For the CO₂ change problem it says "the next 6 months will change CO₂ as the same 6 months did a
    year ago", which is known at time t. The first ``period`` steps have no forecast (NaN).

    Parameters
    ----------
    y : (T, B, K) targets; period : integer >= 1, < T

    Returns
    -------
    (T, B, K) forecasts, NaN for t <= period
    """
    y = as_float_array("y", y, ("T", "B", "K"))
    period = positive_int("period", period)
    if period >= y.shape[0]:
        raise ValueError(f"period must be smaller than T = {y.shape[0]} (the steps of y), got {period}")
    out = np.full_like(y, np.nan)
    out[period:] = y[:-period]
    return out


def lagged_inputs(u, lags: int) -> np.ndarray:
    """(T, B, lags · D): at step t the last ``lags`` inputs u_t, u_{t−1}, …, u_{t−lags+1} side by
    side (zeros before the first input). A ridge readout on these is a linear autoregressive
    model, AR(lags): an "ESN" whose reservoir is a plain delay line, the baseline an ESN must beat.

    Parameters
    ----------
    u : (T, B, D) inputs; lags : integer >= 1
    """
    u = as_float_array("u", u, ("T", "B", "D"))
    lags = positive_int("lags", lags)
    T = u.shape[0]
    out = np.zeros(u.shape[:2] + (lags * u.shape[2],))
    D = u.shape[2]
    for j in range(min(lags, T)):
        out[j:, :, j * D:(j + 1) * D] = u[:T - j]
    return out


def baseline_nrmse(u, y, n_train: int, *, period: int = 12, lags: int = 12, ridge: float = 1e-5) -> dict:
    """Test NRMSE (steps t > n_train) of the two forecasts an ESN should beat.

    - "seasonal naive": :func:`seasonal_naive` with ``period`` (nothing is fitted);
    - f"AR({lags})": a ridge readout (:func:`fit_readout`) on :func:`lagged_inputs`, fitted on the
      steps lags … n_train (where all its lags are real inputs).

    Parameters
    ----------
    u, y : (T, B, D), (T, B, K) as from :func:`change_forecast_problem`; n_train : integer in
    [lags + 2, T − 1]; period, lags : integers >= 1; ridge > 0

    Returns
    -------
    {"seasonal naive": float, "AR(12)": float} (the AR key names ``lags``)
    """
    u = as_float_array("u", u, ("T", "B", "D"))
    y = _targets(y, "u", u)
    period, lags = positive_int("period", period), positive_int("lags", lags)
    n_train = positive_int("n_train", n_train)
    if not lags + 2 <= n_train < u.shape[0]:
        raise ValueError(f"n_train must be in [lags + 2, T − 1] = [{lags + 2}, {u.shape[0] - 1}], got {n_train}")
    if period >= n_train:
        raise ValueError(f"period must be smaller than n_train = {n_train}, got {period}")
    naive = seasonal_naive(y, period)
    L = lagged_inputs(u, lags)
    W_out = fit_readout(L[:n_train], y[:n_train], ridge=ridge, washout=lags)
    return {"seasonal naive": nrmse(naive[n_train:], y[n_train:]),
            f"AR({lags})": nrmse(readout(L, W_out)[n_train:], y[n_train:])}


def compare_with_baselines(error: float, baselines: dict, *, margin: float = 0.05) -> str:
    """"better than", "as good as" or "worse than": an NRMSE against the baselines' NRMSEs.

    Better than: below the best baseline by more than ``margin`` (5 %: 0.95 × best); worse than:
    above the worst by more than ``margin`` (1.05 × worst); as good as: anywhere in between.
    """
    err = real("error", error, minimum=0)
    mapping("baselines", baselines, "positive NRMSEs, such as {'seasonal naive': 0.3}")
    values = np.array([real(f"baselines[{k!r}]", v, positive=True) for k, v in baselines.items()])
    margin = positive_float("margin", margin)
    if err < (1 - margin) * values.min():
        return "better than"
    if err > (1 + margin) * values.max():
        return "worse than"
    return "as good as"
