"""Fully connected layers (MLP = fully connected = Dense): Linear, and Identity."""

import numpy as np

from dlbook.backend import as_dtype
from dlbook.nn import functional as F
from dlbook.nn import init
from dlbook.nn.checks import check_array, check_dtype, check_float_dtype, check_shape
from dlbook.nn.module import Module
from dlbook.nn.parameter import Parameter


class Identity(Module):
    """y = x: a placeholder that passes its input through. Shape: x (*) -> y (*)."""

    def forward(self, x):
        return x

    def backward(self, grad_out):
        return grad_out


class Linear(Module):
    """y = x Wᵀ + b.

    Shape: x (*, in_features) -> y (*, out_features). Parameters ``weight``
    (out_features, in_features) and ``bias`` (out_features,), initialised as torch does:
    kaiming-uniform with a = √5 for the weight, U(±1/√in_features) for the bias.
    ``dtype`` (float32 by default, as torch) may be a NumPy or a torch dtype; ``device`` is
    "cpu" or "cuda"; ``generator`` an ``np.random.Generator`` for the initial values.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None,
                 dtype=None, generator=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        dtype = check_float_dtype(f"Linear({in_features}, {out_features})", as_dtype(dtype))
        self.weight = Parameter(np.empty((out_features, in_features), dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters(generator)
        if device is not None:
            self.to(device)

    def reset_parameters(self, generator=None):
        init.torch_default_(self.weight.data, None if self.bias is None else self.bias.data,
                            generator)

    def forward(self, x):
        check_array(self, x)
        check_shape(self, x, x.ndim >= 1 and x.shape[-1] == self.in_features,
                    f"(*, {self.in_features})")
        check_dtype(self, x)
        self.x = x  # backward needs the input for dL/dW
        return F.linear(x, self.weight.data, None if self.bias is None else self.bias.data)

    def backward(self, grad_out):
        x = self.x.reshape(-1, self.in_features)
        g = grad_out.reshape(-1, self.out_features)
        self.weight.accumulate_grad(g.T @ x)  # dL/dW = gᵀ x
        if self.bias is not None:
            self.bias.accumulate_grad(g.sum(axis=0))  # dL/db = Σ g over the batch
        return grad_out @ self.weight.data  # dL/dx = g W

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")
