"""Activation functions φ, their derivatives φ' and γ = sup|φ'| (the factor in the gradient bound)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._validate import function, real, received, text


@dataclass(frozen=True)
class Activation:
    """An activation φ with its derivative.

    Attributes
    ----------
    name : str
    f : callable, z -> φ(z), element-wise, any shape
    df : callable, z -> φ'(z) = dφ/dz, element-wise, any shape
    gamma : float, sup over z of |φ'(z)|, a finite number >= 0

    Each is checked when the Activation is made (a ValueError names the one at fault).
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    gamma: float

    def __post_init__(self):
        text("name", self.name)
        function("f", self.f, "lambda z: np.logaddexp(0.0, z)")
        function("df", self.df, "lambda z: 0.5 * (1.0 + np.tanh(0.5 * z))")
        object.__setattr__(self, "gamma", real("gamma", self.gamma, minimum=0.0))

    def __repr__(self) -> str:
        return f"Activation({self.name!r}, gamma={self.gamma:g})"


def _sigmoid(z):
    # 1/(1+e^-z) written through tanh: exact identity, no overflow warning for large |z|.
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def _dsigmoid(z):
    # σ' = σ(1 − σ) = σ(z) σ(−z): the second form avoids cancellation in 1 − σ for large z.
    z = np.asarray(z, dtype=np.float64)
    return _sigmoid(z) * _sigmoid(-z)


def _dtanh(z):
    t = np.tanh(np.asarray(z, dtype=np.float64))
    return 1.0 - t * t


def _relu(z):
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)


def _drelu(z):
    # relu'(0) is taken as 0 (the subgradient used by every framework).
    return (np.asarray(z, dtype=np.float64) > 0).astype(np.float64)


def _linear(z):
    return np.array(z, dtype=np.float64)


def _dlinear(z):
    return np.ones_like(np.asarray(z, dtype=np.float64))


ACTIVATIONS = {
    "tanh": Activation("tanh", lambda z: np.tanh(np.asarray(z, dtype=np.float64)), _dtanh, 1.0),
    "sigmoid": Activation("sigmoid", _sigmoid, _dsigmoid, 0.25),
    "relu": Activation("relu", _relu, _drelu, 1.0),
    "linear": Activation("linear", _linear, _dlinear, 1.0),
}


def get_activation(name: str | Activation) -> Activation:
    """Return the activation called ``name`` ("tanh", "sigmoid", "relu" or "linear").

    An :class:`Activation` passes through unchanged. An unknown name raises ValueError listing
    the valid names.
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(repr(k) for k in ACTIVATIONS)}; "
                         f"got {received(name)} (give the name of an activation, or an Activation)")
    return ACTIVATIONS[name]
