"""Automatic checks for the exercises: each prints ✓ or a hint, and returns whether it passed."""
from __future__ import annotations

from typing import Any

import numpy as np


def _report(label: str, ok: bool, hint: str) -> bool:
    print(f"✓ {label}: correct." if ok else f"✗ {label}: not yet. Hint: {hint}")
    return ok


def check_close(label: str, answer: Any, expected: Any, hint: str, *, rtol: float = 1e-6,
                atol: float = 1e-9) -> bool:
    """Check that ``answer`` matches ``expected`` (same shape, values within rtol/atol).

    ``None`` (the placeholder left in exercise cells) and wrong shapes give the hint, not an error.
    """
    if answer is None:
        return _report(label, False, "replace None with your answer; " + hint)
    try:
        a = np.asarray(answer, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return _report(label, False, f"the answer should be numbers, got {type(answer).__name__}; " + hint)
    if a.shape != e.shape:
        return _report(label, False, f"the answer should have shape {e.shape}, got {a.shape}; " + hint)
    return _report(label, bool(np.allclose(a, e, rtol=rtol, atol=atol)), hint)


def check_true(label: str, ok: bool, hint: str) -> bool:
    """Report a condition the caller has already evaluated."""
    return _report(label, bool(ok), hint)
