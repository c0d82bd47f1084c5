"""Flatten: joins dimensions, e.g. an image (N, C, H, W) into a vector (N, C·H·W)."""

from dlbook.nn.module import Module


class Flatten(Module):
    """Joins dims ``start_dim`` … ``end_dim`` into one. Shape: (N, C, H, W) -> (N, C·H·W)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        self.input_shape = x.shape  # backward restores it
        start = self.start_dim % max(x.ndim, 1)
        end = self.end_dim % max(x.ndim, 1)
        return x.reshape(x.shape[:start] + (-1,) + x.shape[end + 1:])

    def backward(self, grad_out):
        return grad_out.reshape(self.input_shape)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
