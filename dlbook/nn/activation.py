"""Activation functions as layers: ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax."""

from dlbook.nn import functional as F
from dlbook.nn.checks import check_shape
from dlbook.nn.module import Module


class ReLU(Module):
    """y = max(x, 0). Shape: x (*) -> y (*)."""

    def forward(self, x):
        self.x = x  # backward needs where x > 0
        return F.relu(x)

    def backward(self, grad_out):
        return F.relu_backward(grad_out, self.x)


class LeakyReLU(Module):
    """y = x for x > 0, negative_slope·x otherwise. Shape: x (*) -> y (*)."""

    def __init__(self, negative_slope: float = 0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        self.x = x
        return F.leaky_relu(x, self.negative_slope)

    def backward(self, grad_out):
        return F.leaky_relu_backward(grad_out, self.x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """y = 1 / (1 + exp(−x)). Shape: x (*) -> y (*)."""

    def forward(self, x):
        self.y = F.sigmoid(x)  # backward needs only the output
        return self.y

    def backward(self, grad_out):
        return F.sigmoid_backward(grad_out, self.y)


class Tanh(Module):
    """y = tanh(x). Shape: x (*) -> y (*)."""

    def forward(self, x):
        self.y = F.tanh(x)
        return self.y

    def backward(self, grad_out):
        return F.tanh_backward(grad_out, self.y)


class Softmax(Module):
    """y = exp(x) / Σ exp(x) along ``dim``: a probability distribution. Shape: x (*) -> y (*)."""

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        check_has_dim(self, x)
        self.y = F.softmax(x, self.dim)
        return self.y

    def backward(self, grad_out):
        return F.softmax_backward(grad_out, self.y, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """y = log softmax(x) along ``dim``, stable for large x. Shape: x (*) -> y (*)."""

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        check_has_dim(self, x)
        self.y = F.log_softmax(x, self.dim)
        return self.y

    def backward(self, grad_out):
        return F.log_softmax_backward(grad_out, self.y, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


def check_has_dim(module, x):
    check_shape(module, x, -x.ndim <= module.dim < x.ndim, f"with a dim {module.dim}")
