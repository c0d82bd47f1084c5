"""Flatten: joins dimensions, e.g. an image (N, C, H, W) into a vector (N, C·H·W)."""

import math

from dlbook.nn.checks import check_array, check_shape
from dlbook.nn.module import Module


class Flatten(Module):
    """Joins dims ``start_dim`` … ``end_dim`` into one. Shape: (N, C, H, W) -> (N, C·H·W)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        check_array(self, x)
        check_shape(self, x, all(-x.ndim <= d < x.ndim for d in (self.start_dim, self.end_dim)),
                    f"with dims {self.start_dim} and {self.end_dim}")
        self.input_shape = x.shape  # backward restores it
        start, end = self.start_dim % x.ndim, self.end_dim % x.ndim
        joined = math.prod(x.shape[start:end + 1])  # not −1: an empty batch has no size to infer
        return x.reshape(x.shape[:start] + (joined,) + x.shape[end + 1:])

    def backward(self, grad_out):
        return grad_out.reshape(self.input_shape)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
