"""The math of every layer: forward functions and the backward functions that undo them.

Each ``*_backward(grad_out, ...)`` takes dL/dy and what the forward kept, and returns dL/dx.
Arrays may be NumPy or CuPy; the dtype of the input is kept.
"""

import warnings

import numpy as np

from dlbook.backend import get_array_module
from dlbook.nn.checks import check_class_target


def sigmoid(x):
    """σ(x) = 1 / (1 + exp(−x)), elementwise. Shape: x (*) -> y (*)."""
    xp = get_array_module(x)
    # exp(−|x|) never overflows; σ(x) = 1/(1+e) for x ≥ 0 and e/(1+e) for x < 0
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_backward(grad_out, y):
    """dL/dx from dL/dy and the output y = σ(x): dσ/dx = σ(1 − σ)."""
    return grad_out * y * (1 - y)


def tanh(x):
    """tanh(x), elementwise. Shape: x (*) -> y (*)."""
    return get_array_module(x).tanh(x)


def tanh_backward(grad_out, y):
    """dL/dx from dL/dy and the output y = tanh(x): dtanh/dx = 1 − tanh²."""
    return grad_out * (1 - y * y)


def relu(x):
    """max(x, 0), elementwise. Shape: x (*) -> y (*)."""
    return get_array_module(x).maximum(x, 0)


def relu_backward(grad_out, x):
    """dL/dx from dL/dy and the input x: the gradient passes where x > 0 (0 at x = 0, as torch)."""
    return grad_out * (x > 0)


def relu6(x):
    """min(max(x, 0), 6), elementwise: ReLU capped at 6 (MobileNet). Shape: x (*) -> y (*)."""
    return get_array_module(x).clip(x, 0, 6)


def relu6_backward(grad_out, x):
    """dL/dx: the gradient passes where 0 < x < 6, as torch's hardtanh_backward."""
    return grad_out * ((x > 0) & (x < 6))


def leaky_relu(x, negative_slope: float = 0.01):
    """x where x > 0, negative_slope·x elsewhere. Shape: x (*) -> y (*)."""
    return get_array_module(x).where(x > 0, x, x * negative_slope)


def leaky_relu_backward(grad_out, x, negative_slope: float = 0.01):
    """dL/dx: the gradient passes where x > 0, scaled by negative_slope elsewhere."""
    return get_array_module(x).where(x > 0, grad_out, grad_out * negative_slope)


def implicit_dim(name: str, ndim: int) -> int:
    """torch's deprecated choice of dim when none is given, with torch's warning."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to"
                  " include dim=X as an argument.", UserWarning, stacklevel=4)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(x, dim: int | None = None):
    """exp(x) / Σ exp(x) along ``dim``; subtracting the max first keeps exp from overflowing."""
    dim = implicit_dim("softmax", x.ndim) if dim is None else dim
    if x.size == 0:  # an empty batch or an empty dim: nothing to normalise
        return x.copy()
    xp, axis = get_array_module(x), _axis(x, dim)
    e = xp.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_backward(grad_out, y, dim: int = -1):
    """dL/dx = y ⊙ (g − Σ g·y) along ``dim``, from the output y = softmax(x)."""
    return y * (grad_out - (grad_out * y).sum(axis=_axis(y, dim), keepdims=True))


def log_softmax(x, dim: int | None = None):
    """x − log Σ exp(x) along ``dim``, computed with the log-sum-exp trick."""
    dim = implicit_dim("log_softmax", x.ndim) if dim is None else dim
    if x.size == 0:
        return x.copy()
    xp, axis = get_array_module(x), _axis(x, dim)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))


def log_softmax_backward(grad_out, y, dim: int = -1):
    """dL/dx = g − softmax(x) · Σ g along ``dim``, from the output y = log_softmax(x)."""
    xp = get_array_module(y)
    return grad_out - xp.exp(y) * grad_out.sum(axis=_axis(y, dim), keepdims=True)


def _axis(x, dim: int):
    """The NumPy axis of ``dim``: a 0-d array (torch allows dim 0 or −1) reduces over itself."""
    return dim if x.ndim else None


def linear(x, weight, bias=None):
    """y = x Wᵀ + b. Shapes: x (*, in), W (out, in), b (out,) -> y (*, out)."""
    y = x @ weight.T
    return y if bias is None else y + bias


# -- losses ------------------------------------------------------------------------------------
# Each loss has a forward (returns the reduced loss, a 0-d array, or per-element losses for
# reduction="none") and a backward returning dL/dinput for the upstream gradient grad_out.

REDUCTIONS = ("mean", "sum", "none")


def _reduce(loss, reduction: str, count=None):
    """Sum, average (over ``count``, default every element) or keep the per-element losses."""
    if reduction == "none":
        return loss
    total = loss.sum()
    if reduction == "sum":
        return total
    with np.errstate(invalid="ignore"):  # no element (or all ignored): 0/0 = nan, as torch
        return total / (loss.size if count is None else count)


def _unreduce(grad_out, reduction: str, count):
    """The gradient each element's loss receives from the reduced loss."""
    if reduction != "mean":
        return grad_out
    return grad_out / count if count else grad_out * 0  # torch: nothing counted, gradient 0


def _promote(input, target):
    """Input and target in one dtype by torch's rule: the wider float; an integer target takes
    the input's. The loss comes out in that dtype; dL/dinput goes back to the input's."""
    dtype = input.dtype
    if target.dtype.kind == "f" and target.dtype.itemsize > dtype.itemsize:
        dtype = target.dtype
    return input.astype(dtype, copy=False), target.astype(dtype, copy=False)


def mse_loss(input, target, reduction: str = "mean"):
    """(x − t)², reduced. Shapes: input (*), target (*)."""
    input, target = _promote(input, target)
    return _reduce((input - target) ** 2, reduction)


def mse_loss_backward(grad_out, input, target, reduction: str = "mean"):
    """dL/dx = 2 (x − t), divided by the number of elements for the mean."""
    x, t = _promote(input, target)
    grad = _unreduce(grad_out, reduction, input.size) * 2 * (x - t)
    return grad.astype(input.dtype, copy=False)


def l1_loss(input, target, reduction: str = "mean"):
    """|x − t|, reduced. Shapes: input (*), target (*)."""
    input, target = _promote(input, target)
    return _reduce(get_array_module(input).abs(input - target), reduction)


def l1_loss_backward(grad_out, input, target, reduction: str = "mean"):
    """dL/dx = sign(x − t) (0 where x = t, as torch), divided by the count for the mean."""
    x, t = _promote(input, target)
    grad = _unreduce(grad_out, reduction, input.size) * get_array_module(x).sign(x - t)
    return grad.astype(input.dtype, copy=False)


def binary_cross_entropy(input, target, weight=None, reduction: str = "mean"):
    """−w [t log p + (1 − t) log(1 − p)] for probabilities p, each log clamped at −100 as torch."""
    xp = get_array_module(input)
    with np.errstate(divide="ignore"):  # log 0 = −inf, clamped just below
        log_p = xp.maximum(xp.log(input), -100)
        log_1mp = xp.maximum(xp.log(1 - input), -100)
    loss = -(target * log_p + (1 - target) * log_1mp)
    return _reduce(loss if weight is None else weight * loss, reduction)


def binary_cross_entropy_backward(grad_out, input, target, weight=None, reduction: str = "mean"):
    """dL/dp = w (p − t) / (p (1 − p)), the denominator bounded below by 1e-12 as torch."""
    xp = get_array_module(input)
    grad = (input - target) / xp.maximum((1 - input) * input, 1e-12)
    grad = grad if weight is None else weight * grad
    return _unreduce(grad_out, reduction, input.size) * grad


def binary_cross_entropy_with_logits(input, target, weight=None, reduction: str = "mean",
                                     pos_weight=None):
    """BCE on σ(x) computed from the logits x: (1 − t) x + w⁺ softplus(−x), never overflowing.

    ``pos_weight`` (C,) multiplies the loss of positive targets: w⁺ = 1 + (pos_weight − 1) t.
    As torch, softplus is taken in the input's dtype and the loss comes out in the target's.
    """
    xp = get_array_module(input)
    log_weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target
    # softplus(−x) = log(1 + e^(−x)) = log1p(e^(−|x|)) + max(−x, 0)
    softplus_neg = xp.log1p(xp.exp(-xp.abs(input))) + xp.maximum(-input, 0)
    loss = ((1 - target) * input + log_weight * softplus_neg).astype(target.dtype, copy=False)
    return _reduce(loss if weight is None else weight * loss, reduction)


def binary_cross_entropy_with_logits_backward(grad_out, input, target, weight=None,
                                              reduction: str = "mean", pos_weight=None):
    """dL/dx = (1 − t) − w⁺ σ(−x): σ(x) − t without pos_weight."""
    x, t = _promote(input, target)
    log_weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * t
    grad = (1 - t) - log_weight * sigmoid(-x)
    grad = grad if weight is None else weight * grad
    return (_unreduce(grad_out, reduction, input.size) * grad).astype(input.dtype, copy=False)


def _classes_last(x):
    """Move the class dim (1, or 0 for a single sample) last: (N, C, d…) -> (N, d…, C)."""
    if x.ndim < 2:
        return x
    return get_array_module(x).moveaxis(x, 1, -1)


def _classes_back(x, ndim: int):
    return x if ndim < 2 else get_array_module(x).moveaxis(x, -1, 1)


def _class_weights(owner: str, input, target, weight, ignore_index, label_smoothing,
                   allow_probabilities: bool):
    """The coefficients a with per-sample loss −Σ_c a_c log p_c, and the mean's denominator.

    Class indices: a = w_y for the target class (0 where ignored); label smoothing mixes in
    w_c / C for every class, and the mean divides by Σ w_y, as torch does. Class
    probabilities: a = w_c t_c (in the target's dtype, so that the loss is promoted as torch's),
    and the mean divides by the number of samples. Both the loss
    and its backward pass through here, so both check the target (an index out of range is
    an error, never a silently ignored class).
    """
    check_class_target(owner, input, target, ignore_index, allow_probabilities)
    xp, dtype = get_array_module(target), input.dtype
    num_classes = input.shape[1 if input.ndim >= 2 else 0]
    w = xp.ones(num_classes, dtype=dtype) if weight is None else weight.astype(dtype)
    if target.dtype.kind in "iu":
        valid = (target != ignore_index)[..., None]
        onehot = (target[..., None] == xp.arange(num_classes)) & valid
        a = onehot * w
        denominator = a.sum()
        if label_smoothing:
            a = (1 - label_smoothing) * a + label_smoothing / num_classes * (valid * w)
        return a, denominator
    t = _classes_last(target)
    if label_smoothing:
        t = t * (1 - label_smoothing) + label_smoothing / num_classes
    return t * w, t.size // num_classes


def nll_loss(input, target, weight=None, ignore_index: int = -100, reduction: str = "mean"):
    """−w_y log p_y from log-probabilities. Shapes: input (N, C) or (N, C, d…), target (N, d…)."""
    a, denominator = _class_weights("nll_loss", input, target, weight, ignore_index, 0.0, False)
    return _reduce(-(a * _classes_last(input)).sum(axis=-1), reduction, denominator)


def nll_loss_backward(grad_out, input, target, weight=None, ignore_index: int = -100,
                      reduction: str = "mean"):
    """dL/dlog p = −w_y at the target class, 0 elsewhere (divided by Σ w_y for the mean)."""
    a, denominator = _class_weights("nll_loss", input, target, weight, ignore_index, 0.0, False)
    scale = _unreduce(grad_out, reduction, denominator)
    return _classes_back(-a * _per_sample(scale, reduction), input.ndim)


def cross_entropy(input, target, weight=None, ignore_index: int = -100, reduction: str = "mean",
                  label_smoothing: float = 0.0):
    """Softmax + negative log-likelihood on logits, via the stable log_softmax.

    Shapes: input (C,), (N, C) or (N, C, d…); target class indices (N, d…) or class
    probabilities of the input's shape (the loss in the wider float dtype of the two).
    """
    a, denominator = _class_weights("cross_entropy", input, target, weight, ignore_index,
                                    label_smoothing, True)
    log_p = log_softmax(_classes_last(input), dim=-1)  # in the input's dtype, as torch
    return _reduce(-(a * log_p).sum(axis=-1), reduction, denominator)


def cross_entropy_backward(grad_out, input, target, weight=None, ignore_index: int = -100,
                           reduction: str = "mean", label_smoothing: float = 0.0):
    """dL/dlogits = p Σa − a per sample: p − y for a one-hot target with no weights."""
    a, denominator = _class_weights("cross_entropy", input, target, weight, ignore_index,
                                    label_smoothing, True)
    p = softmax(_classes_last(input), dim=-1)
    scale = _per_sample(_unreduce(grad_out, reduction, denominator), reduction)
    grad = _classes_back(scale * (p * a.sum(axis=-1, keepdims=True) - a), input.ndim)
    return grad.astype(input.dtype, copy=False)


def _per_sample(scale, reduction: str):
    """A per-sample gradient (reduction="none") broadcast over the class dim."""
    return scale[..., None] if reduction == "none" else scale


# Convolution, pooling and recurrent layers have their own files; torch's functional names here.
from dlbook.nn.functional import conv, pooling, rnn  # noqa: E402, F401
from dlbook.nn.functional.conv import conv2d  # noqa: E402, F401
from dlbook.nn.functional.pooling import (  # noqa: E402, F401
    adaptive_avg_pool2d,
    avg_pool2d,
    max_pool2d,
)
