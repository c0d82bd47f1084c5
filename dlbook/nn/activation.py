"""Activation functions as layers: ReLU, ReLU6, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax."""

from dlbook.nn import functional as F
from dlbook.nn.checks import check_array, check_shape
from dlbook.nn.module import Module


class ReLU(Module):
    """y = max(x, 0). Shape: x (*) -> y (*).

    ``inplace`` is accepted for torch's signature and repr (torchvision's models use it); dlbook
    always returns a new array, because the layer before may still need its output for backward.
    """

    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = inplace

    def forward(self, x):
        check_array(self, x)
        self.x = x  # backward needs where x > 0
        return F.relu(x)

    def backward(self, grad_out):
        return F.relu_backward(grad_out, self.x)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class ReLU6(ReLU):
    """y = min(max(x, 0), 6): MobileNet's ReLU, capped so low-precision arithmetic stays exact.
    Shape: x (*) -> y (*). The gradient passes where 0 < x < 6."""

    def forward(self, x):
        check_array(self, x)
        self.x = x
        return F.relu6(x)

    def backward(self, grad_out):
        return F.relu6_backward(grad_out, self.x)


class LeakyReLU(Module):
    """y = x for x > 0, negative_slope·x otherwise. Shape: x (*) -> y (*)."""

    def __init__(self, negative_slope: float = 0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        check_array(self, x)
        self.x = x
        return F.leaky_relu(x, self.negative_slope)

    def backward(self, grad_out):
        return F.leaky_relu_backward(grad_out, self.x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """y = 1 / (1 + exp(−x)). Shape: x (*) -> y (*)."""

    def forward(self, x):
        check_array(self, x)
        self.y = F.sigmoid(x)  # backward needs only the output
        return self.y

    def backward(self, grad_out):
        return F.sigmoid_backward(grad_out, self.y)


class Tanh(Module):
    """y = tanh(x). Shape: x (*) -> y (*)."""

    def forward(self, x):
        check_array(self, x)
        self.y = F.tanh(x)
        return self.y

    def backward(self, grad_out):
        return F.tanh_backward(grad_out, self.y)


class Softmax(Module):
    """y = exp(x) / Σ exp(x) along ``dim``: a probability distribution. Shape: x (*) -> y (*).

    Without ``dim``, torch's deprecated rule picks one (0 for 0-, 1- and 3-d input, else 1)
    and warns; name the dim.
    """

    def __init__(self, dim: int | None = None):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        self.dim_used = check_has_dim(self, x, "softmax")
        self.y = F.softmax(x, self.dim_used)
        return self.y

    def backward(self, grad_out):
        return F.softmax_backward(grad_out, self.y, self.dim_used)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """y = log softmax(x) along ``dim``, stable for large x. Shape: x (*) -> y (*).

    Without ``dim``, torch's deprecated rule picks one and warns, as for Softmax.
    """

    def __init__(self, dim: int | None = None):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        self.dim_used = check_has_dim(self, x, "log_softmax")
        self.y = F.log_softmax(x, self.dim_used)
        return self.y

    def backward(self, grad_out):
        return F.log_softmax_backward(grad_out, self.y, self.dim_used)

    def extra_repr(self):
        return f"dim={self.dim}"


def check_has_dim(module, x, name: str) -> int:
    """The dim to normalise along: ``module.dim``, which ``x`` must have, or torch's choice."""
    check_array(module, x)
    if module.dim is None:
        return F.implicit_dim(name, x.ndim)
    ndim = max(x.ndim, 1)  # a 0-d input has the dims 0 and −1, as in torch
    check_shape(module, x, -ndim <= module.dim < ndim, f"with a dim {module.dim}")
    return module.dim
