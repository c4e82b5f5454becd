"""Gradient clipping and a small SGD trainer that records what happens to the gradient."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array, choice, flag, float_arrays, positive_float, positive_int, scaled_norm


def global_norm(grads: Mapping[str, np.ndarray]) -> float:
    """‖g‖₂ of all gradients (a dict of arrays) taken together as one long vector.

    Computed with scaling (``_validate.scaled_norm``), so finite gradients give a finite norm up to
    float64's largest number and never overflow on the way; inf if an entry is inf. NaN is refused.
    """
    return scaled_norm(list(float_arrays("grads", grads, "arrays", ndim=None, finite=False).values()))


def clip_by_global_norm(grads: Mapping[str, np.ndarray], threshold: float):
    """Rescale all gradients together so that their global norm is at most ``threshold``.

    Pascanu, Mikolov & Bengio (2013): if ‖g‖ > threshold, g ← threshold · g / ‖g‖. The direction
    of the update is kept; only its length changes.

    Returns
    -------
    (clipped, norm): a new dict of arrays, and the global norm before clipping.
    """
    grads = float_arrays("grads", grads, "arrays", ndim=None, finite=False)
    threshold = positive_float("threshold", threshold)
    norm = global_norm(grads)
    if not np.isfinite(norm):
        raise ValueError(f"grads have a non-finite global norm ({norm}); a NaN or inf gradient cannot "
                         "be rescaled. Lower the learning rate or the weight scale, and clip earlier.")
    scale = threshold / norm if norm > threshold else 1.0
    return {k: g * scale for k, g in grads.items()}, norm


def clip_by_value(grads: Mapping[str, np.ndarray], threshold: float) -> dict:
    """Clip every gradient entry to [-threshold, threshold] on its own.

    Shown beside :func:`clip_by_global_norm` for contrast: clipping entries one by one changes
    the direction of the update whenever some entries are cut and others are not.
    """
    grads = float_arrays("grads", grads, "arrays", ndim=None, finite=False)
    threshold = positive_float("threshold", threshold)
    return {k: np.clip(g, -threshold, threshold) for k, g in grads.items()}


@dataclass
class History:
    """What :func:`train_sgd` recorded.

    params : the last parameters whose loss and gradient were finite
    loss : (n,) loss at each step taken; grad_norm : (n,) global gradient norm before clipping
    clipped : (n,) bool, whether clipping changed the step
    status : "finished" or "diverged"; message : one sentence saying what happened
    starts : with ``record_params=True``, the parameters each step started from (including the
        step whose loss or gradient was not finite); else None
    """

    params: dict
    loss: np.ndarray
    grad_norm: np.ndarray
    clipped: np.ndarray
    status: str
    message: str
    starts: list | None = None


def _loss_and_grads_of(result, theta: Mapping[str, np.ndarray]) -> tuple:
    """(loss, grads) as loss_and_grads returned it, checked: a scalar loss and one gradient of the
    right shape for every parameter."""
    if not isinstance(result, tuple) or len(result) != 2:
        got = f"a tuple of {len(result)} items" if isinstance(result, tuple) else type(result).__name__
        raise ValueError(f"loss_and_grads must return (loss, grads), got {got}")
    loss, grads = result
    if np.ndim(loss) != 0:
        raise ValueError(f"loss_and_grads must return the loss as one number, got an array of shape {np.shape(loss)}")
    loss = as_float_array("the loss that loss_and_grads returned", loss, (), finite=False, nan=True)
    if not isinstance(grads, Mapping) or set(grads) != set(theta):
        keys = sorted(grads, key=repr) if isinstance(grads, Mapping) else type(grads).__name__
        raise ValueError(f"loss_and_grads must return grads as a dict with the keys of params "
                         f"{sorted(theta)}, got {keys}")
    for k, g in grads.items():
        if np.shape(g) != theta[k].shape:
            raise ValueError(f"grads[{k!r}] must have the shape of params[{k!r}], {theta[k].shape}, "
                             f"got shape {np.shape(g)}")
    return float(loss), {k: as_float_array(f"grads[{k!r}] from loss_and_grads", g, theta[k].shape, finite=False,
                                           nan=True) for k, g in grads.items()}


def _check_training(params, loss_and_grads, steps, lr, clip, clip_mode, verbose, record_params) -> tuple:
    """train_sgd's arguments checked: (steps, lr, clip, a float64 copy of params)."""
    steps = positive_int("steps", steps)
    lr = positive_float("lr", lr)
    choice("clip_mode", clip_mode, ("norm", "value"))
    if clip is not None:
        clip = positive_float("clip", clip)
    if not callable(loss_and_grads):
        raise ValueError("loss_and_grads must be a callable params -> (loss, grads), "
                         f"got {type(loss_and_grads).__name__}")
    flag("verbose", verbose)
    flag("record_params", record_params)
    if not isinstance(params, Mapping) or not params:
        raise ValueError("params must be a dict of weight arrays, such as {'W_hh': ..., 'b_h': ...}; got "
                         + (f"a {type(params).__name__}" if not isinstance(params, Mapping) else "an empty dict"))
    theta = {k: as_float_array(f"params[{k!r}]", v, np.shape(v)).copy() for k, v in params.items()}
    return steps, lr, clip, theta


def _clip(grads: dict, norm: float, clip: float | None, clip_mode: str) -> tuple[dict, bool]:
    """(the gradients train_sgd steps with, whether clipping changed them); norm is their global norm."""
    if clip is None:
        return grads, False
    if clip_mode == "norm":
        return clip_by_global_norm(grads, clip)[0], norm > clip
    return clip_by_value(grads, clip), any(np.any(np.abs(g) > clip) for g in grads.values())


def train_sgd(params: Mapping[str, np.ndarray], loss_and_grads: Callable, *, steps: int, lr: float,
              clip: float | None = None, clip_mode: str = "norm",
              verbose: bool = True, record_params: bool = False) -> History:
    """Plain gradient descent θ ← θ − lr·g, recording loss and gradient norm at every step.

    Parameters
    ----------
    params : dict of float64 arrays (copied; the caller's arrays are not changed)
    loss_and_grads : callable params -> (loss, grads), grads with the keys of params; it may draw
        a fresh batch at every call
    steps : number of updates; lr : learning rate
    clip : None, or the threshold for ``clip_mode`` "norm" (global norm, direction kept) or
        "value" (element-wise)
    verbose : print the one-line outcome when training stops early
    record_params : keep the parameters every step started from (History.starts)

    Training stops cleanly, with the parameters of the last good step and a message, as soon as
    the loss or a gradient becomes NaN or inf.
    """
    steps, lr, clip, theta = _check_training(params, loss_and_grads, steps, lr, clip, clip_mode, verbose,
                                             record_params)
    losses, norms, clipped = [], [], []
    status, message = "finished", f"Finished {steps} steps."
    starts = [] if record_params else None
    for step in range(steps):
        if starts is not None:
            starts.append(theta)                 # each step makes a new dict, so no copy is needed
        with np.errstate(over="ignore", invalid="ignore"):
            loss, grads = _loss_and_grads_of(loss_and_grads(theta), theta)
        norm = scaled_norm(list(grads.values()))     # as global_norm, NaN for a NaN gradient
        if not (np.isfinite(loss) and np.isfinite(norm)):
            what = "loss" if not np.isfinite(loss) else "gradient norm"
            value = loss if not np.isfinite(loss) else norm
            status = "diverged"
            message = (f"Stopped at step {step} of {steps}: the {what} became {value}. "
                       f"The gradient exploded; lower the learning rate or the weight scale, or clip the gradient.")
            break
        losses.append(float(loss))
        norms.append(norm)
        grads, was_clipped = _clip(grads, norm, clip, clip_mode)
        clipped.append(was_clipped)
        with np.errstate(over="ignore", invalid="ignore"):      # an unclipped huge step: reported below
            new = {k: theta[k] - lr * grads[k] for k in theta}
        if not all(np.all(np.isfinite(v)) for v in new.values()):
            status = "diverged"
            message = (f"Stopped at step {step} of {steps}: an update made a weight inf or NaN. "
                       f"Lower the learning rate, or clip the gradient.")
            break
        theta = new
    if verbose and status != "finished":
        print(message)
    return History(theta, np.array(losses), np.array(norms), np.array(clipped, dtype=bool), status, message,
                   starts)
