"""Pooling layers: MaxPool2d, AvgPool2d and AdaptiveAvgPool2d, as torch's."""

from dlbook.nn import functional as F
from dlbook.nn.checks import check_array, check_pool_output, check_pool_padding, check_shape
from dlbook.nn.functional.conv import pair
from dlbook.nn.module import Module


class _Pool2d(Module):
    """What the 2-D poolings share: an image batch (N, C, H, W) or one image (C, H, W)."""

    def _check(self, x):
        check_array(self, x)
        check_shape(self, x, x.ndim in (3, 4), "(N, C, H, W) or (C, H, W)")
        self.unbatched = x.ndim == 3
        return x[None] if self.unbatched else x

    def _check_windows(self, x, kernel, stride, padding, dilation=(1, 1)):
        """Padding at most half the kernel, and at least one window along each axis."""
        check_pool_padding(self, padding, kernel)
        check_pool_output(self, x.shape, [
            F.pooling.pool_output_size(size, *args, self.ceil_mode)
            for size, *args in zip(x.shape[-2:], kernel, stride, padding, dilation, strict=True)])

    def _unbatch(self, y):
        return y[0] if self.unbatched else y

    def _batch(self, grad_out):
        return grad_out[None] if self.unbatched else grad_out


class MaxPool2d(_Pool2d):
    """y = the largest value in each KH × KW window, channel by channel.

    Shape: x (N, C, H, W) or (C, H, W) -> y (N, C, OH, OW), OH = ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1
    (rounded up with ``ceil_mode``). ``stride`` defaults to ``kernel_size``; padding counts as
    −∞. The gradient of a window goes to its largest value, the first of equals, as torch;
    overlapping windows add up. ``return_indices`` also returns where each maximum is (h·W + w).
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1,
                 return_indices: bool = False, ceil_mode: bool = False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def _args(self):
        return (pair(self.kernel_size), pair(self.stride), pair(self.padding), pair(self.dilation))

    def forward(self, x):
        x = self._check(x)
        kernel, stride, padding, dilation = self._args()
        self._check_windows(x, kernel, stride, padding, dilation)
        self.input_shape = x.shape  # backward needs the shape, the windows and their maxima
        self.windows = F.pooling.max_pool2d_windows(x, kernel, stride, padding, dilation,
                                                    self.ceil_mode)
        self.y = F.pooling.max_pool2d_forward(self.windows)
        if self.return_indices:
            indices = F.pooling.max_pool2d_indices(self.windows, self.y, x.shape, kernel, stride,
                                                   padding, dilation)
            return self._unbatch(self.y), self._unbatch(indices)
        return self._unbatch(self.y)

    def backward(self, grad_out):
        grad_x = F.pooling.max_pool2d_backward(self._batch(grad_out), self.windows, self.y,
                                               self.input_shape, *self._args())
        return self._unbatch(grad_x)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding},"
                f" dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool2d(_Pool2d):
    """y = the mean of each KH × KW window, channel by channel.

    Shape: x (N, C, H, W) or (C, H, W) -> y (N, C, OH, OW), sized as MaxPool2d's. Padding
    counts as zeros; ``count_include_pad=False`` divides by the input values a window covers
    instead of its full size; ``divisor_override`` divides every window's sum by that number.
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, x):
        x = self._check(x)
        kernel, stride, padding = pair(self.kernel_size), pair(self.stride), pair(self.padding)
        self._check_windows(x, kernel, stride, padding)
        # backward needs the two averaging matrices
        self.rows, self.cols = F.pooling.avg_pool_matrices(
            x, kernel, stride, padding, self.ceil_mode, self.count_include_pad,
            self.divisor_override)
        return self._unbatch(F.pooling.average_forward(x, self.rows, self.cols))

    def backward(self, grad_out):
        grad_x = F.pooling.average_backward(self._batch(grad_out), self.rows, self.cols)
        return self._unbatch(grad_x)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(_Pool2d):
    """Average pooling to a fixed output size, whatever the input's: window o along an axis of
    length L covers ⌊o·L/out⌋ … ⌈(o + 1)·L/out⌉ − 1, as torch.

    Shape: x (N, C, H, W) or (C, H, W) -> y (N, C, *output_size). ``output_size`` is an int or
    a pair; None keeps that axis. ``AdaptiveAvgPool2d(1)`` is global average pooling.
    """

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, x):
        x = self._check(x)
        self.rows, self.cols = F.pooling.adaptive_pool_matrices(x, self.output_size)
        return self._unbatch(F.pooling.average_forward(x, self.rows, self.cols))

    def backward(self, grad_out):
        grad_x = F.pooling.average_backward(self._batch(grad_out), self.rows, self.cols)
        return self._unbatch(grad_x)

    def extra_repr(self):
        return f"output_size={self.output_size}"
