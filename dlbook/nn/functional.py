"""The math of every layer: forward functions and the backward functions that undo them.

Each ``*_backward(grad_out, ...)`` takes dL/dy and what the forward kept, and returns dL/dx.
Arrays may be NumPy or CuPy; the dtype of the input is kept.
"""

import numpy as np

from dlbook.backend import get_array_module


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


def leaky_relu(x, negative_slope: float = 0.01):
    """x where x > 0, negative_slope·x elsewhere. Shape: x (*) -> y (*)."""
    return get_array_module(x).where(x > 0, x, x * negative_slope)


def leaky_relu_backward(grad_out, x, negative_slope: float = 0.01):
    """dL/dx: the gradient passes where x > 0, scaled by negative_slope elsewhere."""
    return get_array_module(x).where(x > 0, grad_out, grad_out * negative_slope)


def softmax(x, dim: int = -1):
    """exp(x) / Σ exp(x) along ``dim``; subtracting the max first keeps exp from overflowing."""
    xp = get_array_module(x)
    e = xp.exp(x - x.max(axis=dim, keepdims=True))
    return e / e.sum(axis=dim, keepdims=True)


def softmax_backward(grad_out, y, dim: int = -1):
    """dL/dx = y ⊙ (g − Σ g·y) along ``dim``, from the output y = softmax(x)."""
    return y * (grad_out - (grad_out * y).sum(axis=dim, keepdims=True))


def log_softmax(x, dim: int = -1):
    """x − log Σ exp(x) along ``dim``, computed with the log-sum-exp trick."""
    xp = get_array_module(x)
    shifted = x - x.max(axis=dim, keepdims=True)
    return shifted - xp.log(xp.exp(shifted).sum(axis=dim, keepdims=True))


def log_softmax_backward(grad_out, y, dim: int = -1):
    """dL/dx = g − softmax(x) · Σ g along ``dim``, from the output y = log_softmax(x)."""
    xp = get_array_module(y)
    return grad_out - xp.exp(y) * grad_out.sum(axis=dim, keepdims=True)


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
    with np.errstate(invalid="ignore"):  # every target ignored: the mean is 0/0 = nan, as torch
        return total / (loss.size if count is None else count)


def _unreduce(grad_out, reduction: str, count):
    """The gradient each element's loss receives from the reduced loss."""
    if reduction != "mean":
        return grad_out
    return grad_out / count if count else grad_out * 0  # torch: nothing counted, gradient 0


def mse_loss(input, target, reduction: str = "mean"):
    """(x − t)², reduced. Shapes: input (*), target (*)."""
    return _reduce((input - target) ** 2, reduction)


def mse_loss_backward(grad_out, input, target, reduction: str = "mean"):
    """dL/dx = 2 (x − t), divided by the number of elements for the mean."""
    return _unreduce(grad_out, reduction, input.size) * 2 * (input - target)


def l1_loss(input, target, reduction: str = "mean"):
    """|x − t|, reduced. Shapes: input (*), target (*)."""
    return _reduce(get_array_module(input).abs(input - target), reduction)


def l1_loss_backward(grad_out, input, target, reduction: str = "mean"):
    """dL/dx = sign(x − t) (0 where x = t, as torch), divided by the count for the mean."""
    return _unreduce(grad_out, reduction, input.size) * get_array_module(input).sign(input - target)


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
    """
    xp = get_array_module(input)
    log_weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target
    # softplus(−x) = log(1 + e^(−x)) = log1p(e^(−|x|)) + max(−x, 0)
    softplus_neg = xp.log1p(xp.exp(-xp.abs(input))) + xp.maximum(-input, 0)
    loss = (1 - target) * input + log_weight * softplus_neg
    return _reduce(loss if weight is None else weight * loss, reduction)


def binary_cross_entropy_with_logits_backward(grad_out, input, target, weight=None,
                                              reduction: str = "mean", pos_weight=None):
    """dL/dx = (1 − t) − w⁺ σ(−x): σ(x) − t without pos_weight."""
    log_weight = 1 if pos_weight is None else 1 + (pos_weight - 1) * target
    grad = (1 - target) - log_weight * sigmoid(-input)
    grad = grad if weight is None else weight * grad
    return _unreduce(grad_out, reduction, input.size) * grad


def _classes_last(x):
    """Move the class dim (1, or 0 for a single sample) last: (N, C, d…) -> (N, d…, C)."""
    if x.ndim < 2:
        return x
    return get_array_module(x).moveaxis(x, 1, -1)


def _classes_back(x, ndim: int):
    return x if ndim < 2 else get_array_module(x).moveaxis(x, -1, 1)


def _class_weights(target, num_classes, weight, ignore_index, label_smoothing, dtype):
    """The coefficients a with per-sample loss −Σ_c a_c log p_c, and the mean's denominator.

    Class indices: a = w_y for the target class (0 where ignored); label smoothing mixes in
    w_c / C for every class, and the mean divides by Σ w_y, as torch does. Class
    probabilities: a = w_c t_c, and the mean divides by the number of samples.
    """
    xp = get_array_module(target)
    w = xp.ones(num_classes, dtype=dtype) if weight is None else weight.astype(dtype)
    if target.dtype.kind in "iu":
        valid = (target != ignore_index)[..., None]
        onehot = (target[..., None] == xp.arange(num_classes)) & valid
        a = onehot * w
        denominator = a.sum()
        if label_smoothing:
            a = (1 - label_smoothing) * a + label_smoothing / num_classes * (valid * w)
        return a, denominator
    t = _classes_last(target).astype(dtype)
    if label_smoothing:
        t = t * (1 - label_smoothing) + label_smoothing / num_classes
    return t * w, t.size // num_classes


def nll_loss(input, target, weight=None, ignore_index: int = -100, reduction: str = "mean"):
    """−w_y log p_y from log-probabilities. Shapes: input (N, C) or (N, C, d…), target (N, d…)."""
    log_p = _classes_last(input)
    a, denominator = _class_weights(target, log_p.shape[-1], weight, ignore_index, 0.0,
                                    input.dtype)
    return _reduce(-(a * log_p).sum(axis=-1), reduction, denominator)


def nll_loss_backward(grad_out, input, target, weight=None, ignore_index: int = -100,
                      reduction: str = "mean"):
    """dL/dlog p = −w_y at the target class, 0 elsewhere (divided by Σ w_y for the mean)."""
    a, denominator = _class_weights(target, _classes_last(input).shape[-1], weight,
                                    ignore_index, 0.0, input.dtype)
    scale = _unreduce(grad_out, reduction, denominator)
    return _classes_back(-a * _per_sample(scale, reduction), input.ndim)


def cross_entropy(input, target, weight=None, ignore_index: int = -100, reduction: str = "mean",
                  label_smoothing: float = 0.0):
    """Softmax + negative log-likelihood on logits, via the stable log_softmax.

    Shapes: input (C,), (N, C) or (N, C, d…); target class indices (N, d…) or class
    probabilities of the input's shape.
    """
    log_p = log_softmax(_classes_last(input), dim=-1)
    a, denominator = _class_weights(target, log_p.shape[-1], weight, ignore_index,
                                    label_smoothing, input.dtype)
    return _reduce(-(a * log_p).sum(axis=-1), reduction, denominator)


def cross_entropy_backward(grad_out, input, target, weight=None, ignore_index: int = -100,
                           reduction: str = "mean", label_smoothing: float = 0.0):
    """dL/dlogits = p Σa − a per sample: p − y for a one-hot target with no weights."""
    p = softmax(_classes_last(input), dim=-1)
    a, denominator = _class_weights(target, p.shape[-1], weight, ignore_index, label_smoothing,
                                    input.dtype)
    scale = _per_sample(_unreduce(grad_out, reduction, denominator), reduction)
    return _classes_back(scale * (p * a.sum(axis=-1, keepdims=True) - a), input.ndim)


def _per_sample(scale, reduction: str):
    """A per-sample gradient (reduction="none") broadcast over the class dim."""
    return scale[..., None] if reduction == "none" else scale
