"""Pooling: max over each window (its gradient goes to the winner), and average pooling as a
matrix on each spatial axis.

Averaging is linear and separable: a window's mean over rows, then over columns, is
A_h · x · A_wᵀ, where row o of A_h holds 1/size over the input rows window o covers. AvgPool2d
and AdaptiveAvgPool2d differ only in which rows a window covers and what it divides by.
"""

from dlbook.backend import get_array_module
from dlbook.nn.functional.conv import im2col, pad2d, pair, tap_pixels


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


def max_pool2d_windows(x, kernel_size, stride, padding, dilation=(1, 1), ceil_mode=False):
    """Every pooling window of ``x``: (N, C, H, W) -> a view (N, C, KH, KW, OH, OW), as
    ``im2col``'s, of x padded with −∞ (padding never wins a window; torch's rules keep every
    window partly inside the input)."""
    xp = get_array_module(x)
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel_size, stride, padding, dilation
    h, w = x.shape[-2:]
    oh = pool_output_size(h, kh, sh, ph, dh, ceil_mode)
    ow = pool_output_size(w, kw, sw, pw, dw, ceil_mode)
    x_pad = pad2d(x, (*_pool_padding(h, oh, kh, sh, ph, dh), *_pool_padding(w, ow, kw, sw, pw, dw)),
                  value=-xp.inf)
    return im2col(x_pad, (kh, kw), (sh, sw), (dh, dw))[..., :oh, :ow]


def max_pool2d_forward(windows):
    """The largest value of each window: (N, C, KH, KW, OH, OW) -> (N, C, OH, OW).

    Tap by tap, every window at once (KH·KW elementwise maxima, no copy of the windows);
    a NaN wins its window, as in torch.
    """
    xp = get_array_module(windows)
    y = windows[:, :, 0, 0].copy()
    for i, j in _taps(windows):
        xp.maximum(y, windows[:, :, i, j], out=y)
    return y


def max_pool2d_winners(windows, y):
    """For each tap (i, j), where it holds its window's maximum y: (i, j, mask (N, C, OH, OW)).

    Only the first of equal maxima (in the order i·KW + j) is marked, as torch's strict >;
    a NaN is a maximum.
    """
    xp = get_array_module(windows)
    claimed = xp.zeros(y.shape, dtype=bool)
    for i, j in [(0, 0), *_taps(windows)]:
        values = windows[:, :, i, j]
        mask = (values == y) | xp.isnan(values)
        mask &= ~claimed
        claimed |= mask
        yield i, j, mask


def _taps(windows):
    """(i, j) of every kernel tap but the first."""
    kh, kw = windows.shape[2:4]
    return [divmod(tap, kw) for tap in range(1, kh * kw)]


def max_pool2d_backward(grad_out, windows, y, input_shape, kernel_size, stride, padding,
                        dilation=(1, 1)):
    """dL/dx of max pooling: each window's gradient goes to its winner; overlaps add up.

    windows and y as ``max_pool2d_windows`` and ``max_pool2d_forward`` gave them.
    """
    xp = get_array_module(grad_out)
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel_size, stride, padding, dilation
    oh, ow = grad_out.shape[-2:]
    h, w = input_shape[-2:]
    grad_x = xp.zeros((*input_shape[:2], max(h + 2 * ph, sh * (oh - 1) + dh * (kh - 1) + 1),
                       max(w + 2 * pw, sw * (ow - 1) + dw * (kw - 1) + 1)), dtype=grad_out.dtype)
    for i, j, mask in max_pool2d_winners(windows, y):
        grad_x[tap_pixels(i, j, (oh, ow), stride, dilation)] += mask * grad_out
    return grad_x[:, :, ph:ph + h, pw:pw + w]


def max_pool2d_indices(windows, y, input_shape, kernel_size, stride, padding, dilation=(1, 1)):
    """torch's ``return_indices``: where each maximum sits in its channel, as h · W + w."""
    xp = get_array_module(y)
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    oh, ow = y.shape[-2:]
    rows = xp.zeros(y.shape, dtype=xp.int64)
    cols = xp.zeros(y.shape, dtype=xp.int64)
    for i, j, mask in max_pool2d_winners(windows, y):
        rows += mask * i * dh
        cols += mask * j * dw
    rows += xp.arange(oh).reshape(-1, 1) * sh - ph
    cols += xp.arange(ow) * sw - pw
    return rows * input_shape[-1] + cols


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """torch.nn.functional.max_pool2d: (N, C, H, W) or (C, H, W) -> (N, C, OH, OW) or
    (C, OH, OW); with ``return_indices``, also the flat index of each maximum."""
    kernel = pair(kernel_size)
    args = (kernel, pair(kernel_size if stride is None else stride), pair(padding), pair(dilation))
    x = input[None] if input.ndim == 3 else input
    windows = max_pool2d_windows(x, *args, ceil_mode)
    y = max_pool2d_forward(windows)
    indices = max_pool2d_indices(windows, y, x.shape, *args) if return_indices else None
    if input.ndim == 3:
        y, indices = y[0], None if indices is None else indices[0]
    return (y, indices) if return_indices else y


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
