"""Finite-difference gradients and Jacobians, and the relative error used to compare them with BPTT."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from ._validate import (
    as_float_array,
    float_arrays,
    non_empty,
    positive_float,
    real,
    received,
    scaled_cosine,
    scaled_norm,
    text,
    unit_scaled,
)


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6, *,
                       names: tuple[str, str] = ("f", "x")) -> np.ndarray:
    """Central-difference gradient of a scalar function.

    grad[i] = (f(x + eps·e_i) - f(x - eps·e_i)) / (2 eps)

    Parameters
    ----------
    f : callable taking x and returning a scalar. Each entry of x is nudged in place, so f may
        also read x through a closure (for example ``lambda _: loss(params)``).
    x : float64 array of any shape; it is left exactly as it was.
    eps : step size; it must move every entry (x[i] ± eps ≠ x[i] in float64) and keep it finite.
    names : what error messages call f and x (a caller whose f is a loss and x a state says so).

    Returns
    -------
    grad : array with the shape of x; ±inf where the quotient itself exceeds float64. Raises
    ValueError naming f, x and eps if f is not finite at a nudged point (an overflow inside f is
    not shown as a warning: it is reported this way).
    """
    f_name, x_name = _names(names)
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError(f"{x_name} must be a float64 numpy array (the entries are nudged in place); got "
                         f"{type(x).__name__}{'' if not isinstance(x, np.ndarray) else ' of dtype ' + str(x.dtype)}")
    if not x.flags.writeable:
        raise ValueError(f"{x_name} must be a writeable array (its entries are nudged in place and restored)")
    as_float_array(x_name, x, x.shape)                     # finite
    if not callable(f):
        raise ValueError(f"{f_name} must be a function of {x_name} that returns a scalar, got {type(f).__name__}")
    return _gradient(f, x, positive_float("eps", eps), f_name, x_name)


def _names(names) -> tuple[str, str]:
    """``names`` checked: two strings, what messages call f and x."""
    if not (isinstance(names, tuple) and len(names) == 2 and all(isinstance(n, str) for n in names)):
        raise ValueError(f"names must be two strings (what messages call f and x), such as ('f', 'x'); "
                         f"got {received(names)}")
    return names


def _gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float, f_name: str = "f",
              x_name: str = "x") -> np.ndarray:
    """:func:`numerical_gradient` of checked arguments; messages call them ``f_name`` and ``x_name``
    (a caller whose f is a loss and whose x is a state says so)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        where = f"{x_name}[{', '.join(str(k) for k in i)}]" if i else x_name
        plus, minus = _nudged(old, eps, where)
        try:
            x[i] = plus
            f_plus = _finite_value(_scalar(_quietly(f, x)), f_name, where, old, eps)
            x[i] = minus
            f_minus = _finite_value(_scalar(_quietly(f, x)), f_name, where, old, eps)
        finally:
            x[i] = old
        grad[i] = _quotient(f_plus, f_minus, eps)
    return grad


def _nudged(value: float, eps: float, where: str) -> tuple[float, float]:
    """(value + eps, value − eps), after checking that both are finite and differ from value."""
    with np.errstate(over="ignore"):
        plus, minus = np.float64(value) + eps, np.float64(value) - eps
    if not (np.isfinite(plus) and np.isfinite(minus)):
        raise ValueError(f"{where} ± eps leaves float64 ({where} = {value:g}, eps = {eps:g}); use a smaller eps")
    if plus == value or minus == value:
        raise ValueError(f"eps = {eps:g} is too small to move {where} = {value:g} ({where} ± eps == {where} in "
                         f"float64, so the difference would be 0); use an eps of about 1e-6 · max(1, |{where}|)")
    return float(plus), float(minus)


def _quietly(f: Callable, v):
    """f(v) without numpy's overflow warnings: a value that overflowed is refused by the caller."""
    with np.errstate(over="ignore", invalid="ignore"):
        return f(v)


def _finite_value(value, f_name: str, where: str, at: float, eps: float):
    """``value`` (a number or an array) if it is finite; else a ValueError naming f, x and eps."""
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{f_name} is not finite (NaN or inf) at {where} ± eps ({where} = {at:g}, eps = {eps:g}): "
                         f"central differences need a finite {f_name} near that point; use a smaller eps, or a "
                         f"point where {f_name} stays inside float64")
    return value


def _quotient(f_plus, f_minus, eps: float):
    """(f_plus − f_minus) / (2 eps), halved first so neither the difference nor 2 eps can overflow
    (halving is exact, so this is the plain formula bit for bit wherever that one stays in range);
    ±inf where the quotient itself exceeds float64."""
    with np.errstate(over="ignore"):
        return (0.5 * f_plus - 0.5 * f_minus) / eps


def numerical_jacobian(f: Callable[[np.ndarray], np.ndarray], x, eps: float = 1e-6, *,
                       names: tuple[str, str] = ("f", "x")) -> np.ndarray:
    """Central-difference Jacobian of a vector function f: R^n -> R^m.

    J[i, j] = ∂f_i/∂x_j ≈ (f(x + eps·e_j) − f(x − eps·e_j))_i / (2 eps): one row per output, one
    column per input, so column j is how the whole output moves when x_j alone is nudged.

    Parameters
    ----------
    f : callable taking an (n,) array and returning an (m,) array (a number counts as m = 1)
    x : (n,) point; it is not changed (f receives copies)
    eps : step size; it must move every entry (x[j] ± eps ≠ x[j] in float64) and keep it finite
    names : what error messages call f and x

    Returns
    -------
    J : (m, n) array; ±inf where a quotient exceeds float64. Raises ValueError naming f, x and
    eps if f is not finite at a nudged point.
    """
    f_name, x_name = _names(names)
    x = as_float_array(x_name, x, ("n",))
    if not callable(f):
        raise ValueError(f"{f_name} must be a function of {x_name} that returns an array of shape (m,), "
                         f"got {type(f).__name__}")
    eps = positive_float("eps", eps)

    non_empty(x_name, x)
    m = None

    def value(v):
        nonlocal m
        out = f(v)
        if np.ndim(out) > 1:
            raise ValueError(f"{f_name} must return a 1-D array (m,) or a number, got shape {np.shape(out)}")
        shape = (m if m is not None else "m",) if np.ndim(out) else ()
        out = np.atleast_1d(as_float_array(f"{f_name}({x_name})", out, shape, finite=False, nan=True))
        m = out.size
        return out

    return _jacobian(value, x, eps, f_name, x_name)


def _jacobian(value: Callable[[np.ndarray], np.ndarray], x: np.ndarray, eps: float, f_name: str = "f",
              x_name: str = "x") -> np.ndarray:
    """:func:`numerical_jacobian` of a checked (n,) point x: ``value(v)`` returns f(v) as a float64
    (m,) array with its shape checked (NaN and inf are refused here, naming ``f_name``,
    ``x_name`` and eps)."""
    columns = []
    for j in range(x.size):
        where = f"{x_name}[{j}]"
        plus, minus = _nudged(x[j], eps, where)
        up, down = x.copy(), x.copy()
        up[j], down[j] = plus, minus
        f_up = _finite_value(_quietly(value, up), f_name, where, x[j], eps)
        f_down = _finite_value(_quietly(value, down), f_name, where, x[j], eps)
        columns.append(_quotient(f_up, f_down, eps))
    return np.stack(columns, axis=1) if columns else np.empty((0, 0))


def _scalar(value) -> float:
    """f's value as a float (NaN and inf included: the caller decides); a clear error when f
    returns an array (a forward pass, not a loss)."""
    if value is None:
        raise ValueError("f returned None; it must return the loss (a number): is a `return` missing?")
    if isinstance(value, tuple):
        raise ValueError(f"f returned a tuple of {len(value)} items; it must return the loss alone. "
                         "If f calls a function that returns (loss, grads), take [0] of it")
    if np.ndim(value) != 0:
        raise ValueError(f"f must return a scalar (the loss), got an array of shape {np.shape(value)}; "
                         "reduce it to one number, e.g. with .sum()")
    return float(as_float_array("the value of f", value, (), finite=False, nan=True))


def relative_error(a, b) -> float:
    """‖a − b‖₂ / (‖a‖₂ + ‖b‖₂) of two arrays of the same shape, and 0.0 when both are zero.

    Below about 1e-7 two float64 gradients agree to the precision central differences allow.
    Both are divided by the same power of two first (exact), so no norm overflows or underflows.
    """
    return _relative_error("a", a, "b", b)


def _relative_error(name_a: str, a, name_b: str, b) -> float:
    """:func:`relative_error` with the two arrays checked under the names ``name_a`` and ``name_b``."""
    for name, value in ((name_a, a), (name_b, b)):
        if isinstance(value, dict) or value is None:
            raise ValueError(f"{name} must be an array, got {'None' if value is None else 'a dict'}; "
                             "compare one gradient at a time, e.g. relative_error(grads['W_hh'], numeric)")
    a = as_float_array(name_a, a, np.shape(a))
    b = as_float_array(name_b, b, np.shape(b))
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape; got {name_a} {a.shape} "
                         f"and {name_b} {b.shape}")
    (a, b), _ = unit_scaled([a, b])           # exact; ‖a − b‖ / (‖a‖ + ‖b‖) is scale-free
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def report(label: str, value, reference, tol: float = 1e-7) -> None:
    """Print "label: relative error …" for two arrays, the error shown as in :func:`describe_error`."""
    text("label", label)
    print(f"{label}: relative error {describe_error(_relative_error('value', value, 'reference', reference), tol)}")


def _power_str(value: float) -> str:
    mantissa, exponent = f"{value:e}".split("e")
    return f"1e{int(exponent)}" if float(mantissa) == 1.0 else f"{value:g}"


def describe_error(err: float, tol: float = 1e-7) -> str:
    """A relative error as stored notebook output that is the same on every machine.

    Below ``tol`` the digits are rounding noise that varies with the CPU and BLAS, so only a
    bound is shown: "< 1e-12 ✓" (rounding level: two computations of the same exact quantity),
    "< 1e-8 ✓" (the accuracy of central differences, typically 1e-11 … 1e-9), else "< tol ✓".
    The bounds sit far from where such errors fall, so the text does not flip between machines.
    At or above ``tol``: two significant digits and ✗.
    """
    err = real("err", err, minimum=0.0)
    tol = positive_float("tol", tol)
    if err >= tol:
        return f"{err:.2g} ✗"
    bound = next(b for b in (1e-12, 1e-8, tol) if err < b <= tol)   # tol itself always fits
    return f"< {_power_str(bound)} ✓"


def cosine(a: Mapping, b: Mapping) -> float:
    """Cosine of the angle between two gradients given as dicts of finite arrays with the same keys
    (all entries read as one long vector). Each gradient is scaled by its largest |entry| first
    (``_validate.scaled_cosine``), so gradients of any size, 1e-200 or 1e200, have their true angle."""
    return scaled_cosine(*_gradient_pair(a, b))


def _gradient_pair(a: Mapping, b: Mapping) -> tuple[list, list]:
    """The entries of two gradients (dicts of finite arrays with the same keys and shapes), as two
    lists of float64 arrays in the same order; a ValueError names a or b otherwise."""
    for name, g in (("a", a), ("b", b)):
        if not isinstance(g, Mapping):
            raise ValueError(f"{name} must be a dict of gradient arrays, such as the grads of "
                             f"rnn_loss_and_grads; got {type(g).__name__}")
    a = float_arrays("a", a, "gradient arrays", ndim=None)
    b = float_arrays("b", b, "gradient arrays", ndim=None)
    if set(a) != set(b):
        raise ValueError(f"a and b must have the same keys; got {sorted(a)} and {sorted(b)}")
    for k in a:
        if np.shape(a[k]) != np.shape(b[k]):
            raise ValueError(f"a[{k!r}] and b[{k!r}] must have the same shape; got {np.shape(a[k])} "
                             f"and {np.shape(b[k])}")
    return [a[k] for k in a], [b[k] for k in a]


def angle_degrees(a: Mapping, b: Mapping) -> float:
    """The angle, in degrees, between two gradients given as dicts of arrays with the same keys
    (all entries read as one long vector): 0 when clipping kept the direction.

    θ = 2 atan2(‖â − b̂‖, ‖â + b̂‖) with â = a/‖a‖ and b̂ = b/‖b‖ (norms with scaling): unlike
    arccos of the cosine, it is exact near 0° and 180° (a gradient against itself gives 0 exactly).
    """
    a, b = _gradient_pair(a, b)
    norm_a, norm_b = scaled_norm(a), scaled_norm(b)
    if norm_a == 0 or norm_b == 0:
        raise ValueError("a and b must be non-zero gradients to have an angle; got a zero gradient")
    unit_a, unit_b = [g / norm_a for g in a], [g / norm_b for g in b]
    apart = scaled_norm([u - v for u, v in zip(unit_a, unit_b, strict=True)])
    together = scaled_norm([u + v for u, v in zip(unit_a, unit_b, strict=True)])
    return float(np.degrees(2.0 * np.arctan2(apart, together)))


def worst_relative_error(*pairs) -> float:
    """The largest :func:`relative_error` over (value, reference) pairs of arrays: a check that
    compares several things prints one line, with the worst of them."""
    if not pairs or not all(isinstance(p, tuple) and len(p) == 2 for p in pairs):
        raise ValueError("give one or more (value, reference) pairs, e.g. "
                         "worst_relative_error((grads['W_hh'], fd_W_hh), (grads['b_h'], fd_b_h))")
    return max(_relative_error(f"pairs[{i}][0]", a, f"pairs[{i}][1]", b) for i, (a, b) in enumerate(pairs))
