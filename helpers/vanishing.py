"""Vanishing and exploding gradients in numbers: the bound (γλ₁)^k, spectra, phase diagrams.

Pure numerics (no plotting). Notation of the course, with the maths' time index: the states
h_1 … h_T start from h_0, and

    ∂h_T/∂h_{T-k} = Π_{t=T-k+1}^{T} diag(φ'(z_t)) W_hh,      ‖∂h_T/∂h_{T-k}‖₂ ≤ (γ λ₁)^k,

with γ = sup|φ'| and λ₁ = σ₁(W_hh) the largest singular value; k = T − s is the gap (steps
back). In code, math h_t is ``h[t-1]`` of :func:`helpers.rnn.rnn_forward` and math h_0 is its
``h0``. Norms that can leave float64's range are carried as log₁₀ values.
"""
from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from ._validate import (
    as_float_array,
    check_targets,
    choice,
    function,
    instance,
    int_list,
    overflow_as_inf,
    positive_float,
    positive_int,
    real,
    received,
    row_norms,
)
from ._validate import seed as check_seed
from .activations import ACTIVATIONS, Activation, get_activation
from .init import recurrent_matrix
from .linalg import check_square, largest_singular_value, spectral_radius, spectrum
from .optim import History
from .rnn import check_params, log_spectral_norms, output_loss, renormalise, rnn_backward, rnn_forward, rnn_outputs

ACTIVATION_NAMES = ("tanh", "sigmoid", "relu", "linear")
# The regime of a measured gradient when the bound is silent (γλ₁ ≥ 1) is read from its rate per
# step, r = ‖∂h_T/∂h_{T-k}‖^(1/k): within ±0.01 decade a step (r between 0.977 and 1.023, at most
# ×10 or ÷10 over 100 steps) it stays near the edge. Fewer than MIN_STEPS steps are too short to tell.
EDGE_DECADES_PER_STEP = 0.01
MIN_STEPS = 10
# A tanh or sigmoid unit counts as saturated at a step when φ'(z) < SATURATED_BELOW · γ.
SATURATED_BELOW = 0.2


def _number_or_nan(name: str, value) -> float:
    """A real number where ±inf and NaN are meaningful (a log₁₀ of a true zero or of an overflow): text,
    bools, complex numbers and None are refused."""
    if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be a number (±inf and NaN allowed), got {received(value)}")
    return float(value)


# --------------------------------------------------------------------------- weights and spectra

def gamma_lambda1(W_hh, activation: str | Activation = "tanh") -> float:
    """γλ₁ = sup|φ'| · σ₁(W_hh): the per-step factor of the bound ‖∂h_t/∂h_{t-1}‖ ≤ γλ₁."""
    return get_activation(activation).gamma * float(np.linalg.norm(check_square("W_hh", W_hh), 2))


def bound_curve(gamma_lambda: float, k) -> np.ndarray:
    """(γλ₁)^k for each k (any shape of non-negative steps); inf where it exceeds float64, 0 where
    it underflows (no warnings)."""
    gamma_lambda = positive_float("gamma_lambda", gamma_lambda)
    k = as_float_array("k", k, tuple("K" * np.ndim(k)))
    if np.any(k < 0):
        raise ValueError(f"k must hold steps >= 0, got a minimum of {k.min()}")
    with np.errstate(over="ignore", under="ignore"):
        return np.exp(k * np.log(gamma_lambda))


def nonnormal_matrix(rho: float = 0.95, coupling: float = 10.0, H: int = 2) -> np.ndarray:
    """A non-normal (H, H) matrix: ρ on the diagonal and ``coupling`` just above it.

    Its only eigenvalue is ρ (spectral radius ρ), but ‖A‖₂ ≈ coupling, and its powers
    A^k = Σ_j C(k, j) ρ^(k-j) coupling^j N^j (N the shift) grow like k^(H-1) ρ^k before the
    factor ρ^k wins: for H = 2, (A^k)[0, 1] = coupling · k · ρ^(k-1).
    """
    rho = positive_float("rho", rho)
    coupling = real("coupling", coupling)
    H = positive_int("H", H, minimum=2)
    return rho * np.eye(H) + coupling * np.eye(H, k=1)


# --------------------------------------------------------------------------- exact logs of φ′

def log_activation_derivative(activation: str | Activation, z) -> np.ndarray:
    """ln φ′(z), element-wise, computed so that it stays exact where φ′(z) itself would round to 0.

    In float64, 1 − tanh²(z) is exactly 0 from |z| ≈ 19 and σ(z)σ(−z) from |z| ≈ 37, although
    φ′ > 0 everywhere; the closed forms ln tanh′(z) = ln 4 − 2|z| − 2 ln(1 + e^(−2|z|)) and
    ln σ′(z) = −|z| − 2 ln(1 + e^(−|z|)) hold for every finite z. relu′ is 1 for z > 0 and
    exactly 0 otherwise (ln: −inf, a true zero); linear φ′ ≡ 1 (ln: 0, whatever z).

    z : any shape, float (±inf and NaN allowed: NaN stays NaN, except for linear). Where 2|z| itself
        exceeds float64 (|z| > 9e307, tanh) ln φ′ is −inf: the true value, below −1.8e308, overflows.
    """
    act = get_activation(activation)
    choice("activation", act.name, ACTIVATION_NAMES)
    z = as_float_array("z", z, tuple("N" * np.ndim(z)), finite=False, nan=True)
    a = np.abs(z)
    with np.errstate(over="ignore", invalid="ignore"):
        if act.name == "tanh":
            return np.log(4.0) - 2.0 * a - 2.0 * np.log1p(np.exp(-2.0 * a))
        if act.name == "sigmoid":
            return -a - 2.0 * np.log1p(np.exp(-a))
        if act.name == "relu":
            return np.where(np.isnan(z), np.nan, np.where(z > 0, 0.0, -np.inf))
    return np.zeros_like(z)


def _step_factors(log_dphi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split φ′ = exp(m) · d per row (last axis): m = the row's largest ln φ′ and d ≤ 1, so a step
    whose every factor is tiny keeps its digits. A row of true zeros (relu: all units off) gives
    d = 0, m = 0. NaN entries (from states that overflowed) count as 0 here; callers mark them."""
    logs = np.where(np.isnan(log_dphi), -np.inf, log_dphi)
    m = logs.max(axis=-1)
    m = np.where(np.isfinite(m), m, 0.0)
    return np.exp(logs - m[..., None]), m


def log10_jacobian_norms(log_dphi, W_hh) -> np.ndarray:
    """log₁₀‖∂h_T/∂h_{T-k}‖₂ for k = 0 … T-1, exact far beyond float64.

    ∂h_T/∂h_{T-k} = J_T ⋯ J_{T-k+1} with J_t = diag(φ′(z_t)) W_hh; the products are renormalised
    every step and φ′ enters through its logarithm (:func:`log_activation_derivative`), so nothing
    underflows or overflows on the way. -inf only where the product is exactly 0 (a step whose
    every φ′ is 0: switched-off ReLUs).

    log_dphi : (T, H) ln φ′(z_t) for t = 1 … T (row t-1 holds step t); W_hh : (H, H)
    Returns (T,): entry k for the gradient k steps back; entry 0 is 0 (the identity).
    """
    W_hh = check_square("W_hh", W_hh)
    H = W_hh.shape[0]
    log_dphi = as_float_array("log_dphi", log_dphi, ("T", H), finite=False, nan=True)
    if np.any(log_dphi == np.inf):
        raise ValueError("log_dphi must hold ln φ′ values (≤ ln γ, -inf for exact zeros), got +inf")
    T = log_dphi.shape[0]
    d, m = _step_factors(log_dphi)
    J = d[:, :, None] * W_hh                                # J_t / exp(m_t), (T, H, H)
    P = np.eye(H)
    Q = np.empty((T, H, H))
    logs = np.empty(T)
    log_scale = 0.0
    for k in range(T):
        if k:
            P = P @ J[T - k]                                # ∂h_T/∂h_{T-k} / exp(log_scale)
            log_scale += m[T - k]
        log_scale += float(renormalise(P))
        Q[k], logs[k] = P, log_scale
    return log_spectral_norms(Q, logs) / np.log(10.0)


# --------------------------------------------------------------------------- the explorer's maths

@dataclass(frozen=True)
class GradientState:
    """Everything the explorer shows for one setting of its controls.

    k : (T,) steps back, 0 … T-1
    log10_norms : (T,) measured log₁₀‖∂h_T/∂h_{T-k}‖₂, exact far beyond float64: -inf only for a
        true zero (switched-off ReLUs), NaN where the product crosses a step whose net input
        overflowed (rnn_forward reports it as inf, of unknown sign: φ′ is undefined there)
    log10_bound : (T,) log₁₀ (γλ₁)^k = k log₁₀ γλ₁
    eigenvalues : (H,) complex eigenvalues of W_hh
    h : (T, H) hidden states h_1 … h_T (inf where the forward pass overflows)
    gamma, lambda1, rho, gamma_lambda : γ, σ₁(W_hh), ρ(W_hh), γλ₁
    regime : "vanishing", "exploding", "edge" or "too short" (see :func:`classify`)
    verdict : one line saying so, with numbers
    overflow_step : first step t (1-based) whose state is not finite, or None
    saturated : for tanh and sigmoid, the fraction of all φ′(z_t,i) (every step and unit) below
        SATURATED_BELOW · γ; None for relu and linear
    mean_dphi : mean of φ′(z_t,i)/γ over every step and unit (linear: 1)

    ``norms`` and ``bound`` are 10 ** the logs: plain numbers, which underflow to 0 and overflow
    to inf where the logs do not.
    """

    k: np.ndarray
    log10_norms: np.ndarray
    log10_bound: np.ndarray
    eigenvalues: np.ndarray
    h: np.ndarray
    gamma: float
    lambda1: float
    rho: float
    gamma_lambda: float
    regime: str
    verdict: str
    overflow_step: int | None
    saturated: float | None
    mean_dphi: float

    @property
    def norms(self) -> np.ndarray:
        """(T,) ‖∂h_T/∂h_{T-k}‖₂ as float64 numbers (0 or inf where they leave float64's range)."""
        with np.errstate(over="ignore", under="ignore"):
            return 10.0 ** self.log10_norms

    @property
    def bound(self) -> np.ndarray:
        """(T,) (γλ₁)^k as float64 numbers (0 or inf where they leave float64's range)."""
        with np.errstate(over="ignore", under="ignore"):
            return 10.0 ** self.log10_bound


def power_of_ten_text(log10_value: float) -> str:
    """A number known by its log₁₀, as the verdict prints it: "0.62", "0.0031", "1.0", "54", "3e-11", "7e+299",
    "2e-350" (beyond float64 too), "exactly 0" for -inf, "undefined (NaN)" for NaN."""
    value = _number_or_nan("log10_value", log10_value)
    if np.isnan(value):
        return "undefined (NaN)"
    if value == -np.inf:
        return "exactly 0"
    if value == np.inf:
        return "∞"
    number = 10.0 ** value if value < 3 else np.inf
    if 0.000995 <= number < 9.95:
        return f"{number:#.2g}"
    if 9.95 <= number < 999.5:
        return f"{number:.0f}"
    exponent = int(np.floor(value))
    mantissa = round(10.0 ** (value - exponent))
    if mantissa == 10:
        mantissa, exponent = 1, exponent + 1
    return f"{mantissa}e{exponent:+03d}"


def rate_text(log10_rate: float) -> str:
    """The mean factor per step: "0.32", "1.004", "54", "1e-80" (three decimals near 1, where the
    regimes meet)."""
    value = _number_or_nan("log10_rate", log10_rate)
    if abs(value) < 0.05:
        return f"{10.0 ** value:.3f}"
    return power_of_ten_text(value)


def classify(gamma_lambda: float, log10_ratio: float, k: int) -> str:
    """The regime of a gradient measured k steps back, ratio = ‖∂h_T/∂h_{T-k}‖ (given by its log₁₀).

    - "vanishing" whenever γλ₁ < 1: the bound guarantees it, whatever k;
    - "vanishing" for a true zero (log₁₀ = -inf): the product stays 0 further back;
    - "exploding" for NaN: the states overflowed, so φ′ is undefined on the way back;
    - "too short" for k < MIN_STEPS: a few steps can grow or shrink on the way (a non-normal W_hh
      stretches before it settles), so they do not tell the regime;
    - otherwise from the rate per step, r = ratio^(1/k), the geometric mean of the k steps' factors:
      "vanishing" below 10^(-EDGE_DECADES_PER_STEP) ≈ 0.977, "exploding" above 10^(+…) ≈ 1.023,
      "edge" between (at most ×10 or ÷10 over 100 steps).
    """
    gamma_lambda = real("gamma_lambda", gamma_lambda, minimum=0)
    log10_ratio = _number_or_nan("log10_ratio", log10_ratio)
    k = positive_int("k", k, minimum=0)
    if gamma_lambda < 1 or log10_ratio == -np.inf:
        return "vanishing"
    if np.isnan(log10_ratio) or log10_ratio == np.inf:
        return "exploding"
    if k < MIN_STEPS:
        return "too short"
    rate = log10_ratio / k
    if rate < -EDGE_DECADES_PER_STEP:
        return "vanishing"
    return "exploding" if rate > EDGE_DECADES_PER_STEP else "edge"


def gamma_lambda_text(gamma_lambda: float) -> str:
    """"γλ₁ = 0.90 < 1", "γλ₁ = 1.00 ≥ 1", "γλ₁ = 2.15 > 1", "γλ₁ = 0.0045 < 1": two decimals (two
    significant digits below 0.1), more below 1 when rounding would print 1.00 for a value that
    is really below 1."""
    gamma_lambda = real("gamma_lambda", gamma_lambda, minimum=0)
    if gamma_lambda < 0.1:
        return f"γλ₁ = {gamma_lambda:.2g} < 1"
    if gamma_lambda < 1:
        digits = 2
        while float(f"{gamma_lambda:.{digits}f}") >= 1 and digits < 16:
            digits += 1
        return f"γλ₁ = {gamma_lambda:.{digits}f} < 1"
    text = f"{gamma_lambda:.2f}"
    return f"γλ₁ = {text} " + ("≥ 1" if text == "1.00" else "> 1")


def verdict(gamma_lambda: float, log10_ratio: float, k: int, activation: str,
            overflow_step: int | None = None, gamma_rho: float | None = None,
            mean_dphi: float | None = None) -> tuple[str, str]:
    """(regime, one-line verdict) for a measured log₁₀‖∂h_T/∂h_{T-k}‖ (‖∂h_T/∂h_T‖ = 1).

    The regime is :func:`classify`'s; the line quotes the rate per step and the ratio itself. Only
    γλ₁ < 1 is written as a consequence ("→ vanishing (guaranteed by the bound)"). With γλ₁ ≥ 1 the
    bound only allows growth, and the verdict reports what the measurement shows ("(growth
    allowed), and it does explode", "…, yet it vanishes", "…, and it stays near the edge", "…; too
    short to tell").

    gamma_rho : γρ(W_hh), optional; mean_dphi : mean φ′/γ along the run, optional. When the
        gradient vanishes although γλ₁ ≥ 1, the reason given is: for a linear RNN the eigenvalues
        (‖W^k‖^(1/k) → ρ, so it can only vanish with ρ < 1); for relu switched-off units; for tanh
        and sigmoid γρ < 1 if it holds, as the likely reason (for a random W_hh the eigenvalues
        usually set the long-run rate, but with φ′ changing every step they do not decide it),
        else saturated units (with the mean φ′/γ). "mean ×r per step" is the geometric mean r of
        the k step factors, 10^(log₁₀ ratio / k).
    """
    choice("activation", activation, ACTIVATION_NAMES)
    regime = classify(gamma_lambda, log10_ratio, k)
    log10_ratio = float(log10_ratio)
    overflow_step = None if overflow_step is None else positive_int("overflow_step", overflow_step)
    gamma_rho = None if gamma_rho is None else real("gamma_rho", gamma_rho, minimum=0)
    mean_dphi = None if mean_dphi is None else _number_or_nan("mean_dphi", mean_dphi)
    gl = gamma_lambda_text(gamma_lambda)
    back = f"the gradient from {k} step{'s' if k != 1 else ''} back"
    if log10_ratio == -np.inf:
        amount = f"{back} is exactly 0" + (" (every path crosses a switched-off ReLU)" if activation == "relu" else "")
    elif np.isnan(log10_ratio):
        amount = f"{back} is undefined (NaN)"
    else:
        amount = (f"{back} is {power_of_ten_text(log10_ratio)} "
                  + ("times the most recent one" if log10_ratio >= 0 else "of the most recent one"))
    if k >= 2 and np.isfinite(log10_ratio):
        amount += f" (mean ×{rate_text(log10_ratio / k)} per step)"
    if gamma_lambda < 1:
        line = f"{gl} → vanishing (guaranteed by the bound): {amount}"
    elif regime == "too short":
        line = f"{gl} (growth allowed); too short to tell ({k} < {MIN_STEPS} steps): {amount}"
    elif regime == "vanishing":
        if activation == "linear":
            why = f"ρ = {gamma_rho:.2f} < 1: " if gamma_rho is not None else ""
            why += "the eigenvalues lie inside the unit circle"
        elif activation == "relu":
            why = "switched-off units"
        elif gamma_rho is not None and gamma_rho < 1:
            why = f"likely: γρ = {gamma_rho:.2f} < 1, eigenvalues inside the 1/γ circle"
        else:
            why = "saturated units" + (f": φ′ is {mean_dphi:.2g} γ on average" if mean_dphi is not None else "")
        line = f"{gl} (growth allowed), yet it vanishes ({why}): {amount}"
    elif regime == "exploding":
        line = f"{gl} (growth allowed), and it does explode: {amount}"
    else:
        line = f"{gl} (growth allowed), and it stays near the edge: {amount}"
    if overflow_step is not None:
        line += f" · the states overflow (∞/NaN) from step {overflow_step}"
    return regime, line


def _scale(scale) -> float:
    """A weight scale checked: positive and at most 1e100, as :func:`phase_diagram`'s scales, so that the
    logs of the products (a sum of ln φ′ over the steps, each about −2 · scale at worst) stay within float64."""
    scale = positive_float("scale", scale)
    if scale > 1e100:
        raise ValueError(f"scale must be at most 1e100 (so the products stay within float64), got {scale:g}")
    return scale


def _amplitude(amplitude) -> float:
    """amplitude checked: a number in [0, 1e300], so that its N(0, amplitude²) draws stay within float64."""
    amplitude = real("amplitude", amplitude, minimum=0)
    if amplitude > 1e300:
        raise ValueError(f"amplitude must be at most 1e300 (its N(0, amplitude²) draws would overflow float64), "
                         f"got {amplitude:g}")
    return amplitude


def gradient_state(scale: float = 1.0, activation: str = "tanh", T: int = 100, amplitude: float = 1.0,
                   init: str = "gaussian", seed: int = 0, H: int = 32) -> GradientState:
    """Run one sequence through an RNN and measure how the gradient decays or grows with distance.

    W_hh = :func:`helpers.init.recurrent_matrix` (H, scale, init, seed); each unit receives its own input,
    x_t ~ amplitude · N(0, 1) for t = 1 … T (W_xh = I, b_h = 0, h_0 = 0), drawn from ``seed`` + 1
    (so a shorter T sees the first T inputs of a longer one). A large amplitude drives tanh and
    sigmoid into saturation (φ′ ≈ 0).

    The norms are carried as logarithms (:func:`log10_jacobian_norms`), so they are exact however
    small or large; only the states themselves can overflow (relu, linear), which the verdict
    reports. Nothing warns or raises. scale is at most 1e100 and amplitude at most 1e300 (so that the
    logs and the draws stay within float64).
    """
    act = get_activation(activation)
    choice("activation", act.name, ACTIVATION_NAMES)
    scale = _scale(scale)
    T = positive_int("T", T)
    amplitude = _amplitude(amplitude)
    seed = check_seed("seed", seed)
    W_hh = recurrent_matrix(H, scale, init, seed)
    x = amplitude * np.random.default_rng(seed + 1).standard_normal((T, 1, H))
    with np.errstate(over="ignore", invalid="ignore"):
        h, cache = rnn_forward(x, np.zeros((1, H)), np.eye(H), W_hh, np.zeros(H), act)
    z = cache.z[:, 0]
    log_dphi = log_activation_derivative(act, z)
    log10_norms = log10_jacobian_norms(log_dphi, W_hh)
    if act.name != "linear":
        # A net input that overflowed is reported as inf of unknown sign (rnn_forward's rule), so φ′
        # is undefined there: a product that crosses such a step is NaN, not a number (linear φ′ ≡ 1
        # needs no state).
        crossed = np.cumsum(~np.isfinite(z[::-1]).all(axis=1)) > 0     # [k-1]: steps T … T-k+1
        log10_norms[1:][crossed[:T - 1]] = np.nan
    eigenvalues, singular_values = spectrum(W_hh)
    lambda1 = float(singular_values[0])
    gl = act.gamma * lambda1
    k = np.arange(T)
    log10_bound = k * np.log10(gl)
    bad = ~np.isfinite(h[:, 0]).all(axis=1)
    overflow = int(np.argmax(bad)) + 1 if bad.any() else None
    rho = float(np.abs(eigenvalues).max())
    with np.errstate(invalid="ignore"):
        dphi = np.exp(log_dphi[np.isfinite(z)]) / act.gamma if act.name != "linear" else np.ones(1)
    mean_dphi = float(dphi.mean()) if dphi.size else float("nan")
    regime, line = verdict(gl, float(log10_norms[-1]), T - 1, act.name, overflow, act.gamma * rho, mean_dphi)
    saturated = None
    if act.name in ("tanh", "sigmoid"):
        saturated = float(np.mean(act.df(z) < SATURATED_BELOW * act.gamma))
    return GradientState(k, log10_norms, log10_bound, eigenvalues, h[:, 0], act.gamma, lambda1, rho, gl,
                         regime, line, overflow, saturated, mean_dphi)


# --------------------------------------------------------------------------- phase diagram

def phase_diagram(activation: str, scales, lengths, *, H: int = 32, amplitude: float = 1.0,
                  init: str = "gaussian", seed: int = 0) -> np.ndarray:
    """log₁₀‖∂h_T/∂h_0‖₂ over a grid of weight scales and sequence lengths.

    One input sequence and one base matrix W₀ = :func:`helpers.init.recurrent_matrix` (H, 1, init, seed) are
    shared by the whole grid; row i uses W_hh = scales[i] · W₀. All scales run together as one
    batch, and the product ∂h_t/∂h_0 = J_t ∂h_{t-1}/∂h_0 is accumulated forward, so every length
    comes from one pass of max(lengths) steps. Products are renormalised every step and φ′ enters
    through its logarithm (:func:`log_activation_derivative`), so the log stays exact far beyond
    float64.

    Parameters
    ----------
    activation : "tanh", "sigmoid", "relu" or "linear"
    scales : (S,) positive weight scales, at most 1e100; lengths : (L,) sequence lengths T >= 1

    Returns
    -------
    (S, L) log₁₀‖∂h_T/∂h_0‖; -inf where the product is exactly 0 (ReLU), NaN where the forward
    pass overflowed into NaN before step T (φ' is then undefined; linear φ' ≡ 1 never is).
    """
    act = get_activation(activation)
    scales = as_float_array("scales", scales, ("S",))
    if np.any(scales <= 0) or np.any(scales > 1e100):
        raise ValueError(f"scales must be positive and at most 1e100 (so the products stay within float64), got "
                         f"values from {scales.min():g} to {scales.max():g}")
    lengths = np.array(int_list("lengths", lengths))
    H = positive_int("H", H)
    amplitude = _amplitude(amplitude)
    seed = check_seed("seed", seed)
    W0 = recurrent_matrix(H, 1.0, init, seed)
    T = int(lengths.max())
    x = amplitude * np.random.default_rng(seed + 1).standard_normal((T, H))
    S = scales.size
    h = np.zeros((S, H))
    P = np.broadcast_to(np.eye(H), (S, H, H)).copy()        # ∂h_t/∂h_0 / exp(log_scale), per scale
    log_scale = np.zeros(S)
    finite = np.ones(S, dtype=bool)
    want = np.zeros(T + 1, dtype=bool)
    want[lengths] = True
    Q, L = [], []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for t in range(1, T + 1):
            z = scales[:, None] * (h @ W0.T) + x[t - 1]
            h = act.f(z)
            if act.name != "linear":                           # φ' ≡ 1 needs no state
                finite &= ~np.isnan(z).any(axis=1)
            d, m = _step_factors(log_activation_derivative(act, z))     # φ'(z_t) = exp(m) · d, (S, H)
            P = (scales[:, None] * d)[:, :, None] * (W0 @ P)
            log_scale += m + renormalise(P)
            if want[t]:
                Q.append(P.copy())
                L.append(np.where(finite, log_scale, np.nan))
        logs = np.stack(L, axis=1)
        out = log_spectral_norms(np.stack(Q, axis=1), np.nan_to_num(logs)) / np.log(10.0)
    out[np.isnan(logs)] = np.nan                                 # the forward pass overflowed: undefined
    order = np.searchsorted(np.flatnonzero(want), lengths)
    return out[:, order]


def edge_scale(activation: str, *, H: int = 32, init: str = "gaussian", seed: int = 0,
               which: str = "lambda1") -> float:
    """The weight scale where γ·σ₁(W_hh) = 1 (which="lambda1") or γ·ρ(W_hh) = 1 (which="rho"), for
    W_hh = scale · :func:`helpers.init.recurrent_matrix` (H, 1, init, seed)."""
    choice("which", which, ("lambda1", "rho"))
    W0 = recurrent_matrix(H, 1.0, init, seed)
    size = largest_singular_value(W0) if which == "lambda1" else spectral_radius(W0)
    return 1.0 / (get_activation(activation).gamma * size)


# --------------------------------------------------------------------------- feed-forward vs RNN

def feedforward_draws(scale: float = 1.0, depth: int = 100, *, H: int = 32, trials: int = 20,
                      amplitude: float = 1.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The random draws of :func:`feedforward_vs_recurrent`: h0 (trials, H) with entries
    amplitude · N(0, 1), then W (depth, trials, H, H) with entries N(0, scale²/H), both from one
    generator seeded with ``seed``. W[l, b] is layer l + 1 of draw b; the RNN of draw b uses W[0, b].
    scale is at most 1e100 (as in :func:`phase_diagram`, so the products stay within float64);
    amplitude at most 1e300."""
    scale = _scale(scale)
    depth = positive_int("depth", depth)
    trials = positive_int("trials", trials)
    H = positive_int("H", H)
    amplitude = _amplitude(amplitude)
    rng = np.random.default_rng(check_seed("seed", seed))
    h0 = amplitude * rng.standard_normal((trials, H))
    return h0, rng.standard_normal((depth, trials, H, H)) * (scale / np.sqrt(H))


def feedforward_vs_recurrent(activation: str = "tanh", scale: float = 1.0, depth: int = 100, *,
                             H: int = 32, trials: int = 20, amplitude: float = 1.0, seed: int = 0):
    """log₁₀‖∂h_L/∂h_0‖₂ for L = 0 … depth, in a deep feed-forward stack and in an RNN.

    Both run h_l = φ(W h_{l-1}) from the same random h_0 (entries amplitude · N(0, 1)) with
    Gaussian weights of the same scale; the feed-forward stack draws a new W for every layer, the
    RNN reuses one W_hh at every step (its first layer's W). The ``trials`` draws come from one
    generator seeded with ``seed`` (:func:`feedforward_draws`).

    Returns
    -------
    (feedforward, recurrent), each (trials, depth + 1); column 0 is 0 (the identity).
    """
    act = get_activation(activation)
    h0, W_ff = feedforward_draws(scale, depth, H=H, trials=trials, amplitude=amplitude, seed=seed)
    trials, H = h0.shape
    results = []
    for shared in (False, True):
        h = h0
        P = np.broadcast_to(np.eye(H), (trials, H, H)).copy()
        Ps = np.empty((depth + 1, trials, H, H))
        Ps[0] = P
        logs = np.zeros((depth + 1, trials))
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for layer in range(1, depth + 1):
                W = W_ff[0] if shared else W_ff[layer - 1]
                z = np.einsum("bij,bj->bi", W, h)
                h = act.f(z)
                d, m = _step_factors(log_activation_derivative(act, z))  # φ'(z) = exp(m) · d
                P = d[:, :, None] * (W @ P)
                Ps[layer], logs[layer] = P, logs[layer - 1] + m + renormalise(P)
            results.append((log_spectral_norms(Ps, logs) / np.log(10.0)).T)
    return results[0], results[1]


# --------------------------------------------------------------------------- training runs

def input_gradient_norms(params, x, y, loss: str = "mse", activation: str = "tanh") -> np.ndarray:
    """(T,) ‖∂L⁽ᵇ⁾/∂x_t‖₂ for each step t, averaged over the sequences b of the batch (L⁽ᵇ⁾ is one
    sequence's loss, so the batch loss's 1/B is undone): how strongly the loss can still feel the
    input at step t. With a target only at the last step, entry t measures the gradient
    that has travelled T-1-t steps back in time.

    params, x (T, B, D), y, loss, activation: as in :func:`helpers.rnn.rnn_loss_and_grads`.
    Where the forward or backward pass overflows float64 the norm is inf (never NaN), as in
    :func:`helpers.rnn.rnn_backward`.
    """
    choice("loss", loss, ("mse", "softmax"))
    o, _, cache = rnn_outputs(params, x, activation=activation)
    B = cache.x.shape[1]
    check_targets(cache.x, y, loss, o.shape[2])
    _, do = output_loss(o, y, loss)
    W_hy = np.asarray(params["W_hy"], dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        dx = overflow_as_inf(rnn_backward(do @ W_hy, cache)["x"])
        return row_norms(dx).mean(axis=1) * B


def dead_units(params, x, activation: str = "relu") -> np.ndarray:
    """The hidden units that never fire: indices i with h_t,i ≤ 0 at every step t and for every
    sequence of x (T, B, D), run from h_0 = 0 with ``params`` (as in
    :func:`helpers.rnn.rnn_loss_and_grads`). For relu such a unit passes no gradient (relu′ = 0), so
    the weights into it stop changing: unless the other units change its input, it stays off.

    relu and linear states can outgrow float64 (weights after an exploding step). Whether a unit
    fires is the sign of its state, so the run is carried in units of a power of two per sequence,
    h_t = u_t · 2^e: φ(c z) = c φ(z) for c > 0, so u_t = φ(W_hh u_{t-1} + (W_xh x_t + b_h) 2^-e)
    has exactly the signs of h_t, where h_t itself would overflow (the scaling is exact in float64).
    """
    p = check_params(params)
    act = get_activation(activation)
    x = as_float_array("x", x, ("T", "B", p["W_xh"].shape[1]))
    if act.name not in ("relu", "linear") or act is not ACTIVATIONS[act.name]:
        h = rnn_outputs(p, x, activation=act)[1]           # a bounded φ: the states stay in range
        return np.flatnonzero(~(h > 0).any(axis=(0, 1)))
    T, B, D = x.shape
    H = p["W_hh"].shape[0]
    drive = (x.reshape(T * B, D) @ p["W_xh"].T).reshape(T, B, H) + p["b_h"]   # W_xh x_t + b_h
    u, e = np.zeros((B, H)), np.zeros((B, 1), dtype=np.int64)
    fired = np.zeros(H, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore"):    # only weights near 1e308 can overflow u W_hhᵀ
        for t in range(T):
            u = act.f(np.ldexp(drive[t], -e) + u @ p["W_hh"].T)
            fired |= (u > 0).any(axis=0)
            peak = np.abs(u).max(axis=1, keepdims=True)
            shift = np.where((peak > 0) & np.isfinite(peak), np.frexp(peak)[1], 0)
            u, e = np.ldexp(u, -shift), e + shift
    return np.flatnonzero(~fired)


def describe_runs(histories, last: int = 20) -> str:
    """One line on several runs of :func:`helpers.optim.train_sgd` (one per seed, in order): how many
    finish, the range of their mean loss over the ``last`` steps, and which seeds stopped at a
    non-finite loss or gradient and when. For example "4 of 5 finish (loss 0.084–0.090 over the
    last 20 steps); stopped (loss or gradient not finite): seed 2 at step 3"."""
    if isinstance(histories, (str, bytes, Mapping)) or not isinstance(histories, Iterable):
        raise ValueError(f"histories must be a non-empty list of train_sgd results, got {received(histories)}")
    histories = list(histories)
    if not histories:
        raise ValueError("histories must be a non-empty list of train_sgd results, got an empty list")
    for n, h in enumerate(histories):
        instance(f"histories[{n}]", h, History, "a History from train_sgd")
    last = positive_int("last", last)
    done = [h for h in histories if h.status == "finished"]
    parts = [f"{len(done)} of {len(histories)} finish"]
    if done:
        ends = sorted({f"{float(np.mean(h.loss[-last:])):.3f}" for h in done}, key=float)
        parts[0] += f" (loss {'–'.join(dict.fromkeys([ends[0], ends[-1]]))} over the last {last} steps)"
    stops = [f"seed {n} at step {len(h.loss)}" for n, h in enumerate(histories) if h.status != "finished"]
    if stops:
        parts.append("stopped (loss or gradient not finite): " + ", ".join(stops))
    return "; ".join(parts)


def step_table(history, batch, steps: int = 4, activation: str = "relu") -> str:
    """The first ``steps`` steps of a :func:`helpers.optim.train_sgd` run made with
    ``record_params=True``, one line each: ‖W_hh‖₂ and ρ(W_hh) of the weights the step started
    from, the largest |state| of that step's forward pass on ``batch(step)`` (the inputs x of the
    batch it trained on), the loss and ‖g‖; and, if the run stopped there, the step whose loss was
    not finite."""
    instance("history", history, History, "a History from train_sgd(..., record_params=True)")
    if not history.starts:
        raise ValueError("history must come from train_sgd(..., record_params=True): it has no starts")
    function("batch", batch, "lambda t: x_of_batch_t")
    steps = positive_int("steps", steps)
    lines = []
    for t, start in enumerate(history.starts[:steps]):
        W = start["W_hh"]
        line = f"  step {t}: ‖W_hh‖₂ = {largest_singular_value(W):.3g}, ρ = {spectral_radius(W):.3g}"
        if t < len(history.loss):
            with np.errstate(over="ignore", invalid="ignore"):
                h = rnn_outputs(start, batch(t), activation=activation)[1]
            line += (f", largest |state| {np.abs(h).max():.2g}, loss {history.loss[t]:.2g}, "
                     f"‖g‖ = {history.grad_norm[t]:.2g}")
        else:
            what = "loss" if "loss" in history.message else "gradient"
            line += f": the {what} is not finite (NaN or ∞), the trainer stops"
        lines.append(line)
    return "\n".join(lines)
