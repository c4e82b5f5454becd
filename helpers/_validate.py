"""Input checks shared by the helpers: every bad input becomes a ValueError that names the
argument, what was expected and what was received."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def shape_str(shape: Sequence[Any]) -> str:
    """Render a shape such as (T, B, 3) for messages; None entries print as their letter."""
    return "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


def as_float_array(name: str, value: Any, shape: Sequence[Any], *, finite: bool = True) -> np.ndarray:
    """Return ``value`` as a float64 array after checking its shape.

    ``shape`` lists one entry per axis: an int fixes that axis; a string (such as "T") names a
    free axis; several string entries with the same letter are not required to agree here (the
    caller checks agreement between arguments with :func:`check_dim`).
    """
    if value is None:
        raise ValueError(f"{name} must be an array of numbers with shape {shape_str(shape)}, got None")
    if np.iscomplexobj(value):
        raise ValueError(f"{name} must hold real numbers (shape {shape_str(shape)}), got complex numbers")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers with shape {shape_str(shape)}; "
                         f"could not convert it: {exc}") from None
    if arr.ndim != len(shape):
        raise ValueError(f"{name} must have {len(shape)} dimensions with shape {shape_str(shape)}, "
                         f"got {arr.ndim} dimensions with shape {arr.shape}")
    for axis, want in enumerate(shape):
        if isinstance(want, int) and arr.shape[axis] != want:
            raise ValueError(f"{name} must have shape {shape_str(shape)}, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf; expected finite numbers "
                         f"(shape {shape_str(shape)})")
    return arr


def check_dim(name: str, arr: np.ndarray, axis: int, size: int, expected: Sequence[Any]) -> None:
    """Raise ValueError unless ``arr.shape[axis] == size``, quoting the expected shape."""
    if arr.shape[axis] != size:
        want = tuple(size if i == axis else s for i, s in enumerate(expected))
        raise ValueError(f"{name} must have shape {shape_str(want)}, got shape {arr.shape}")


def positive_int(name: str, value: Any, *, minimum: int = 1) -> int:
    """Return ``value`` as an int, raising ValueError unless it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def int_list(name: str, values: Any, *, minimum: int = 1) -> list[int]:
    """Return ``values`` (a non-empty list, tuple or 1-D array of integers >= ``minimum``) as a
    list of ints, raising ValueError that names the entry at fault."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple, range, np.ndarray)):
        raise ValueError(f"{name} must be a list of integers >= {minimum}, such as [{minimum}, {minimum + 5}]; "
                         f"got {values!r:.60}")
    if len(values) == 0 or np.ndim(values) != 1:
        raise ValueError(f"{name} must be a non-empty list of integers >= {minimum}, got {values!r:.60}")
    return [positive_int(f"{name}[{i}]", v, minimum=minimum) for i, v in enumerate(values)]


def positive_float(name: str, value: Any) -> float:
    """Return ``value`` as a float, raising ValueError unless it is finite and > 0."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a positive number, got {value!r}") from None
    if not np.isfinite(out) or out <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return out


def choice(name: str, value: Any, options: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``options``, else raise ValueError listing them."""
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}; got {value!r}")
    return value
