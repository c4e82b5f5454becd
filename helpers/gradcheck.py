"""Finite-difference gradients and the relative error used to compare them with BPTT."""
from __future__ import annotations

from typing import Callable

import numpy as np

from ._validate import positive_float


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of a scalar function.

    grad[i] = (f(x + eps·e_i) - f(x - eps·e_i)) / (2 eps)

    Parameters
    ----------
    f : callable taking x and returning a scalar. Each entry of x is nudged in place, so f may
        also read x through a closure (for example ``lambda _: loss(params)``).
    x : float64 array of any shape; it is left exactly as it was.
    eps : step size.

    Returns
    -------
    grad : array with the shape of x
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError("x must be a float64 numpy array (the entries are nudged in place); got "
                         f"{type(x).__name__}{'' if not isinstance(x, np.ndarray) else ' of dtype ' + str(x.dtype)}")
    if not x.flags.writeable:
        raise ValueError("x must be a writeable array (its entries are nudged in place and restored)")
    if not callable(f):
        raise ValueError(f"f must be a function of x that returns a scalar, got {type(f).__name__}")
    eps = positive_float("eps", eps)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        try:
            x[i] = old + eps
            f_plus = _scalar(f(x))
            x[i] = old - eps
            f_minus = _scalar(f(x))
        finally:
            x[i] = old
        grad[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def _scalar(value) -> float:
    """f's value as a float; a clear error when f returns an array (a forward pass, not a loss)."""
    if value is None:
        raise ValueError("f returned None; it must return the loss (a number): is a `return` missing?")
    if isinstance(value, tuple):
        raise ValueError(f"f returned a tuple of {len(value)} items; it must return the loss alone. "
                         "If f calls a function that returns (loss, grads), take [0] of it")
    if np.ndim(value) != 0:
        raise ValueError(f"f must return a scalar (the loss), got an array of shape {np.shape(value)}; "
                         "reduce it to one number, e.g. with .sum()")
    return float(value)


def relative_error(a, b) -> float:
    """‖a − b‖₂ / (‖a‖₂ + ‖b‖₂), and 0.0 when both are zero.

    Below about 1e-7 two float64 gradients agree to the precision central differences allow.
    """
    for name, value in (("a", a), ("b", b)):
        if isinstance(value, dict) or value is None:
            raise ValueError(f"{name} must be an array, got {'None' if value is None else 'a dict'}; "
                             "compare one gradient at a time, e.g. relative_error(grads['W_hh'], numeric)")
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got a {a.shape} and b {b.shape}")
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)
