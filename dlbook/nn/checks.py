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


def check_channels(module, x, layouts: dict[int, str], channels: int, channel_axis: int = 1):
    """Raise ValueError naming ``module`` unless ``x`` has a rank of ``layouts`` and ``channels``
    channels in ``channel_axis``. ``layouts`` gives the shape expected at each rank,
    {4: "(N, 3, H, W)"}; ``channel_axis=-3`` finds C in both (N, C, H, W) and (C, H, W)."""
    expected = " or ".join(layouts.values())
    if x.ndim not in layouts:
        ranks = " or ".join(f"{rank}D" for rank in layouts)
        raise ValueError(f"{module.label()}: expected {ranks} input {expected}, got {x.ndim}D"
                         f" input {tuple(x.shape)}")
    if x.shape[channel_axis] != channels:
        raise ValueError(f"{module.label()}: expected input {expected} with {channels} channels,"
                         f" got {tuple(x.shape)} with {x.shape[channel_axis]}")


def check_values_per_channel(module, x):
    """Raise ValueError (torch's words) when a batch has one value per channel: its variance
    would be 0 and the normalised output all zeros."""
    if x.shape[0] * math.prod(x.shape[2:]) == 1:
        raise ValueError(f"{module.label()}: Expected more than 1 value per channel when training,"
                         f" got input size {tuple(x.shape)}")


def check_conv_arguments(module):
    """Raise ValueError naming ``module`` (a Conv2d) on arguments torch refuses: groups that do
    not divide the channels, a size, stride or dilation below 1, a negative padding, an
    unknown padding string or mode, and "same" padding with a stride."""
    label = module.label()
    if module.groups < 1:
        raise ValueError(f"{label}: groups must be a positive integer, got {module.groups}")
    for name in ("in_channels", "out_channels"):
        if getattr(module, name) % module.groups:
            raise ValueError(f"{label}: {name} must be divisible by groups, got"
                             f" {name}={getattr(module, name)} and groups={module.groups}")
    for name in ("kernel_size", "stride", "dilation"):
        if min(getattr(module, name)) < 1:
            raise ValueError(f"{label}: {name} must be positive, got {getattr(module, name)}")
    if isinstance(module.padding, str):
        if module.padding not in ("valid", "same"):
            raise ValueError(f"{label}: invalid padding string {module.padding!r}, should be one"
                             " of {'valid', 'same'}")
        if module.padding == "same" and module.stride != (1, 1):
            raise ValueError(f"{label}: padding='same' is not supported for strided"
                             f" convolutions (stride={module.stride})")
    elif min(module.padding) < 0:
        raise ValueError(f"{label}: negative padding is not supported, got {module.padding}")
    modes = ("zeros", "reflect", "replicate", "circular")
    if module.padding_mode not in modes:
        raise ValueError(f"{label}: padding_mode must be one of {list(modes)}, but got"
                         f" padding_mode={module.padding_mode!r}")


def check_kernel_fits(module, padded_size, reach):
    """Raise ValueError naming ``module`` when its (dilated) kernel, reaching ``reach`` =
    (rows, cols), is larger than the padded input (H, W): no window would fit."""
    if padded_size[0] < reach[0] or padded_size[1] < reach[1]:
        raise ValueError(f"{module.label()}: calculated padded input size per channel:"
                         f" ({padded_size[0]} x {padded_size[1]}). Kernel size:"
                         f" ({reach[0]} x {reach[1]}). Kernel size can't be greater than actual"
                         " input size")


def check_pool_padding(module, padding, kernel_size):
    """Raise ValueError naming ``module`` unless each padding is between 0 and half the kernel
    size along its axis: torch's rule, so that every window keeps a value of the input."""
    if any(p < 0 or p > k // 2 for p, k in zip(padding, kernel_size, strict=True)):
        raise ValueError(f"{module.label()}: pad should be at most half of kernel size, but got"
                         f" padding={tuple(padding)} for kernel_size={tuple(kernel_size)}")


def check_pool_output(module, input_shape, output_size):
    """Raise ValueError naming ``module`` when its windows leave no output (OH or OW < 1):
    an input smaller than one window, as torch refuses."""
    if min(output_size) < 1:
        raise ValueError(f"{module.label()}: given input size {tuple(input_shape[-3:])}, the"
                         f" calculated output size is {(input_shape[-3], *output_size)}: the"
                         " input is smaller than one window")


def check_features(module, x, layouts: dict[int, str], features: int):
    """Raise ValueError naming ``module`` unless ``x`` has a rank of ``layouts`` and
    ``features`` values along its last axis. ``layouts`` gives the shape expected at each
    rank, {3: "(L, N, 10)", 2: "unbatched (L, 10)"}."""
    expected = " or ".join(layouts.values())
    if x.ndim not in layouts:
        ranks = " or ".join(f"{rank}D" for rank in layouts)
        raise ValueError(f"{module.label()}: expected {ranks} input {expected}, got {x.ndim}D"
                         f" input {tuple(x.shape)}")
    if x.shape[-1] != features:
        raise ValueError(f"{module.label()}: expected input {expected} with {features} features,"
                         f" got {tuple(x.shape)} with {x.shape[-1]}")


def check_exact(module, array, shape: tuple, what: str, dtype):
    """Raise TypeError or ValueError naming ``module`` unless ``array`` (the ``what`` of its
    call: a state such as hx, or a gradient) is an array of exactly ``shape`` and ``dtype``."""
    check_array(module, array, what)
    check_shape(module, array, tuple(array.shape) == tuple(shape), str(tuple(shape)), what)
    if array.dtype != dtype:
        raise TypeError(f"{module.label()}: {what} is {array.dtype} but the input is {dtype};"
                        f" use {what.split(' ')[0]}.astype(np.{dtype})")


def check_rnn_arguments(module):
    """Raise ValueError or TypeError naming ``module`` (an RNN, LSTM or GRU) on the arguments
    torch refuses: sizes below 1, a dropout probability outside [0, 1], non-bool flags."""
    label = module.label()
    dropout = module.dropout
    number = isinstance(dropout, int | float | np.integer | np.floating)
    if isinstance(dropout, bool) or not number or not 0 <= dropout <= 1:
        raise ValueError(f"{label}: dropout should be a number in range [0, 1] representing the"
                         f" probability of an element being zeroed, got {dropout!r}")
    for name in ("bias", "batch_first", "bidirectional"):
        if not isinstance(getattr(module, name), bool):
            raise TypeError(f"{label}: {name} should be of type bool, got:"
                            f" {type(getattr(module, name)).__name__}")
    for name in ("input_size", "hidden_size", "num_layers"):
        value = getattr(module, name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{label}: {name} should be of type int, got:"
                            f" {type(value).__name__}")
        if value <= 0:
            raise ValueError(f"{label}: {name} must be greater than zero, got {value}")


class IndexOutOfRange(IndexError, ValueError):
    """An index outside [0, size): an IndexError as torch raises, and a ValueError (bad value)."""


def check_indices(module, indices, size: int):
    """Raise TypeError naming ``module`` unless ``indices`` is an integer array, and
    IndexOutOfRange unless each of them is in [0, ``size``) (Embedding's rows)."""
    check_array(module, indices, "indices")
    if indices.dtype.kind not in "iu":
        raise TypeError(f"{module.label()}: expected integer indices (int64), got"
                        f" {indices.dtype}; use indices.astype(np.int64)")
    out_of_range = (indices < 0) | (indices >= size)
    if out_of_range.any():
        bad = int(indices[out_of_range].ravel()[0])
        raise IndexOutOfRange(f"{module.label()}: index {bad} is out of range: expected 0 …"
                              f" {size - 1}")
