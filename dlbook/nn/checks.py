"""The one place where layers check their input and word the error (STYLE: checks at the door).

``owner`` names who checks: a module (its label, ``Linear(in_features=3, ...)``) or, for the
functional API, a function's name.
"""

import math

import numpy as np

from dlbook.backend import is_array


def check_array(owner, x, what: str = "input"):
    """Raise TypeError naming ``owner`` unless ``x`` is a NumPy (or CuPy) array."""
    if not is_array(x):
        hint = "x.numpy()" if type(x).__module__ == "torch" else "np.asarray(x, dtype=np.float32)"
        raise TypeError(f"{_name(owner)}: expected {what} as a NumPy array, got"
                        f" {type(x).__name__}; use {hint}")


def check_shape(owner, x, ok: bool, expected: str, what: str = "input"):
    """Raise ValueError naming ``owner``, the ``expected`` shape of ``what``, and the actual."""
    if not ok:
        got = tuple(x.shape) if hasattr(x, "shape") else f"a {type(x).__name__}"
        raise ValueError(f"{_name(owner)}: expected {what} {expected}, got {got}")


def check_dtype(module, x):
    """Raise TypeError unless ``x`` has the float dtype of ``module``'s parameters.

    The fix suggested is a cast of the input, or of the model when the input is the other
    common float width (float64 data for a float32 model: ``model.double()``).
    """
    dtype = module.dtype
    if dtype is None or x.dtype == dtype:
        return
    fixes = {np.float64: "model.double()", np.float32: "model.float()"}
    fix = f"x.astype(np.{dtype})"
    if x.dtype.type in fixes:
        fix = f"{fixes[x.dtype.type]} or {fix}"
    raise TypeError(f"{module.label()}: input is {x.dtype} but the parameters are {dtype};"
                    f" use {fix}")


def check_float_dtype(owner: str, dtype) -> np.dtype:
    """``dtype`` as a NumPy float dtype, or a TypeError: parameters must be floating point."""
    if dtype.kind != "f":
        raise TypeError(f"{owner}: parameters must have a floating point dtype (float32,"
                        f" float64), got {dtype}")
    return dtype


def check_target_dtype(owner, input, target, kinds: str | None = None):
    """A target of the input's dtype (``kinds=None``, as BCELoss demands: no silent upcast), or
    of one of the NumPy dtype ``kinds`` ("f" float, "i" int, "u" unsigned), promoted later."""
    ok = target.dtype == input.dtype if kinds is None else target.dtype.kind in kinds
    if not ok:
        raise TypeError(f"{_name(owner)}: target is {target.dtype} but the input is"
                        f" {input.dtype}; use target.astype(np.{input.dtype})")


def check_class_target(owner, input, target, ignore_index: int, allow_probabilities: bool):
    """Integer class indices of the input's shape without its class dim, each in [0, C) or
    ``ignore_index``; or, where allowed, float class probabilities of the input's shape."""
    if allow_probabilities and target.dtype.kind == "f" and target.shape == input.shape:
        return
    class_dim = 1 if input.ndim >= 2 else 0
    index_shape = input.shape[:class_dim] + input.shape[class_dim + 1:]
    if target.dtype.kind not in "iu":
        hint = (f", or class probabilities of the input's shape {tuple(input.shape)}"
                if allow_probabilities else "")
        raise TypeError(f"{_name(owner)}: expected target dtype to be an integer type (int64),"
                        f" got {target.dtype}: class indices must be integers{hint}")
    check_shape(owner, target, target.shape == index_shape,
                f"integer class indices {index_shape}", "target")
    check_class_indices(owner, target, input.shape[class_dim], ignore_index)


def check_class_indices(owner, target, num_classes: int, ignore_index: int):
    """Raise IndexError (as torch) naming ``owner`` unless every class index is in [0, C)."""
    out_of_range = (target != ignore_index) & ((target < 0) | (target >= num_classes))
    if out_of_range.any():
        bad = int(target[out_of_range].ravel()[0])
        raise TargetOutOfRange(f"{_name(owner)}: target {bad} is out of range for {num_classes}"
                               f" classes (expected 0 … {num_classes - 1} or"
                               f" ignore_index={ignore_index})")


class TargetOutOfRange(IndexError, ValueError):
    """A class index outside [0, C): an IndexError as torch raises, and a ValueError (bad value)."""


def _name(owner) -> str:
    return owner if isinstance(owner, str) else owner.label()


def check_probability(owner, p):
    """Raise ValueError naming ``owner`` unless the dropout probability ``p`` is in [0, 1]."""
    if not 0 <= p <= 1:
        raise ValueError(f"{_name(owner)}: dropout probability p has to be between 0 and 1, but"
                         f" got {p}")


def check_channels(module, x, layouts: dict[int, str], channels: int):
    """Raise ValueError naming ``module`` unless ``x`` has a rank of ``layouts`` and ``channels``
    channels in dim 1. ``layouts`` gives the shape expected at each rank, {4: "(N, 3, H, W)"}."""
    expected = " or ".join(layouts.values())
    if x.ndim not in layouts:
        ranks = " or ".join(f"{rank}D" for rank in layouts)
        raise ValueError(f"{module.label()}: expected {ranks} input {expected}, got {x.ndim}D"
                         f" input {tuple(x.shape)}")
    if x.shape[1] != channels:
        raise ValueError(f"{module.label()}: expected input {expected} with {channels} channels,"
                         f" got {tuple(x.shape)} with {x.shape[1]}")


def check_values_per_channel(module, x):
    """Raise ValueError (torch's words) when a batch has one value per channel: its variance
    would be 0 and the normalised output all zeros."""
    if x.shape[0] * math.prod(x.shape[2:]) == 1:
        raise ValueError(f"{module.label()}: Expected more than 1 value per channel when training,"
                         f" got input size {tuple(x.shape)}")
