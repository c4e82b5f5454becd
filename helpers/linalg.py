"""Spectra of square matrices: the numbers that decide whether a product of Jacobians shrinks.

For W (H, H): the spectral radius ρ(W) = max |eigenvalue|, the largest singular value
λ₁ = σ₁(W) = ‖W‖₂ (the course's λ₁), the whole spectrum, and the norms ‖Aᵏ‖₂ of matrix powers.
ρ(W) ≤ λ₁ always, with equality for normal matrices; lesson 04 shows where they part.
"""
from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_dim, overflow_as_inf, positive_int, text
from .rnn import log_spectral_norms, renormalise


def check_square(name: str, W) -> np.ndarray:
    """``W`` as a float64 (H, H) array, or a ValueError naming ``name`` and the shape received."""
    W = as_float_array(text("name", name), W, ("H", "H"))
    check_dim(name, W, 1, W.shape[0], W.shape[:1] * 2)
    return W


def spectral_radius(W) -> float:
    """ρ(W) = max |eigenvalue| of a square matrix W (H, H): the rate of ‖W^k‖^(1/k) as k → ∞."""
    return float(np.max(np.abs(np.linalg.eigvals(check_square("W", W)))))


def largest_singular_value(W) -> float:
    """λ₁ = σ₁(W) = ‖W‖₂, the largest singular value of W (H, H): the most W can stretch a vector
    in one step. Always ≥ the spectral radius; equal for normal matrices."""
    return float(np.linalg.norm(check_square("W", W), 2))


def spectrum(W) -> tuple[np.ndarray, np.ndarray]:
    """The eigenvalues (H,) complex and the singular values (H,) largest first of W (H, H)."""
    W = check_square("W", W)
    return np.linalg.eigvals(W), np.linalg.svd(W, compute_uv=False)


def matrix_power_norms(A, k_max: int) -> np.ndarray:
    """‖A^k‖₂ for k = 0 … k_max, (k_max + 1,); inf once a power overflows float64."""
    A = check_square("A", A)
    k_max = positive_int("k_max", k_max, minimum=0)
    H = A.shape[0]
    P = np.empty((k_max + 1, H, H))
    logs = np.zeros(k_max + 1)
    P[0] = np.eye(H)
    with np.errstate(over="ignore", invalid="ignore"):     # one product may overflow: inf, never NaN
        for k in range(1, k_max + 1):
            overflow_as_inf(np.matmul(A, P[k - 1], out=P[k]))
            logs[k] = logs[k - 1] + renormalise(P[k])
        return np.exp(log_spectral_norms(P, logs))
