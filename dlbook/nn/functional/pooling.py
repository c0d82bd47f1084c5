"""Pooling: max over each window (its gradient goes to the winner), and average pooling as a
matrix on each spatial axis.

Averaging is linear and separable: a window's mean over rows, then over columns, is
A_h · x · A_wᵀ, where row o of A_h holds 1/size over the input rows window o covers. AvgPool2d
and AdaptiveAvgPool2d differ only in which rows a window covers and what it divides by.
"""

from dlbook.backend import get_array_module
from dlbook.nn.functional.conv import col2im, im2col, pad2d, pair


def pool_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int = 1,
                     ceil_mode: bool = False) -> int:
    """Windows along one axis: ⌊(size + 2p − d(k − 1) − 1) / s⌋ + 1, rounded up with
    ``ceil_mode``, where torch drops a last window that would start in the right padding."""
    span = size + 2 * padding - dilation * (kernel - 1) - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1
    return out


def _pool_padding(size: int, out: int, kernel: int, stride: int, padding: int,
                  dilation: int) -> tuple[int, int]:
    """(before, after): ``padding``, and after it whatever a ceil_mode window hangs past."""
    reach = (out - 1) * stride + dilation * (kernel - 1) + 1
    return padding, max(reach - size - padding, 0)


def max_pool2d_forward(x, kernel_size, stride, padding, dilation=(1, 1), ceil_mode=False):
    """Max over each window, and which tap won it.

    x: (N, C, H, W) -> y: (N, C, OH, OW) and argmax: (N, C, OH, OW), the winning tap
    i·KW + j in its window, the first one among equals (as torch).
    """
    xp = get_array_module(x)
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel_size, stride, padding, dilation
    h, w = x.shape[-2:]
    oh = pool_output_size(h, kh, sh, ph, dh, ceil_mode)
    ow = pool_output_size(w, kw, sw, pw, dw, ceil_mode)
    # −∞ padding never wins a window; torch's rules keep every window partly inside the input
    x_pad = pad2d(x, (*_pool_padding(h, oh, kh, sh, ph, dh), *_pool_padding(w, ow, kw, sw, pw, dw)),
                  value=-xp.inf)
    windows = im2col(x_pad, (kh, kw), (sh, sw), (dh, dw))[..., :oh, :ow]
    n, c = x.shape[:2]
    taps = windows.reshape(n, c, kh * kw, oh, ow)
    argmax = taps.argmax(axis=2)  # the first of equal maxima, as torch's strict >
    y = xp.take_along_axis(taps, argmax[:, :, None], axis=2)[:, :, 0]
    return y, argmax


def max_pool2d_backward(grad_out, argmax, input_shape, kernel_size, stride, padding,
                        dilation=(1, 1)):
    """dL/dx of max pooling: each window's gradient goes to its winner; overlaps add up."""
    xp = get_array_module(grad_out)
    (kh, kw), (ph, pw) = kernel_size, padding
    n, c, oh, ow = grad_out.shape
    h, w = input_shape[-2:]
    taps = xp.arange(kh * kw).reshape(1, 1, kh, kw, 1, 1)
    winners = taps == argmax[:, :, None, None]  # (N, C, KH, KW, OH, OW): one True per window
    grad_cols = winners * grad_out[:, :, None, None]
    padded = (n, c, max(h + 2 * ph, stride[0] * (oh - 1) + dilation[0] * (kh - 1) + 1),
              max(w + 2 * pw, stride[1] * (ow - 1) + dilation[1] * (kw - 1) + 1))
    grad_x = col2im(grad_cols.astype(grad_out.dtype, copy=False), padded, stride, dilation)
    return grad_x[:, :, ph:ph + h, pw:pw + w]


def max_pool2d_indices(argmax, input_shape, kernel_size, stride, padding, dilation=(1, 1)):
    """torch's ``return_indices``: where each maximum sits in its channel, as h · W + w."""
    xp = get_array_module(argmax)
    (kw, (sh, sw), (ph, pw), (dh, dw)) = (kernel_size[1], stride, padding, dilation)
    oh, ow = argmax.shape[-2:]
    rows = xp.arange(oh).reshape(-1, 1) * sh - ph + (argmax // kw) * dh
    cols = xp.arange(ow) * sw - pw + (argmax % kw) * dw
    return (rows * input_shape[-1] + cols).astype(xp.int64)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """torch.nn.functional.max_pool2d: (N, C, H, W) or (C, H, W) -> (N, C, OH, OW) or
    (C, OH, OW); with ``return_indices``, also the flat index of each maximum."""
    kernel = pair(kernel_size)
    args = (kernel, pair(kernel_size if stride is None else stride), pair(padding), pair(dilation))
    x = input[None] if input.ndim == 3 else input
    y, argmax = max_pool2d_forward(x, *args, ceil_mode)
    if input.ndim == 3:
        y, argmax = y[0], argmax[0]
    if return_indices:
        return y, max_pool2d_indices(argmax, input.shape, *args)
    return y


def averaging_matrix(xp, starts, ends, size: int, divisors, dtype):
    """(out, size): row o is 1 / divisors[o] over input positions starts[o] … ends[o] − 1."""
    positions = xp.arange(size)
    inside = (positions >= xp.asarray(starts)[:, None]) & (positions < xp.asarray(ends)[:, None])
    return (inside / xp.asarray(divisors, dtype=float)[:, None]).astype(dtype)


def avg_pool_matrix(xp, size: int, kernel: int, stride: int, padding: int, ceil_mode: bool,
                    count_include_pad: bool, dtype):
    """AvgPool2d along one axis. A window starts at o·s − p; torch divides by its length up to
    the end of the padding (``count_include_pad``) or by the input positions it covers."""
    out = pool_output_size(size, kernel, stride, padding, 1, ceil_mode)
    starts = [o * stride - padding for o in range(out)]
    ends = [min(start + kernel, size + padding) for start in starts]
    inside = [(max(start, 0), min(end, size)) for start, end in zip(starts, ends, strict=True)]
    lengths = ([end - start for start, end in zip(starts, ends, strict=True)]
               if count_include_pad else [end - start for start, end in inside])
    return averaging_matrix(xp, [s for s, _ in inside], [e for _, e in inside], size,
                            lengths, dtype)


def adaptive_pool_matrix(xp, size: int, out: int, dtype):
    """AdaptiveAvgPool2d along one axis: window o covers ⌊o·size/out⌋ … ⌈(o+1)·size/out⌉ − 1."""
    starts = [o * size // out for o in range(out)]
    ends = [-(-(o + 1) * size // out) for o in range(out)]
    return averaging_matrix(xp, starts, ends, size,
                            [e - s for s, e in zip(starts, ends, strict=True)], dtype)


def average_forward(x, rows, cols):
    """y = A_h · x · A_wᵀ over the last two axes: (…, H, W) -> (…, OH, OW)."""
    return rows @ x @ cols.T


def average_backward(grad_out, rows, cols):
    """dL/dx = A_hᵀ · g · A_w: each output's gradient shared out over its window."""
    return rows.T @ grad_out @ cols


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """torch.nn.functional.avg_pool2d: (N, C, H, W) or (C, H, W) -> (…, OH, OW)."""
    rows, cols = avg_pool_matrices(input, pair(kernel_size),
                                   pair(kernel_size if stride is None else stride),
                                   pair(padding), ceil_mode, count_include_pad, divisor_override)
    return average_forward(input, rows, cols)


def avg_pool_matrices(x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                      divisor_override):
    """A_h and A_w of AvgPool2d for an input shaped like ``x``; a ``divisor_override`` replaces
    every window's size (put on the rows: dividing once is enough)."""
    xp = get_array_module(x)
    (h, w), dtype = x.shape[-2:], x.dtype
    rows = avg_pool_matrix(xp, h, kernel_size[0], stride[0], padding[0], ceil_mode,
                           count_include_pad or divisor_override is not None, dtype)
    cols = avg_pool_matrix(xp, w, kernel_size[1], stride[1], padding[1], ceil_mode,
                           count_include_pad or divisor_override is not None, dtype)
    if divisor_override is not None:  # sums, then one division by the override
        rows = ((rows > 0) / divisor_override).astype(dtype)
        cols = (cols > 0).astype(dtype)
    return rows, cols


def adaptive_avg_pool2d(input, output_size):
    """torch.nn.functional.adaptive_avg_pool2d: (…, H, W) -> (…, OH, OW); a None in
    ``output_size`` keeps that axis's size."""
    rows, cols = adaptive_pool_matrices(input, output_size)
    return average_forward(input, rows, cols)


def adaptive_pool_matrices(x, output_size):
    """A_h and A_w of AdaptiveAvgPool2d for an input shaped like ``x``."""
    xp = get_array_module(x)
    h, w = x.shape[-2:]
    oh, ow = (size if size is not None else own
              for size, own in zip(pair(output_size), (h, w), strict=True))
    return adaptive_pool_matrix(xp, h, oh, x.dtype), adaptive_pool_matrix(xp, w, ow, x.dtype)
