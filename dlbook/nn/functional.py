"""The math of every layer: forward functions and the backward functions that undo them.

Each ``*_backward(grad_out, ...)`` takes dL/dy and what the forward kept, and returns dL/dx.
Arrays may be NumPy or CuPy; the dtype of the input is kept.
"""

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
