"""Input checks shared by the helpers: every bad input becomes a ValueError that names the
argument, what was expected and what was received. Also what the helpers share to stay honest at
float64's edges: exact power-of-two scaling for norms and cosines (:func:`unit_scaled`,
:func:`row_norms`, :func:`scaled_norm`, :func:`scaled_cosine`) and the overflow rule
(:func:`overflow_as_inf`: from finite inputs an overflow is inf, never NaN)."""
from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np


def shape_str(shape: Sequence[Any]) -> str:
    """Render a shape such as (T, B, 3) for messages; None entries print as their letter."""
    return "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


def received(value: Any) -> str:
    """How a message shows what it was given: short, and saying the type where that is the fault."""
    if value is None or isinstance(value, (bool, np.bool_, numbers.Number, str, list, tuple)):
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "..."
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def as_float_array(name: str, value: Any, shape: Sequence[Any], *, finite: bool = True,
                   nan: bool = False) -> np.ndarray:
    """Return ``value`` as a float64 array after checking its shape.

    ``shape`` lists one entry per axis: an int fixes that axis; a string (such as "T") names a
    free axis; several string entries with the same letter are not required to agree here (the
    caller checks agreement between arguments with :func:`check_dim`). Text, complex numbers and
    None are refused; so are inf unless ``finite=False``, and NaN unless ``nan=True`` as well.
    """
    want = f"an array of numbers with shape {shape_str(shape)}"
    if value is None or isinstance(value, (str, bytes, Mapping)):
        raise ValueError(f"{name} must be {want}, got {received(value)}")
    raw = np.asarray(value) if not isinstance(value, np.ndarray) else value
    if raw.dtype.kind == "c":
        raise ValueError(f"{name} must hold real numbers (shape {shape_str(shape)}), got complex numbers")
    if raw.dtype.kind in "USVM":
        raise ValueError(f"{name} must be {want}, got an array of {raw.dtype} (text or dates)")
    try:
        arr = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be {want}; could not convert it: {exc}") from None
    if arr.ndim != len(shape):
        raise ValueError(f"{name} must have {len(shape)} dimensions with shape {shape_str(shape)}, "
                         f"got {arr.ndim} dimensions with shape {arr.shape}")
    for axis, want_size in enumerate(shape):
        if isinstance(want_size, int) and arr.shape[axis] != want_size:
            raise ValueError(f"{name} must have shape {shape_str(shape)}, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf; expected finite numbers "
                         f"(shape {shape_str(shape)})")
    if not finite and not nan and np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN; expected numbers (inf allowed), shape {shape_str(shape)}")
    return arr


def reals(name: str, value: Any) -> np.ndarray:
    """A finite number or an array of them (any shape) as float64; True and False are not numbers here."""
    if np.asarray(value).dtype.kind == "b":
        raise ValueError(f"{name} must be a finite number or an array of them, got {received(value)}")
    return as_float_array(name, value, tuple("N" * np.ndim(value)))


def non_empty(name: str, arr: np.ndarray, what: str = "at least one entry") -> np.ndarray:
    """Raise ValueError if ``arr`` has no entries."""
    if arr.size == 0:
        raise ValueError(f"{name} must have {what}, got an empty array of shape {arr.shape}")
    return arr


def matching(name: str, value: Any, shape: Sequence[int], why: str) -> np.ndarray:
    """``value`` as a finite float array of exactly ``shape``, which other arguments fix (``why``
    names them, e.g. "one value per entry of T_values")."""
    arr = as_float_array(name, value, tuple(str(n) for n in shape))
    if arr.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {shape_str(shape)} ({why}), got shape {arr.shape}")
    return arr


def magnitude(name: str, arr: np.ndarray, limit: float, why: str) -> np.ndarray:
    """``arr`` if every finite |entry| is at most ``limit``, else a ValueError saying ``why`` larger
    numbers cannot be used (e.g. "a figure's axis arithmetic overflows beyond it")."""
    finite = np.abs(arr[np.isfinite(arr)])
    if finite.size and finite.max() > limit:
        raise ValueError(f"{name} must hold numbers within ±{limit:g} ({why}), got {finite.max():.3g}")
    return arr


@contextmanager
def no_overflow(names: str):
    """Run the block with numpy's overflow and invalid-operation warnings raised as a ValueError
    that names ``names`` (the arguments whose size decides it): for a computation whose inputs are
    finite but so large that the result cannot be stored in float64."""
    try:
        with np.errstate(over="raise", invalid="raise"):
            yield
    except FloatingPointError as exc:
        raise ValueError(f"{names}: too large for float64 here ({exc}); use smaller numbers") from None


# The largest |number| a figure draws on a linear axis: matplotlib's axis arithmetic (the data's
# span, margins, ticks, the midpoints of a colour mesh) overflows float64 not far beyond it.
DRAWABLE = 1e300


def drawable(name: str, value: Any) -> Any:
    """``value`` (a number or an array of numbers, already checked) if every finite |entry| is at
    most :data:`DRAWABLE`, else a ValueError naming ``name`` that says why."""
    magnitude(name, np.asarray(value, dtype=np.float64), DRAWABLE, "a figure's axis arithmetic overflows beyond it")
    return value


def check_dim(name: str, arr: np.ndarray, axis: int, size: int, expected: Sequence[Any]) -> None:
    """Raise ValueError unless ``arr.shape[axis] == size``, quoting the expected shape."""
    if arr.shape[axis] != size:
        want = tuple(size if i == axis else s for i, s in enumerate(expected))
        raise ValueError(f"{name} must have shape {shape_str(want)}, got shape {arr.shape}")


def stacked_rows(name: Any, H: Any, gates: Sequence[str]) -> slice:
    """The rows of gate ``name`` in a gated cell's stacked weights, one block of H rows a gate in the
    order of ``gates``."""
    k = gates.index(choice("name", name, tuple(gates)))
    H = positive_int("H", H)
    return slice(k * H, (k + 1) * H)


def cell_param(params: Any, key: str, biases: Sequence[str], gates: int) -> Any:
    """``params[key]`` of a gated cell with ``gates`` stacked gates (the LSTM: 4, bias "b"; the GRU: 3,
    biases "b_x", "b_h"), or a ValueError naming params and the keys it must hold."""
    names = ("W_x", "W_h", *biases)
    if not isinstance(params, Mapping):
        raise ValueError(f"params must be a dict with keys {', '.join(names)}, got {type(params).__name__}")
    if key not in params:
        shapes = (f"W_x ({gates}H, D)", f"W_h ({gates}H, H)", *(f"{b} ({gates}H,)" for b in biases))
        raise ValueError(f"params is missing {key}; expected keys {', '.join(shapes)} "
                         "(and W_hy (K, H), b_y (K,) with an output layer)")
    return params[key]


def cell_weights(params: Any, x: Any, biases: Sequence[str], gates: int) -> tuple:
    """The checked inputs of a gated cell's forward pass: x (T, B, D) with T, B >= 1, and params'
    W_x (gates·H, D), W_h (gates·H, H) and each bias (gates·H,), D matching between x and W_x.
    Returns (x, W_x, W_h, [biases]) as float64 arrays."""
    g = f"{gates}H"
    W_h = as_float_array("params['W_h']", cell_param(params, "W_h", biases, gates), (g, "H"))
    H = W_h.shape[1]
    check_dim("params['W_h']", W_h, 0, gates * H, (g, H))
    x = as_float_array("x", x, ("T", "B", "D"))
    T, B, D = x.shape
    if T == 0 or B == 0:
        raise ValueError(f"x must have shape (T, B, D) with T >= 1 and B >= 1, got shape {x.shape}")
    W_x = as_float_array("params['W_x']", cell_param(params, "W_x", biases, gates), (gates * H, "D"))
    if W_x.shape[1] != D:
        raise ValueError(f"x has D = {D} numbers per step (shape {x.shape}), but params['W_x'] has shape "
                         f"{W_x.shape}, which takes D = {W_x.shape[1]}; expected x of shape "
                         f"(T, B, {W_x.shape[1]}) or params['W_x'] of shape ({gates * H}, {D})")
    return x, W_x, W_h, [as_float_array(f"params['{b}']", cell_param(params, b, biases, gates), (gates * H,))
                         for b in biases]


def readout(params: Any, H: int, biases: Sequence[str], gates: int) -> tuple[np.ndarray, np.ndarray]:
    """A gated cell's output layer: params' W_hy (K, H) and b_y (K,), checked."""
    W_hy = as_float_array("params['W_hy']", cell_param(params, "W_hy", biases, gates), ("K", H))
    return W_hy, as_float_array("params['b_y']", cell_param(params, "b_y", biases, gates), (W_hy.shape[0],))


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def positive_int(name: str, value: Any, *, minimum: int = 1, maximum: int | None = None) -> int:
    """Return ``value`` as an int, raising ValueError unless it is an integer in [minimum, maximum]."""
    if not _is_int(value) or value < minimum or (maximum is not None and value > maximum):
        span = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        raise ValueError(f"{name} must be an integer {span}, got {received(value)}")
    return int(value)


def seed(name: str, value: Any) -> int:
    """Return a random seed: an integer >= 0 (None would mean a different run each time)."""
    if not _is_int(value) or value < 0:
        raise ValueError(f"{name} must be an integer >= 0 (a seed, so the run can be repeated), "
                         f"got {received(value)}")
    return int(value)


def int_list(name: str, values: Any, *, minimum: int = 1) -> list[int]:
    """Return ``values`` (a non-empty list, tuple or 1-D array of integers >= ``minimum``) as a
    list of ints, raising ValueError that names the entry at fault."""
    if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple, range, np.ndarray)):
        raise ValueError(f"{name} must be a list of integers >= {minimum}, such as [{minimum}, {minimum + 5}]; "
                         f"got {received(values)}")
    if len(values) == 0 or np.ndim(values) != 1:
        raise ValueError(f"{name} must be a non-empty list of integers >= {minimum}, got {received(values)}")
    return [positive_int(f"{name}[{i}]", v, minimum=minimum) for i, v in enumerate(values)]


def real(name: str, value: Any, *, minimum: float | None = None, maximum: float | None = None,
         positive: bool = False, finite: bool = True) -> float:
    """Return ``value`` as a float, raising ValueError unless it is a real number (not a bool, not
    text, not NaN) within the bounds: ``positive`` means > 0; ``minimum``/``maximum`` are inclusive;
    inf passes only with ``finite=False``."""
    bounds = [f">= {minimum:g}"] if minimum is not None else []
    bounds += [f"<= {maximum:g}"] if maximum is not None else []
    want = ("a positive " if positive else "a ") + ("finite number" if finite else "number")
    want += (" " + " and ".join(bounds)) if bounds else ""
    if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be {want}, got {received(value)}")
    out = float(value)
    if (np.isnan(out) or (finite and not np.isfinite(out)) or (positive and out <= 0)
            or (minimum is not None and out < minimum) or (maximum is not None and out > maximum)):
        raise ValueError(f"{name} must be {want}, got {received(value)}")
    return out


def positive_float(name: str, value: Any) -> float:
    """Return ``value`` as a float, raising ValueError unless it is finite and > 0."""
    return real(name, value, positive=True)


def flag(name: str, value: Any) -> bool:
    """Return ``value`` if it is True or False (not a string such as "no", which would read as True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {received(value)}")
    return bool(value)


def text(name: str, value: Any) -> str:
    """Return ``value`` if it is a string."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {received(value)}")
    return value


def optional_text(name: str, value: Any) -> str | None:
    """Return ``value`` if it is a string or None."""
    return None if value is None else text(name, value)


def choice(name: str, value: Any, options: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``options``, else raise ValueError listing them."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}; got {received(value)}")
    return value


def function(name: str, value: Any, example: str = "") -> Callable:
    """Return ``value`` if it can be called, else raise ValueError (``example`` shows one)."""
    if not callable(value):
        hint = f", such as {example}" if example else ""
        raise ValueError(f"{name} must be a function{hint}; got {received(value)}")
    return value


def instance(name: str, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    """Return ``value`` if it is an instance of ``kind``; ``what`` says how to get one."""
    if not isinstance(value, kind):
        raise ValueError(f"{name} must be {what}, got {received(value)}")
    return value


def axes(name: str, ax: Any):
    """``ax`` if it is a matplotlib Axes, else a ValueError naming ``name``."""
    from matplotlib.axes import Axes
    return instance(name, ax, Axes, "a matplotlib Axes (such as fig.add_subplot())")


def figure(name: str, fig: Any):
    """``fig`` if it is a matplotlib Figure, else a ValueError naming ``name``."""
    from matplotlib.figure import Figure
    return instance(name, fig, Figure, "a matplotlib Figure")


def interval(name: str, value: Any) -> tuple[float, float]:
    """(low, high) from ``value``: two finite numbers with low < high, such as an axis range."""
    want = "two finite numbers (low, high) with low < high"
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise ValueError(f"{name} must be {want}, got {received(value)}")
    low, high = (real(f"{name}[{i}]", v) for i, v in enumerate(value))
    if not low < high:
        raise ValueError(f"{name} must be {want}, got {received(value)}")
    return low, high


def mapping(name: str, value: Any, what: str, *, empty_ok: bool = False) -> Mapping:
    """Return ``value`` if it is a dict (non-empty unless ``empty_ok``); ``what`` describes its entries."""
    want = f"a dict of {what}" if empty_ok else f"a non-empty dict of {what}"
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be {want}, got {received(value)}")
    if not value and not empty_ok:
        raise ValueError(f"{name} must be {want}, got an empty dict")
    return value


def float_arrays(name: str, value: Any, what: str, *, ndim: int | None = 1, finite: bool = True,
                 empty_ok: bool = False) -> dict[str, np.ndarray]:
    """A dict label → array (curves to draw, gradients, parameters), each checked with
    :func:`as_float_array` under the name ``name[label]``: of ``ndim`` dimensions and non-empty
    (unless ``empty_ok``), or of any shape when ``ndim`` is None."""
    mapping(name, value, what, empty_ok=empty_ok)
    out = {}
    for key, arr in value.items():
        key_name = f"{name}[{key!r}]"
        shape = np.shape(arr) if ndim is None else tuple("N" * ndim)
        out[key] = as_float_array(key_name, arr, shape, finite=finite)
        if ndim and not empty_ok:
            non_empty(key_name, out[key])
    return out


def unit_scaled(arrays: Sequence[np.ndarray]) -> tuple[list[np.ndarray], int]:
    """``(scaled, e)``: the arrays times 2⁻ᵉ, with e chosen so that the largest finite |entry| lies
    in [0.5, 1). Scaling by a power of two is exact, so sums of squares of the scaled arrays equal
    the plain ones times 4⁻ᵉ bit for bit, and cannot overflow. e = 0 (arrays unchanged) when no
    entry is finite and non-zero; inf and NaN entries stay as they are."""
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    finite = [np.abs(a[np.isfinite(a)]) for a in arrays]
    peak = max((float(f.max()) for f in finite if f.size), default=0.0)
    if peak == 0.0:
        return arrays, 0
    e = int(np.frexp(peak)[1])
    return [np.ldexp(a, -e) for a in arrays], e


def row_norms(a: np.ndarray) -> np.ndarray:
    """‖a[..., :]‖₂ over the last axis, each row scaled by a power of two near its largest |entry|
    first (exact), so finite entries neither overflow nor underflow: bit for bit np.linalg.norm's
    result wherever that one stays in range, inf only where the norm itself exceeds float64. A row
    holding inf gives inf, one holding NaN gives NaN."""
    a = np.asarray(a, dtype=np.float64)
    e = np.frexp(np.max(np.abs(a), axis=-1, initial=0.0))[1]       # 0 for a zero, inf or NaN peak
    with np.errstate(over="ignore"):
        return np.ldexp(np.linalg.norm(np.ldexp(a, -e[..., None]), axis=-1), e)


def scaled_norm(arrays: Sequence[np.ndarray] | np.ndarray) -> float:
    """‖v‖₂ of all entries of ``arrays`` read as one vector, without overflow or underflow on
    finite input (:func:`unit_scaled` first; on ordinary input the result is bit for bit the plain
    √Σv²). inf if an entry is inf or the true norm exceeds float64; nan if one is NaN."""
    scaled, e = unit_scaled([arrays] if isinstance(arrays, np.ndarray) else arrays)
    peak = max((float(np.max(np.abs(a))) for a in scaled if a.size), default=0.0)
    if not np.isfinite(peak):
        return peak                                      # inf, or NaN: the norm is the same
    total = sum(float(np.sum(np.square(a))) for a in scaled)
    with np.errstate(over="ignore"):
        return float(np.ldexp(np.sqrt(total), e))


def scaled_cosine(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> float:
    """The cosine of the angle between the vectors formed by ``a``'s and ``b``'s entries, each
    put through :func:`unit_scaled` first, so it neither overflows nor underflows on finite input
    (on ordinary input: bit for bit the plain a·b / (‖a‖ ‖b‖), except that a rounding just past ±1
    is clipped to ±1). Raises ValueError if either vector is zero."""
    a, _ = unit_scaled(a)
    b, _ = unit_scaled(b)
    norm_a = np.sqrt(sum(float(np.sum(np.square(x))) for x in a))
    norm_b = np.sqrt(sum(float(np.sum(np.square(y))) for y in b))
    if norm_a == 0.0 or norm_b == 0.0:
        raise ValueError("a and b must be non-zero gradients to have an angle; got a zero gradient")
    dot = sum(float(np.sum(x * y)) for x, y in zip(a, b, strict=True))
    return float(np.clip(dot / (norm_a * norm_b), -1.0, 1.0))


def has_nan(a: np.ndarray) -> bool:
    """Whether ``a`` holds a NaN; one sum decides it for an array that holds none (the usual case)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return bool(np.isnan(a.sum())) and bool(np.isnan(a).any())


def overflow_as_inf(arr: np.ndarray) -> np.ndarray:
    """Replace NaN by +inf in ``arr`` (in place) and return it: the helpers' rule for overflow.

    From finite inputs a NaN can only come from inf − inf or 0 · inf after some value overflowed
    float64; the true value is then a finite number too large to store, of unknown sign, so the
    helpers report it as inf (never NaN). Use only on results computed from inputs already checked
    to be finite."""
    if has_nan(arr):
        np.copyto(arr, np.inf, where=np.isnan(arr))
    return arr


def check_targets(x: np.ndarray, y: Any, loss: str | None, K: int | str, *, x_name: str = "x") -> None:
    """Raise ValueError naming ``x_name`` and y when y's steps or sequences differ from those of x
    (T, B, D); y is (T, B, K) for loss "mse" and (T, B) class labels for "softmax". loss None: y is
    (T, B, K) targets of a fit with no loss argument (an ESN's readout), and the message names none."""
    T, B = x.shape[:2]
    got = np.shape(y)
    if len(got) >= 2 and got[:2] != (T, B):
        want = (T, B) if loss == "softmax" else (T, B, K)
        what = f"T = {got[0]} steps" if got[0] != T else f"B = {got[1]} sequences"
        raise ValueError(f"{x_name} has T = {T} steps and B = {B} sequences (shape {x.shape}) but y has {what} "
                         f"(shape {got}); expected y of shape {shape_str(want)}"
                         + (f" for loss={loss!r}" if loss is not None else ""))
