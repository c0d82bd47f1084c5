"""Convolution as one matrix product per group: im2col, then GEMM; col2im for the way back.

im2col lays every receptive field of the (padded) input out as a column: for a kernel KH × KW
over C channels, a column holds the C·KH·KW values one output pixel sees. The convolution is
then the weight matrix (out_channels, C·KH·KW) times the columns (C·KH·KW, N·OH·OW): one GEMM,
or one per group, where each group's filters see only that group's channels. col2im is its
adjoint: it adds each column's gradient back onto the input pixels it came from.
"""

import math

from dlbook.backend import get_array_module


def pair(value) -> tuple[int, int]:
    """(value, value) for an int, the tuple itself for a pair: how torch reads kernel_size=3."""
    return tuple(value) if isinstance(value, tuple | list) else (value, value)


def conv_output_size(size: int, kernel: int, stride: int = 1, dilation: int = 1) -> int:
    """Output length along one axis of an input already padded to ``size``:
    ⌊(size − dilation·(kernel − 1) − 1) / stride⌋ + 1."""
    return (size - dilation * (kernel - 1) - 1) // stride + 1


def same_padding(kernel: int, dilation: int = 1) -> tuple[int, int]:
    """(before, after) that keeps the size at stride 1; the odd one out goes after, as torch."""
    total = dilation * (kernel - 1)
    return total // 2, total - total // 2


def im2col(x, kernel_size, stride=(1, 1), dilation=(1, 1)):
    """Every receptive field of ``x``, as a strided view (no copy).

    x: (N, C, H, W), already padded -> (N, C, KH, KW, OH, OW), where [n, c, i, j, oh, ow] is
    x[n, c, oh·sh + i·dh, ow·sw + j·dw]: kernel tap (i, j) of output pixel (oh, ow).
    """
    xp = get_array_module(x)
    (kh, kw), (sh, sw), (dh, dw) = kernel_size, stride, dilation
    n, c, h, w = x.shape
    oh, ow = conv_output_size(h, kh, sh, dh), conv_output_size(w, kw, sw, dw)
    s_n, s_c, s_h, s_w = x.strides
    return xp.lib.stride_tricks.as_strided(
        x, shape=(n, c, kh, kw, oh, ow),
        strides=(s_n, s_c, s_h * dh, s_w * dw, s_h * sh, s_w * sw), writeable=False)


def col2im(cols, input_shape, stride=(1, 1), dilation=(1, 1)):
    """The adjoint of ``im2col``: each tap's values added back where they were read from.

    cols: (N, C, KH, KW, OH, OW) -> (N, C, H, W) = ``input_shape``. Overlapping windows add up.
    """
    xp = get_array_module(cols)
    n, c, kh, kw, oh, ow = cols.shape
    x = xp.zeros(input_shape, dtype=cols.dtype)
    for i in range(kh):  # one strided add per kernel tap, each covering every output pixel
        for j in range(kw):
            x[tap_pixels(i, j, (oh, ow), stride, dilation)] += cols[:, :, i, j]
    return x


def tap_pixels(i: int, j: int, output_size, stride=(1, 1), dilation=(1, 1)):
    """The pixels of a padded (N, C, H, W) input that kernel tap (i, j) reads, one per output
    pixel (oh, ow): x[n, c, oh·sh + i·dh, ow·sw + j·dw], as an index of strided slices."""
    (oh, ow), (sh, sw), (dh, dw) = output_size, stride, dilation
    return (..., slice(i * dh, i * dh + sh * (oh - 1) + 1, sh),
            slice(j * dw, j * dw + sw * (ow - 1) + 1, sw))


PADDING_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge",
                 "circular": "wrap"}  # torch's name -> NumPy's


def pad2d(x, padding, mode: str = "zeros", value: float = 0.0):
    """x: (N, C, H, W) padded by ``padding`` = (top, bottom, left, right) in ``mode``."""
    xp = get_array_module(x)
    top, bottom, left, right = padding
    if not any(padding):
        return x
    widths = ((0, 0), (0, 0), (top, bottom), (left, right))
    if mode == "zeros":
        return xp.pad(x, widths, constant_values=value)
    return xp.pad(x, widths, mode=PADDING_MODES[mode])


def pad2d_backward(grad, padding, mode: str, input_shape):
    """dL/dx of ``pad2d``: the inner block for zeros; for reflect, replicate and circular also
    the gradients of every copy, added onto the pixel each copy was made from."""
    xp = get_array_module(grad)
    top, bottom, left, right = padding
    h, w = input_shape[-2:]
    if mode == "zeros":
        return grad[..., top:top + h, left:left + w]
    # which input row (column) each padded row (column) copies, as a one-hot matrix
    copies_h = _copy_matrix(xp, h, top, bottom, mode, grad.dtype)  # (H + top + bottom, H)
    copies_w = _copy_matrix(xp, w, left, right, mode, grad.dtype)
    return copies_h.T @ grad @ copies_w


def _copy_matrix(xp, size: int, before: int, after: int, mode: str, dtype):
    source = xp.pad(xp.arange(size), (before, after), mode=PADDING_MODES[mode])
    return (source[:, None] == xp.arange(size)).astype(dtype)


def conv2d_forward(x, weight, bias=None, stride=(1, 1), dilation=(1, 1), groups: int = 1):
    """The convolution of a padded input, and the columns its backward needs.

    x: (N, C, H, W) padded; weight: (O, C / groups, KH, KW); bias: (O,) or None
    -> y: (N, O, OH, OW) and cols: (groups, C / groups · KH · KW, N · OH · OW).
    """
    xp = get_array_module(x)
    n, c = x.shape[:2]
    out_channels, _, kh, kw = weight.shape
    windows = im2col(x, (kh, kw), stride, dilation)  # (N, C, KH, KW, OH, OW), a view
    oh, ow = windows.shape[-2:]
    # the one copy: receptive fields as columns, grouped (G, C/G · KH · KW, N · OH · OW)
    cols = xp.ascontiguousarray(windows.transpose(1, 2, 3, 0, 4, 5)).reshape(
        groups, c // groups * kh * kw, n * oh * ow)
    w = weight.reshape(groups, out_channels // groups, -1)  # (G, O/G, C/G · KH · KW)
    y = (w @ cols).reshape(out_channels, n, oh, ow).transpose(1, 0, 2, 3)  # y = W · cols
    if bias is not None:
        y = y + bias.reshape(1, -1, 1, 1)
    return y, cols


def conv2d_backward(grad_out, cols, weight, input_shape, stride=(1, 1), dilation=(1, 1),
                    groups: int = 1):
    """dL/dx (padded), dL/dW and dL/db of ``conv2d_forward``.

    grad_out: (N, O, OH, OW); cols as ``conv2d_forward`` returned; input_shape: the padded x's.
    """
    n, out_channels, oh, ow = grad_out.shape
    _, cg, kh, kw = weight.shape
    # (G, O/G, N · OH · OW): the gradient laid out like W · cols
    g = grad_out.transpose(1, 0, 2, 3).reshape(groups, out_channels // groups, n * oh * ow)
    grad_weight = (g @ cols.transpose(0, 2, 1)).reshape(weight.shape)  # dL/dW = g · colsᵀ
    grad_bias = grad_out.sum(axis=(0, 2, 3))  # dL/db = Σ g over the batch and the pixels
    w = weight.reshape(groups, out_channels // groups, -1)
    grad_cols = w.transpose(0, 2, 1) @ g  # dL/dcols = Wᵀ · g: (G, C/G · KH · KW, N · OH · OW)
    grad_cols = grad_cols.reshape(groups * cg, kh, kw, n, oh, ow).transpose(3, 0, 1, 2, 4, 5)
    return col2im(grad_cols, input_shape, stride, dilation), grad_weight, grad_bias


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups: int = 1):
    """torch.nn.functional.conv2d: input (N, C, H, W) or (C, H, W) -> (N, O, OH, OW) or
    (O, OH, OW). ``padding`` is an int, a pair, "valid" (none) or "same" (stride 1)."""
    kernel = weight.shape[-2:]
    stride, dilation = pair(stride), pair(dilation)
    x = input[None] if input.ndim == 3 else input
    y, _ = conv2d_forward(pad2d(x, padding_amounts(padding, kernel, dilation)), weight, bias,
                          stride, dilation, groups)
    return y[0] if input.ndim == 3 else y


def padding_amounts(padding, kernel_size, dilation) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) from a Conv2d ``padding``: an int, a pair, "valid" or "same"."""
    if padding == "valid":
        return 0, 0, 0, 0
    if padding == "same":
        return (*same_padding(kernel_size[0], dilation[0]),
                *same_padding(kernel_size[1], dilation[1]))
    ph, pw = pair(padding)
    return ph, ph, pw, pw


def receptive_field(kernel_size, dilation) -> tuple[int, int]:
    """How far a dilated kernel reaches: dilation · (kernel − 1) + 1 along each axis."""
    return tuple(d * (k - 1) + 1 for k, d in zip(kernel_size, dilation, strict=True))


def multiply_adds(output_shape, weight_shape) -> int:
    """Multiply-adds of a convolution: each output value sums C/groups · KH · KW products."""
    return math.prod(output_shape) * math.prod(weight_shape[1:])
